// `npm run build:tab`: bundles the personal tab (src/tab/) with esbuild into dist/tab/, which the
// server serves at /tab/index.html. `npm run serve`, `npm run demo` and the tests run it first.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface BuildTabResult {
  outDir: string;
  bytes: number;
}

export async function buildTab(outDir = path.join(ROOT, 'dist', 'tab')): Promise<BuildTabResult> {
  const assets = path.join(outDir, 'assets');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(assets, { recursive: true });
  const result = await build({
    entryPoints: [path.join(ROOT, 'src', 'tab', 'main.ts')],
    outfile: path.join(assets, 'tab.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'edge110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  await copyFile(path.join(ROOT, 'src', 'tab', 'index.html'), path.join(outDir, 'index.html'));
  await copyFile(path.join(ROOT, 'src', 'tab', 'tab.css'), path.join(assets, 'tab.css'));
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  return { outDir, bytes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildTab().then(
    ({ outDir, bytes }) => {
      process.stderr.write(
        `Tab built into ${path.relative(ROOT, outDir)}/ (${Math.round(bytes / 1024)} KiB)\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(
        `The tab did not build: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
