import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventory } from '../../src/imports/inventory-import.js';
import { defaultSchedule, type Schedule } from '../../src/rules/index.js';
import type { DueFilter } from '../../src/store/destruction.js';
import { dueGroups } from '../../src/store/due-counts.js';
import type { Store } from '../../src/store/index.js';
import { recomputeRetention } from '../../src/store/inventory.js';
import type { NewRecordRow } from '../../src/store/schema.js';
import { inventoryRow, writeInventory } from '../support/csv.js';
import { countDueRecords } from '../support/due.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

// "What is due" by class and month is read from counts the database keeps as records change
// (triggers on records, migration 0010_due_counts). Whatever is written to records, in whatever
// way, the counts must give exactly what counting the records themselves gives, for every due-by
// date and class: checked here after inserts, upserts, updates of every column that matters,
// deletes, a rolled-back transaction, an import and a recompute.

const NOW = '2026-11-25T10:00:00.000Z';
const CLASSES = ['child-in-need', 'looked-after-child', 'child-protection', 'early-help'];
const ACTIONS = ['destroy', 'review', 'permanent-preservation', null];
const DISPOSITIONS = [null, null, null, 'keep', 'destroy', 'transfer', 'permanent'];

/** A small, seeded random source, so a failure can be run again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Dates around the due-by dates below: month ends and starts, and years before and after. */
function dateNear(next: () => number): string | null {
  if (next() < 0.08) return null;
  const year = 2023 + Math.floor(next() * 6);
  const month = 1 + Math.floor(next() * 12);
  const day = [1, 2, 14, 15, 16, 27, 28][Math.floor(next() * 7)]!;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function recordRow(id: string, next: () => number): NewRecordRow {
  const disposition = pick(next, DISPOSITIONS);
  return {
    record_id: id,
    case_ref: 'C-1',
    record_class: pick(next, CLASSES),
    title: 'Case file',
    format: 'paper',
    location: 'Office',
    retention_ends_on: dateNear(next),
    retention_rule: null,
    retention_missing: null,
    retention_permanent: 0,
    schedule_version: defaultSchedule.version,
    destroyed_on: next() < 0.1 ? '2026-01-05' : null,
    updated_at: NOW,
    retention_action: pick(next, ACTIONS),
    disposition,
    review_on: disposition === 'keep' || next() < 0.05 ? dateNear(next) : null,
    transferred_on: disposition === 'transfer' || next() < 0.03 ? '2026-02-01' : null,
  };
}

const FILTERS: DueFilter[] = [
  '2022-12-31',
  '2025-06-01',
  '2025-06-15',
  '2025-06-30',
  '2026-11-25',
  '2026-11-28',
  '2026-12-01',
  '2030-01-01',
].flatMap((dueBy) => [{ dueBy }, { dueBy, classId: 'child-in-need' }, { dueBy, classId: 'early-help' }]);

forEachDialect((dialect) => {
  let dbs: TestDatabases;
  let store: Store;
  let dir: string;

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    store = await dbs.open('due-counts');
    await store.db.insertInto('cases').values({ case_ref: 'C-1', updated_at: NOW }).execute();
  });
  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  /** The kept counts' answer, and the records' own, for every filter. */
  async function compare(): Promise<void> {
    for (const filter of FILTERS) {
      expect(await dueGroups(store.db, filter), JSON.stringify(filter)).toEqual(
        await countDueRecords(store.db, filter),
      );
    }
  }

  describe('the due counts', () => {
    it('start from the records there and follow every insert', async () => {
      const next = random(7);
      const rows = Array.from({ length: 600 }, (_, i) => recordRow(`R-${i}`, next));
      for (let i = 0; i < rows.length; i += 150)
        await store.db
          .insertInto('records')
          .values(rows.slice(i, i + 150))
          .execute();
      const total = (await dueGroups(store.db, { dueBy: '2030-01-01' })).reduce((s, g) => s + g.n, 0);
      expect(total).toBeGreaterThan(100);
      await compare();
    });

    it('follow updates of every column that decides what is due, one record or many at a time', async () => {
      const next = random(11);
      for (let round = 0; round < 6; round++) {
        await store.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 80; i++) {
            const id = `R-${Math.floor(next() * 600)}`;
            const fresh = recordRow(id, next);
            const column = pick(next, [
              'record_class',
              'retention_ends_on',
              'retention_action',
              'disposition',
              'review_on',
              'destroyed_on',
              'transferred_on',
              'title',
            ] as const);
            await trx
              .updateTable('records')
              .set({ [column]: fresh[column] })
              .where('record_id', '=', id)
              .execute();
          }
        });
        await compare();
      }
      // Many rows in one statement: a destruction of every record of a class past a date.
      await store.db
        .updateTable('records')
        .set({ destroyed_on: '2026-11-25' })
        .where('record_class', '=', 'child-protection')
        .where('retention_ends_on', '<', '2025-01-01')
        .execute();
      await compare();
    });

    it('follow upserts, deletes, and nothing of a transaction rolled back', async () => {
      const next = random(23);
      const rows = Array.from({ length: 120 }, (_, i) => recordRow(`R-${i * 5}`, next));
      await store.db
        .insertInto('records')
        .values(rows)
        .onConflict((oc) =>
          oc.column('record_id').doUpdateSet((eb) => ({
            record_class: eb.ref('excluded.record_class'),
            retention_ends_on: eb.ref('excluded.retention_ends_on'),
            retention_action: eb.ref('excluded.retention_action'),
          })),
        )
        .execute();
      await compare();
      await store.db.deleteFrom('records').where('record_id', 'in', ['R-1', 'R-2', 'R-3', 'R-400']).execute();
      await compare();
      const before = await dueGroups(store.db, { dueBy: '2030-01-01' });
      await expect(
        store.db.transaction().execute(async (trx) => {
          await trx.updateTable('records').set({ destroyed_on: '2026-11-25' }).execute();
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await dueGroups(store.db, { dueBy: '2030-01-01' })).toEqual(before);
      await compare();
    });

    it('follow an import and a recompute after the schedule changed', async () => {
      const csv = writeInventory(
        dir,
        'inventory.csv',
        Array.from({ length: 200 }, (_, i) =>
          inventoryRow({
            record_id: `I-${i}`,
            case_ref: `I-C-${i % 40}`,
            record_class: pick(random(i + 1), CLASSES),
            // One child a case: its dates the same on each of its rows.
            date_of_birth: `19${60 + (i % 40)}-0${1 + ((i % 40) % 9)}-1${(i % 40) % 10}`,
            closed_on: `20${10 + ((i % 40) % 15)}-0${1 + ((i % 40) % 9)}-0${1 + ((i % 40) % 9)}`,
          }),
        ),
      );
      const result = await importInventory(store.db, defaultSchedule, csv, {
        today: '2026-11-25',
        now: () => new Date(NOW),
        actorId: 'test',
      });
      expect(result.errors).toEqual([]);
      await compare();
      const longer: Schedule = structuredClone(defaultSchedule);
      longer.version = `${defaultSchedule.version}-longer`;
      for (const cls of longer.classes)
        for (const rule of cls.rules) if ('years' in rule.end) rule.end.years += 3;
      const progress = await recomputeRetention(store.db, longer);
      expect(progress.changed).toBeGreaterThan(0);
      await compare();
    });
  });
});
