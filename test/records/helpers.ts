import { unescapeMarkdown } from '../../src/cards/render.js';
import { expect } from 'vitest';
import { SignedLinks } from '../../src/downloads/signed-links.js';
import { BotHarness, cardOf, STAFF, type InvokeResult, type Person } from '../support/bot-harness.js';
import type { Card } from '../support/bot-tests.js';

export type { Card };

/** Where the bot says its links live; rewritten to the harness port before fetching. */
export const PUBLIC_BASE_URL = 'http://127.0.0.1:1';
/** A fixed key, so a test can make a link on someone's behalf the way the bot would. */
export const SIGNING_KEY = 'records-tests-download-signing-key-0123456789';

export async function startBot(env: Record<string, string> = {}): Promise<BotHarness> {
  const bot = new BotHarness();
  await bot.start({ PUBLIC_BASE_URL, DOWNLOAD_SIGNING_KEY: SIGNING_KEY, ...env });
  return bot;
}

/** The Adaptive Card of the bot's last reply. */
export function lastCard(replies: Record<string, unknown>[]): Card {
  const card = replies.length ? cardOf(replies.at(-1)!) : null;
  if (!card) throw new Error(`no card in the reply: ${JSON.stringify(replies).slice(0, 300)}`);
  return card;
}

/** The card an Action.Execute press came back with. */
export function invokeCard(result: InvokeResult): Card {
  expect(result.status).toBe(200);
  expect(result.body.type).toBe('application/vnd.microsoft.card.adaptive');
  return result.body.value as Card;
}

/** An Action.OpenUrl's url in a card, by its title. */
export function urlOf(card: Card, title: string): string {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Card;
    if (n.type === 'Action.OpenUrl' && n.title === title && typeof n.url === 'string') found.push(n.url);
    Object.values(n).forEach(walk);
  };
  walk(card);
  if (found.length !== 1) throw new Error(`expected one "${title}" link, found ${found.length}`);
  return found[0]!;
}

/** The same link on the harness's real port. */
export function onPort(bot: BotHarness, url: string): string {
  expect(url.startsWith(PUBLIC_BASE_URL)).toBe(true);
  return url.replace(PUBLIC_BASE_URL, `http://127.0.0.1:${bot.port}`);
}

/** A download link signed for `person`, as the bot would make it now (for people it never offers one to). */
export function linkFor(bot: BotHarness, path: string, person: Person): string {
  const links = new SignedLinks(Buffer.from(SIGNING_KEY), `http://127.0.0.1:${bot.port}`, () =>
    bot.clock.now(),
  );
  return links.link(path, STAFF[person]);
}

/** Every TextBlock text in a card as it reads once rendered, in order (facts and choices left out). */
export function textBlocks(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Card;
    if (n.type === 'TextBlock' && typeof n.text === 'string') found.push(unescapeMarkdown(n.text));
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

/** The rows of the case retention card: status label, "title (id)" and the summary line. */
export interface StatusRow {
  status: string;
  heading: string;
  summary: string;
}

export function statusRows(card: Card): StatusRow[] {
  return (card.body as Card[])
    .filter((b) => b.type === 'Container')
    .map((container) => {
      const columns = (container.items as Card[])[0]!.columns as Card[];
      const [status] = textBlocks(columns[0]);
      const [heading, summary] = textBlocks(columns[1]);
      return { status: status!, heading: heading!, summary: summary! };
    });
}

/** The "Why?" ShowCard of the case retention card: each record's heading with its explanation lines. */
export function whyLines(card: Card): Map<string, string[]> {
  const why = (card.actions as Card[] | undefined)?.find(
    (a) => a.type === 'Action.ShowCard' && a.title === 'Why?',
  );
  if (!why) throw new Error('no "Why?" button');
  const explained = new Map<string, string[]>();
  for (const container of (why.card as Card).body as Card[]) {
    const [heading, ...lines] = textBlocks(container);
    explained.set(heading!, lines);
  }
  return explained;
}

/** The four ticks of the confirmation card: every log held outside the app was checked. */
export const TICKED = {
  logLitigation: 'true',
  logClaim: 'true',
  logSubjectAccess: 'true',
  logFoi: 'true',
} as const;

/**
 * A Records Management officer's decision to destroy every record of a class waiting for review,
 * recorded from the decision card.
 */
export async function decideToDestroy(bot: BotHarness, person: Person, classId: string): Promise<string[]> {
  const pressed = await bot.press(person, 'review.decide', {
    classId,
    dueBy: '',
    decision: 'destroy',
    reason: 'No further business need',
  });
  const card = pressed.body.value as Card | undefined;
  if (pressed.status !== 200 || !JSON.stringify(card).includes('Decision recorded'))
    throw new Error(`no decision: ${JSON.stringify(card).slice(0, 400)}`);
  const rows = await bot.app.store.db
    .selectFrom('disposition_decisions')
    .select('record_id')
    .where('record_class', '=', classId)
    .where('decided_by', '=', STAFF[person])
    .where('decision', '=', 'destroy')
    .orderBy('record_id')
    .execute();
  return rows.map((r) => r.record_id);
}

/**
 * A batch confirmed from its card by `person`, with the four logs ticked and each record's method
 * from its format; the ids of the records destroyed.
 */
export async function confirmOnCard(
  bot: BotHarness,
  person: Person,
  batchId: string,
  input: { version: number; certificateRef?: string },
): Promise<{ card: Card; destroyed: string[] }> {
  const pressed = await bot.press(person, 'destruction.batch.confirm', {
    batchId,
    version: input.version,
    certificateRef: input.certificateRef ?? '',
    ...TICKED,
  });
  const card = pressed.body.value as Card;
  if (pressed.status !== 200 || !JSON.stringify(card).includes('entered them in the register'))
    throw new Error(`not confirmed: ${JSON.stringify(card).slice(0, 600)}`);
  const rows = await bot.app.store.db
    .selectFrom('destruction_register')
    .select('record_id')
    .where('batch_id', '=', batchId)
    .orderBy('record_id')
    .execute();
  return { card, destroyed: rows.map((r) => r.record_id) };
}
