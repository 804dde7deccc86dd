/**
 * `npm run screenshots`: the pictures in the README (docs/screenshots/*.png), made from the
 * product itself so that they stay true. Run it again after changing a card or the tab, and
 * commit the pictures.
 *
 * The bot runs as in `npm run demo` (local mode, SQLite, the demo staff directory and inventory),
 * on a fresh database of its own and on a fixed day (Thursday 26 November 2026), so a picture
 * changes only when the product does (but for the new request id on the manager's card). It is
 * driven with real Bot Framework activities over HTTP (test/support/bot-harness.ts); its replies
 * are drawn as Teams draws cards (scripts/teams-chat.ts) and the personal tab is opened as each
 * role through its local-mode persona picker, both in headless Chromium (/usr/bin/chromium).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../src/repo-root.js';
import { BotHarness, cardOf, STAFF, type Person } from '../test/support/bot-harness.js';
import { chatPicture, openChat, type ChatMessage } from './teams-chat.js';
import { launchChromium } from '../test/support/chromium.js';

const BOT_NAME = 'Case Records Assistant';

/** The README's first request, as Sam types it. */
const REQUEST =
  'I need to take the file for case 1234567 home tonight to finish the court report, back Friday';

/** The bot's messages among `activities`, as the chat shows them. */
function messagesOf(activities: Record<string, unknown>[]): ChatMessage[] {
  return activities
    .filter((a) => a.type === 'message')
    .map((a) => ({
      ...(typeof a.text === 'string' && a.text ? { text: a.text } : {}),
      ...(cardOf(a) ? { card: cardOf(a)! } : {}),
    }));
}

function withCard(what: string, messages: ChatMessage[]): ChatMessage[] {
  if (!messages.some((m) => 'card' in m)) {
    throw new Error(`${what}: the bot answered without a card (${JSON.stringify(messages).slice(0, 300)})`);
  }
  return messages;
}

/** Opens the tab as `person` through the persona picker and waits until every part has loaded. */
async function actAs(page: Page, person: Person, name: string): Promise<void> {
  await page.locator('body[data-state="choosing"], body[data-state="ready"]').waitFor();
  await page.getByLabel('Act as').selectOption(STAFF[person]);
  await page
    .getByTestId('dev-banner')
    .filter({ hasText: `acting as ${name}` })
    .waitFor();
  await page.waitForFunction(
    () => document.body.dataset.state === 'ready' && !document.querySelector('.loading, [aria-busy="true"]'),
  );
  // The picture shows the page as it opens, without the picker's focus ring.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/**
 * Runs the scenario and writes its pictures into `outDir`; returns the files written. The tab must
 * have been built (`npm run build:tab`, as `npm run screenshots` does first).
 */
export async function takeScreenshots(outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const save = (file: string, png: Buffer) => {
    const target = path.join(outDir, file);
    writeFileSync(target, png);
    written.push(target);
  };

  const bot = new BotHarness();
  await bot.start();
  // Date inputs in day/month/year, where Chromium has its en-GB locale (Debian: chromium-l10n).
  const browser = await launchChromium(['--lang=en-GB']);
  const locale = { locale: 'en-GB', timezoneId: 'Europe/London' };
  try {
    const chat = await browser.newPage({ ...locale, viewport: { width: 640, height: 900 } });
    await openChat(chat);
    const conversation = async (file: string, person: Person, said: string) => {
      const replies = withCard(file, messagesOf(await bot.say(person, said)));
      save(file, await chatPicture(chat, BOT_NAME, [{ said }, ...replies]));
    };

    // Sam asks in his own words and gets the form, filled in from them.
    await conversation('request-form.png', 'sam', REQUEST);
    // He sends it; Priya, his line manager, is sent the request to decide.
    const request = await bot.submit('sam');
    await bot.deliverAll();
    save(
      'approval-card.png',
      await chatPicture(
        chat,
        BOT_NAME,
        withCard('approval-card.png', messagesOf(await bot.sentToPerson('priya'))),
      ),
    );
    // Anyone asks how long a kind of record is kept.
    await conversation('retention-answer.png', 'sam', 'how long do we keep adoption records?');
    // A Records Management officer asks what is due for destruction.
    await conversation('due-list.png', 'morgan', 'what is due for destruction?');
    // The records whose end action is a review wait for an officer's decision.
    await conversation('review-list.png', 'morgan', 'which records need a review decision?');
    // A batch is previewed before it is created: what would go in, and what is blocked and why.
    await conversation('batch-preview.png', 'morgan', 'new batch of supervision order records');

    // For the tab: Priya approves Sam's request, and Jo's waits for her decision.
    const approved = await bot.press('priya', 'removal.approve', { authorisationId: request, version: 1 });
    if (approved.status !== 200) throw new Error(`Priya's approval got HTTP ${approved.status}`);
    await bot.submit('jo', {
      caseRef: '2000274',
      purpose: 'meeting',
      destination: 'Family centre, Hemel Hempstead',
      outOn: '2026-11-27',
      returnOn: '2026-11-27',
      justification: 'Family group conference on Friday',
    });
    await bot.deliverAll();

    const tab = await browser.newPage({ ...locale, viewport: { width: 1000, height: 760 } });
    // Nothing from outside: the tab is whole without the internet.
    await tab.route('https://**/*', (route) => route.abort());
    await tab.goto(`http://127.0.0.1:${bot.port}/tab/index.html`);
    const roles: [file: string, person: Person, name: string][] = [
      ['tab-case-worker.png', 'sam', 'Sam Taylor'],
      ['tab-line-manager.png', 'priya', 'Priya Shah'],
      ['tab-records-management.png', 'morgan', 'Morgan Ellis'],
    ];
    for (const [file, person, name] of roles) {
      await actAs(tab, person, name);
      save(file, await tab.screenshot({ type: 'png' }));
    }
  } finally {
    await browser.close();
    await bot.stop();
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = await takeScreenshots(path.join(REPO_ROOT, 'docs', 'screenshots'));
  for (const file of files) process.stdout.write(`wrote ${path.relative(REPO_ROOT, file)}\n`);
}
