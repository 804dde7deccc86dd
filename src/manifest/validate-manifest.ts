import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { PNG } from 'pngjs';
import { PLACEHOLDER, type TeamsManifest } from './build-manifest.js';

/** The files of an app package, named as they sit at the root of the zip. */
export const MANIFEST_FILE = 'manifest.json';
export const COLOR_ICON_FILE = 'color.png';
export const OUTLINE_ICON_FILE = 'outline.png';

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** Teams shows at most 10 commands per list (the schema allows 12). */
export const MAX_COMMANDS_PER_LIST = 10;
/** Teams' documented limits for a bot command (the newest schemas allow longer). */
export const MAX_COMMAND_TITLE = 32;
export const MAX_COMMAND_DESCRIPTION = 128;

export interface PackageContents {
  manifest: unknown;
  color: Buffer;
  outline: Buffer;
}

const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v(\d+\.\d+)\/MicrosoftTeams\.schema\.json$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const schemasDir = join(
  dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
  'teams',
);

/** The official Teams manifest schema of `version` (e.g. "1.30"), as @microsoft/app-manifest ships it. */
export function schemaFile(version: string): string {
  return join(schemasDir, `v${version}`, 'MicrosoftTeams.schema.json');
}

const validators = new Map<string, ValidateFunction>();

