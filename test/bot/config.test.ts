import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertServable, ConfigError, readConfig } from '../../src/config.js';
import { DEVELOPMENT_AUDIT_KEY } from '../../src/store/audit.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { TEST_SECRETS } from '../support/bot-harness.js';

const APP_ID = '99999999-8888-4777-8666-555555555555';
const TENANT_ID = '11111111-2222-3333-4444-555555555555';
const OTHER_TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** A complete production configuration: each test changes one thing. */
const PRODUCTION = {
  NODE_ENV: 'production',
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: 'secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: TENANT_ID,
  PUBLIC_BASE_URL: 'https://records.council.example',
  ...TEST_SECRETS,
};

function configError(env: Record<string, string>): ConfigError {
  try {
    readConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`readConfig accepted ${JSON.stringify(env)}`);
}

describe('readConfig', () => {
  it('production without MicrosoftAppId is refused, naming MicrosoftAppId', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toMatch(/^Configuration is not valid:/);
    expect(error.message).toContain('MicrosoftAppId');
    expect(error.message).toContain('NODE_ENV=production');
  });

  it('production with a blank MicrosoftAppId is refused the same way', () => {
    expect(configError({ NODE_ENV: 'production', MicrosoftAppId: '   ' }).message).toContain(
      'MicrosoftAppId',
    );
  });

  it('SingleTenant without a tenant id is refused, naming MicrosoftAppTenantId', () => {
    const error = configError({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'SingleTenant',
    });
    expect(error.message).toContain('MicrosoftAppTenantId: is required for SingleTenant');
  });

  it('an app id without a password or certificate is refused', () => {
    expect(configError({ MicrosoftAppId: APP_ID }).message).toContain(
      'MicrosoftAppPassword: is required for MultiTenant',
    );
  });

  it('other app settings without an app id are refused rather than silently running unauthenticated', () => {
    expect(configError({ MicrosoftAppPassword: 'secret' }).message).toContain(
      'MicrosoftAppId: is required when other Microsoft app settings are given',
    );
  });

  it('an unknown app type is refused, naming the setting', () => {
    expect(configError({ MicrosoftAppId: APP_ID, MicrosoftAppType: 'Everyone' }).message).toContain(
      'MicrosoftAppType',
    );
  });

  it('every problem is listed at once', () => {
    const message = configError({
      NODE_ENV: 'production',
      PORT: 'eighty',
      MicrosoftAppType: 'Everyone',
    }).message;
    expect(message).toContain('PORT');
    expect(message).toContain('MicrosoftAppType');
  });

  it('a valid SingleTenant set passes', () => {
    const config = readConfig(PRODUCTION);
    expect(config.production).toBe(true);
    expect(config.localMode).toBe(false);
    expect(config.host).toBe('0.0.0.0');
    expect(config.allowedTenantIds).toEqual([TENANT_ID]);
    expect(config.audit).toEqual({
      key: TEST_SECRETS.AUDIT_KEY,
      developmentKey: false,
      headFile: path.join(REPO_ROOT, 'data', 'audit-head.json'),
    });
    expect(config.bot).toEqual({
      appId: APP_ID,
      appType: 'SingleTenant',
      password: 'secret',
      tenantId: TENANT_ID,
      certificateThumbprint: null,
      certificatePrivateKey: null,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('a valid MultiTenant set passes, and the app type defaults to MultiTenant', () => {
    const config = readConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'secret',
      AUDIT_KEY: TEST_SECRETS.AUDIT_KEY,
    });
    expect(config.bot).toMatchObject({ appId: APP_ID, appType: 'MultiTenant', tenantId: null });
    expect(config.production).toBe(false);
  });

  it('without an app id there are no bot credentials, and the documented defaults', () => {
    const config = readConfig({});
    expect(config.bot).toBeNull();
    expect(config.production).toBe(false);
    expect(config.localMode).toBe(false);
    expect(config.audit).toMatchObject({ key: DEVELOPMENT_AUDIT_KEY, developmentKey: true });
    expect(config).toMatchObject({
      port: 3978,
      removal: { maxDays: 14, pendingReminderHours: 24 },
      teamsServiceUrl: 'https://smba.trafficmanager.net/teams/',
    });
  });

  it('PENDING_REMINDER_HOURS is read as a number', () => {
    expect(readConfig({ PENDING_REMINDER_HOURS: '6' }).removal.pendingReminderHours).toBe(6);
    expect(configError({ PENDING_REMINDER_HOURS: '0' }).message).toContain('PENDING_REMINDER_HOURS');
  });

  it('production needs a download signing key shared by every instance', () => {
    expect(() => readConfig({ ...PRODUCTION, DOWNLOAD_SIGNING_KEY: '' })).toThrow(/DOWNLOAD_SIGNING_KEY/);
  });
});

describe('NODE_ENV and local mode', () => {
  it.each(['production\r', 'production ', ' production', 'Production', 'prod', 'PRODUCTION', 'dev'])(
    'NODE_ENV=%j is refused, so nothing starts unauthenticated by accident',
    (value) => {
      const message = configError({ NODE_ENV: value, LOCAL_MODE: 'true' }).message;
      expect(message).toContain('NODE_ENV');
      expect(message).toContain('development, test or production');
      if (value.trim() !== value) expect(message).toMatch(/stray whitespace or a carriage return/);
    },
  );

  it('"production\r" is shown as it is, carriage return and all', () => {
    expect(configError({ NODE_ENV: 'production\r' }).message).toContain('"production\\r"');
  });

  it.each(['development', 'test', 'production'])('NODE_ENV=%s is read exactly', (value) => {
    const env = value === 'production' ? PRODUCTION : { NODE_ENV: value };
    expect(readConfig(env).nodeEnv).toBe(value);
  });

  it('LOCAL_MODE must be exactly true or false', () => {
    expect(readConfig({ LOCAL_MODE: 'true' }).localMode).toBe(true);
    expect(readConfig({ LOCAL_MODE: 'false' }).localMode).toBe(false);
    expect(configError({ LOCAL_MODE: 'true\r' }).message).toMatch(/LOCAL_MODE: .*carriage return/);
    expect(configError({ LOCAL_MODE: 'yes' }).message).toContain('LOCAL_MODE');
  });

  it('local mode is refused with production or with the bot’s credentials', () => {
    expect(configError({ ...PRODUCTION, LOCAL_MODE: 'true' }).message).toMatch(
      /LOCAL_MODE: local mode \(no authentication\) can never be used with NODE_ENV=production/,
    );
    expect(
      configError({
        LOCAL_MODE: 'true',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'secret',
        AUDIT_KEY: TEST_SECRETS.AUDIT_KEY,
      }).message,
    ).toMatch(/LOCAL_MODE: local mode is for running without the bot’s app credentials/);
  });

  it('a server without credentials and without LOCAL_MODE=true refuses to start, saying what to set', () => {
    const config = readConfig({ NODE_ENV: 'development' });
    expect(() => assertServable(config)).toThrow(ConfigError);
    expect(() => assertServable(config)).toThrow(/LOCAL_MODE=true/);
    expect(() => assertServable(config)).toThrow(/MicrosoftAppId/);
    expect(() => assertServable(readConfig({ LOCAL_MODE: 'true' }))).not.toThrow();
    expect(() => assertServable(readConfig(PRODUCTION))).not.toThrow();
  });

  it('local mode listens on the loopback interface only; otherwise 0.0.0.0 or HOST', () => {
    expect(readConfig({ LOCAL_MODE: 'true' }).host).toBe('127.0.0.1');
    expect(readConfig({ LOCAL_MODE: 'true', HOST: '::1' }).host).toBe('::1');
    expect(configError({ LOCAL_MODE: 'true', HOST: '0.0.0.0' }).message).toMatch(/HOST: local mode/);
    expect(configError({ LOCAL_MODE: 'true', HOST: '10.0.0.5' }).message).toMatch(/HOST/);
    expect(readConfig(PRODUCTION).host).toBe('0.0.0.0');
    expect(readConfig({ ...PRODUCTION, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });
});

describe('tenants', () => {
  it('production needs the allowed tenants: MicrosoftAppTenantId or ALLOWED_TENANT_IDS', () => {
    const multi = { ...PRODUCTION, MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' };
    expect(configError(multi).message).toMatch(/ALLOWED_TENANT_IDS: NODE_ENV=production needs/);
    const config = readConfig({
      ...multi,
      ALLOWED_TENANT_IDS: `${TENANT_ID}, ${OTHER_TENANT.toUpperCase()}`,
    });
    expect(config.allowedTenantIds).toEqual([TENANT_ID, OTHER_TENANT]);
  });

  it('the list is the app’s own tenant and ALLOWED_TENANT_IDS together', () => {
    expect(readConfig({ ...PRODUCTION, ALLOWED_TENANT_IDS: OTHER_TENANT }).allowedTenantIds).toEqual([
      OTHER_TENANT,
      TENANT_ID,
    ]);
    expect(readConfig({}).allowedTenantIds).toEqual([]);
  });

  it('refuses a tenant that is not a GUID', () => {
    expect(configError({ ALLOWED_TENANT_IDS: `${TENANT_ID},contoso` }).message).toContain(
      'ALLOWED_TENANT_IDS: "contoso" is not a tenant id',
    );
  });

  it('the tab’s sign-in tenant must be one of the allowed tenants', () => {
    const tab = { TAB_SSO_AUDIENCE: `api://records.council.example/${APP_ID}` };
    expect(readConfig({ ...PRODUCTION, ...tab, TAB_SSO_TENANT_ID: TENANT_ID }).tab.sso?.tenantId).toBe(
      TENANT_ID,
    );
    expect(configError({ ...PRODUCTION, ...tab, TAB_SSO_TENANT_ID: OTHER_TENANT }).message).toContain(
      'TAB_SSO_TENANT_ID: must be one of the allowed tenants',
    );
  });
});

describe('keys and addresses in production', () => {
  it('production needs an audit key; elsewhere the development key is used, and said to be', () => {
    expect(configError({ ...PRODUCTION, AUDIT_KEY: '' }).message).toMatch(/AUDIT_KEY: NODE_ENV=production/);
    expect(readConfig({ LOCAL_MODE: 'true' }).audit.developmentKey).toBe(true);
  });

  it.each([
    ['short', 'abcdefghijklmnopqrstuvwxyz012', /must be at least 32 characters/],
    ['one-character', 'k'.repeat(40), /too easy to guess/],
    ['few-character', 'abab'.repeat(10), /too easy to guess/],
    ['carriage-return-ended', `${TEST_SECRETS.AUDIT_KEY}\r`, /stray whitespace or a carriage return/],
  ])('a %s key is refused, for AUDIT_KEY and DOWNLOAD_SIGNING_KEY', (_label, key, problem) => {
    expect(configError({ ...PRODUCTION, AUDIT_KEY: key }).message).toMatch(
      new RegExp(`AUDIT_KEY: .*${problem.source}`),
    );
    expect(configError({ ...PRODUCTION, DOWNLOAD_SIGNING_KEY: key }).message).toMatch(
      new RegExp(`DOWNLOAD_SIGNING_KEY: .*${problem.source}`),
    );
  });

  it('PUBLIC_BASE_URL is required in production, and must be https there', () => {
    expect(configError({ ...PRODUCTION, PUBLIC_BASE_URL: '' }).message).toMatch(
      /PUBLIC_BASE_URL: NODE_ENV=production needs/,
    );
    expect(configError({ ...PRODUCTION, PUBLIC_BASE_URL: 'http://records.council.example' }).message).toMatch(
      /PUBLIC_BASE_URL: must be an https address in production/,
    );
    expect(readConfig({ LOCAL_MODE: 'true', PUBLIC_BASE_URL: 'http://127.0.0.1:3978' }).publicBaseUrl).toBe(
      'http://127.0.0.1:3978',
    );
  });

  it('AUDIT_HEAD_FILE is read relative to the repository, defaulting to data/audit-head.json', () => {
    expect(readConfig({ AUDIT_HEAD_FILE: 'var/head.json' }).audit.headFile).toBe(
      path.join(REPO_ROOT, 'var/head.json'),
    );
    expect(readConfig({ AUDIT_HEAD_FILE: '/srv/anchor/head.json' }).audit.headFile).toBe(
      '/srv/anchor/head.json',
    );
  });

  it('DATABASE_OWNER_URL is for PostgreSQL, on the same server and database', () => {
    const pg = { DATABASE_URL: 'postgres://app@db.example:5432/records' };
    expect(
      readConfig({ ...pg, DATABASE_OWNER_URL: 'postgres://owner@db.example:5432/records' }).databaseOwnerUrl,
    ).toBe('postgres://owner@db.example:5432/records');
    expect(configError({ DATABASE_OWNER_URL: 'postgres://owner@db.example/records' }).message).toMatch(
      /DATABASE_OWNER_URL: is for PostgreSQL only/,
    );
    expect(
      configError({ ...pg, DATABASE_OWNER_URL: 'postgres://owner@db.example:5432/other' }).message,
    ).toMatch(/DATABASE_OWNER_URL: must name the same server and database/);
  });

  it('MAX_CONCURRENT_DOWNLOADS defaults to 4 and takes 1 to 64', () => {
    expect(readConfig({}).downloads.maxConcurrent).toBe(4);
    expect(readConfig({ MAX_CONCURRENT_DOWNLOADS: '2' }).downloads.maxConcurrent).toBe(2);
    expect(configError({ MAX_CONCURRENT_DOWNLOADS: '0' }).message).toContain('MAX_CONCURRENT_DOWNLOADS');
  });
});
