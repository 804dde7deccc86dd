import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CsvFormatError } from '../../src/imports/csv.js';
import {
  importInventory,
  INVENTORY_COLUMNS,
  type ImportOptions,
} from '../../src/imports/inventory-import.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import type { Store } from '../../src/store/index.js';
import type { CaseRow, RecordRow } from '../../src/store/schema.js';
import { csvLine, inventoryFields, inventoryRow, writeCsv, writeInventory } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  tableCounts,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

const NOW = '2026-11-25T10:00:00.000Z';
const options: ImportOptions = {
  today: '2026-11-25',
  now: () => new Date(NOW),
  actorId: 'test',
};

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
    store = await dbs.open('inventory');
  });

  afterEach(async () => {
    await store.close();
  });

  function run(file: string, extra: Partial<ImportOptions> = {}) {
    return importInventory(store.db, defaultSchedule, file, { ...options, ...extra });
  }

  async function allRecords(): Promise<RecordRow[]> {
    return store.db.selectFrom('records').selectAll().orderBy('record_id').execute();
  }

  async function allCases(): Promise<CaseRow[]> {
    return store.db.selectFrom('cases').selectAll().orderBy('case_ref').execute();
  }

  async function record(id: string): Promise<RecordRow> {
    return store.db.selectFrom('records').selectAll().where('record_id', '=', id).executeTakeFirstOrThrow();
  }

  async function kase(ref: string): Promise<CaseRow> {
    return store.db.selectFrom('cases').selectAll().where('case_ref', '=', ref).executeTakeFirstOrThrow();
  }

  /** A good inventory: several classes, merged case dates, both date formats. */
  function goodRows() {
    return [
      // line 2: looked after child born on 29 February: 75th anniversary in a common year is 1 March.
      inventoryRow({ record_id: 'LL-1', case_ref: '2000001', date_of_birth: '1948-02-29' }),
      // line 3
      inventoryRow({
        record_id: 'PF-2',
        case_ref: '2000002',
        record_class: 'foster-carer-approved',
        title: 'Form F assessment',
        format: 'paper',
        location: 'Team office, Apsley',
        approval_ended_on: '2020-04-01',
      }),
      // line 4: no date of birth: retention cannot be worked out.
      inventoryRow({ record_id: 'LL-3', case_ref: '2000003', title: 'Care plan "final"' }),
      // lines 5-7: one case, dates split over rows and written both ways.
      inventoryRow({
        record_id: 'LL-4',
        case_ref: '2000004',
        record_class: 'child-in-need',
        date_of_birth: '14/05/2012',
      }),
      inventoryRow({
        record_id: 'LL-5',
        case_ref: '2000004',
        record_class: 'child-in-need',
        date_of_birth: '2012-05-14',
        closed_on: '01/02/2020',
      }),
      inventoryRow({
        record_id: 'PF-6',
        case_ref: '2000004',
        record_class: 'child-protection',
        format: 'paper',
      }),
      // line 8: adoption order after 30 December 2005.
      inventoryRow({
        record_id: 'LL-7',
        case_ref: '2000005',
        record_class: 'adoption',
        adoption_order_on: '2010-06-01',
      }),
      // line 9: a child who died before 18.
      inventoryRow({
        record_id: 'LL-8',
        case_ref: '2000006',
        date_of_birth: '2000-01-01',
        date_of_death: '1/1/2010',
      }),
    ];
  }

  describe('importInventory: a good file', () => {
    it('imports every row, merges case dates and computes retention', async () => {
      const file = writeInventory(dir, `good-${n}.csv`, goodRows());
      const result = await run(file);
      expect(result).toEqual({
        ok: true,
        rows: 8,
        imported: 8,
        skipped: 0,
        cases: 6,
        recomputed: 0,
        errors: [],
      });
      expect(await tableCounts(store.db)).toMatchObject({ records: 8, cases: 6, audit: 1 });

      expect(await record('LL-1')).toMatchObject({
        case_ref: '2000001',
        record_class: 'looked-after-child',
        retention_ends_on: '2023-03-01',
        retention_rule: '75-years-from-birth',
        retention_missing: null,
        retention_permanent: 0,
        schedule_version: defaultSchedule.version,
        destroyed_on: null,
        updated_at: NOW,
      });
      expect(await record('PF-2')).toMatchObject({
        title: 'Form F assessment',
        format: 'paper',
        location: 'Team office, Apsley',
        retention_ends_on: '2030-04-01',
        retention_rule: '10-years-from-approval-ended',
        retention_missing: null,
      });
      expect(await record('LL-3')).toMatchObject({
        title: 'Care plan "final"',
        retention_ends_on: null,
        retention_rule: '75-years-from-birth',
        retention_missing: 'dateOfBirth',
        retention_permanent: 0,
      });
      expect(await record('LL-4')).toMatchObject({
        retention_ends_on: '2042-05-14',
        retention_rule: 'until-age-30',
      });
      expect((await record('LL-5')).retention_ends_on).toBe('2042-05-14');
      // The closure date came from another row of the same case.
      expect(await record('PF-6')).toMatchObject({
        retention_ends_on: '2055-02-01',
        retention_rule: '35-years-from-closure',
      });
      expect(await record('LL-7')).toMatchObject({
        retention_ends_on: '2110-06-01',
        retention_rule: 'order-on-or-after-2005-12-30',
      });
      expect(await record('LL-8')).toMatchObject({
        retention_ends_on: '2025-01-01',
        retention_rule: 'died-before-18',
      });

      expect(await kase('2000004')).toEqual({
        case_ref: '2000004',
        date_of_birth: '2012-05-14',
        date_of_death: null,
        closed_on: '2020-02-01',
        adoption_order_on: null,
        approval_ended_on: null,
        last_contact_on: null,
        updated_at: NOW,
      });
      expect((await kase('2000006')).date_of_death).toBe('2010-01-01');
      expect(await kase('2000003')).toMatchObject({ date_of_birth: null, closed_on: null });
    });

    it('appends exactly one audit entry describing the import', async () => {
      const file = writeInventory(dir, `audit-${n}.csv`, goodRows());
      await run(file);
      const entries = await store.db.selectFrom('audit_log').selectAll().execute();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        seq: 1,
        at: NOW,
        actor_id: 'test',
        action: 'inventory.imported',
        entity_type: 'inventory',
        entity_id: path.basename(file),
      });
      expect(JSON.parse(entries[0]!.details)).toEqual({
        rows: 8,
        imported: 8,
        skipped: 0,
        cases: 6,
        scheduleVersion: defaultSchedule.version,
      });
      expect(await verifyAudit(store.db)).toMatchObject({ ok: true, entries: 1 });

      await run(file);
      expect((await tableCounts(store.db)).audit).toBe(2);
      expect(await verifyAudit(store.db)).toMatchObject({ ok: true, entries: 2 });
    });

    it('does not treat the same date written as DD/MM/YYYY and YYYY-MM-DD as a conflict', async () => {
      const file = writeInventory(dir, `formats-${n}.csv`, [
        inventoryRow({
          record_id: 'A',
          case_ref: 'C1',
          date_of_birth: '05/03/2001',
          closed_on: '2019-12-31',
        }),
        inventoryRow({
          record_id: 'B',
          case_ref: 'C1',
          date_of_birth: '2001-03-05',
          closed_on: '31/12/2019',
        }),
        inventoryRow({ record_id: 'C', case_ref: 'C1', date_of_birth: '5/3/2001' }),
      ]);
      const result = await run(file);
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ ok: true, imported: 3, cases: 1 });
      expect(await kase('C1')).toMatchObject({ date_of_birth: '2001-03-05', closed_on: '2019-12-31' });
      // DD/MM, not MM/DD: 5 March 2001 + 75 years.
      expect((await record('A')).retention_ends_on).toBe('2076-03-05');
    });

    it('accepts a header in any order and case, a BOM, blank lines and CRLF line ends', async () => {
      const columns = [...INVENTORY_COLUMNS].reverse();
      const row = inventoryRow({ record_id: 'X-1', case_ref: 'C7', date_of_birth: '2010-10-10' });
      const values = columns.map((c) => row[c]);
      const file = path.join(dir, `shuffled-${n}.csv`);
      fs.writeFileSync(
        file,
        `\ufeff${columns.map((c) => c.toUpperCase()).join(',')}\r\n\r\n${csvLine(values)}\r\n\r\n`,
      );
      const result = await run(file);
      expect(result).toMatchObject({ ok: true, rows: 1, imported: 1 });
      expect(await record('X-1')).toMatchObject({ case_ref: 'C7', retention_ends_on: '2085-10-10' });
    });

    it('imports a file with a header and no rows as an empty import', async () => {
      const file = writeInventory(dir, `empty-${n}.csv`, []);
      const result = await run(file);
      expect(result).toMatchObject({ ok: true, rows: 0, imported: 0, cases: 0 });
      expect(await tableCounts(store.db)).toMatchObject({ records: 0, cases: 0, audit: 1 });
    });

    it('reports progress through both phases', async () => {
      const file = writeInventory(dir, `progress-${n}.csv`, goodRows());
      const phases = new Set<string>();
      let last = 0;
      await run(file, {
        onProgress: (p) => {
          phases.add(p.phase);
          last = p.rows;
        },
      });
      expect([...phases].sort()).toEqual(['checking', 'writing']);
      expect(last).toBe(8);
    });
  });

  describe('importInventory: re-importing', () => {
    it('is idempotent: the same file twice gives the same rows', async () => {
      const file = writeInventory(dir, `twice-${n}.csv`, goodRows());
      await run(file);
      const records = await allRecords();
      const cases = await allCases();
      const second = await run(file);
      expect(second).toMatchObject({ ok: true, imported: 8, cases: 6, recomputed: 0 });
      expect(await tableCounts(store.db)).toMatchObject({ records: 8, cases: 6, audit: 2 });
      expect(await allRecords()).toEqual(records);
      expect(await allCases()).toEqual(cases);
    });

    it('updates a changed title, never duplicating the record', async () => {
      await run(writeInventory(dir, `v1-${n}.csv`, goodRows()));
      const changed = goodRows().map((r) =>
        r.record_id === 'PF-2' ? { ...r, title: 'Form F (revised)' } : r,
      );
      const later = new Date('2026-11-26T09:00:00.000Z');
      await run(writeInventory(dir, `v2-${n}.csv`, changed), { now: () => later, today: '2026-11-26' });
      expect(await tableCounts(store.db)).toMatchObject({ records: 8, cases: 6 });
      const rows = await store.db.selectFrom('records').selectAll().where('record_id', '=', 'PF-2').execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        title: 'Form F (revised)',
        retention_ends_on: '2030-04-01',
        updated_at: later.toISOString(),
      });
    });

    it('recomputes records of other files when a case date changes', async () => {
      // File A: the looked after child record, born 1950.
      await run(
        writeInventory(dir, `a-${n}.csv`, [
          inventoryRow({ record_id: 'A-1', case_ref: '3000001', date_of_birth: '1950-01-01' }),
          inventoryRow({ record_id: 'A-2', case_ref: '3000001', record_class: 'care-leaver' }),
          inventoryRow({ record_id: 'A-3', case_ref: '3000002', date_of_birth: '1951-01-01' }),
        ]),
      );
      expect((await record('A-1')).retention_ends_on).toBe('2025-01-01');
      expect((await record('A-2')).retention_ends_on).toBe('2025-01-01');
      const untouched = await record('A-3');

      // File B: a corrected date of birth for the same case.
      const result = await run(
        writeInventory(dir, `b-${n}.csv`, [
          inventoryRow({
            record_id: 'B-1',
            case_ref: '3000001',
            record_class: 'child-in-need',
            date_of_birth: '1960-01-01',
          }),
        ]),
      );
      expect(result).toMatchObject({ ok: true, imported: 1, cases: 1, recomputed: 2 });
      expect((await kase('3000001')).date_of_birth).toBe('1960-01-01');
      expect((await record('A-1')).retention_ends_on).toBe('2035-01-01');
      expect((await record('A-2')).retention_ends_on).toBe('2035-01-01');
      expect((await record('B-1')).retention_ends_on).toBe('1990-01-01');
      expect(await record('A-3')).toEqual(untouched);
      expect(await tableCounts(store.db)).toMatchObject({ records: 4, cases: 2, audit: 2 });
    });

    it('keeps a case date known from an earlier file when a later file leaves it empty', async () => {
      await run(
        writeInventory(dir, `known-${n}.csv`, [
          inventoryRow({ record_id: 'A1', case_ref: 'C1', date_of_birth: '1950-01-01' }),
        ]),
      );
      expect((await record('A1')).retention_ends_on).toBe('2025-01-01');
      const a1 = await record('A1');

      // A later file mentions the case with a closure date but no date of birth.
      const result = await run(
        writeInventory(dir, `unknown-${n}.csv`, [
          inventoryRow({
            record_id: 'B1',
            case_ref: 'C1',
            record_class: 'child-protection',
            closed_on: '2000-01-01',
          }),
          inventoryRow({ record_id: 'B2', case_ref: 'C1' }),
        ]),
      );
      expect(result).toMatchObject({ ok: true, imported: 2, cases: 1, recomputed: 0, errors: [] });
      expect(await kase('C1')).toMatchObject({ date_of_birth: '1950-01-01', closed_on: '2000-01-01' });
      expect(await record('A1')).toEqual(a1);
      expect(await record('B1')).toMatchObject({
        retention_ends_on: '2035-01-01',
        retention_rule: '35-years-from-closure',
      });
      // A record of the later file uses the date known from the earlier one.
      expect(await record('B2')).toMatchObject({
        retention_ends_on: '2025-01-01',
        retention_rule: '75-years-from-birth',
        retention_missing: null,
      });

      // A different non-empty date still updates the case, and the empty closure date is kept.
      const corrected = await run(
        writeInventory(dir, `corrected-${n}.csv`, [
          inventoryRow({ record_id: 'B2', case_ref: 'C1', date_of_birth: '1960-01-01' }),
        ]),
      );
      expect(corrected).toMatchObject({ ok: true, imported: 1, cases: 1, recomputed: 1 });
      expect(await kase('C1')).toMatchObject({ date_of_birth: '1960-01-01', closed_on: '2000-01-01' });
      expect((await record('A1')).retention_ends_on).toBe('2035-01-01');
      expect((await record('B2')).retention_ends_on).toBe('2035-01-01');
      expect((await record('B1')).retention_ends_on).toBe('2035-01-01');
    });
  });

  describe('importInventory: bad rows', () => {
    /** A file whose good rows are lines 2 and 3, with every kind of bad row after. */
    function badFile(name: string): string {
      return writeInventory(dir, name, [
        // line 2, 3: good
        inventoryRow({ record_id: 'OK-1', case_ref: '4000001', date_of_birth: '2001-01-01' }),
        inventoryRow({ record_id: 'OK-2', case_ref: '4000002', date_of_birth: '2002-02-02' }),
        // line 4: unknown class
        inventoryRow({ record_id: 'BAD-4', case_ref: '4000003', record_class: 'not-a-class' }),
        // line 5: impossible date
        inventoryRow({ record_id: 'BAD-5', case_ref: '4000003', date_of_birth: '31/02/2020' }),
        // line 6: a date after today
        inventoryRow({ record_id: 'BAD-6', case_ref: '4000003', closed_on: '2026-11-26' }),
        // line 7: bad format
        inventoryRow({ record_id: 'BAD-7', case_ref: '4000003', format: 'digital' }),
        // line 8: empty record id
        inventoryRow({ record_id: '', case_ref: '4000003' }),
        // line 9: a record id already on line 2
        inventoryRow({ record_id: 'OK-1', case_ref: '4000003' }),
        // line 10: a date of birth that conflicts with line 2's for the same case
        inventoryRow({ record_id: 'BAD-10', case_ref: '4000001', date_of_birth: '02/01/2001' }),
        // line 11: the wrong number of fields
        'BAD-11,4000003,looked-after-child,Case file,paper',
        // line 12: death before birth
        inventoryRow({
          record_id: 'BAD-12',
          case_ref: '4000004',
          date_of_birth: '2010-01-01',
          date_of_death: '2009-12-31',
        }),
      ]);
    }
    const BAD_COUNT = 9;

    function expectErrors(errors: { line: number; message: string }[]) {
      expect(errors.map((e) => e.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const byLine = new Map(errors.map((e) => [e.line, e.message]));
      expect(byLine.get(4)).toBe('record_class is not a record class in the retention schedule');
      expect(byLine.get(5)).toBe('date_of_birth "31/02/2020" is not a date (use YYYY-MM-DD or DD/MM/YYYY)');
      expect(byLine.get(6)).toBe('closed_on 26 November 2026 is in the future');
      expect(byLine.get(7)).toBe('format must be electronic, paper or mixed');
      expect(byLine.get(8)).toMatch(/^record_id is empty/);
      expect(byLine.get(9)).toBe('record_id OK-1 is already on line 2');
      expect(byLine.get(10)).toBe(
        'date_of_birth 2 January 2001 conflicts with 1 January 2001 on line 2 for case 4000001',
      );
      expect(byLine.get(11)).toBe('has 5 fields; expected 12');
      expect(byLine.get(12)).toBe('date_of_death is before the date of birth');
    }

    it('reports every bad row with its line and column, and writes nothing', async () => {
      // Something already in the database, to show it is left alone.
      await run(writeInventory(dir, `before-${n}.csv`, goodRows()));
      const before = await tableCounts(store.db);
      const records = await allRecords();
      const cases = await allCases();

      const result = await run(badFile(`bad-${n}.csv`));
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({ rows: 11, imported: 0, skipped: 11, cases: 0, recomputed: 0 });
      expectErrors(result.errors);

      expect(await tableCounts(store.db)).toEqual(before);
      expect(await allRecords()).toEqual(records);
      expect(await allCases()).toEqual(cases);
      expect(before.audit).toBe(1);
    });

    it('with skipInvalid writes only the good rows and counts the skipped ones', async () => {
      const result = await run(badFile(`skip-${n}.csv`), { skipInvalid: true });
      expect(result).toMatchObject({ ok: false, rows: 11, imported: 2, skipped: BAD_COUNT, cases: 2 });
      expectErrors(result.errors);
      expect((await allRecords()).map((r) => r.record_id)).toEqual(['OK-1', 'OK-2']);
      expect((await allCases()).map((c) => c.case_ref)).toEqual(['4000001', '4000002']);
      // OK-1 keeps the date of birth from its own line, not the conflicting one.
      expect(await kase('4000001')).toMatchObject({ date_of_birth: '2001-01-01' });
      expect((await record('OK-1')).retention_ends_on).toBe('2076-01-01');
      const audit = await store.db.selectFrom('audit_log').selectAll().execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.details)).toMatchObject({ rows: 11, imported: 2, skipped: BAD_COUNT });
    });

    it('reports several problems on one row together', async () => {
      const file = writeInventory(dir, `multi-${n}.csv`, [
        inventoryRow({ record_id: 'M-1', format: 'digital', date_of_birth: 'yesterday', title: '' }),
      ]);
      const result = await run(file);
      expect(result.errors).toHaveLength(1);
      const message = result.errors[0]!.message;
      expect(result.errors[0]!.line).toBe(2);
      expect(message).toContain('title is empty');
      expect(message).toContain('format must be electronic, paper or mixed');
      expect(message).toContain('date_of_birth "yesterday" is not a date');
    });

    it('counts physical lines: blank lines and quoted commas do not shift line numbers', async () => {
      const file = writeInventory(dir, `lines-${n}.csv`, [
        inventoryRow({ record_id: 'L-2', location: 'Store, shelf 3' }),
        '',
        inventoryRow({ record_id: 'L-4', format: 'vellum' }),
      ]);
      const result = await run(file);
      expect(result.errors).toEqual([{ line: 4, message: 'format must be electronic, paper or mixed' }]);
      expect(result.rows).toBe(2);
    });

    it('reports a bad row whose quoted field spans lines at the line the row starts on', async () => {
      const file = writeInventory(dir, `multiline-${n}.csv`, [
        // lines 2-3: one row, its title quoted over two lines, with a bad date of birth
        'A,C1,looked-after-child,"two',
        'lines",electronic,Livelink,x,,,,,',
        // line 4: good
        inventoryRow({ record_id: 'B', case_ref: 'C2' }),
        // line 5: blank
        '',
        // line 6: bad
        inventoryRow({ record_id: 'C', case_ref: 'C3', format: 'vellum' }),
        // lines 7-9: good, a title over three lines
        'D,C4,looked-after-child,"one',
        'two',
        'three",paper,Store,,,,,,',
        // line 10: bad
        inventoryRow({ record_id: 'E', case_ref: 'C5', closed_on: 'soon' }),
      ]);
      const result = await run(file);
      expect(result).toMatchObject({ ok: false, rows: 5 });
      expect(result.errors).toEqual([
        { line: 2, message: 'date_of_birth "x" is not a date (use YYYY-MM-DD or DD/MM/YYYY)' },
        { line: 6, message: 'format must be electronic, paper or mixed' },
        { line: 10, message: 'closed_on "soon" is not a date (use YYYY-MM-DD or DD/MM/YYYY)' },
      ]);

      const skipped = await run(file, { skipInvalid: true });
      expect(skipped).toMatchObject({ imported: 2, skipped: 3 });
      expect((await allRecords()).map((r) => r.record_id)).toEqual(['B', 'D']);
      expect((await record('D')).title).toBe('one\ntwo\nthree');
    });

    it('does not merge any date from a row that is rejected for a conflicting date', async () => {
      const rows = [
        // line 2
        inventoryRow({ record_id: 'E', case_ref: 'C9', closed_on: '2010-01-01' }),
        // line 3: rejected, its closure date conflicts with line 2's; its date of birth must not be kept
        inventoryRow({
          record_id: 'F',
          case_ref: 'C9',
          date_of_birth: '2000-01-01',
          closed_on: '2011-01-01',
        }),
      ];
      const conflict = {
        line: 3,
        message: 'closed_on 1 January 2011 conflicts with 1 January 2010 on line 2 for case C9',
      };

      const first = await run(writeInventory(dir, `conflict-${n}.csv`, rows), { skipInvalid: true });
      expect(first).toMatchObject({ ok: false, rows: 2, imported: 1, skipped: 1, cases: 1 });
      expect(first.errors).toEqual([conflict]);
      expect(await kase('C9')).toMatchObject({ date_of_birth: null, closed_on: '2010-01-01' });
      expect(await record('E')).toMatchObject({ retention_ends_on: null, retention_missing: 'dateOfBirth' });

      // line 4: a date of birth that only the rejected line 3 would conflict with
      const second = await run(
        writeInventory(dir, `conflict-more-${n}.csv`, [
          ...rows,
          inventoryRow({ record_id: 'G', case_ref: 'C9', date_of_birth: '2001-01-01' }),
        ]),
        { skipInvalid: true },
      );
      expect(second).toMatchObject({ ok: false, rows: 3, imported: 2, skipped: 1, cases: 1 });
      expect(second.errors).toEqual([conflict]);
      expect(await kase('C9')).toMatchObject({ date_of_birth: '2001-01-01', closed_on: '2010-01-01' });
      expect((await record('E')).retention_ends_on).toBe('2076-01-01');
      expect((await record('G')).retention_ends_on).toBe('2076-01-01');
      expect((await allRecords()).map((r) => r.record_id)).toEqual(['E', 'G']);
    });

    it('rejects a date of death before a date of birth given on another row of the same case', async () => {
      const file = writeInventory(dir, `death-${n}.csv`, [
        // line 2
        inventoryRow({ record_id: 'A1', case_ref: 'C1', date_of_birth: '2010-01-01' }),
        // line 3
        inventoryRow({ record_id: 'A2', case_ref: 'C1', date_of_death: '2009-01-01' }),
      ]);
      const result = await run(file);
      expect(result).toMatchObject({ ok: false, rows: 2, imported: 0, skipped: 2, cases: 0 });
      expect(result.errors).toEqual([
        { line: 3, message: 'date_of_death is before the date of birth (1 January 2010 on line 2)' },
      ]);
      expect(await tableCounts(store.db)).toMatchObject({ records: 0, cases: 0, audit: 0 });
    });

    it('rejects a header that names a column twice', async () => {
      const row = inventoryFields(inventoryRow({ record_id: 'R-1', case_ref: 'C1' }));
      const file = writeCsv(
        dir,
        `twice-${n}.csv`,
        [...INVENTORY_COLUMNS, 'title'],
        [[...row, 'Other title']],
      );
      const error = await run(file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CsvFormatError);
      expect((error as Error).message).toBe(`The header of ${file} names title more than once.`);
      expect(await tableCounts(store.db)).toMatchObject({ records: 0, cases: 0, audit: 0 });
    });
  });

  describe('importInventory: file-level errors', () => {
    it('rejects a wrong header with a CsvFormatError naming the missing column, writing nothing', async () => {
      const header = INVENTORY_COLUMNS.filter((c) => c !== 'location');
      const file = writeCsv(dir, `header-${n}.csv`, header, [
        ['R-1', 'C1', 'looked-after-child', 'Case file', 'paper', '', '', '', '', '', ''],
      ]);
      const error = await run(file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CsvFormatError);
      expect((error as Error).message).toContain('Missing column(s): location.');
      expect(await tableCounts(store.db)).toMatchObject({ records: 0, cases: 0, audit: 0 });
    });

    it('names an unexpected column', async () => {
      const file = writeCsv(dir, `extra-${n}.csv`, [...INVENTORY_COLUMNS, 'notes'], []);
      await expect(run(file)).rejects.toThrow(/Unexpected column\(s\): notes\./);
    });

    it('rejects an empty file', async () => {
      const file = path.join(dir, `nothing-${n}.csv`);
      fs.writeFileSync(file, '');
      await expect(run(file)).rejects.toThrow(CsvFormatError);
      await expect(run(file)).rejects.toThrow(/is empty: it needs a header row/);
    });

    it('rejects a file that is not valid CSV', async () => {
      const file = path.join(dir, `broken-${n}.csv`);
      fs.writeFileSync(file, `${INVENTORY_COLUMNS.join(',')}\nR-1,"unterminated,quote\n`);
      await expect(run(file)).rejects.toThrow(/is not a readable CSV file/);
      expect((await tableCounts(store.db)).records).toBe(0);
    });
  });
});
