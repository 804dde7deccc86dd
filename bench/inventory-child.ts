// The inventory benchmark's work, run in child processes (one a measured import, so that the
// peak memory is the import's own). Built into one file with esbuild and run by plain Node, as
// the command-line tool runs from the compiled build. Paths given to it are absolute.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { importInventory } from '../src/imports/inventory-import.js';
import { importStaff } from '../src/imports/staff-import.js';
import {
  defaultSchedule,
  HOLD_TYPES,
  parseSchedule,
  type CaseDates,
  type Schedule,
} from '../src/rules/index.js';
import { DestructionService } from '../src/services/destruction.js';
import { HoldService } from '../src/services/holds.js';
import { parseDatabaseUrl } from '../src/store/connection.js';
import { openReadyStore, type Store } from '../src/store/index.js';
import { caseRetentionColumns, recomputeRetention, unknownClassColumns } from '../src/store/inventory.js';
import type { Database } from '../src/store/schema.js';
import { serveChild } from './child.js';
import { STAFF } from './people.js';

/** The day the inventory benchmark runs "on", so its figures do not move with the calendar. */
export const BENCH_TODAY = '2026-11-26';
const clock = { now: () => new Date(`${BENCH_TODAY}T10:00:00Z`) };

interface Fingerprint {
  records: number;
  withEnd: number;
  permanent: number;
  latestEnd: string | null;
  cases: number;
}

/** A few aggregates, to show that the import and the bare insert wrote the same rows. */
async function fingerprint(db: Kysely<Database>): Promise<Fingerprint> {
  const r = await sql<{ n: number; e: number; p: number; m: string | null }>`
    SELECT count(*) AS n, count(retention_ends_on) AS e, sum(retention_permanent) AS p,
           max(retention_ends_on) AS m FROM records`.execute(db);
  const c = await sql<{ n: number }>`SELECT count(*) AS n FROM cases`.execute(db);
  const row = r.rows[0]!;
  return {
    records: Number(row.n),
    withEnd: Number(row.e),
    permanent: Number(row.p),
    latestEnd: row.m,
    cases: Number(c.rows[0]!.n),
  };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000);
}

/** Opens (and migrates) a fresh database: not timed. */
async function ready(url: string): Promise<Store> {
  return openReadyStore(url, defaultSchedule);
}

