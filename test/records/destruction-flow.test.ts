import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { DOWNLOADS } from '../../src/downloads/paths.js';
import { actionsOf, STAFF, textOf, type BotHarness } from '../support/bot-harness.js';
import {
  confirmOnCard,
  decideToDestroy,
  invokeCard,
  lastCard,
  linkFor,
  onPort,
  startBot,
  textBlocks,
  TICKED,
  urlOf,
} from './helpers.js';

// Issue 4, item 4: destruction by the Records Management Service only, two officers, every check
// run again at confirmation, and an append-only register that the exports hold exactly. Records
// whose class is reviewed need a decision to destroy first; confirmation needs the officer's
// ticks for the logs held outside the app, which the chat's card does not carry, so the chat
// refuses it and the service confirms.

const CHECK_IDS = [
  'actor-is-records-management',
  'retention-ended',
  'review-decision',
  'no-active-hold',
  'not-out-of-office',
  'not-already-destroyed',
];

describe('destruction over HTTP', () => {
  let bot: BotHarness;
  afterEach(async () => {
    await bot?.stop();
  });

  const batches = () =>
    bot.app.store.db.selectFrom('destruction_batches').selectAll().orderBy('created_at').execute();
  const batchRow = (id: string) =>
    bot.app.store.db
      .selectFrom('destruction_batches')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const register = () =>
    bot.app.store.db.selectFrom('destruction_register').selectAll().orderBy('record_id').execute();
  const destroyedRecords = async () =>
    (
      await bot.app.store.db
        .selectFrom('records')
        .select('record_id')
        .where('destroyed_on', 'is not', null)
        .orderBy('record_id')
        .execute()
    ).map((r) => r.record_id);

  /** Morgan chooses every record of a class that is due; returns the review card and the batch row. */
  async function createBatch(classId: string, person: 'morgan' | 'dana' = 'morgan') {
    const review = invokeCard(
      await bot.press(person, 'destruction.batch.create', { classId, dueBy: '2026-11-26' }),
    );
    const row = (await batches()).at(-1)!;
    expect(textBlocks(review)[0]).toBe(`Destruction batch ${row.reference}`);
    return { review, batch: row };
  }

  /** Sam takes a case's records out of the office; Priya approves. */
  async function takeOut(caseRef: string): Promise<string> {
    const id = await bot.submit('sam', { caseRef }, `form-${caseRef}`);
    const approved = await bot.press(
      'priya',
      'removal.approve',
      { authorisationId: id, version: 1 },
      `p-${caseRef}`,
    );
    expect(approved.status).toBe(200);
    expect((await bot.row(id)).status).toBe('approved');
    return id;
  }

  it('only the Records Management Service sees what is due, batches, confirms, cancels, the register and its files', async () => {
    bot = await startBot();
    // Looked after child records are reviewed: no batch without a decision to destroy.
    const refused = invokeCard(
      await bot.press('morgan', 'destruction.batch.create', {
        classId: 'looked-after-child',
        dueBy: '2026-11-26',
      }),
    );
    expect(textOf(refused)).toContain(
      'No records of the class Looked after child case record are due for destruction',
    );
    await decideToDestroy(bot, 'dana', 'looked-after-child');
    const { batch } = await createBatch('looked-after-child');
    await bot.deliverAll();
    const before = await bot.stateCounts();
    for (const person of ['sam', 'priya'] as const) {
      for (const text of [
        'what is due for destruction?',
        'start a destruction batch for looked after child records',
        'show destruction batches',
        'show the destruction register',
        'export the destruction register as csv',
      ]) {
        expect(textOf(lastCard(await bot.say(person, text))), `${person}: ${text}`).toContain(
          'Records Management Service',
        );
      }
      // Asked about one record, anyone gets its case's retention status: the register stays the service's.
      const status = textOf(lastCard(await bot.say(person, 'was record LL-400167 destroyed?')));
      expect(status).toContain('LL-400167');
      expect(status).not.toContain('Destruction register');
      const presses: [string, Record<string, unknown>][] = [
        ['destruction.due', { classId: '', dueBy: '' }],
        ['destruction.batch.create', { classId: '', dueBy: '2026-11-26' }],
        ['destruction.batch.show', { id: batch.id }],
        [
          'destruction.batch.confirm',
          { batchId: batch.id, version: batch.version, method: 'confidential-shredding' },
        ],
        ['destruction.batch.cancel', { batchId: batch.id, version: batch.version, reason: 'Not needed' }],
      ];
      for (const [verb, data] of presses) {
        const card = invokeCard(await bot.press(person, verb, data));
        expect(textOf(card), `${person}: ${verb}`).toContain('Records Management Service');
        // The refusal shows nothing of the batch.
        expect(textOf(card)).not.toContain('LL-400167');
        expect(actionsOf(card)).toEqual([]);
      }
      // Even a correctly signed link is refused when it was made for someone outside the service.
      for (const path of [DOWNLOADS.registerCsv, DOWNLOADS.registerXlsx, DOWNLOADS.certificate(batch.id)]) {
        expect((await fetch(linkFor(bot, path, person))).status, `${person}: ${path}`).toBe(403);
      }
    }
    expect(await bot.stateCounts()).toEqual(before);
    expect((await batchRow(batch.id)).status).toBe('awaiting_confirmation');
    expect(await destroyedRecords()).toEqual([]);
    // The same link for an officer works.
    expect((await fetch(linkFor(bot, DOWNLOADS.registerCsv, 'dana'))).status).toBe(200);
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('two officers; holds and removals after the review block their records at confirmation; the register and its files', async () => {
    bot = await startBot();
    // Case 2006850 is out of the office before the batch is chosen: blocked at review.
    const early = await takeOut('2006850');
    const { review, batch } = await createBatch('supervision-order');
    expect(textOf(review)).toContain('6 of 8 record(s) pass every check');
    expect(textOf(review)).toContain(`Out of the office on authorisation ${early}`);
    // Morgan chose it: no confirm button for him, and Dana is asked.
    expect(actionsOf(review).map((a) => a.verb)).toEqual(['destruction.batch.cancel']);
    expect((await bot.outbox('destruction.awaiting_confirmation')).map((o) => o.recipient_id)).toEqual([
      STAFF.dana,
    ]);

    // After the review, before confirmation: a claim hold on one record, and case 2006987 goes out.
    expect(
      textBlocks(
        lastCard(
          await bot.say(
            'morgan',
            'place a claim hold on record LL-403464, reference CLM-9, because a claim was made',
          ),
        ),
      )[0],
    ).toBe('Hold placed');
    await takeOut('2006987');

    // The creator cannot confirm (two-person rule): nothing destroyed.
    const own = invokeCard(
      await bot.press('morgan', 'destruction.batch.confirm', {
        batchId: batch.id,
        version: batch.version,
        method: 'confidential-shredding',
      }),
    );
    expect(textOf(own)).toContain('another Records Management officer must confirm it (the two-person rule)');
    // A stale card (wrong version) is refused, naming the batch's current status.
    const stale = invokeCard(
      await bot.press('dana', 'destruction.batch.confirm', {
        batchId: batch.id,
        version: batch.version + 1,
        method: 'confidential-shredding',
      }),
    );
    expect(textOf(stale)).toContain(
      `Batch ${batch.reference} has changed since you looked at it: it is now waiting for confirmation. Nothing was changed.`,
    );
    expect(await register()).toEqual([]);
    expect(await destroyedRecords()).toEqual([]);

    // Without the ticks for the logs held outside the app, nothing is destroyed.
    const unticked = invokeCard(
      await bot.press('dana', 'destruction.batch.confirm', {
        batchId: batch.id,
        version: batch.version,
        certificateRef: 'SHRED-2026-118',
      }),
    );
    expect(textOf(unticked)).toContain(
      'Before destroying, check the logs held outside this app and tick each one',
    );
    expect(await register()).toEqual([]);
    expect(await destroyedRecords()).toEqual([]);

    // With the four ticks, from the card: each record by the method its format calls for.
    const result = invokeCard(
      await bot.press('dana', 'destruction.batch.confirm', {
        batchId: batch.id,
        version: batch.version,
        certificateRef: 'SHRED-2026-118',
        ...TICKED,
      }),
    );
    expect(textOf(result)).toContain(
      'Destroyed 3 record(s) and entered them in the register. 5 record(s) were kept: a check failed at confirmation.',
    );
    expect(textOf(result)).toContain('Kept: On hold: Claim (CLM-9).');
    const confirmed = invokeCard(await bot.press('dana', 'destruction.batch.show', { id: batch.id }));
    expect(textOf(confirmed)).toContain('Confirmed by Dana Fox: 3 record(s) destroyed');
    const destroyed = ['LL-403485', 'LL-403492', 'PF-403453'];
    expect(await destroyedRecords()).toEqual(destroyed);
    const entries = await register();
    expect(entries.map((e) => e.record_id)).toEqual(destroyed);
    const outcomes = await bot.app.store.db
      .selectFrom('destruction_batch_items')
      .select(['record_id', 'outcome', 'checks'])
      .where('batch_id', '=', batch.id)
      .orderBy('record_id')
      .execute();
    const blocked = Object.fromEntries(
      outcomes
        .filter((o) => o.outcome === 'blocked')
        .map((o) => {
          const checks = JSON.parse(o.checks) as { id: string; passed: boolean; stage: string }[];
          return [o.record_id, checks.filter((c) => c.stage === 'confirm' && !c.passed).map((c) => c.id)];
        }),
    );
    expect(blocked).toEqual({
      'LL-403464': ['no-active-hold'],
      'LL-403525': ['not-out-of-office'],
      'LL-403554': ['not-out-of-office'],
      'LL-403580': ['not-out-of-office'],
      'LL-403604': ['not-out-of-office'],
    });

    // Confirmed twice (a stale card): refused, naming the status; nothing more destroyed.
    const twice = invokeCard(
      await bot.press('dana', 'destruction.batch.confirm', {
        batchId: batch.id,
        version: batch.version,
        method: 'confidential-shredding',
      }),
    );
    expect(textOf(twice)).toContain('it is now confirmed');
    expect(await register()).toHaveLength(3);

    // Every register row is complete.
    for (const e of entries) {
      expect(e).toMatchObject({
        batch_id: batch.id,
        record_class: 'supervision-order',
        case_ref: '2006713',
        schedule_version: '2026.2',
        period: '21 years from date of birth',
        rule_id: '21-years-from-birth',
        trigger_field: 'dateOfBirth',
        // Only the year of a date of birth is kept.
        trigger_date: '1952',
        retention_ended_on: '1973-02-15',
        authorised_by: STAFF.morgan,
        authorised_by_name: 'Morgan Ellis',
        authorised_by_role: 'Records Management officer',
        authorised_at: batch.created_at,
        destroyed_by: STAFF.dana,
        destroyed_by_name: 'Dana Fox',
        destroyed_by_role: 'Records Management officer',
        destroyed_on: '2026-11-26',
        // Each record's own method, by its format.
        method: e.format === 'paper' ? 'confidential-shredding' : 'secure-deletion-livelink',
        certificate_ref: 'SHRED-2026-118',
        quantity: 1,
      });
      expect(['electronic', 'paper']).toContain(e.format);
      for (const column of [
        'id',
        'record_id',
        'record_class',
        'case_ref',
        'format',
        'schedule_version',
        'period',
        'checks',
        'authorised_by',
        'authorised_at',
        'destroyed_by',
        'destroyed_on',
        'method',
        'certificate_ref',
        'quantity',
        'created_at',
      ] as const) {
        expect(e[column], column).not.toBeNull();
        expect(String(e[column]).trim(), column).not.toBe('');
      }
      const checks = JSON.parse(e.checks) as {
        id: string;
        passed: boolean;
        detail: string;
        checkedAt: string;
      }[];
      expect(checks.map((c) => c.id)).toEqual(CHECK_IDS);
      for (const c of checks) {
        expect(c).toMatchObject({ passed: true, checkedAt: bot.clock.now().toISOString() });
        expect(c.detail.length).toBeGreaterThan(0);
      }
    }

    // The register cannot be altered.
    const first = entries[0]!;
    await expect(
      bot.app.store.db
        .updateTable('destruction_register')
        .set({ method: 'recycled' })
        .where('id', '=', first.id)
        .execute(),
    ).rejects.toThrow();
    await expect(
      bot.app.store.db.deleteFrom('destruction_register').where('id', '=', first.id).execute(),
    ).rejects.toThrow();
    expect(await register()).toEqual(entries);

    // The exports hold exactly the register.
    const registerCard = lastCard(await bot.say('dana', 'show the destruction register'));
    expect(textBlocks(registerCard)[0]).toBe('Destruction register');
    const csvUrl = onPort(bot, urlOf(registerCard, 'Download CSV'));
    const xlsxUrl = onPort(bot, urlOf(registerCard, 'Download Excel'));
    const csvResponse = await fetch(csvUrl);
    expect(csvResponse.status).toBe(200);
    const rows = parse<Record<string, string>>((await csvResponse.text()).replace(/^\uFEFF/, ''), {
      columns: true,
    });
    expect(rows.map((r) => r['Record ID']).sort()).toEqual(destroyed);
    expect(rows.map((r) => r['Entry ID']).sort()).toEqual(entries.map((e) => e.id).sort());
    for (const r of rows) {
      expect(r).toMatchObject({
        'Case reference': '2006713',
        'Schedule version': '2026.2',
        'Authorised by': 'Morgan Ellis',
        'Destroyed by': 'Dana Fox',
        'Destroyed on': '2026-11-26',
        'Certificate reference': 'SHRED-2026-118',
        Quantity: '1',
      });
      expect(r['Pre-destruction checks']!.split('\n')).toHaveLength(CHECK_IDS.length);
    }
    const xlsxResponse = await fetch(xlsxUrl);
    expect(xlsxResponse.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsxResponse.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const idColumn = header.indexOf('Record ID');
    expect(idColumn).toBeGreaterThan(0);
    const xlsxIds: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) xlsxIds.push(row.getCell(idColumn).text);
    });
    expect(xlsxIds.sort()).toEqual(destroyed);
    expect(sheet.actualRowCount).toBe(entries.length + 1);

    // The certificate names every destroyed record; links expire after 15 minutes.
    const certificateUrl = onPort(bot, urlOf(confirmed, 'Certificate of destruction (PDF)'));
    expect((await fetch(certificateUrl)).status).toBe(200);
    bot.clock.advanceHours(16 / 60);
    for (const url of [csvUrl, xlsxUrl, certificateUrl]) {
      const expired = await fetch(url);
      // Refused: 403 per issue 4; the download routes are moving invalid links to 401.
      expect([401, 403], url).toContain(expired.status);
      expect(JSON.stringify(await expired.json())).toContain('expired');
    }
    // Asking again gives a fresh link that works.
    const again = lastCard(await bot.say('dana', 'show the destruction register'));
    expect((await fetch(onPort(bot, urlOf(again, 'Download CSV')))).status).toBe(200);

    // "Was it destroyed?" answers from the register.
    expect(textBlocks(lastCard(await bot.say('dana', 'was record LL-403485 destroyed?')))[0]).toBe(
      'Record LL-403485 was destroyed',
    );
    expect(textBlocks(lastCard(await bot.say('dana', 'was record LL-403464 destroyed?')))[0]).toBe(
      'Record LL-403464 has not been destroyed',
    );
    const actions = (
      await bot.app.store.db.selectFrom('audit_log').select('action').orderBy('seq').execute()
    ).map((a) => a.action);
    expect(actions.filter((a) => a === 'record.destroyed')).toHaveLength(3);
    expect(actions).toContain('destruction.batch_confirmed');
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('cancelling needs a reason; a cancelled batch cannot be confirmed', async () => {
    bot = await startBot();
    await decideToDestroy(bot, 'dana', 'childrens-home-child');
    const { batch } = await createBatch('childrens-home-child');
    const before = await bot.stateCounts();
    for (const reason of ['', '   ']) {
      const refused = invokeCard(
        await bot.press('dana', 'destruction.batch.cancel', {
          batchId: batch.id,
          version: batch.version,
          reason,
        }),
      );
      expect(textOf(refused)).toContain('Give a reason for cancelling the batch.');
    }
    expect(await bot.stateCounts()).toEqual(before);
    expect(await batchRow(batch.id)).toEqual(batch);

    // The creator may cancel, with a reason.
    const cancelled = invokeCard(
      await bot.press('morgan', 'destruction.batch.cancel', {
        batchId: batch.id,
        version: batch.version,
        reason: 'The home asked us to wait for the inspection',
      }),
    );
    expect(textOf(cancelled)).toMatch(/cancelled/i);
    expect(actionsOf(cancelled)).toEqual([]);
    expect(await batchRow(batch.id)).toMatchObject({
      status: 'cancelled',
      version: batch.version + 1,
      cancelled_by: STAFF.morgan,
      cancel_reason: 'The home asked us to wait for the inspection',
    });

    const stale = invokeCard(
      await bot.press('dana', 'destruction.batch.confirm', {
        batchId: batch.id,
        version: batch.version,
        method: 'secure-deletion-livelink',
      }),
    );
    expect(textOf(stale)).toContain('it is now cancelled');
    const current = invokeCard(
      await bot.press('dana', 'destruction.batch.confirm', {
        batchId: batch.id,
        version: batch.version + 1,
        method: 'secure-deletion-livelink',
      }),
    );
    expect(textOf(current)).toContain(`Batch ${batch.reference} is cancelled`);
    expect(textOf(current)).toContain('cannot be confirmed');
    expect(await register()).toEqual([]);
    expect(await destroyedRecords()).toEqual([]);
    const audit = await bot.auditActions(batch.id);
    expect(audit).toEqual(['destruction.batch_created', 'destruction.batch_cancelled']);
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('with DESTRUCTION_TWO_PERSON_RULE=false the officer who chose the batch confirms it', async () => {
    bot = await startBot({ DESTRUCTION_TWO_PERSON_RULE: 'false' });
    await decideToDestroy(bot, 'morgan', 'looked-after-child');
    const { review, batch } = await createBatch('looked-after-child');
    const confirm = actionsOf(review).find((a) => a.verb === 'destruction.batch.confirm');
    expect(confirm?.data).toMatchObject({ batchId: batch.id, version: batch.version });
    expect(textOf(review)).not.toContain('Another Records Management officer must confirm');
    // Nobody else is asked.
    expect(await bot.outbox('destruction.awaiting_confirmation')).toEqual([]);

    const done = await confirmOnCard(bot, 'morgan', batch.id, { version: batch.version });
    expect(done.destroyed).toHaveLength(4);
    const entries = await register();
    expect(entries.map((e) => e.record_id)).toEqual(['LL-400167', 'LL-400198', 'LL-400238', 'LL-400243']);
    for (const e of entries) {
      expect(e).toMatchObject({
        authorised_by: STAFF.morgan,
        destroyed_by: STAFF.morgan,
        case_ref: '1600229',
      });
      // The batch reference stands in for a certificate reference not given.
      expect(e.certificate_ref).toBe(batch.reference);
    }
    // Still Records Management only.
    await decideToDestroy(bot, 'dana', 'childrens-home-child');
    const other = await createBatch('childrens-home-child', 'dana');
    const sam = invokeCard(
      await bot.press('sam', 'destruction.batch.confirm', {
        batchId: other.batch.id,
        version: other.batch.version,
        method: 'secure-deletion-livelink',
      }),
    );
    expect(textOf(sam)).toContain('Only the Records Management Service can confirm a destruction batch');
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });
});
