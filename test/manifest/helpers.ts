import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import {
  MANIFEST_DIR,
  TEMPLATE_FILE,
  readPackageSettings,
  type PackageSettings,
} from '../../src/manifest/index.js';

/** Settings that pass: made-up ids, a made-up domain. */
export const GOOD_ENV: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '6f1c2b4e-8d3a-4c5b-9e7f-0a1b2c3d4e5f',
  MicrosoftAppId: '2d9e8f7a-6b5c-4d3e-8f1a-9b8c7d6e5f4a',
  TAB_DOMAIN: 'records.council.example',
};

export function goodSettings(env: Readonly<Record<string, string>> = GOOD_ENV): PackageSettings {
  const read = readPackageSettings(env, { appVersion: '1.2.3' });
  if (!read.ok) throw new Error(read.problems.join('\n'));
  return read.settings;
}

export function template(): unknown {
  return JSON.parse(readFileSync(`${MANIFEST_DIR}${TEMPLATE_FILE}`, 'utf8'));
}

const fromBuffer = promisify(
  (data: Buffer, options: yauzl.Options, callback: (err: Error | null, zip: yauzl.ZipFile) => void) =>
    yauzl.fromBuffer(data, options, callback),
);

/** Every entry of a zip, by name, with its content. */
export async function readZip(data: Buffer): Promise<Map<string, Buffer>> {
  const zip = await fromBuffer(data, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  return new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}
