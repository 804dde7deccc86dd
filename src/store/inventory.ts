import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  classRetentionEnds,
  endActionOf,
  findClass,
  type CaseDates,
  type DateField,
  type RecordClass,
  type RetentionEnd,
  type Schedule,
} from '../rules/index.js';
import { chunk } from '../chunk.js';
import { isPostgres } from './dialect.js';
import type { CaseRow, CaseTable, Database, RecordRow, RecordTable } from './schema.js';

/** Columns of `cases` that hold the dates retention counts from, by rules' field name. */
export const DATE_COLUMNS = {
  dateOfBirth: 'date_of_birth',
  dateOfDeath: 'date_of_death',
  closedOn: 'closed_on',
  adoptionOrderOn: 'adoption_order_on',
  approvalEndedOn: 'approval_ended_on',
  lastContactOn: 'last_contact_on',
} as const satisfies Record<DateField, keyof CaseTable>;
export type DateColumn = (typeof DATE_COLUMNS)[DateField];

export function caseDates(row: Pick<CaseRow, DateColumn>): CaseDates {
  const dates: CaseDates = {};
  for (const [field, column] of Object.entries(DATE_COLUMNS) as [DateField, DateColumn][]) {
    dates[field] = row[column];
  }
  return dates;
}

export type RetentionColumns = Pick<
  RecordTable,
  | 'retention_ends_on'
  | 'retention_rule'
  | 'retention_missing'
  | 'retention_permanent'
  | 'schedule_version'
  | 'retention_kept_with'
  | 'retention_action'
>;

/** The stored retention of a record whose class is not in the schedule: unknown, never due. */
export function unknownClassColumns(schedule: Schedule): RetentionColumns {
  return {
    schedule_version: schedule.version,
    retention_ends_on: null,
    retention_rule: null,
    retention_missing: null,
    retention_permanent: 0,
    retention_kept_with: null,
    retention_action: null,
  };
}

function columnsOf(schedule: Schedule, cls: RecordClass, end: RetentionEnd): RetentionColumns {
  const common = {
    schedule_version: schedule.version,
    retention_rule: end.rule?.id ?? null,
    retention_kept_with: end.keptWith?.classId ?? null,
    retention_action: endActionOf(schedule, cls, end),
  };
  switch (end.kind) {
    case 'ends':
      return { ...common, retention_ends_on: end.endsOn, retention_missing: null, retention_permanent: 0 };
    case 'permanent':
      return { ...common, retention_ends_on: null, retention_missing: null, retention_permanent: 1 };
    case 'incomplete':
      return {
        ...common,
        retention_ends_on: null,
        retention_missing: end.missing.join(',') || null,
        retention_permanent: 0,
      };
  }
}

/**
 * What is stored on the records of one case about their retention, by class, so "what is due"
 * is an indexed query. Looks across the case: a class kept with another class of the same child
 * takes its longer end. A class not in the schedule is left out (see `unknownClassColumns`).
 */
export function caseRetentionColumns(
  schedule: Schedule,
  classIds: Iterable<string>,
  dates: CaseDates,
): Map<string, RetentionColumns> {
  const columns = new Map<string, RetentionColumns>();
  for (const [id, end] of classRetentionEnds(schedule, classIds, dates)) {
    columns.set(id, columnsOf(schedule, findClass(schedule, id)!, end));
  }
  return columns;
}

/** Pairs of classes whose records affect each other's retention when in one case. */
export function keptWithPairs(schedule: Schedule): [string, string][] {
  return schedule.classes.flatMap((c) =>
    (c.keptWith ?? []).flatMap((g) => g.classes.map((o): [string, string] => [c.id, o])),
  );
}

export function missingFields(row: Pick<RecordRow, 'retention_missing'>): DateField[] {
  return row.retention_missing ? (row.retention_missing.split(',') as DateField[]) : [];
}

export async function getCase(db: Kysely<Database>, caseRef: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('case_ref', '=', caseRef).executeTakeFirst();
}

export async function listCaseRecords(db: Kysely<Database>, caseRef: string): Promise<RecordRow[]> {
  return db.selectFrom('records').selectAll().where('case_ref', '=', caseRef).orderBy('record_id').execute();
}

export interface RecomputeProgress {
  checked: number;
  changed: number;
}

const RECOMPUTE_COLUMNS = [
  'retention_ends_on',
  'retention_rule',
  'retention_missing',
  'retention_permanent',
  'schedule_version',
  'retention_kept_with',
  'retention_action',
] as const satisfies readonly (keyof RetentionColumns)[];

function differs(cols: RetentionColumns, row: RetentionColumns): boolean {
  return RECOMPUTE_COLUMNS.some((c) =>
    c === 'retention_permanent' ? cols[c] !== Number(row[c]) : cols[c] !== row[c],
  );
}

/**
 * Works out every record's retention again (after a schedule, case-date or case-record change),
 * a page of cases at a time, since a record's retention can follow another record of its case.
 * Writes only the records whose result changed.
 */
