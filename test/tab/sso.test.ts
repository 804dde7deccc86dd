import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { STAFF, TENANT, TEST_SECRETS } from '../support/bot-harness.js';
import {
  APP_ID_URI,
  CLIENT_ID,
  newKey,
  signToken,
  TabHarness,
  tabRoutes,
  V1_ISSUER,
  type SigningKey,
} from './support.js';

// The tab API checks the Teams SSO token before anything else, with real RS256 tokens signed by
// a key the test publishes on a loopback JWKS endpoint (as Entra ID publishes the tenant's).

const tab = new TabHarness();
let stranger: SigningKey;

beforeAll(async () => {
  stranger = await newKey('tenant-key-1');
  await tab.start();
});
afterAll(() => tab.stop());

async function me(token: string | undefined, headers: Record<string, string> = {}) {
  return tab.call('GET', '/api/tab/me', { token, headers });
}

describe('tab SSO token validation (real signed tokens, over HTTP)', () => {
  it('a valid token names the staff member from its oid', async () => {
    const res = await me(await tab.token('sam'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: STAFF.sam,
      name: 'Sam Taylor',
      roles: ['case_worker'],
      identity: 'sso',
      views: { team: false, recordsManagement: false },
    });
    expect(tab.jwks.requests).toBeGreaterThan(0);
  });

  it('accepts the application ID URI as audience and the v1 issuer', async () => {
    const token = await tab.token('priya', { claims: { aud: APP_ID_URI, iss: V1_ISSUER, ver: '1.0' } });
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: STAFF.priya, views: { team: true } });
  });

  const refused: [string, () => Promise<string | undefined>, RegExp][] = [
    ['no token', () => Promise.resolve(undefined), /open the Case Records tab in Microsoft Teams/],
    [
      'an expired token',
      () => tab.token('sam', { issuedAt: -7200, notBefore: -7200, expiresIn: -600 }),
      /expired/,
    ],
    ['a token not valid yet', () => tab.token('sam', { notBefore: 1800, issuedAt: 0 }), /not valid yet/],
    ['a token issued in the future', () => tab.token('sam', { issuedAt: 1800 }), /not valid yet/],
    [
      'a token for another app (audience)',
      () => tab.token('sam', { claims: { aud: '99999999-9999-4999-8999-999999999999' } }),
      /not issued for this app/,
    ],
    [
      'a token from another issuer',
      () => tab.token('sam', { claims: { iss: 'https://login.microsoftonline.com/common/v2.0' } }),
      /not issued by your organisation/,
    ],
    [
      'a token from another tenant',
      () =>
        tab.token('sam', {
          claims: {
            iss: 'https://login.microsoftonline.com/99999999-2222-3333-4444-555555555555/v2.0',
            tid: '99999999-2222-3333-4444-555555555555',
          },
        }),
      /not issued by your organisation/,
    ],
    [
      'a token with the right issuer but another tid',
      () => tab.token('sam', { claims: { tid: '99999999-2222-3333-4444-555555555555' } }),
      /another organisation/,
    ],
    [
      'a token signed by another key with the same key id',
      () => signToken(stranger, STAFF.sam, tab.bot.clock.now()),
      /signature could not be verified/,
    ],
    [
      'a token signed by an unknown key',
      () => signToken(stranger, STAFF.sam, tab.bot.clock.now(), { kid: 'someone-elses-key' }),
      /signature could not be verified/,
    ],
    ['a token without the user scope', () => tab.token('sam', { claims: { scp: 'User.Read' } }), /as a user/],
    ['a token without an oid', () => tab.token('sam', { omit: ['oid'] }), /not valid|say who you are/],
    ['a token without an expiry', () => tab.token('sam', { omit: ['exp'] }), /not valid/],
    ['a token that is not a JWT', () => Promise.resolve('not-a-token'), /not valid/],
  ];

  it.each(refused)('%s gets 401 with a sentence, and nothing else runs', async (_name, make, message) => {
    const res = await me(await make());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.json).toEqual({ error: expect.stringMatching(message) as string });
  });

  it('a tampered payload fails the signature check', async () => {
    const token = await tab.token('sam');
    const [head, , sig] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()),
        oid: STAFF.helen,
      }),
    ).toString('base64url');
    const res = await me(`${head}.${forged}.${sig}`);
    expect(res.status).toBe(401);
  });

  it('every API route refuses a call without a valid token, and POSTs change nothing', async () => {
    const id = await tab.request('sam');
    const before = await tab.bot.stateCounts();
    const expired = await tab.token('priya', { issuedAt: -7200, expiresIn: -3600 });
    for (const [method, path, body] of tabRoutes(id)) {
      for (const token of [undefined, expired]) {
        const res = await tab.call(method, path, { token }, body);
        expect(res.status, `${method} ${path}`).toBe(401);
      }
    }
    expect(await tab.bot.stateCounts()).toEqual(before);
    expect((await tab.bot.row(id)).status).toBe('pending');
  });

  it('a valid token of someone not in the staff directory gets 403', async () => {
    const token = await signToken(
      tab.signingKey,
      '00000000-0000-4000-8000-000000000999',
      tab.bot.clock.now(),
    );
    const res = await me(token);
    expect(res.status).toBe(403);
    expect(res.json.error).toMatch(/not in the staff directory/);
  });

  it('the persona header names an aadObjectId, or nobody is identified', async () => {
    const res = await me(undefined, { 'x-dev-identity': 'true' });
    expect(res.status).toBe(401);
  });
});

