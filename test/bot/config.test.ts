import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';

const APP_ID = '99999999-8888-4777-8666-555555555555';
const TENANT_ID = '11111111-2222-3333-4444-555555555555';

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
    const config = readConfig({
      NODE_ENV: 'production',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT_ID,
      DOWNLOAD_SIGNING_KEY: 'k'.repeat(32),
    });
    expect(config.production).toBe(true);
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
    const config = readConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' });
    expect(config.bot).toMatchObject({ appId: APP_ID, appType: 'MultiTenant', tenantId: null });
    expect(config.production).toBe(false);
  });

  it('local mode (no app id) has no bot credentials and the documented defaults', () => {
    const config = readConfig({});
    expect(config.bot).toBeNull();
    expect(config.production).toBe(false);
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
    expect(() =>
      readConfig({
        NODE_ENV: 'production',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT_ID,
      }),
    ).toThrow(/DOWNLOAD_SIGNING_KEY/);
  });
});
