import { ROLES, type Role } from '../rules/index.js';
import { GUID } from './checks.js';
import type { GraphAuth } from './credentials.js';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

/** The staff directory from Microsoft Entra ID, through Microsoft Graph. */
export interface DirectorySettings {
  auth: GraphAuth;
  /** Where Graph is (`https://graph.microsoft.com/v1.0`). */
  graphBaseUrl: string;
  /** Security groups whose members (nested too) hold each role. */
  roleGroups: Partial<Record<Role, string[]>>;
  /** The app registration whose app roles (values named as the roles) give roles; null for none. */
  appRolesAppId: string | null;
  /** Minutes between scheduled syncs in the server; 0 for none. */
  syncMinutes: number;
  /** A sync that would mark more people as left than this stops and changes nothing. */
  maxLeavers: number;
}

/** The environment variable naming the groups for `role`: GRAPH_GROUPS_RECORDS_MANAGEMENT. */
export function roleGroupVariable(role: Role): string {
  return `GRAPH_GROUPS_${role.toUpperCase()}`;
}

const AUTH_VARIABLES = [
  'GRAPH_CLIENT_SECRET',
  'GRAPH_CLIENT_CERTIFICATE_PATH',
  'GRAPH_MANAGED_IDENTITY',
  'GRAPH_DEV_TOKEN',
] as const;
const OTHER_VARIABLES = [
  'GRAPH_TENANT_ID',
  'GRAPH_CLIENT_ID',
  'GRAPH_BASE_URL',
  'GRAPH_APP_ROLES_APP_ID',
  'DIRECTORY_SYNC_MINUTES',
  'DIRECTORY_MAX_LEAVERS',
  ...ROLES.map(roleGroupVariable),
];

const TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function value(env: NodeJS.ProcessEnv, name: string): string | null {
  const v = env[name]?.trim();
  return v ? v : null;
}

function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  max: number,
  problems: string[],
): number {
  const raw = value(env, name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    problems.push(`${name}: must be a whole number from 0 to ${max}`);
    return fallback;
  }
  return n;
}

/**
 * Reads the Microsoft Graph settings: null when none is given (the directory then comes from the
 * CSV import only). Adds a line to `problems` for each bad or missing setting.
 */
export function readDirectorySettings(
  env: NodeJS.ProcessEnv,
  production: boolean,
  problems: string[],
): DirectorySettings | null {
  const given = AUTH_VARIABLES.filter((name) => value(env, name) !== null);
  if (!given.length) {
    const stray = OTHER_VARIABLES.filter((name) => value(env, name) !== null);
    if (stray.length) {
      problems.push(
        `${stray.join(', ')}: the directory sync also needs Microsoft Graph credentials (GRAPH_CLIENT_SECRET, GRAPH_CLIENT_CERTIFICATE_PATH or GRAPH_MANAGED_IDENTITY)`,
      );
    }
    return null;
  }
  if (given.length > 1)
    problems.push(`${given.join(', ')}: give one way to sign in to Microsoft Graph, not several`);

  const base = value(env, 'GRAPH_BASE_URL') ?? DEFAULT_GRAPH_BASE_URL;
  let url: URL | null = null;
  try {
    url = new URL(base);
  } catch {
    problems.push('GRAPH_BASE_URL: is not a URL');
  }
  const loopback = url !== null && LOOPBACK.has(url.hostname);
  if (url && url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && !production)) {
    problems.push(
      'GRAPH_BASE_URL: must be an https URL (http on this machine is for a local fake Graph only)',
    );
  }

  const tenantId = value(env, 'GRAPH_TENANT_ID');
  const clientId = value(env, 'GRAPH_CLIENT_ID');
  const needApp = (how: string) => {
    if (!tenantId || !TENANT.test(tenantId)) {
      problems.push(`GRAPH_TENANT_ID: ${how} needs the tenant id (a GUID) or its domain`);
    }
    if (!clientId || !GUID.test(clientId)) {
      problems.push(`GRAPH_CLIENT_ID: ${how} needs the app registration's client id (a GUID)`);
    }
  };
  let auth: GraphAuth;
  const secret = value(env, 'GRAPH_CLIENT_SECRET');
  const certificatePath = value(env, 'GRAPH_CLIENT_CERTIFICATE_PATH');
  const managed = value(env, 'GRAPH_MANAGED_IDENTITY');
  const devToken = value(env, 'GRAPH_DEV_TOKEN');
  if (secret) {
    needApp('GRAPH_CLIENT_SECRET');
    auth = { kind: 'client_secret', tenantId: tenantId ?? '', clientId: clientId ?? '', secret };
  } else if (certificatePath) {
    needApp('GRAPH_CLIENT_CERTIFICATE_PATH');
    auth = { kind: 'certificate', tenantId: tenantId ?? '', clientId: clientId ?? '', certificatePath };
  } else if (managed) {
    if (managed !== 'system' && !GUID.test(managed)) {
      problems.push(
        'GRAPH_MANAGED_IDENTITY: must be "system" (the system-assigned identity) or the client id (a GUID) of a user-assigned identity',
      );
    }
    auth = { kind: 'managed_identity', clientId: managed === 'system' ? null : managed.toLowerCase() };
  } else {
    if (production || !loopback) {
      problems.push(
        'GRAPH_DEV_TOKEN: a fixed token is for a fake Graph on this machine only: never with NODE_ENV=production, and GRAPH_BASE_URL must be on 127.0.0.1 or localhost',
      );
    }
    auth = { kind: 'dev_token', token: devToken ?? '' };
  }

  const roleGroups: Partial<Record<Role, string[]>> = {};
  for (const role of ROLES) {
    const name = roleGroupVariable(role);
    const ids = (value(env, name) ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = ids.filter((id) => !GUID.test(id));
    if (bad.length) problems.push(`${name}: ${bad.join(', ')} is not a group object id (a GUID)`);
    if (ids.length) roleGroups[role] = [...new Set(ids.map((id) => id.toLowerCase()))];
  }
  const appRolesAppId = value(env, 'GRAPH_APP_ROLES_APP_ID');
  if (appRolesAppId && !GUID.test(appRolesAppId)) {
    problems.push("GRAPH_APP_ROLES_APP_ID: must be the app registration's client id (a GUID)");
  }
  if (!Object.keys(roleGroups).length && !appRolesAppId) {
    problems.push(
      `${ROLES.map(roleGroupVariable).join(', ')} or GRAPH_APP_ROLES_APP_ID: the directory sync needs to know where roles come from (security groups or app roles)`,
    );
  }

  return {
    auth,
    graphBaseUrl: url ? base.replace(/\/+$/, '') : DEFAULT_GRAPH_BASE_URL,
    roleGroups,
    appRolesAppId: appRolesAppId?.toLowerCase() ?? null,
    syncMinutes: wholeNumber(env, 'DIRECTORY_SYNC_MINUTES', 60, 24 * 60, problems),
    maxLeavers: wholeNumber(env, 'DIRECTORY_MAX_LEAVERS', 25, 100_000, problems),
  };
}
