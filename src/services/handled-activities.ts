import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import {
  findProcessed,
  insertClaim,
  releaseClaim,
  saveResponse,
  takeOverClaim,
} from '../store/processed-activities.js';
import type { Clock } from './clock.js';

/** The first delivery of an activity does the work; a repeat gets the first one's response. */
export type Claim = { first: true } | { first: false; response: string | null };

export interface HandledActivitiesSettings {
  /** How long a second delivery waits for the first to finish before answering. */
  waitMs: number;
  /** A claim unfinished after this long is taken to have died with its instance. */
  leaseMs: number;
}

const DEFAULTS: HandledActivitiesSettings = {
  waitMs: 3000,
  leaseMs: 30_000,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Which activities were handled, so each is handled once however many times and on however many
 * instances Teams delivers it. Keys come from the bot (channel, conversation, activity id). The
 * purge forgets them after the own-data schedule's period for handled activities (a day).
 */
export class HandledActivities {
  private readonly settings: HandledActivitiesSettings;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    settings: Partial<HandledActivitiesSettings> = {},
  ) {
    this.settings = { ...DEFAULTS, ...settings };
  }

  /** Claims an activity's key; a repeat waits (briefly) for the first delivery's response. */
  async claim(key: string): Promise<Claim> {
    const deadline = Date.now() + this.settings.waitMs;
    for (;;) {
      const at = this.clock.now();
      if (await insertClaim(this.db, key, at.toISOString())) return { first: true };
      const row = await findProcessed(this.db, key);
      if (!row) continue; // the first delivery failed and let go: this one does the work
      if (row.response !== null) return { first: false, response: row.response };
      if (at.getTime() - Date.parse(row.createdAt) > this.settings.leaseMs) {
        // The first delivery's instance died mid-turn: take over its claim (one taker wins).
        if (await takeOverClaim(this.db, key, row.createdAt, at.toISOString())) return { first: true };
      }
      if (Date.now() >= deadline) return { first: false, response: null };
      await sleep(100);
    }
  }

  /** Marks an activity handled, keeping its response (JSON) for repeats. */
  async complete(key: string, response: string): Promise<void> {
    await saveResponse(this.db, key, response);
  }

  /** Lets go of a claim whose turn failed, so Teams' retry is handled afresh. */
  async release(key: string): Promise<void> {
    await releaseClaim(this.db, key);
  }
}
