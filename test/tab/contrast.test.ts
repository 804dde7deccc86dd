import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/repo-root.js';
import { AUTHORISATION_STATUSES, RETENTION_STATUSES } from '../../src/rules/index.js';
import { launchChromium } from '../support/chromium.js';

// Every colour the tab's style sheet gives text, in each Teams theme, measured in headless
// Chromium (getComputedStyle) against the background it is drawn on: WCAG AA, 4.5:1 for text
// (3:1 for large text), 3:1 for graphics and focus rings. The elements are made from the style
// sheet itself: every rule whose selector is one element (a tag and/or classes and attributes,
// in any theme) gets one, on the page and on a card, so a status style added later is measured too.

const THEMES = ['default', 'dark', 'contrast'] as const;
const CSS = readFileSync(path.join(REPO_ROOT, 'src', 'tab', 'tab.css'), 'utf8');

/** The classes the tab sets from data: each value gets its element too. */
const DATA_CLASSES = [
  ...AUTHORISATION_STATUSES.map((s) => `badge status-${s}`),
  ...RETENTION_STATUSES.map((s) => `badge retention-${s}`),
  'badge overdue',
  'notice ok',
  'notice error',
];

interface Measured {
  selector: string;
  on: 'page' | 'card';
  color: string;
  background: string;
  ratio: number;
  needed: number;
}

interface Graphic {
  what: string;
  color: string;
  background: string;
  ratio: number;
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent(
    `<!doctype html><html lang="en-GB" data-theme="default"><head><style>${CSS}</style></head><body></body></html>`,
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Builds the elements for `theme` and measures each one's text against its background. */
function measure(theme: (typeof THEMES)[number]): Promise<{ text: Measured[]; graphics: Graphic[] }> {
  return page.evaluate(
    ({ theme, dataClasses }) => {
      document.documentElement.dataset.theme = theme;
      document.body.replaceChildren();

      const parse = (c: string): number[] => {
        const m = c.match(/[\d.]+/g) ?? [];
        return [Number(m[0]), Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
      };
      const over = (top: number[], bottom: number[]): number[] => {
        const a = top[3]!;
        return [0, 1, 2].map((i) => top[i]! * a + bottom[i]! * (1 - a)).concat(1);
      };
      const luminance = (c: number[]): number => {
        const [r, g, b] = c.slice(0, 3).map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const ratio = (a: number[], b: number[]): number => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return Math.round(((hi! + 0.05) / (lo! + 0.05)) * 100) / 100;
      };
      /** The solid colour behind an element: its own background and its ancestors', laid over each other. */
      const backdrop = (el: Element | null): number[] => {
        if (!el) return [255, 255, 255, 1];
        const own = parse(getComputedStyle(el).backgroundColor);
        if (own[3] === 1) return own;
        const below = backdrop(el.parentElement);
        return own[3] === 0 ? below : over(own, below);
      };
      const css = (c: number[]) => `rgb(${c.slice(0, 3).map(Math.round).join(', ')})`;

      // One element per single-element selector in the style sheet, whatever theme it names.
      const specs = new Set<string>(dataClasses.map((c) => `.${c.split(' ').join('.')}`));
      const sheet = document.styleSheets[0]!;
      const visit = (rules: CSSRuleList) => {
        for (const rule of Array.from(rules)) {
          if (rule instanceof CSSMediaRule) continue; // forced colours: the system's own
          if (!(rule instanceof CSSStyleRule)) continue;
          for (const raw of rule.selectorText.split(',')) {
            const selector = raw.trim().replace(/^\[data-theme=[^\]]+\]\s*/, '');
            if (!selector || /[\s>+~:*]/.test(selector) || /^(html|body)\b/.test(selector)) continue;
            if (selector.startsWith('[data-theme')) continue;
            specs.add(selector);
          }
        }
      };
      visit(sheet.cssRules);

      const build = (selector: string): Element | null => {
        const tag = /^[a-z][a-z0-9]*/.exec(selector)?.[0] ?? 'span';
        if (['svg', 'rect', 'line', 'text', 'table', 'caption', 'ul', 'dl'].includes(tag)) return null;
        const el = document.createElement(tag);
        for (const [, name] of selector.matchAll(/\.([\w-]+)/g)) el.classList.add(name!);
        for (const [, name, value] of selector.matchAll(/\[([\w-]+)(?:=['"]?([^'"\]]*)['"]?)?\]/g))
          el.setAttribute(name!, value ?? '');
        if (el.classList.contains('visually-hidden') || el.hasAttribute('hidden')) return null;
        if (el instanceof HTMLInputElement) el.value = 'Sample text';
        else el.textContent = 'Sample text';
        return el;
      };

      const plain = document.createElement('div');
      const card = document.createElement('article');
      const item = document.createElement('li');
      item.className = 'item';
      item.append(card);
      document.body.append(plain, item);
      const text: Measured[] = [];
      for (const selector of specs) {
        for (const [on, parent] of [
          ['page', plain],
          ['card', card],
        ] as const) {
          const el = build(selector);
          if (!el) continue;
          parent.append(el);
          const style = getComputedStyle(el);
          if (style.display === 'none' || Number(style.opacity) < 1) continue;
          const background = backdrop(el);
          const color = over(parse(style.color), background);
          const size = parseFloat(style.fontSize);
          const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
          text.push({
            selector,
            on,
            color: css(color),
            background: css(background),
            ratio: ratio(color, background),
            needed: large ? 3 : 4.5,
          });
        }
      }

      // Graphics: the chart's bars on its figure, the focus ring and input borders where they are drawn.
      const token = (name: string): number[] => {
        const probe = document.createElement('span');
        probe.style.color = `var(${name})`;
        document.body.append(probe);
        const value = parse(getComputedStyle(probe).color);
        probe.remove();
        return value;
      };
      const graphics: Graphic[] = [];
      for (const [what, fg, bg] of [
        ['chart bars', '--chart-bar', '--surface'],
        ['chart bars, earlier months', '--chart-earlier', '--surface'],
        ['focus ring on the page', '--focus', '--bg'],
        ['focus ring on a card', '--focus', '--surface'],
        ['input bottom border', '--border-strong', '--surface'],
      ] as const) {
        const f = token(fg);
        const b = token(bg);
        graphics.push({ what, color: css(f), background: css(b), ratio: ratio(f, b) });
      }
      return { text, graphics };
    },
    { theme, dataClasses: DATA_CLASSES },
  );
}

describe('the tab’s colours meet WCAG AA in every Teams theme', () => {
  it.each(THEMES)('%s: text, status badges, notices and buttons', async (theme) => {
    const { text } = await measure(theme);
    // The status styles are all there (so the check is not vacuous).
    for (const c of DATA_CLASSES) {
      expect(
        text.some((t) => t.selector === `.${c.replace(' ', '.')}`),
        c,
      ).toBe(true);
    }
    expect(text.some((t) => t.selector === '.overdue-text')).toBe(true);
    expect(text.some((t) => t.selector === '.dev-banner')).toBe(true);
    const failing = text
      .filter((t) => t.ratio < t.needed)
      .map((t) => `${t.selector} on the ${t.on}: ${t.color} on ${t.background} is ${t.ratio}:1`);
    expect(failing).toEqual([]);
  });

  it.each(THEMES)('%s: graphics and focus rings at 3:1', async (theme) => {
    const { graphics } = await measure(theme);
    const failing = graphics
      .filter((g) => g.ratio < 3)
      .map((g) => `${g.what}: ${g.color} on ${g.background} is ${g.ratio}:1`);
    expect(failing).toEqual([]);
  });
});
