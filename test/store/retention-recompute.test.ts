import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importInventory } from '../../src/imports/inventory-import.js';
import { defaultSchedule, type Schedule } from '../../src/rules/index.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import {
  ensureRetentionCurrent,
  recomputeRetention,
  scheduleFingerprint,
  type RecomputeProgress,
} from '../../src/store/inventory.js';
import type { RecordRow } from '../../src/store/schema.js';
import { inventoryRow, writeInventory } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

/** The default schedule with a new version and looked after child records kept 80 years, not 75. */
function eightyYearSchedule(): Schedule {
  const schedule = structuredClone(defaultSchedule);
  schedule.version = '2026.2-test';
  const lac = schedule.classes.find((c) => c.id === 'looked-after-child')!;
  const rule = lac.rules.find((r) => r.id === '75-years-from-birth')!;
  if (!('years' in rule.end)) throw new Error('unexpected rule shape');
  expect(rule.end.years).toBe(75);
  rule.end.years = 80;
  return schedule;
}

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let url: string;
  let store: Store;
  let n = 0;

  async function endDates(): Promise<Record<string, string | null>> {
    const rows = await store.db.selectFrom('records').select(['record_id', 'retention_ends_on']).execute();
    return Object.fromEntries(rows.map((r) => [r.record_id, r.retention_ends_on]));
  }

  async function records(): Promise<RecordRow[]> {
    return store.db.selectFrom('records').selectAll().orderBy('record_id').execute();
  }

  async function storedFingerprint(): Promise<string | undefined> {
    const row = await store.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'retention_schedule')
      .executeTakeFirst();
    return row?.value;
  }

  beforeAll(() => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  beforeEach(async () => {
    n += 1;
    url = await dbs.newUrl('recompute');
    store = await openReadyStore(url, defaultSchedule);
    const csv = writeInventory(dir, `inventory-${n}.csv`, [
      inventoryRow({ record_id: 'LAC-1', case_ref: 'C1', date_of_birth: '1948-02-29' }),
      inventoryRow({ record_id: 'LAC-2', case_ref: 'C2', date_of_birth: '1950-06-15' }),
      inventoryRow({ record_id: 'LAC-3', case_ref: 'C3' }),
      inventoryRow({
        record_id: 'LAC-4',
        case_ref: 'C4',
        date_of_birth: '2000-01-01',
        date_of_death: '2005-01-01',
      }),
      inventoryRow({
        record_id: 'FC-1',
        case_ref: 'C5',
        record_class: 'foster-carer-approved',
        approval_ended_on: '2020-04-01',
      }),
    ]);
    const result = await importInventory(store.db, defaultSchedule, csv, {
      today: '2026-11-25',
      now: () => new Date('2026-11-25T10:00:00Z'),
      actorId: 'test',
    });
    expect(result.ok).toBe(true);
  });

  afterEach(async () => {
    await store.close();
  });

  describe('ensureRetentionCurrent', () => {
    it('does nothing when the schedule is the one the records were computed with', async () => {
      const before = await records();
      expect(await ensureRetentionCurrent(store.db, defaultSchedule)).toBeNull();
      expect(await records()).toEqual(before);
      expect(await storedFingerprint()).toBe(scheduleFingerprint(defaultSchedule));
    });

    it('recomputes stored end dates when the schedule changes, then does nothing the second time', async () => {
      expect(await endDates()).toEqual({
        'LAC-1': '2023-03-01',
        'LAC-2': '2025-06-15',
        'LAC-3': null,
        'LAC-4': '2020-01-01',
        'FC-1': '2030-04-01',
      });
      const schedule = eightyYearSchedule();
      const progress: RecomputeProgress[] = [];
      const result = await ensureRetentionCurrent(store.db, schedule, (p) => progress.push(p));
      // The version changes on every record, so every record is rewritten.
      expect(result).toEqual({ checked: 5, changed: 5 });
      expect(progress.at(-1)).toEqual({ checked: 5, changed: 5 });

      expect(await endDates()).toEqual({
        // 2028 is a leap year, so the 80th anniversary of 29 February 1948 is 29 February 2028.
        'LAC-1': '2028-02-29',
        'LAC-2': '2030-06-15',
        'LAC-3': null,
        // Died before 18: still 15 years from death.
        'LAC-4': '2020-01-01',
        'FC-1': '2030-04-01',
      });
      const rows = await records();
      expect(new Set(rows.map((r) => r.schedule_version))).toEqual(new Set(['2026.2-test']));
      expect(rows.find((r) => r.record_id === 'LAC-3')?.retention_missing).toBe('dateOfBirth');
      expect(await storedFingerprint()).toBe(scheduleFingerprint(schedule));

      expect(await ensureRetentionCurrent(store.db, schedule)).toBeNull();
      expect(await records()).toEqual(rows);
    });

    it('recomputes when only a period changes and the version label stays the same', async () => {
      const schedule = eightyYearSchedule();
      schedule.version = defaultSchedule.version;
      expect(scheduleFingerprint(schedule)).not.toBe(scheduleFingerprint(defaultSchedule));
      const result = await ensureRetentionCurrent(store.db, schedule);
      expect(result).toEqual({ checked: 5, changed: 2 });
      expect((await endDates())['LAC-1']).toBe('2028-02-29');
    });

    it('goes back when the original schedule is restored', async () => {
      const original = await records();
      await ensureRetentionCurrent(store.db, eightyYearSchedule());
      expect(await ensureRetentionCurrent(store.db, defaultSchedule)).toEqual({ checked: 5, changed: 5 });
      expect(await records()).toEqual(original);
    });

    it('runs when the store is opened with a different schedule, and not again on the next open', async () => {
      await store.close();
      const schedule = eightyYearSchedule();
      const calls: RecomputeProgress[] = [];
      store = await openReadyStore(url, schedule, { onRecompute: (p) => calls.push(p) });
      expect(calls.at(-1)).toEqual({ checked: 5, changed: 5 });
      expect((await endDates())['LAC-2']).toBe('2030-06-15');
      await store.close();

      const again: RecomputeProgress[] = [];
      store = await openReadyStore(url, schedule, { onRecompute: (p) => again.push(p) });
      expect(again).toEqual([]);
      expect((await endDates())['LAC-2']).toBe('2030-06-15');
    });
  });

  describe('recomputeRetention', () => {
    it('limits the work to the given cases', async () => {
      const schedule = eightyYearSchedule();
      const result = await recomputeRetention(store.db, schedule, { caseRefs: ['C2'] });
      expect(result).toEqual({ checked: 1, changed: 1 });
      expect(await endDates()).toMatchObject({ 'LAC-1': '2023-03-01', 'LAC-2': '2030-06-15' });
    });

    it('writes nothing when nothing changed', async () => {
      const before = await records();
      expect(await recomputeRetention(store.db, defaultSchedule)).toEqual({ checked: 5, changed: 0 });
      expect(await records()).toEqual(before);
    });

    it('picks up a case date corrected directly in the database', async () => {
      await store.db
        .updateTable('cases')
        .set({ date_of_birth: '1960-01-01' })
        .where('case_ref', '=', 'C3')
        .execute();
      expect(await recomputeRetention(store.db, defaultSchedule)).toEqual({ checked: 5, changed: 1 });
      const lac3 = (await records()).find((r) => r.record_id === 'LAC-3');
      expect(lac3).toMatchObject({
        retention_ends_on: '2035-01-01',
        retention_missing: null,
        retention_rule: '75-years-from-birth',
      });
    });
  });
});
