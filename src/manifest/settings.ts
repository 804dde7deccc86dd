import { z } from 'zod';

/**
 * The settings that fill the Teams app manifest template. They are read from environment variables
 * when the app package is built (`npm run package`), not by the running bot; `MicrosoftAppId` is the
 * same variable the bot reads its own id from.
 */
export interface PackageSettings {
  /** The Teams app's own id (a GUID, unique to this app; not the bot's id). */
  teamsAppId: string;
  /** The Azure Bot's Microsoft app id (`MicrosoftAppId`). */
  botId: string;
  /** Where the tab is served: a host name, no scheme, port or path. */
  tabDomain: string;
  /** The Entra app that tab single sign-on issues tokens for (defaults to the bot's app). */
  aadAppId: string;
  /** That Entra app's Application ID URI, `api://<tab domain>/<aad app id>` unless given. */
  tabAppIdUri: string;
  /** The app package version, MAJOR.MINOR.PATCH. */
  appVersion: string;
  developer: {
    name: string;
    websiteUrl: string;
    privacyUrl: string;
    termsOfUseUrl: string;
  };
}

export type SettingsResult =
  { ok: true; settings: PackageSettings; notes: string[] } | { ok: false; problems: string[] };

/** Every variable the package build reads, with what it means (for messages and the README). */
export const PACKAGE_VARIABLES = {
  TEAMS_APP_ID: 'the Teams app id, a GUID of your own (keep it the same for every version)',
  MicrosoftAppId: "the Azure Bot's Microsoft app id (a GUID)",
  TAB_DOMAIN: 'the host name the tab and bot are served from, e.g. records.council.example',
  AAD_APP_ID: 'the Entra app id for tab single sign-on (default: MicrosoftAppId)',
  TAB_APP_ID_URI: "that Entra app's Application ID URI (default: api://<TAB_DOMAIN>/<AAD_APP_ID>)",
  APP_VERSION: 'the app version, MAJOR.MINOR.PATCH (default: the version in package.json)',
  DEVELOPER_NAME: 'the publisher shown in Teams, up to 32 characters',
  DEVELOPER_WEBSITE_URL: "the publisher's web site (https)",
  DEVELOPER_PRIVACY_URL: 'the privacy notice (https)',
  DEVELOPER_TERMS_URL: 'the terms of use (https)',
} as const;

export const DEFAULT_DEVELOPER_NAME = "Council Children's Services";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** Empty and blank values count as not set; everything else is trimmed. */
const given = (v: unknown): unknown => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

const optional = z.preprocess(given, z.string().optional());

function required(name: keyof typeof PACKAGE_VARIABLES) {
  return z.preprocess(given, z.string({ error: `is not set (${PACKAGE_VARIABLES[name]})` }));
}

function guidCheck(value: string | undefined, ctx: z.RefinementCtx): void {
  if (value !== undefined && !GUID.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a GUID like 00000000-0000-0000-0000-000000000000, not "${value}"`,
    });
  }
}

/** Why `value` is not a plain host name, or null when it is one. */
export function hostNameProblem(value: string): string | null {
  const example = 'e.g. records.council.example';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return `give the host name only, without "${value.slice(0, value.indexOf('://') + 3)}" (${example})`;
  }
  if (value.includes('/')) return `give the host name only, without a path (${example})`;
  if (value.includes(':'))
    return `give the host name only, without a port: Teams loads tabs over https on 443 (${example})`;
  const labels = value.split('.');
  if (
    value.length > 253 ||
    labels.length < 2 ||
    !labels.every((l) => HOST_LABEL.test(l)) ||
    /^\d+$/.test(labels.at(-1) ?? '')
  ) {
    return `must be a fully qualified host name (${example}), not "${value}"`;
  }
  return null;
}

function httpsCheck(value: string | undefined, ctx: z.RefinementCtx): void {
  if (value === undefined) return;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || url.protocol !== 'https:' || !url.hostname) {
    ctx.addIssue({ code: 'custom', message: `must be an https:// address, not "${value}"` });
  } else if (value.length > 2048) {
    ctx.addIssue({ code: 'custom', message: 'must be at most 2048 characters' });
  }
}

