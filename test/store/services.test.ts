import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSchedule, type Role } from '../../src/rules/index.js';
import type { Clock } from '../../src/services/clock.js';
import { HoldService, type HoldFilter, type HoldView } from '../../src/services/holds.js';
import { queueReminders } from '../../src/services/reminders.js';
import { RemovalService } from '../../src/services/removal.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { mrisOf, saveReference } from '../../src/store/conversations.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { claimDue, enqueue } from '../../src/store/outbox.js';
import { seedStaff } from '../support/staff.js';
import { countRows, forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';

// The services' storage behaviour, the same on both databases: searches, upserts, one decision
// when two managers press Approve at once, and notifications queued and claimed once. On
// PostgreSQL the races run between two stores, as two instances of the bot would.

const NOW = '2026-11-25T10:00:00.000Z';
const clock: Clock = { now: () => new Date(NOW) };

const WORKER = 'worker-1';
const MANAGER = 'manager-1';
const COVER = 'cover-1';
const RECORDS = 'records-1';

const STAFF: { id: string; name: string; roles: Role[]; manager: string | null }[] = [
  { id: WORKER, name: 'Sam Worker', roles: ['case_worker'], manager: MANAGER },
  { id: MANAGER, name: 'Mo Manager', roles: ['line_manager'], manager: null },
  { id: COVER, name: 'Cy Cover', roles: ['line_manager'], manager: null },
  { id: RECORDS, name: 'Rae Records', roles: ['records_management'], manager: null },
];

async function seed(store: Store): Promise<void> {
  await seedStaff(store.db, STAFF, NOW);
  await store.db
    .insertInto('cases')
    .values([
      { case_ref: '1000001', date_of_birth: '1990-01-01', updated_at: NOW },
      { case_ref: '1000002', updated_at: NOW },
    ])
    .execute();
  await store.db
    .insertInto('records')
    .values(
      ['R-1', 'R-2'].map((id, i) => ({
        record_id: id,
        case_ref: `100000${i + 1}`,
        record_class: 'child-in-need',
        title: 'Case file',
        format: 'paper',
        location: 'Office',
        retention_ends_on: null,
        retention_rule: null,
        retention_missing: null,
        retention_permanent: 0,
        schedule_version: defaultSchedule.version,
        destroyed_on: null,
        updated_at: NOW,
      })),
    )
    .execute();
}

/** The holds a Records Management officer sees for `filter`. */
async function listed(holds: HoldService, filter: HoldFilter): Promise<HoldView[]> {
  const result = await holds.list(RECORDS, filter);
  if (!result.ok) throw new Error(result.message);
  return result.holds;
}

forEachDialect((dialect) => {
  let dbs: TestDatabases;
  let url: string;
  let store: Store;
  /** A second instance on the same database (PostgreSQL); on SQLite the same store. */
  let other: Store;

  beforeAll(async () => {
    dbs = testDatabases(dialect);
    url = await dbs.newUrl('services');
    store = await openReadyStore(url, defaultSchedule);
    other = dialect === 'postgres' ? await openReadyStore(url, defaultSchedule) : store;
    await seed(store);
  });

  afterAll(async () => {
    await store.close();
    await other.close();
    await dbs.cleanup();
  });

  describe('holds', () => {
    it('searches reference and reason ignoring case, taking % and _ literally', async () => {
      const holds = new HoldService(store.db, clock);
      const placed = await holds.place(RECORDS, {
        caseRef: '1000001',
        type: 'litigation',
        reference: 'LIT-2026-31',
        reason: 'Claim by the family (50% liability)',
      });
      expect(placed.ok).toBe(true);
      await holds.place(RECORDS, {
        caseRef: '1000002',
        type: 'claim',
        reference: 'CLM_7',
        reason: 'Insurance claim',
      });
      const refs = async (search: string) => (await listed(holds, { search })).map((h) => h.reference).sort();
      expect(await refs('lit-2026')).toEqual(['LIT-2026-31']);
      expect(await refs('CLAIM BY')).toEqual(['LIT-2026-31']);
      expect(await refs('claim')).toEqual(['CLM_7', 'LIT-2026-31']);
      expect(await refs('50%')).toEqual(['LIT-2026-31']);
      expect(await refs('5_%')).toEqual([]);
      expect(await refs('clm_')).toEqual(['CLM_7']);
      expect(await refs('CLM-')).toEqual([]);
      expect(await refs('\\')).toEqual([]);
    });

    it('lists a record held through its case, and releases a hold once', async () => {
      const holds = new HoldService(store.db, clock);
      const [hold] = await listed(holds, { recordId: 'R-1', active: true });
      expect(hold).toMatchObject({ reference: 'LIT-2026-31', recordId: null, placedBy: 'Rae Records' });
      const released = await holds.release(RECORDS, hold!.id, 'Claim settled');
      expect(released).toMatchObject({ ok: true, hold: { active: false, releasedBy: 'Rae Records' } });
      expect(await new HoldService(other.db, clock).release(RECORDS, hold!.id, 'Again')).toMatchObject({
        ok: false,
        code: 'already_released',
      });
      expect(await listed(holds, { recordId: 'R-1', active: true })).toEqual([]);
    });
  });

  describe('removal authorisations', () => {
    it('two managers approving at once: one decision, the other told it changed', async () => {
      const removals = new RemovalService(store.db, clock, { maxDays: 28 });
      expect(await removals.setActing(MANAGER, COVER, '2026-12-31')).toMatchObject({ ok: true });
      const requested = await removals.request(WORKER, {
        caseRef: '1000001',
        recordIds: ['R-1'],
        purpose: 'court',
        destination: 'Family Court',
        outOn: '2026-11-26',
        returnOn: '2026-11-28',
        justification: 'Final hearing',
        acknowledged: true,
        unknownCaseConfirmed: false,
      });
      if (!requested.ok) throw new Error(JSON.stringify(requested.problems));
      const id = requested.authorisation.id;
      expect(requested.authorisation.approvers.map((a) => a.id).sort()).toEqual([COVER, MANAGER]);

      const elsewhere = new RemovalService(other.db, clock, { maxDays: 28 });
      const outcomes = await Promise.all([
        removals.act(MANAGER, id, { kind: 'approve' }, 1),
        elsewhere.act(COVER, id, { kind: 'decline', reason: 'Not needed' }, 1),
      ]);
      const won = outcomes.filter((o) => o.ok);
      const lost = outcomes.filter((o) => !o.ok);
      expect(won).toHaveLength(1);
      expect(lost).toMatchObject([{ ok: false, refusal: { code: 'stale' } }]);

      const history = await store.db
        .selectFrom('authorisation_history')
        .select(['version', 'to_status'])
        .where('authorisation_id', '=', id)
        .orderBy('version')
        .execute();
      expect(history.map((h) => h.version)).toEqual([1, 2]);
      const viewed = await removals.view(MANAGER, id);
      if (!viewed.ok) throw new Error(viewed.refusal.message);
      const view = viewed.authorisation;
      expect(view.version).toBe(2);
      expect(view.status).toBe(history[1]!.to_status);
      expect(await verifyAudit(store.db)).toMatchObject({ ok: true });

      // The same button pressed again by the winner is a repeat, not a second change.
      const winner = outcomes[0].ok ? MANAGER : COVER;
      const action =
        winner === MANAGER ? { kind: 'approve' as const } : { kind: 'decline' as const, reason: 'x' };
      expect(await removals.act(winner, id, action, 1)).toMatchObject({ ok: true, repeated: true });
    });

    it('lists the team and the case file in the same order on both databases', async () => {
      const removals = new RemovalService(store.db, clock, { maxDays: 28 });
      const team = await removals.team(MANAGER);
      expect(
        [...team.pending, ...team.overdue, ...team.outNow, ...team.leavingLater].map((a) => a.caseRef),
      ).toEqual((await removals.openForCase(MANAGER, '1000001')).map((a) => a.caseRef));
      const mine = await removals.listMine(WORKER);
      expect(mine.open.length + mine.closed.length).toBe(1);
    });
  });

  describe('notifications and conversation references', () => {
    it('queues each dedupe key once, however often and from however many instances', async () => {
      const before = await countRows(store.db, 'outbox');
      const item = {
        dedupeKey: 'test:once',
        recipientId: WORKER,
        kind: 'reminder.pending' as const,
        authorisationId: null,
        dueAt: NOW,
      };
      await Promise.all([enqueue(store.db, [item, item], NOW), enqueue(other.db, [item], NOW)]);
      await enqueue(store.db, [item], NOW);
      expect(await countRows(store.db, 'outbox')).toBe(before + 1);

      const first = await queueReminders(store.db, clock, { pendingReminderHours: 0 });
      const again = await queueReminders(other.db, clock, { pendingReminderHours: 0 });
      expect(again).toBe(first);
      const keys = await store.db.selectFrom('outbox').select('dedupe_key').execute();
      expect(new Set(keys.map((k) => k.dedupe_key)).size).toBe(keys.length);
    });

    it('hands each due notification to one sender only', async () => {
      const due = await store.db
        .selectFrom('outbox')
        .select('id')
        .where('sent_at', 'is', null)
        .where('due_at', '<=', NOW)
        .execute();
      expect(due.length).toBeGreaterThan(1);
      const hold = '2026-11-25T10:05:00.000Z';
      const claims = await Promise.all([
        claimDue(store.db, NOW, hold, 100),
        claimDue(other.db, NOW, hold, 100),
        claimDue(store.db, NOW, hold, 100),
      ]);
      const ids = claims.flat().map((r) => r.id);
      expect(ids.sort()).toEqual(due.map((d) => d.id).sort());
      expect(await claimDue(other.db, NOW, hold, 100)).toEqual([]);
    });

    it('keeps one conversation reference per person, the latest', async () => {
      await saveReference(store.db, WORKER.toUpperCase(), { n: 1 }, '29:one', NOW);
      await saveReference(other.db, WORKER, { n: 2 }, '29:two', '2026-11-25T11:00:00.000Z');
      const rows = await store.db.selectFrom('conversation_references').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ aad_object_id: WORKER, user_mri: '29:two' });
      expect(await mrisOf(store.db, [WORKER, MANAGER])).toEqual(['29:two']);
    });
  });
});
