import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

// The rows the audit log vouches for. Each audit entry that creates or changes such a row records
// the row's digest (SHA-256 of its columns, in the order below), and `verify-audit` recomputes the
// digest of every row and compares: a row changed, added or removed outside the application shows,
// even where the table itself must allow updates (batches, requests, holds, staff). The entry's own
// HMAC covers the digests, so they cannot be rewritten without the audit key.
//
// A migration that adds a column to one of these tables leaves it out of the digest until it is
// listed here, under `added` with the value rows had before it existed: a row whose added columns
// still hold those values keeps the digest recorded before the migration, and any other value is
// in the digest. A migration that drops or renames a listed column must change this list (the types
// catch it), and every row recorded with it would then show as changed.

interface CoveredSpec<T extends keyof Database> {
  table: T;
  /** What a person calls one of these rows, for messages: "destruction register entry". */
  label: string;
  /** And several of them: "destruction register entries". */
  many: string;
  /** The columns whose values make a row's key (joined with "/"). */
  key: readonly (keyof Database[T] & string)[];
  /** Every column the digest covers, in order. */
  columns: readonly (keyof Database[T] & string)[];
  /**
   * Columns added after rows were first recorded, each with the value those rows have (null, or
   * the column's default): in the digest only where a row's value differs.
   */
  added?: Readonly<Partial<Record<keyof Database[T] & string, string | number | null>>>;
  /**
   * Rows sharing the first key column are digested together, ordered by this column: one digest for
   * all the items of a batch, so an item removed or added shows as the batch's items changing.
   */
  groupedBy?: keyof Database[T] & string;
}

function spec<T extends keyof Database>(s: CoveredSpec<T>): CoveredSpec<T> {
  return s;
}

export const COVERED_TABLES = {
  removal_authorisations: spec({
    table: 'removal_authorisations',
    label: 'removal request',
    many: 'removal requests',
    key: ['id'],
    columns: [
      'id',
      'case_ref',
      'requester_id',
      'record_ids',
      'purpose',
      'destination',
      'out_on',
      'return_on',
      'justification',
      'status',
      'version',
      'decided_by',
      'decided_at',
      'reason',
      'created_at',
      'updated_at',
    ],
  }),
  authorisation_history: spec({
    table: 'authorisation_history',
    label: 'removal request history entry',
    many: 'removal request history entries',
    key: ['authorisation_id', 'version'],
    columns: ['authorisation_id', 'version', 'from_status', 'to_status', 'actor_id', 'reason', 'at'],
  }),
  holds: spec({
    table: 'holds',
    label: 'hold',
    many: 'holds',
    key: ['id'],
    columns: [
      'id',
      'case_ref',
      'record_id',
      'type',
      'reference',
      'reason',
      'sar_received_on',
      'sar_extended',
      'placed_by',
      'placed_at',
      'released_by',
      'released_at',
      'release_reason',
    ],
    // Migration 0005: subject access extensions told, and the clock stopped.
    added: { sar_extension_told_on: null, sar_extension_reason: null, sar_pauses: '[]' },
  }),
  blanket_holds: spec({
    table: 'blanket_holds',
    label: 'hold on whole classes',
    many: 'holds on whole classes',
    key: ['id'],
    columns: [
      'id',
      'type',
      'name',
      'reference',
      'reason',
      'starts_on',
      'ends_on',
      'classes',
      'placed_by',
      'placed_at',
      'released_by',
      'released_at',
      'release_reason',
    ],
  }),
  destruction_batches: spec({
    table: 'destruction_batches',
    label: 'destruction batch',
    many: 'destruction batches',
    key: ['id'],
    columns: [
      'id',
      'reference',
      'status',
      'version',
      'filter',
      'created_by',
      'created_at',
      'method',
      'certificate_ref',
      'confirmed_by',
      'confirmed_at',
      'cancelled_by',
      'cancelled_at',
      'cancel_reason',
      'updated_at',
    ],
    // Migration 0005: names and roles at the time, and the outside logs ticked.
    added: {
      created_by_name: null,
      created_by_role: null,
      confirmed_by_name: null,
      confirmed_by_role: null,
      log_checks: null,
    },
  }),
  destruction_batch_items: spec({
    table: 'destruction_batch_items',
    label: 'items of destruction batch',
    many: 'destruction batch item lists',
    key: ['batch_id'],
    groupedBy: 'record_id',
    columns: ['batch_id', 'record_id', 'eligible', 'checks', 'outcome'],
  }),
  destruction_register: spec({
    table: 'destruction_register',
    label: 'destruction register entry',
    many: 'destruction register entries',
    key: ['id'],
    columns: [
      'id',
      'batch_id',
      'record_id',
      'record_class',
      'case_ref',
      'format',
      'earliest_date',
      'latest_date',
      'schedule_version',
      'rule_id',
      'period',
      'trigger_field',
      'trigger_date',
      'retention_ended_on',
      'checks',
      'authorised_by',
      'authorised_at',
      'destroyed_by',
      'destroyed_on',
      'method',
      'certificate_ref',
      'quantity',
      'created_at',
    ],
    // Migration 0005: names and roles at the time, hold checks by type, the review decision.
    added: {
      authorised_by_name: null,
      authorised_by_role: null,
      destroyed_by_name: null,
      destroyed_by_role: null,
      hold_checks: null,
      review_decision: null,
      kept_with: null,
    },
  }),
  disposition_decisions: spec({
    table: 'disposition_decisions',
    label: 'review decision',
    many: 'review decisions',
    key: ['id'],
    columns: [
      'id',
      'group_id',
      'record_id',
      'case_ref',
      'record_class',
      'decision',
      'reason',
      'keep_years',
      'review_on',
      'accession_ref',
      'archive',
      'retention_ended_on',
      'schedule_version',
      'rule_id',
      'kept_with',
      'decided_by',
      'decided_by_name',
      'decided_by_role',
      'decided_on',
      'decided_at',
    ],
  }),
  staff: spec({
    table: 'staff',
    label: 'staff directory entry',
    many: 'staff directory entries',
    key: ['aad_object_id'],
    columns: ['aad_object_id', 'display_name', 'email', 'roles', 'line_manager_id', 'updated_at', 'left_on'],
  }),
  acting_managers: spec({
    table: 'acting_managers',
    label: 'acting manager cover',
    many: 'acting manager covers',
    key: ['id'],
    columns: ['id', 'manager_id', 'acting_manager_id', 'starts_on', 'ends_on', 'created_at', 'revoked_at'],
  }),
} as const;

