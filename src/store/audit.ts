import { createHash, createHmac } from 'node:crypto';
import { type DatabaseConnection, type Dialect, type Driver, type Kysely, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import { HeadFile, type HeadRecord } from './audit-head.js';
import {
  allDigests,
  COVERED_TABLE_NAMES,
  readDigests,
  type CoveredRef,
  type CoveredTable,
  type RowDigests,
} from './audit-rows.js';
import { oneAtATime } from './dialect.js';
import { prepared } from './prepared.js';
import { PURGE_ACTION, PURGE_ENTITY } from './purge-guard.js';
import type { AuditRow, Database } from './schema.js';

// The audit log: every state change, who made it, when and why, in one hash chain. Each entry is
// keyed: its hash is an HMAC-SHA256 made with a secret held outside the database (AUDIT_KEY), over
// its contents, the previous entry's hash and the digests of the rows it created or changed. So
// someone who can write to the database can neither alter an entry nor forge a new one and a
// chain to match without the key; and the chain's head is written outside the database after
// every append (audit-head.ts), so cutting the chain short shows too.
//
// Entries written before the chain was keyed (databases older than migration 0004) keep their
// plain SHA-256 hashes and verify as before; the first keyed entry records where they end, so they
// cannot be changed afterwards without breaking it.

export const GENESIS_HASH = '0'.repeat(64);

/**
 * What the chain is keyed with when AUDIT_KEY is not set, outside production only. It is in the
 * source code, so it proves nothing: for development, the demo and tests.
 */
export const DEVELOPMENT_AUDIT_KEY =
  'case-records-assistant development audit key: public, so never use it for real records';

/** Who appends the entries the system itself makes (keying the chain). */
const SYSTEM_ACTOR = 'system';

export interface AuditKey {
  secret: Buffer;
  /** A short id derived from the key (not the key): which key an entry was made with. */
  id: string;
}

export function auditKey(secret: string): AuditKey {
  const buffer = Buffer.from(secret, 'utf8');
  const id = createHmac('sha256', buffer).update('case-records-assistant audit key id').digest('hex');
  return { secret: buffer, id: id.slice(0, 16) };
}

export interface AuditEntry {
  at: string;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  details: Record<string, unknown>;
  /** The rows this change created or changed: their digests go into the entry. */
  covers?: readonly CoveredRef[];
}

export type UnhashedRow = Omit<AuditRow, 'hash'>;

/** What every entry's hash covers, in this order: its contents and the link to the one before. */
function entryContents(row: UnhashedRow): unknown[] {
  return [
    row.seq,
    row.at,
    row.actor_id,
    row.action,
    row.entity_type,
    row.entity_id,
    row.details,
    row.prev_hash,
  ];
}

/** The hash of an entry from before the chain was keyed: SHA-256 of its contents and the link. */
export function legacyHash(row: UnhashedRow): string {
  return createHash('sha256')
    .update(JSON.stringify(entryContents(row)))
    .digest('hex');
}

/** The HMAC of a keyed entry: its contents, the link, the key's id and the row digests. */
export function keyedHash(key: AuditKey, row: UnhashedRow): string {
  const canonical = JSON.stringify([...entryContents(row), row.key_id, row.row_digests]);
  return createHmac('sha256', key.secret).update(canonical).digest('hex');
}

export class AuditKeyError extends Error {
  override name = 'AuditKeyError';
}

export interface AuditSettings {
  /** The secret the chain is keyed with (AUDIT_KEY). */
  key: string;
  /** Where the chain head is written after every append; null writes none (store tests). */
  headFile: string | null;
  /** Where each new chain head is logged. */
  log?: Logger;
}

/**
 * One store's audit chain: its key, and the head written out after each commit. Appends wait in
 * `staged` (by connection, so by transaction) until their transaction commits: a rolled-back
 * append never reaches the head file. A committed head is written once the transaction has let
 * go of its connection, so the file write holds up no other work on the database.
 */
export class AuditChain {
  readonly key: AuditKey;
  readonly headFile: HeadFile | null;
  private readonly log: Logger | undefined;
  private readonly staged = new WeakMap<DatabaseConnection, AuditRow>();
  private readonly committed = new WeakMap<DatabaseConnection, AuditRow>();

  constructor(settings: AuditSettings) {
    this.key = auditKey(settings.key);
    this.headFile = settings.headFile ? new HeadFile(settings.headFile) : null;
    this.log = settings.log;
  }

  stage(connection: DatabaseConnection, row: AuditRow): void {
    this.staged.set(connection, row);
  }

  discard(connection: DatabaseConnection): void {
    this.staged.delete(connection);
  }

  /** The transaction on `connection` committed: its last append is the head to write. */
  commit(connection: DatabaseConnection): void {
    const row = this.staged.get(connection);
    if (!row) return;
    this.staged.delete(connection);
    this.committed.set(connection, row);
  }

  /** The head `connection`'s transaction committed, if any, taken off it (before it is released). */
  takeCommitted(connection: DatabaseConnection): AuditRow | undefined {
    const row = this.committed.get(connection);
    this.committed.delete(connection);
    return row;
  }

  /** Writes a committed head to the log and its file. */
  async publish(row: AuditRow): Promise<void> {
    const head: HeadRecord = {
      seq: Number(row.seq),
      hash: row.hash,
      keyId: row.key_id,
      writtenAt: new Date().toISOString(),
    };
    this.log?.info({ auditHead: { seq: head.seq, hash: head.hash } }, 'audit chain head');
    try {
      await this.headFile?.write(head);
    } catch (error) {
      // The change itself is committed; the head in the log still records it.
      this.log?.error(
        { err: error, file: this.headFile?.file, auditHead: { seq: head.seq } },
        'the audit chain head could not be written to its file',
      );
    }
  }
}

const chains = new WeakMap<DatabaseConnection, AuditChain>();

/**
 * Wraps a dialect so every connection it opens knows its store's audit chain, and so a commit
 * hands the chain head its transaction appended to the chain (and a rollback drops it). The head
 * is written after the connection is released, and before the transaction's caller goes on.
 */
export function auditedDialect(inner: Dialect, chain: AuditChain): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver: () => {
      const driver = inner.createDriver();
      const wrapped: Driver = {
        init: () => driver.init(),
        acquireConnection: async () => {
          const connection = await driver.acquireConnection();
          chains.set(connection, chain);
          return connection;
        },
        beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
        commitTransaction: async (connection) => {
          await driver.commitTransaction(connection);
          chain.commit(connection);
        },
        rollbackTransaction: async (connection) => {
          chain.discard(connection);
          await driver.rollbackTransaction(connection);
        },
        releaseConnection: async (connection) => {
          const head = chain.takeCommitted(connection);
          await driver.releaseConnection(connection);
          if (head) await chain.publish(head);
        },
        destroy: () => driver.destroy(),
      };
      if (driver.savepoint) wrapped.savepoint = driver.savepoint.bind(driver);
      if (driver.rollbackToSavepoint) wrapped.rollbackToSavepoint = driver.rollbackToSavepoint.bind(driver);
      if (driver.releaseSavepoint) wrapped.releaseSavepoint = driver.releaseSavepoint.bind(driver);
      return wrapped;
    },
  };
}

