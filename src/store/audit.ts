import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isPostgres } from './dialect.js';
import type { AuditRow, Database } from './schema.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  at: string;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  details: Record<string, unknown>;
}

/** The hash of an entry: its contents and the previous entry's hash, so any change shows. */
export function auditHash(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.action,
    row.entity_type,
    row.entity_id,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends an entry to the hash-chained audit log. Call inside the transaction that makes the
 * change it records, so both are written or neither.
 */
export async function appendAudit(trx: Transaction<Database>, entry: AuditEntry): Promise<AuditRow> {
  if (isPostgres(trx)) {
    // One writer at a time extends the chain; released at commit or rollback.
    await sql`SELECT pg_advisory_xact_lock(hashtext('audit_log'))`.execute(trx);
  }
  const last = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: entry.at,
    actor_id: entry.actorId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    details: JSON.stringify(entry.details),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const full = { ...row, hash: auditHash(row) };
  await trx.insertInto('audit_log').values(full).execute();
  return full;
}

export type AuditVerification =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; brokenAt: number; problem: string };

/** Walks the whole chain in order and says where, if anywhere, it breaks. */
export async function verifyAudit(
  db: Kysely<Database>,
  onProgress?: (checked: number) => void,
): Promise<AuditVerification> {
  const pageSize = 5000;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of page) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        return {
          ok: false,
          entries: expectedSeq - 1,
          brokenAt: expectedSeq,
          problem: `entry ${expectedSeq} is missing`,
        };
      }
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          entries: expectedSeq - 1,
          brokenAt: seq,
          problem: `entry ${seq} does not follow entry ${seq - 1}: its previous-hash link is wrong`,
        };
      }
      if (auditHash({ ...row, seq }) !== row.hash) {
        return {
          ok: false,
          entries: expectedSeq - 1,
          brokenAt: seq,
          problem: `entry ${seq} has been altered: its contents do not match its hash`,
        };
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
    onProgress?.(expectedSeq - 1);
    if (page.length < pageSize) break;
  }
  return { ok: true, entries: expectedSeq - 1, lastHash: prevHash };
}
