import { afterAll, beforeAll, expect, it } from 'vitest';
import { importInventory } from '../../src/imports/inventory-import.js';
import { defaultSchedule, parseSchedule, type Schedule } from '../../src/rules/index.js';
import { caseRetention } from '../../src/services/case-retention.js';
import type { Store } from '../../src/store/index.js';
import { ensureRetentionCurrent, recomputeRetention } from '../../src/store/inventory.js';
import { inventoryRow, writeInventory, type InventoryRow } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

// Stored retention follows the child's other records: worked out per case on import, when a
// later file adds a record to the case, when the case's dates change, and when the schedule
// changes (decision 11).

const TODAY = '2026-11-26';
const BORN = { date_of_birth: '1975-04-01', closed_on: '1985-01-01' };

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let store: Store;
  let n = 0;

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    store = await dbs.open('kept-with');
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  async function load(rows: InventoryRow[], schedule: Schedule = defaultSchedule) {
    n += 1;
    const result = await importInventory(store.db, schedule, writeInventory(dir, `inv-${n}.csv`, rows), {
      today: TODAY,
      now: () => new Date(`${TODAY}T10:00:00Z`),
      actorId: 'test',
    });
    expect(result.errors).toEqual([]);
    return result;
  }

  const stored = async (id: string) =>
    store.db
      .selectFrom('records')
      .select([
        'retention_ends_on',
        'retention_rule',
        'retention_kept_with',
        'retention_action',
        'retention_missing',
      ])
      .where('record_id', '=', id)
      .executeTakeFirstOrThrow();

  it('one file with both records: the CP record is kept with the LAC record from the start', async () => {
    await load([
      inventoryRow({ record_id: 'PF-2', case_ref: 'C-1', record_class: 'child-protection', ...BORN }),
      inventoryRow({ record_id: 'LL-1', case_ref: 'C-1', record_class: 'looked-after-child', ...BORN }),
    ]);
    expect(await stored('PF-2')).toEqual({
      retention_ends_on: '2050-04-01',
      retention_rule: '75-years-from-birth',
      retention_kept_with: 'looked-after-child',
      retention_action: 'review',
      retention_missing: null,
    });
    expect(await stored('LL-1')).toMatchObject({
      retention_ends_on: '2050-04-01',
      retention_kept_with: null,
    });
  });

  it('a later file adds the LAC record to a case imported earlier: the CP record is worked out again', async () => {
    await load([
      inventoryRow({ record_id: 'PF-3', case_ref: 'C-2', record_class: 'child-protection', ...BORN }),
    ]);
    expect(await stored('PF-3')).toMatchObject({
      retention_ends_on: '2020-01-01',
      retention_kept_with: null,
    });
    const result = await load([
      inventoryRow({
        record_id: 'LL-4',
        case_ref: 'C-2',
        record_class: 'looked-after-child',
        date_of_birth: '1975-04-01',
      }),
    ]);
    expect(result.recomputed).toBe(1);
    expect(await stored('PF-3')).toMatchObject({
      retention_ends_on: '2050-04-01',
      retention_kept_with: 'looked-after-child',
    });
    const answer = (await caseRetention(store.db, defaultSchedule, 'C-2', TODAY))!.records.find(
      (r) => r.recordId === 'PF-3',
    )!;
    expect(answer.answer).toMatchObject({
      status: 'retained',
      endsOn: '2050-04-01',
      keptWith: { recordId: 'LL-4' },
    });
    // The same file again changes nothing.
    expect(
      (
        await load([
          inventoryRow({
            record_id: 'LL-4',
            case_ref: 'C-2',
            record_class: 'looked-after-child',
            date_of_birth: '1975-04-01',
          }),
        ])
      ).recomputed,
    ).toBe(0);
  });

  it('a record reclassified away from LAC: the CP record goes back to its own period', async () => {
    await load([
      inventoryRow({
        record_id: 'LL-4',
        case_ref: 'C-2',
        record_class: 'child-in-need',
        date_of_birth: '1975-04-01',
      }),
    ]);
    expect(await stored('PF-3')).toMatchObject({
      retention_ends_on: '2020-01-01',
      retention_kept_with: null,
    });
  });

  it('recompute and a schedule change work whole cases', async () => {
    const schedule = parseSchedule(structuredClone(defaultSchedule));
    schedule.version = 'kept-with-test';
    const lac = schedule.classes.find((c) => c.id === 'looked-after-child')!;
    lac.rules = [
      { id: '80-years-from-birth', label: '80 years from birth', end: { from: 'dateOfBirth', years: 80 } },
    ];
    expect(await ensureRetentionCurrent(store.db, schedule)).toMatchObject({ checked: 4 });
    expect(await stored('PF-2')).toMatchObject({
      retention_ends_on: '2055-04-01',
      retention_rule: '80-years-from-birth',
    });
    expect(await recomputeRetention(store.db, schedule)).toEqual({ checked: 4, changed: 0 });
    expect(await recomputeRetention(store.db, defaultSchedule, { caseRefs: ['C-1'] })).toEqual({
      checked: 2,
      changed: 2,
    });
    expect(await stored('PF-2')).toMatchObject({ retention_ends_on: '2050-04-01' });
  });

  it('old prospective adopter records keep the longest reading until reclassified: never due', async () => {
    await load([
      inventoryRow({
        record_id: 'PA-1',
        case_ref: 'C-PA',
        record_class: 'prospective-adopter',
        last_contact_on: '2020-01-01',
      }),
    ]);
    expect(await stored('PA-1')).toMatchObject({
      retention_ends_on: null,
      retention_missing: 'adoptionOrderOn,approvalEndedOn',
      retention_action: 'review',
    });
  });
});
