import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { changed, prepared } from '../../src/store/prepared.js';
import { seedStaff } from '../support/staff.js';
import { forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';

// Hot queries are built and compiled once per kind of database, then run with each call's values:
// they must read and write exactly what the query builder's own query would.

const NOW = '2026-11-25T10:00:00.000Z';

const byManager = prepared((db, v: { managerId: string }) =>
  db
    .selectFrom('staff')
    .select(['aad_object_id', 'display_name'])
    .where('line_manager_id', '=', v.managerId)
    .orderBy('display_name')
    .limit(2),
);
const rename = prepared((db, v: { id: string; name: string }) =>
  db.updateTable('staff').set({ display_name: v.name }).where('aad_object_id', '=', v.id),
);
const whole = prepared(
  (
    db,
    v: { aad_object_id: string; display_name: string; email: string; roles: string; updated_at: string },
  ) => db.insertInto('staff').values(v),
);

forEachDialect((dialect) => {
  let dbs: TestDatabases;
  let store: Store;

  beforeAll(async () => {
    dbs = testDatabases(dialect);
    store = await dbs.open('prepared');
    await seedStaff(
      store.db,
      [
        { id: 'm-1', name: 'Mo Manager', roles: ['line_manager'] },
        { id: 'm-2', name: 'Ma Manager', roles: ['line_manager'] },
        { id: 'w-1', name: 'Ann', roles: ['case_worker'], manager: 'm-1' },
        { id: 'w-2', name: 'Bea', roles: ['case_worker'], manager: 'm-1' },
        { id: 'w-3', name: 'Cy', roles: ['case_worker'], manager: 'm-1' },
        { id: 'w-4', name: 'Di', roles: ['case_worker'], manager: 'm-2' },
      ],
      NOW,
    );
  });
  afterAll(() => dbs.cleanup());

  it('reads what the query builder reads, with each call’s values and its fixed ones', async () => {
    for (const managerId of ['m-1', 'm-2', 'nobody', 'm-1']) {
      const built = await store.db
        .selectFrom('staff')
        .select(['aad_object_id', 'display_name'])
        .where('line_manager_id', '=', managerId)
        .orderBy('display_name')
        .limit(2)
        .execute();
      expect((await byManager(store.db, { managerId })).rows).toEqual(built);
    }
    expect((await byManager(store.db, { managerId: 'm-1' })).rows.map((r) => r.display_name)).toEqual([
      'Ann',
      'Bea',
    ]);
  });

  it('writes in a transaction, and says how many rows it changed', async () => {
    const counts = await store.db
      .transaction()
      .execute(async (trx) => [
        changed(await rename(trx, { id: 'w-4', name: 'Dee' })),
        changed(await rename(trx, { id: 'nobody', name: 'No one' })),
      ]);
    expect(counts).toEqual([1, 0]);
    const row = await store.db
      .selectFrom('staff')
      .select('display_name')
      .where('aad_object_id', '=', 'w-4')
      .executeTakeFirstOrThrow();
    expect(row.display_name).toBe('Dee');
  });

  it('refuses values handed over all at once, whose names it cannot know', async () => {
    const person = {
      aad_object_id: 'x-1',
      display_name: 'X',
      email: 'x@example.test',
      roles: '',
      updated_at: NOW,
    };
    await expect(whole(store.db, person)).rejects.toThrow(/names each of its values/);
  });
});
