import path from 'node:path';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import {
  DATE_FIELDS,
  formatDate,
  type CaseDates,
  type DateField,
  type IsoDate,
  type Schedule,
} from '../rules/index.js';
import type { Database } from '../store/schema.js';
import { appendAudit } from '../store/audit.js';
import { DATE_COLUMNS, chunk, recomputeRetention, retentionColumns } from '../store/inventory.js';
import { isRowError, readCsv, type ReadProgress, type RowError } from './csv.js';
import { describeIssues, identifier, optionalDate, text } from './fields.js';

export const INVENTORY_COLUMNS = [
  'record_id',
  'case_ref',
  'record_class',
  'title',
  'format',
  'location',
  'date_of_birth',
  'date_of_death',
  'closed_on',
  'adoption_order_on',
  'approval_ended_on',
  'last_contact_on',
] as const;

/** Rows a statement: 13 columns × 2,000 stays under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const RECORD_BATCH = 2000;

export interface ImportOptions {
  /** Import the valid rows and skip the bad ones, instead of importing nothing. */
  skipInvalid?: boolean;
  today: IsoDate;
  now: () => Date;
  actorId: string;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress extends ReadProgress {
  phase: 'checking' | 'writing';
}

export interface ImportResult {
  ok: boolean;
  rows: number;
  imported: number;
  skipped: number;
  cases: number;
  /** Records of other files whose retention changed because their case's dates changed. */
  recomputed: number;
  errors: RowError[];
}

function rowSchema(schedule: Schedule, today: IsoDate) {
  const classes = new Set(schedule.classes.map((c) => c.id));
  const date = optionalDate(today);
  return z
    .object({
      record_id: identifier(100),
      case_ref: identifier(50),
      record_class: z
        .string()
        .refine((id) => classes.has(id), 'is not a record class in the retention schedule'),
      title: text(500),
      format: z.enum(['electronic', 'paper'], { error: 'must be electronic or paper' }),
      location: text(200),
      date_of_birth: date,
      date_of_death: date,
      closed_on: date,
      adoption_order_on: date,
      approval_ended_on: date,
      last_contact_on: date,
    })
    .superRefine((row, ctx) => {
      if (row.date_of_birth && row.date_of_death && row.date_of_death < row.date_of_birth) {
        ctx.addIssue({ code: 'custom', path: ['date_of_death'], message: 'is before the date of birth' });
      }
    });
}
type InventoryRow = z.output<ReturnType<typeof rowSchema>>;

interface CaseEntry {
  dates: CaseDates;
  /** The line each known date came from, to explain conflicts. */
  lines: Partial<Record<DateField, number>>;
}

/**
 * Merges a row's dates into its case. A different non-empty date for the same case, or a death
 * before the birth across rows, rejects the row, and a rejected row adds no dates at all.
 */
function mergeCaseDates(entry: CaseEntry, row: InventoryRow, line: number): string | null {
  const dates = { ...entry.dates };
  const lines = { ...entry.lines };
  for (const field of DATE_FIELDS) {
    const value = row[DATE_COLUMNS[field]];
    if (!value) continue;
    const known = dates[field];
    if (known && known !== value) {
      return `${DATE_COLUMNS[field]} ${formatDate(value)} conflicts with ${formatDate(known)} on line ${lines[field]} for case ${row.case_ref}`;
    }
    if (!known) {
      dates[field] = value;
      lines[field] = line;
    }
  }
  if (dates.dateOfBirth && dates.dateOfDeath && dates.dateOfDeath < dates.dateOfBirth) {
    return `date_of_death is before the date of birth (${formatDate(dates.dateOfBirth)} on line ${lines.dateOfBirth})`;
  }
  entry.dates = dates;
  entry.lines = lines;
  return null;
}

/**
 * Imports a records inventory CSV: validates every row first; writes nothing if any row is bad
 * (unless `skipInvalid`); then upserts cases and records in one transaction, computing each
 * record's retention end. Re-importing the same file changes nothing.
 */
