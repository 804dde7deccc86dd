import { sql } from 'kysely';
import type { Schedule } from '../rules/index.js';
import { openStore, type Store } from './connection.js';
import { ensureRetentionCurrent, type RecomputeProgress } from './inventory.js';
import { migrate } from './migrations.js';

export type { Store } from './connection.js';

/**
 * On PostgreSQL, runs `work` while holding a session lock that every instance takes at start, so
 * instances starting together bring the database up to date one after another: the first
 * migrates and recomputes, the others then find nothing left to do. SQLite has one instance.
 */
async function oneInstanceAtATime<T>(store: Store, work: () => Promise<T>): Promise<T> {
  if (store.dialect !== 'postgres') return work();
  return store.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(hashtext('case_records_assistant.startup'))`.execute(conn);
    try {
      return await work();
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext('case_records_assistant.startup'))`.execute(conn);
    }
  });
}

/**
 * Opens the database, brings its schema up to date and makes sure stored retention dates follow
 * the schedule in force. What the bot and every command start with.
 */
export async function openReadyStore(
  url: string,
  schedule: Schedule,
  onRecompute?: (p: RecomputeProgress) => void,
): Promise<Store> {
  const store = await openStore(url);
  try {
    await oneInstanceAtATime(store, async () => {
      await migrate(store.db, store.dialect);
      await ensureRetentionCurrent(store.db, schedule, onRecompute);
    });
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}