/** Compiles the bundled schema of `version` once; never reaches the network. */
function validatorFor(version: string): ValidateFunction | null {
  const cached = validators.get(version);
  if (cached) return cached;
  let raw: string;
  try {
    raw = readFileSync(schemaFile(version), 'utf8');
  } catch {
    return null;
  }
  // Some schema versions hold `\a` and `\v` in patterns, which unicode regular expressions reject;
  // @microsoft/app-manifest rewrites them the same way before compiling.
  const schema = JSON.parse(raw.replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as object;
  // Both packages are CommonJS: under NodeNext their default export is `.default`.
  const ajv = new Ajv04.default({ allErrors: true, strict: false });
  ajvFormats.default(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  validators.set(version, validate);
  return validate;
}

function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath || '(top level)';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${at}: unknown field "${String(params.additionalProperty)}"`;
    case 'enum':
      return `${at}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${at}: ${error.message ?? 'is not valid'}`;
  }
}

/** Problems found by the official JSON schema named in the manifest's `$schema` (offline). */
export function schemaProblems(manifest: unknown): string[] {
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest))
    return ['the manifest is not a JSON object'];
  const m = manifest as TeamsManifest;
  const match = typeof m.$schema === 'string' ? SCHEMA_URL.exec(m.$schema) : null;
  if (!match) {
    return [
      '/$schema: must be https://developer.microsoft.com/json-schemas/teams/v1.NN/MicrosoftTeams.schema.json',
    ];
  }
  const version = match[1] as string;
  if (m.manifestVersion !== version) {
    return [`/manifestVersion: must be "${version}", the version of the $schema it names`];
  }
  const validate = validatorFor(version);
  if (!validate) return [`/$schema: manifest schema v${version} is not shipped by @microsoft/app-manifest`];
  // Validate the JSON that will be written (no undefined-valued fields).
  if (validate(JSON.parse(JSON.stringify(manifest)))) return [];
  return [...new Set((validate.errors ?? []).map(describeSchemaError))];
}

function isHttps(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Whether `host` is covered by a validDomains entry (`*.example.com` covers one level below). */
export function domainCovers(entry: string, host: string): boolean {
  const e = entry.toLowerCase();
  if (e.startsWith('*.')) {
    const base = e.slice(2);
    return host.endsWith(`.${base}`) && !host.slice(0, -(base.length + 1)).includes('.');
  }
  return e === host;
}

function unfilledPlaceholders(value: unknown, path: string, out: string[]): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(PLACEHOLDER))
      out.push(`${path || '/'}: placeholder ${match[0]} was not filled`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unfilledPlaceholders(item, `${path}/${i}`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) unfilledPlaceholders(v, `${path}/${k}`, out);
  }
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
/** The object items of an array that may hold anything (the schema reports the rest). */
const objects = <T extends object>(value: T[] | undefined): T[] =>
  list(value).filter((item) => item !== null && typeof item === 'object' && !Array.isArray(item));

/**
 * Teams rules the JSON schema does not express: https everywhere, semver, command list limits,
 * unique ids, every tab and SSO domain listed in validDomains, icons named as in the package.
 */
export function ruleProblems(manifest: unknown): string[] {
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) return [];
  const m = manifest as TeamsManifest;
  const problems: string[] = [];
  unfilledPlaceholders(m, '', problems);

  if (typeof m.version !== 'string' || !SEMVER.test(m.version)) {
    problems.push(`/version: must be MAJOR.MINOR.PATCH (e.g. 1.0.0), not ${JSON.stringify(m.version)}`);
  }
  for (const field of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'] as const) {
    if (!isHttps(m.developer?.[field])) problems.push(`/developer/${field}: must be an https:// address`);
  }
  if (m.icons?.color !== COLOR_ICON_FILE) problems.push(`/icons/color: must be "${COLOR_ICON_FILE}"`);
  if (m.icons?.outline !== OUTLINE_ICON_FILE) problems.push(`/icons/outline: must be "${OUTLINE_ICON_FILE}"`);

  const domains = list(m.validDomains).filter((d): d is string => typeof d === 'string');
  domains.forEach((d, i) => {
    if (/[/:\s]/.test(d))
      problems.push(`/validDomains/${i}: "${d}" must be a host name, without scheme, port or path`);
  });
  for (const d of duplicates(domains.map((d) => d.toLowerCase())))
    problems.push(`/validDomains: "${d}" is listed twice`);
  const listed = (host: string) => domains.some((d) => domainCovers(d, host));

  const bots = objects(m.bots);
  if (bots.length !== 1) problems.push('/bots: the app must have exactly one bot');
  bots.forEach((bot, b) => {
    const botScopes = list(bot.scopes);
    const seenScopes = new Set<string>();
    objects(bot.commandLists).forEach((commandList, l) => {
      const at = `/bots/${b}/commandLists/${l}`;
      const commands = objects(commandList.commands);
      if (commands.length > MAX_COMMANDS_PER_LIST) {
        problems.push(
          `${at}/commands: has ${commands.length} commands; Teams shows at most ${MAX_COMMANDS_PER_LIST}`,
        );
      }
      if (commands.length === 0) problems.push(`${at}/commands: is empty`);
      for (const scope of list(commandList.scopes)) {
        if (!botScopes.includes(scope))
          problems.push(`${at}/scopes: "${scope}" is not one of the bot's scopes`);
        if (seenScopes.has(scope)) problems.push(`${at}/scopes: "${scope}" already has a command list`);
        seenScopes.add(scope);
      }
      commands.forEach((command, c) => {
        const title = String(command.title ?? '');
        if (title.trim() === '') problems.push(`${at}/commands/${c}/title: is empty`);
        if (title.length > MAX_COMMAND_TITLE) {
          problems.push(
            `${at}/commands/${c}/title: "${title}" is longer than ${MAX_COMMAND_TITLE} characters`,
          );
        }
        if (String(command.description ?? '').length > MAX_COMMAND_DESCRIPTION) {
          problems.push(
            `${at}/commands/${c}/description: is longer than ${MAX_COMMAND_DESCRIPTION} characters`,
          );
        }
      });
      for (const title of duplicates(
        commands.map((c) =>
          String(c.title ?? '')
            .trim()
            .toLowerCase(),
        ),
      )) {
        problems.push(`${at}/commands: "${title}" is listed twice`);
      }
    });
  });

  const tabs = objects(m.staticTabs);
  for (const id of duplicates(tabs.map((t) => String(t.entityId ?? ''))))
    problems.push(`/staticTabs: entityId "${id}" is used twice`);
  tabs.forEach((tab, t) => {
    for (const field of ['contentUrl', 'websiteUrl'] as const) {
      const url = tab[field];
      if (url === undefined) continue;
      if (!isHttps(url)) {
        problems.push(`/staticTabs/${t}/${field}: must be an https:// address`);
        continue;
      }
      const host = hostOf(url);
      if (host && !listed(host))
        problems.push(`/staticTabs/${t}/${field}: its domain ${host} is not in validDomains`);
    }
  });

  const sso = m.webApplicationInfo;
  if (typeof sso?.resource === 'string') {
    const resource = /^api:\/\/([^/]+)(?:\/(.*))?$/.exec(sso.resource);
    if (!resource) {
      problems.push('/webApplicationInfo/resource: must be an Application ID URI, api://<domain>/<app id>');
    } else {
      const [, host = '', rest] = resource;
      if (!GUID.test(host) && !listed(host.toLowerCase())) {
        problems.push(`/webApplicationInfo/resource: its domain ${host} is not in validDomains`);
      }
      const lastSegment = rest?.split('/').at(-1) ?? host;
      if (
        GUID.test(lastSegment) &&
        typeof sso.id === 'string' &&
        lastSegment.toLowerCase() !== sso.id.toLowerCase()
      ) {
        problems.push('/webApplicationInfo/resource: names a different app id than /webApplicationInfo/id');
      }
    }
  }
  return problems;
}

