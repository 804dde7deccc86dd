import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { findClass, retentionEnd, type CaseDates, type DateField, type Schedule } from '../rules/index.js';
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
  'retention_ends_on' | 'retention_rule' | 'retention_missing' | 'retention_permanent' | 'schedule_version'
>;

/** What is stored on a record about its retention, so "what is due" is an indexed query. */
export function retentionColumns(
  schedule: Schedule,
  recordClass: string,
  dates: CaseDates,
): RetentionColumns {
  const base = { schedule_version: schedule.version };
  const cls = findClass(schedule, recordClass);
  if (!cls) {
    return {
      ...base,
      retention_ends_on: null,
      retention_rule: null,
      retention_missing: null,
      retention_permanent: 0,
    };
  }
  const end = retentionEnd(cls, dates);
  switch (end.kind) {
    case 'ends':
      return {
        ...base,
        retention_ends_on: end.endsOn,
        retention_rule: end.rule.id,
        retention_missing: null,
        retention_permanent: 0,
      };
    case 'permanent':
      return {
        ...base,
        retention_ends_on: null,
        retention_rule: end.rule.id,
        retention_missing: null,
        retention_permanent: 1,
      };
    case 'incomplete':
      return {
        ...base,
        retention_ends_on: null,
        retention_rule: end.rule?.id ?? null,
        retention_missing: end.missing.join(',') || null,
        retention_permanent: 0,
      };
  }
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

/**
 * Works out every record's retention again (after a schedule or case-date change), a page at a
 * time, writing only the records whose result changed.
 */
export async function recomputeRetention(
  db: Kysely<Database>,
  schedule: Schedule,
  options: { caseRefs?: readonly string[]; onProgress?: (p: RecomputeProgress) => void } = {},
): Promise<RecomputeProgress> {
  const pageSize = 5000;
  const progress = { checked: 0, changed: 0 };
  const caseChunks = options.caseRefs ? chunk([...options.caseRefs], 500) : [null];
  for (const caseRefs of caseChunks) {
    let after = '';
    for (;;) {
      let query = db
        .selectFrom('records')
        .innerJoin('cases', 'cases.case_ref', 'records.case_ref')
        .select([
          'records.record_id',
          'records.record_class',
          'records.retention_ends_on',
          'records.retention_rule',
          'records.retention_missing',
          'records.retention_permanent',
          'records.schedule_version',
          'cases.date_of_birth',
          'cases.date_of_death',
          'cases.closed_on',
          'cases.adoption_order_on',
          'cases.approval_ended_on',
          'cases.last_contact_on',
        ])
        .where('records.record_id', '>', after)
        .orderBy('records.record_id')
        .limit(pageSize);
      if (caseRefs) query = query.where('records.case_ref', 'in', caseRefs);
      const page = await query.execute();
      if (page.length === 0) break;
      const changes: { id: string; cols: RetentionColumns }[] = [];
      for (const row of page) {
        const cols = retentionColumns(schedule, row.record_class, caseDates(row));
        if (
          cols.retention_ends_on !== row.retention_ends_on ||
          cols.retention_rule !== row.retention_rule ||
          cols.retention_missing !== row.retention_missing ||
          cols.retention_permanent !== Number(row.retention_permanent) ||
          cols.schedule_version !== row.schedule_version
        ) {
          changes.push({ id: row.record_id, cols });
        }
      }
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
      progress.checked += page.length;
      progress.changed += changes.length;
      options.onProgress?.({ ...progress });
      after = page[page.length - 1]!.record_id;
      if (page.length < pageSize) break;
    }
  }
  return progress;
}

/** Writes the retention columns of many records in one UPDATE … FROM (VALUES …) (PostgreSQL). */
async function updateRetentionMany(
  db: Kysely<Database>,
  changes: readonly { id: string; cols: RetentionColumns }[],
): Promise<void> {
  const rows = changes.map(
    ({ id, cols }) =>
      sql`(${id}, ${cols.retention_ends_on}, ${cols.retention_rule}, ${cols.retention_missing}, ${cols.retention_permanent}, ${cols.schedule_version})`,
  );
  await sql`
    UPDATE records SET
      retention_ends_on = v.ends_on,
      retention_rule = v.rule,
      retention_missing = v.missing,
      retention_permanent = CAST(v.permanent AS integer),
      schedule_version = v.version
    FROM (VALUES ${sql.join(rows)}) AS v (id, ends_on, rule, missing, permanent, version)
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
