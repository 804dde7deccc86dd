import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { BotHarness, STAFF, TENANT, type Person } from '../support/bot-harness.js';
import { RemovalService, type RemovalRequestInput } from '../../src/services/removal.js';

/** The tab's app registration in the tests. */
export const CLIENT_ID = '0a1b2c3d-0000-4000-8000-00000000ab01';
export const APP_ID_URI = `api://tab.council.test/${CLIENT_ID}`;
export const V2_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
export const V1_ISSUER = `https://sts.windows.net/${TENANT}/`;

/** Every route of the tab API, with a body where it takes one; `id` names the authorisation asked about. */
export function tabRoutes(id: string): ['GET' | 'POST', string, unknown?][] {
  return [
    ['GET', '/api/tab/me'],
    ['GET', '/api/tab/requests/mine'],
    ['GET', '/api/tab/team'],
    ['GET', `/api/tab/authorisations/${id}`],
    ['POST', `/api/tab/authorisations/${id}/actions`, { action: 'approve', version: 1 }],
    ['GET', '/api/tab/retention/schedule'],
    ['POST', '/api/tab/retention/calculate', { classId: 'looked-after-child', dates: {} }],
    ['GET', '/api/tab/retention/cases/1234567'],
    ['GET', '/api/tab/rms/due'],
    ['GET', '/api/tab/rms/holds'],
    ['GET', '/api/tab/rms/batches'],
    ['GET', '/api/tab/rms/register'],
    ['POST', '/api/tab/rms/register/export', { format: 'csv' }],
    ['GET', '/api/tab/rms/review'],
    ['GET', `/api/tab/rms/batches/${id}`],
    ['POST', '/api/tab/rms/holds', { caseRef: '1234567', type: 'claim', reference: 'C-1', reason: 'Claim' }],
    ['POST', `/api/tab/rms/holds/${id}/release`, { reason: 'Settled' }],
    ['POST', `/api/tab/rms/holds/${id}/extend`, {}],
    ['POST', `/api/tab/rms/holds/${id}/stop-clock`, {}],
    ['POST', `/api/tab/rms/holds/${id}/restart-clock`, {}],
    ['POST', '/api/tab/rms/blanket-holds', {}],
    ['POST', `/api/tab/rms/blanket-holds/${id}/release`, { reason: 'Ended' }],
    ['POST', '/api/tab/rms/batches/preview', {}],
    ['POST', '/api/tab/rms/batches', {}],
    ['POST', `/api/tab/rms/batches/${id}/confirm`, { version: 1 }],
    ['POST', `/api/tab/rms/batches/${id}/cancel`, { version: 1 }],
    ['POST', '/api/tab/rms/review/decisions', { recordIds: 'LL-400167', decision: 'destroy', reason: 'x' }],
  ];
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A loopback JWKS endpoint, as Entra ID publishes the tenant's signing keys. */
export class JwksServer {
  private server: Server | null = null;
  requests = 0;
  url = '';

  constructor(private readonly keys: SigningKey[]) {}

  async start(): Promise<void> {
    this.server = createServer((_req, res) => {
      this.requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: this.keys.map((k) => k.publicJwk) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${TENANT}/discovery/v2.0/keys`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface TokenOptions {
  /** Seconds from `now`. */
  expiresIn?: number;
  notBefore?: number;
  issuedAt?: number;
  claims?: Record<string, unknown>;
  /** Claims to leave out. */
  omit?: string[];
  kid?: string;
}

/** A Teams tab SSO token as Entra ID issues it (v2), signed by `key`. */
export async function signToken(
  key: SigningKey,
  oid: string,
  now: Date,
  options: TokenOptions = {},
): Promise<string> {
  const t = Math.floor(now.getTime() / 1000);
  const claims: Record<string, unknown> = {
    iss: V2_ISSUER,
    aud: CLIENT_ID,
    tid: TENANT,
    oid,
    sub: `sub-${oid}`,
    scp: 'access_as_user',
    name: 'Test User',
    preferred_username: 'user@council.example',
    ver: '2.0',
    iat: t + (options.issuedAt ?? 0),
    nbf: t + (options.notBefore ?? 0),
    exp: t + (options.expiresIn ?? 3600),
    ...options.claims,
  };
  for (const name of options.omit ?? []) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? key.kid })
    .sign(key.privateKey);
}

/** The running app with tab SSO set up against a loopback JWKS, on the demo directory. */
export class TabHarness {
  readonly bot = new BotHarness();
  readonly key: Promise<SigningKey> = newKey('tenant-key-1');
  jwks!: JwksServer;
  signingKey!: SigningKey;

  async start(env: Record<string, string> = {}): Promise<void> {
    this.signingKey = await this.key;
    this.jwks = new JwksServer([this.signingKey]);
    await this.jwks.start();
    await this.bot.start({
      TAB_SSO_AUDIENCE: `${APP_ID_URI},${CLIENT_ID}`,
      TAB_SSO_TENANT_ID: TENANT,
      TAB_SSO_JWKS_URL: this.jwks.url,
      ...env,
    });
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.jwks?.stop();
  }

  get base(): string {
    return `http://127.0.0.1:${this.bot.port}`;
  }

  token(person: Person, options: TokenOptions = {}): Promise<string> {
    return signToken(this.signingKey, STAFF[person], this.bot.clock.now(), options);
  }

  async call(
    method: 'GET' | 'POST',
    path: string,
    auth: { person?: Person; token?: string; headers?: Record<string, string> },
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const token = auth.token ?? (auth.person ? await this.token(auth.person) : undefined);
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...auth.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      headers: response.headers,
    };
  }

  removals(): RemovalService {
    return new RemovalService(this.bot.app.store.db, this.bot.clock, { maxDays: 14 });
  }

  /** A removal request made straight through the service, as the bot would make it. */
  async request(person: Person, fields: Partial<RemovalRequestInput> = {}): Promise<string> {
    const outcome = await this.removals().request(STAFF[person], {
      caseRef: '1234567',
      recordIds: [],
      purpose: 'home_working',
      destination: 'Home',
      outOn: '2026-11-26',
      returnOn: '2026-11-27',
      justification: 'To finish the court report',
      acknowledged: true,
      unknownCaseConfirmed: false,
      ...fields,
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    return outcome.authorisation.id;
  }
}

/** Context as the Teams host sends it to `getContext` (the v1 shape teams-js converts). */
export function hostContext(person: Person, theme: 'default' | 'dark' | 'contrast') {
  return {
    locale: 'en-gb',
    theme,
    entityId: 'case-records',
    frameContext: 'content',
    hostClientType: 'web',
    hostName: 'Teams',
    userObjectId: STAFF[person],
    tid: TENANT,
    loginHint: `${person}@council.example`,
    userPrincipalName: `${person}@council.example`,
    appSessionId: 'test-session',
  };
}

/**
 * A page that plays Teams: it frames the tab (same origin, so teams-js accepts its messages)
 * and answers the teams-js handshake: `initialize`, `getContext` (user, theme) and
 * `authentication.getAuthToken` (a token signed by the test key, or a failure). Everything the
 * tab asked is kept in `window.hostLog`; `window.setTheme(theme)` sends a theme change.
 */
export function hostPage(options: { context: unknown; token: string | null }): string {
  const config = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test Teams host</title></head>
<body style="margin:0">
<iframe id="tab" title="Case Records tab" src="/tab/index.html" style="width:1280px;height:1400px;border:0"></iframe>
<script>
const config = ${config};
window.hostLog = [];
const frame = () => document.getElementById('tab').contentWindow;
window.addEventListener('message', (event) => {
  if (event.source !== frame()) return;
  const msg = event.data || {};
  window.hostLog.push(msg.func);
  const reply = (args) => frame().postMessage({ id: msg.id, uuidAsString: msg.uuidAsString, args }, location.origin);
  switch (msg.func) {
    case 'initialize':
      reply(['content', 'web', JSON.stringify({ apiVersion: 4, supports: { app: {}, appInitialization: {}, authentication: {}, pages: { config: {} } } }), '2.0.0']);
      break;
    case 'getContext':
      reply([config.context]);
      break;
    case 'authentication.getAuthToken':
      reply(config.token ? [true, config.token] : [false, 'The user must consent']);
      break;
    default:
      break;
  }
});
window.setTheme = (theme) => frame().postMessage({ func: 'themeChange', args: [theme] }, location.origin);
</script>
</body></html>`;
}
