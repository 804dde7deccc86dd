import { sql, type Kysely } from 'kysely';
import type { DispositionDecision, IsoDate } from '../rules/index.js';
import { reviewRecords, type DueFilter } from './destruction.js';
import type { Database, DispositionDecisionRow } from './schema.js';

// Queries of the disposition review: records waiting for a decision, and the decisions made.

/** Counts of records waiting for review, by class and the month retention (or review) ended. */
export function reviewGroupsQuery(db: Kysely<Database>, filter: DueFilter) {
  const month = sql<string>`substr(coalesce(review_on, retention_ends_on), 1, 7)`;
  return reviewRecords(db, filter)
    .select(['record_class', month.as('month'), sql<number | string>`count(*)`.as('n')])
    .groupBy(['record_class', month])
    .orderBy(month)
    .orderBy('record_class');
}

/** One page of records waiting for review, longest waiting first. */
export function reviewRecordsQuery(db: Kysely<Database>, filter: DueFilter, limit: number, offset: number) {
  return reviewRecords(db, filter)
    .select([
      'record_id',
      'case_ref',
      'record_class',
      'title',
      'format',
      'retention_ends_on',
      'retention_kept_with',
      'review_on',
      'disposition',
    ])
    .orderBy('retention_ends_on')
    .orderBy('record_id')
    .limit(limit)
    .offset(offset);
}

/** The ids of up to `limit` records waiting for review, for a decision on a group. */
export async function reviewRecordIds(
  db: Kysely<Database>,
  filter: DueFilter,
  limit: number,
): Promise<{ recordIds: string[]; total: number }> {
  const base = reviewRecords(db, filter);
  const [rows, count] = await Promise.all([
    base.select('record_id').orderBy('retention_ends_on').orderBy('record_id').limit(limit).execute(),
    base.select(sql<number | string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { recordIds: rows.map((r) => r.record_id), total: Number(count.n) };
}

export interface DecisionFilter {
  recordId?: string;
  caseRef?: string;
  decision?: DispositionDecision;
  from?: IsoDate;
  to?: IsoDate;
}

function decisionsWhere(db: Kysely<Database>, filter: DecisionFilter) {
  let query = db.selectFrom('disposition_decisions');
  if (filter.recordId) query = query.where('record_id', '=', filter.recordId.trim());
  if (filter.caseRef) query = query.where('case_ref', '=', filter.caseRef.trim());
  if (filter.decision) query = query.where('decision', '=', filter.decision);
  if (filter.from) query = query.where('decided_on', '>=', filter.from);
  if (filter.to) query = query.where('decided_on', '<=', filter.to);
  return query;
}

export async function countDecisions(db: Kysely<Database>, filter: DecisionFilter): Promise<number> {
  const row = await decisionsWhere(db, filter)
    .select(sql<number | string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Decisions, newest first. */
export async function decisionRows(
  db: Kysely<Database>,
  filter: DecisionFilter,
  limit: number,
  offset: number,
): Promise<DispositionDecisionRow[]> {
  return decisionsWhere(db, filter)
    .selectAll()
    .orderBy('decided_at', 'desc')
    .orderBy('record_id')
    .limit(limit)
    .offset(offset)
    .execute();
}
