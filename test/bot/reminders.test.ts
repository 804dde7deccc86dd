import { describe, expect, it } from 'vitest';
import { actionsOf, cardOf, STAFF, textOf, type Person } from '../support/bot-harness.js';
import { useBot } from '../support/bot-tests.js';

describe('reminders and escalations on a fixed clock', () => {
  const bot = useBot('each');

  /** Every message the bot has posted (not updates, not new conversations). */
  const sends = () => bot.connector.calls.filter((c) => c.method === 'POST' && c.conversationId !== null);
  const sent = async (kind: string) => (await bot.outbox(kind)).filter((r) => r.sent_at !== null);
  const textsTo = async (person: Person, containing: string) =>
    (await bot.sentToPerson(person)).map((m) => String(m.text)).filter((t) => t.includes(containing));

  /** Sweeps a few times, across a restart: nothing more may go out. */
  async function nothingMoreAfterSweeps(): Promise<void> {
    const outbox = await bot.outbox();
    const count = sends().length;
    await bot.app.sweep();
    await bot.app.sweep();
    await bot.restart();
    await bot.app.sweep();
    expect(await bot.outbox()).toEqual(outbox);
    expect(sends()).toHaveLength(count);
  }

  it('a request left undecided: Priya is reminded once after 24 hours, Helen told once after 48', async () => {
    const id = await bot.submit('sam');
    await bot.deliverAll();
    expect(await textsTo('priya', 'asks to take records')).toHaveLength(1);

    bot.clock.advanceHours(23);
    await bot.app.sweep();
    expect(await bot.outbox('reminder.pending')).toEqual([]);

    bot.clock.advanceHours(1.5);
    await bot.app.sweep();
    const reminders = await sent('reminder.pending');
    expect(reminders).toMatchObject([{ recipient_id: STAFF.priya, authorisation_id: id, attempts: 0 }]);
    const toPriya = (await bot.sentToPerson('priya')).filter((m) => String(m.text).startsWith('Reminder:'));
    expect(toPriya.map((m) => m.text)).toEqual([
      "Reminder: Sam Taylor's request to take records for case 1234567 out of the office is still waiting for your decision.",
    ]);
    // The reminder carries the card, so Priya can decide from it.
    expect(actionsOf(cardOf(toPriya[0]!)).map((a) => a.verb)).toEqual(['removal.approve', 'removal.decline']);
    expect(await bot.outbox('reminder.pending_escalated')).toEqual([]);

    await nothingMoreAfterSweeps();

    bot.clock.advanceHours(24);
    await bot.app.sweep();
    const escalations = await sent('reminder.pending_escalated');
    expect(escalations).toMatchObject([{ recipient_id: STAFF.helen, authorisation_id: id }]);
    const toHelen = await bot.sentToPerson('helen');
    expect(toHelen.map((m) => m.text)).toEqual([
      "Sam Taylor's request for case 1234567 has waited for a decision for a long time. Please make sure someone decides it.",
    ]);
    // Helen is not an approver: she is told, but not shown the request's details.
    expect(cardOf(toHelen[0]!)).toBeNull();
    expect(await sent('reminder.pending')).toHaveLength(1);

    await nothingMoreAfterSweeps();
    expect(await textsTo('priya', 'Reminder:')).toHaveLength(1);
    expect(await bot.sentToPerson('helen')).toHaveLength(1);
  });

  it('a decided request is not chased', async () => {
    const id = await bot.submit('sam', { returnOn: '2026-12-03' });
    await bot.deliverAll();
    await bot.press('priya', 'removal.decline', { authorisationId: id, version: 1, reason: 'Not needed' });
    await bot.deliverAll();
    bot.clock.advanceHours(72);
    await bot.app.sweep();
    expect((await bot.outbox()).filter((r) => r.kind.startsWith('reminder.'))).toEqual([]);
  });

  it('an approved authorisation: one "due back tomorrow" to Sam, then one overdue to Sam and one escalation to Priya', async () => {
    const id = await bot.submit('sam', { returnOn: '2026-11-28' });
    await bot.deliverAll();
    await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }, 'priya-card');
    await bot.deliverAll();
    const count = sends().length;

    // 26 November: the return date is the day after tomorrow.
    await bot.app.sweep();
    expect(sends()).toHaveLength(count);

    // 27 November, just after midnight in London: due back tomorrow.
    bot.clock.set('2026-11-27T00:05:00Z');
    await bot.app.sweep();
    expect(await sent('reminder.return_due')).toMatchObject([
      { recipient_id: STAFF.sam, authorisation_id: id },
    ]);
    expect(await textsTo('sam', 'due back in the office tomorrow')).toEqual([
      'Reminder: the records for case 1234567 are due back in the office tomorrow, 28 November 2026.',
    ]);
    await nothingMoreAfterSweeps();

    // The return day itself: nothing new.
    bot.clock.set('2026-11-28T17:00:00Z');
    await bot.app.sweep();
    expect((await bot.outbox()).filter((r) => r.kind.startsWith('reminder.overdue'))).toEqual([]);

    // The day after: overdue.
    bot.clock.set('2026-11-29T09:00:00Z');
    await bot.app.sweep();
    expect(await sent('reminder.overdue')).toMatchObject([{ recipient_id: STAFF.sam, authorisation_id: id }]);
    expect(await sent('reminder.overdue_escalated')).toMatchObject([
      { recipient_id: STAFF.priya, authorisation_id: id },
    ]);
    const overdue = await textsTo('sam', 'overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toContain('were due back on 28 November 2026 and are overdue');
    expect(overdue[0]).toContain('disciplinary action');
    const samCard = (await bot.sentToPerson('sam')).find((m) => String(m.text).includes('overdue'));
    expect(textOf(cardOf(samCard!))).toContain('OVERDUE');
    expect(await textsTo('priya', 'overdue')).toEqual([
      "Sam Taylor's records for case 1234567 were due back on 28 November 2026 and are overdue.",
    ]);

    await nothingMoreAfterSweeps();
    bot.clock.set('2026-12-05T09:00:00Z');
    await nothingMoreAfterSweeps();
    expect(await textsTo('sam', 'overdue')).toHaveLength(1);
    expect(await textsTo('priya', 'overdue')).toHaveLength(1);
    expect(await textsTo('sam', 'due back in the office tomorrow')).toHaveLength(1);
    expect(await bot.outbox('reminder.pending')).toEqual([]);
  });

  describe('returned records', () => {
    it('are not chased', async () => {
      const id = await bot.submit('sam', { returnOn: '2026-11-27' });
      await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 });
      await bot.press('sam', 'removal.returned', { authorisationId: id, version: 2 });
      await bot.deliverAll();
      expect((await bot.row(id)).status).toBe('returned');
      bot.clock.set('2026-11-30T09:00:00Z');
      await bot.app.sweep();
      expect((await bot.outbox()).filter((r) => r.kind.startsWith('reminder.'))).toEqual([]);
    });
  });
});
