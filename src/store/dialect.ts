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
