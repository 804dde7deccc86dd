import path from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from './repo-root.js';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './store/connection.js';
import { DEVELOPMENT_AUDIT_KEY } from './store/audit.js';
import { readDirectorySettings, type DirectorySettings } from './directory/config.js';

/** Bot Framework credentials; absent in local mode (playground and tests). */
export interface BotCredentials {
  appId: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  password: string | null;
  tenantId: string | null;
  certificateThumbprint: string | null;
  certificatePrivateKey: string | null;
}

/** How the personal tab's API checks the Teams SSO token (Entra ID access token for the tab's app). */
export interface TabSsoSettings {
  /** The Entra tenant whose users may use the tab; the token's issuer and `tid` are pinned to it. */
  tenantId: string;
  /** Accepted `aud` values: the tab's Application ID URI (api://…) and/or its client id. */
  audiences: string[];
  /** Where the tenant's signing keys are published (JWKS). */
  jwksUrl: string;
}

/** How the audit log is keyed and where its chain head is kept outside the database. */
export interface AuditConfig {
  /** The secret every entry's HMAC is made with (AUDIT_KEY). */
  key: string;
  /** True when AUDIT_KEY is unset and the built-in development key is used (never in production). */
  developmentKey: boolean;
  /** Where the chain head is written after every append (AUDIT_HEAD_FILE). */
  headFile: string;
}

export type NodeEnv = 'development' | 'test' | 'production';

