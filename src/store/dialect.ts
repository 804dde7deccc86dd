import { PostgresAdapter, sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.js';

// What differs between SQLite and PostgreSQL, as capabilities of the store: services ask for a
// lock, never for a dialect. SQLite has one writer at a time (one process, one connection), so
// a write transaction already excludes every other; PostgreSQL has many, and takes real locks.

export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The rows the query reads stay locked until the transaction ends (`SELECT … FOR UPDATE`). */
export function lockingRows<DB, TB extends keyof DB, O>(
  db: Kysely<Database>,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return isPostgres(db) ? query.forUpdate() : query;
}

/**
 * Work under the same `name` runs one transaction at a time from here until this transaction
 * ends (a transaction-scoped advisory lock on PostgreSQL).
 */
export async function oneAtATime(trx: Kysely<Database>, name: string): Promise<void> {
  if (isPostgres(trx)) await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
}

/**
 * Work under the same `name` taken here runs alongside other work taken here, but not alongside
 * work under `oneAtATime(name)`: each waits for the other's transaction to end (a shared
 * transaction-scoped advisory lock on PostgreSQL).
 */
export async function manyAtATime(trx: Kysely<Database>, name: string): Promise<void> {
  if (isPostgres(trx)) await sql`SELECT pg_advisory_xact_lock_shared(hashtext(${name}))`.execute(trx);
}

/**
 * Runs `work` unless work under the same `name` is already running elsewhere, and returns what it
 * returns; otherwise returns `busy()` at once, without waiting (a session-level advisory lock on
 * PostgreSQL, held on a connection of its own for as long as `work` runs). SQLite has one process,
 * so there is no elsewhere.
 */
export async function unlessRunningElsewhere<T>(
  db: Kysely<Database>,
  name: string,
  work: () => Promise<T>,
  busy: () => T,
): Promise<T> {
  if (!isPostgres(db)) return work();
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`
      SELECT pg_try_advisory_lock(hashtext(${name})) AS locked`.execute(conn);
    if (!rows[0]?.locked) return busy();
    try {
      return await work();
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${name}))`.execute(conn);
    }
  });
}