export type CoveredTable = keyof typeof COVERED_TABLES;
export const COVERED_TABLE_NAMES = Object.keys(COVERED_TABLES) as CoveredTable[];

/** A row (or, for batch items, a batch's items) an audit entry vouches for. */
export interface CoveredRef {
  table: CoveredTable;
  /** The key column values, in the order of the table's key. */
  key: readonly (string | number)[];
}

/** What an entry records: for each table, each row's key and digest. */
export type RowDigests = Partial<Record<CoveredTable, Record<string, string>>>;

type AnyRow = Record<string, unknown>;

export function keyOf(values: readonly unknown[]): string {
  return values.map((v) => String(v)).join('/');
}

function value(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : (v ?? null);
}

/** The digest of one row, or of a group of rows (batch items), in the table's column order. */
export function digestOf(table: CoveredTable, rows: AnyRow | readonly AnyRow[]): string {
  const s = COVERED_TABLES[table] as CoveredSpec<keyof Database>;
  const added = Object.entries<unknown>(s.added ?? {});
  const one = (row: AnyRow) => {
    const values: unknown[] = s.columns.map((c) => value(row[c]));
    const changed = added.filter(([c, before]) => value(row[c]) !== before);
    if (changed.length) values.push(Object.fromEntries(changed.map(([c]) => [c, value(row[c])])));
    return values;
  };
  let body: unknown;
  if (s.groupedBy) {
    const by = s.groupedBy;
    const list = [...(rows as readonly AnyRow[])].sort((a, b) =>
      String(a[by]) < String(b[by]) ? -1 : String(a[by]) > String(b[by]) ? 1 : 0,
    );
    body = list.map(one);
  } else {
    body = one(rows as AnyRow);
  }
  return createHash('sha256')
    .update(JSON.stringify([table, body]))
    .digest('hex');
}

