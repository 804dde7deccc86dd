import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isPostgres } from './dialect.js';
import type { NotificationKind } from '../rules/index.js';
import type { Database, OutboxRow } from './schema.js';

export type { OutboxRow };

export interface NewNotification {
  dedupeKey: string;
  recipientId: string;
  kind: NotificationKind;
  authorisationId: string | null;
  payload?: Record<string, unknown>;
  dueAt: string;
}

/**
 * Queues notifications in the caller's transaction, so a change and the news of it are written
 * together. A dedupe key already queued is ignored: each notification is sent at most once.
 */
export async function enqueue(
  db: Kysely<Database>,
  items: readonly NewNotification[],
  at: string,
): Promise<void> {
  if (!items.length) return;
  // In key order, so two instances queueing the same reminders at once never wait on each other
  // in opposite orders (a deadlock on PostgreSQL).
  const sorted = [...items].sort((a, b) =>
    a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0,
  );
  await db
    .insertInto('outbox')
    .values(
      sorted.map((n) => ({
        id: randomUUID(),
        dedupe_key: n.dedupeKey,
        recipient_id: n.recipientId,
        kind: n.kind,
        authorisation_id: n.authorisationId,
        payload: JSON.stringify(n.payload ?? {}),
        due_at: n.dueAt,
        created_at: at,
        claimed_until: null,
        attempts: 0,
        sent_at: null,
        failed_at: null,
        last_error: null,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/**
 * Takes up to `limit` notifications that are due and not held by another sender, holding them
 * until `holdUntil`, in one statement. On PostgreSQL, rows another instance is claiming at that
 * moment are skipped (`FOR UPDATE SKIP LOCKED`), so instances sweeping together neither wait for
 * each other nor take the same row. A sender that dies lets its claims lapse; another picks them up.
 */
export async function claimDue(
  db: Kysely<Database>,
  now: string,
  holdUntil: string,
  limit: number,
): Promise<OutboxRow[]> {
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where('sent_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('due_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .orderBy('due_at')
    .limit(limit);
  const claimed = await db
    .updateTable('outbox')
    .set({ claimed_until: holdUntil })
    .where('id', 'in', isPostgres(db) ? due.forUpdate().skipLocked() : due)
    .returningAll()
    .execute();
  return claimed.sort((a, b) => a.due_at.localeCompare(b.due_at) || a.id.localeCompare(b.id));
}

export async function markSent(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('outbox').set({ sent_at: at, claimed_until: null }).where('id', '=', id).execute();
}

/** A failed attempt: try again at `retryAt`, or give up for good when `retryAt` is null. */
export async function markFailed(
  db: Kysely<Database>,
  row: OutboxRow,
  error: string,
  at: string,
  retryAt: string | null,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      attempts: row.attempts + 1,
      last_error: error.slice(0, 500),
      claimed_until: null,
      due_at: retryAt ?? row.due_at,
      failed_at: retryAt ? null : at,
    })
    .where('id', '=', row.id)
    .execute();
}

/**
 * Makes the notifications waiting to be tried again for `recipientId` due at `now`: they were held
 * back because the person could not be reached, and now they can.
 */
export async function dueNowFor(db: Kysely<Database>, recipientId: string, now: string): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set({ due_at: now })
    .where('recipient_id', '=', recipientId)
    .where('sent_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('due_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The outbox on one database, as the notification dispatcher sends it: claim, then sent or failed. */
export class OutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  claimDue(now: string, holdUntil: string, limit: number): Promise<OutboxRow[]> {
    return claimDue(this.db, now, holdUntil, limit);
  }

  markSent(id: string, at: string): Promise<void> {
    return markSent(this.db, id, at);
  }

  markFailed(row: OutboxRow, error: string, at: string, retryAt: string | null): Promise<void> {
    return markFailed(this.db, row, error, at, retryAt);
  }
}
