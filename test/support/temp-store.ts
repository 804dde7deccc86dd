import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { defaultSchedule, type Schedule } from '../../src/rules/index.js';
import type { Dialect } from '../../src/store/connection.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import type { APPEND_ONLY_TABLES } from '../../src/store/migrations.js';
import type { Database } from '../../src/store/schema.js';

/** A fresh, empty temporary directory (removed by `removeTempDir`). */
export function makeTempDir(prefix = 'cra-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The DATABASE_URL for an absolute SQLite file path. */
export function sqliteUrl(file: string): string {
  if (!path.isAbsolute(file)) throw new Error(`expected an absolute path, got ${file}`);
  return `sqlite:${file}`;
}

/** Opens (creating and migrating) a real SQLite database file. */
export async function openTestStore(file: string, schedule: Schedule = defaultSchedule): Promise<Store> {
  return openReadyStore(sqliteUrl(file), schedule);
}

// ---------------------------------------------------------------------------------------------
// One storage test suite, both databases: `forEachDialect` runs a suite on SQLite and on the
// throwaway PostgreSQL cluster that test/support/postgres.ts starts (unless PG_TESTS=off).

/** The databases the store tests run on: SQLite always, PostgreSQL unless PG_TESTS=off. */
export const DIALECTS: readonly Dialect[] =
  process.env.PG_TESTS === 'off' ? ['sqlite'] : ['sqlite', 'postgres'];

/** Runs a suite once per dialect, each inside `describe('sqlite' | 'postgres')`. */
export function forEachDialect(suite: (dialect: Dialect) => void): void {
  describe.each(DIALECTS)('%s', suite);
}

function testServerUrl(): string {
  const url = inject('TEST_DATABASE_URL_PG');
  if (!url) {
    throw new Error(
      'No test PostgreSQL server: test/support/postgres.ts (vitest globalSetup) did not start one. Run the tests through vitest.config.ts, or set PG_TESTS=off.',
    );
  }
  return url;
}

/** Where a suite's databases live, and how it makes, opens and removes them. */
export interface TestDatabases {
  dialect: Dialect;
  /** The DATABASE_URL of a new, empty database: a file in a temp folder, or a new PostgreSQL database. */
  newUrl(label: string): Promise<string>;
  /** A new database, opened, migrated and ready (as the product opens it). */
  open(label: string, schedule?: Schedule): Promise<Store>;
  /** Closes what `open` opened and is still open, then removes every database made. */
  cleanup(): Promise<void>;
}

/**
 * Databases for one suite on `dialect`. On PostgreSQL each is a database of its own on the test
 * server, so test files running in parallel never see each other's rows.
 */
export function testDatabases(dialect: Dialect): TestDatabases {
  const stores: Store[] = [];
  const open = async (url: string, schedule: Schedule) => {
    const store = await openReadyStore(url, schedule);
    let closed = false;
    const close = store.close.bind(store);
    store.close = async () => {
      if (closed) return;
      closed = true;
      await close();
    };
    stores.push(store);
    return store;
  };
  let n = 0;

  if (dialect === 'sqlite') {
    const dir = makeTempDir('cra-db-');
    const newUrl = (label: string) => {
      n += 1;
      return Promise.resolve(sqliteUrl(path.join(dir, `${label}-${n}.db`)));
    };
    return {
      dialect,
      newUrl,
      open: async (label, schedule = defaultSchedule) => open(await newUrl(label), schedule),
      async cleanup() {
        for (const store of stores) await store.close();
        removeTempDir(dir);
      },
    };
  }

  const server = new URL(testServerUrl());
  const suite = randomBytes(4).toString('hex');
  const made: string[] = [];
  let admin: pg.Client | null = null;
  const adminClient = async () => {
    if (!admin) {
      admin = new pg.Client({ connectionString: server.href });
      await admin.connect();
    }
    return admin;
  };
  const newUrl = async (label: string) => {
    n += 1;
    const slug = label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .slice(0, 30);
    const name = `t_${slug}_${suite}_${n}`;
    await (await adminClient()).query(`CREATE DATABASE "${name}"`);
    made.push(name);
    const url = new URL(server.href);
    url.pathname = `/${name}`;
    return url.href;
  };
  return {
    dialect,
    newUrl,
    open: async (label, schedule = defaultSchedule) => open(await newUrl(label), schedule),
    async cleanup() {
      for (const store of stores) await store.close();
      if (!admin) return;
      const client: pg.Client = admin;
      for (const name of made) {
        await dropDatabase(client, name);
        // The command line's chain head for the database (test/support/cli.ts), if it wrote one.
        fs.rmSync(path.join(os.tmpdir(), `cra-${name}.audit-head.json`), { force: true });
      }
      await client.end();
      admin = null;
    },
  };
}

/** A suite's databases and its temporary folder, there while its tests run. */
export interface SuiteStorage {
  dbs: TestDatabases;
  dir: string;
}

/**
 * Makes a suite's databases on `dialect` and a temporary folder (named from `prefix`) before its
 * tests, and removes both after them. The fields are filled in when the suite starts.
 */
export function suiteStorage(dialect: Dialect, prefix: string): SuiteStorage {
  const storage = {} as SuiteStorage;
  beforeAll(() => {
    storage.dbs = testDatabases(dialect);
    storage.dir = makeTempDir(prefix);
  });
  afterAll(async () => {
    await storage.dbs.cleanup();
    removeTempDir(storage.dir);
  });
  return storage;
}

/**
 * Drops a test database once the connections its stores closed have gone (a closed pool's
 * connections linger for a moment; killing them would surface as errors in the test run).
 */
async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await admin.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if (Number(rows[0]?.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/**
 * Lets a test tamper with an append-only table, as someone with direct database access could: the
 * SQLite triggers are dropped, the PostgreSQL ones disabled.
 */
export async function allowTampering(
  store: Store,
  table: (typeof APPEND_ONLY_TABLES)[number],
): Promise<void> {
  if (store.dialect === 'sqlite') {
    for (const op of ['update', 'delete', 'replace'])
      await execRaw(store.db, `DROP TRIGGER IF EXISTS ${table}_no_${op}`);
  } else {
    await execRaw(store.db, `ALTER TABLE ${table} DISABLE TRIGGER USER`);
  }
}

/** Number of rows in a table. */
export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/** Row counts of the tables imports write to. */
export async function tableCounts(
  db: Kysely<Database>,
): Promise<{ cases: number; records: number; audit: number; staff: number }> {
  return {
    cases: await countRows(db, 'cases'),
    records: await countRows(db, 'records'),
    audit: await countRows(db, 'audit_log'),
    staff: await countRows(db, 'staff'),
  };
}

/** Runs raw SQL (DDL, or writes that bypass the typed API). */
export async function execRaw(db: Kysely<Database>, statement: string): Promise<void> {
  await sql.raw(statement).execute(db);
}