describe('tab SSO and development identity settings', () => {
  const sso = { TAB_SSO_AUDIENCE: APP_ID_URI, TAB_SSO_TENANT_ID: TENANT };

  it('reads the audience list, tenant and default JWKS address', () => {
    const config = readConfig({ ...sso, TAB_SSO_AUDIENCE: `${APP_ID_URI}, ${CLIENT_ID}` });
    expect(config.tab.sso).toEqual({
      tenantId: TENANT,
      audiences: [APP_ID_URI, CLIENT_ID],
      jwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
    });
    expect(readConfig({}).tab).toEqual({ sso: null, devIdentity: null });
  });

  it('needs both the audience and the tenant, and checks them', () => {
    expect(() => readConfig({ TAB_SSO_AUDIENCE: APP_ID_URI })).toThrow(/give both or neither/);
    expect(() => readConfig({ TAB_SSO_TENANT_ID: TENANT })).toThrow(/give both or neither/);
    expect(() => readConfig({ ...sso, TAB_SSO_AUDIENCE: 'my-app' })).toThrow(/TAB_SSO_AUDIENCE/);
    expect(() => readConfig({ ...sso, TAB_SSO_TENANT_ID: 'contoso' })).toThrow(/TAB_SSO_TENANT_ID/);
    expect(() => readConfig({ TAB_SSO_JWKS_URL: 'https://keys.example/' })).toThrow(/TAB_SSO_JWKS_URL/);
  });

  it('allows an http JWKS address only outside production', () => {
    expect(readConfig({ ...sso, TAB_SSO_JWKS_URL: 'http://127.0.0.1:1/keys' }).tab.sso?.jwksUrl).toBe(
      'http://127.0.0.1:1/keys',
    );
    expect(() =>
      readConfig({
        ...sso,
        TAB_SSO_JWKS_URL: 'http://127.0.0.1:1/keys',
        NODE_ENV: 'production',
        MicrosoftAppId: CLIENT_ID,
        MicrosoftAppPassword: 'secret',
        MicrosoftAppTenantId: TENANT,
        PUBLIC_BASE_URL: 'https://tab.council.test',
        ...TEST_SECRETS,
      }),
    ).toThrow(/^Configuration is not valid:\n {2}- TAB_SSO_JWKS_URL: must be an https URL[^\n]*$/);
  });

  it('a development identity is for local mode only', () => {
    expect(readConfig({ LOCAL_MODE: 'true', TAB_DEV_IDENTITY: STAFF.sam }).tab.devIdentity).toBe(STAFF.sam);
    expect(() => readConfig({ TAB_DEV_IDENTITY: STAFF.sam })).toThrow(
      /TAB_DEV_IDENTITY: a development identity is for local mode only \(LOCAL_MODE=true/,
    );
    expect(() =>
      readConfig({ TAB_DEV_IDENTITY: STAFF.sam, MicrosoftAppId: CLIENT_ID, MicrosoftAppPassword: 'x' }),
    ).toThrow(/TAB_DEV_IDENTITY: a development identity is for local mode only/);
    expect(() =>
      readConfig({
        TAB_DEV_IDENTITY: STAFF.sam,
        NODE_ENV: 'production',
        MicrosoftAppId: CLIENT_ID,
        MicrosoftAppPassword: 'secret',
        ...TEST_SECRETS,
      }),
    ).toThrow(/TAB_DEV_IDENTITY/);
    expect(() => readConfig({ TAB_DEV_IDENTITY: STAFF.sam, NODE_ENV: 'production' })).toThrow(
      /TAB_DEV_IDENTITY/,
    );
    expect(() => readConfig({ LOCAL_MODE: 'true', TAB_DEV_IDENTITY: 'sam' })).toThrow(/aadObjectId/);
  });
});