/** The audit chain of the store `db` (or a transaction on it) belongs to, and its connection. */
export async function chainOf(
  db: Kysely<Database>,
): Promise<{ chain: AuditChain; connection: DatabaseConnection }> {
  const connection = await db.getExecutor().provideConnection((c) => Promise.resolve(c));
  const chain = chains.get(connection);
  if (!chain) throw new Error('This database was opened without its audit settings (use openStore).');
  return { chain, connection };
}

const last = prepared((db) =>
  db.selectFrom('audit_log').select(['seq', 'hash', 'key_id']).orderBy('seq', 'desc').limit(1),
);

async function lastEntry(db: Kysely<Database>) {
  return (await last(db, {})).rows[0];
}

const insertEntry = prepared((db, row: AuditRow) =>
  db.insertInto('audit_log').values({
    seq: row.seq,
    at: row.at,
    actor_id: row.actor_id,
    action: row.action,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    details: row.details,
    prev_hash: row.prev_hash,
    key_id: row.key_id,
    row_digests: row.row_digests,
    hash: row.hash,
  }),
);

function otherKey(entryKeyId: string, ours: AuditKey): AuditKeyError {
  return new AuditKeyError(
    `The audit log is keyed with another AUDIT_KEY (key id ${entryKeyId}; this one has key id ${ours.id}). Every instance and the command line must use the same AUDIT_KEY.`,
  );
}

