import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/actions/verbs.js';
import { BotHarness, PRODUCTION_SETTINGS, REQUEST_FORM, STAFF } from '../support/bot-harness.js';
import { Random } from './random.js';

// Production mode: /api/messages needs a valid Bot Framework token. The Bot Framework's signing
// keys come from its OpenID metadata, which this test serves from loopback in place of
// login.botframework.com (the one outbound call the check makes), with a key it holds: a token
// signed with that key and right in every claim is accepted (so the refusals below are the check
// at work, not a network failure), and every forged, altered, expired or misdirected one gets 401
// and changes nothing.

const APP_ID = '3b5e1c2d-0000-4000-8000-00000000b07a';
const TENANT_ID = '11111111-2222-3333-4444-555555555555';
const ISSUER = 'https://api.botframework.com';
const METADATA_HOSTS = new Set(['login.botframework.com', 'login.microsoftonline.com']);

describe('production mode: requests without a valid Bot Framework token', () => {
  const bot = new BotHarness();
  const originalRequest = https.request;
  let metadata: http.Server;
  let legit: CryptoKey;
  let attacker: CryptoKey;
  let legitPublicPem = '';
  let id = '';

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256', { extractable: true });
    legit = keys.privateKey;
    legitPublicPem = await exportSPKI(keys.publicKey);
    attacker = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK & { endorsements: string[] } = {
      ...(await exportJWK(keys.publicKey)),
      kid: 'legit',
      use: 'sig',
      endorsements: ['msteams'],
    };
    metadata = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/openidconfiguration') || req.url?.endsWith('/openid-configuration')) {
        res.end(
          JSON.stringify({
            issuer: ISSUER,
            jwks_uri: 'https://login.botframework.com/v1/.well-known/keys',
            id_token_signing_alg_values_supported: ['RS256'],
          }),
        );
      } else if (req.url?.endsWith('/keys')) {
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    const port = (metadata.address() as AddressInfo).port;
    // node-fetch (used by the SDK for the metadata) calls https.request for each fetch.
    https.request = ((options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) => {
      if (typeof options === 'object' && METADATA_HOSTS.has(String(options.hostname ?? options.host))) {
        return http.request(
          { host: '127.0.0.1', port, path: options.path, method: options.method, headers: options.headers },
          callback,
        );
      }
      return originalRequest(options, callback);
    }) as typeof https.request;

    await bot.start({ ...PRODUCTION_SETTINGS, MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT_ID });
  });

  afterAll(async () => {
    https.request = originalRequest;
    await bot.stop();
    await new Promise<void>((resolve) => metadata.close(() => resolve()));
  });

  interface Claims {
    iss?: string;
    aud?: string;
    serviceurl?: string;
    exp?: number;
    nbf?: number;
  }
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (key: CryptoKey, claims: Claims, kid = 'legit') => {
    const jwt = new SignJWT({ ...(claims.serviceurl ? { serviceurl: claims.serviceurl } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuedAt(now() - 60)
      .setExpirationTime(claims.exp ?? now() + 3600);
    if (claims.iss) jwt.setIssuer(claims.iss);
    if (claims.aud) jwt.setAudience(claims.aud);
    if (claims.nbf) jwt.setNotBefore(claims.nbf);
    return jwt.sign(key);
  };
  const good = (): Claims => ({ iss: ISSUER, aud: APP_ID, serviceurl: bot.connector.url });
  const bearer = async (claims: Claims = good()) => ({
    authorization: `Bearer ${await sign(legit, claims)}`,
  });

  it('a token signed with the Bot Framework key, right in every claim, is accepted', async () => {
    const result = await bot.press('sam', VERBS.submit, REQUEST_FORM, 'form-sam');
    expect(result.status).toBe(401); // no token at all
    const { status, text } = await bot.post(
      bot.activity('sam', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: VERBS.submit, data: REQUEST_FORM } },
      }),
      await bearer(),
    );
    expect(status, text).toBe(200);
    id = /"authorisationId":"([0-9a-f-]{36})"/.exec(text)?.[1] ?? '';
    expect(id).not.toBe('');
  });

  it('hundreds of forged, altered, expired and misdirected tokens: 401 every time, and nothing changes', async () => {
    expect(id).not.toBe('');
    const r = new Random(401);
    const before = await bot.stateCounts();
    const row = await bot.row(id);
    const connectorCalls = bot.connector.calls.length;
    const legitToken = await sign(legit, good());
    const [head, payload, signature] = legitToken.split('.') as [string, string, string];
    const forged: [string, () => string | null | Promise<string | null>][] = [
      ['no header', () => null],
      ['an empty header', () => ''],
      ['Bearer and nothing', () => 'Bearer '],
      ['a Basic header', () => 'Basic c2FtOnNhbQ=='],
      ['junk', () => `Bearer ${r.junk(1 + r.int(300)).replace(/[^\x21-\x7e]/g, 'x')}`],
      ['three parts of junk', () => 'Bearer aaa.bbb.ccc'],
      ['a key of its own, claiming the real key id', async () => `Bearer ${await sign(attacker, good())}`],
      ['a key of its own, another key id', async () => `Bearer ${await sign(attacker, good(), 'mine')}`],
      [
        'HS256 with the public key as secret',
        async () =>
          `Bearer ${await new SignJWT({ serviceurl: bot.connector.url })
            .setProtectedHeader({ alg: 'HS256', kid: 'legit' })
            .setIssuer(ISSUER)
            .setAudience(APP_ID)
            .setExpirationTime(now() + 3600)
            .sign(new TextEncoder().encode(legitPublicPem))}`,
      ],
      [
        'alg none',
        () =>
          `Bearer ${new UnsecuredJWT({ serviceurl: bot.connector.url })
            .setIssuer(ISSUER)
            .setAudience(APP_ID)
            .setExpirationTime(now() + 3600)
            .encode()}`,
      ],
      ['expired an hour ago', async () => `Bearer ${await sign(legit, { ...good(), exp: now() - 3600 })}`],
      [
        'not valid until tomorrow',
        async () => `Bearer ${await sign(legit, { ...good(), nbf: now() + 86_400 })}`,
      ],
      [
        'for another bot',
        async () => `Bearer ${await sign(legit, { ...good(), aud: '00000000-0000-4000-8000-000000000000' })}`,
      ],
      [
        'from another issuer',
        async () => `Bearer ${await sign(legit, { ...good(), iss: 'https://evil.example' })}`,
      ],
      [
        'for another service URL',
        async () => `Bearer ${await sign(legit, { ...good(), serviceurl: 'https://evil.example/' })}`,
      ],
      ['with no service URL', async () => `Bearer ${await sign(legit, { iss: ISSUER, aud: APP_ID })}`],
      [
        'with its payload changed',
        () => {
          const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
          claims.aud = [APP_ID, 'x'];
          return `Bearer ${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
        },
      ],
      ['with its signature cut short', () => `Bearer ${head}.${payload}.${signature.slice(0, -10)}`],
      ['with no signature', () => `Bearer ${head}.${payload}.`],
    ];
    // Activities that would change things if they were let in: Priya approving, Sam withdrawing.
    const activities = [
      () =>
        bot.activity('priya', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: {
            action: {
              type: 'Action.Execute',
              verb: VERBS.approve,
              data: { authorisationId: id, version: 1 },
            },
          },
        }),
      () => bot.activity('sam', { type: 'message', text: 'withdraw my request' }),
      () =>
        bot.activity('sam', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: VERBS.submit, data: REQUEST_FORM } },
        }),
      // A channel the key is not endorsed for.
      () => ({ ...bot.activity('priya', { type: 'message', text: 'hello' }), channelId: 'webchat' }),
    ];
    let tried = 0;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const [label, make] = forged[i % forged.length]!;
      const token = await make();
      const activity = r.pick(activities)();
      const { status, text } = await bot.post(activity, token === null ? {} : { authorization: token });
      tried += 1;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(status, `${label}: ${text.slice(0, 200)}`).toBe(401);
    }
    await bot.deliverAll().catch(() => undefined);
    expect(await bot.stateCounts()).toEqual(before);
    expect(await bot.row(id)).toEqual(row);
    // Nothing was said to anyone on the strength of a forged token.
    expect(
      bot.connector.calls
        .slice(connectorCalls)
        .filter((c) => c.method === 'POST' && c.conversationId === 'personal-sam'),
    ).toEqual([]);
    console.log(
      `auth fuzz: ${tried} requests with ${forged.length} kinds of bad token, every one 401, nothing changed`,
    );

    // And the real key still works afterwards: the refusals were the token check.
    const show = await bot.post(
      bot.activity('sam', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: VERBS.show, data: { authorisationId: id } } },
      }),
      await bearer(),
    );
    expect(show.status).toBe(200);
    expect(STAFF.sam).toBeTruthy();
  });

  /** Where the bot would write to each person later, as saved. */
  const savedReferences = () =>
    bot.app.store.db.selectFrom('conversation_references').select(['aad_object_id', 'reference']).execute();

  it('a token that does not vouch for the activity’s service URL gets 401, and no reply address is saved', async () => {
    const saved = await savedReferences();
    const calls = bot.connector.calls.length;
    // A token of the kind the Bot Framework Emulator uses: signed by a key the SDK trusts, for this
    // bot, but with no serviceurl claim. The SDK lets it through; the bot does not.
    const emulatorStyle = await new SignJWT({ ver: '1.0', appid: APP_ID })
      .setProtectedHeader({ alg: 'RS256', kid: 'legit', typ: 'JWT' })
      .setIssuer('https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/')
      .setAudience(APP_ID)
      .setIssuedAt(now() - 60)
      .setExpirationTime(now() + 3600)
      .sign(legit);
    for (const serviceUrl of ['https://evil.example/', bot.connector.url]) {
      const { status } = await bot.post(
        { ...bot.activity('chris', { type: 'message', text: 'hello' }), serviceUrl },
        { authorization: `Bearer ${emulatorStyle}` },
      );
      expect(status).toBe(401);
    }
    // A channel token for one service URL, on an activity naming another.
    const { status } = await bot.post(
      { ...bot.activity('chris', { type: 'message', text: 'hello' }), serviceUrl: 'https://evil.example/' },
      await bearer(),
    );
    expect(status).toBe(401);
    expect(await savedReferences()).toEqual(saved);
    expect(bot.connector.calls.length).toBe(calls);
  });

  it('with a valid token, the reply address saved is the one the token vouches for', async () => {
    const { status } = await bot.post(
      bot.activity('chris', { type: 'message', text: 'hello' }),
      await bearer(),
    );
    expect(status).toBe(200);
    const chris = (await savedReferences()).find((r) => r.aad_object_id === STAFF.chris);
    expect((JSON.parse(chris!.reference) as { serviceUrl?: string }).serviceUrl).toBe(bot.connector.url);
  });

  it('an activity from another organisation is refused: nothing answered, saved or changed; a card action gets 403', async () => {
    const other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const elsewhere = (activity: Record<string, unknown>) => ({
      ...activity,
      conversation: { id: 'personal-stranger', conversationType: 'personal', tenantId: other },
      channelData: { tenant: { id: other } },
    });
    const before = await bot.tableCounts();
    const calls = bot.connector.calls.length;
    const message = await bot.post(
      elsewhere(bot.activity('sam', { type: 'message', text: 'retention status of case 1234567' })),
      await bearer(),
    );
    expect(message.status).toBe(200);
    const invoke = await bot.post(
      elsewhere(
        bot.activity('priya', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: {
            action: {
              type: 'Action.Execute',
              verb: VERBS.approve,
              data: { authorisationId: id, version: 1 },
            },
          },
        }),
      ),
      await bearer(),
    );
    expect(invoke.status).toBe(403);
    expect(invoke.text).toContain('not available to your organisation');
    expect(await bot.tableCounts()).toEqual(before);
    expect(bot.connector.calls.length).toBe(calls);
  });
});
