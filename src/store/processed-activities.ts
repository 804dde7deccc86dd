import type { Kysely } from 'kysely';
import { changed, prepared } from './prepared.js';
import type { Database } from './schema.js';

// Activities already handled, by key, so a delivery Teams repeats (on any instance) is handled
// once. A row without a response is a claim still being worked on.

export interface ProcessedActivity {
  /** Null while the first delivery is still being handled. */
  response: string | null;
  createdAt: string;
}

const claim = prepared((db, v: { key: string; at: string }) =>
  db
    .insertInto('processed_activities')
    .values({ activity_key: v.key, response: null, created_at: v.at })
    .onConflict((oc) => oc.column('activity_key').doNothing()),
);

/** Claims `key` for a new delivery; false when another delivery already holds it. */
export async function insertClaim(db: Kysely<Database>, key: string, at: string): Promise<boolean> {
  return changed(await claim(db, { key, at })) === 1;
}

const processed = prepared((db, v: { key: string }) =>
  db.selectFrom('processed_activities').select(['response', 'created_at']).where('activity_key', '=', v.key),
);

export async function findProcessed(db: Kysely<Database>, key: string): Promise<ProcessedActivity | null> {
  const [row] = (await processed(db, { key })).rows;
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

const respond = prepared((db, v: { key: string; response: string }) =>
  db.updateTable('processed_activities').set({ response: v.response }).where('activity_key', '=', v.key),
);

export async function saveResponse(db: Kysely<Database>, key: string, response: string): Promise<void> {
  await respond(db, { key, response });
}

export async function releaseClaim(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('processed_activities').where('activity_key', '=', key).execute();
}
