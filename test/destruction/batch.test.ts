import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSchedule, DESTRUCTION_CHECKS, findClass, NOT_SET_UP } from '../../src/rules/index.js';
import { DestructionService, type BatchView } from '../../src/services/destruction.js';
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
  authorisation,
  BEN,
  expectOk,
  hold,
  LOGS_CHECKED,
  openFixture,
  RITA,
  SAM,
  type Fixture,
} from './fixture.js';

const CREATED_AT = '2026-11-25T09:00:00.000Z';
const CONFIRMED_AT = '2026-11-26T10:00:00.000Z';
const cin = 'child-in-need';
const eh = 'early-help';

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let fx: Fixture;
  let batch: BatchView;

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    fx = await openFixture(
      dbs,
      dir,
      'batch',
      [
        inventoryRow({
          record_id: 'A-1',
          case_ref: 'C-A',
          record_class: cin,
          date_of_birth: '1990-03-15',
          closed_on: '2008-06-30',
          last_contact_on: '2008-05-01',
        }),
        inventoryRow({
          record_id: 'A-2',
          case_ref: 'C-A',
          record_class: cin,
          format: 'paper',
          location: 'Offsite store',
        }),
        inventoryRow({ record_id: 'H-1', case_ref: 'C-H', record_class: cin, date_of_birth: '1991-02-01' }),
        inventoryRow({ record_id: 'H-2', case_ref: 'C-H', record_class: cin }),
        inventoryRow({ record_id: 'O-1', case_ref: 'C-O', record_class: eh, date_of_birth: '1992-05-01' }),
        inventoryRow({ record_id: 'O-2', case_ref: 'C-O', record_class: eh }),
        inventoryRow({ record_id: 'N-1', case_ref: 'C-N', record_class: cin, date_of_birth: '2000-01-01' }),
        inventoryRow({ record_id: 'D-1', case_ref: 'C-D', record_class: cin, date_of_birth: '1990-07-01' }),
        inventoryRow({ record_id: 'L-1', case_ref: 'C-L', record_class: cin, date_of_birth: '1993-01-01' }),
      ],
      { now: CREATED_AT },
    );
    const db = fx.store.db;
    await db
      .updateTable('records')
      .set({ destroyed_on: '2025-12-01' })
      .where('record_id', '=', 'D-1')
      .execute();
    await db
      .insertInto('holds')
      .values([
        // A record hold: blocks H-1 only, not H-2.
        hold({
          id: 'hold-sar',
          case_ref: 'C-H',
          record_id: 'H-1',
          type: 'subject_access_request',
          reference: 'SAR-77',
        }),
        // A released hold blocks nothing.
        hold({
          id: 'hold-old',
          case_ref: 'C-A',
          released_by: RITA,
          released_at: '2026-10-01T09:00:00.000Z',
          release_reason: 'Claim settled',
        }),
      ])
      .execute();
    await db
      .insertInto('removal_authorisations')
      .values([
        // O-1 only is out of the office.
        authorisation({ id: 'auth-o', case_ref: 'C-O', status: 'approved', record_ids: '["O-1"]' }),
        // A pending request takes nothing out.
        authorisation({ id: 'auth-a', case_ref: 'C-A', status: 'pending', record_ids: '[]' }),
      ])
      .execute();
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  function item(view: BatchView, recordId: string) {
    const found = view.items.find((i) => i.recordId === recordId);
    if (!found) throw new Error(`no item ${recordId}`);
    return found;
  }

  function failed(view: BatchView, recordId: string) {
    return item(view, recordId)
      .checks.filter((c) => !c.passed)
      .map((c) => c.id);
  }

  describe('creating a batch', () => {
    it('checks each record and stores the batch for review', async () => {
      const review = expectOk(
        await fx.service.createBatch(RITA, {
          recordIds: ['A-1', 'A-2', 'H-1', 'H-2', 'O-1', 'O-2', 'N-1', 'D-1', 'L-1', 'A-1 '],
        }),
      );
      batch = review.batch;
      expect(review.notice).toBeNull();
      expect(batch).toMatchObject({
        reference: 'DB-2026-0001',
        status: 'awaiting_confirmation',
        version: 1,
        createdBy: { id: RITA, name: 'Rita Records' },
        createdAt: CREATED_AT,
        counts: { records: 9, passing: 5, blocked: 4, destroyed: 0 },
        filter: { recordIds: ['A-1', 'A-2', 'H-1', 'H-2', 'O-1', 'O-2', 'N-1', 'D-1', 'L-1'] },
      });
      for (const i of batch.items) {
        expect(i.checks.map((c) => c.id)).toEqual([...DESTRUCTION_CHECKS]);
        expect(i.checks.every((c) => c.checkedAt === CREATED_AT && c.stage === 'review')).toBe(true);
        expect(i.outcome).toBeNull();
      }
      for (const ok of ['A-1', 'A-2', 'H-2', 'O-2', 'L-1']) {
        expect(item(batch, ok)).toMatchObject({ passed: true, eligibleAtReview: true, reasons: [] });
      }
    });

    it('blocks a held record, naming the hold', () => {
      expect(failed(batch, 'H-1')).toEqual(['no-active-hold']);
      expect(item(batch, 'H-1').reasons).toEqual(['On hold: Subject access request (SAR-77).']);
    });

    it('blocks a record out of the office on an authorisation', () => {
      expect(failed(batch, 'O-1')).toEqual(['not-out-of-office']);
      expect(item(batch, 'O-1').reasons).toEqual([
        'Out of the office on authorisation auth-o, due back 30 November 2026.',
      ]);
    });

    it('blocks a record not yet due', () => {
      expect(failed(batch, 'N-1')).toEqual(['retention-ended']);
      expect(item(batch, 'N-1').reasons).toEqual(['Retention has not ended: it ends on 1 January 2030.']);
    });

    it('blocks a record already destroyed', () => {
      expect(failed(batch, 'D-1')).toEqual(['not-already-destroyed']);
      expect(item(batch, 'D-1').reasons).toEqual(['Already destroyed on 1 December 2025.']);
    });

    it('refuses records that are not in the inventory, or none at all', async () => {
      expect(await fx.service.createBatch(RITA, { recordIds: ['A-1', 'NOPE-1', 'NOPE-2'] })).toEqual({
        ok: false,
        code: 'record_unknown',
        message: 'Not in the inventory: NOPE-1, NOPE-2.',
      });
      expect(await fx.service.createBatch(RITA, { recordIds: [' '] })).toMatchObject({
        ok: false,
        code: 'no_records',
      });
      expect(
        await fx.service.createBatch(RITA, { recordIds: ['A-1'], filter: { classId: cin } }),
      ).toMatchObject({ ok: false, code: 'choose_one_way' });
    });
  });

  describe('confirming a batch', () => {
    it('refuses the creator under the two-person rule, changing nothing', async () => {
      const refusal = await fx.service.confirm(RITA, batch.reference, {
        logChecks: LOGS_CHECKED,
        expectedVersion: 1,
      });
      expect(refusal).toEqual({
        ok: false,
        code: 'two_person_rule',
        message:
          'You created batch DB-2026-0001, so another Records Management officer must confirm it (the two-person rule). Nothing was destroyed.',
      });
      expect(expectOk(await fx.service.getBatch(RITA, batch.id)).batch.version).toBe(1);
      expect(await countRows(fx.store.db, 'destruction_register')).toBe(0);
    });

    it('refuses a method it does not know', async () => {
      expect(
        await fx.service.confirm(SAM, batch.id, {
          method: 'bonfire',
          logChecks: LOGS_CHECKED,
          expectedVersion: 1,
        }),
      ).toMatchObject({
        ok: false,
        code: 'bad_method',
        message: expect.stringContaining(
          'Say how the records were destroyed: Secure deletion from Livelink, Confidential waste: cross-cut shredding',
        ) as string,
      });
    });

    it('refuses until every log held outside the app is ticked, naming the rest, destroying nothing', async () => {
      const refusal = await fx.service.confirm(SAM, batch.id, {
        logChecks: { litigation: true, claim: true, subject_access_request: true },
        expectedVersion: 1,
      });
      expect(refusal).toMatchObject({ ok: false, code: 'logs_not_checked' });
      expect(!refusal.ok && refusal.message).toContain('FOI request log (Information Governance)');
      expect(await fx.service.confirm(SAM, batch.id, { expectedVersion: 1 })).toMatchObject({
        ok: false,
        code: 'logs_not_checked',
      });
      expect(expectOk(await fx.service.getBatch(RITA, batch.id)).batch.version).toBe(1);
      expect(await countRows(fx.store.db, 'destruction_register')).toBe(0);
    });

    it('refuses a method that does not fit a record’s format, naming it, destroying nothing', async () => {
      const refusal = await fx.service.confirm(SAM, batch.id, {
        method: 'secure-deletion-livelink',
        logChecks: LOGS_CHECKED,
        expectedVersion: 1,
      });
      expect(refusal).toMatchObject({ ok: false, code: 'method_does_not_fit_format' });
      expect(!refusal.ok && refusal.message).toContain(
        'A-2 is paper, so it cannot be destroyed by secure deletion from livelink',
      );
      expect(expectOk(await fx.service.getBatch(RITA, batch.id)).batch.version).toBe(1);
      expect(await countRows(fx.store.db, 'destruction_register')).toBe(0);
    });

    it('proposes each record’s method from its format', async () => {
      const view = expectOk(await fx.service.getBatch(RITA, batch.id)).batch;
      expect(item(view, 'A-1').proposedMethod).toBe('secure-deletion-livelink');
      expect(item(view, 'A-2').proposedMethod).toBe('confidential-shredding');
    });

    it('destroys only the records that still pass every check, rechecked at confirmation', async () => {
      // A hold placed between review and confirmation blocks its record.
      await fx.store.db
        .insertInto('holds')
        .values(hold({ id: 'hold-late', case_ref: 'C-L', type: 'claim', reference: 'CLM-9' }))
        .execute();
      fx.clock.set(CONFIRMED_AT);
      const result = expectOk(
        await fx.service.confirm(SAM, batch.id, { logChecks: LOGS_CHECKED, expectedVersion: 1 }),
      );
      expect(result.destroyed.map((d) => d.recordId)).toEqual(['A-1', 'A-2', 'H-2', 'O-2']);
      expect(result.blocked).toEqual([
        { recordId: 'D-1', reasons: ['Already destroyed on 1 December 2025.'] },
        { recordId: 'H-1', reasons: ['On hold: Subject access request (SAR-77).'] },
        { recordId: 'L-1', reasons: ['On hold: Claim (CLM-9).'] },
        { recordId: 'N-1', reasons: ['Retention has not ended: it ends on 1 January 2030.'] },
        {
          recordId: 'O-1',
          reasons: ['Out of the office on authorisation auth-o, due back 30 November 2026.'],
        },
      ]);
      expect(result.batch).toMatchObject({
        status: 'confirmed',
        version: 2,
        // Paper and electronic records: each has its own method, so the batch has none of its own.
        method: null,
        methodLabel: null,
        certificateRef: 'DB-2026-0001',
        confirmedBy: { id: SAM, name: 'Sam Shredder' },
        confirmedAt: CONFIRMED_AT,
        counts: { records: 9, passing: 4, blocked: 5, destroyed: 4 },
        logChecks: {
          ticks: LOGS_CHECKED,
          checkedBy: { id: SAM, name: 'Sam Shredder', role: 'Records Management officer' },
          checkedAt: CONFIRMED_AT,
        },
      });
      expect(item(result.batch, 'L-1')).toMatchObject({
        eligibleAtReview: true,
        passed: false,
        outcome: 'blocked',
      });
      expect(item(result.batch, 'A-1').checks.every((c) => c.stage === 'confirm')).toBe(true);

      const records = await fx.store.db
        .selectFrom('records')
        .select(['record_id', 'destroyed_on'])
        .orderBy('record_id')
        .execute();
      expect(Object.fromEntries(records.map((r) => [r.record_id, r.destroyed_on]))).toEqual({
        'A-1': '2026-11-26',
        'A-2': '2026-11-26',
        'D-1': '2025-12-01',
        'H-1': null,
        'H-2': '2026-11-26',
        'L-1': null,
        'N-1': null,
        'O-1': null,
        'O-2': '2026-11-26',
      });
    });

    it('writes a complete register row for each destroyed record', async () => {
      const rows = await fx.store.db
        .selectFrom('destruction_register')
        .selectAll()
        .orderBy('record_id')
        .execute();
      expect(rows.map((r) => r.record_id)).toEqual(['A-1', 'A-2', 'H-2', 'O-2']);
      const a1 = rows[0]!;
      const checks = JSON.parse(a1.checks) as unknown[];
      expect(checks).toEqual(
        DESTRUCTION_CHECKS.map((id) => ({
          id,
          passed: true,
          detail: expect.any(String) as string,
          checkedAt: CONFIRMED_AT,
        })),
      );
      const holdChecks = JSON.parse(a1.hold_checks!) as { type: string; externalLog: unknown }[];
      expect(holdChecks.map((h) => h.type)).toEqual([
        'litigation',
        'claim',
        'subject_access_request',
        'foi_request',
        'inquiry',
        'other',
      ]);
      const sam = { id: SAM, name: 'Sam Shredder', role: 'Records Management officer' };
      expect(holdChecks[3]).toEqual({
        type: 'foi_request',
        label: 'FOI request',
        inProduct: 'none in force',
        externalLog: {
          log: 'FOI request log (Information Governance)',
          checkedBy: sam,
          checkedAt: CONFIRMED_AT,
        },
      });
      expect(holdChecks[4]!.externalLog).toBeNull();
      expect({ ...a1, checks: undefined, hold_checks: undefined }).toEqual({
        id: expect.any(String) as string,
        batch_id: batch.id,
        record_id: 'A-1',
        record_class: cin,
        case_ref: 'C-A',
        format: 'electronic',
        // No date of birth: the range of the case's other dates, and only the year of the trigger.
        earliest_date: '2008-05-01',
        latest_date: '2008-06-30',
        schedule_version: defaultSchedule.version,
        rule_id: 'until-age-30',
        period: findClass(defaultSchedule, cin)!.period,
        trigger_field: 'dateOfBirth',
        trigger_date: '1990',
        retention_ended_on: '2020-03-15',
        checks: undefined,
        hold_checks: undefined,
        authorised_by: RITA,
        authorised_by_name: 'Rita Records',
        authorised_by_role: 'Records Management officer',
        authorised_at: CREATED_AT,
        destroyed_by: SAM,
        destroyed_by_name: 'Sam Shredder',
        destroyed_by_role: 'Records Management officer',
        destroyed_on: '2026-11-26',
        method: 'secure-deletion-livelink',
        certificate_ref: 'DB-2026-0001',
        quantity: 1,
        created_at: CONFIRMED_AT,
        review_decision: null,
        kept_with: null,
      });
      expect(rows.find((r) => r.record_id === 'A-2')).toMatchObject({
        format: 'paper',
        case_ref: 'C-A',
        method: 'confidential-shredding',
      });
      expect(rows.find((r) => r.record_id === 'O-2')).toMatchObject({
        record_class: eh,
        trigger_date: '1992',
        retention_ended_on: '2022-05-01',
        earliest_date: null,
        latest_date: null,
      });
      // No child's date of birth anywhere in the register.
      for (const row of rows) {
        expect(JSON.stringify({ ...row, checks: undefined })).not.toMatch(/1990-03-15|1992-05-01|1991-02-01/);
      }
    });

    it('records the confirmation and each destruction in the audit log', async () => {
      const audit = await fx.store.db
        .selectFrom('audit_log')
        .select(['action', 'entity_id', 'actor_id'])
        .where('action', 'like', '%destr%')
        .orderBy('seq')
        .execute();
      expect(audit).toEqual([
        { action: 'destruction.batch_created', entity_id: batch.id, actor_id: RITA },
        { action: 'record.destroyed', entity_id: 'A-1', actor_id: SAM },
        { action: 'record.destroyed', entity_id: 'A-2', actor_id: SAM },
        { action: 'record.destroyed', entity_id: 'H-2', actor_id: SAM },
        { action: 'record.destroyed', entity_id: 'O-2', actor_id: SAM },
        { action: 'destruction.batch_confirmed', entity_id: batch.id, actor_id: SAM },
      ]);
    });

    it('refuses a second confirmation or a cancellation of the confirmed batch, naming its status', async () => {
      expect(
        await fx.service.confirm(SAM, batch.reference, {
          logChecks: LOGS_CHECKED,
          expectedVersion: 1,
        }),
      ).toEqual({
        ok: false,
        code: 'stale',
        message:
          'Batch DB-2026-0001 has changed since you looked at it: it is now confirmed (its records have been destroyed). Nothing was changed.',
      });
      expect(await fx.service.cancel(RITA, batch.id, 'Wrong records', 1)).toMatchObject({
        ok: false,
        code: 'stale',
      });
      expect(await fx.service.cancel(RITA, batch.id, 'Wrong records', 2)).toMatchObject({
        ok: false,
        code: 'not_awaiting_confirmation',
      });
      expect(await countRows(fx.store.db, 'destruction_register')).toBe(4);
    });

    it('refuses an unknown batch', async () => {
      expect(
        await fx.service.confirm(SAM, 'DB-2026-0999', {
          logChecks: LOGS_CHECKED,
          expectedVersion: 1,
        }),
      ).toEqual({ ok: false, code: 'not_found', message: 'There is no destruction batch DB-2026-0999.' });
    });
  });

  describe('cancelling, filters, numbering and the single-officer setting', () => {
    it('creates a batch from a filter, leaving out records in open batches, and cancels it with a reason', async () => {
      await fx.store.db
        .updateTable('holds')
        .set({ released_at: CONFIRMED_AT })
        .where('id', '=', 'hold-late')
        .execute();
      const review = expectOk(await fx.service.createBatch(SAM, { filter: { classId: cin } }));
      expect(review.batch.reference).toBe('DB-2026-0002');
      expect(review.batch.filter).toEqual({ classId: cin, dueBy: '2026-11-26' });
      expect(review.batch.items.map((i) => i.recordId)).toEqual(['H-1', 'L-1']);
      // Both are now in an open batch, so a second filter batch finds nothing.
      expect(await fx.service.createBatch(RITA, { filter: { classId: cin } })).toMatchObject({
        ok: false,
        code: 'nothing_due',
      });

      expect(await fx.service.cancel(RITA, review.batch.id, '   ', 1)).toEqual({
        ok: false,
        code: 'reason_required',
        message: 'Give a reason for cancelling the batch.',
      });
      const cancelled = expectOk(await fx.service.cancel(RITA, review.batch.reference, 'SAR still open', 1));
      expect(cancelled.batch).toMatchObject({
        status: 'cancelled',
        version: 2,
        cancelledBy: { id: RITA, name: 'Rita Records' },
        cancelReason: 'SAR still open',
      });
      expect(
        await fx.service.confirm(RITA, review.batch.id, {
          logChecks: LOGS_CHECKED,
          expectedVersion: 1,
        }),
      ).toMatchObject({
        ok: false,
        code: 'stale',
        message: expect.stringContaining('now cancelled') as string,
      });
      expect(expectOk(await fx.service.listBatches(RITA, { status: 'cancelled' })).batches).toMatchObject([
        { reference: 'DB-2026-0002', counts: { records: 2, passing: 1, blocked: 1, destroyed: 0 } },
      ]);
      expect(expectOk(await fx.service.listBatches(RITA)).batches.map((b) => b.reference)).toEqual([
        'DB-2026-0002',
        'DB-2026-0001',
      ]);
    });

    it('numbers batches afresh each year', async () => {
      fx.clock.set('2027-01-04T09:00:00.000Z');
      const review = expectOk(await fx.service.createBatch(RITA, { recordIds: ['L-1'] }));
      expect(review.batch.reference).toBe('DB-2027-0001');
      expectOk(await fx.service.cancel(RITA, review.batch.id, 'Numbering test', 1));
    });

    it('lets the creator confirm when the two-person rule is off, with a contractor certificate', async () => {
      const single = new DestructionService(fx.store.db, fx.clock, { twoPersonRule: false });
      const review = expectOk(await single.createBatch(RITA, { recordIds: ['L-1'] }));
      const result = expectOk(
        await single.confirm(RITA, review.batch.id, {
          methods: { 'L-1': 'secure-deletion-other' },
          logChecks: LOGS_CHECKED,
          certificateRef: ' SHRED-CO 4411 ',
          expectedVersion: 1,
        }),
      );
      expect(result.destroyed.map((d) => d.recordId)).toEqual(['L-1']);
      const entry = expectOk(await single.wasDestroyed(RITA, 'L-1')).entry;
      expect(entry).toMatchObject({
        recordId: 'L-1',
        authorisedBy: { id: RITA },
        destroyedBy: { id: RITA },
        method: 'secure-deletion-other',
        methodLabel: 'Secure deletion from another system',
        certificateRef: 'SHRED-CO 4411',
        batchReference: 'DB-2027-0002',
        destroyedOn: '2027-01-04',
      });
      expect(expectOk(await single.wasDestroyed(RITA, 'H-1')).entry).toBeNull();
    });
  });

  describe('the register', () => {
    it('lists entries newest first, filtered by record, case, batch and dates', async () => {
      const all = expectOk(await fx.service.register(RITA));
      expect(all.total).toBe(5);
      expect(all.entries[0]!.recordId).toBe('L-1');
      expect(all.entries[1]).toMatchObject({
        recordId: 'A-1',
        batchReference: 'DB-2026-0001',
        authorisedBy: { id: RITA, name: 'Rita Records' },
        destroyedBy: { id: SAM, name: 'Sam Shredder' },
        triggerField: 'dateOfBirth',
      });
      expect(
        expectOk(await fx.service.register(RITA, { caseRef: 'C-A' })).entries.map((e) => e.recordId),
      ).toEqual(['A-1', 'A-2']);
      expect(expectOk(await fx.service.register(RITA, { batchId: 'DB-2026-0001' })).total).toBe(4);
      expect(expectOk(await fx.service.register(RITA, { batchId: batch.id })).total).toBe(4);
      expect(expectOk(await fx.service.register(RITA, { from: '2027-01-01' })).total).toBe(1);
      expect(expectOk(await fx.service.register(RITA, { to: '2026-12-31' })).total).toBe(4);
      const paged = expectOk(await fx.service.register(RITA, { page: 2, pageSize: 2 }));
      expect(paged).toMatchObject({ total: 5, page: 2, pages: 3 });
      expect(paged.entries.map((e) => e.recordId)).toEqual(['A-2', 'H-2']);
      expect(await fx.service.register(RITA, { from: '2027-02-01', to: '2027-01-01' })).toMatchObject({
        ok: false,
        code: 'bad_range',
      });
      expect(await fx.service.register(RITA, { from: 'yesterday' })).toMatchObject({
        ok: false,
        code: 'bad_date',
      });
    });

    it('cannot be changed or deleted: the database refuses', async () => {
      await expect(
        fx.store.db
          .updateTable('destruction_register')
          .set({ method: 'changed' })
          .where('record_id', '=', 'A-1')
          .execute(),
      ).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(
        fx.store.db.deleteFrom('destruction_register').where('record_id', '=', 'A-1').execute(),
      ).rejects.toThrow(/append-only: DELETE refused/);
      await expect(sql`DELETE FROM destruction_register`.execute(fx.store.db)).rejects.toThrow(/append-only/);
      expect(await countRows(fx.store.db, 'destruction_register')).toBe(5);
    });
  });

  describe('only Records Management', () => {
    it('refuses everyone else, for every action, and writes nothing', async () => {
      const before = {
        batches: await countRows(fx.store.db, 'destruction_batches'),
        audit: await countRows(fx.store.db, 'audit_log'),
      };
      for (const who of [AMY, BEN]) {
        const results = [
          await fx.service.due(who),
          await fx.service.createBatch(who, { recordIds: ['H-1'] }),
          await fx.service.createBatch(who, { filter: {} }),
          await fx.service.confirm(who, batch.id, { method: 'secure-deletion-livelink', expectedVersion: 2 }),
          await fx.service.cancel(who, batch.id, 'Because', 2),
        ];
        const doing = [
          'see which records are due for destruction',
          'create a destruction batch',
          'create a destruction batch',
          'confirm a destruction batch',
          'cancel a destruction batch',
        ];
        results.forEach((r, i) =>
          expect(r).toEqual({
            ok: false,
            code: 'not_records_management',
            message: `Only the Records Management Service can ${doing[i]}. Ask the Records Management Service if you think a record should be destroyed.`,
          }),
        );
      }
      expect(await fx.service.createBatch('stranger', { recordIds: ['H-1'] })).toEqual({
        ok: false,
        code: 'not_in_directory',
        message: NOT_SET_UP,
      });
      expect({
        batches: await countRows(fx.store.db, 'destruction_batches'),
        audit: await countRows(fx.store.db, 'audit_log'),
      }).toEqual(before);
    });

    it('keeps the audit chain intact; the only rows it cannot vouch for are the ones this test wrote directly', async () => {
      const verification = await verifyAudit(fx.store.db);
      expect(verification.chain).toBeNull();
      expect(
        verification.rows.problems.map((p) => p.replace(/ is not in the audit log.*/, '')).sort(),
      ).toEqual([
        'hold hold-late',
        'hold hold-old',
        'hold hold-sar',
        'removal request auth-a',
        'removal request auth-o',
      ]);
    });
  });
});
