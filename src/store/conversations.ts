import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Saves where to reach a person (on install and on every message), replacing the last one. */
export async function saveReference(
  db: Kysely<Database>,
  aadObjectId: string,
  reference: object,
  userMri: string | null,
  at: string,
): Promise<void> {
  const values = {
    aad_object_id: aadObjectId.toLowerCase(),
    reference: JSON.stringify(reference),
    user_mri: userMri,
    stale_at: null,
    updated_at: at,
  };
  await db
    .insertInto('conversation_references')
    .values(values)
    .onConflict((oc) =>
      oc.column('aad_object_id').doUpdateSet({
        reference: values.reference,
        user_mri: values.user_mri,
        stale_at: null,
        updated_at: at,
      }),
    )
    .execute();
}

export interface SavedReference {
  aadObjectId: string;
  reference: Record<string, unknown>;
  userMri: string | null;
  stale: boolean;
}

export async function getReference(
  db: Kysely<Database>,
  aadObjectId: string,
): Promise<SavedReference | null> {
  const row = await db
    .selectFrom('conversation_references')
    .selectAll()
    .where('aad_object_id', '=', aadObjectId.toLowerCase())
    .executeTakeFirst();
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

export async function removeReference(db: Kysely<Database>, aadObjectId: string): Promise<void> {
  await db
    .deleteFrom('conversation_references')
    .where('aad_object_id', '=', aadObjectId.toLowerCase())
    .execute();
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

  save(aadObjectId: string, reference: object, userMri: string | null, at: string): Promise<void> {
    return saveReference(this.db, aadObjectId, reference, userMri, at);
  }

  get(aadObjectId: string): Promise<SavedReference | null> {
    return getReference(this.db, aadObjectId);
  }

  markStale(aadObjectId: string, at: string): Promise<void> {
    return markStale(this.db, aadObjectId, at);
  }

  remove(aadObjectId: string): Promise<void> {
    return removeReference(this.db, aadObjectId);
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