/** Every setting the product reads from the environment, read and checked once. */
export interface Config {
  nodeEnv: NodeEnv;
  production: boolean;
  /**
   * LOCAL_MODE=true: no bot credentials and no inbound authentication, for the Agents Playground,
   * the demo and tests. The server then listens on the loopback interface only.
   */
  localMode: boolean;
  /** The interface the server listens on. */
  host: string;
  port: number;
  databaseUrl: string;
  /** PostgreSQL: the tables' owner, used only to migrate the schema and grant the app its rights. */
  databaseOwnerUrl: string | null;
  /** The council's retention schedule file; null for the shipped default. */
  scheduleFile: string | null;
  /** The council's schedule for the product's own data; null for the shipped default. */
  ownDataScheduleFile: string | null;
  purge: {
    /** Minutes between the server's purges of expired own data; 0 for none. */
    minutes: number;
  };
  /** Null in local mode: no inbound authentication. */
  bot: BotCredentials | null;
  /**
   * The Entra tenants whose people may use the bot and the tab (lower case). Empty only outside
   * production, where any tenant is accepted.
   */
  allowedTenantIds: readonly string[];
  /** Where to create a 1:1 chat with someone who has never written to the bot. */
  teamsServiceUrl: string;
  removal: {
    maxDays: number;
    /** Remind the approvers of an undecided request after this many hours, and escalate after twice as many. */
    pendingReminderHours: number;
  };
  /** How often reminders are looked for and queued notifications sent. */
  sweepSeconds: number;
  /** Cases one person may look up in any hour (retention status, removal forms); more are refused. */
  caseLookupsPerHour: number;
  /** The address people's browsers reach the server at, for download links. */
  publicBaseUrl: string;
  /** Signs download links; null means a random key per process (one instance only). */
  downloadSigningKey: string | null;
  downloads: {
    /** Register exports and certificates built at once on this instance; more get 503. */
    maxConcurrent: number;
  };
  audit: AuditConfig;
  destruction: {
    /** A second Records Management officer must confirm a destruction batch. */
    twoPersonRule: boolean;
  };
  tab: {
    /** Null when the tab's single sign-on is not set up: every tab API call then gets 401. */
    sso: TabSsoSettings | null;
    /**
     * Local mode only: the aadObjectId the tab's persona picker starts as, opened outside Teams.
     * readConfig refuses it without LOCAL_MODE=true.
     */
    devIdentity: string | null;
  };
  logLevel: string;
  /** The staff directory from Microsoft Entra ID through Microsoft Graph; null: CSV import only. */
  directory: DirectorySettings | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : null));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: optionalText,
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .superRefine((url, ctx) => {
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  DATABASE_OWNER_URL: optionalText,
  RETENTION_SCHEDULE_FILE: optionalText,
  OWN_DATA_SCHEDULE_FILE: optionalText,
  PURGE_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalText,
  ALLOWED_TENANT_IDS: optionalText,
  CertificateThumbprint: optionalText,
  CertificatePrivateKey: optionalText,
  TEAMS_SERVICE_URL: z.url().default('https://smba.trafficmanager.net/teams/'),
  MAX_REMOVAL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  PENDING_REMINDER_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 14)
    .default(24),
  SWEEP_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  CASE_LOOKUPS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(60),
  PUBLIC_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  MAX_CONCURRENT_DOWNLOADS: z.coerce.number().int().min(1).max(64).default(4),
  DESTRUCTION_TWO_PERSON_RULE: z.enum(['true', 'false']).default('true'),
  AUDIT_HEAD_FILE: optionalText,
  TAB_SSO_AUDIENCE: optionalText,
  TAB_SSO_TENANT_ID: optionalText,
  TAB_SSO_JWKS_URL: optionalText,
  TAB_DEV_IDENTITY: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Env = z.output<typeof envSchema>;

/** A value as it would be written in an env file, control characters shown ("production\r"). */
const shown = (value: string) => JSON.stringify(value);

/**
 * A setting that must be one of a few words, exactly. A value with stray spaces or a carriage
 * return (an env file saved with Windows line endings) is refused with a message saying so, rather
 * than silently read as something else.
 */
function exactly<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: T,
  problems: string[],
): T {
  if (raw === undefined || raw === '') return fallback;
  const choices = `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
  if (raw !== raw.trim()) {
    problems.push(
      `${name}: ${shown(raw)} has stray whitespace or a carriage return (an env file saved with Windows line endings?); set it to exactly ${choices}`,
    );
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(raw)) {
    problems.push(`${name}: must be exactly ${choices} (got ${shown(raw)})`);
    return fallback;
  }
  return raw as T;
}

/** Problems with a secret key: long enough, nothing around it, not a placeholder. */
function keyProblem(name: string, value: string): string | null {
  if (value !== value.trim())
    return `${name}: has stray whitespace or a carriage return around it; remove it (an env file saved with Windows line endings?)`;
  if (value.length < 32) return `${name}: must be at least 32 characters`;
  if (new Set(value).size < 8)
    return `${name}: is too easy to guess (it repeats a few characters); use a random value such as the output of "openssl rand -base64 48"`;
  return null;
}

function secretKey(name: string, raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined || raw === '') return null;
  const problem = keyProblem(name, raw);
  if (problem) problems.push(problem);
  return raw;
}

function botCredentials(env: Env, problems: string[]): BotCredentials | null {
  const anyCredential =
    env.MicrosoftAppPassword ||
    env.MicrosoftAppTenantId ||
    env.CertificateThumbprint ||
    env.CertificatePrivateKey;
  if (!env.MicrosoftAppId) {
    if (anyCredential)
      problems.push('MicrosoftAppId: is required when other Microsoft app settings are given');
    return null;
  }
  const appType = env.MicrosoftAppType ?? 'MultiTenant';
  const cert = env.CertificateThumbprint || env.CertificatePrivateKey;
  if (cert && !(env.CertificateThumbprint && env.CertificatePrivateKey)) {
    problems.push('CertificateThumbprint and CertificatePrivateKey: give both or neither');
  }
  if (appType === 'UserAssignedMSI') {
    if (env.MicrosoftAppPassword) problems.push('MicrosoftAppPassword: must be empty for a managed identity');
    if (!env.MicrosoftAppTenantId) problems.push('MicrosoftAppTenantId: is required for a managed identity');
  } else {
    if (!env.MicrosoftAppPassword && !cert) {
      problems.push(`MicrosoftAppPassword: is required for ${appType} (or a certificate)`);
    }
    if (appType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
      problems.push('MicrosoftAppTenantId: is required for SingleTenant');
    }
  }
  return {
    appId: env.MicrosoftAppId,
    appType,
    password: env.MicrosoftAppPassword,
    tenantId: env.MicrosoftAppTenantId,
    certificateThumbprint: env.CertificateThumbprint,
    certificatePrivateKey: env.CertificatePrivateKey,
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenants whose activities and sign-ins are accepted: ALLOWED_TENANT_IDS and the app's own. */
function allowedTenants(env: Env, production: boolean, problems: string[]): string[] {
  const listed = (env.ALLOWED_TENANT_IDS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of listed) {
    if (!GUID.test(t)) problems.push(`ALLOWED_TENANT_IDS: "${t}" is not a tenant id (a GUID)`);
  }
  if (env.MicrosoftAppTenantId && !GUID.test(env.MicrosoftAppTenantId))
    problems.push('MicrosoftAppTenantId: must be the tenant id (a GUID)');
  const tenants = [...new Set([...listed, ...(env.MicrosoftAppTenantId ? [env.MicrosoftAppTenantId] : [])])]
    .filter((t) => GUID.test(t))
    .map((t) => t.toLowerCase());
  if (production && !tenants.length) {
    problems.push(
      'ALLOWED_TENANT_IDS: NODE_ENV=production needs the Microsoft Entra tenants whose staff may use the bot: set ALLOWED_TENANT_IDS (tenant ids, comma-separated) or MicrosoftAppTenantId',
    );
  }
  return tenants;
}

function tabSso(
  env: Env,
  production: boolean,
  tenants: readonly string[],
  problems: string[],
): TabSsoSettings | null {
  const audience = env.TAB_SSO_AUDIENCE;
  const tenantId = env.TAB_SSO_TENANT_ID;
  if (!audience && !tenantId) {
    if (env.TAB_SSO_JWKS_URL) problems.push('TAB_SSO_JWKS_URL: needs TAB_SSO_AUDIENCE and TAB_SSO_TENANT_ID');
    return null;
  }
  if (!audience || !tenantId) {
    problems.push('TAB_SSO_AUDIENCE and TAB_SSO_TENANT_ID: give both or neither');
    return null;
  }
  const audiences = [...new Set(audience.split(',').map((a) => a.trim()))].filter(Boolean);
  for (const a of audiences) {
    if (!a.startsWith('api://') && !GUID.test(a)) {
      problems.push(
        `TAB_SSO_AUDIENCE: "${a}" is neither an Application ID URI (api://…) nor a client id (a GUID)`,
      );
    }
  }
  if (!GUID.test(tenantId)) problems.push('TAB_SSO_TENANT_ID: must be the tenant id (a GUID)');
  else if (tenants.length && !tenants.includes(tenantId.toLowerCase()))
    problems.push(
      'TAB_SSO_TENANT_ID: must be one of the allowed tenants (ALLOWED_TENANT_IDS or MicrosoftAppTenantId)',
    );
  const jwksUrl =
    env.TAB_SSO_JWKS_URL ??
    `https://login.microsoftonline.com/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`;
  let url: URL | null = null;
  try {
    url = new URL(jwksUrl);
  } catch {
    problems.push('TAB_SSO_JWKS_URL: is not a URL');
  }
  if (url && url.protocol !== 'https:' && (production || url.protocol !== 'http:')) {
    problems.push('TAB_SSO_JWKS_URL: must be an https URL (http is allowed for local tests only)');
  }
  return { tenantId: tenantId.toLowerCase(), audiences, jwksUrl };
}

