import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as AdaptiveCards from 'adaptivecards';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/repo-root.js';
import { launchChromium } from '../support/chromium.js';
import { CARD_EXAMPLES } from './examples.js';

// Every card example rendered by the Adaptive Cards SDK in headless Chromium, at the width of a
// card in a Teams chat, with its ShowCards closed as a person first sees it: a card that grows
// with the records it lists (a due list of a hundred records, a batch of 500) stays short, and
// the Records Management cards' buttons (paging beside the next step) keep their whole titles.

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
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.setContent(
    `<!doctype html><html><head><style>${css} body { font-family: 'Segoe UI', sans-serif; font-size: 14px; } #card { width: ${CARD_WIDTH}px; }</style></head><body><div id="card"></div></body></html>`,
  );
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * `card` as the SDK renders it: its height in pixels, and the titles of the buttons it cuts short
 * (with an ellipsis) because they do not fit beside the others.
 */
async function render(card: unknown): Promise<{ height: number; cutButtons: string[] }> {
  return page.evaluate((json) => {
    const AC = (window as unknown as { AC: typeof AdaptiveCards }).AC;
    const host = document.getElementById('card')!;
    host.replaceChildren();
    const adaptive = new AC.AdaptiveCard();
    adaptive.parse(json);
    const element = adaptive.render();
    if (!element) throw new Error('the card did not render');
    host.appendChild(element);
    const cut = (e: Element): boolean =>
      (e instanceof HTMLElement && e.scrollWidth > e.clientWidth + 1) || Array.from(e.children).some(cut);
    return {
      height: element.getBoundingClientRect().height,
      cutButtons: Array.from(element.querySelectorAll('button'))
        .filter((b) => b.offsetParent !== null && cut(b))
        .map((b) => b.textContent ?? ''),
    };
  }, card);
}

/** The Records Management cards, whose buttons share a row with Previous and Next. */
const RECORDS_MANAGEMENT_CARDS = [
  'dueCard',
  'batchPreviewCard',
  'batchCard',
  'batchListCard',
  'registerCard',
  'reviewCard',
  'reviewDecisionCard',
  'reviewDecidedCard',
  'holdFormCard',
  'blanketHoldFormCard',
  'holdsListCard',
] as const;

describe('cards stay short', () => {
  const examples = Object.entries(CARD_EXAMPLES).flatMap(([builder, list]) =>
    list.map((e) => [`${builder}: ${e.view}`, e] as const),
  );

  it.each(examples)('%s', async (_name, example) => {
    const { height } = await render(example.card());
    expect(height).toBeGreaterThan(40);
    expect(height).toBeLessThan(MAX_HEIGHT);
  });

  it('the long lists are short: a hundred records due, a batch of 500', async () => {
    const long = [
      CARD_EXAMPLES.dueCard.find((e) => e.view.startsWith('a long list'))!,
      CARD_EXAMPLES.batchCard.find((e) => e.view.startsWith('a batch of 500'))!,
    ];
    for (const example of long) expect((await render(example.card())).height).toBeLessThan(1800);
  });

  const buttonRows = RECORDS_MANAGEMENT_CARDS.flatMap((builder) =>
    CARD_EXAMPLES[builder].map((e) => [`${builder}: ${e.view}`, e] as const),
  );
  it.each(buttonRows)('every button shows its whole title: %s', async (_name, example) => {
    expect((await render(example.card())).cutButtons).toEqual([]);
  });
});
