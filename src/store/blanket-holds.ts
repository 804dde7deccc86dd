import type { Kysely } from 'kysely';
import { BLANKET_HOLD_TYPES, type BlanketHold, type BlanketHoldType } from '../rules/index.js';
import { manyAtATime, oneAtATime } from './dialect.js';
import type { BlanketHoldRow, Database } from './schema.js';

// Holds on whole classes of records (a public inquiry's moratorium, an FOI request about a kind
// of record). Confirmations run alongside each other, and placing a blanket hold runs alone, so a
// blanket hold placed while a batch is being confirmed is either seen by the confirmation or
// waits for it to finish: never half.

const LOCK = 'blanket_holds';

/** Taken by a destruction confirmation, inside its transaction, before it reads the holds. */
export async function lockBlanketHoldsShared(db: Kysely<Database>): Promise<void> {
  await manyAtATime(db, LOCK);
}

/** Taken when a blanket hold is placed: waits for confirmations under way to finish. */
export async function lockBlanketHoldsExclusive(db: Kysely<Database>): Promise<void> {
  await oneAtATime(db, LOCK);
}

export function toBlanketHold(row: BlanketHoldRow): BlanketHold {
  return {
    type: (BLANKET_HOLD_TYPES as readonly string[]).includes(row.type)
      ? (row.type as BlanketHoldType)
      : 'other',
    name: row.name,
    reference: row.reference,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    classes: row.classes === null ? null : (JSON.parse(row.classes) as string[]),
    released: row.released_at !== null,
  };
}

/** Blanket holds not released (whether in force today depends on their dates). */
export async function activeBlanketHolds(db: Kysely<Database>): Promise<BlanketHold[]> {
  const rows = await db.selectFrom('blanket_holds').selectAll().where('released_at', 'is', null).execute();
  return rows.map(toBlanketHold);
}
