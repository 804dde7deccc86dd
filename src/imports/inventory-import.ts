import path from 'node:path';
import { CompiledQuery, type Compilable, type Kysely, type Transaction } from 'kysely';
import { DATE_FIELDS, formatDate, type CaseDates, type IsoDate, type Schedule } from '../rules/index.js';
import type { Database, NewRecordRow } from '../store/schema.js';
import { appendAudit } from '../store/audit.js';
import { chunk } from '../chunk.js';
import {
  DATE_COLUMNS,
  caseRetentionColumns,
  keptWithPairs,
  recomputeRetention,
  unknownClassColumns,
  type RetentionColumns,
} from '../store/inventory.js';
import { isRowError, readCsv, type ReadProgress, type RowError } from './csv.js';
import { describeIssues } from './fields.js';
import { rowChecker, type InventoryRow } from './inventory-rows.js';
import { IntColumn, StringTable } from './string-table.js';

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

/** Rows a statement: 15 columns × 2,000 stays under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const RECORD_BATCH = 2000;
/** Cases a statement: 8 columns × 2,000. */
const CASE_BATCH = 2000;

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

/** The result once every row is checked: nothing imported yet, the bad rows skipped. */
export function checkedResult(rows: number, errors: RowError[]): ImportResult {
  return {
    ok: errors.length === 0,
    rows,
    imported: 0,
    skipped: errors.length,
    cases: 0,
    recomputed: 0,
    errors,
  };
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
  /** Staff import: people marked as having left (their Teams conversation references removed). */
  left?: number;
}

const BIRTH = DATE_FIELDS.indexOf('dateOfBirth');
const DEATH = DATE_FIELDS.indexOf('dateOfDeath');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Every case's known dates and the line each came from, in typed columns: a date is held as the
 * number YYYYMMDD, 0 when not known. A million-row file has over 200,000 cases; held as objects in
 * a map, they and the record ids took about 200 MB and slowed every garbage collection.
 */
class CaseDateTable {
  readonly refs = new StringTable();
  private readonly dates = DATE_FIELDS.map(() => new IntColumn());
  private readonly lines = DATE_FIELDS.map(() => new IntColumn());
  /** Dates read from the database that are not `YYYY-MM-DD`, held as negative numbers. */
  private readonly odd = new StringTable();
  private readonly merged = new Int32Array(DATE_FIELDS.length);
  /** Each case's record classes: the first (its number + 1) in a column, any others in a map. */
  private readonly firstClass = new IntColumn();
  private readonly otherClasses = new Map<number, Set<number>>();

  constructor(private readonly classIds: readonly string[]) {}

  /** Notes that the case has a record of this class (an index into the schedule's classes). */
  addClass(index: number, classIndex: number): void {
    const first = this.firstClass.get(index);
    if (first === 0) this.firstClass.set(index, classIndex + 1);
    else if (first !== classIndex + 1) {
      const others = this.otherClasses.get(index) ?? new Set<number>();
      others.add(classIndex);
      this.otherClasses.set(index, others);
    }
  }

  /** The classes of the case's records in this file. */
  classesOf(index: number): string[] {
    const first = this.firstClass.get(index);
    if (first === 0) return [];
    const ids = [this.classIds[first - 1]!];
    for (const other of this.otherClasses.get(index) ?? []) ids.push(this.classIds[other]!);
    return ids;
  }

  get size(): number {
    return this.refs.size;
  }

  private encode(date: IsoDate): number {
    if (ISO_DATE.test(date)) {
      return Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
    }
    const known = this.odd.indexOf(date);
    return -1 - (known === -1 ? this.odd.add(date) : known);
  }

  private decode(value: number): IsoDate {
    if (value < 0) return this.odd.keyAt(-1 - value);
    return `${pad(Math.floor(value / 10000), 4)}-${pad(Math.floor(value / 100) % 100, 2)}-${pad(value % 100, 2)}`;
  }