/** The product's import of the CSV file, timed from the call to its return. */
async function runImport(params: unknown) {
  const { url, file } = params as { url: string; file: string };
  const store = await ready(url);
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await importInventory(store.db, defaultSchedule, file, {
      today: BENCH_TODAY,
      now: () => clock.now(),
      actorId: 'bench',
    });
    const ms = performance.now() - started;
    if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.errors.slice(0, 3))}`);
    return {
      ms,
      cpuMs: cpuMs(cpu),
      imported: result.imported,
      cases: result.cases,
      fingerprint: await fingerprint(store.db),
    };
  } finally {
    await store.close();
  }
}

const nullIfEmpty = (s: string | undefined) => (s ? s : null);

/**
 * One CSV line of the synthetic inventory as the bare insert reads it: a plain split (the
 * generator writes no quotes), the case's dates taken from the line (every line of a case carries
 * them), and the retention columns worked out by the same rules function the import uses (the
 * generator gives each case one class, so the case's classes are the line's).
 */
function bareRow(line: string, schedule: Schedule) {
  const v = line.split(',');
  const dates: CaseDates = {
    dateOfBirth: nullIfEmpty(v[6]),
    dateOfDeath: nullIfEmpty(v[7]),
    closedOn: nullIfEmpty(v[8]),
    adoptionOrderOn: nullIfEmpty(v[9]),
    approvalEndedOn: nullIfEmpty(v[10]),
    lastContactOn: nullIfEmpty(v[11]),
  };
  const retention =
    caseRetentionColumns(schedule, [v[2]!], dates).get(v[2]!) ?? unknownClassColumns(schedule);
  return { v, dates, retention };
}

async function* csvLines(file: string): AsyncGenerator<string> {
  let header = true;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (header) header = false;
    else if (line) yield line;
  }
}

/**
 * The bare bulk insert the import is compared with: the same rows and columns (retention
 * included) into the same schema, read from the same file, but without checking anything, in one
 * pass and one transaction, straight through the database driver. SQLite: one prepared INSERT a
 * row. PostgreSQL: prepared multi-row INSERTs of 1,000 rows.
 */
async function runBare(params: unknown) {
  const { url, file } = params as { url: string; file: string };
  await (await ready(url)).close();
  const at = clock.now().toISOString();
  const parsed = parseDatabaseUrl(url);
  const cpu = process.cpuUsage();
  let ms: number;
  if (parsed.dialect === 'sqlite') {
    const db = new SqliteDatabase(parsed.file);
    // As src/store/connection.ts opens it.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const insertCase = db.prepare(
      'INSERT OR IGNORE INTO cases (case_ref, date_of_birth, date_of_death, closed_on, adoption_order_on, approval_ended_on, last_contact_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertRecord = db.prepare(
      'INSERT INTO records (record_id, case_ref, record_class, title, format, location, retention_ends_on, retention_rule, retention_missing, retention_permanent, schedule_version, retention_kept_with, retention_action, destroyed_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)',
    );
    const started = performance.now();
    db.exec('BEGIN');
    let lastCase = '';
    for await (const line of csvLines(file)) {
      const { v, dates: d, retention: r } = bareRow(line, defaultSchedule);
      if (v[1] !== lastCase) {
        insertCase.run(
          v[1],
          d.dateOfBirth,
          d.dateOfDeath,
          d.closedOn,
          d.adoptionOrderOn,
          d.approvalEndedOn,
          d.lastContactOn,
          at,
        );
        lastCase = v[1]!;
      }
      insertRecord.run(
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        r.retention_ends_on,
        r.retention_rule,
        r.retention_missing,
        r.retention_permanent,
        r.schedule_version,
        r.retention_kept_with,
        r.retention_action,
        at,
      );
    }
    db.exec('COMMIT');
    ms = performance.now() - started;
    db.close();
  } else {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: parsed.url });
    await client.connect();
    const BATCH = 1000;
    const statement = (table: string, columns: string[], rows: number, tail: string) => {
      const values = Array.from(
        { length: rows },
        (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
      );
      return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}${tail}`;
    };
    const caseColumns = [
      'case_ref',
      'date_of_birth',
      'date_of_death',
      'closed_on',
      'adoption_order_on',
      'approval_ended_on',
      'last_contact_on',
      'updated_at',
    ];
    const recordColumns = [
      'record_id',
      'case_ref',
      'record_class',
      'title',
      'format',
      'location',
      'retention_ends_on',
      'retention_rule',
      'retention_missing',
      'retention_permanent',
      'schedule_version',
      'retention_kept_with',
      'retention_action',
      'updated_at',
    ];
    let cases: unknown[][] = [];
    let records: unknown[][] = [];
    const flush = async (table: 'cases' | 'records', rows: unknown[][]) => {
      if (!rows.length) return;
      const columns = table === 'cases' ? caseColumns : recordColumns;
      const tail = table === 'cases' ? ' ON CONFLICT DO NOTHING' : '';
      const text = statement(table, columns, rows.length, tail);
      await client.query({
        ...(rows.length === BATCH ? { name: `bare-${table}` } : {}),
        text,
        values: rows.flat(),
      });
    };
    const started = performance.now();
    await client.query('BEGIN');
    let lastCase = '';
    for await (const line of csvLines(file)) {
      const { v, dates: d, retention: r } = bareRow(line, defaultSchedule);
      if (v[1] !== lastCase) {
        cases.push([
          v[1],
          d.dateOfBirth,
          d.dateOfDeath,
          d.closedOn,
          d.adoptionOrderOn,
          d.approvalEndedOn,
          d.lastContactOn,
          at,
        ]);
        lastCase = v[1]!;
        if (cases.length === BATCH) {
          await flush('cases', cases);
          cases = [];
        }
      }
      records.push([
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        r.retention_ends_on,
        r.retention_rule,
        r.retention_missing,
        r.retention_permanent,
        r.schedule_version,
        r.retention_kept_with,
        r.retention_action,
        at,
      ]);
      if (records.length === BATCH) {
        await flush('cases', cases);
        cases = [];
        await flush('records', records);
        records = [];
      }
    }
    await flush('cases', cases);
    await flush('records', records);
    await client.query('COMMIT');
    ms = performance.now() - started;
    await client.end();
  }
  const cpuUsed = cpuMs(cpu);
  const store = await ready(url);
  try {
    return { ms, cpuMs: cpuUsed, fingerprint: await fingerprint(store.db) };
  } finally {
    await store.close();
  }
}

