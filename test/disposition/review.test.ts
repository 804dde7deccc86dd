import { PassThrough } from 'node:stream';
import { buffer as collect, text } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionsCsv, DECISION_COLUMNS, registerXlsx } from '../../src/exports/register-export.js';
import { DispositionService } from '../../src/services/disposition.js';
import { HoldService } from '../../src/services/holds.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { inventoryRow } from '../support/csv.js';
import {
  countRows,
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';
import {
  AMY,
  BEN,
  expectOk,
  LOGS_CHECKED,
  openFixture,
  RITA,
  SAM,
  type Fixture,
} from '../destruction/fixture.js';

// Disposition review: records whose end action is review go to a review list, not a destruction
// batch; a Records Management officer records a decision per record or per group; nothing
// reviewed is destroyed without a decision to destroy; every decision is audited and kept.

const NOW = '2026-11-26T10:00:00.000Z';
const LAC = 'looked-after-child';
const RECORDING = { RITA: 'Rita Records', SAM: 'Sam Shredder' };
const OFFICER = 'Records Management officer';

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let fx: Fixture;
  let review: DispositionService;

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    fx = await openFixture(
      dbs,
      dir,
      'review',
      [
        // Looked after children born long ago: retention ended, end action review.
        inventoryRow({ record_id: 'LL-1', case_ref: 'C-1', record_class: LAC, date_of_birth: '1940-01-01' }),
        inventoryRow({ record_id: 'LL-4', case_ref: 'C-4', record_class: LAC, date_of_birth: '1935-01-01' }),
        inventoryRow({ record_id: 'LL-5', case_ref: 'C-5', record_class: LAC, date_of_birth: '1936-01-01' }),
        inventoryRow({ record_id: 'LL-6', case_ref: 'C-6', record_class: LAC, date_of_birth: '1937-01-01' }),
        inventoryRow({ record_id: 'LL-7', case_ref: 'C-7', record_class: LAC, date_of_birth: '1938-01-01' }),
        // A child protection record alone: 35 years after closure, reviewed.
        inventoryRow({
          record_id: 'CP-1',
          case_ref: 'C-CP',
          record_class: 'child-protection',
          date_of_birth: '1970-01-01',
          closed_on: '1980-01-01',
          format: 'paper',
          location: 'Records store',
        }),
        // The case: the CP record is kept with the LAC record to 1 April 2050.
        inventoryRow({
          record_id: 'CP-2',
          case_ref: 'C-X',
          record_class: 'child-protection',
          date_of_birth: '1975-04-01',
          closed_on: '1985-01-01',
        }),
        inventoryRow({ record_id: 'LL-3', case_ref: 'C-X', record_class: LAC }),
        // Destroyed at the end of retention without review.
        inventoryRow({
          record_id: 'CN-1',
          case_ref: 'C-CN',
          record_class: 'child-in-need',
          date_of_birth: '1980-01-01',
        }),
        // Adoption with no order, child never looked after: reviewed at closure; decided as a group.
        inventoryRow({
          record_id: 'AN-1',
          case_ref: 'C-A1',
          record_class: 'adoption-no-order',
          closed_on: '2020-01-01',
        }),
        inventoryRow({
          record_id: 'AN-2',
          case_ref: 'C-A2',
          record_class: 'adoption-no-order',
          closed_on: '2021-01-01',
        }),
      ],
      { now: NOW },
    );
    review = new DispositionService(fx.store.db, fx.clock);
    expectOk(
      await new HoldService(fx.store.db, fx.clock).place(RITA, {
        caseRef: 'C-7',
        type: 'litigation',
        reference: 'LIT-7',
        reason: 'Claim against the council',
      }),
    );
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  const reviewIds = async () =>
    expectOk(await review.reviewList(RITA, { pageSize: 100 })).records.map((r) => r.recordId);
  const dueIds = async () =>
    expectOk(await fx.service.due(RITA, { pageSize: 100 })).records.map((r) => r.recordId);
  const record = (id: string) =>
    fx.store.db.selectFrom('records').selectAll().where('record_id', '=', id).executeTakeFirstOrThrow();

  describe('the review list and the destruction list', () => {
    it('puts records whose end action is review on the review list, not the destruction list', async () => {
      // Longest past the end of retention first.
      expect(await reviewIds()).toEqual(['LL-4', 'LL-5', 'LL-6', 'LL-7', 'CP-1', 'LL-1', 'AN-1', 'AN-2']);
      expect(await dueIds()).toEqual(['CN-1']);
      const list = expectOk(await review.reviewList(RITA, { classId: 'adoption-no-order' }));
      expect(list.groups).toEqual([
        {
          classId: 'adoption-no-order',
          classTitle: 'Adoption case record where no adoption order was made',
          month: '2020-01',
          count: 1,
        },
        {
          classId: 'adoption-no-order',
          classTitle: 'Adoption case record where no adoption order was made',
          month: '2021-01',
          count: 1,
        },
      ]);
      expect(list.records.map((r) => r.recordId)).toEqual(['AN-1', 'AN-2']);
      const held = expectOk(await review.reviewList(RITA)).records.find((r) => r.recordId === 'LL-7');
      expect(held).toMatchObject({ held: true, out: false, reviewOn: null, keptWith: null });
    });

    it('keeps the CP record of a child later looked after off both lists: retained to 2050', async () => {
      expect(await record('CP-2')).toMatchObject({
        retention_ends_on: '2050-04-01',
        retention_kept_with: LAC,
        retention_action: 'review',
      });
    });
  });

  describe('nothing reviewed is destroyed without a decision to destroy', () => {
    it('blocks a review record in a batch, at review and again at confirmation', async () => {
      const batch = expectOk(await fx.service.createBatch(RITA, { recordIds: ['LL-1', 'CN-1'] })).batch;
      const ll1 = batch.items.find((i) => i.recordId === 'LL-1')!;
      expect(ll1.passed).toBe(false);
      expect(ll1.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(['review-decision']);
      expect(ll1.reasons).toEqual([
        'Its class is reviewed at the end of retention: a Records Management officer must record a decision to destroy it first.',
      ]);
      const done = expectOk(
        await fx.service.confirm(SAM, batch.id, { logChecks: LOGS_CHECKED, expectedVersion: 1 }),
      );
      expect(done.destroyed.map((d) => d.recordId)).toEqual(['CN-1']);
      expect(done.blocked.map((b) => b.recordId)).toEqual(['LL-1']);
      expect((await record('LL-1')).destroyed_on).toBeNull();
    });
  });

  describe('decisions', () => {
    it('destroy: recorded with who (name and role) and why, audited; the record can then be destroyed', async () => {
      const result = expectOk(
        await review.decide(
          RITA,
          { recordIds: ['LL-1'] },
          { decision: 'destroy', reason: 'No further business need' },
        ),
      );
      expect(result.decisions).toHaveLength(1);
      const decision = result.decisions[0]!;
      expect(decision).toMatchObject({
        recordId: 'LL-1',
        caseRef: 'C-1',
        recordClass: LAC,
        decision: 'destroy',
        decisionLabel: 'Destroy',
        reason: 'No further business need',
        reviewOn: null,
        retentionEndedOn: '2015-01-01',
        ruleId: '75-years-from-birth',
        decidedBy: { id: RITA, name: RECORDING.RITA, role: OFFICER },
        decidedOn: '2026-11-26',
        groupId: result.groupId,
      });
      expect(await record('LL-1')).toMatchObject({
        disposition: 'destroy',
        disposition_id: decision.id,
        review_on: null,
      });
      const audit = await fx.store.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'details'])
        .where('entity_id', '=', 'LL-1')
        .where('action', 'like', 'disposition.%')
        .execute();
      expect(audit.map((a) => [a.action, a.actor_id])).toEqual([['disposition.destroy', RITA]]);
      expect(JSON.parse(audit[0]!.details)).toMatchObject({
        decisionId: decision.id,
        reason: 'No further business need',
      });

      expect(await reviewIds()).not.toContain('LL-1');
      expect(await dueIds()).toContain('LL-1');
      const batch = expectOk(await fx.service.createBatch(RITA, { recordIds: ['LL-1'] })).batch;
      expect(batch.items[0]!.checks.find((c) => c.id === 'review-decision')).toMatchObject({
        passed: true,
        detail:
          'Reviewed: Rita Records on 26 November 2026 decided to destroy it (No further business need).',
      });
      const done = expectOk(
        await fx.service.confirm(SAM, batch.id, { logChecks: LOGS_CHECKED, expectedVersion: 1 }),
      );
      expect(done.destroyed.map((d) => d.recordId)).toEqual(['LL-1']);
      const entry = expectOk(await fx.service.wasDestroyed(RITA, 'LL-1')).entry!;
      expect(entry.reviewDecision).toMatchObject({
        id: decision.id,
        decision: 'destroy',
        decidedByName: RECORDING.RITA,
        decidedByRole: OFFICER,
        reason: 'No further business need',
      });
    });

    it('keep: a new review date; off both lists until then, and not destroyable', async () => {
      const result = expectOk(
        await review.decide(
          SAM,
          { recordIds: ['LL-6'] },
          { decision: 'keep', keepYears: 5, reason: 'Care-experienced adult asked for access' },
        ),
      );
      expect(result.decisions[0]).toMatchObject({ decision: 'keep', keepYears: 5, reviewOn: '2031-11-26' });
      expect(await record('LL-6')).toMatchObject({ disposition: 'keep', review_on: '2031-11-26' });
      expect(await reviewIds()).not.toContain('LL-6');
      expect(await dueIds()).not.toContain('LL-6');
      const batch = expectOk(await fx.service.createBatch(RITA, { recordIds: ['LL-6'] })).batch;
      expect(batch.items[0]!.reasons).toEqual([
        'Reviewed: Sam Shredder on 26 November 2026 decided to keep it until a review on 26 November 2031 (Care-experienced adult asked for access).',
      ]);
      expectOk(await fx.service.cancel(RITA, batch.id, 'Kept for review', 1));
      // On the review date it comes back for a new decision.
      expect(
        expectOk(await review.reviewList(RITA, { dueBy: '2031-11-26' })).records.map((r) => r.recordId),
      ).toContain('LL-6');
      expect(
        expectOk(await review.reviewList(RITA, { dueBy: '2031-11-25' })).records.map((r) => r.recordId),
      ).not.toContain('LL-6');
    });

    it('transfer: the accession reference is recorded and the record leaves both lists for good', async () => {
      const result = expectOk(
        await review.decide(
          RITA,
          { recordIds: ['LL-4'] },
          {
            decision: 'transfer',
            reason: 'Of historical value',
            accessionRef: 'ACC 2026/114',
            archive: 'Hertfordshire Archives',
          },
        ),
      );
      expect(result.decisions[0]).toMatchObject({
        decision: 'transfer',
        accessionRef: 'ACC 2026/114',
        archive: 'Hertfordshire Archives',
      });
      expect(await record('LL-4')).toMatchObject({ disposition: 'transfer', transferred_on: '2026-11-26' });
      expect(await reviewIds()).not.toContain('LL-4');
      expect(await dueIds()).not.toContain('LL-4');
      const again = await review.decide(
        RITA,
        { recordIds: ['LL-4'] },
        { decision: 'destroy', reason: 'Changed my mind' },
      );
      expect(again).toMatchObject({ ok: false, code: 'not_reviewable' });
      expect(!again.ok && again.message).toContain(
        'LL-4 was transferred to the archives on 26 November 2026.',
      );
      const batch = expectOk(await fx.service.createBatch(RITA, { recordIds: ['LL-4'] })).batch;
      expect(batch.items[0]!.passed).toBe(false);
      expectOk(await fx.service.cancel(RITA, batch.id, 'Transferred', 1));
    });

    it('keep permanently: never on a list, never destroyed', async () => {
      expectOk(
        await review.decide(
          RITA,
          { recordIds: ['LL-5'] },
          { decision: 'permanent', reason: 'Life story of a care-experienced person' },
        ),
      );
      expect(await record('LL-5')).toMatchObject({ disposition: 'permanent', review_on: null });
      expect(await reviewIds()).not.toContain('LL-5');
      expect(
        expectOk(await review.reviewList(RITA, { dueBy: '2099-01-01' })).records.map((r) => r.recordId),
      ).not.toContain('LL-5');
      expect(await dueIds()).not.toContain('LL-5');
    });

    it('a group: every record waiting for review in a class, one decision each, one group id', async () => {
      const result = expectOk(
        await review.decide(
          RITA,
          { filter: { classId: 'adoption-no-order' } },
          { decision: 'destroy', reason: 'Child never looked after; no further action' },
        ),
      );
      expect(result.decisions.map((d) => d.recordId)).toEqual(['AN-1', 'AN-2']);
      expect(new Set(result.decisions.map((d) => d.groupId))).toEqual(new Set([result.groupId]));
      expect(await dueIds()).toEqual(expect.arrayContaining(['AN-1', 'AN-2']));
      expect(
        await review.decide(
          RITA,
          { filter: { classId: 'adoption-no-order' } },
          { decision: 'destroy', reason: 'Again' },
        ),
      ).toMatchObject({
        ok: false,
        code: 'nothing_to_review',
      });
    });
  });

  describe('refusals change nothing', () => {
    const counts = async () => ({
      decisions: await countRows(fx.store.db, 'disposition_decisions'),
      audit: await countRows(fx.store.db, 'audit_log'),
    });

    it('all or nothing: a record whose retention has not ended stops the whole decision', async () => {
      const before = await counts();
      const refused = await review.decide(
        RITA,
        { recordIds: ['CP-1', 'CP-2'] },
        { decision: 'destroy', reason: 'Both' },
      );
      expect(refused).toMatchObject({ ok: false, code: 'not_reviewable' });
      expect(!refused.ok && refused.message).toContain(
        'CP-2’s retention has not ended: it ends on 1 April 2050.',
      );
      expect(await counts()).toEqual(before);
      expect((await record('CP-1')).disposition).toBeNull();
    });

    it('a record on hold is not transferred', async () => {
      const refused = await review.decide(
        RITA,
        { recordIds: ['LL-7'] },
        { decision: 'transfer', reason: 'x', accessionRef: 'ACC-7' },
      );
      expect(!refused.ok && refused.message).toContain('LL-7 is on hold (LIT-7)');
    });

    it.each([
      [{ decision: 'keep', reason: 'Longer' }, 'bad_keep_years'],
      [{ decision: 'transfer', reason: 'Archive' }, 'accession_required'],
      [{ decision: 'destroy', reason: '' }, 'reason_required'],
      [{ decision: 'burn', reason: 'x' }, 'bad_decision'],
    ])('bad input %j', async (input, code) => {
      const before = await counts();
      expect(await review.decide(RITA, { recordIds: ['CP-1'] }, input)).toMatchObject({ ok: false, code });
      expect(await counts()).toEqual(before);
    });

    it('unknown records, none, or too many', async () => {
      expect(
        await review.decide(RITA, { recordIds: ['NOPE'] }, { decision: 'destroy', reason: 'x' }),
      ).toMatchObject({ ok: false, code: 'not_reviewable' });
      expect(
        await review.decide(RITA, { recordIds: [' '] }, { decision: 'destroy', reason: 'x' }),
      ).toMatchObject({ ok: false, code: 'no_records' });
      expect(
        await review.decide(
          RITA,
          { recordIds: Array.from({ length: 501 }, (_, i) => `R-${i}`) },
          { decision: 'destroy', reason: 'x' },
        ),
      ).toMatchObject({ ok: false, code: 'too_many_records' });
    });

    it('only the Records Management Service reviews and decides', async () => {
      const before = await counts();
      for (const who of [AMY, BEN, 'stranger']) {
        for (const result of [
          await review.reviewList(who),
          await review.decide(who, { recordIds: ['CP-1'] }, { decision: 'destroy', reason: 'x' }),
          await review.history(who, 'CP-1'),
          await review.decisions(who),
        ]) {
          expect(result).toMatchObject({
            ok: false,
            code: who === 'stranger' ? 'not_in_directory' : 'not_records_management',
          });
        }
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('the register of decisions', () => {
    it('lists every decision, transfers among them, filtered and paged', async () => {
      const all = expectOk(await review.decisions(RITA));
      expect(all.total).toBe(6);
      expect(all.decisions.map((d) => d.decision).sort()).toEqual([
        'destroy',
        'destroy',
        'destroy',
        'keep',
        'permanent',
        'transfer',
      ]);
      const transfers = expectOk(await review.decisions(RITA, { decision: 'transfer' }));
      expect(transfers.decisions.map((d) => [d.recordId, d.accessionRef])).toEqual([
        ['LL-4', 'ACC 2026/114'],
      ]);
      expect(expectOk(await review.history(RITA, 'LL-6')).decisions.map((d) => d.decision)).toEqual(['keep']);
      expect(await review.decisions(RITA, { from: 'soon' })).toMatchObject({ ok: false, code: 'bad_date' });
    });

    it('exports as CSV and as a second sheet of the register workbook', async () => {
      const decisions = expectOk(await review.decisions(RITA)).decisions;
      const rows: string[][] = parse(await text(decisionsCsv(decisions)), { bom: true });
      expect(rows[0]).toEqual(DECISION_COLUMNS.map((c) => c.header));
      expect(rows).toHaveLength(7);
      const transfer = rows.find((r) => r.includes('ACC 2026/114'))!;
      expect(transfer).toEqual(
        expect.arrayContaining([
          'LL-4',
          'Transfer to the archives',
          'Hertfordshire Archives',
          RECORDING.RITA,
          OFFICER,
        ]),
      );
      const workbook = new ExcelJS.Workbook();
      const out = new PassThrough();
      const collected = collect(out);
      await registerXlsx([], out, decisions);
      await workbook.xlsx.load(new Uint8Array(await collected).slice().buffer);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['Destruction register', 'Review decisions']);
      expect(workbook.getWorksheet('Review decisions')!.rowCount).toBe(7);
    });

    it('cannot be changed or deleted: the database refuses', async () => {
      await expect(
        fx.store.db
          .updateTable('disposition_decisions')
          .set({ reason: 'changed' })
          .where('record_id', '=', 'LL-4')
          .execute(),
      ).rejects.toThrow(/disposition_decisions is append-only: UPDATE refused/);
      await expect(fx.store.db.deleteFrom('disposition_decisions').execute()).rejects.toThrow(/append-only/);
      expect(await verifyAudit(fx.store.db)).toMatchObject({ ok: true });
    });
  });
});