  /** The case's dates, as the rules take them. */
  datesOf(index: number): CaseDates {
    const dates: CaseDates = {};
    DATE_FIELDS.forEach((field, f) => {
      const value = this.dates[f]!.get(index);
      if (value !== 0) dates[field] = this.decode(value);
    });
    return dates;
  }

  /** Keeps a date read from the database for each date this file does not give. */
  keepKnown(index: number, dates: CaseDates): void {
    DATE_FIELDS.forEach((field, f) => {
      const value = dates[field];
      if (value && this.dates[f]!.get(index) === 0) this.dates[f]!.set(index, this.encode(value));
    });
  }

  /**
   * Merges a row's dates into its case. A different non-empty date for the same case, or a death
   * before the birth across rows, rejects the row, and a rejected row adds no dates at all.
   */
  merge(index: number, row: InventoryRow, line: number): string | null {
    const merged = this.merged;
    for (let f = 0; f < DATE_FIELDS.length; f++) {
      const column = DATE_COLUMNS[DATE_FIELDS[f]!];
      const value = row[column];
      const known = this.dates[f]!.get(index);
      if (!value) {
        merged[f] = known;
        continue;
      }
      const encoded = this.encode(value);
      if (known !== 0 && known !== encoded) {
        return `${column} ${formatDate(value)} conflicts with ${formatDate(this.decode(known))} on line ${this.lines[f]!.get(index)} for case ${row.case_ref}`;
      }
      merged[f] = encoded;
    }
    const birth = merged[BIRTH]!;
    const death = merged[DEATH]!;
    if (birth !== 0 && death !== 0 && this.decode(death) < this.decode(birth)) {
      const birthLine = this.dates[BIRTH]!.get(index) !== 0 ? this.lines[BIRTH]!.get(index) : line;
      return `date_of_death is before the date of birth (${formatDate(this.decode(birth))} on line ${birthLine})`;
    }
    for (let f = 0; f < DATE_FIELDS.length; f++) {
      if (merged[f] !== 0 && this.dates[f]!.get(index) === 0) {
        this.dates[f]!.set(index, merged[f]!);
        this.lines[f]!.set(index, line);
      }
    }
    return null;
  }
}

/** The columns of a record row, in the order the batch statement lists them. */
const RECORD_COLUMNS = [
  'record_id',
  'case_ref',
  'record_class',
  'title',
  'format',
  'location',
  'retention_ends_on',
  'retention_rule',
  'retention_missing',
  'retention_permanent',
  'schedule_version',
  'retention_kept_with',
  'retention_action',
  'destroyed_on',
  'updated_at',
] as const satisfies readonly (keyof NewRecordRow)[];

const CASE_COLUMNS = [
  'case_ref',
  'date_of_birth',
  'date_of_death',
  'closed_on',
  'adoption_order_on',
  'approval_ended_on',
  'last_contact_on',
  'updated_at',
] as const satisfies readonly (keyof Database['cases'])[];

function recordUpsert(trx: Transaction<Database>, rows: NewRecordRow[]) {
  return trx
    .insertInto('records')
    .values(rows)
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
        retention_kept_with: eb.ref('excluded.retention_kept_with'),
        retention_action: eb.ref('excluded.retention_action'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    );
}

function caseUpsert(trx: Transaction<Database>, rows: Database['cases'][]) {
  return trx
    .insertInto('cases')
    .values(rows)
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
    );
}

/**
 * Writes rows in batches. Every full batch has the same statement, so it is built once and run
 * again with each batch's values: building a 26,000-value statement with the query builder took
 * longer than the database took to run it. The first full batch's values are checked against
 * what the builder made of them before the statement is reused.
 */
