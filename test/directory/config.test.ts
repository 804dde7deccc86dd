import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';
import { createCredential } from '../../src/directory/credentials.js';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import { TEST_SECRETS } from '../support/bot-harness.js';

// The Microsoft Graph settings: read and checked at start, like every other setting.

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '0a1b2c3d-0000-4000-8000-00000000ab01';
const GROUP = '4e1d7c20-0003-4f3a-9b8e-0000000000c3';
const APP = {
  GRAPH_TENANT_ID: TENANT,
  GRAPH_CLIENT_ID: CLIENT,
  GRAPH_CLIENT_SECRET: 'secret-value',
  GRAPH_GROUPS_RECORDS_MANAGEMENT: GROUP,
};

function problems(env: Record<string, string>): string[] {
  try {
    readConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^ {2}- /, ''));
  }
}

describe('directory settings', () => {
  it('are off without Graph credentials: the directory comes from the CSV import', () => {
    expect(readConfig({}).directory).toBeNull();
  });

  it('with a client secret: the defaults, and roles from groups', () => {
    expect(
      readConfig({ ...APP, GRAPH_GROUPS_CASE_WORKER: ` ${GROUP.toUpperCase()} , ${GROUP}` }).directory,
    ).toEqual({
      auth: { kind: 'client_secret', tenantId: TENANT, clientId: CLIENT, secret: 'secret-value' },
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      roleGroups: { case_worker: [GROUP], records_management: [GROUP] },
      appRolesAppId: null,
      syncMinutes: 60,
      maxLeavers: 25,
    });
  });

  it('certificate, managed identity, app roles, interval and limits', () => {
    const { GRAPH_CLIENT_SECRET: _secret, ...app } = APP;
    expect(
      readConfig({ ...app, GRAPH_CLIENT_CERTIFICATE_PATH: '/etc/records/graph.pem' }).directory?.auth,
    ).toEqual({
      kind: 'certificate',
      tenantId: TENANT,
      clientId: CLIENT,
      certificatePath: '/etc/records/graph.pem',
    });
    const managed = readConfig({
      GRAPH_MANAGED_IDENTITY: 'system',
      GRAPH_APP_ROLES_APP_ID: CLIENT,
      DIRECTORY_SYNC_MINUTES: '0',
      DIRECTORY_MAX_LEAVERS: '100',
    }).directory;
    expect(managed).toMatchObject({
      auth: { kind: 'managed_identity', clientId: null },
      appRolesAppId: CLIENT,
      roleGroups: {},
      syncMinutes: 0,
      maxLeavers: 100,
    });
    expect(
      readConfig({ GRAPH_MANAGED_IDENTITY: CLIENT.toUpperCase(), GRAPH_APP_ROLES_APP_ID: CLIENT }).directory
        ?.auth,
    ).toEqual({ kind: 'managed_identity', clientId: CLIENT });
  });

  it('each way to sign in makes the matching @azure/identity credential', () => {
    expect(
      createCredential({ kind: 'client_secret', tenantId: TENANT, clientId: CLIENT, secret: 's' }),
    ).toBeInstanceOf(ClientSecretCredential);
    expect(
      createCredential({
        kind: 'certificate',
        tenantId: TENANT,
        clientId: CLIENT,
        certificatePath: '/x.pem',
      }),
    ).toBeInstanceOf(ClientCertificateCredential);
    expect(createCredential({ kind: 'managed_identity', clientId: null })).toBeInstanceOf(
      ManagedIdentityCredential,
    );
  });

  it('bad or missing settings stop start-up, each named', () => {
    expect(problems({ GRAPH_GROUPS_CASE_WORKER: GROUP })).toEqual([
      'GRAPH_GROUPS_CASE_WORKER: the directory sync also needs Microsoft Graph credentials (GRAPH_CLIENT_SECRET, GRAPH_CLIENT_CERTIFICATE_PATH or GRAPH_MANAGED_IDENTITY)',
    ]);
    expect(problems({ GRAPH_CLIENT_SECRET: 'x' })).toEqual([
      'GRAPH_TENANT_ID: GRAPH_CLIENT_SECRET needs the tenant id (a GUID) or its domain',
      "GRAPH_CLIENT_ID: GRAPH_CLIENT_SECRET needs the app registration's client id (a GUID)",
      'GRAPH_GROUPS_CASE_WORKER, GRAPH_GROUPS_LINE_MANAGER, GRAPH_GROUPS_RECORDS_MANAGEMENT or GRAPH_APP_ROLES_APP_ID: the directory sync needs to know where roles come from (security groups or app roles)',
    ]);
    expect(
      problems({
        ...APP,
        GRAPH_MANAGED_IDENTITY: 'yes',
        GRAPH_GROUPS_CASE_WORKER: 'case workers',
        GRAPH_BASE_URL: 'http://graph.council.example/v1.0',
        DIRECTORY_SYNC_MINUTES: '-5',
      }),
    ).toEqual([
      'GRAPH_CLIENT_SECRET, GRAPH_MANAGED_IDENTITY: give one way to sign in to Microsoft Graph, not several',
      'GRAPH_BASE_URL: must be an https URL (http on this machine is for a local fake Graph only)',
      'GRAPH_GROUPS_CASE_WORKER: case workers is not a group object id (a GUID)',
      'DIRECTORY_SYNC_MINUTES: must be a whole number from 0 to 1440',
    ]);
  });

  it('a fixed development token is for a fake Graph on this machine only', () => {
    const fake = {
      GRAPH_DEV_TOKEN: 't',
      GRAPH_BASE_URL: 'http://127.0.0.1:5990/v1.0',
      GRAPH_GROUPS_CASE_WORKER: GROUP,
    };
    expect(readConfig(fake).directory?.auth).toEqual({ kind: 'dev_token', token: 't' });
    const refusal =
      'GRAPH_DEV_TOKEN: a fixed token is for a fake Graph on this machine only: never with NODE_ENV=production, and GRAPH_BASE_URL must be on 127.0.0.1 or localhost';
    expect(problems({ ...fake, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' })).toEqual([refusal]);
    expect(
      problems({
        ...fake,
        // Everything else production needs, so only the Graph settings are refused.
        NODE_ENV: 'production',
        MicrosoftAppId: CLIENT,
        MicrosoftAppPassword: 'p',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        PUBLIC_BASE_URL: 'https://records.council.example',
        ...TEST_SECRETS,
      }),
    ).toEqual([
      'GRAPH_BASE_URL: must be an https URL (http on this machine is for a local fake Graph only)',
      refusal,
    ]);
  });
});