function whereKey(columns: readonly string[], values: readonly unknown[]) {
  return sql.join(
    columns.map((c, i) => sql`${sql.ref(c)} = ${values[i]}`),
    sql` AND `,
  );
}

/** Keys read at once when an entry covers many rows of a table (a staff import). */
const KEYS_PER_READ = 500;

/** Reads the rows `refs` name (in the caller's transaction) and digests them. */
export async function readDigests(db: Kysely<Database>, refs: readonly CoveredRef[]): Promise<RowDigests> {
  const digests: RowDigests = {};
  const missing = (table: CoveredTable, key: string) =>
    new Error(`${labelOf(table)} ${key} is not there to be recorded in the audit log`);
  // Rows with a one-column key are read many at a time, a table at a time.
  const byTable = new Map<CoveredTable, Set<string | number>>();
  for (const ref of refs) {
    const s = COVERED_TABLES[ref.table] as CoveredSpec<keyof Database>;
    if (ref.key.length !== s.key.length)
      throw new Error(`${ref.table}: a key has ${s.key.length} part(s), got ${ref.key.length}`);
    if (s.key.length === 1 && !s.groupedBy) {
      let keys = byTable.get(ref.table);
      if (!keys) byTable.set(ref.table, (keys = new Set()));
      keys.add(ref.key[0]!);
      continue;
    }
    const { rows } =
      await sql<AnyRow>`SELECT * FROM ${sql.table(ref.table)} WHERE ${whereKey(s.key, ref.key)}`.execute(db);
    if (!rows.length || (!s.groupedBy && rows.length !== 1)) throw missing(ref.table, keyOf(ref.key));
    (digests[ref.table] ??= {})[keyOf(ref.key)] = digestOf(ref.table, s.groupedBy ? rows : rows[0]!);
  }
  for (const [table, keys] of byTable) {
    const column = (COVERED_TABLES[table] as CoveredSpec<keyof Database>).key[0]!;
    const found = (digests[table] ??= {});
    const wanted = [...keys];
    for (let i = 0; i < wanted.length; i += KEYS_PER_READ) {
      const part = wanted.slice(i, i + KEYS_PER_READ);
      const { rows } =
        await sql<AnyRow>`SELECT * FROM ${sql.table(table)} WHERE ${sql.ref(column)} IN (${sql.join(
          part,
        )})`.execute(db);
      for (const row of rows) found[keyOf([row[column]])] = digestOf(table, row);
    }
    for (const key of wanted) if (!(keyOf([key]) in found)) throw missing(table, keyOf([key]));
  }
  return digests;
}

/**
 * Every row of a covered table with its key and digest, a page at a time in key order (batch items
 * a batch at a time). Call inside one read transaction so the pages agree.
 */
export async function* allDigests(
  db: Kysely<Database>,
  table: CoveredTable,
  pageSize = 2000,
): AsyncGenerator<{ key: string; digest: string }> {
  const s = COVERED_TABLES[table] as CoveredSpec<keyof Database>;
  const keys = sql.join(s.key.map((c) => sql.ref(c)));
  if (s.groupedBy) {
    const first = s.key[0]!;
    const { rows: groups } =
      await sql<AnyRow>`SELECT DISTINCT ${sql.ref(first)} FROM ${sql.table(table)}`.execute(db);
    for (const g of groups) {
      const { rows } =
        await sql<AnyRow>`SELECT * FROM ${sql.table(table)} WHERE ${whereKey([first], [g[first]])}`.execute(
          db,
        );
      yield { key: keyOf([g[first]]), digest: digestOf(table, rows) };
    }
    return;
  }
  for (let offset = 0; ; offset += pageSize) {
    const { rows } =
      await sql<AnyRow>`SELECT * FROM ${sql.table(table)} ORDER BY ${keys} LIMIT ${pageSize} OFFSET ${offset}`.execute(
        db,
      );
    for (const row of rows) yield { key: keyOf(s.key.map((c) => row[c])), digest: digestOf(table, row) };
    if (rows.length < pageSize) return;
  }
}

export function labelOf(table: CoveredTable): string {
  return COVERED_TABLES[table].label;
}

export function pluralOf(table: CoveredTable): string {
  return COVERED_TABLES[table].many;
}
