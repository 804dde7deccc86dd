/**
 * Renders the Teams app icons from their SVG sources with headless Chromium:
 *
 *   manifest/icons/color.svg   → manifest/color.png   (192×192, solid background)
 *   manifest/icons/outline.svg → manifest/outline.png (32×32, white on transparent)
 *
 * Run `npx tsx scripts/make-icons.ts` after changing an SVG and commit both. The PNGs are re-encoded
 * with pngjs (no browser metadata), and the outline is cleaned so that every pixel is pure white
 * with some opacity or fully transparent, as Teams requires. `--preview <dir>` also writes 8× larger
 * renders (the outline on the accent colour) to look at.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { launchChromium } from '../test/support/chromium.js';

const MANIFEST_DIR = fileURLToPath(new URL('../manifest/', import.meta.url));

interface Icon {
  svg: string;
  png: string;
  size: number;
  kind: 'color' | 'outline';
}

const ICONS: readonly Icon[] = [
  { svg: 'icons/color.svg', png: 'color.png', size: 192, kind: 'color' },
  { svg: 'icons/outline.svg', png: 'outline.png', size: 32, kind: 'outline' },
];

async function render(browser: Browser, svg: string, size: number, scale = 1, background = 'transparent') {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: scale });
  try {
    await page.setContent(
      `<!doctype html><html><head><style>html,body{margin:0;padding:0;background:${background}}svg{display:block}</style></head><body>${svg}</body></html>`,
    );
    return await page.screenshot({
      type: 'png',
      omitBackground: background === 'transparent',
      clip: { x: 0, y: 0, width: size, height: size },
    });
  } finally {
    await page.close();
  }
}

/** Pure white wherever anything is drawn, all-zero wherever nothing is; keeps the anti-aliasing. */
function whiteOnTransparent(png: PNG): void {
  const data = png.data;
  for (let i = 0; i < data.length; i += 4) {
    const value = data[i + 3] === 0 ? 0 : 255;
    data[i] = value;
    data[i + 1] = value;
    data[i + 2] = value;
  }
}

/** Fully opaque: the colour icon has a solid background. */
function opaque(png: PNG): void {
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
}

export async function makeIcons(previewDir?: string): Promise<string[]> {
  const browser = await launchChromium();
  const written: string[] = [];
  try {
    for (const icon of ICONS) {
      const svg = readFileSync(join(MANIFEST_DIR, icon.svg), 'utf8');
      const png = PNG.sync.read(await render(browser, svg, icon.size));
      if (png.width !== icon.size || png.height !== icon.size) {
        throw new Error(`${icon.svg} rendered at ${png.width}×${png.height}, not ${icon.size}×${icon.size}`);
      }
      if (icon.kind === 'outline') whiteOnTransparent(png);
      else opaque(png);
      const file = join(MANIFEST_DIR, icon.png);
      writeFileSync(file, PNG.sync.write(png, { colorType: 6 }));
      written.push(file);
      if (previewDir) {
        mkdirSync(previewDir, { recursive: true });
        const preview = await render(
          browser,
          svg,
          icon.size,
          8,
          icon.kind === 'outline' ? '#1D4E6E' : 'transparent',
        );
        const previewFile = join(previewDir, `${icon.kind}-preview.png`);
        writeFileSync(previewFile, preview);
        written.push(previewFile);
      }
    }
  } finally {
    await browser.close();
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--preview');
  const previewDir = at > 0 ? process.argv[at + 1] : undefined;
  for (const file of await makeIcons(previewDir)) console.log(`wrote ${file}`);
}