function readPng(data: Buffer, file: string, problems: string[]): PNG | null {
  try {
    return PNG.sync.read(data);
  } catch (error) {
    problems.push(`${file}: is not a readable PNG (${(error as Error).message})`);
    return null;
  }
}

/**
 * The icon rules: the colour icon is a 192×192 PNG, the outline a 32×32 PNG with only white
 * (255,255,255, any opacity) and fully transparent pixels, and something drawn.
 */
export function iconProblems(color: Buffer, outline: Buffer): string[] {
  const problems: string[] = [];
  const colorPng = readPng(color, COLOR_ICON_FILE, problems);
  if (colorPng && (colorPng.width !== COLOR_ICON_SIZE || colorPng.height !== COLOR_ICON_SIZE)) {
    problems.push(
      `${COLOR_ICON_FILE}: is ${colorPng.width}×${colorPng.height}; it must be ${COLOR_ICON_SIZE}×${COLOR_ICON_SIZE}`,
    );
  }
  const outlinePng = readPng(outline, OUTLINE_ICON_FILE, problems);
  if (outlinePng) {
    const { width, height, data } = outlinePng;
    if (width !== OUTLINE_ICON_SIZE || height !== OUTLINE_ICON_SIZE) {
      problems.push(
        `${OUTLINE_ICON_FILE}: is ${width}×${height}; it must be ${OUTLINE_ICON_SIZE}×${OUTLINE_ICON_SIZE}`,
      );
    }
    let wrong = 0;
    let first = '';
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      drawn++;
      if (data[i] !== 255 || data[i + 1] !== 255 || data[i + 2] !== 255) {
        if (!wrong)
          first = `(${(i / 4) % width}, ${Math.floor(i / 4 / width)}) is rgb(${data[i]}, ${data[i + 1]}, ${data[i + 2]})`;
        wrong++;
      }
    }
    if (wrong) {
      problems.push(
        `${OUTLINE_ICON_FILE}: must be white on transparent; ${wrong} pixel(s) are not, first ${first}`,
      );
    }
    if (!drawn) problems.push(`${OUTLINE_ICON_FILE}: is empty (every pixel is transparent)`);
  }
  return problems;
}

/** Every problem with an app package: schema, Teams rules and icons. Empty means it may be written. */
export function validatePackage(contents: PackageContents): string[] {
  return [
    ...schemaProblems(contents.manifest),
    ...ruleProblems(contents.manifest),
    ...iconProblems(contents.color, contents.outline),
  ];
}