function tabDevIdentity(env: Env, localMode: boolean, problems: string[]): string | null {
  const id = env.TAB_DEV_IDENTITY;
  if (!id) return null;
  if (!localMode) {
    problems.push(
      'TAB_DEV_IDENTITY: a development identity is for local mode only (LOCAL_MODE=true, without the bot’s app credentials and never with NODE_ENV=production)',
    );
  }
  if (!GUID.test(id)) problems.push('TAB_DEV_IDENTITY: must be a staff member’s aadObjectId (a GUID)');
  return id.toLowerCase();
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

function listenHost(env: Env, localMode: boolean, problems: string[]): string {
  const host = env.HOST;
  if (localMode) {
    if (host && !LOOPBACK_HOSTS.has(host))
      problems.push(
        `HOST: local mode answers unauthenticated requests, so it listens on the loopback interface only (127.0.0.1 or ::1), not "${host}"`,
      );
    return host && LOOPBACK_HOSTS.has(host) ? host : '127.0.0.1';
  }
  return host ?? '0.0.0.0';
}

function publicBaseUrl(env: Env, production: boolean, problems: string[]): string {
  const url = env.PUBLIC_BASE_URL;
  if (production) {
    if (!url)
      problems.push(
        'PUBLIC_BASE_URL: NODE_ENV=production needs the https address people reach the server at (for download links)',
      );
    else if (new URL(url).protocol !== 'https:')
      problems.push(
        'PUBLIC_BASE_URL: must be an https address in production: download links carry signatures',
      );
  }
  return url ?? `http://localhost:${env.PORT}`;
}

function ownerUrl(env: Env, problems: string[]): string | null {
  const owner = env.DATABASE_OWNER_URL;
  if (!owner) return null;
  let parsed: ReturnType<typeof parseDatabaseUrl>;
  try {
    parsed = parseDatabaseUrl(owner);
  } catch (error) {
    problems.push(`DATABASE_OWNER_URL: ${(error as Error).message.replace(/^DATABASE_URL/, 'it')}`);
    return null;
  }
  const app = parseDatabaseUrl(env.DATABASE_URL);
  if (parsed.dialect !== 'postgres' || app.dialect !== 'postgres') {
    problems.push('DATABASE_OWNER_URL: is for PostgreSQL only, with a postgres:// DATABASE_URL');
    return null;
  }
  const a = new URL(app.url);
  const o = new URL(parsed.url);
  if (a.host !== o.host || a.pathname !== o.pathname)
    problems.push('DATABASE_OWNER_URL: must name the same server and database as DATABASE_URL');
  return owner;
}

function auditSettings(
  raw: Env,
  env: NodeJS.ProcessEnv,
  mustHaveKey: boolean,
  problems: string[],
): AuditConfig {
  const key = secretKey('AUDIT_KEY', env.AUDIT_KEY, problems);
  if (!key && mustHaveKey) {
    problems.push(
      'AUDIT_KEY: NODE_ENV=production (or running with the bot’s app credentials) needs the secret the audit log is keyed with: 32 or more random characters, the same on every instance and for the command line, kept outside the database',
    );
  }
  return {
    key: key ?? DEVELOPMENT_AUDIT_KEY,
    developmentKey: !key,
    headFile: path.resolve(REPO_ROOT, raw.AUDIT_HEAD_FILE ?? 'data/audit-head.json'),
  };
}

function fail(problems: readonly string[]): never {
  throw new ConfigError(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const data = parsed.data;
  const problems: string[] = [];
  const nodeEnv = exactly<NodeEnv>(
    'NODE_ENV',
    env.NODE_ENV,
    ['development', 'test', 'production'],
    'development',
    problems,
  );
  const localMode = exactly('LOCAL_MODE', env.LOCAL_MODE, ['true', 'false'], 'false', problems) === 'true';
  const production = nodeEnv === 'production';
  const bot = botCredentials(data, problems);
  if (production && !bot) {
    problems.push(
      'MicrosoftAppId: NODE_ENV=production needs the bot’s app credentials (MicrosoftAppId, MicrosoftAppType, MicrosoftAppPassword or a certificate or managed identity, MicrosoftAppTenantId); local mode without authentication is for development only',
    );
  }
  if (localMode && production)
    problems.push('LOCAL_MODE: local mode (no authentication) can never be used with NODE_ENV=production');
  if (localMode && bot)
    problems.push(
      'LOCAL_MODE: local mode is for running without the bot’s app credentials; unset LOCAL_MODE, or unset MicrosoftAppId and the other Microsoft app settings',
    );
  const downloadSigningKey = secretKey('DOWNLOAD_SIGNING_KEY', env.DOWNLOAD_SIGNING_KEY, problems);
  if (production && !downloadSigningKey) {
    problems.push(
      'DOWNLOAD_SIGNING_KEY: NODE_ENV=production needs a key (32+ random characters, the same on every instance) to sign download links',
    );
  }
  const tenants = allowedTenants(data, production, problems);
  const tab = {
    sso: tabSso(data, production, tenants, problems),
    devIdentity: tabDevIdentity(data, localMode && !production && !bot, problems),
  };
  const directory = readDirectorySettings(env, production, problems);
  const config: Config = {
    nodeEnv,
    production,
    localMode,
    host: listenHost(data, localMode, problems),
    port: data.PORT,
    databaseUrl: data.DATABASE_URL,
    databaseOwnerUrl: ownerUrl(data, problems),
    scheduleFile: data.RETENTION_SCHEDULE_FILE,
    ownDataScheduleFile: data.OWN_DATA_SCHEDULE_FILE,
    purge: { minutes: data.PURGE_MINUTES },
    bot,
    allowedTenantIds: tenants,
    teamsServiceUrl: data.TEAMS_SERVICE_URL,
    removal: { maxDays: data.MAX_REMOVAL_DAYS, pendingReminderHours: data.PENDING_REMINDER_HOURS },
    sweepSeconds: data.SWEEP_SECONDS,
    caseLookupsPerHour: data.CASE_LOOKUPS_PER_HOUR,
    publicBaseUrl: publicBaseUrl(data, production, problems),
    downloadSigningKey,
    downloads: { maxConcurrent: data.MAX_CONCURRENT_DOWNLOADS },
    audit: auditSettings(data, env, production || bot !== null, problems),
    destruction: { twoPersonRule: data.DESTRUCTION_TWO_PERSON_RULE === 'true' },
    tab,
    logLevel: data.LOG_LEVEL,
    directory,
  };
  if (problems.length) fail(problems);
  return Object.freeze(config);
}

/**
 * What a server needs beyond a valid configuration: the bot's credentials, or local mode asked for
 * by name. Without either it refuses to start (the command-line tool needs neither).
 */
export function assertServable(config: Readonly<Config>): void {
  if (config.bot || config.localMode) return;
  fail([
    'MicrosoftAppId: the server needs the bot’s app credentials (MicrosoftAppId, MicrosoftAppType, MicrosoftAppPassword or a certificate or managed identity, MicrosoftAppTenantId) to authenticate Teams; or, to try it without Teams (Agents Playground, demo, tests), set LOCAL_MODE=true: no authentication, listening on 127.0.0.1 only',
  ]);
}
