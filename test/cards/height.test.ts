import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as AdaptiveCards from 'adaptivecards';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/repo-root.js';
import { CARD_EXAMPLES } from './examples.js';

// Every card example rendered by the Adaptive Cards SDK in headless Chromium, at the width of a
// card in a Teams chat, with its ShowCards closed as a person first sees it: a card that grows
// with the records it lists (a due list of a hundred records, a batch of 500) stays short.

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The width of an Adaptive Card in a Teams chat on a laptop screen. */
const CARD_WIDTH = 500;
/** No card may come near this: a person would scroll through screens of it. */
const MAX_HEIGHT = 2000;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: "import * as AC from 'adaptivecards'; (window as any).AC = AC;",
      loader: 'ts',
      resolveDir: REPO_ROOT,
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const css = readFileSync(path.join(REPO_ROOT, 'node_modules/adaptivecards/lib/adaptivecards.css'), 'utf8');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.setContent(
    `<!doctype html><html><head><style>${css} body { font-family: 'Segoe UI', sans-serif; font-size: 14px; } #card { width: ${CARD_WIDTH}px; }</style></head><body><div id="card"></div></body></html>`,
  );
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The height in pixels of `card` as the SDK renders it. */
async function heightOf(card: unknown): Promise<number> {
  return page.evaluate((json) => {
    const AC = (window as unknown as { AC: typeof AdaptiveCards }).AC;
    const host = document.getElementById('card')!;
    host.replaceChildren();
    const adaptive = new AC.AdaptiveCard();
    adaptive.parse(json);
    const element = adaptive.render();
    if (!element) throw new Error('the card did not render');
    host.appendChild(element);
    return element.getBoundingClientRect().height;
  }, card);
}

describe('cards stay short', () => {
  const examples = Object.entries(CARD_EXAMPLES).flatMap(([builder, list]) =>
    list.map((e) => [`${builder}: ${e.view}`, e] as const),
  );

  it.each(examples)('%s', async (_name, example) => {
    const height = await heightOf(example.card());
    expect(height).toBeGreaterThan(40);
    expect(height).toBeLessThan(MAX_HEIGHT);
  });

  it('the long lists are short: a hundred records due, a batch of 500', async () => {
    const long = [
      CARD_EXAMPLES.dueCard.find((e) => e.view.startsWith('a long list'))!,
      CARD_EXAMPLES.batchCard.find((e) => e.view.startsWith('a batch of 500'))!,
    ];
    for (const example of long) expect(await heightOf(example.card())).toBeLessThan(1800);
  });
});
