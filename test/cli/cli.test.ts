import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { inventoryRow, writeInventory, writeStaff } from '../support/csv.js';
import { makeTempDir, openTestStore, removeTempDir, tableCounts } from '../support/temp-store.js';

const DEMO_RECORDS = 347;
const DEMO_CASES = 111;
const DEMO_STAFF = 10;

let dir: string;
let n = 0;

function dbFile(label: string): string {
  n += 1;
  return path.join(dir, `${label}-${n}.db`);
}

/** Counts in a database the CLI wrote, read through a separate connection. */
async function countsIn(file: string) {
  const store: Store = await openTestStore(file);
  try {
    return await tableCounts(store.db);
  } finally {
    await store.close();
  }
}

beforeAll(() => {
  dir = makeTempDir();
  // The CLI reads "today" from the clock: fix it so future-date checks are stable.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-25T10:00:00Z') });
});

afterAll(() => {
  vi.useRealTimers();
  removeTempDir(dir);
});

afterEach(() => {
  expect(process.exitCode).toBeUndefined();
});

describe('load-demo', () => {
  it('loads the demo staff and inventory into a fresh database', async () => {
    const file = dbFile('demo');
    const run = await runCli(file, ['load-demo']);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out).toEqual([
      'staff.csv: imported 10 staff row(s).',
      `inventory.csv: imported ${DEMO_RECORDS} inventory row(s) across ${DEMO_CASES} case(s).`,
      'Demo data loaded. Try: npm run cli -- retention 1234567',
    ]);
    expect(await countsIn(file)).toEqual({
      staff: DEMO_STAFF,
      records: DEMO_RECORDS,
      cases: DEMO_CASES,
      audit: 2,
    });
  });

  it('can be run twice without duplicating anything', async () => {
    const file = dbFile('demo-twice');
    expect((await runCli(file, ['load-demo'])).code).toBe(0);
    const again = await runCli(file, ['load-demo']);
    expect(again.code).toBe(0);
    expect(again.text).toContain('Demo data loaded');
    expect(await countsIn(file)).toEqual({
      staff: DEMO_STAFF,
      records: DEMO_RECORDS,
      cases: DEMO_CASES,
      audit: 4,
    });
  });
});

describe('retention', () => {
  let file: string;

  beforeAll(async () => {
    file = dbFile('retention');
    expect((await runCli(file, ['load-demo'])).code).toBe(0);
  });

  it('prints each record of the case with its status', async () => {
    const run = await runCli(file, ['retention', '1234567', '--today', '2026-11-25']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out[0]).toBe('Case 1234567: 2 record(s), as on 25 November 2026 (schedule 2026.2)');
    expect(run.out).toContain('RETAINED   LL-400109  Health assessments (electronic)');
    expect(run.out).toContain('INCOMPLETE PF-400149  Section 47 enquiry (paper)');
    expect(run.out).toContain('           Looked after child case record; ends 14 May 2087');
    expect(run.out).toContain(
      '           Child protection record (section 47 enquiries, conferences and plans); end unknown',
    );
  });

  it('shows why a child protection record is kept with the looked after child record', async () => {
    const run = await runCli(file, ['retention', '1750401', '--today', '2026-11-25']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('RETAINED   PF-407172  Child protection plan (paper)');
    expect(run.out).toContain(
      '           Child protection record (section 47 enquiries, conferences and plans); ends 1 April 2050',
    );
    expect(run.text).toContain(
      '- Kept with the looked after child case record PF-407152 of the same child, which is kept longer: If the child became looked after, the looked after child rule applies',
    );
    expect(run.text).toContain(
      "- Rule applied: 75th anniversary of the child's birth (looked after child case record). Counted from the date of birth, 1 April 1975.",
    );
    expect(run.text).toContain('(mixed)');
  });

  it('accepts --today in DD/MM/YYYY and works the status out for that day', async () => {
    const run = await runCli(file, ['retention', '1600229', '--today', '28/02/2023']);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(/^Case 1600229: \d+ record\(s\), as on 28 February 2023 /);
    expect(run.text).toContain('RETAINED   LL-400167');
    expect(run.text).toContain('ends 1 March 2023');

    const later = await runCli(file, ['retention', '1600229', '--today', '2023-03-01']);
    expect(later.text).toContain('DUE        LL-400167');
  });

  it('returns 1 for a case not in the inventory', async () => {
    const run = await runCli(file, ['retention', '0000000', '--today', '2026-11-25']);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toEqual(['Case 0000000 is not in the records inventory.']);
  });

  it('returns 2 for a --today that is not a date', async () => {
    const run = await runCli(file, ['retention', '1234567', '--today', '31/02/2026']);
    expect(run.code).toBe(2);
    expect(run.err[0]).toMatch(/--today "31\/02\/2026" is not a date/);
  });

  it('returns 2 for an unknown command', async () => {
    // Commander writes its usage error straight to stderr, not through the io.
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const run = await runCli(file, ['no-such-command']);
      expect(run.code).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(
        "unknown command 'no-such-command'",
      );
    } finally {
      stderr.mockRestore();
    }
  });

  it('recompute-retention finds nothing to change after an import', async () => {
    const run = await runCli(file, ['recompute-retention']);
    expect(run.code).toBe(0);
    expect(run.out).toEqual([`Checked ${DEMO_RECORDS} records; 0 changed.`]);
  });
});