async function appendEntry(
  trx: Transaction<Database>,
  entry: Omit<AuditEntry, 'covers'>,
  digests: RowDigests | null,
): Promise<AuditRow> {
  const { chain, connection } = await chainOf(trx);
  // One writer at a time extends the chain, until this transaction ends.
  await oneAtATime(trx, 'audit_log');
  const last = await lastEntry(trx);
  if (last?.key_id && last.key_id !== chain.key.id) throw otherKey(last.key_id, chain.key);
  const row: UnhashedRow = {
    seq: Number(last?.seq ?? 0) + 1,
    at: entry.at,
    actor_id: entry.actorId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    details: JSON.stringify(entry.details),
    prev_hash: last?.hash ?? GENESIS_HASH,
    key_id: chain.key.id,
    row_digests: digests && Object.keys(digests).length ? JSON.stringify(digests) : null,
  };
  const full: AuditRow = { ...row, hash: keyedHash(chain.key, row) };
  await insertEntry(trx, full);
  chain.stage(connection, full);
  return full;
}

/**
 * Appends an entry to the audit chain. Call inside the transaction that makes the change it
 * records, after the change, so both are written or neither; name the rows the change created or
 * changed in `covers`, and their digests go into the entry.
 */
export async function appendAudit(trx: Transaction<Database>, entry: AuditEntry): Promise<AuditRow> {
  const digests = entry.covers?.length ? await readDigests(trx, entry.covers) : null;
  return appendEntry(trx, entry, digests);
}

/**
 * What a purge entry records for each covered row it removes, in place of a digest: verify-audit
 * then expects the row to be gone (not a hex digest, so it can never match a row).
 */
export const REMOVED = 'removed';

export interface PurgeEntry {
  at: string;
  actorId: string;
  /** The kind of data removed (the own-data schedule's kind). */
  kind: string;
  /** What was removed and why: counts by table, the period and cutoff. */
  details: Record<string, unknown>;
  /** Rows the audit log vouches for that the purge removes: table → keys. */
  removedRows: Partial<Record<CoveredTable, readonly string[]>>;
  /** Audit entries the purge removes, with their hashes (so the chain still verifies across them). */
  removedEntries: readonly { seq: number; hash: string }[];
}

/**
 * Appends the entry recording a purge, before the purge removes anything: the rows it removes are
 * recorded as removed, and the entries it removes with their hashes, under the audit key. The
 * database allows the removal of audit entries and request history only as the last entry of the
 * chain, this one, names them (purge-guard.ts).
 */
export async function appendPurgeEntry(trx: Transaction<Database>, entry: PurgeEntry): Promise<AuditRow> {
  const digests: RowDigests = {};
  for (const [table, keys] of Object.entries(entry.removedRows) as [CoveredTable, readonly string[]][]) {
    if (keys.length) digests[table] = Object.fromEntries(keys.map((k) => [k, REMOVED]));
  }
  return appendEntry(
    trx,
    {
      at: entry.at,
      actorId: entry.actorId,
      action: PURGE_ACTION,
      entityType: PURGE_ENTITY,
      entityId: entry.kind,
      details: {
        ...entry.details,
        removedEntries: Object.fromEntries(entry.removedEntries.map((e) => [String(e.seq), e.hash])),
      },
    },
    digests,
  );
}

/**
 * The audit entries purges have removed, each with the hash its purge entry recorded and that
 * entry's number. Only purge entries made with this key count: one altered or forged vouches for
 * nothing (and verify-audit names it when it walks the chain).
 */
