import type { Kysely } from 'kysely';
import { chunk } from '../chunk.js';
import { dueNowFor } from './outbox.js';
import { prepared } from './prepared.js';
import type { Database } from './schema.js';

/** The conversation and the service a reference points at: what changes when a person is reachable anew. */
function whereTo(reference: object): string {
  const r = reference as { serviceUrl?: unknown; conversation?: { id?: unknown } };
  return JSON.stringify([r.serviceUrl ?? null, r.conversation?.id ?? null]);
}

/**
 * Saves where to reach a person (on install and on every message), replacing the last one. True
 * when they are reachable anew: nothing was saved for them, what was saved had stopped working
 * (stale), or it named another conversation or service (a chat the bot had made for them before
 * they opened their own). Then the notifications waiting for them to be reachable are due at once.
 */
const savedReference = prepared((db, v: { id: string }) =>
  db
    .selectFrom('conversation_references')
    .select(['reference', 'stale_at'])
    .where('aad_object_id', '=', v.id),
);

const upsertReference = prepared(
  (db, v: { id: string; reference: string; userMri: string | null; at: string }) =>
    db
      .insertInto('conversation_references')
      .values({
        aad_object_id: v.id,
        reference: v.reference,
        user_mri: v.userMri,
        stale_at: null,
        updated_at: v.at,
      })
      .onConflict((oc) =>
        oc.column('aad_object_id').doUpdateSet({
          reference: v.reference,
          user_mri: v.userMri,
          stale_at: null,
          updated_at: v.at,
        }),
      ),
);

export async function saveReference(
  db: Kysely<Database>,
  aadObjectId: string,
  reference: object,
  userMri: string | null,
  at: string,
): Promise<boolean> {
  const id = aadObjectId.toLowerCase();
  const [before] = (await savedReference(db, { id })).rows;
  const anew =
    !before ||
    before.stale_at !== null ||
    whereTo(JSON.parse(before.reference) as object) !== whereTo(reference);
  await upsertReference(db, { id, reference: JSON.stringify(reference), userMri, at });
  if (anew) await dueNowFor(db, id, at);
  return anew;
}

export interface SavedReference {
  aadObjectId: string;
  reference: Record<string, unknown>;
  userMri: string | null;
  stale: boolean;
}

const referenceOf = prepared((db, v: { id: string }) =>
  db.selectFrom('conversation_references').selectAll().where('aad_object_id', '=', v.id),
);

export async function getReference(
  db: Kysely<Database>,
  aadObjectId: string,
): Promise<SavedReference | null> {
  const [row] = (await referenceOf(db, { id: aadObjectId.toLowerCase() })).rows;
  return row
    ? {
        aadObjectId: row.aad_object_id,
        reference: JSON.parse(row.reference) as Record<string, unknown>,
        userMri: row.user_mri,
        stale: row.stale_at !== null,
      }
    : null;
}

/** Teams said the bot can no longer write there (uninstalled or blocked). */
export async function markStale(db: Kysely<Database>, aadObjectId: string, at: string): Promise<void> {
  await db
    .updateTable('conversation_references')
    .set({ stale_at: at })
    .where('aad_object_id', '=', aadObjectId.toLowerCase())
    .execute();
}

/**
 * When people leave or uninstall the app: where to reach them in Teams and the card messages sent
 * there go at once (their names stay wherever the record needs them). Returns how many references
 * went.
 */
export async function forgetConversations(
  db: Kysely<Database>,
  staffIds: readonly string[],
): Promise<number> {
  const ids = [...new Set(staffIds.map((id) => id.toLowerCase()))];
  let removed = 0;
  for (const part of chunk(ids, 500)) {
    const refs = await db
      .deleteFrom('conversation_references')
      .where('aad_object_id', 'in', part)
      .executeTakeFirst();
    removed += Number(refs.numDeletedRows);
    await db.deleteFrom('card_messages').where('recipient_id', 'in', part).execute();
    await db.deleteFrom('batch_card_messages').where('recipient_id', 'in', part).execute();
  }
  return removed;
}

