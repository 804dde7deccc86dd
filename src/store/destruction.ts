import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import {
  authorisationHolding,
  blanketHoldCovers,
  DISPOSITION_DECISIONS,
  HOLD_TYPES,
  type AuthorisationStatus,
  type AuthorisationSummary,
  type CaseDates,
  type CaseRecordRef,
  type DispositionDecision,
  type DispositionState,
  type HoldType,
  type IsoDate,
} from '../rules/index.js';
import { chunk } from '../chunk.js';
import { activeBlanketHolds, lockBlanketHoldsShared } from './blanket-holds.js';
import { lockingRows } from './dialect.js';
import { caseDates } from './inventory.js';
import type { Database, DispositionDecisionRow, RecordRow } from './schema.js';

// Queries of the destruction workflow: what is due, the facts the pre-destruction checks need,
// batches and the register.

export interface DueFilter {
  dueBy: IsoDate;
  classId?: string | null;
  /** One case's records, or one record, or the records named (at most 500). */
  caseRef?: string | null;
  recordId?: string | null;
  recordIds?: readonly string[] | null;
}

/**
 * Records still held whose retention ended by `dueBy` (and any review date set by a decision to
 * keep them has passed). The `destroyed_on IS NULL` and range terms match the partial index
 * `records_due_idx (retention_ends_on, record_class)`, so the database searches the index rather
 * than scanning every record.
 */
function endedRecords(db: Kysely<Database>, filter: DueFilter) {
  let query = db
    .selectFrom('records')
    .where('destroyed_on', 'is', null)
    .where('retention_ends_on', '<=', filter.dueBy)
    .where('transferred_on', 'is', null)
    .where((eb) => eb.or([eb('review_on', 'is', null), eb('review_on', '<=', filter.dueBy)]));
  if (filter.classId) query = query.where('record_class', '=', filter.classId);
  if (filter.caseRef) query = query.where('case_ref', '=', filter.caseRef);
  if (filter.recordId) query = query.where('record_id', '=', filter.recordId);
  if (filter.recordIds) query = query.where('record_id', 'in', [...filter.recordIds]);
  return query;
}

/**
 * Records due for destruction: their class is destroyed at the end of retention, or a Records
 * Management officer decided to destroy them. A record whose end action is review and that has
 * no decision to destroy goes to the review list instead (store/disposition.ts).
 */
export function dueRecords(db: Kysely<Database>, filter: DueFilter) {
  return endedRecords(db, filter).where(destroyedWhenEnded);
}

/** Destroyed at the end of retention, and not decided otherwise; or decided to be destroyed. */
function destroyedWhenEnded(eb: ExpressionBuilder<Database, 'records'>) {
  return eb.or([
    eb.and([
      eb('retention_action', '=', 'destroy'),
      eb.or([eb('disposition', 'is', null), eb('disposition', '=', 'keep')]),
    ]),
    eb('disposition', '=', 'destroy'),
  ]);
}

/**
 * The due records that a decision keeps until a review date (few): `dueRecords` with a review
 * date, found by that date through records_review_idx. The end date is compared as an expression,
 * so the database does not read records_due_idx's many entries instead.
 */
export function dueUnderReview(db: Kysely<Database>, filter: DueFilter) {
  let query = db
    .selectFrom('records')
    .where('review_on', 'is not', null)
    .where('review_on', '<=', filter.dueBy)
    .where('destroyed_on', 'is', null)
    .where('transferred_on', 'is', null)
    .where(sql<string>`substr(retention_ends_on, 1, 10)`, '<=', filter.dueBy)
    .where(destroyedWhenEnded);
  if (filter.classId) query = query.where('record_class', '=', filter.classId);
  return query;
}

/** Records whose retention (or review date) has passed and that wait for a review decision. */
export function reviewRecords(db: Kysely<Database>, filter: DueFilter) {
  return endedRecords(db, filter)
    .where('retention_action', '=', 'review')
    .where((eb) => eb.or([eb('disposition', 'is', null), eb('disposition', '=', 'keep')]));
}

export const dueMonth = sql<string>`substr(retention_ends_on, 1, 7)`;

/** One page of due records, longest past the end of retention first. */
export function dueRecordsQuery(db: Kysely<Database>, filter: DueFilter, limit: number, offset: number) {
  return dueRecords(db, filter)
    .select(['record_id', 'case_ref', 'record_class', 'title', 'format', 'retention_ends_on'])
    .orderBy('retention_ends_on')
    .orderBy('record_id')
    .limit(limit)
    .offset(offset);
}

