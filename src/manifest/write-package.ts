import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { ZipFile } from 'yazl';
import { COMMANDS, type Command } from '../understanding/index.js';
import { buildManifest, type TeamsManifest } from './build-manifest.js';
import { readPackageSettings, type PackageSettings } from './settings.js';
import { COLOR_ICON_FILE, MANIFEST_FILE, OUTLINE_ICON_FILE, validatePackage } from './validate-manifest.js';

/** The repository's `manifest/` folder: the template and the icons. */
export const MANIFEST_DIR = fileURLToPath(new URL('../../manifest/', import.meta.url));
export const TEMPLATE_FILE = 'manifest.template.json';

/** A fixed time for every zip entry, so the same inputs give the same bytes. */
const ENTRY_TIME = new Date(2020, 0, 1);

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/**
 * Writes `entries` at the root of a zip at `file`. The zip is written beside it under a temporary
 * name and renamed into place, so `file` is never left half-written.
 */
export async function writeZip(file: string, entries: readonly ZipEntry[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const zip = new ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.name, { mtime: ENTRY_TIME, mode: 0o100644 });
  zip.end();
  try {
    await pipeline(zip.outputStream, createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

export interface AppPackageOptions {
  /** Where settings are read from (normally `process.env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The zip to write. */
  out: string;
  /** APP_VERSION when it is not set (normally package.json's version). */
  defaultVersion: string;
  /** The folder with the template and icons (default: the repository's `manifest/`). */
  manifestDir?: string;
  /** The bot's commands (default: `COMMANDS`). */
  commands?: readonly Command[];
}

export type AppPackageResult =
  | { ok: true; file: string; manifest: TeamsManifest; settings: PackageSettings; notes: string[] }
  | { ok: false; problems: string[] };

async function readInput(file: string, problems: string[]): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return null;
  }
}

/**
 * Builds the Teams app package: reads the settings, fills the template, validates the manifest
 * and icons, and only if nothing is wrong writes the zip (manifest.json, color.png, outline.png).
 * When anything is wrong nothing is written and every problem is returned.
 */
export async function createAppPackage(options: AppPackageOptions): Promise<AppPackageResult> {
  const dir = options.manifestDir ?? MANIFEST_DIR;
  const read = readPackageSettings(options.env, { appVersion: options.defaultVersion });
  const problems: string[] = read.ok ? [] : [...read.problems];
  const templateText = await readInput(join(dir, TEMPLATE_FILE), problems);
  const color = await readInput(join(dir, COLOR_ICON_FILE), problems);
  const outline = await readInput(join(dir, OUTLINE_ICON_FILE), problems);
  let template: unknown = null;
  if (templateText) {
    try {
      template = JSON.parse(templateText.toString('utf8'));
    } catch (error) {
      problems.push(`${TEMPLATE_FILE}: is not valid JSON (${(error as Error).message})`);
    }
  }
  if (!read.ok || problems.length || !color || !outline) return { ok: false, problems };

  const manifest = buildManifest(template, read.settings, options.commands ?? COMMANDS);
  const invalid = validatePackage({ manifest, color, outline });
  if (invalid.length) return { ok: false, problems: invalid };

  await writeZip(options.out, [
    { name: MANIFEST_FILE, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: COLOR_ICON_FILE, data: color },
    { name: OUTLINE_ICON_FILE, data: outline },
  ]);
  return { ok: true, file: options.out, manifest, settings: read.settings, notes: read.notes };
}