class BatchWriter<Row extends object> {
  private statement: string | null = null;

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly batchSize: number,
    private readonly columns: readonly (keyof Row)[],
    private readonly build: (trx: Transaction<Database>, rows: Row[]) => Compilable,
  ) {}

  async write(rows: Row[]): Promise<void> {
    const full = rows.length === this.batchSize;
    if (full && this.statement) {
      await this.trx.executeQuery(CompiledQuery.raw(this.statement, this.valuesOf(rows)));
      return;
    }
    const compiled = this.build(this.trx, rows).compile();
    if (full && sameValues(compiled.parameters, this.valuesOf(rows))) this.statement = compiled.sql;
    await this.trx.executeQuery(compiled);
  }

  private valuesOf(rows: Row[]): unknown[] {
    const values: unknown[] = [];
    for (const row of rows) for (const column of this.columns) values.push(row[column]);
    return values;
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** What the checking pass found. */
interface Checked {
  rows: number;
  errors: RowError[];
  badLines: Set<number>;
  cases: CaseDateTable;
}

/**
 * Pass 1: checks every row, and gathers each case's dates. The record ids seen, needed only to
 * find repeated ones, are let go when it ends.
 */
async function checkRows(
  file: string,
  schedule: Schedule,
  check: ReturnType<typeof rowChecker>,
  onProgress: (p: ReadProgress) => void,
): Promise<Checked> {
  const errors: RowError[] = [];
  const badLines = new Set<number>();
  const classIds = schedule.classes.map((c) => c.id);
  const classIndex = new Map(classIds.map((id, i) => [id, i]));
  const cases = new CaseDateTable(classIds);
  const seenRecords = new StringTable();
  const seenOnLine = new IntColumn();
  let rows = 0;
  for await (const item of readCsv(file, INVENTORY_COLUMNS, onProgress)) {
    rows += 1;
    if (isRowError(item)) {
      errors.push(item);
      badLines.add(item.line);
      continue;
    }
    const checked = check(item.values);
    if (!checked.ok) {
      errors.push({ line: item.line, message: describeIssues(checked.error) });
      badLines.add(item.line);
      continue;
    }
    const row = checked.row;
    const earlier = seenRecords.indexOf(row.record_id);
    if (earlier !== -1) {
      errors.push({
        line: item.line,
        message: `record_id ${row.record_id} is already on line ${seenOnLine.get(earlier)}`,
      });
      badLines.add(item.line);
      continue;
    }
    let caseIndex = cases.refs.indexOf(row.case_ref);
    if (caseIndex === -1) caseIndex = cases.refs.add(row.case_ref);
    const conflict = cases.merge(caseIndex, row, item.line);
    if (conflict) {
      errors.push({ line: item.line, message: conflict });
      badLines.add(item.line);
      continue;
    }
    seenOnLine.set(seenRecords.add(row.record_id), item.line);
    cases.addClass(caseIndex, classIndex.get(row.record_class)!);
  }
  return { rows, errors, badLines, cases };
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
  const progress = (phase: ImportProgress['phase']) => (p: ReadProgress) =>
    options.onProgress?.({ ...p, phase });
  const { rows, errors, badLines, cases } = await checkRows(
    file,
    schedule,
    rowChecker(schedule, options.today),
    progress('checking'),
  );

  const result = checkedResult(rows, errors);
  if (errors.length && !options.skipInvalid) return { ...result, skipped: rows };
  // A case whose only rows were bad is not imported.
  const caseIndexes = Array.from({ length: cases.size }, (_, i) => i);
  const at = options.now().toISOString();

  const pairs = keptWithPairs(schedule);
  await db.transaction().execute(async (trx) => {
    // Cases stored before whose records must be worked out again afterwards: their dates change,
    // or a class kept with another meets it across the file and the records already stored.
    // (Nothing to look up when no case is stored yet, as on a first import.)
    const changedCases = new Set<string>();
    const anyCase = await trx.selectFrom('cases').select('case_ref').limit(1).executeTakeFirst();
    for (const indexes of anyCase ? chunk(caseIndexes, 500) : []) {
      const byRef = new Map(indexes.map((i) => [cases.refs.keyAt(i), i]));
      const existing = await trx
        .selectFrom('cases')
        .selectAll()
        .where('case_ref', 'in', [...byRef.keys()])
        .execute();
      if (pairs.length && existing.length) {
        const stored = await trx
          .selectFrom('records')
          .select(['case_ref', 'record_class'])
          .distinct()
          .where(
            'case_ref',
            'in',
            existing.map((c) => c.case_ref),
          )
          .execute();
        const classes = new Map<string, Set<string>>();
        for (const r of stored) {
          const set = classes.get(r.case_ref) ?? new Set(cases.classesOf(byRef.get(r.case_ref)!));
          set.add(r.record_class);
          classes.set(r.case_ref, set);
        }
        for (const [ref, set] of classes) {
          if (pairs.some(([a, b]) => set.has(a) && set.has(b))) changedCases.add(ref);
        }
      }
      for (const row of existing) {
        // An empty cell means "not known to this file": a date known from an earlier import stays.
        const index = byRef.get(row.case_ref)!;
        const stored: CaseDates = {};
        for (const f of DATE_FIELDS) stored[f] = row[DATE_COLUMNS[f]];
        cases.keepKnown(index, stored);
        const dates = cases.datesOf(index);
        if (DATE_FIELDS.some((f) => (dates[f] ?? null) !== row[DATE_COLUMNS[f]]))
          changedCases.add(row.case_ref);
      }
    }
    const caseWriter = new BatchWriter(trx, CASE_BATCH, CASE_COLUMNS, caseUpsert);
    for (const indexes of chunk(caseIndexes, CASE_BATCH)) {
      await caseWriter.write(
        indexes.map((index) => {
          const dates = cases.datesOf(index);
          return {
            case_ref: cases.refs.keyAt(index),
            date_of_birth: dates.dateOfBirth ?? null,
            date_of_death: dates.dateOfDeath ?? null,
            closed_on: dates.closedOn ?? null,
            adoption_order_on: dates.adoptionOrderOn ?? null,
            approval_ended_on: dates.approvalEndedOn ?? null,
            last_contact_on: dates.lastContactOn ?? null,
            updated_at: at,
          };
        }),
      );
    }

    // Pass 2: write the good rows, with their retention worked out from the merged case dates
    // and the classes of the case's records in the file. A case's rows usually come together, so
    // its retention is worked out once for the run of rows.
    const writer = new BatchWriter(trx, RECORD_BATCH, RECORD_COLUMNS, recordUpsert);
    const unknown = unknownClassColumns(schedule);
    let batch: NewRecordRow[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await writer.write(batch);
      result.imported += batch.length;
      batch = [];
    };
    let lastCase = -1;
    let retentionByClass = new Map<string, RetentionColumns>();
    for await (const item of readCsv(file, INVENTORY_COLUMNS, progress('writing'))) {
      if (isRowError(item) || badLines.has(item.line)) continue;
      const v = item.values as Record<(typeof INVENTORY_COLUMNS)[number], string>;
      const caseIndex = cases.refs.indexOf(v.case_ref);
      if (caseIndex !== lastCase) {
        lastCase = caseIndex;
        retentionByClass = caseRetentionColumns(
          schedule,
          cases.classesOf(caseIndex),
          cases.datesOf(caseIndex),
        );
      }
      const retention = retentionByClass.get(v.record_class) ?? unknown;
      batch.push({
        record_id: v.record_id,
        case_ref: v.case_ref,
        record_class: v.record_class,
        title: v.title,
        format: v.format,
        location: v.location,
        retention_ends_on: retention.retention_ends_on,
        retention_rule: retention.retention_rule,
        retention_missing: retention.retention_missing,
        retention_permanent: retention.retention_permanent,
        schedule_version: retention.schedule_version,
        retention_kept_with: retention.retention_kept_with,
        retention_action: retention.retention_action,
        destroyed_on: null,
        updated_at: at,
      });
      if (batch.length >= RECORD_BATCH) await flush();
    }
    await flush();
    if (changedCases.size) {
      const recomputed = await recomputeRetention(trx, schedule, { caseRefs: [...changedCases] });
      result.recomputed = recomputed.changed;
    }
    result.cases = cases.size;
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
