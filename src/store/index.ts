import { sql } from 'kysely';
import type { Schedule } from '../rules/index.js';
import { checkAuditChain, keyLegacyChain, type AuditSettings } from './audit.js';
import { openStore, type Store } from './connection.js';
import { ensureRetentionCurrent, type RecomputeProgress } from './inventory.js';
import { migrate } from './migrations.js';
import { currentRole, grantAppRole } from './roles.js';

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
 * Migrates as the tables' owner (DATABASE_OWNER_URL), then grants the application's own role what
 * it needs and no more.
 */
async function migrateAsOwner(store: Store, ownerUrl: string): Promise<void> {
  const owner = await openStore(ownerUrl);
  try {
    await migrate(owner.db, owner.dialect);
    const [ownerRole, appRole] = await Promise.all([currentRole(owner.db), currentRole(store.db)]);
    if (ownerRole !== appRole) await grantAppRole(owner.db, appRole);
  } finally {
    await owner.close();
  }
}

export interface ReadyStoreOptions {
  /** The audit chain's key and head file (the app and the command line pass the configured ones). */
  audit?: AuditSettings;
  /** PostgreSQL: the tables' owner, to migrate and grant with (DATABASE_OWNER_URL). */
  ownerUrl?: string | null;
  onRecompute?: (p: RecomputeProgress) => void;
  /**
   * For verify-audit: leaves the audit chain as it is (no keying of an old chain, no refusal when
   * it does not match its head), so the check can report what it finds.
   */
  verifying?: boolean;
}

/**
 * Opens the database, brings its schema up to date, checks the audit chain is keyed with this key
 * and still holds the head written outside the database (keying a chain from before keyed entries
 * once), and makes sure stored retention dates follow the schedule in force. What the bot and every
 * command start with.
 */
export async function openReadyStore(
  url: string,
  schedule: Schedule,
  options: ReadyStoreOptions = {},
): Promise<Store> {
  const store = await openStore(url, options.audit);
  try {
    await oneInstanceAtATime(store, async () => {
      if (options.ownerUrl) await migrateAsOwner(store, options.ownerUrl);
      else await migrate(store.db, store.dialect);
      if (!options.verifying) {
        await checkAuditChain(store.db);
        await keyLegacyChain(store.db);
      }
      await ensureRetentionCurrent(store.db, schedule, options.onRecompute);
    });
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}