/** Readies an imported database for the queries: the staff directory, and holds on some cases. */
async function prepare(params: unknown) {
  const { url, staffFile, holdEvery } = params as { url: string; staffFile: string; holdEvery: number };
  const store = await ready(url);
  try {
    await importStaff(store.db, staffFile, { now: () => clock.now(), actorId: 'bench' });
    const holds = new HoldService(store.db, clock);
    const refs = await store.db.selectFrom('cases').select('case_ref').orderBy('case_ref').execute();
    const types = HOLD_TYPES.filter((t) => t !== 'other');
    let placed = 0;
    for (let i = holdEvery - 1; i < refs.length; i += holdEvery) {
      const type = types[placed % types.length]!;
      const outcome = await holds.place(STAFF.morgan, {
        caseRef: refs[i]!.case_ref,
        type,
        reference: `BENCH-${placed + 1}`,
        reason: 'Synthetic hold for the benchmark',
        sarReceivedOn: type === 'subject_access_request' ? '2026-11-02' : null,
      });
      if (!outcome.ok) throw new Error(`hold not placed: ${outcome.message}`);
      placed += 1;
    }
    return { holds: placed };
  } finally {
    await store.close();
  }
}

/** Rounds of the due query and the count run before the measured ones. */
const WARM_UP_ROUNDS = 5;

/**
 * "What is due for destruction" (the service call the bot, tab and CLI make: counts by class and
 * month, and the first page with held/out flags) against a bare `SELECT count(*) FROM records`,
 * alternately, `rounds` times each after a few rounds of warm-up, on the same database and
 * connection.
 */
async function queries(params: unknown) {
  const { url, rounds } = params as { url: string; rounds: number };
  const store = await ready(url);
  try {
    const destruction = new DestructionService(store.db, clock, {
      twoPersonRule: true,
      schedule: defaultSchedule,
    });
    const due: number[] = [];
    const count: number[] = [];
    let summary = { total: 0, groups: 0, page: 0, held: 0 };
    // A few rounds first, not counted, as the bot's turns are measured after warm-up turns: the
    // code reading the summary is compiled by then, as in a bot that has been running.
    for (let r = 0; r < WARM_UP_ROUNDS; r++) {
      await destruction.due(STAFF.morgan, { dueBy: BENCH_TODAY });
      await sql`SELECT count(*) FROM records`.execute(store.db);
    }
    for (let r = 0; r < rounds; r++) {
      let started = performance.now();
      const list = await destruction.due(STAFF.morgan, { dueBy: BENCH_TODAY });
      due.push(performance.now() - started);
      if (!list.ok) throw new Error(`due refused: ${list.message}`);
      summary = {
        total: list.total,
        groups: list.groups.length,
        page: list.records.length,
        held: list.records.filter((x) => x.held).length,
      };
      started = performance.now();
      await sql`SELECT count(*) FROM records`.execute(store.db);
      count.push(performance.now() - started);
    }
    return { due, count, ...summary };
  } finally {
    await store.close();
  }
}

/** Every record's retention worked out again after a schedule change (a new version). */
async function recompute(params: unknown) {
  const { url } = params as { url: string };
  const store = await ready(url);
  try {
    // A new version in which child protection records are kept 40 years from closure, not 35.
    const changed = structuredClone(defaultSchedule) as {
      version: string;
      classes: { id: string; rules: { end: { years?: number } }[] }[];
    };
    changed.version = `${defaultSchedule.version}+bench`;
    const end = changed.classes.find((c) => c.id === 'child-protection')!.rules[0]!.end;
    end.years = (end.years ?? 0) + 5;
    const schedule: Schedule = parseSchedule(changed);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await recomputeRetention(store.db, schedule);
    return { ms: performance.now() - started, cpuMs: cpuMs(cpu), ...result };
  } finally {
    await store.close();
  }
}

await serveChild({ methods: { import: runImport, bare: runBare, prepare, queries, recompute } });