describe('import-inventory', () => {
  let badCsv: string;

  beforeAll(() => {
    badCsv = writeInventory(dir, 'cli-bad.csv', [
      inventoryRow({ record_id: 'G-1', case_ref: '5000001', date_of_birth: '2001-01-01' }),
      inventoryRow({ record_id: 'B-3', case_ref: '5000002', record_class: 'no-such-class' }),
      inventoryRow({ record_id: 'G-4', case_ref: '5000003', date_of_birth: '2003-03-03' }),
      inventoryRow({ record_id: 'B-5', case_ref: '5000004', closed_on: '2026-11-26' }),
    ]);
  });

  it('returns 1, lists the bad lines and imports nothing', async () => {
    const file = dbFile('bad-import');
    const run = await runCli(file, ['import-inventory', badCsv]);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toEqual([
      '  line 3: record_class is not a record class in the retention schedule',
      '  line 5: closed_on 26 November 2026 is in the future',
      'cli-bad.csv: 2 bad row(s) of 4; nothing was imported. Fix them, or use --skip-invalid to import only the good rows.',
    ]);
    expect(await countsIn(file)).toMatchObject({ records: 0, cases: 0, audit: 0 });
  });

  it('with --skip-invalid returns 0, imports the good rows and says what it skipped', async () => {
    const file = dbFile('skip-import');
    const run = await runCli(file, ['import-inventory', '--skip-invalid', badCsv]);
    expect(run.code).toBe(0);
    expect(run.out).toEqual([
      'cli-bad.csv: imported 2 inventory row(s) across 2 case(s), skipped 2 bad row(s) (listed above).',
    ]);
    expect(run.err).toHaveLength(2);
    expect(run.err[0]).toMatch(/^ {2}line 3: /);
    expect(await countsIn(file)).toMatchObject({ records: 2, cases: 2, audit: 1 });
  });

  it('says how many other records were recomputed when a case date changes', async () => {
    const file = dbFile('recompute-import');
    const first = writeInventory(dir, 'cli-first.csv', [
      inventoryRow({ record_id: 'F-1', case_ref: '6000001', date_of_birth: '1950-01-01' }),
    ]);
    const second = writeInventory(dir, 'cli-second.csv', [
      inventoryRow({ record_id: 'S-1', case_ref: '6000001', date_of_birth: '1951-01-01' }),
    ]);
    expect((await runCli(file, ['import-inventory', first])).code).toBe(0);
    const run = await runCli(file, ['import-inventory', second]);
    expect(run.code).toBe(0);
    expect(run.out).toEqual([
      'cli-second.csv: imported 1 inventory row(s) across 1 case(s); 1 other record(s) recomputed for changed case dates.',
    ]);
  });

  it('shows at most 50 errors and counts the rest', async () => {
    const rows = Array.from({ length: 60 }, (_, i) =>
      inventoryRow({ record_id: `X-${i}`, format: 'digital' }),
    );
    const many = writeInventory(dir, 'cli-many.csv', rows);
    const run = await runCli(dbFile('many'), ['import-inventory', many]);
    expect(run.code).toBe(1);
    expect(run.err.filter((l) => l.startsWith('  line '))).toHaveLength(50);
    expect(run.err).toContain('  … and 10 more bad rows');
    expect(run.err.at(-1)).toMatch(/60 bad row\(s\) of 60; nothing was imported/);
  });

  it('returns 1 with a message for a file with the wrong header', async () => {
    const file = path.join(dir, 'cli-header.csv');
    writeStaff(dir, 'cli-header.csv', []);
    const run = await runCli(dbFile('header'), ['import-inventory', file]);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/does not match\. Missing column\(s\): record_id/);
  });

  it('returns 1 with a message for a file that does not exist', async () => {
    const run = await runCli(dbFile('missing'), ['import-inventory', path.join(dir, 'nope.csv')]);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/no such file/i);
  });
});

describe('import-staff', () => {
  it('imports a good file and refuses a bad one', async () => {
    const file = dbFile('staff');
    const good = writeStaff(dir, 'cli-staff.csv', [
      {
        aad_object_id: '00000000-0000-4000-8000-000000000001',
        display_name: 'A Manager',
        email: 'a@council.example',
        roles: 'line_manager',
        line_manager_aad_object_id: '',
      },
    ]);
    const ok = await runCli(file, ['import-staff', good]);
    expect(ok.code).toBe(0);
    expect(ok.out).toEqual(['cli-staff.csv: imported 1 staff row(s).']);

    const bad = writeStaff(dir, 'cli-staff-bad.csv', [
      {
        aad_object_id: '00000000-0000-4000-8000-000000000002',
        display_name: 'B Worker',
        email: 'b@council.example',
        roles: 'case_worker',
        line_manager_aad_object_id: '00000000-0000-4000-8000-000000000099',
      },
    ]);
    const refused = await runCli(file, ['import-staff', bad]);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toBe(
      '  line 2: line_manager_aad_object_id 00000000-0000-4000-8000-000000000099 is not in this file or the staff directory',
    );
    expect(await countsIn(file)).toMatchObject({ staff: 1, audit: 1 });
  });
});

describe('check-schedule', () => {
  it('validates the shipped schedule', async () => {
    const run = await runCli(dbFile('schedule'), ['check-schedule']);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(/^Retention schedule 2026\.2 is valid: \d+ record classes\.$/);
  });
});
