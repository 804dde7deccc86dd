import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { actionsOf, cardOf, STAFF, textOf, type BotHarness, type Person } from '../support/bot-harness.js';
import { verbsOf, type Card } from '../support/bot-tests.js';
import { invokeCard, lastCard, onPort, startBot, textBlocks, TICKED, urlOf } from './helpers.js';

// The Records Management Service's work in chat, over HTTP with two officers (Morgan Ellis
// proposes, Dana Fox confirms), as in the Agents Playground: what is due, the review list, a
// decision per record and for a group, a batch previewed and then created, the second officer's
// card with the four outside logs and each record's method, the proposer told and their card
// brought up to date, the register and the certificate; and every refusal on the way.

describe('review, decide and destroy with two officers, over HTTP', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(async () => {
    await bot.stop();
  });

  /** Presses a button of `card` as Teams would: its data with the card's inputs as typed. */
  async function press(
    person: Person,
    card: Card,
    button: string | { verb: string; title: string },
    inputs: Record<string, unknown> = {},
    replyToId?: string,
  ): Promise<Card> {
    const { verb, title } = typeof button === 'string' ? { verb: button, title: undefined } : button;
    const action = actionsOf(card).find((a) => a.verb === verb && (!title || a.title.startsWith(title)));
    if (!action) throw new Error(`no ${verb} button on: ${textBlocks(card).join(' | ').slice(0, 300)}`);
    return invokeCard(await bot.press(person, verb, { ...action.data, ...inputs }, replyToId));
  }

  const only = async (person: Person, text: string) => {
    const replies = await bot.say(person, text);
    expect(replies).toHaveLength(1);
    return { text: replies[0]!.text as string | undefined, card: lastCard(replies) };
  };
  const record = (id: string) =>
    bot.app.store.db.selectFrom('records').selectAll().where('record_id', '=', id).executeTakeFirstOrThrow();
  const decisions = () =>
    bot.app.store.db.selectFrom('disposition_decisions').selectAll().orderBy('record_id').execute();
  const batches = () =>
    bot.app.store.db.selectFrom('destruction_batches').selectAll().orderBy('created_at').execute();
  const register = () =>
    bot.app.store.db.selectFrom('destruction_register').selectAll().orderBy('record_id').execute();
  const LAC = ['LL-400167', 'LL-400198', 'LL-400238', 'LL-400243'];

  it('due → review → decide → preview → create → the second officer ticks and confirms → register and certificate; the proposer told, their card refreshed', async () => {
    // What is due: short, led by a summary by class, ten records a page, class names not ids.
    const due = (await only('morgan', 'what is due for destruction?')).card;
    expect(textBlocks(due)[0]).toBe('Due for destruction');
    expect(textOf(due)).toContain('Child under a supervision order (not in care)');
    expect(textOf(due)).toContain('Records, page 1 of 6');
    expect(JSON.stringify(due)).not.toContain('supervision-order records');
    expect(textBlocks(due).filter((t) => /^(LL|PF)-\d+: /.test(t))).toHaveLength(10);
    expect(verbsOf(due)).toEqual(['destruction.due', 'destruction.due', 'destruction.batch.preview']);
    // Next shows the next ten; Filter (beside the fields) narrows to the class chosen.
    const ids = (card: Card) => textBlocks(card).filter((t) => /^(LL|PF)-\d+: /.test(t));
    const next = await press('morgan', due, { verb: 'destruction.due', title: 'Next' });
    expect(textOf(next)).toContain('Records, page 2 of 6');
    expect(ids(next)).toHaveLength(10);
    expect(ids(next).filter((t) => ids(due).includes(t))).toEqual([]);
    expect(actionsOf(next).map((a) => a.title)).toEqual(['Filter', 'Previous', 'Next', 'Preview a batch']);
    const narrowed = await press(
      'morgan',
      next,
      { verb: 'destruction.due', title: 'Filter' },
      { classId: 'supervision-order', dueBy: '2026-11-26' },
    );
    expect(textOf(narrowed)).toContain('in Child under a supervision order (not in care)');
    expect(textOf(narrowed)).toContain('Records, page 1 of 1');
    expect(ids(narrowed)).toHaveLength(8);

    // The review list: the looked after child records wait for a decision, not for destruction.
    const before = await bot.stateCounts();
    const review = await only('morgan', 'looked after child records waiting for review');
    expect(review.text).toBe("Filtered by: looked after children's records.");
    expect(textBlocks(review.card)[0]).toBe('Waiting for a review decision');
    expect(textOf(review.card)).toContain('4 record(s) in Looked after child case record');
    expect(actionsOf(review.card).filter((a) => a.verb === 'review.form')).toHaveLength(5);

    // A decision read from words comes as a card to check: nothing is recorded until pressed.
    const form = (await only('morgan', 'destroy LL-400167, no further business need')).card;
    expect(textBlocks(form)[0]).toBe('Record a review decision');
    expect(textOf(form)).toContain('LL-400167: ');
    expect(textOf(form)).toContain('from “no further business need”');
    expect(await bot.stateCounts()).toEqual(before);
    const one = await press('morgan', form, 'review.decide', {
      decision: 'destroy',
      reason: 'no further business need',
    });
    expect(textBlocks(one)[0]).toBe('Decision recorded');
    expect(textOf(one)).toContain('Recorded: destroy 1 record(s).');
    expect(await record('LL-400167')).toMatchObject({ disposition: 'destroy' });

    // For the group: the rest of the class. A decision missing is refused, and nothing changes.
    const group = await press(
      'morgan',
      review.card,
      { verb: 'review.form', title: 'Decide for all' },
      {
        classId: 'looked-after-child',
        dueBy: '2026-11-26',
      },
    );
    expect(textOf(group)).toContain('3 record(s).');
    const unchanged = await bot.stateCounts();
    const missing = await press('morgan', group, 'review.decide', { decision: '', reason: 'Closed' });
    expect(textOf(missing)).toContain('Choose a decision: destroy, keep for longer, then review again');
    expect(await bot.stateCounts()).toEqual(unchanged);
    const all = await press('morgan', group, 'review.decide', {
      decision: 'destroy',
      reason: 'No further business need: the child is 78',
    });
    expect(textOf(all)).toContain('Recorded: destroy 3 record(s).');
    expect((await decisions()).filter((d) => d.decision === 'destroy').map((d) => d.record_id)).toEqual(LAC);
    for (const d of await decisions()) {
      expect(d).toMatchObject({ decided_by: STAFF.morgan, decided_by_name: 'Morgan Ellis' });
    }

    // "New batch": a preview first, scope honoured and said back; nothing created, nobody asked.
    const previewBefore = await bot.stateCounts();
    const asked = await only('morgan', 'make a batch of looked after child records');
    expect(asked.text).toBe("Filtered by: looked after children's records.");
    const preview = asked.card;
    expect(textBlocks(preview)[0]).toBe('New destruction batch: preview');
    expect(textOf(preview)).toContain('Looked after child case record');
    expect(textOf(preview)).toContain('would hold 4 record(s): 4 pass every check, 0 are blocked');
    expect(await bot.stateCounts()).toEqual(previewBefore);
    expect(await batches()).toEqual([]);

    // Create, from the preview card (message "preview-1" in Morgan's chat).
    const created = await press('morgan', preview, 'destruction.batch.create', {}, 'preview-1');
    const [batch] = await batches();
    expect(batch).toMatchObject({ status: 'awaiting_confirmation', created_by: STAFF.morgan });
    expect(textBlocks(created)[0]).toBe(`Destruction batch ${batch!.reference}`);
    expect(textOf(created)).toContain(
      'A second Records Management officer must confirm this batch before anything is destroyed (the two-person rule). I have asked Dana Fox.',
    );
    expect(verbsOf(created)).toEqual(['destruction.batch.cancel']);
    // Its card refreshes to the current state for the officers it concerns.
    expect(created.refresh).toMatchObject({
      action: { verb: 'destruction.batch.show', data: { id: batch!.id } },
      userIds: expect.arrayContaining(['29:morgan']) as unknown,
    });

    // Dana is asked, with a card that carries the four ticks and each record's method.
    await bot.deliverAll();
    const toDana = (await bot.sentToPerson('dana')).at(-1)!;
    expect(toDana.text).toBe(
      `Morgan Ellis has chosen destruction batch ${batch!.reference}: please check it and confirm.`,
    );
    const danaCard = cardOf(toDana)!;
    expect(textOf(danaCard)).toContain('electronic: Secure deletion from Livelink');
    expect(JSON.stringify(danaCard)).toContain('"id":"logFoi"');
    expect(verbsOf(danaCard)).toEqual(['destruction.batch.confirm', 'destruction.batch.cancel']);

    // Refusals: the proposer confirming, a case worker, a tick missing, a method that does not fit.
    const refusalsBefore = await bot.stateCounts();
    const own = await press('morgan', danaCard, 'destruction.batch.confirm', TICKED);
    expect(textOf(own)).toContain('another Records Management officer must confirm it (the two-person rule)');
    const sam = await press('sam', danaCard, 'destruction.batch.confirm', TICKED);
    expect(textOf(sam)).toContain('Only the Records Management Service can confirm a destruction batch');
    expect(textOf(sam)).not.toContain('LL-400167');
    const untickedFoi = await press('dana', danaCard, 'destruction.batch.confirm', {
      ...TICKED,
      logFoi: 'false',
    });
    expect(textOf(untickedFoi)).toContain(
      'Before destroying, check the logs held outside this app and tick each one: FOI request log (Information Governance).',
    );
    const mismatch = await press('dana', danaCard, 'destruction.batch.confirm', {
      ...TICKED,
      method: 'confidential-shredding',
    });
    expect(textOf(mismatch)).toContain(
      'LL-400167 is electronic, so it cannot be destroyed by confidential waste: cross-cut shredding',
    );
    expect(await bot.stateCounts()).toEqual(refusalsBefore);
    expect(await register()).toEqual([]);

    // Dana ticks the four logs and confirms, from the card she was sent.
    const sentId = (
      await bot.app.store.db
        .selectFrom('batch_card_messages')
        .select('activity_id')
        .where('recipient_id', '=', STAFF.dana)
        .executeTakeFirstOrThrow()
    ).activity_id;
    const done = await press('dana', danaCard, 'destruction.batch.confirm', TICKED, sentId);
    expect(textOf(done)).toContain('Destroyed 4 record(s) and entered them in the register.');
    expect(textOf(done)).toContain('Confirmed by Dana Fox: 4 record(s) destroyed');
    expect((await register()).map((e) => e.record_id)).toEqual(LAC);

    // Morgan is told, and the card he pressed Create on now shows the batch confirmed.
    bot.connector.clear();
    await bot.deliverAll();
    const told = (await bot.sentToPerson('morgan')).map((m) => m.text);
    expect(told).toContain(
      `Dana Fox confirmed destruction batch ${batch!.reference}, which you chose: 4 record(s) destroyed and entered in the register.`,
    );
    const updated = bot.connector.updates().find((u) => u.activityId === 'preview-1');
    expect(updated?.conversationId).toBe('personal-morgan');
    expect(textOf(cardOf(updated!.body))).toContain('Confirmed by Dana Fox: 4 record(s) destroyed');
    expect(verbsOf(cardOf(updated!.body))).toEqual([]);
    // Dana's card is brought up to date too.
    expect(bot.connector.updates().some((u) => u.activityId === sentId)).toBe(true);

    // The register, by the names people use, with the decision that allowed each destruction.
    const registerCard = (await only('dana', 'show the destruction register')).card;
    expect(textOf(registerCard)).toContain('Looked after child case record');
    expect(textOf(registerCard)).toContain("75th anniversary of the child's birth");
    expect(textOf(registerCard)).toContain(
      'Reviewed: Morgan Ellis on 26 November 2026 decided to destroy it',
    );
    expect(JSON.stringify(registerCard)).not.toContain('looked-after-child');
    expect(JSON.stringify(registerCard)).not.toContain('75-years-from-birth');

    // The certificate: names, each record's own method, no ids.
    const pdf = await fetch(onPort(bot, urlOf(done, 'Certificate of destruction (PDF)')));
    expect(pdf.status).toBe(200);
    const text = (await new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) }).getText()).text;
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Looked after child case record');
    expect(flat).toContain('Secure deletion from Livelink');
    expect(flat).not.toContain('looked-after-child');
    expect(flat).not.toContain('75-years-from-birth');
    for (const id of LAC) expect(flat).toContain(id);

    // The workbook holds the register and the review decisions.
    const xlsx = await fetch(onPort(bot, urlOf(registerCard, 'Download Excel')));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Destruction register', 'Review decisions']);
    expect(workbook.worksheets[1]!.actualRowCount).toBe(LAC.length + 1);

    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('keep for more years moves the review date; a transfer is recorded with its accession reference', async () => {
    // Keep: read from words, checked on the card, recorded; the record leaves the review list
    // until its new review date.
    const keepForm = (await only('morgan', 'keep LL-402887 for 5 more years, still in proceedings')).card;
    expect(textOf(keepForm)).toContain('Keep for longer, then review again (5 more years)');
    const kept = await press('morgan', keepForm, 'review.decide', {
      decision: 'keep',
      keepYears: 5,
      reason: 'still in proceedings',
    });
    expect(textOf(kept)).toContain(
      'Recorded: keep 1 record(s) for 5 more year(s), until a review on 26 November 2031.',
    );
    expect(await record('LL-402887')).toMatchObject({ disposition: 'keep', review_on: '2031-11-26' });
    const now = await press('morgan', kept, 'review.list');
    expect(textOf(now)).not.toContain('LL-402887');
    const later = invokeCard(
      await bot.press('morgan', 'review.list', { recordId: 'LL-402887', dueBy: '2031-11-26' }),
    );
    expect(textOf(later)).toContain('LL-402887');
    expect(textOf(later)).toContain('kept until a review on 26 November 2031');

    // Transfer: the accession reference is required; then recorded, and the record is kept here no more.
    const transferForm = (await only('morgan', 'transfer LL-404235 to the archives, historic interest')).card;
    const before = await bot.stateCounts();
    const noAccession = await press('morgan', transferForm, 'review.decide', {
      decision: 'transfer',
      reason: 'Historic interest',
    });
    expect(textOf(noAccession)).toContain('Give the archive’s accession reference for the transfer.');
    expect(await bot.stateCounts()).toEqual(before);
    const transferred = await press('morgan', noAccession, 'review.decide', {
      decision: 'transfer',
      reason: 'Historic interest',
      accessionRef: 'ACC/2026/14',
      archive: 'County Record Office',
    });
    expect(textOf(transferred)).toContain(
      'Recorded: transfer 1 record(s) to County Record Office, accession ACC/2026/14.',
    );
    expect(await record('LL-404235')).toMatchObject({
      disposition: 'transfer',
      transferred_on: '2026-11-26',
    });

    // The register of decisions lists the transfer, by the class's name, with its id beside.
    const registerCard = (await only('morgan', 'show the destruction register')).card;
    const csv = await (await fetch(onPort(bot, urlOf(registerCard, 'Review decisions (CSV)')))).text();
    const rows = parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { columns: true });
    expect(rows.find((r) => r['Record ID'] === 'LL-404235')).toMatchObject({
      Decision: 'Transfer to the archives',
      'Accession reference': 'ACC/2026/14',
      Archive: 'County Record Office',
      'Record class': 'Secure accommodation record',
      'Record class (ID)': 'secure-accommodation',
      'Decided by': 'Morgan Ellis',
    });
    expect(rows.find((r) => r['Record ID'] === 'LL-402887')).toMatchObject({
      'Kept for (years)': '5',
      'Next review': '2031-11-26',
    });
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('a hold on whole classes blocks its records in a preview and at confirmation; released, it blocks no more', async () => {
    // Dana proposes a batch of the supervision order records (due: their class is destroyed).
    const preview = (await only('dana', 'new batch of supervision order records')).card;
    expect(textOf(preview)).toContain('would hold 8 record(s): 8 pass every check');
    const created = await press('dana', preview, 'destruction.batch.create');
    const [batch] = await batches();
    expect(textOf(created)).toContain('I have asked Morgan Ellis.');

    // Morgan places an inquiry's moratorium on the class, from the form the chat offers.
    const form = (await only('morgan', 'place an inquiry hold on supervision order records')).card;
    expect(textBlocks(form)[0]).toBe('Place a hold on whole classes of records');
    const placed = await press('morgan', form, 'hold.blanket.place', {
      type: 'inquiry',
      name: 'Independent Inquiry into Child Sexual Abuse',
      reference: 'IICSA-2015',
      reason: 'The inquiry asked every council to keep these records',
      startsOn: '2015-07-01',
      endsOn: '',
      classes: 'supervision-order',
    });
    expect(textBlocks(placed)[0]).toBe('Hold placed on whole classes');
    expect(textOf(placed)).toContain('Classes: Child under a supervision order (not in care)');
    const holds = (await only('morgan', 'show holds')).card;
    expect(textOf(holds)).toContain('On whole classes of records');
    expect(textOf(holds)).toContain('Independent Inquiry into Child Sexual Abuse');

    // While the batch waits, a new preview leaves its records out rather than counting them twice.
    const waiting = (await only('morgan', 'new batch of supervision order records')).card;
    expect(textOf(waiting)).toContain(
      '8 record(s) due are left out: they are in a batch waiting for confirmation.',
    );
    // Confirmation checks again: the hold placed after the batch was chosen keeps every record.
    const confirmed = invokeCard(
      await bot.press('morgan', 'destruction.batch.confirm', { batchId: batch!.id, version: 1, ...TICKED }),
    );
    expect(textOf(confirmed)).toContain(
      'Nothing was destroyed: every record failed a check at confirmation.',
    );
    expect(textOf(confirmed)).toContain(
      'Kept: On hold: Inquiry (Independent Inquiry into Child Sexual Abuse, IICSA-2015).',
    );
    expect(await register()).toEqual([]);

    // Kept, they are due again: a new preview shows them blocked by the hold, and why.
    const blocked = (await only('morgan', 'new batch of supervision order records')).card;
    expect(textOf(blocked)).toContain('would hold 8 record(s): 0 pass every check, 8 are blocked');
    expect(textOf(blocked)).toContain(
      '8 record(s): on hold (litigation, claim, subject access, FOI or inquiry)',
    );
    expect(textOf(blocked)).toContain('Independent Inquiry into Child Sexual Abuse');

    // Released: the next batch of the class can be destroyed.
    const released = (await only('morgan', 'release hold IICSA-2015, the moratorium ended')).card;
    expect(textBlocks(released)[0]).toBe('Hold released');
    const again = (await only('morgan', 'new batch of supervision order records')).card;
    expect(textOf(again)).toContain('would hold 8 record(s): 8 pass every check');
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('a batch of every class: its card pages the records and refreshes to the page shown', async () => {
    // "Start a batch" names no class: every class, nothing narrowed.
    const asked = await only('morgan', 'start a batch');
    expect(asked.text).toBeUndefined();
    const preview = asked.card;
    expect(textOf(preview)).toContain('Every class');
    const created = await press('morgan', preview, 'destruction.batch.create');
    const [batch] = await batches();
    const pages = Math.ceil(
      Number(
        (
          await bot.app.store.db
            .selectFrom('destruction_batch_items')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('batch_id', '=', batch!.id)
            .executeTakeFirstOrThrow()
        ).n,
      ) / 10,
    );
    expect(pages).toBeGreaterThan(1);
    expect(textOf(created)).toContain(`Records, page 1 of ${pages}`);
    const second = await press('morgan', created, { verb: 'destruction.batch.show', title: 'Next' });
    expect(textOf(second)).toContain(`Records, page 2 of ${pages}`);
    expect(second.refresh).toMatchObject({ action: { data: { id: batch!.id, page: 2 } } });
    const back = await press('morgan', second, { verb: 'destruction.batch.show', title: 'Previous' });
    expect(textOf(back)).toContain(`Records, page 1 of ${pages}`);
  });

  it('a batch cancelled by the other officer: its proposer is told why and their card shows it', async () => {
    const preview = (await only('dana', 'new batch of supervision order records')).card;
    await press('dana', preview, 'destruction.batch.create', {}, 'dana-preview');
    const [batch] = await batches();
    await bot.deliverAll();
    const toMorgan = cardOf((await bot.sentToPerson('morgan')).at(-1)!)!;
    const cancelled = await press('morgan', toMorgan, 'destruction.batch.cancel', {
      reason: 'The court asked us to wait',
    });
    expect(textOf(cancelled)).toContain('Cancelled by Morgan Ellis: The court asked us to wait');
    bot.connector.clear();
    await bot.deliverAll();
    expect((await bot.sentToPerson('dana')).map((m) => m.text)).toContain(
      `Morgan Ellis cancelled destruction batch ${batch!.reference}, which you chose: The court asked us to wait. Nothing was destroyed.`,
    );
    const updated = bot.connector.updates().find((u) => u.activityId === 'dana-preview');
    expect(textOf(cardOf(updated!.body))).toContain('Cancelled by Morgan Ellis');
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('a case worker and a line manager can neither see the review list, decide, preview nor create; nothing changes', async () => {
    const before = await bot.stateCounts();
    for (const person of ['sam', 'priya'] as const) {
      for (const text of ['which records need a review decision?', 'destroy LL-400167, no further need']) {
        // Read as outside their work, or refused: either way nothing of the review is shown.
        const { card } = await only(person, text);
        expect(textOf(card), `${person}: ${text}`).not.toContain('LL-400167:');
        expect(verbsOf(card).filter((v) => v.startsWith('review.'))).toEqual([]);
      }
      for (const [verb, data] of [
        ['review.list', {}],
        ['review.form', { recordIds: 'LL-400167' }],
        ['review.decide', { recordIds: 'LL-400167', decision: 'destroy', reason: 'x' }],
        ['destruction.batch.preview', { classId: '', dueBy: '' }],
        [
          'hold.blanket.place',
          { type: 'inquiry', name: 'x', reference: 'x', reason: 'x', startsOn: '2026-01-01' },
        ],
      ] as const) {
        const card = invokeCard(await bot.press(person, verb, data));
        expect(textOf(card), `${person}: ${verb}`).toContain('Records Management Service');
        expect(textOf(card)).not.toContain('LL-400167:');
        expect(actionsOf(card)).toEqual([]);
      }
    }
    expect(await bot.stateCounts()).toEqual(before);
  });
});
