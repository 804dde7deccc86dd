import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { refuse, TIME_ZONE, type Refusal } from '../rules/index.js';
import { countLookup } from '../store/case-lookups.js';
import type { Database } from '../store/schema.js';
import type { Clock } from './clock.js';

const HOUR_MS = 3600_000;

/** A lookup refused for the limit, with when the next one will be allowed. */
export interface TooManyLookups extends Refusal<'too_many_lookups'> {
  /** The moment (ISO) the oldest lookup in the window falls out of it. */
  retryAt: string;
}

/**
 * The limit on how many cases one person may look up in an hour (a sliding window): a retention
 * status, or a removal form naming a case, each shows what the inventory holds for it, so
 * references cannot be tried one after another. Counted in the database, so the limit holds
 * across every instance.
 */
export class CaseLookups {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Lookups allowed per person in any hour (CASE_LOOKUPS_PER_HOUR). */
    private readonly perHour: number,
  ) {}

  /** Counts one lookup by `actorId`; a refusal, counting nothing, when they have made the most allowed. */
  async take(actorId: string): Promise<TooManyLookups | null> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - HOUR_MS).toISOString();
    const result = await countLookup(this.db, actorId, now.toISOString(), since, this.perHour);
    if (result.counted) return null;
    const next = DateTime.fromMillis(Date.parse(result.oldest) + HOUR_MS, { zone: TIME_ZONE });
    return {
      ...refuse(
        'too_many_lookups',
        `You have looked up ${this.perHour} cases in the last hour, the most allowed, so I have not looked this one up; you can look up another case from ${next.toFormat('HH:mm')}.`,
      ),
      retryAt: next.toUTC().toISO()!,
    };
  }
}
