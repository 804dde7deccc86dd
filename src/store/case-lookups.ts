import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { oneAtATime } from './dialect.js';
import { prepared } from './prepared.js';
import type { Database } from './schema.js';

// Each person's case lookups over the last while, for the rate limit: who and when, never which
// case. Rows older than the window are of no more use and are deleted as new lookups come in.

const nthRecent = prepared((db, v: { actorId: string; since: string; offset: number }) =>
  db
    .selectFrom('case_lookups')
    .select('at')
    .where('actor_id', '=', v.actorId)
    .where('at', '>', v.since)
    .orderBy('at', 'desc')
    .limit(1)
    .offset(v.offset),
);

/**
 * Counts one lookup by `actorId` at `at`, unless they already made `limit` after `since`: then
 * nothing is counted and the answer is the earliest time a lookup falls out of the window (`at`
 * of the oldest one that must go, for the caller to add the window to). Lookups by one person
 * are counted one at a time on every instance, so the limit holds however many arrive at once.
 */
export async function countLookup(
  db: Kysely<Database>,
  actorId: string,
  at: string,
  since: string,
  limit: number,
): Promise<{ counted: true } | { counted: false; oldest: string }> {
  return db.transaction().execute(async (trx) => {
    await oneAtATime(trx, `case_lookups:${actorId}`);
    await trx.deleteFrom('case_lookups').where('at', '<=', since).execute();
    // The limit-th most recent lookup, if there is one: then the limit is reached.
    const [nth] = (await nthRecent(trx, { actorId, since, offset: limit - 1 })).rows;
    if (nth) return { counted: false, oldest: nth.at };
    await trx.insertInto('case_lookups').values({ id: randomUUID(), actor_id: actorId, at }).execute();
    return { counted: true };
  });
}