function inOpenBatches(db: Kysely<Database>) {
  return db
    .selectFrom('destruction_batch_items')
    .innerJoin('destruction_batches', 'destruction_batches.id', 'destruction_batch_items.batch_id')
    .select('destruction_batch_items.record_id')
    .where('destruction_batches.status', '=', 'awaiting_confirmation');
}

/**
 * Due records not already in a batch waiting for confirmation, for a new batch; and how many due
 * records are left out because they are in one.
 */
export async function dueForNewBatch(
  db: Kysely<Database>,
  filter: DueFilter,
  limit: number,
): Promise<{ recordIds: string[]; total: number; inOpenBatches: number }> {
  const base = dueRecords(db, filter).where('record_id', 'not in', inOpenBatches(db));
  const [rows, count, open] = await Promise.all([
    base.select('record_id').orderBy('retention_ends_on').orderBy('record_id').limit(limit).execute(),
    base.select(sql<number | string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    dueRecords(db, filter)
      .where('record_id', 'in', inOpenBatches(db))
      .select(sql<number | string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { recordIds: rows.map((r) => r.record_id), total: Number(count.n), inOpenBatches: Number(open.n) };
}

/** How many records in the filter's scope wait for a review decision (so are in no batch). */
export async function countWaitingForReview(db: Kysely<Database>, filter: DueFilter): Promise<number> {
  const row = await reviewRecords(db, filter)
    .select(sql<number | string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The officers asked to confirm a batch (the notifications queued when it was created). */
export async function askedToConfirm(db: Kysely<Database>, batchId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('recipient_id')
    .where('kind', '=', 'destruction.awaiting_confirmation')
    .where('dedupe_key', 'like', `destruction.awaiting_confirmation:${batchId}:%`)
    .orderBy('created_at')
    .orderBy('recipient_id')
    .execute();
  return rows.map((r) => r.recipient_id);
}

export function toDispositionState(row: DispositionDecisionRow): DispositionState {
  return {
    id: row.id,
    decision: (DISPOSITION_DECISIONS as readonly string[]).includes(row.decision)
      ? (row.decision as DispositionDecision)
      : 'keep',
    decidedOn: row.decided_on,
    decidedByName: row.decided_by_name,
    decidedByRole: row.decided_by_role,
    reason: row.reason,
    reviewOn: row.review_on,
    accessionRef: row.accession_ref,
    archive: row.archive,
  };
}

/** Decisions by id, as the rules see them. */
export async function dispositionStates(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, DispositionState>> {
  const states = new Map<string, DispositionState>();
  for (const part of chunk([...new Set(ids)], 500)) {
    const rows = await db.selectFrom('disposition_decisions').selectAll().where('id', 'in', part).execute();
    for (const row of rows) states.set(row.id, toDispositionState(row));
  }
  return states;
}

/** What the pre-destruction checks need to know about one record, read from current data. */
export interface RecordFacts {
  record: RecordRow;
  dates: CaseDates;
  /** Holds in force: on the record, on its case, or on its whole class (these have a name). */
  holds: { type: HoldType; reference: string; name?: string }[];
  authorisations: AuthorisationSummary[];
  /** Every record of the case, destroyed or not, for the rules that look across the child's records. */
  caseRecords: CaseRecordRef[];
  /** The latest review decision, if any. */
  disposition: DispositionState | null;
}

function holdType(type: string): HoldType {
  return (HOLD_TYPES as readonly string[]).includes(type) ? (type as HoldType) : 'other';
}

/**
 * Loads records with their case dates and other records, the holds in force on `day` on them,
 * their case (`released_at IS NULL`) or their class (blanket holds), their latest review decision
 * and the authorisations under which their case is out of the office. With `lock` on PostgreSQL
 * the record rows stay locked until the transaction ends, and no blanket hold can be placed until
 * it does. Any read failure throws: a check is never passed for want of data.
 */
export async function loadRecordFacts(
  db: Kysely<Database>,
  recordIds: readonly string[],
  options: { day: IsoDate; lock?: boolean },
): Promise<Map<string, RecordFacts>> {
  if (options.lock) await lockBlanketHoldsShared(db);
  const blanket = await activeBlanketHolds(db);
  const records: RecordRow[] = [];
  for (const ids of chunk([...recordIds].sort(), 500)) {
    const query = db.selectFrom('records').selectAll().where('record_id', 'in', ids).orderBy('record_id');
    records.push(...(await (options.lock ? lockingRows(db, query) : query).execute()));
  }
  const caseRefs = [...new Set(records.map((r) => r.case_ref))];
  const cases = new Map<string, CaseDates>();
  const holds: { case_ref: string; record_id: string | null; type: string; reference: string }[] = [];
  const authorisations = new Map<string, (AuthorisationSummary & { caseRef: string })[]>();
  const caseRecords = new Map<string, CaseRecordRef[]>();
  for (const refs of chunk(caseRefs, 500)) {
    const caseRows = await db.selectFrom('cases').selectAll().where('case_ref', 'in', refs).execute();
    caseRows.forEach((c) => cases.set(c.case_ref, caseDates(c)));
    const siblings = await db
      .selectFrom('records')
      .select(['record_id', 'case_ref', 'record_class'])
      .where('case_ref', 'in', refs)
      .orderBy('record_id')
      .execute();
    for (const r of siblings) {
      const list = caseRecords.get(r.case_ref) ?? [];
      list.push({ recordId: r.record_id, recordClass: r.record_class });
      caseRecords.set(r.case_ref, list);
    }
    const authRows = await db
      .selectFrom('removal_authorisations')
      .select(['id', 'case_ref', 'status', 'record_ids', 'return_on'])
      .where('case_ref', 'in', refs)
      .where('status', 'in', ['approved', 'return_requested'])
      .execute();
    for (const a of authRows) {
      const list = authorisations.get(a.case_ref) ?? [];
      list.push({
        id: a.id,
        caseRef: a.case_ref,
        status: a.status as AuthorisationStatus,
        recordIds: JSON.parse(a.record_ids) as string[],
        returnOn: a.return_on,
      });
      authorisations.set(a.case_ref, list);
    }
  }
  for (const [refs, ids] of zipChunks(caseRefs, [...recordIds])) {
    holds.push(
      ...(await db
        .selectFrom('holds')
        .select(['case_ref', 'record_id', 'type', 'reference'])
        .where('released_at', 'is', null)
        .where((eb) =>
          eb.or([
            ...(refs.length ? [eb('case_ref', 'in', refs)] : []),
            ...(ids.length ? [eb('record_id', 'in', ids)] : []),
          ]),
        )
        .execute()),
    );
  }
  const decisions = await dispositionStates(
    db,
    records.map((r) => r.disposition_id).filter((id): id is string => !!id),
  );
  const facts = new Map<string, RecordFacts>();
  for (const record of records) {
    facts.set(record.record_id, {
      record,
      dates: cases.get(record.case_ref) ?? {},
      holds: [
        ...holds
          .filter((h) =>
            h.record_id === null ? h.case_ref === record.case_ref : h.record_id === record.record_id,
          )
          .map((h) => ({ type: holdType(h.type), reference: h.reference })),
        ...blanket
          .filter((b) => blanketHoldCovers(b, record.record_class, options.day))
          .map((b) => ({ type: b.type, reference: b.reference, name: b.name })),
      ],
      authorisations: authorisations.get(record.case_ref) ?? [],
      caseRecords: caseRecords.get(record.case_ref) ?? [],
      disposition: record.disposition_id ? (decisions.get(record.disposition_id) ?? null) : null,
    });
  }
  return facts;
}

/** Pairs of case-ref and record-id chunks, so each holds query stays within parameter limits. */
function zipChunks(a: string[], b: string[]): [string[], string[]][] {
  const ca = chunk(a, 400);
  const cb = chunk(b, 400);
  const n = Math.max(ca.length, cb.length);
  return Array.from({ length: n }, (_, i) => [ca[i] ?? [], cb[i] ?? []]);
}

/** Active holds and out-of-office flags on `day` for a handful of records (a page of a list). */
export async function heldAndOut(
  db: Kysely<Database>,
  recordIds: readonly string[],
  day: IsoDate,
): Promise<Map<string, { held: boolean; out: boolean }>> {
  const facts = await loadRecordFacts(db, recordIds, { day });
  const flags = new Map<string, { held: boolean; out: boolean }>();
  for (const [id, f] of facts) {
    flags.set(id, {
      held: f.holds.length > 0,
      out: authorisationHolding(f.authorisations, id) !== null,
    });
  }
  return flags;
}

/** The year's latest batch reference (by sequence, so DB-2026-10000 follows DB-2026-9999). */
export async function latestBatchReference(db: Kysely<Database>, year: number): Promise<string | null> {
  const row = await db
    .selectFrom('destruction_batches')
    .select('reference')
    .where('reference', 'like', `DB-${year}-%`)
    .orderBy(sql`length(reference)`, 'desc')
    .orderBy('reference', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.reference ?? null;
}

/** A batch by its id or its reference (`DB-2026-0001`), locked on PostgreSQL when asked. */
export async function findBatch(
  db: Kysely<Database>,
  idOrReference: string,
  options: { lock?: boolean } = {},
) {
  const key = idOrReference.trim();
  const query = db
    .selectFrom('destruction_batches')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', key), eb('reference', '=', key)]));
  return (options.lock ? lockingRows(db, query) : query).executeTakeFirst();
}

/** A batch's items with what the inventory says of each record. */
export async function batchItems(db: Kysely<Database>, batchId: string) {
  return db
    .selectFrom('destruction_batch_items as i')
    .leftJoin('records as r', 'r.record_id', 'i.record_id')
    .select([
      'i.record_id',
      'i.eligible',
      'i.checks',
      'i.outcome',
      'r.case_ref',
      'r.record_class',
      'r.title',
      'r.format',
      'r.location',
      'r.retention_ends_on',
    ])
    .where('i.batch_id', '=', batchId)
    .orderBy('i.record_id')
    .execute();
}

/** Batches, newest first, optionally of one status; at most `limit` (default 50, up to 500). */
export async function listBatchRows(db: Kysely<Database>, options: { status?: string; limit?: number }) {
  let query = db
    .selectFrom('destruction_batches')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('reference', 'desc')
    .limit(Math.min(Math.max(1, Math.floor(options.limit ?? 50)), 500));
  if (options.status) query = query.where('status', '=', options.status);
  return query.execute();
}

/** Per batch: how many items, how many passed at review, how many were destroyed. */
export async function batchTallies(db: Kysely<Database>, batchIds: readonly string[]) {
  if (!batchIds.length) return [];
  return db
    .selectFrom('destruction_batch_items')
    .select([
      'batch_id',
      sql<number | string>`count(*)`.as('records'),
      sql<number | string>`sum(eligible)`.as('eligible'),
      sql<number | string>`sum(case when outcome = 'destroyed' then 1 else 0 end)`.as('destroyed'),
    ])
    .where('batch_id', 'in', [...batchIds])
    .groupBy('batch_id')
    .execute();
}

export interface RegisterFilter {
  recordId?: string;
  caseRef?: string;
  /** A batch id or reference. */
  batchId?: string;
  from?: IsoDate;
  to?: IsoDate;
}

function registerWhere(db: Kysely<Database>, filter: RegisterFilter) {
  let query = db.selectFrom('destruction_register as d');
  if (filter.recordId) query = query.where('d.record_id', '=', filter.recordId.trim());
  if (filter.caseRef) query = query.where('d.case_ref', '=', filter.caseRef.trim());
  if (filter.from) query = query.where('d.destroyed_on', '>=', filter.from);
  if (filter.to) query = query.where('d.destroyed_on', '<=', filter.to);
  if (filter.batchId) {
    const key = filter.batchId.trim();
    query = query.where('d.batch_id', 'in', (eb) =>
      eb
        .selectFrom('destruction_batches')
        .select('id')
        .where((w) => w.or([w('id', '=', key), w('reference', '=', key)])),
    );
  }
  return query;
}

export async function countRegister(db: Kysely<Database>, filter: RegisterFilter): Promise<number> {
  const row = await registerWhere(db, filter)
    .select(sql<number | string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function registerQuery(db: Kysely<Database>, filter: RegisterFilter) {
  return registerWhere(db, filter)
    .leftJoin('destruction_batches as b', 'b.id', 'd.batch_id')
    .selectAll('d')
    .select('b.reference as batch_reference')
    .orderBy('d.destroyed_on', 'desc')
    .orderBy('d.created_at', 'desc')
    .orderBy('d.record_id')
    .orderBy('d.id');
}

/** Register entries with their batch reference, newest first. */
export async function registerRows(
  db: Kysely<Database>,
  filter: RegisterFilter,
  limit: number,
  offset: number,
) {
  return registerQuery(db, filter).limit(limit).offset(offset).execute();
}

/** Where a read of the register got to: the last entry read, in register order. */
export interface RegisterCursor {
  destroyedOn: string;
  createdAt: string;
  recordId: string;
  id: string;
}

/**
 * The register entries that come after `after` in register order (newest first), `limit` of them:
 * pages that stay right while entries are added (new ones sort before any cursor).
 */
export async function registerRowsAfter(
  db: Kysely<Database>,
  filter: RegisterFilter,
  after: RegisterCursor | null,
  limit: number,
) {
  let query = registerQuery(db, filter);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('d.destroyed_on', '<', after.destroyedOn),
        eb.and([eb('d.destroyed_on', '=', after.destroyedOn), eb('d.created_at', '<', after.createdAt)]),
        eb.and([
          eb('d.destroyed_on', '=', after.destroyedOn),
          eb('d.created_at', '=', after.createdAt),
          eb.or([
            eb('d.record_id', '>', after.recordId),
            eb.and([eb('d.record_id', '=', after.recordId), eb('d.id', '>', after.id)]),
          ]),
        ]),
      ]),
    );
  }
  return query.limit(limit).execute();
}
