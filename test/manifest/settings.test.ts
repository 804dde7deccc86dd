import { describe, expect, it } from 'vitest';
import { readPackageSettings, type SettingsResult } from '../../src/manifest/index.js';
import { GOOD_ENV } from './helpers.js';

const read = (env: Record<string, string | undefined>, appVersion = '0.1.0'): SettingsResult =>
  readPackageSettings(env, { appVersion });

function problems(env: Record<string, string | undefined>): string[] {
  const result = read(env);
  if (result.ok) throw new Error('expected the settings to be refused');
  return result.problems;
}

describe('package settings', () => {
  it('reads the ids and the domain, and defaults the rest from them', () => {
    const result = read({ ...GOOD_ENV, MicrosoftAppId: GOOD_ENV.MicrosoftAppId?.toUpperCase() });
    expect(result).toMatchObject({
      ok: true,
      settings: {
        teamsAppId: GOOD_ENV.TEAMS_APP_ID,
        botId: GOOD_ENV.MicrosoftAppId,
        tabDomain: 'records.council.example',
        aadAppId: GOOD_ENV.MicrosoftAppId,
        tabAppIdUri: `api://records.council.example/${GOOD_ENV.MicrosoftAppId}`,
        appVersion: '0.1.0',
        developer: {
          name: "Council Children's Services",
          websiteUrl: 'https://records.council.example/',
          privacyUrl: 'https://records.council.example/privacy',
          termsOfUseUrl: 'https://records.council.example/terms',
        },
      },
    });
    expect(result.ok && result.notes.map((n) => n.split(' ')[0])).toEqual([
      'DEVELOPER_NAME',
      'DEVELOPER_WEBSITE_URL',
      'DEVELOPER_PRIVACY_URL',
      'DEVELOPER_TERMS_URL',
    ]);
  });

  it('takes the developer details, version and SSO app when given', () => {
    const result = read({
      ...GOOD_ENV,
      APP_VERSION: '2.0.1',
      AAD_APP_ID: '0b5e1c7d-3a9f-4e2b-8c6d-1f0e9d8c7b6a',
      DEVELOPER_NAME: 'Northshire County Council',
      DEVELOPER_WEBSITE_URL: 'https://www.northshire.example',
      DEVELOPER_PRIVACY_URL: 'https://www.northshire.example/privacy',
      DEVELOPER_TERMS_URL: 'https://www.northshire.example/terms',
    });
    expect(result).toMatchObject({
      ok: true,
      notes: [],
      settings: {
        appVersion: '2.0.1',
        aadAppId: '0b5e1c7d-3a9f-4e2b-8c6d-1f0e9d8c7b6a',
        tabAppIdUri: 'api://records.council.example/0b5e1c7d-3a9f-4e2b-8c6d-1f0e9d8c7b6a',
        developer: { name: 'Northshire County Council', websiteUrl: 'https://www.northshire.example' },
      },
    });
  });

  it('names every missing variable', () => {
    expect(problems({ TAB_DOMAIN: '  ' })).toEqual([
      expect.stringMatching(/^TEAMS_APP_ID: is not set/),
      expect.stringMatching(/^MicrosoftAppId: is not set/),
      expect.stringMatching(/^TAB_DOMAIN: is not set/),
    ]);
  });

  it.each([
    ['https://records.council.example', /^TAB_DOMAIN: give the host name only, without "https:\/\/"/],
    ['records.council.example/tab', /^TAB_DOMAIN: give the host name only, without a path/],
    ['records.council.example:8443', /^TAB_DOMAIN: give the host name only, without a port/],
    ['records', /^TAB_DOMAIN: must be a fully qualified host name/],
    ['bad_host.example', /^TAB_DOMAIN: must be a fully qualified host name/],
    ['10.0.0.1', /^TAB_DOMAIN: must be a fully qualified host name/],
  ])('refuses TAB_DOMAIN=%s', (value, message) => {
    expect(problems({ ...GOOD_ENV, TAB_DOMAIN: value })).toEqual([expect.stringMatching(message)]);
  });

  it('refuses ids that are not GUIDs, naming each', () => {
    expect(problems({ ...GOOD_ENV, TEAMS_APP_ID: 'case-records', AAD_APP_ID: '1234' })).toEqual([
      'TEAMS_APP_ID: must be a GUID like 00000000-0000-0000-0000-000000000000, not "case-records"',
      'AAD_APP_ID: must be a GUID like 00000000-0000-0000-0000-000000000000, not "1234"',
    ]);
    expect(problems({ ...GOOD_ENV, MicrosoftAppId: 'not-a-guid' })).toEqual([
      expect.stringMatching(/^MicrosoftAppId: must be a GUID/),
    ]);
  });

  it('refuses a version Teams does not take, and http developer addresses', () => {
    expect(
      problems({
        ...GOOD_ENV,
        APP_VERSION: '1.0.0-beta.1',
        DEVELOPER_PRIVACY_URL: 'http://council.example/privacy',
      }),
    ).toEqual([
      expect.stringMatching(/^APP_VERSION: must be MAJOR\.MINOR\.PATCH/),
      'DEVELOPER_PRIVACY_URL: must be an https:// address, not "http://council.example/privacy"',
    ]);
    expect(read(GOOD_ENV, '1.0').ok).toBe(false);
    expect(problems({ ...GOOD_ENV, DEVELOPER_NAME: 'x'.repeat(33) })).toEqual([
      'DEVELOPER_NAME: must be at most 32 characters',
    ]);
    expect(problems({ ...GOOD_ENV, TAB_APP_ID_URI: 'https://records.council.example' })).toEqual([
      expect.stringMatching(/^TAB_APP_ID_URI: must be an Application ID URI/),
    ]);
  });
});
