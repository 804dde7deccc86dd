import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { defaultSchedule, type Schedule } from '../../src/rules/index.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
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
