import { z } from 'zod';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './store/connection.js';
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

/** Every setting the product reads from the environment, read and checked once. */
export interface Config {
  production: boolean;
  port: number;
  databaseUrl: string;
  /** The council's retention schedule file; null for the shipped default. */
  scheduleFile: string | null;
  /** Null in local mode: no inbound authentication. */
  bot: BotCredentials | null;
  /** Where to create a 1:1 chat with someone who has never written to the bot. */
  teamsServiceUrl: string;
  removal: {
    maxDays: number;
    /** Remind the approvers of an undecided request after this many hours, and escalate after twice as many. */
    pendingReminderHours: number;
  };
  /** How often reminders are looked for and queued notifications sent. */
  sweepSeconds: number;
  /** The address people's browsers reach the server at, for download links. */
  publicBaseUrl: string;
  /** Signs download links; null means a random key per process (one instance only). */
  downloadSigningKey: string | null;
  destruction: {
    /** A second Records Management officer must confirm a destruction batch. */
    twoPersonRule: boolean;
  };
  tab: {
    /** Null when the tab's single sign-on is not set up: every tab API call then gets 401. */
    sso: TabSsoSettings | null;
    /**
     * Local mode only: the aadObjectId the tab acts as when opened outside Teams. Never set
     * together with bot credentials or NODE_ENV=production (readConfig refuses it).
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
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
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
  RETENTION_SCHEDULE_FILE: optionalText,
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalText,
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
  PUBLIC_BASE_URL: z.url().optional(),
  DOWNLOAD_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  DESTRUCTION_TWO_PERSON_RULE: z.enum(['true', 'false']).default('true'),
  TAB_SSO_AUDIENCE: optionalText,
  TAB_SSO_TENANT_ID: optionalText,
  TAB_SSO_JWKS_URL: optionalText,
  TAB_DEV_IDENTITY: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Env = z.output<typeof envSchema>;

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

function tabSso(env: Env, production: boolean, problems: string[]): TabSsoSettings | null {
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

function tabDevIdentity(env: Env, production: boolean, problems: string[]): string | null {
  const id = env.TAB_DEV_IDENTITY;
  if (!id) return null;
  if (production || env.MicrosoftAppId) {
    problems.push(
      'TAB_DEV_IDENTITY: a development identity is for local mode only; it can never be used with NODE_ENV=production or with the bot’s app credentials (MicrosoftAppId)',
    );
  }
  if (!GUID.test(id)) problems.push('TAB_DEV_IDENTITY: must be a staff member’s aadObjectId (a GUID)');
  return id.toLowerCase();
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (!parsed.success)
    throw new ConfigError(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const data = parsed.data;
  const production = data.NODE_ENV === 'production';
  const bot = botCredentials(data, problems);
  if (production && !bot) {
    problems.push(
      'MicrosoftAppId: NODE_ENV=production needs the bot’s app credentials (MicrosoftAppId, MicrosoftAppType, MicrosoftAppPassword or a certificate or managed identity, MicrosoftAppTenantId); local mode without authentication is for development only',
    );
  }
  if (production && !data.DOWNLOAD_SIGNING_KEY) {
    problems.push(
      'DOWNLOAD_SIGNING_KEY: NODE_ENV=production needs a key (32+ characters, the same on every instance) to sign download links',
    );
  }
  const tab = {
    sso: tabSso(data, production, problems),
    devIdentity: tabDevIdentity(data, production, problems),
  };
  const directory = readDirectorySettings(env, production, problems);
  if (problems.length)
    throw new ConfigError(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return Object.freeze({
    production,
    port: data.PORT,
    databaseUrl: data.DATABASE_URL,
    scheduleFile: data.RETENTION_SCHEDULE_FILE,
    bot,
    teamsServiceUrl: data.TEAMS_SERVICE_URL,
    removal: { maxDays: data.MAX_REMOVAL_DAYS, pendingReminderHours: data.PENDING_REMINDER_HOURS },
    sweepSeconds: data.SWEEP_SECONDS,
    publicBaseUrl: data.PUBLIC_BASE_URL ?? `http://localhost:${data.PORT}`,
    downloadSigningKey: data.DOWNLOAD_SIGNING_KEY ?? null,
    destruction: { twoPersonRule: data.DESTRUCTION_TWO_PERSON_RULE === 'true' },
    tab,
    logLevel: data.LOG_LEVEL,
    directory,
  });
}
