import { describe, expect, it } from 'vitest';
import { cardOf, STAFF, type BotHarness, type Person } from '../support/bot-harness.js';
import { useBot, verbsOf } from '../support/bot-tests.js';
import type { ConnectorCall } from '../support/fake-connector.js';

// A notification for someone the bot cannot reach yet (their chat not open, the app not yet
// added) waits in the outbox to be tried again. The moment they can be reached (the app added,
// their chat opened, their first message, or their chat working again after it stopped), what
// waits for them goes at once: not at the next retry, minutes later.

type Match = (call: ConnectorCall) => boolean;
const creation: Match = (c) => c.method === 'POST' && c.conversationId === null;
const intoCreated: Match = (c) => c.method === 'POST' && !!c.conversationId?.startsWith('created-');
const intoChatOf =
  (person: Person): Match =>
  (c) =>
    c.method === 'POST' && c.conversationId === `personal-${person}`;

/**
 * Someone the connector cannot reach yet. The Agents Playground answers 500 "User not found"; a
 * 503 is handled the same way (tried again later), and with `retry-after-ms: 0` the connector
 * client's own quick retries do not sleep (for a 500 they sleep for seconds).
 */
const UNREACHABLE = 503;
const NOT_FOUND_YET = { 'retry-after-ms': '0' };

/** Waits (without moving the clock or running the dispatcher) until `done` holds. */
async function eventually(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

async function approvalRequest(bot: BotHarness, authorisationId: string) {
  const rows = await bot.outbox('removal.approval_request');
  return rows.find((r) => r.recipient_id === STAFF.priya && r.authorisation_id === authorisationId)!;
}

/** The approval cards that reached Priya's own chat. */
function approvalCardsInPriyasChat(bot: BotHarness) {
  return bot.connector
    .sentTo('personal-priya')
    .map((c) => cardOf(c.body))
    .filter((card) => verbsOf(card).includes('removal.approve'));
}

describe('the first delivery after a person can be reached happens at once', () => {
  const bot = useBot('each');

  it('Priya adds the app: the approval request that could not reach her goes the moment she does', async () => {
    // Her chat cannot be made yet ("User not found", as when she has not opened it).
    bot.connector.fail(UNREACHABLE, 10, creation, NOT_FOUND_YET);
    const id = await bot.submit('sam');
    await bot.deliverAll();
    const waiting = await approvalRequest(bot, id);
    expect(waiting).toMatchObject({ attempts: 1, sent_at: null, failed_at: null });
    expect(waiting.last_error).toContain('503');
    const now = bot.clock.now().toISOString();
    expect(waiting.due_at > now).toBe(true);

    // She adds the app (the clock stands still: no retry is due).
    const { status } = await bot.post(bot.activity('priya', { type: 'installationUpdate', action: 'add' }));
    expect(status).toBe(200);
    await eventually(async () => (await approvalRequest(bot, id)).sent_at !== null, 'the request sent');
    expect(await approvalRequest(bot, id)).toMatchObject({ sent_at: now, attempts: 1, failed_at: null });
    expect(approvalCardsInPriyasChat(bot)).toHaveLength(1);
  });

  it('the chat the bot made for her fails until she opens her own: her first message brings what waits', async () => {
    // The bot makes a chat for her, but sending into it fails (the person is not there yet).
    bot.connector.fail(UNREACHABLE, 10, intoCreated, NOT_FOUND_YET);
    const id = await bot.submit('sam');
    await bot.deliverAll();
    expect(await approvalRequest(bot, id)).toMatchObject({ attempts: 1, sent_at: null, failed_at: null });
    expect(bot.connector.created()).toHaveLength(1);

    await bot.say('priya', 'hello');
    await eventually(async () => (await approvalRequest(bot, id)).sent_at !== null, 'the request sent');
    expect(approvalCardsInPriyasChat(bot)).toHaveLength(1);
    // Sent into her own chat, which is where the bot reaches her from now on.
    const saved = await bot.app.store.db
      .selectFrom('conversation_references')
      .select('reference')
      .where('aad_object_id', '=', STAFF.priya)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(saved.reference)).toMatchObject({ conversation: { id: 'personal-priya' } });
  });

  it('her chat working again after it stopped: what queued meanwhile goes at once', async () => {
    await bot.say('priya', 'hello');
    // Teams refuses her chat (the app removed): the chat is marked stale, the request given up.
    bot.connector.fail(403, 1, intoChatOf('priya'));
    const first = await bot.submit('sam');
    await bot.deliverAll();
    expect((await approvalRequest(bot, first)).failed_at).not.toBeNull();
    // Jo's request cannot reach her either: a new chat cannot be made yet.
    bot.connector.fail(UNREACHABLE, 10, creation, NOT_FOUND_YET);
    const second = await bot.submit('jo', { caseRef: '1600229' });
    await bot.deliverAll();
    expect(await approvalRequest(bot, second)).toMatchObject({ attempts: 1, sent_at: null, failed_at: null });

    // She adds the app again, in the same chat.
    await bot.post(bot.activity('priya', { type: 'installationUpdate', action: 'add' }));
    await eventually(async () => (await approvalRequest(bot, second)).sent_at !== null, 'Jo’s request sent');
    expect(approvalCardsInPriyasChat(bot)).toHaveLength(1);
  });

  it('a message in a chat already known changes nothing: a throttled notification keeps its time', async () => {
    await bot.say('sam', 'hello');
    const id = await bot.submit('sam');
    await bot.deliverAll();
    bot.connector.fail(429, 4, intoChatOf('sam'), { 'Retry-After': '30', 'retry-after-ms': '0' });
    await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 });
    await bot.deliverAll();
    const [before] = await bot.outbox('removal.approved');
    expect(before).toMatchObject({ attempts: 1, sent_at: null });

    await bot.say('sam', 'hello again');
    await bot.deliverAll();
    const [after] = await bot.outbox('removal.approved');
    expect(after).toMatchObject({ attempts: 1, sent_at: null, due_at: before!.due_at });
  });
});