export async function importInventory(
  db: Kysely<Database>,
  schedule: Schedule,
  file: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const schema = rowSchema(schedule, options.today);
  const errors: RowError[] = [];
  const badLines = new Set<number>();
  const cases = new Map<string, CaseEntry>();
  const seenRecords = new Map<string, number>();
  let rows = 0;
  const progress = (phase: ImportProgress['phase']) => (p: ReadProgress) =>
    options.onProgress?.({ ...p, phase });

  // Pass 1: check every row, and gather each case's dates.
  for await (const item of readCsv(file, INVENTORY_COLUMNS, progress('checking'))) {
    rows += 1;
    if (isRowError(item)) {
      errors.push(item);
      badLines.add(item.line);
      continue;
    }
    const parsed = schema.safeParse(item.values);
    if (!parsed.success) {
      errors.push({ line: item.line, message: describeIssues(parsed.error) });
      badLines.add(item.line);
      continue;
    }
    const row = parsed.data;
    const earlier = seenRecords.get(row.record_id);
    if (earlier !== undefined) {
      errors.push({ line: item.line, message: `record_id ${row.record_id} is already on line ${earlier}` });
      badLines.add(item.line);
      continue;
    }
    let entry = cases.get(row.case_ref);
    if (!entry) {
      entry = { dates: {}, lines: {} };
      cases.set(row.case_ref, entry);
    }
    const conflict = mergeCaseDates(entry, row, item.line);
    if (conflict) {
      errors.push({ line: item.line, message: conflict });
      badLines.add(item.line);
      continue;
    }
    seenRecords.set(row.record_id, item.line);
  }

  const result: ImportResult = {
    ok: errors.length === 0,
    rows,
    imported: 0,
    skipped: errors.length,
    cases: 0,
    recomputed: 0,
    errors,
  };
  if (errors.length && !options.skipInvalid) {
    result.skipped = rows;
    return result;
  }
  // A case whose only rows were bad is not imported.
  const caseRefs = [...cases.keys()];
  const at = options.now().toISOString();

  await db.transaction().execute(async (trx) => {
    // Which cases' dates change, so records imported earlier can be recomputed.
    const changedCases: string[] = [];
    for (const refs of chunk(caseRefs, 500)) {
      const existing = await trx.selectFrom('cases').selectAll().where('case_ref', 'in', refs).execute();
      for (const row of existing) {
        // An empty cell means "not known to this file": a date known from an earlier import stays.
        const dates = cases.get(row.case_ref)!.dates;
        for (const f of DATE_FIELDS) dates[f] ??= row[DATE_COLUMNS[f]];
        if (DATE_FIELDS.some((f) => (dates[f] ?? null) !== row[DATE_COLUMNS[f]]))
          changedCases.push(row.case_ref);
      }
    }
    for (const refs of chunk(caseRefs, 500)) {
      const values = refs.map((ref) => {
        const dates = cases.get(ref)!.dates;
        return {
          case_ref: ref,
          date_of_birth: dates.dateOfBirth ?? null,
          date_of_death: dates.dateOfDeath ?? null,
          closed_on: dates.closedOn ?? null,
          adoption_order_on: dates.adoptionOrderOn ?? null,
          approval_ended_on: dates.approvalEndedOn ?? null,
          last_contact_on: dates.lastContactOn ?? null,
          updated_at: at,
        };
      });
      await trx
        .insertInto('cases')
        .values(values)
        .onConflict((oc) =>
          oc.column('case_ref').doUpdateSet((eb) => ({
            date_of_birth: eb.ref('excluded.date_of_birth'),
            date_of_death: eb.ref('excluded.date_of_death'),
            closed_on: eb.ref('excluded.closed_on'),
            adoption_order_on: eb.ref('excluded.adoption_order_on'),
            approval_ended_on: eb.ref('excluded.approval_ended_on'),
            last_contact_on: eb.ref('excluded.last_contact_on'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }

    // Pass 2: write the good rows, with their retention worked out from the merged case dates.
    let batch: Database['records'][] = [];
    const flush = async () => {
      if (!batch.length) return;
      await trx
        .insertInto('records')
        .values(batch)
        .onConflict((oc) =>
          oc.column('record_id').doUpdateSet((eb) => ({
            case_ref: eb.ref('excluded.case_ref'),
            record_class: eb.ref('excluded.record_class'),
            title: eb.ref('excluded.title'),
            format: eb.ref('excluded.format'),
            location: eb.ref('excluded.location'),
            retention_ends_on: eb.ref('excluded.retention_ends_on'),
            retention_rule: eb.ref('excluded.retention_rule'),
            retention_missing: eb.ref('excluded.retention_missing'),
            retention_permanent: eb.ref('excluded.retention_permanent'),
            schedule_version: eb.ref('excluded.schedule_version'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      result.imported += batch.length;
      batch = [];
    };
    for await (const item of readCsv(file, INVENTORY_COLUMNS, progress('writing'))) {
      if (isRowError(item) || badLines.has(item.line)) continue;
      const v = item.values as Record<(typeof INVENTORY_COLUMNS)[number], string>;
      const dates = cases.get(v.case_ref)!.dates;
      batch.push({
        record_id: v.record_id,
        case_ref: v.case_ref,
        record_class: v.record_class,
        title: v.title,
        format: v.format,
        location: v.location,
        ...retentionColumns(schedule, v.record_class, dates),
        destroyed_on: null,
        updated_at: at,
      });
      if (batch.length >= RECORD_BATCH) await flush();
    }
    await flush();
    if (changedCases.length) {
      const recomputed = await recomputeRetention(trx, schedule, { caseRefs: changedCases });
      result.recomputed = recomputed.changed;
    }
    result.cases = caseRefs.length;
    await appendAudit(trx, {
      at,
      actorId: options.actorId,
      action: 'inventory.imported',
      entityType: 'inventory',
      entityId: path.basename(file),
      details: {
        rows,
        imported: result.imported,
        skipped: result.skipped,
        cases: result.cases,
        scheduleVersion: schedule.version,
      },
    });
  });
  return result;
}
