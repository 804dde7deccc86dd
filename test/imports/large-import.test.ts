import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventory, INVENTORY_COLUMNS } from '../../src/imports/inventory-import.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import type { Store } from '../../src/store/index.js';
import { ensureRetentionCurrent } from '../../src/store/inventory.js';
import { csvLine } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  tableCounts,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

const ROWS = 50_000;
const RECORDS_PER_CASE = 4;
const CASES = ROWS / RECORDS_PER_CASE;

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let store: Store;
  let csv: string;

  /** Row i: case i / 4; every case born on a day of 1950-1977; classes cycle. */
  function generate(file: string): void {
    const classes = ['looked-after-child', 'child-in-need', 'child-protection', 'care-leaver'];
    const lines = [INVENTORY_COLUMNS.join(',')];
    for (let i = 0; i < ROWS; i++) {
      const c = Math.floor(i / RECORDS_PER_CASE);
      const year = 1950 + (c % 28);
      const month = String((c % 12) + 1).padStart(2, '0');
      const day = String((c % 28) + 1).padStart(2, '0');
      const birth = i % 2 === 0 ? `${year}-${month}-${day}` : `${day}/${month}/${year}`;
      lines.push(
        csvLine([
          `R-${String(i).padStart(6, '0')}`,
          `C-${String(c).padStart(5, '0')}`,
          classes[i % classes.length]!,
          `Record ${i}, part ${i % 7}`,
          i % 3 === 0 ? 'paper' : 'electronic',
          i % 3 === 0 ? 'Offsite store, box 7' : 'Livelink',
          birth,
          '',
          `${year + 18}-${month}-${day}`,
          '',
          '',
          '',
        ]),
      );
    }
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  }

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    csv = path.join(dir, 'large.csv');
    generate(csv);
    store = await dbs.open('large');
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  describe(`a ${ROWS.toLocaleString('en-GB')}-row inventory`, () => {
    it('imports every row and every case', async () => {
      const result = await importInventory(store.db, defaultSchedule, csv, {
        today: '2026-11-25',
        now: () => new Date('2026-11-25T10:00:00Z'),
        actorId: 'test',
      });
      expect(result.errors.slice(0, 3)).toEqual([]);
      expect(result).toMatchObject({ ok: true, rows: ROWS, imported: ROWS, skipped: 0, cases: CASES });
      expect(await tableCounts(store.db)).toMatchObject({ records: ROWS, cases: CASES, audit: 1 });

      const unknown = await sql<{ n: number }>`
        SELECT count(*) AS n FROM records WHERE retention_ends_on IS NULL`.execute(store.db);
      expect(Number(unknown.rows[0]?.n)).toBe(0);
      // Spot checks: row 5 is case 1 (born 2 February 1951), class child-in-need: 30th birthday.
      const r5 = await store.db
        .selectFrom('records')
        .selectAll()
        .where('record_id', '=', 'R-000005')
        .executeTakeFirstOrThrow();
      expect(r5).toMatchObject({
        case_ref: 'C-00001',
        retention_ends_on: '1981-02-02',
        format: 'electronic',
      });
      const last = await store.db
        .selectFrom('records')
        .selectAll()
        .where('record_id', '=', `R-0${ROWS - 1}`)
        .executeTakeFirstOrThrow();
      expect(last.record_class).toBe('care-leaver');
      expect(await verifyAudit(store.db)).toMatchObject({ ok: true, entries: 1 });
    });

    it('recomputes every page of records when the schedule changes', async () => {
      const schedule = structuredClone(defaultSchedule);
      schedule.version = 'large-test';
      const result = await ensureRetentionCurrent(store.db, schedule);
      expect(result).toEqual({ checked: ROWS, changed: ROWS });
      const versions = await sql<{ v: string; n: number }>`
        SELECT schedule_version AS v, count(*) AS n FROM records GROUP BY schedule_version`.execute(store.db);
      expect(versions.rows.map((r) => [r.v, Number(r.n)])).toEqual([['large-test', ROWS]]);
    });
  });
});
