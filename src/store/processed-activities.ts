import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

// Activities already handled, by key, so a delivery Teams repeats (on any instance) is handled
// once. A row without a response is a claim still being worked on.

export interface ProcessedActivity {
  /** Null while the first delivery is still being handled. */
  response: string | null;
  createdAt: string;
}

/** Claims `key` for a new delivery; false when another delivery already holds it. */
export async function insertClaim(db: Kysely<Database>, key: string, at: string): Promise<boolean> {
  const inserted = await db
    .insertInto('processed_activities')
    .values({ activity_key: key, response: null, created_at: at })
    .onConflict((oc) => oc.column('activity_key').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findProcessed(db: Kysely<Database>, key: string): Promise<ProcessedActivity | null> {
  const row = await db
    .selectFrom('processed_activities')
    .select(['response', 'created_at'])
    .where('activity_key', '=', key)
    .executeTakeFirst();
  return row ? { response: row.response, createdAt: row.created_at } : null;
}

/** Takes over a claim that has been held since `heldSince` and is still unanswered; one taker wins. */
export async function takeOverClaim(
  db: Kysely<Database>,
  key: string,
  heldSince: string,
  at: string,
): Promise<boolean> {
  const taken = await db
    .updateTable('processed_activities')
    .set({ created_at: at })
    .where('activity_key', '=', key)
    .where('created_at', '=', heldSince)
    .where('response', 'is', null)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

export async function saveResponse(db: Kysely<Database>, key: string, response: string): Promise<void> {
  await db.updateTable('processed_activities').set({ response }).where('activity_key', '=', key).execute();
}

export async function releaseClaim(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('processed_activities').where('activity_key', '=', key).execute();
}
