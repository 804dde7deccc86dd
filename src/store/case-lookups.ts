import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { oneAtATime } from './dialect.js';
import type { Database } from './schema.js';

// Each person's case lookups over the last while, for the rate limit: who and when, never which
// case. Rows older than the window are of no more use and are deleted as new lookups come in.

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
    const recent = await trx
      .selectFrom('case_lookups')
      .select('at')
      .where('actor_id', '=', actorId)
      .where('at', '>', since)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    if (recent.length >= limit) return { counted: false, oldest: recent[recent.length - 1]!.at };
    await trx.insertInto('case_lookups').values({ id: randomUUID(), actor_id: actorId, at }).execute();
    return { counted: true };
  });
}
