/**
 * `npm run package`: builds the Teams app package a Teams administrator uploads.
 *
 * Reads the settings from environment variables (TEAMS_APP_ID, MicrosoftAppId, TAB_DOMAIN, and
 * optionally AAD_APP_ID, TAB_APP_ID_URI, APP_VERSION, DEVELOPER_*), fills manifest/manifest.template.json,
 * adds the bot's command lists from its commands, validates the result against the official Teams
 * schema (offline) and the Teams rules the schema does not hold, and writes dist/app-package.zip.
 * Anything wrong: nothing is written, every problem is listed, and the exit code is 1.
 *
 *   npm run package [-- --out <file.zip>]
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PACKAGE_VARIABLES, createAppPackage } from '../src/manifest/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DEFAULT_OUT = resolve(ROOT, 'dist', 'app-package.zip');

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '';
}

function usage(io: Io): void {
  io.out('Usage: npm run package [-- --out <file.zip>]');
  io.out('');
  io.out('Environment variables:');
  for (const [name, meaning] of Object.entries(PACKAGE_VARIABLES)) io.out(`  ${name.padEnd(22)} ${meaning}`);
}

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  io: Io = consoleIo,
): Promise<number> {
  let out = DEFAULT_OUT;
  try {
    const { values } = parseArgs({
      args: argv.slice(2),
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      usage(io);
      return 0;
    }
    if (values.out) out = resolve(values.out);
  } catch (error) {
    io.err((error as Error).message);
    usage(io);
    return 2;
  }

  const result = await createAppPackage({ env, out, defaultVersion: packageVersion() });
  if (!result.ok) {
    io.err('The Teams app package was not written. Fix these first:');
    for (const problem of result.problems) io.err(`  - ${problem}`);
    io.err('Run `npm run package -- --help` for the variables.');
    return 1;
  }
  const { settings, manifest } = result;
  for (const note of result.notes) io.err(`note: ${note}`);
  const shown = relative(process.cwd(), result.file) || result.file;
  io.out(`Wrote ${shown.startsWith('..') ? result.file : shown}`);
  io.out(`  manifest ${String(manifest.manifestVersion)}, app version ${settings.appVersion}`);
  io.out(`  Teams app id ${settings.teamsAppId}, bot id ${settings.botId}`);
  io.out(`  tab https://${settings.tabDomain}/tab/index.html, SSO ${settings.tabAppIdUri}`);
  io.out('Upload it in the Teams admin centre: Teams apps > Manage apps > Upload new app.');
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv);
}
