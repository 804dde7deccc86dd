import { describe, expect, it } from 'vitest';
import { cardOf, STAFF } from '../support/bot-harness.js';
import { useBot } from '../support/bot-tests.js';
import type { ConnectorCall } from '../support/fake-connector.js';

type ConnectorCallMatch = (call: ConnectorCall) => boolean;

describe('notifications when Teams refuses or throttles', () => {
  const bot = useBot('each');

  const toSam: ConnectorCallMatch = (c) => c.method === 'POST' && c.conversationId === 'personal-sam';
  const creation: ConnectorCallMatch = (c) => c.method === 'POST' && c.conversationId === null;
  const approvedTexts = async () =>
    (await bot.sentToPerson('sam'))
      .map((m) => String(m.text))
      .filter((t) => t.includes('approved your request'));

  it('429 with Retry-After: the notification waits in the outbox that long, then goes exactly once', async () => {
    const id = await bot.submit('sam');
    await bot.deliverAll();
    // Throttled on every try the connector client makes itself (it retries 429 three times);
    // `retry-after-ms: 0` keeps its own retries from sleeping, so the outbox decides when to retry.
    bot.connector.fail(429, 4, toSam, { 'Retry-After': '1', 'retry-after-ms': '0' });
    await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 });
    await bot.deliverAll();

    const t0 = bot.clock.now().getTime();
    let [row] = await bot.outbox('removal.approved');
    expect(row).toMatchObject({ recipient_id: STAFF.sam, attempts: 1, sent_at: null, failed_at: null });
    expect(row!.last_error).toContain('429');
    expect(row!.due_at).toBe(new Date(t0 + 1000).toISOString());
    expect(await approvedTexts()).toEqual([]);

    // Not before Retry-After has passed.
    await bot.deliverAll();
    expect(await approvedTexts()).toEqual([]);

    bot.clock.set(new Date(t0 + 1000).toISOString());
    await bot.deliverAll();
    await bot.deliverAll();
    expect(await approvedTexts()).toEqual([
      'Priya Shah approved your request for case 1234567. The records must be back in the office by 27 November 2026.',
    ]);
    [row] = await bot.outbox('removal.approved');
    expect(row).toMatchObject({ attempts: 1, failed_at: null });
    expect(row!.sent_at).toBe(new Date(t0 + 1000).toISOString());
    expect((await bot.row(id)).status).toBe('approved');
  });

  // BUG (not fixed here): a 429 as Teams sends it (Retry-After only) never reaches the outbox's
  // backoff. The Bot Connector client (botbuilder-stdlib ServiceClientContext over
  // @azure/core-client) has the default retry policy, whose throttlingRetryStrategy sleeps for
  // Retry-After seconds in-process and retries up to 3 times. So the dispatcher's single run
  // (one per process) is blocked for up to 3 x Retry-After, every other notification waits
  // behind it, and `classify()`'s Retry-After handling only sees the 4th 429 in a row.
  // Correct behaviour: fail(429, 1, toSam, { 'Retry-After': '30' }); approve; deliverAll()
  // returns at once with the row at attempts 1, due_at = now + 30 s; moving the TestClock 30 s
  // and delivering again sends it once. (Today that test takes 30 s of wall-clock time and ends
  // with attempts 0.)
  it.todo('429 with only Retry-After is deferred through the outbox, not slept on inside the send');

  it('403 creating Priya’s chat (app not installed): given up at once, and Sam is told what to do', async () => {
    bot.connector.fail(403, 1, creation);
    const id = await bot.submit('sam');
    await bot.deliverAll();

    const [asked] = await bot.outbox('removal.approval_request');
    expect(asked).toMatchObject({ recipient_id: STAFF.priya, attempts: 1, sent_at: null });
    expect(asked!.failed_at).not.toBeNull();
    expect(asked!.last_error).toContain('403');
    expect(bot.connector.created()).toEqual([]);

    const unreachable = await bot.outbox('removal.approver_unreachable');
    expect(unreachable).toMatchObject([{ recipient_id: STAFF.sam, authorisation_id: id, attempts: 0 }]);
    expect(unreachable[0]!.sent_at).not.toBeNull();
    const told = (await bot.sentToPerson('sam')).filter((m) => String(m.text).includes('could not send'));
    expect(told.map((m) => m.text)).toEqual([
      'I could not send your request for case 1234567 to Priya Shah: Case Records Assistant is not installed for them in Teams. Ask them to add it (Apps, then search for Case Records Assistant), or speak to them directly. Your request is still waiting.',
    ]);
    // Sam's card still lets him withdraw.
    expect(cardOf(told[0]!)).not.toBeNull();
    expect((await bot.row(id)).status).toBe('pending');

    // Nothing is tried again, and Sam is told only once.
    const calls = bot.connector.calls.length;
    bot.clock.advanceHours(1);
    await bot.deliverAll();
    await bot.deliverAll();
    expect(bot.connector.calls).toHaveLength(calls);
    expect(await bot.outbox('removal.approver_unreachable')).toHaveLength(1);
  });

  it('a send refused inside a saved chat is not taken for sent: the row fails and the chat is marked stale', async () => {
    // Helen's escalation is text only (she may not see the request), so nothing else would notice.
    await bot.say('helen', 'hello');
    await bot.submit('sam');
    await bot.deliverAll();
    bot.clock.advanceHours(49);
    bot.connector.fail(403, 1, (c) => c.method === 'POST' && c.conversationId === 'personal-helen');
    await bot.app.sweep();
    await bot.deliverAll();

    const [escalation] = await bot.outbox('reminder.pending_escalated');
    expect(escalation).toMatchObject({ recipient_id: STAFF.helen, attempts: 1, sent_at: null });
    expect(escalation!.failed_at).not.toBeNull();
    expect(escalation!.last_error).toContain('403');
    const saved = await bot.app.store.db
      .selectFrom('conversation_references')
      .select('stale_at')
      .where('aad_object_id', '=', STAFF.helen)
      .executeTakeFirstOrThrow();
    expect(saved.stale_at).not.toBeNull();
  });

  it('a throttled card update is tried again later, and the card is brought up to date', async () => {
    const id = await bot.submit('sam');
    await bot.deliverAll();
    bot.connector.fail(429, 4, (c) => c.method === 'PUT', { 'Retry-After': '2', 'retry-after-ms': '0' });
    await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }, 'priya-card');
    await bot.deliverAll();
    const t0 = bot.clock.now().getTime();
    let [refresh] = await bot.outbox('card.refresh');
    expect(refresh).toMatchObject({ attempts: 1, sent_at: null, failed_at: null });
    expect(refresh!.due_at).toBe(new Date(t0 + 2000).toISOString());
    expect(bot.connector.updates()).toEqual([]);

    bot.clock.set(new Date(t0 + 2000).toISOString());
    await bot.deliverAll();
    [refresh] = await bot.outbox('card.refresh');
    expect(refresh!.sent_at).not.toBeNull();
    const samCard = bot.connector.updates().find((u) => u.activityId === 'form-sam');
    expect(samCard).toBeDefined();
  });
});
