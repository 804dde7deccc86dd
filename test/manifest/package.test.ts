import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/package-app.js';
import {
  MANIFEST_DIR,
  buildManifest,
  createAppPackage,
  schemaProblems,
  validatePackage,
} from '../../src/manifest/index.js';
import { GOOD_ENV, goodSettings, readZip, template } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'app-package-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(env: Record<string, string | undefined>, out = join(dir, 'app-package.zip')) {
  const lines = { out: [] as string[], err: [] as string[] };
  const code = await main(['node', 'package-app', '--out', out], env, {
    out: (line) => lines.out.push(line),
    err: (line) => lines.err.push(line),
  });
  return { code, ...lines, stderr: lines.err.join('\n') };
}

describe('npm run package', () => {
  it('writes a zip with exactly manifest.json, color.png and outline.png at its root', async () => {
    const { code, out } = await run({ ...GOOD_ENV, APP_VERSION: '1.2.3' });
    expect(code).toBe(0);
    const file = join(dir, 'app-package.zip');
    expect(out[0]).toBe(`Wrote ${file}`);

    const entries = await readZip(readFileSync(file));
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(entries.get('color.png')).toEqual(readFileSync(`${MANIFEST_DIR}color.png`));
    expect(entries.get('outline.png')).toEqual(readFileSync(`${MANIFEST_DIR}outline.png`));

    const manifest = JSON.parse(entries.get('manifest.json')?.toString('utf8') ?? '') as unknown;
    expect(manifest).toEqual(buildManifest(template(), goodSettings()));
    expect(
      validatePackage({
        manifest,
        color: entries.get('color.png') ?? Buffer.alloc(0),
        outline: entries.get('outline.png') ?? Buffer.alloc(0),
      }),
    ).toEqual([]);
    expect(readdirSync(dir)).toEqual(['app-package.zip']);
  });

  it('gives the same bytes for the same settings', async () => {
    await run(GOOD_ENV, join(dir, 'a.zip'));
    await run(GOOD_ENV, join(dir, 'b.zip'));
    expect(readFileSync(join(dir, 'a.zip'))).toEqual(readFileSync(join(dir, 'b.zip')));
  });

  it('refuses bad settings, naming each, and writes nothing', async () => {
    const { code, out, stderr } = await run({
      ...GOOD_ENV,
      TAB_DOMAIN: 'https://records.council.example',
      MicrosoftAppId: 'case-records-bot',
    });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(stderr).toContain('The Teams app package was not written');
    expect(stderr).toContain('  - MicrosoftAppId: must be a GUID');
    expect(stderr).toContain('  - TAB_DOMAIN: give the host name only, without "https://"');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses when nothing is configured', async () => {
    const { code, stderr } = await run({});
    expect(code).toBe(1);
    for (const name of ['TEAMS_APP_ID', 'MicrosoftAppId', 'TAB_DOMAIN'])
      expect(stderr).toContain(`  - ${name}: is not set`);
    expect(existsSync(join(dir, 'app-package.zip'))).toBe(false);
  });

  it('refuses an invalid manifest or icon and writes nothing', async () => {
    const manifestDir = join(dir, 'manifest');
    cpSync(MANIFEST_DIR, manifestDir, { recursive: true });
    const broken = { ...(template() as object), favouriteColour: 'teal' };
    writeFileSync(join(manifestDir, 'manifest.template.json'), JSON.stringify(broken));
    cpSync(join(MANIFEST_DIR, 'color.png'), join(manifestDir, 'outline.png'));
    const out = join(dir, 'out', 'app-package.zip');

    const result = await createAppPackage({ env: GOOD_ENV, out, defaultVersion: '1.0.0', manifestDir });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      '(top level): unknown field "favouriteColour"',
      'outline.png: is 192×192; it must be 32×32',
      expect.stringMatching(/^outline\.png: must be white on transparent/),
    ]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('prints the variables with --help', async () => {
    const lines: string[] = [];
    const code = await main(
      ['node', 'package-app', '--help'],
      {},
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    );
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/TEAMS_APP_ID[\s\S]*MicrosoftAppId[\s\S]*TAB_DOMAIN/);
  });

  it('the shipped template only needs the settings: it is not a valid manifest by itself', () => {
    expect(schemaProblems(template())).toContain(
      '/id: must match pattern "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"',
    );
  });
});
