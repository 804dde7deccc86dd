import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, PRODUCTION_SETTINGS, STAFF } from '../support/bot-harness.js';
import { launchChromium } from '../support/chromium.js';

// The tab opened in a plain browser, outside Teams: in local mode it offers a persona picker (the
// staff directory's people), acts as the person chosen and remembers the choice in the browser;
// with the bot's credentials and in production there is no picker and nobody to act as.

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function open(page: Page, port: number): Promise<void> {
  await page.goto(`http://127.0.0.1:${port}/tab/index.html`);
  await page
    .locator('body[data-state="ready"], body[data-state="refused"], body[data-state="choosing"]')
    .waitFor();
}

const tabs = (page: Page) => page.getByRole('tab').allTextContents();

describe('local mode: the persona picker', () => {
  const bot = new BotHarness();
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  it('asks whom to act as, then switches from a case worker to a line manager without a restart', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route('https://**/*', (route) => route.abort());
    await open(page, bot.port);
    // Nobody chosen yet (no TAB_DEV_IDENTITY): the picker alone, with everyone in the directory.
    expect(await page.locator('body').getAttribute('data-state')).toBe('choosing');
    const picker = page.getByLabel('Act as');
    const options = await picker.locator('option:not([disabled])').allTextContents();
    expect(options).toHaveLength(10);
    expect(options).toContain('Sam Taylor (case worker)');
    expect(options).toContain('Rosa Lind (case worker, line manager)');
    await expect(page.getByRole('tab').count()).resolves.toBe(0);

    await picker.selectOption({ label: 'Sam Taylor (case worker)' });
    await page.locator('body[data-state="ready"]').waitFor();
    expect(await page.getByTestId('dev-banner').textContent()).toContain('You are acting as Sam Taylor');
    expect(await tabs(page)).toEqual(['My requests', 'Retention lookup']);

    // Priya, his line manager: her team's view, with Sam's request waiting for her.
    const request = await bot.submit('sam');
    await page.getByLabel('Act as').selectOption({ label: 'Priya Shah (line manager)' });
    await page.locator('body[data-state="ready"]').waitFor();
    expect(await page.getByTestId('dev-banner').textContent()).toContain('You are acting as Priya Shah');
    expect(await page.getByRole('banner').textContent()).toContain('Priya Shah · line manager');
    expect(await tabs(page)).toEqual(['My team', 'My requests', 'Retention lookup']);
    const waiting = page.getByRole('region', { name: /Waiting for your decision/ });
    await waiting.locator(`li[data-id="${request}"]`).waitFor();
    await expect(
      waiting.locator(`li[data-id="${request}"]`).getByRole('button', { name: 'Approve' }).count(),
    ).resolves.toBe(1);
    // The keyboard stays on the picker.
    await expect(page.getByLabel('Act as').evaluate((el) => el === document.activeElement)).resolves.toBe(
      true,
    );

    // Remembered in this browser: a reload is still Priya.
    await page.reload();
    await page.locator('body[data-state="ready"]').waitFor();
    expect(await page.getByLabel('Act as').inputValue()).toBe(STAFF.priya);
    expect(await tabs(page)).toEqual(['My team', 'My requests', 'Retention lookup']);

    // And a Records Management officer sees their own work.
    await page.getByLabel('Act as').selectOption({ label: 'Morgan Ellis (Records Management officer)' });
    await page.locator('body[data-state="ready"]').waitFor();
    expect(await tabs(page)).toEqual(['Records Management', 'My requests', 'Retention lookup']);
    await context.close();
  });

  it('follows the browser’s theme outside Teams: dark, and more contrast', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.route('https://**/*', (route) => route.abort());
    await open(page, bot.port);
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.emulateMedia({ contrast: 'more' });
    await page.locator('html[data-theme="contrast"]').waitFor();
    await page.emulateMedia({ contrast: 'no-preference', colorScheme: 'light' });
    await page.locator('html[data-theme="default"]').waitFor();
    await context.close();
  });
});

describe('with the bot’s credentials in production: no picker, nobody to act as', () => {
  const bot = new BotHarness();
  beforeAll(() => bot.start(PRODUCTION_SETTINGS), 60_000);
  afterAll(() => bot.stop());

  it('refuses the persona list and the persona header', async () => {
    const base = `http://127.0.0.1:${bot.port}`;
    const list = await fetch(`${base}/api/tab/dev/personas`);
    expect(list.status).toBe(404);
    expect(await list.json()).toEqual({
      error: 'Acting as someone without Teams sign-in is for local mode only.',
      code: 'not_local_mode',
    });
    const me = await fetch(`${base}/api/tab/me`, { headers: { 'x-dev-identity': STAFF.sam } });
    expect(me.status).toBe(401);
  });

  it('the page outside Teams offers no picker and says to open it in Teams', async () => {
    const page = await browser.newPage();
    await page.route('https://**/*', (route) => route.abort());
    await open(page, bot.port);
    expect(await page.locator('body').getAttribute('data-state')).toBe('refused');
    expect(await page.getByRole('alert').textContent()).toContain('Open this tab in Microsoft Teams');
    await expect(page.getByLabel('Act as').count()).resolves.toBe(0);
    await expect(page.getByTestId('dev-banner').count()).resolves.toBe(0);
    await page.close();
  });
});