const envSchema = z.object({
  TEAMS_APP_ID: required('TEAMS_APP_ID').superRefine(guidCheck),
  MicrosoftAppId: required('MicrosoftAppId').superRefine(guidCheck),
  TAB_DOMAIN: required('TAB_DOMAIN').superRefine((value, ctx) => {
    const problem = hostNameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  AAD_APP_ID: optional.superRefine(guidCheck),
  TAB_APP_ID_URI: optional.superRefine((value, ctx) => {
    if (value !== undefined && !/^api:\/\/[^\s/]+(\/[^\s]*)?$/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an Application ID URI like api://<domain>/<app id>, not "${value}"`,
      });
    }
  }),
  APP_VERSION: required('APP_VERSION').refine((v) => SEMVER.test(v), {
    message: 'must be MAJOR.MINOR.PATCH, e.g. 1.0.0 (Teams takes no pre-release or build suffix)',
  }),
  DEVELOPER_NAME: required('DEVELOPER_NAME').refine((v) => v.length <= 32, {
    message: 'must be at most 32 characters',
  }),
  DEVELOPER_WEBSITE_URL: optional.superRefine(httpsCheck),
  DEVELOPER_PRIVACY_URL: optional.superRefine(httpsCheck),
  DEVELOPER_TERMS_URL: optional.superRefine(httpsCheck),
});

/**
 * Reads and checks the package settings. Every problem is reported, each naming its variable;
 * `notes` say which developer details fell back to defaults.
 */
export function readPackageSettings(
  env: Readonly<Record<string, string | undefined>>,
  defaults: { appVersion: string },
): SettingsResult {
  const parsed = envSchema.safeParse({
    ...env,
    APP_VERSION: env.APP_VERSION?.trim() ? env.APP_VERSION : defaults.appVersion,
    DEVELOPER_NAME: env.DEVELOPER_NAME?.trim() ? env.DEVELOPER_NAME : DEFAULT_DEVELOPER_NAME,
  });
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  }
  const e = parsed.data;
  const teamsAppId = e.TEAMS_APP_ID.toLowerCase();
  const botId = e.MicrosoftAppId.toLowerCase();
  const tabDomain = e.TAB_DOMAIN.toLowerCase();
  const aadAppId = (e.AAD_APP_ID ?? botId).toLowerCase();
  const site = `https://${tabDomain}`;
  const notes: string[] = [];
  const defaulted = (name: keyof typeof PACKAGE_VARIABLES, value: string | undefined, fallback: string) => {
    if (value !== undefined) return value;
    notes.push(`${name} is not set: using ${fallback} (make sure that page exists)`);
    return fallback;
  };
  if (!env.DEVELOPER_NAME?.trim()) notes.push(`DEVELOPER_NAME is not set: using "${DEFAULT_DEVELOPER_NAME}"`);
  return {
    ok: true,
    notes,
    settings: {
      teamsAppId,
      botId,
      tabDomain,
      aadAppId,
      tabAppIdUri: e.TAB_APP_ID_URI ?? `api://${tabDomain}/${aadAppId}`,
      appVersion: e.APP_VERSION,
      developer: {
        name: e.DEVELOPER_NAME,
        websiteUrl: defaulted('DEVELOPER_WEBSITE_URL', e.DEVELOPER_WEBSITE_URL, `${site}/`),
        privacyUrl: defaulted('DEVELOPER_PRIVACY_URL', e.DEVELOPER_PRIVACY_URL, `${site}/privacy`),
        termsOfUseUrl: defaulted('DEVELOPER_TERMS_URL', e.DEVELOPER_TERMS_URL, `${site}/terms`),
      },
    },
  };
}
