import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { actionsOf, STAFF, textOf, type BotHarness } from '../support/bot-harness.js';
import { invokeCard, lastCard, startBot, textBlocks, type Card } from './helpers.js';

// Issue 4, item 3: holds placed, listed, searched and released by the Records Management
// Service, in chat and on the hold cards, every change in the audit log.

const SAR_FORM = {
  caseRef: '2000548',
  recordId: '',
  type: 'subject_access_request',
  reference: 'SAR/2026/61',
  reason: 'The young person asked for a copy of their file',
  sarReceivedOn: '',
};

describe('holds over HTTP', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  const holdRows = () => bot.app.store.db.selectFrom('holds').selectAll().orderBy('placed_at').execute();
  const holdByRef = (reference: string) =>
    bot.app.store.db
      .selectFrom('holds')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
  const releaseId = (card: Card) => actionsOf(card).find((a) => a.verb === 'hold.release')?.data.holdId;
  const audit = async (holdId: string) =>
    bot.app.store.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('entity_id', '=', holdId)
      .orderBy('seq')
      .execute();

  it('placed in chat: the hold is in force, shown with a Release button, and audited', async () => {
    const card = lastCard(
      await bot.say(
        'morgan',
        'place a litigation hold on case 1805123, reference LIT-2026-31, because the family are suing',
      ),
    );
    const lines = textBlocks(card);
    expect(lines[0]).toBe('Hold placed');
    expect(lines).toContain('Litigation LIT-2026-31: case 1805123');
    expect(lines.join('\n')).toContain('Placed by Morgan Ellis on 26 November 2026: the family are suing');
    const row = await holdByRef('LIT-2026-31');
    expect(row).toMatchObject({
      case_ref: '1805123',
      record_id: null,
      type: 'litigation',
      reason: 'the family are suing',
      placed_by: STAFF.morgan,
      released_at: null,
      sar_received_on: null,
    });
    expect(releaseId(card)).toBe(row.id);
    const events = await audit(row.id);
    expect(events.map((e) => e.action)).toEqual(['hold.placed']);
    expect(events[0]!.actor_id).toBe(STAFF.morgan);
    expect(JSON.parse(events[0]!.details)).toMatchObject({
      caseRef: '1805123',
      type: 'litigation',
      reference: 'LIT-2026-31',
      reason: 'the family are suing',
    });
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('placed from the hold form (hold.place), on one record', async () => {
    const card = invokeCard(
      await bot.press('dana', 'hold.place', {
        caseRef: '',
        recordId: 'PF-400371',
        type: 'claim',
        reference: 'CLM-2026-4',
        reason: 'Compensation claim received',
        sarReceivedOn: '',
      }),
    );
    expect(textBlocks(card)[0]).toBe('Hold placed');
    expect(textOf(card)).toContain('Claim CLM-2026-4: record PF-400371 of case 1805123');
    expect(await holdByRef('CLM-2026-4')).toMatchObject({
      case_ref: '1805123',
      record_id: 'PF-400371',
      type: 'claim',
      placed_by: STAFF.dana,
    });
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('a subject access request hold needs the date received, then shows both deadlines', async () => {
    // In chat without the date: the form comes back, filled in, and nothing is placed.
    const before = await bot.stateCounts();
    const form = lastCard(
      await bot.say(
        'morgan',
        'put a SAR hold on 2000548, ref SAR/2026/61, because the mother asked for her file',
      ),
    );
    expect(textBlocks(form)[0]).toBe('Place a hold');
    expect(actionsOf(form).map((a) => a.verb)).toEqual(['hold.place']);
    const json = JSON.stringify(form);
    expect(json).toContain('"id":"sarReceivedOn"');
    expect(json).toContain('"value":"2000548"');
    expect(json).toContain('"value":"SAR/2026/61"');
    expect(await bot.stateCounts()).toEqual(before);

    // The form sent without the date: refused with the reason, nothing placed.
    const refused = invokeCard(await bot.press('morgan', 'hold.place', SAR_FORM));
    expect(textBlocks(refused)[0]).toBe('Place a hold');
    expect(textOf(refused)).toContain('When was the subject access request received?');
    // A date in the future is refused too.
    const future = invokeCard(
      await bot.press('morgan', 'hold.place', { ...SAR_FORM, sarReceivedOn: '2026-12-01' }),
    );
    expect(textOf(future)).toContain('in the future');
    expect(await bot.stateCounts()).toEqual(before);

    // With the date: one month to respond, three if extended.
    const placed = invokeCard(
      await bot.press('morgan', 'hold.place', { ...SAR_FORM, sarReceivedOn: '2026-11-03' }),
    );
    expect(textBlocks(placed)).toContain(
      'Subject access request received 3 November 2026: respond by 3 December 2026 (or 3 February 2027 if extended).',
    );
    expect(await holdByRef('SAR/2026/61')).toMatchObject({
      type: 'subject_access_request',
      sar_received_on: '2026-11-03',
      sar_extended: 0,
    });

    // In chat with everything said, including the date.
    const chat = lastCard(
      await bot.say(
        'dana',
        'put a SAR hold on 2000685, ref SAR/2026/62, received 31 October, because the mother asked for her file',
      ),
    );
    expect(textBlocks(chat)[0]).toBe('Hold placed');
    // No 31 November: the last day of the month. Extended, 31 January 2027 is a Sunday: the
    // next working day.
    expect(textOf(chat)).toContain(
      'received 31 October 2026: respond by 30 November 2026 (or 1 February 2027 if extended)',
    );
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('a subject access request deadline on a weekend or bank holiday moves to the next working day (ICO)', async () => {
    const card = lastCard(
      await bot.say(
        'morgan',
        'put a SAR hold on 2000822, ref SAR/2026/70, received 25 November, because the young person asked for their file',
      ),
    );
    expect(textBlocks(card)[0]).toBe('Hold placed');
    // 25 December is Christmas Day, 26-27 the weekend, 28 December the Boxing Day substitute.
    expect(textOf(card)).toContain(
      'Subject access request received 25 November 2026: respond by 29 December 2026 (or 25 February 2027 if extended).',
    );
    expect(await holdByRef('SAR/2026/70')).toMatchObject({
      sar_received_on: '2026-11-25',
      case_ref: '2000822',
    });
  });

  it('listed and searched: all holds, holds on a case, on a record, by type and by reference', async () => {
    const all = lastCard(await bot.say('dana', 'show holds'));
    expect(textBlocks(all)[0]).toBe('Holds in force');
    const active = (await holdRows()).filter((h) => !h.released_at);
    expect(active.length).toBeGreaterThanOrEqual(4);
    expect(
      actionsOf(all)
        .map((a) => a.data.holdId)
        .sort(),
    ).toEqual(active.map((h) => h.id).sort());

    const onCase = lastCard(await bot.say('dana', 'holds on 1805123'));
    expect(textBlocks(onCase)[0]).toBe('Holds in force on case 1805123');
    expect(textOf(onCase)).toContain('LIT-2026-31');
    expect(textOf(onCase)).toContain('CLM-2026-4');
    expect(textOf(onCase)).not.toContain('SAR/2026/61');

    // A record is held by its own holds and by holds on its whole case.
    const onRecord = lastCard(await bot.say('dana', 'any holds on record PF-400371?'));
    expect(textBlocks(onRecord)[0]).toBe('Holds in force on record PF-400371');
    expect(actionsOf(onRecord)).toHaveLength(2);
    const otherRecord = lastCard(await bot.say('dana', 'any holds on record LL-400384?'));
    expect(textOf(otherRecord)).toContain('LIT-2026-31');
    expect(textOf(otherRecord)).not.toContain('CLM-2026-4');

    const sars = lastCard(await bot.say('dana', 'list the subject access request holds'));
    expect(textOf(sars)).toContain('SAR/2026/61');
    expect(textOf(sars)).toContain('SAR/2026/62');
    expect(textOf(sars)).not.toContain('LIT-2026-31');

    const byReference = lastCard(await bot.say('dana', 'search holds for LIT-2026-31'));
    expect(actionsOf(byReference).map((a) => a.data.holdId)).toEqual([(await holdByRef('LIT-2026-31')).id]);
    // A hold shown alone carries what can be done to it: release, and for a subject access
    // request its extension and stopped clock.
    const sarByReference = lastCard(await bot.say('dana', 'show hold SAR/2026/61'));
    const sarId = (await holdByRef('SAR/2026/61')).id;
    expect(actionsOf(sarByReference).map((a) => [a.verb, a.data.holdId])).toEqual([
      ['hold.release', sarId],
      ['hold.sar.extend', sarId],
      ['hold.sar.pause', sarId],
    ]);

    const none = lastCard(await bot.say('dana', 'holds on 1234567'));
    expect(textOf(none)).toContain('No holds are in force on case 1234567');
    // The answer names every kind of hold the law requires, FOI requests among them.
    expect(textOf(none)).toContain('a subject access request, an FOI request or an inquiry');
  });

  it('released only with a reason; without one nothing changes', async () => {
    const hold = await holdByRef('CLM-2026-4');
    const before = await bot.stateCounts();
    for (const reason of [undefined, '', '   ']) {
      const data = reason === undefined ? { holdId: hold.id } : { holdId: hold.id, reason };
      const refused = invokeCard(await bot.press('morgan', 'hold.release', data));
      expect(textBlocks(refused)[0]).toBe('Hold not released');
      expect(textOf(refused)).toContain('Say why the hold is released');
      // Still offered for release, with the reason box.
      expect(actionsOf(refused).map((a) => a.data.holdId)).toEqual([hold.id]);
    }
    expect(await bot.stateCounts()).toEqual(before);
    expect(await holdByRef('CLM-2026-4')).toEqual(hold);

    const released = invokeCard(
      await bot.press('morgan', 'hold.release', { holdId: hold.id, reason: 'The claim was withdrawn' }),
    );
    expect(textBlocks(released)[0]).toBe('Hold released');
    expect(textOf(released)).toContain(
      'Released by Morgan Ellis on 26 November 2026: The claim was withdrawn',
    );
    expect(actionsOf(released)).toEqual([]);
    expect(await holdByRef('CLM-2026-4')).toMatchObject({
      released_by: STAFF.morgan,
      released_at: bot.clock.now().toISOString(),
      release_reason: 'The claim was withdrawn',
    });

    // A second press (a stale card) is refused, naming who released it.
    const again = invokeCard(await bot.press('dana', 'hold.release', { holdId: hold.id, reason: 'again' }));
    expect(textOf(again)).toContain('already released by Morgan Ellis');

    const events = await audit(hold.id);
    expect(events.map((e) => e.action)).toEqual(['hold.placed', 'hold.released']);
    expect(JSON.parse(events[1]!.details)).toEqual({ reason: 'The claim was withdrawn' });
    expect(textOf(lastCard(await bot.say('dana', 'holds on 1805123')))).not.toContain('CLM-2026-4');
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('released in chat when the hold and the reason are clear; asks which when they are not', async () => {
    const vague = lastCard(await bot.say('morgan', 'release the hold on 1805123'));
    expect(textBlocks(vague)[0]).toBe('Release this hold? Press Release and give the reason.');
    expect((await holdByRef('LIT-2026-31')).released_at).toBeNull();

    const card = lastCard(await bot.say('morgan', 'lift hold LIT-2026-31, the claim was settled'));
    expect(textBlocks(card)[0]).toBe('Hold released');
    const row = await holdByRef('LIT-2026-31');
    expect(row).toMatchObject({ released_by: STAFF.morgan, release_reason: 'the claim was settled' });
    expect((await audit(row.id)).map((e) => e.action)).toEqual(['hold.placed', 'hold.released']);
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('case workers and line managers can neither place, list nor release holds', async () => {
    const sar = await holdByRef('SAR/2026/61');
    const before = await bot.stateCounts();
    for (const person of ['sam', 'priya'] as const) {
      for (const text of [
        'place a litigation hold on case 2000822, reference LIT-X, because a claim is expected',
        'show holds',
        'lift hold SAR/2026/61, the request was answered',
      ]) {
        expect(textOf(lastCard(await bot.say(person, text)))).toContain(
          'Only the Records Management Service',
        );
      }
      const place = invokeCard(
        await bot.press(person, 'hold.place', { ...SAR_FORM, sarReceivedOn: '2026-11-03' }),
      );
      expect(textOf(place)).toContain('Only the Records Management Service');
      const release = invokeCard(await bot.press(person, 'hold.release', { holdId: sar.id, reason: 'Done' }));
      expect(textOf(release)).toContain('Only the Records Management Service');
      // The refusal does not show the hold's details.
      expect(textOf(release)).not.toContain('SAR/2026/61');
    }
    expect(await bot.stateCounts()).toEqual(before);
    expect(await holdByRef('SAR/2026/61')).toEqual(sar);
  });

  it('bad hold forms are refused and change nothing', async () => {
    const before = await bot.stateCounts();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...SAR_FORM, type: 'vibes', sarReceivedOn: '2026-11-03' }, /Choose a hold type/],
      [{ ...SAR_FORM, caseRef: '9999999', sarReceivedOn: '2026-11-03' }, /not in the inventory/],
      [{ ...SAR_FORM, recordId: 'LL-400109', sarReceivedOn: '2026-11-03' }, /belongs to case 1234567/],
      [{ ...SAR_FORM, reference: '', sarReceivedOn: '2026-11-03' }, /Give the hold a reference/],
      [{ ...SAR_FORM, reason: ' ', sarReceivedOn: '2026-11-03' }, /Say why the records must be kept/],
    ];
    for (const [data, message] of cases) {
      expect(textOf(invokeCard(await bot.press('morgan', 'hold.place', data)))).toMatch(message);
    }
    const forged = await bot.press('morgan', 'hold.release', { reason: 'no id' });
    expect(forged.body.statusCode).toBe(400);
    expect(await bot.stateCounts()).toEqual(before);
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('understands a SAR hold asked for in a young person’s words, with its received date', async () => {
    const card = lastCard(
      await bot.say(
        'morgan',
        'put a SAR hold on 2000137, ref SAR/2026/50, received 3 November, because the young person asked for their file',
      ),
    );
    expect(textBlocks(card)[0]).toBe('Hold placed');
    expect(await holdByRef('SAR/2026/50')).toMatchObject({
      case_ref: '2000137',
      type: 'subject_access_request',
      sar_received_on: '2026-11-03',
      reason: 'the young person asked for their file',
    });
  });

  it('"find hold …" lists that hold rather than releasing anything', async () => {
    await bot.say(
      'morgan',
      'place a claim hold on case 2000274, reference CLM-2026-07, because a claim was made',
    );
    const card = lastCard(await bot.say('morgan', 'find hold CLM-2026-07'));
    expect(textOf(card)).toContain('CLM-2026-07');
    expect(textBlocks(card)[0]).toMatch(/^Holds in force/);
    expect((await holdByRef('CLM-2026-07'))?.released_at).toBeNull();
  });

  it('a subject access request from its hold card: extended with the day the requester was told, its clock stopped and restarted', async () => {
    await bot.say(
      'morgan',
      'put a SAR hold on 2000137, ref SAR/2026/52, received 3 November, because the young person asked for their file',
    );
    const hold = await holdByRef('SAR/2026/52');
    const card = lastCard(await bot.say('morgan', 'show hold SAR/2026/52'));
    expect(actionsOf(card).map((a) => a.verb)).toEqual(['hold.release', 'hold.sar.extend', 'hold.sar.pause']);
    expect(textOf(card)).toContain('respond by 3 December 2026 (or 3 February 2027 if extended)');
    // Asked for in words, the request's hold comes with its Extend and Stop the clock (or, with
    // two on the case, each to open): the words change nothing, and are never read as taking the
    // file out of the office.
    const asked = await bot.stateCounts();
    const byRef = lastCard(await bot.say('morgan', 'stop the clock on SAR/2026/52, waiting for ID'));
    expect(textOf(byRef)).toContain('SAR/2026/52');
    expect(actionsOf(byRef).map((a) => a.verb)).toEqual([
      'hold.release',
      'hold.sar.extend',
      'hold.sar.pause',
    ]);
    const byCase = lastCard(
      await bot.say('morgan', 'the SAR on 2000137 needs extending, we told the requester today'),
    );
    expect(textOf(byCase)).toContain('SAR/2026/52');
    const opens = actionsOf(byCase).map((a) => a.verb);
    expect(opens.length).toBeGreaterThan(0);
    expect(new Set(opens)).toEqual(new Set(['hold.show']));
    expect(await bot.stateCounts()).toEqual(asked);

    // Refused, changing nothing: no day told, a day before the request, someone outside the service.
    const before = await bot.stateCounts();
    for (const [person, data, message] of [
      ['morgan', { toldOn: '', extensionReason: 'Complex' }, 'On what date was the requester told'],
      [
        'morgan',
        { toldOn: '2026-11-02', extensionReason: 'Complex' },
        'cannot have been told before the request was received',
      ],
      ['morgan', { toldOn: '2026-11-25', extensionReason: ' ' }, 'Say why the request needs more time'],
      ['sam', { toldOn: '2026-11-25', extensionReason: 'Complex' }, 'Only the Records Management Service'],
    ] as const) {
      const refused = invokeCard(await bot.press(person, 'hold.sar.extend', { holdId: hold.id, ...data }));
      expect(textOf(refused), JSON.stringify(data)).toContain(message);
    }
    expect(await bot.stateCounts()).toEqual(before);

    const extended = invokeCard(
      await bot.press('morgan', 'hold.sar.extend', {
        holdId: hold.id,
        toldOn: '2026-11-25',
        extensionReason: 'Several requests at once',
      }),
    );
    expect(textOf(extended)).toContain(
      'Extended by two months: respond by 3 February 2027. The requester was told on 25 November 2026.',
    );
    expect(textOf(extended)).toContain(
      '(extended by two months; the requester was told on 25 November 2026)',
    );
    expect(actionsOf(extended).map((a) => a.verb)).toEqual(['hold.release', 'hold.sar.pause']);

    const stopped = invokeCard(
      await bot.press('morgan', 'hold.sar.pause', {
        holdId: hold.id,
        stoppedFrom: '2026-11-20',
        awaiting: 'Proof of identity',
      }),
    );
    expect(textOf(stopped)).toContain('The clock is stopped from 20 November 2026');
    expect(actionsOf(stopped).map((a) => a.verb)).toEqual(['hold.release', 'hold.sar.resume']);
    // Restarted four days later: the deadline moves on four days, to the next working day.
    const restarted = invokeCard(
      await bot.press('morgan', 'hold.sar.resume', { holdId: hold.id, arrivedOn: '2026-11-24' }),
    );
    expect(textOf(restarted)).toContain('The clock is running again: respond by 8 February 2027.');
    expect(await holdByRef('SAR/2026/52')).toMatchObject({
      sar_extended: 1,
      sar_extension_told_on: '2026-11-25',
      sar_extension_reason: 'Several requests at once',
    });
    expect((await audit(hold.id)).map((e) => e.action)).toEqual([
      'hold.placed',
      'hold.sar_extended',
      'hold.sar_paused',
      'hold.sar_resumed',
    ]);
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });
});