export async function recomputeRetention(
  db: Kysely<Database>,
  schedule: Schedule,
  options: { caseRefs?: readonly string[]; onProgress?: (p: RecomputeProgress) => void } = {},
): Promise<RecomputeProgress> {
  const pageSize = 2000;
  const progress = { checked: 0, changed: 0 };
  const chosen = options.caseRefs ? [...new Set(options.caseRefs)].sort() : null;
  let after = '';
  let index = 0;
  for (;;) {
    let refs: string[];
    if (chosen) {
      refs = chosen.slice(index, index + pageSize);
      index += pageSize;
    } else {
      const rows = await db
        .selectFrom('cases')
        .select('case_ref')
        .where('case_ref', '>', after)
        .orderBy('case_ref')
        .limit(pageSize)
        .execute();
      refs = rows.map((r) => r.case_ref);
    }
    if (refs.length === 0) break;
    after = refs[refs.length - 1]!;
    const changes = await recomputeCases(db, schedule, refs, progress);
    if (changes.length) {
      const write = async (trx: Kysely<Database>) => {
        if (isPostgres(trx)) {
          // One statement per 1,000 records: a round trip per record is slow over a network.
          for (const part of chunk(changes, 1000)) await updateRetentionMany(trx, part);
          return;
        }
        for (const change of changes) {
          await trx.updateTable('records').set(change.cols).where('record_id', '=', change.id).execute();
        }
      };
      if (db.isTransaction) await write(db);
      else await db.transaction().execute(write);
    }
    progress.changed += changes.length;
    options.onProgress?.({ ...progress });
    if (refs.length < pageSize) break;
  }
  return progress;
}

/** The changed retention of the records of some cases, worked out case by case. */
async function recomputeCases(
  db: Kysely<Database>,
  schedule: Schedule,
  caseRefs: readonly string[],
  progress: RecomputeProgress,
): Promise<{ id: string; cols: RetentionColumns }[]> {
  const rows = await db
    .selectFrom('records')
    .innerJoin('cases', 'cases.case_ref', 'records.case_ref')
    .select([
      'records.record_id',
      'records.case_ref',
      'records.record_class',
      ...RECOMPUTE_COLUMNS.map((c) => `records.${c}` as const),
      'cases.date_of_birth',
      'cases.date_of_death',
      'cases.closed_on',
      'cases.adoption_order_on',
      'cases.approval_ended_on',
      'cases.last_contact_on',
    ])
    .where('records.case_ref', 'in', [...caseRefs])
    .orderBy('records.case_ref')
    .orderBy('records.record_id')
    .execute();
  const changes: { id: string; cols: RetentionColumns }[] = [];
  const unknown = unknownClassColumns(schedule);
  for (let start = 0; start < rows.length;) {
    let end = start;
    while (end < rows.length && rows[end]!.case_ref === rows[start]!.case_ref) end += 1;
    const group = rows.slice(start, end);
    const byClass = caseRetentionColumns(
      schedule,
      new Set(group.map((r) => r.record_class)),
      caseDates(group[0]!),
    );
    for (const row of group) {
      const cols = byClass.get(row.record_class) ?? unknown;
      if (differs(cols, row)) changes.push({ id: row.record_id, cols });
    }
    progress.checked += group.length;
    start = end;
  }
  return changes;
}

/** Writes the retention columns of many records in one UPDATE … FROM (VALUES …) (PostgreSQL). */
async function updateRetentionMany(
  db: Kysely<Database>,
  changes: readonly { id: string; cols: RetentionColumns }[],
): Promise<void> {
  const rows = changes.map(
    ({ id, cols }) =>
      sql`(${id}, ${cols.retention_ends_on}, ${cols.retention_rule}, ${cols.retention_missing}, ${cols.retention_permanent}, ${cols.schedule_version}, ${cols.retention_kept_with}, ${cols.retention_action})`,
  );
  await sql`
    UPDATE records SET
      retention_ends_on = v.ends_on,
      retention_rule = v.rule,
      retention_missing = v.missing,
      retention_permanent = CAST(v.permanent AS integer),
      schedule_version = v.version,
      retention_kept_with = v.kept_with,
      retention_action = v.action
    FROM (VALUES ${sql.join(rows)}) AS v (id, ends_on, rule, missing, permanent, version, kept_with, action)
    WHERE records.record_id = v.id`.execute(db);
}

const SCHEDULE_KEY = 'retention_schedule';

/** A fingerprint of the schedule in force, so a change of schedule triggers a recompute. */
export function scheduleFingerprint(schedule: Schedule): string {
  return `${schedule.version}:${createHash('sha256').update(JSON.stringify(schedule)).digest('hex')}`;
}

/**
 * Makes sure stored retention dates follow `schedule`: when the schedule differs from the one
 * the records were computed with, every record is recomputed. Returns what was done.
 */
export async function ensureRetentionCurrent(
  db: Kysely<Database>,
  schedule: Schedule,
  onProgress?: (p: RecomputeProgress) => void,
): Promise<RecomputeProgress | null> {
  const fingerprint = scheduleFingerprint(schedule);
  const current = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', SCHEDULE_KEY)
    .executeTakeFirst();
  if (current?.value === fingerprint) return null;
  const result = await recomputeRetention(db, schedule, { onProgress });
  await db
    .insertInto('settings')
    .values({ key: SCHEDULE_KEY, value: fingerprint })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: fingerprint }))
    .execute();
  return result;
}

/** Count of records, for summaries. */
export async function countRecords(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('records')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