export async function removedEntries(
  db: Kysely<Database>,
  key: AuditKey,
): Promise<Map<number, { hash: string; by: number }>> {
  const removed = new Map<number, { hash: string; by: number }>();
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', PURGE_ENTITY)
    .where('action', '=', PURGE_ACTION)
    .orderBy('seq')
    .execute();
  for (const row of rows) {
    const seq = Number(row.seq);
    if (row.key_id !== key.id || keyedHash(key, { ...row, seq }) !== row.hash) continue;
    let listed: unknown;
    try {
      listed = (JSON.parse(row.details) as { removedEntries?: unknown }).removedEntries;
    } catch {
      continue;
    }
    if (!listed || typeof listed !== 'object') continue;
    for (const [n, hash] of Object.entries(listed as Record<string, unknown>)) {
      const removedSeq = Number(n);
      if (Number.isInteger(removedSeq) && removedSeq < seq && typeof hash === 'string')
        removed.set(removedSeq, { hash, by: seq });
    }
  }
  return removed;
}

/** Rows recorded per entry when a chain is first keyed. */
const BASELINE_ROWS_PER_ENTRY = 500;

/**
 * Keys a chain written before entries were keyed (a database from before migration 0004), once:
 * an `audit.chain_keyed` entry records where the unkeyed entries end, then `audit.rows_recorded`
 * entries record the digest of every row the audit log now vouches for, as it stands. From then on
 * every entry is keyed. Nothing is rewritten. Returns whether it did anything.
 */
export async function keyLegacyChain(db: Kysely<Database>): Promise<boolean> {
  const head = await lastEntry(db);
  if (!head || head.key_id !== null) return false;
  const at = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await appendEntry(
      trx,
      {
        at,
        actorId: SYSTEM_ACTOR,
        action: 'audit.chain_keyed',
        entityType: 'audit',
        entityId: 'chain',
        details: {
          unkeyedEntries: Number(head.seq),
          unkeyedHead: { seq: Number(head.seq), hash: head.hash },
          scheme: 'HMAC-SHA256',
        },
      },
      null,
    );
    for (const table of COVERED_TABLE_NAMES) {
      let batch: Record<string, string> = {};
      let count = 0;
      const flush = async () => {
        if (!count) return;
        await appendEntry(
          trx,
          {
            at,
            actorId: SYSTEM_ACTOR,
            action: 'audit.rows_recorded',
            entityType: 'audit',
            entityId: table,
            details: { table, rows: count },
          },
          { [table]: batch },
        );
        batch = {};
        count = 0;
      };
      for await (const { key, digest } of allDigests(trx, table)) {
        batch[key] = digest;
        count += 1;
        if (count >= BASELINE_ROWS_PER_ENTRY) await flush();
      }
      await flush();
    }
  });
  return true;
}

/**
 * At start: the chain must be keyed with this key, and must still hold the head last written
 * outside the database. Throws with what to do when either is not so.
 */
export async function checkAuditChain(db: Kysely<Database>): Promise<void> {
  const { chain } = await chainOf(db);
  const last = await lastEntry(db);
  if (last?.key_id && last.key_id !== chain.key.id) throw otherKey(last.key_id, chain.key);
  const written = await chain.headFile?.load();
  if (!chain.headFile || !written) return;
  const there = await db
    .selectFrom('audit_log')
    .select('hash')
    .where('seq', '=', written.seq)
    .executeTakeFirst();
  if (there?.hash === written.hash) return;
  // An entry a purge removed since: its purge entry vouches for the hash the head names.
  if (!there && (await removedEntries(db, chain.key)).get(written.seq)?.hash === written.hash) return;
  const where = `${chain.headFile.file}${written.writtenAt ? `, written ${written.writtenAt}` : ''}`;
  const what = there
    ? `its entry ${written.seq} is not the one whose hash was written there: the log has been rolled back and rewritten, or the file belongs to another database`
    : `it ends at entry ${Number(last?.seq ?? 0)}, before entry ${written.seq}: entries have been removed, or the database was restored from an earlier copy`;
  throw new AuditKeyError(
    `The audit log does not match the chain head written outside the database (AUDIT_HEAD_FILE, ${where}): ${what}. Run "verify-audit" to see more. If the database was restored on purpose, keep that file as evidence, move it aside, and start again.`,
  );
}