/** Teams user ids (`29:…`) of the people given, for card refresh lists; unknown ones are left out. */
export async function mrisOf(db: Kysely<Database>, aadObjectIds: readonly string[]): Promise<string[]> {
  if (!aadObjectIds.length) return [];
  const rows = await db
    .selectFrom('conversation_references')
    .select('user_mri')
    .where(
      'aad_object_id',
      'in',
      aadObjectIds.map((id) => id.toLowerCase()),
    )
    .where('stale_at', 'is', null)
    .execute();
  return rows.map((r) => r.user_mri).filter((m): m is string => !!m);
}

/** The most recent reference anyone gave: its service URL and tenant serve to reach a newcomer. */
export async function latestReference(db: Kysely<Database>): Promise<Record<string, unknown> | null> {
  const row = await db
    .selectFrom('conversation_references')
    .select('reference')
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? (JSON.parse(row.reference) as Record<string, unknown>) : null;
}

export async function recordCardMessage(
  db: Kysely<Database>,
  card: { authorisationId: string; recipientId: string; conversationId: string; activityId: string },
  at: string,
): Promise<void> {
  await db
    .insertInto('card_messages')
    .values({
      authorisation_id: card.authorisationId,
      recipient_id: card.recipientId.toLowerCase(),
      conversation_id: card.conversationId,
      activity_id: card.activityId,
      created_at: at,
    })
    .onConflict((oc) => oc.columns(['authorisation_id', 'recipient_id', 'activity_id']).doNothing())
    .execute();
}

export async function cardMessages(db: Kysely<Database>, authorisationId: string) {
  return db.selectFrom('card_messages').selectAll().where('authorisation_id', '=', authorisationId).execute();
}

export type CardMessage = Awaited<ReturnType<typeof cardMessages>>[number];

/** Where a destruction batch's card was sent or pressed. */
export async function recordBatchCardMessage(
  db: Kysely<Database>,
  card: { batchId: string; recipientId: string; conversationId: string; activityId: string },
  at: string,
): Promise<void> {
  await db
    .insertInto('batch_card_messages')
    .values({
      batch_id: card.batchId,
      recipient_id: card.recipientId.toLowerCase(),
      conversation_id: card.conversationId,
      activity_id: card.activityId,
      created_at: at,
    })
    .onConflict((oc) => oc.columns(['batch_id', 'recipient_id', 'activity_id']).doNothing())
    .execute();
}

export async function batchCardMessages(db: Kysely<Database>, batchId: string) {
  return db
    .selectFrom('batch_card_messages')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('created_at')
    .execute();
}

export type BatchCardMessage = Awaited<ReturnType<typeof batchCardMessages>>[number];

/**
 * Where to reach each person and where the cards sent to them are, on one database: the bot's
 * and its messenger's one way to the store, so they never hold the database itself.
 */
export class ConversationStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** True when the person is reachable anew: what waits for them is then due at once. */
  save(aadObjectId: string, reference: object, userMri: string | null, at: string): Promise<boolean> {
    return saveReference(this.db, aadObjectId, reference, userMri, at);
  }

  get(aadObjectId: string): Promise<SavedReference | null> {
    return getReference(this.db, aadObjectId);
  }

  markStale(aadObjectId: string, at: string): Promise<void> {
    return markStale(this.db, aadObjectId, at);
  }

  /** They uninstalled the app: where to reach them and the card messages sent there go. */
  async remove(aadObjectId: string): Promise<void> {
    await this.db.transaction().execute((trx) => forgetConversations(trx, [aadObjectId]));
  }

  mrisOf(aadObjectIds: readonly string[]): Promise<string[]> {
    return mrisOf(this.db, aadObjectIds);
  }

  latest(): Promise<Record<string, unknown> | null> {
    return latestReference(this.db);
  }

  recordCardMessage(
    card: { authorisationId: string; recipientId: string; conversationId: string; activityId: string },
    at: string,
  ): Promise<void> {
    return recordCardMessage(this.db, card, at);
  }

  cardMessages(authorisationId: string): Promise<CardMessage[]> {
    return cardMessages(this.db, authorisationId);
  }

  recordBatchCardMessage(
    card: { batchId: string; recipientId: string; conversationId: string; activityId: string },
    at: string,
  ): Promise<void> {
    return recordBatchCardMessage(this.db, card, at);
  }

  batchCardMessages(batchId: string): Promise<BatchCardMessage[]> {
    return batchCardMessages(this.db, batchId);
  }
}
