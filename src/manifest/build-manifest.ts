import { COMMANDS, type Command } from '../understanding/index.js';
import type { PackageSettings } from './settings.js';

export type BotScope = 'personal' | 'team' | 'groupChat';

export interface ManifestCommand {
  title: string;
  description: string;
}

export interface CommandList {
  scopes: BotScope[];
  commands: ManifestCommand[];
}

/**
 * The parts of a Teams app manifest this project reads, all optional: a manifest is checked
 * against the official schema before anything relies on its shape.
 */
export interface TeamsManifest {
  $schema?: string;
  manifestVersion?: string;
  version?: string;
  id?: string;
  developer?: { name?: string; websiteUrl?: string; privacyUrl?: string; termsOfUseUrl?: string };
  name?: { short?: string; full?: string };
  description?: { short?: string; full?: string };
  icons?: { color?: string; outline?: string };
  accentColor?: string;
  bots?: {
    botId?: string;
    scopes?: string[];
    supportsFiles?: boolean;
    commandLists?: { scopes?: string[]; commands?: { title?: string; description?: string }[] }[];
  }[];
  staticTabs?: {
    entityId?: string;
    name?: string;
    contentUrl?: string;
    websiteUrl?: string;
    scopes?: string[];
  }[];
  permissions?: string[];
  validDomains?: string[];
  webApplicationInfo?: { id?: string; resource?: string };
  [field: string]: unknown;
}

type CommandText = (typeof COMMANDS)[number]['command'];

/**
 * The commands offered in a team channel and a group chat, where everyone sees the answer: general
 * questions only. Requests, approvals and anything naming a case or a person stay in the 1:1 chat.
 */
export const SHARED_CHAT_COMMANDS = ['help', 'retention', 'policy'] as const satisfies readonly CommandText[];

/**
 * The bot's command lists, one per scope, made from the commands the bot understands: every
 * command in the personal chat, the shared ones in teams and group chats.
 */
export function commandLists(commands: readonly Command[] = COMMANDS): CommandList[] {
  const toManifest = (c: Command): ManifestCommand => ({ title: c.command, description: c.description });
  const shared = commands.filter((c) => (SHARED_CHAT_COMMANDS as readonly string[]).includes(c.command));
  return [
    { scopes: ['personal'], commands: commands.map(toManifest) },
    { scopes: ['team'], commands: shared.map(toManifest) },
    { scopes: ['groupChat'], commands: shared.map(toManifest) },
  ];
}

/** `${{NAME}}` in the template. */
export const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The value of every placeholder the template may use. */
export function placeholderValues(settings: PackageSettings): Readonly<Record<string, string>> {
  return {
    TEAMS_APP_ID: settings.teamsAppId,
    BOT_ID: settings.botId,
    TAB_DOMAIN: settings.tabDomain,
    AAD_APP_ID: settings.aadAppId,
    TAB_APP_ID_URI: settings.tabAppIdUri,
    APP_VERSION: settings.appVersion,
    DEVELOPER_NAME: settings.developer.name,
    DEVELOPER_WEBSITE_URL: settings.developer.websiteUrl,
    DEVELOPER_PRIVACY_URL: settings.developer.privacyUrl,
    DEVELOPER_TERMS_URL: settings.developer.termsOfUseUrl,
  };
}

/**
 * A copy of `value` with the placeholders in its strings replaced. Works on parsed JSON, so a value
 * can never break the JSON around it; unknown placeholders are left for validation to report.
 */
export function fillPlaceholders(value: unknown, values: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, name: string) =>
      Object.hasOwn(values, name) ? (values[name] as string) : whole,
    );
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, values)]));
  }
  return value;
}

/**
 * The app manifest: the template with its placeholders filled from `settings`, and the bot's
 * command lists made from `commands`. Pure; the result still has to be validated.
 */
export function buildManifest(
  template: unknown,
  settings: PackageSettings,
  commands: readonly Command[] = COMMANDS,
): TeamsManifest {
  const manifest = fillPlaceholders(template, placeholderValues(settings)) as TeamsManifest;
  const bot = Array.isArray(manifest.bots) ? manifest.bots[0] : undefined;
  if (bot && typeof bot === 'object') bot.commandLists = commandLists(commands);
  return manifest;
}
