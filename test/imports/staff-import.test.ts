import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CsvFormatError } from '../../src/imports/csv.js';
import { importStaff, STAFF_COLUMNS } from '../../src/imports/staff-import.js';
import type { Store } from '../../src/store/index.js';
import type { StaffRow } from '../../src/store/schema.js';
import { writeCsv, writeStaff, type StaffCsvRow } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  tableCounts,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

const NOW = '2026-11-25T10:00:00.000Z';
const options = { now: () => new Date(NOW), actorId: 'test' };

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let store: Store;
  let n = 0;

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
    store = await dbs.open('staff');
  });

  afterEach(async () => {
    await store.close();
  });

  /** A GUID whose last group ends in `k`. */
  function guid(k: number): string {
    return `6f1c2a4e-0000-4b7a-9c1e-${String(k).padStart(12, '0')}`;
  }

  function person(k: number, overrides: Partial<StaffCsvRow> = {}): StaffCsvRow {
    return {
      aad_object_id: guid(k),
      display_name: `Person ${k}`,
      email: `person.${k}@council.example`,
      roles: 'case_worker',
      line_manager_aad_object_id: '',
      ...overrides,
    };
  }

  function goodStaff(): StaffCsvRow[] {
    return [
      person(1, { roles: 'line_manager', display_name: 'Helen Carter' }),
      person(2, { roles: 'case_worker;line_manager', line_manager_aad_object_id: guid(1) }),
      // A report listed before their manager (line 5) is fine.
      person(3, { line_manager_aad_object_id: guid(4) }),
      person(4, { roles: ' line_manager ; records_management ;', line_manager_aad_object_id: guid(1) }),
      person(5, { roles: 'case_worker;case_worker', line_manager_aad_object_id: guid(2) }),
    ];
  }

  async function allStaff(): Promise<StaffRow[]> {
    return store.db.selectFrom('staff').selectAll().orderBy('aad_object_id').execute();
  }

  async function staff(k: number): Promise<StaffRow | undefined> {
    return store.db.selectFrom('staff').selectAll().where('aad_object_id', '=', guid(k)).executeTakeFirst();
  }

  describe('importStaff: a good file', () => {
    it('imports every row with roles and line managers', async () => {
      const file = writeStaff(dir, `good-${n}.csv`, goodStaff());
      const result = await importStaff(store.db, file, options);
      expect(result).toEqual({
        ok: true,
        rows: 5,
        imported: 5,
        skipped: 0,
        cases: 0,
        recomputed: 0,
        errors: [],
      });
      expect(await tableCounts(store.db)).toMatchObject({ staff: 5, audit: 1 });
      expect(await staff(1)).toEqual({
        aad_object_id: guid(1),
        display_name: 'Helen Carter',
        email: 'person.1@council.example',
        roles: 'line_manager',
        line_manager_id: null,
        updated_at: NOW,
        left_on: null,
      });
      expect(await staff(2)).toMatchObject({ roles: 'case_worker;line_manager', line_manager_id: guid(1) });
      expect(await staff(3)).toMatchObject({ roles: 'case_worker', line_manager_id: guid(4) });
      expect(await staff(4)).toMatchObject({ roles: 'line_manager;records_management' });
      expect(await staff(5)).toMatchObject({ roles: 'case_worker', line_manager_id: guid(2) });

      const audit = await store.db.selectFrom('audit_log').selectAll().execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: 'staff.imported',
        entity_type: 'staff',
        entity_id: path.basename(file),
        actor_id: 'test',
        at: NOW,
      });
      expect(JSON.parse(audit[0]!.details)).toEqual({ rows: 5, imported: 5, skipped: 0 });
    });

    it('stores object ids in lower case, whatever case the file uses', async () => {
      const file = writeStaff(dir, `upper-${n}.csv`, [
        person(1, { aad_object_id: guid(1).toUpperCase() }),
        person(2, { line_manager_aad_object_id: guid(1).toUpperCase() }),
      ]);
      const result = await importStaff(store.db, file, options);
      expect(result.errors).toEqual([]);
      expect((await allStaff()).map((s) => [s.aad_object_id, s.line_manager_id])).toEqual([
        [guid(1), null],
        [guid(2), guid(1)],
      ]);
    });

    it('is idempotent: the same file twice leaves the same rows', async () => {
      const file = writeStaff(dir, `twice-${n}.csv`, goodStaff());
      await importStaff(store.db, file, options);
      const first = await allStaff();
      const again = await importStaff(store.db, file, options);
      expect(again).toMatchObject({ ok: true, imported: 5 });
      expect(await allStaff()).toEqual(first);
      expect(await tableCounts(store.db)).toMatchObject({ staff: 5, audit: 2 });
    });

    it('updates a changed person in place', async () => {
      await importStaff(store.db, writeStaff(dir, `v1-${n}.csv`, goodStaff()), options);
      const changed = goodStaff().map((p) =>
        p.aad_object_id === guid(3)
          ? { ...p, email: 'new.address@council.example', roles: 'line_manager' }
          : p,
      );
      await importStaff(store.db, writeStaff(dir, `v2-${n}.csv`, changed), options);
      expect((await tableCounts(store.db)).staff).toBe(5);
      expect(await staff(3)).toMatchObject({ email: 'new.address@council.example', roles: 'line_manager' });
    });

    it('accepts a line manager already in the directory from an earlier import', async () => {
      await importStaff(
        store.db,
        writeStaff(dir, `managers-${n}.csv`, [person(1, { roles: 'line_manager' })]),
        options,
      );
      const result = await importStaff(
        store.db,
        writeStaff(dir, `reports-${n}.csv`, [
          person(7, { line_manager_aad_object_id: guid(1) }),
          person(8, { line_manager_aad_object_id: guid(1).toUpperCase() }),
        ]),
        options,
      );
      expect(result).toMatchObject({ ok: true, imported: 2, errors: [] });
      expect(await staff(7)).toMatchObject({ line_manager_id: guid(1) });
      expect(await staff(8)).toMatchObject({ line_manager_id: guid(1) });
      expect(await tableCounts(store.db)).toMatchObject({ staff: 3, audit: 2 });
    });
  });

  describe('importStaff: bad rows', () => {
    function badFile(name: string): string {
      return writeStaff(dir, name, [
        // line 2: good
        person(1, { roles: 'line_manager' }),
        // line 3: unknown role
        person(2, { roles: 'case_worker;social_worker' }),
        // line 4: not a GUID
        person(3, { aad_object_id: 'helen.carter' }),
        // line 5: bad email
        person(4, { email: 'not-an-email' }),
        // line 6: their own line manager
        person(5, { line_manager_aad_object_id: guid(5) }),
        // line 7: line manager in neither the file nor the directory
        person(6, { line_manager_aad_object_id: guid(99) }),
        // line 8: the same person again
        person(1, { display_name: 'Someone else' }),
        // line 9: good, managed by line 2
        person(9, { line_manager_aad_object_id: guid(1) }),
        // line 10: line manager is not a GUID
        person(10, { line_manager_aad_object_id: 'manager' }),
        // line 11: wrong number of fields
        `${guid(11)},Eleven,eleven@council.example`,
      ]);
    }

    function expectErrors(errors: { line: number; message: string }[]) {
      expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 10, 11]);
      const byLine = new Map(errors.map((e) => [e.line, e.message]));
      expect(byLine.get(3)).toMatch(
        /^roles has unknown role\(s\) social_worker: use case_worker, line_manager, records_management/,
      );
      expect(byLine.get(4)).toBe('aad_object_id is not a Microsoft Entra object id (a GUID)');
      expect(byLine.get(5)).toBe('email is not an email address');
      expect(byLine.get(6)).toBe('line_manager_aad_object_id is the person themselves');
      expect(byLine.get(7)).toBe(
        `line_manager_aad_object_id ${guid(99)} is not in this file or the staff directory`,
      );
      expect(byLine.get(8)).toBe(`aad_object_id ${guid(1)} is already on line 2`);
      expect(byLine.get(10)).toMatch(/^line_manager_aad_object_id /);
      expect(byLine.get(11)).toBe('has 3 fields; expected 5');
    }

    it('reports each bad row with its line and column, and writes nothing', async () => {
      await importStaff(store.db, writeStaff(dir, `existing-${n}.csv`, [person(50)]), options);
      const before = await allStaff();

      const result = await importStaff(store.db, badFile(`bad-${n}.csv`), options);
      expect(result).toMatchObject({ ok: false, rows: 10, imported: 0, skipped: 10 });
      expectErrors(result.errors);
      expect(await allStaff()).toEqual(before);
      expect(await tableCounts(store.db)).toMatchObject({ staff: 1, audit: 1 });
    });

    it('with skipInvalid imports only the good rows', async () => {
      const result = await importStaff(store.db, badFile(`skip-${n}.csv`), { ...options, skipInvalid: true });
      expect(result).toMatchObject({ ok: false, rows: 10, imported: 2, skipped: 8 });
      expectErrors(result.errors);
      expect((await allStaff()).map((s) => s.aad_object_id)).toEqual([guid(1), guid(9)]);
      // The first of the two rows for person 1 is the one kept.
      expect((await staff(1))?.display_name).toBe('Person 1');
      expect((await tableCounts(store.db)).audit).toBe(1);
    });

    it('rejects a wrong header with a CsvFormatError naming the missing column', async () => {
      const header = STAFF_COLUMNS.filter((c) => c !== 'email');
      const file = writeCsv(dir, `header-${n}.csv`, header, [[guid(1), 'A', 'case_worker', '']]);
      const error = await importStaff(store.db, file, options).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CsvFormatError);
      expect((error as Error).message).toContain('Missing column(s): email.');
      expect(await tableCounts(store.db)).toMatchObject({ staff: 0, audit: 0 });
    });

    it('refuses a management loop, in the file or through people already in the directory', async () => {
      await importStaff(
        store.db,
        writeStaff(dir, `before-loop-${n}.csv`, [
          person(1),
          person(2, { line_manager_aad_object_id: guid(1) }),
        ]),
        options,
      );
      const before = await allStaff();
      const file = writeStaff(dir, `loop-${n}.csv`, [
        // line 2 and 3: each other's manager
        person(3, { line_manager_aad_object_id: guid(4) }),
        person(4, { line_manager_aad_object_id: guid(3) }),
        // line 4: manages person 2, who (in the directory) manages them
        person(1, { line_manager_aad_object_id: guid(2) }),
        // line 5: reports into the loop of lines 2 and 3
        person(5, { line_manager_aad_object_id: guid(3) }),
        // line 6: good
        person(6),
      ]);
      const result = await importStaff(store.db, file, options);
      expect(result).toMatchObject({ ok: false, rows: 5, imported: 0 });
      expect(result.errors).toEqual([
        {
          line: 2,
          message: `line_manager_aad_object_id makes a management loop: ${guid(3)} → ${guid(4)} → ${guid(3)}`,
        },
        {
          line: 3,
          message: `line_manager_aad_object_id makes a management loop: ${guid(4)} → ${guid(3)} → ${guid(4)}`,
        },
        {
          line: 4,
          message: `line_manager_aad_object_id makes a management loop: ${guid(1)} → ${guid(2)} → ${guid(1)}`,
        },
        { line: 5, message: `line_manager_aad_object_id ${guid(3)} is on a row that has errors (line 2)` },
      ]);
      expect(await allStaff()).toEqual(before);

      const skipping = await importStaff(store.db, file, { ...options, skipInvalid: true });
      expect(skipping).toMatchObject({ imported: 1, skipped: 4 });
      expect(await staff(6)).toMatchObject({ line_manager_id: null });
      expect(await staff(1)).toMatchObject({ line_manager_id: null });
    });

    it('brings back someone who had left, and never accepts a leaver as line manager', async () => {
      await importStaff(store.db, writeStaff(dir, `team-${n}.csv`, [person(1), person(2)]), options);
      await store.db.updateTable('staff').set({ left_on: '2026-11-01', roles: '' }).execute();
      const refused = await importStaff(
        store.db,
        writeStaff(dir, `under-leaver-${n}.csv`, [person(3, { line_manager_aad_object_id: guid(1) })]),
        options,
      );
      expect(refused.errors).toEqual([
        {
          line: 2,
          message: `line_manager_aad_object_id ${guid(1)} is not in this file or the staff directory`,
        },
      ]);
      const back = await importStaff(store.db, writeStaff(dir, `back-${n}.csv`, [person(1)]), options);
      expect(back).toMatchObject({ ok: true, imported: 1 });
      expect(await staff(1)).toMatchObject({ left_on: null, roles: 'case_worker' });
      expect(await staff(2)).toMatchObject({ left_on: '2026-11-01' });
    });

    it('with skipInvalid does not write a person whose line manager was skipped', async () => {
      const file = writeStaff(dir, `chain-${n}.csv`, [
        // line 2: managed by line 3
        person(5, { line_manager_aad_object_id: guid(1) }),
        // line 3: managed by line 4
        person(1, { line_manager_aad_object_id: guid(2) }),
        // line 4: line manager in neither the file nor the directory
        person(2, { line_manager_aad_object_id: guid(3) }),
        // line 5: good
        person(4),
      ]);
      const errors = [
        { line: 2, message: `line_manager_aad_object_id ${guid(1)} is on a row that has errors (line 3)` },
        { line: 3, message: `line_manager_aad_object_id ${guid(2)} is on a row that has errors (line 4)` },
        {
          line: 4,
          message: `line_manager_aad_object_id ${guid(3)} is not in this file or the staff directory`,
        },
      ];

      const all = await importStaff(store.db, file, options);
      expect(all).toMatchObject({ ok: false, rows: 4, imported: 0, skipped: 4 });
      expect(all.errors).toEqual(errors);
      expect(await tableCounts(store.db)).toMatchObject({ staff: 0, audit: 0 });

      const result = await importStaff(store.db, file, { ...options, skipInvalid: true });
      expect(result).toMatchObject({ ok: false, rows: 4, imported: 1, skipped: 3 });
      expect(result.errors).toEqual(errors);
      expect((await allStaff()).map((s) => s.aad_object_id)).toEqual([guid(4)]);
      expect(await tableCounts(store.db)).toMatchObject({ staff: 1, audit: 1 });
    });
  });
});
