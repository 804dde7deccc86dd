import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { actionsOf, cardOf, STAFF, textOf } from '../support/bot-harness.js';
import { cardIn, useBot, verbsOf as verbs } from '../support/bot-tests.js';

describe('decisions, withdrawals, cancellations and cover over HTTP', () => {
  const bot = useBot('each');

  /** Sam asks; Priya is sent the approval request. */
  async function requested(fields = {}): Promise<string> {
    const id = await bot.submit('sam', fields);
    await bot.deliverAll();
    return id;
  }

  describe('decline', () => {
    it('with a reason: declined, and Sam is told the reason on a card that shows it', async () => {
      const id = await requested();
      const declined = cardIn(
        await bot.press(
          'priya',
          'removal.decline',
          { authorisationId: id, version: 1, reason: '  Use the secure laptop instead.  ' },
          'priya-card',
        ),
      );
      expect(textOf(declined)).toContain('Declined by Priya Shah');
      expect(verbs(declined)).toEqual([]);
      expect(await bot.row(id)).toMatchObject({
        status: 'declined',
        version: 2,
        decided_by: STAFF.priya,
        reason: 'Use the secure laptop instead.',
      });

      await bot.deliverAll();
      const toSam = (await bot.sentToPerson('sam')).filter((m) => String(m.text).includes('declined'));
      expect(toSam).toHaveLength(1);
      expect(toSam[0]!.text).toBe(
        'Priya Shah declined your request for case 1234567: Use the secure laptop instead.',
      );
      const samCard = cardOf(toSam[0]!);
      expect(textOf(samCard)).toContain('Reason for declining');
      expect(textOf(samCard)).toContain('Use the secure laptop instead.');
      expect(verbs(samCard)).toEqual([]);
      expect(await bot.auditActions(id)).toEqual(['removal.requested', 'removal.decline']);
      expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
    });

    it.each([
      ['no reason field', {}],
      ['an empty reason', { reason: '' }],
      ['a reason of spaces', { reason: '   \n ' }],
    ])('with %s: refused with a clear message, and nothing changes', async (_label, extra) => {
      const id = await requested();
      const before = await bot.stateCounts();
      const refused = cardIn(
        await bot.press('priya', 'removal.decline', { authorisationId: id, version: 1, ...extra }),
      );
      expect(textOf(refused)).toContain('Please give a reason for declining: the requester will see it.');
      // The card still offers the decision, so Priya can try again with a reason.
      expect(verbs(refused)).toEqual(['removal.approve', 'removal.decline']);
      expect(await bot.row(id)).toMatchObject({
        status: 'pending',
        version: 1,
        decided_by: null,
        reason: null,
      });
      expect(await bot.stateCounts()).toEqual(before);
      expect(await bot.auditActions(id)).toEqual(['removal.requested']);
    });
  });

  describe('withdraw', () => {
    it('by the card button: withdrawn, and Priya is told', async () => {
      const id = await requested();
      const withdrawn = cardIn(
        await bot.press('sam', 'removal.withdraw', { authorisationId: id, version: 1 }, 'form-sam'),
      );
      expect(textOf(withdrawn)).toContain('Withdrawn by the requester.');
      expect(verbs(withdrawn)).toEqual([]);
      expect(await bot.row(id)).toMatchObject({ status: 'withdrawn', version: 2, decided_by: null });

      await bot.deliverAll();
      const toPriya = await bot.sentToPerson('priya');
      expect(toPriya.map((m) => m.text)).toEqual([
        expect.stringContaining('Sam Taylor asks to take records for case 1234567'),
        'Sam Taylor withdrew their request for case 1234567. Nothing more is needed from you.',
      ]);
      // Priya's approval card loses its buttons.
      const priyaCard = bot.connector
        .updates()
        .find((u) => cardOf(u.body) && u.conversationId !== 'personal-sam');
      expect(textOf(cardOf(priyaCard!.body))).toContain('Withdrawn by the requester.');
      expect(verbs(cardOf(priyaCard!.body))).toEqual([]);
      expect(await bot.auditActions(id)).toEqual(['removal.requested', 'removal.withdraw']);
      expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
    });

    it('by chat, "withdraw my request": withdrawn, and Priya is told', async () => {
      const id = await requested();
      const replies = await bot.say('sam', 'withdraw my request');
      expect(replies).toHaveLength(1);
      expect(replies[0]!.text).toBe('Your request for case 1234567 is withdrawn.');
      expect(textOf(cardOf(replies[0]!))).toContain('Withdrawn by the requester.');
      expect(await bot.row(id)).toMatchObject({ status: 'withdrawn', version: 2 });

      await bot.deliverAll();
      const toPriya = (await bot.sentToPerson('priya')).map((m) => m.text);
      expect(toPriya).toContain(
        'Sam Taylor withdrew their request for case 1234567. Nothing more is needed from you.',
      );
      expect(await bot.auditActions(id)).toEqual(['removal.requested', 'removal.withdraw']);
    });

    it('by chat when nothing is pending: says so and changes nothing', async () => {
      await bot.say('sam', 'hello');
      const before = await bot.stateCounts();
      const replies = await bot.say('sam', 'withdraw my request');
      expect(textOf(cardOf(replies[0]!))).toContain('You have no requests waiting for a decision.');
      expect(await bot.stateCounts()).toEqual(before);
    });
  });

  describe('cancel', () => {
    async function approved(): Promise<string> {
      const id = await requested({ returnOn: '2026-11-30' });
      cardIn(await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }, 'priya-card'));
      await bot.deliverAll();
      return id;
    }

    it('by card with a reason: return requested, Sam is told the reason and the date; then Sam marks it returned by chat', async () => {
      const id = await approved();
      const cancelled = cardIn(
        await bot.press(
          'priya',
          'removal.cancel',
          { authorisationId: id, version: 2, reason: 'An audit visit needs the file on site' },
          'priya-card',
        ),
      );
      expect(textOf(cancelled)).toContain(
        'Authorisation cancelled: the records must come back to the office by 30 November 2026 at the latest.',
      );
      expect(verbs(cancelled)).toEqual(['removal.returned']);
      expect(await bot.row(id)).toMatchObject({
        status: 'return_requested',
        version: 3,
        decided_by: STAFF.priya,
        reason: 'An audit visit needs the file on site',
      });

      await bot.deliverAll();
      const toSam = (await bot.sentToPerson('sam')).filter((m) => String(m.text).includes('cancelled'));
      expect(toSam).toHaveLength(1);
      expect(toSam[0]!.text).toBe(
        'Your authorisation for case 1234567 has been cancelled: An audit visit needs the file on site. Please bring the records back to the office by 30 November 2026 at the latest.',
      );
      expect(actionsOf(cardOf(toSam[0]!)).map((a) => [a.verb, a.title])).toEqual([
        ['removal.returned', 'I have brought the records back'],
      ]);

      const replies = await bot.say('sam', "I've brought the file for 1234567 back");
      expect(replies.at(-1)!.text).toBe(
        'Thank you: the records for case 1234567 are recorded as back in the office.',
      );
      expect(await bot.row(id)).toMatchObject({ status: 'returned', version: 4 });
      await bot.deliverAll();
      expect((await bot.sentToPerson('priya')).map((m) => m.text)).toContain(
        'The records for case 1234567 are back in the office.',
      );
      expect(await bot.auditActions(id)).toEqual([
        'removal.requested',
        'removal.approve',
        'removal.cancel',
        'removal.mark_returned',
      ]);
      expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
    });

    it('by card without a reason: refused, nothing changes', async () => {
      const id = await approved();
      const before = await bot.stateCounts();
      const refused = cardIn(
        await bot.press('priya', 'removal.cancel', { authorisationId: id, version: 2, reason: ' ' }),
      );
      expect(textOf(refused)).toContain('Please give a reason for cancelling the authorisation');
      expect(await bot.row(id)).toMatchObject({ status: 'approved', version: 2 });
      expect(await bot.stateCounts()).toEqual(before);
    });

    it('by chat: "cancel Sam\'s authorisation for 1234567, the case is going to court": checked on a card, then sent', async () => {
      const id = await approved();
      const before = await bot.stateCounts();
      const replies = await bot.say(
        'priya',
        "cancel Sam's authorisation for 1234567, the case is going to court",
      );
      expect(replies).toHaveLength(1);
      // Nothing is sent yet: the recall is shown to check, with the agreed date and the reason.
      const check = cardOf(replies[0]!);
      expect(textOf(check)).toContain("Recall Sam Taylor's records for case 1234567?");
      expect(JSON.stringify(check)).toContain('"value":"the case is going to court"');
      expect(JSON.stringify(check)).toContain('"value":"2026-11-30"');
      expect(actionsOf(check).map((a) => a.verb)).toEqual(['removal.cancel']);
      expect(await bot.stateCounts()).toEqual(before);

      const sent = cardIn(
        await bot.press('priya', 'removal.cancel', {
          ...actionsOf(check)[0]!.data,
          reason: 'the case is going to court',
          returnBy: '2026-11-30',
        }),
      );
      expect(textOf(sent)).toContain('must come back to the office by 30 November 2026');
      const row = await bot.row(id);
      expect(row).toMatchObject({ status: 'return_requested', version: 3, decided_by: STAFF.priya });
      expect(row.reason).toMatch(/going to court/);

      await bot.deliverAll();
      const toSam = (await bot.sentToPerson('sam')).filter((m) => String(m.text).includes('cancelled'));
      expect(toSam).toHaveLength(1);
      expect(toSam[0]!.text).toContain('going to court');
      expect(toSam[0]!.text).toContain('Please bring the records back to the office by 30 November 2026');
      expect(await bot.auditActions(id)).toEqual(['removal.requested', 'removal.approve', 'removal.cancel']);
    });
  });

  describe('acting manager', () => {
    it('Tom covers for Priya until 12 January inclusive, and not after', async () => {
      const cover = await bot.say('priya', 'Tom is covering my approvals until 12 January');
      expect(textOf(cardOf(cover[0]!))).toContain(
        'Tom Hughes can approve, decline and cancel your team’s requests until 12 January 2027 (inclusive).',
      );
      const acting = await bot.app.store.db.selectFrom('acting_managers').selectAll().execute();
      expect(acting).toMatchObject([
        {
          manager_id: STAFF.priya,
          acting_manager_id: STAFF.tom,
          starts_on: '2026-11-26',
          ends_on: '2027-01-12',
        },
      ]);

      const first = await requested();
      // Both Priya and Tom are asked.
      const asked = await bot.outbox('removal.approval_request');
      expect(asked.map((r) => r.recipient_id).sort()).toEqual([STAFF.priya, STAFF.tom].sort());
      const approved = cardIn(
        await bot.press('tom', 'removal.approve', { authorisationId: first, version: 1 }, 'tom-card'),
      );
      expect(textOf(approved)).toContain('Approved by Tom Hughes');
      expect(await bot.row(first)).toMatchObject({ status: 'approved', version: 2, decided_by: STAFF.tom });
      await bot.deliverAll();
      expect((await bot.sentToPerson('sam')).map((m) => m.text)).toContain(
        'Tom Hughes approved your request for case 1234567. The records must be back in the office by 27 November 2026.',
      );

      // The last day of cover still counts.
      bot.clock.set('2027-01-12T16:00:00Z');
      const lastDay = await bot.submit('sam', { outOn: '2027-01-12', returnOn: '2027-01-13' }, 'form-2');
      cardIn(
        await bot.press('tom', 'removal.approve', { authorisationId: lastDay, version: 1 }, 'tom-card-2'),
      );
      expect(await bot.row(lastDay)).toMatchObject({ status: 'approved', decided_by: STAFF.tom });

      bot.clock.set('2027-01-13T09:00:00Z');
      const after = await bot.submit('sam', { outOn: '2027-01-13', returnOn: '2027-01-14' }, 'form-3');
      await bot.deliverAll();
      const before = await bot.stateCounts();
      const refused = await bot.press('tom', 'removal.approve', { authorisationId: after, version: 1 });
      expect(textOf(cardIn(refused))).toContain(
        'Only the requester’s line manager, or a manager acting for them, can do that.',
      );
      expect(await bot.row(after)).toMatchObject({ status: 'pending', version: 1, decided_by: null });
      expect(await bot.stateCounts()).toEqual(before);
      // Only Priya was asked about the last one.
      const askedAfter = (await bot.outbox('removal.approval_request')).filter(
        (r) => r.authorisation_id === after,
      );
      expect(askedAfter.map((r) => r.recipient_id)).toEqual([STAFF.priya]);
      expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
    });
  });
});
