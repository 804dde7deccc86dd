import { once } from 'node:events';
import { pipeline, Readable, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type ExcelJS from 'exceljs';
import {
  DATE_FIELD_LABELS,
  DESTRUCTION_CHECK_LABELS,
  describeDisposition,
  type DateField,
  type HoldTypeCheck,
} from '../rules/index.js';
import type { RegisterEntry } from '../services/destruction-views.js';
import type { DecisionView } from '../services/disposition.js';

// The destruction register as CSV and Excel, for keeping on Livelink (procedure section 2) and
// for anyone asked to explain why a record is no longer held. References and staff names only.

interface Column<T> {
  /** Machine name, the register's own column name where there is one. */
  key: string;
  header: string;
  /** Excel column width, in characters. */
  width: number;
  value(row: T): string | number;
}

export type RegisterColumn = Column<RegisterEntry>;

/** Each check on its own line: "Passed – Retention period ended: Retention ended on … (checked …)". */
export function describeChecks(checks: RegisterEntry['checks']): string {
  return checks
    .map(
      (c) =>
        `${c.passed ? 'Passed' : 'Failed'} – ${DESTRUCTION_CHECK_LABELS[c.id] ?? c.id}: ${c.detail} (checked ${c.checkedAt})`,
    )
    .join('\n');
}

/** Each hold type on its own line: the product's holds, and the outside log with who checked it when. */
export function describeHoldChecks(checks: readonly HoldTypeCheck[] | null): string {
  if (!checks) return '';
  return checks
    .map((c) => {
      const log = c.externalLog
        ? `; ${c.externalLog.log} checked by ${c.externalLog.checkedBy.name} (${c.externalLog.checkedBy.role}) at ${c.externalLog.checkedAt}`
        : '';
      return `${c.label}: ${c.inProduct} in this app${log}`;
    })
    .join('\n');
}

function triggerLabel(field: string | null): string {
  if (!field) return '';
  return DATE_FIELD_LABELS[field as DateField] ?? field;
}

/** Every column of the register, in order, with the people's names beside their ids. */
export const REGISTER_COLUMNS: readonly RegisterColumn[] = [
  { key: 'id', header: 'Entry ID', width: 38, value: (e) => e.id },
  { key: 'batch_reference', header: 'Batch reference', width: 16, value: (e) => e.batchReference ?? '' },
  { key: 'batch_id', header: 'Batch ID', width: 38, value: (e) => e.batchId },
  { key: 'record_id', header: 'Record ID', width: 18, value: (e) => e.recordId },
  { key: 'record_class_title', header: 'Record class', width: 36, value: (e) => e.classTitle },
  { key: 'record_class', header: 'Record class (ID)', width: 24, value: (e) => e.recordClass },
  { key: 'case_ref', header: 'Case reference', width: 16, value: (e) => e.caseRef },
  { key: 'format', header: 'Format', width: 12, value: (e) => e.format },
  { key: 'earliest_date', header: 'Earliest date', width: 13, value: (e) => e.earliestDate ?? '' },
  { key: 'latest_date', header: 'Latest date', width: 13, value: (e) => e.latestDate ?? '' },
  { key: 'schedule_version', header: 'Schedule version', width: 10, value: (e) => e.scheduleVersion },
  { key: 'rule_label', header: 'Rule', width: 36, value: (e) => e.ruleLabel ?? '' },
  { key: 'rule_id', header: 'Rule (ID)', width: 24, value: (e) => e.ruleId ?? '' },
  { key: 'period', header: 'Retention period', width: 40, value: (e) => e.period },
  { key: 'trigger_field', header: 'Counted from', width: 16, value: (e) => triggerLabel(e.triggerField) },
  { key: 'trigger_date', header: 'Trigger date', width: 13, value: (e) => e.triggerDate ?? '' },
  {
    key: 'retention_ended_on',
    header: 'Retention ended on',
    width: 13,
    value: (e) => e.retentionEndedOn ?? '',
  },
  { key: 'kept_with_title', header: 'Kept with (class)', width: 36, value: (e) => e.keptWithTitle ?? '' },
  { key: 'kept_with', header: 'Kept with (class ID)', width: 24, value: (e) => e.keptWith ?? '' },
  { key: 'checks', header: 'Pre-destruction checks', width: 60, value: (e) => describeChecks(e.checks) },
  {
    key: 'hold_checks',
    header: 'Hold checks by type',
    width: 70,
    value: (e) => describeHoldChecks(e.holdChecks),
  },
  {
    key: 'review_decision',
    header: 'Review decision',
    width: 50,
    value: (e) =>
      e.reviewDecision ? `${describeDisposition(e.reviewDecision)} (${e.reviewDecision.decidedByRole})` : '',
  },
  { key: 'authorised_by', header: 'Authorised by (ID)', width: 38, value: (e) => e.authorisedBy.id },
  { key: 'authorised_by_name', header: 'Authorised by', width: 22, value: (e) => e.authorisedBy.name },
  {
    key: 'authorised_by_role',
    header: 'Authorised by (role)',
    width: 24,
    value: (e) => e.authorisedByRole ?? '',
  },
  { key: 'authorised_at', header: 'Authorised at', width: 25, value: (e) => e.authorisedAt },
  { key: 'destroyed_by', header: 'Destroyed by (ID)', width: 38, value: (e) => e.destroyedBy.id },
  { key: 'destroyed_by_name', header: 'Destroyed by', width: 22, value: (e) => e.destroyedBy.name },
  {
    key: 'destroyed_by_role',
    header: 'Destroyed by (role)',
    width: 24,
    value: (e) => e.destroyedByRole ?? '',
  },
  { key: 'destroyed_on', header: 'Destroyed on', width: 13, value: (e) => e.destroyedOn },
  { key: 'method', header: 'Method', width: 32, value: (e) => e.methodLabel },
  {
    key: 'certificate_ref',
    header: 'Certificate reference',
    width: 20,
    value: (e) => e.certificateRef ?? '',
  },
  { key: 'quantity', header: 'Quantity', width: 9, value: (e) => e.quantity },
  { key: 'created_at', header: 'Entered at', width: 25, value: (e) => e.createdAt },
];

/** The register of review decisions: every decision, transfers to the archives among them. */
export const DECISION_COLUMNS: readonly Column<DecisionView>[] = [
  { key: 'id', header: 'Decision ID', width: 38, value: (d) => d.id },
  { key: 'group_id', header: 'Decided together (group)', width: 38, value: (d) => d.groupId },
  { key: 'record_id', header: 'Record ID', width: 18, value: (d) => d.recordId },
  { key: 'record_class_title', header: 'Record class', width: 36, value: (d) => d.classTitle },
  { key: 'record_class', header: 'Record class (ID)', width: 24, value: (d) => d.recordClass },
  { key: 'case_ref', header: 'Case reference', width: 16, value: (d) => d.caseRef },
  { key: 'decision', header: 'Decision', width: 28, value: (d) => d.decisionLabel },
  { key: 'reason', header: 'Reason', width: 50, value: (d) => d.reason },
  { key: 'keep_years', header: 'Kept for (years)', width: 10, value: (d) => d.keepYears ?? '' },
  { key: 'review_on', header: 'Next review', width: 13, value: (d) => d.reviewOn ?? '' },
  { key: 'archive', header: 'Archive', width: 28, value: (d) => d.archive ?? '' },
  { key: 'accession_ref', header: 'Accession reference', width: 20, value: (d) => d.accessionRef ?? '' },
  {
    key: 'retention_ended_on',
    header: 'Retention ended on',
    width: 13,
    value: (d) => d.retentionEndedOn ?? '',
  },
  { key: 'schedule_version', header: 'Schedule version', width: 10, value: (d) => d.scheduleVersion },
  { key: 'rule_label', header: 'Rule', width: 36, value: (d) => d.ruleLabel ?? '' },
  { key: 'rule_id', header: 'Rule (ID)', width: 24, value: (d) => d.ruleId ?? '' },
  { key: 'kept_with_title', header: 'Kept with (class)', width: 36, value: (d) => d.keptWithTitle ?? '' },
  { key: 'kept_with', header: 'Kept with (class ID)', width: 24, value: (d) => d.keptWith ?? '' },
  { key: 'decided_by', header: 'Decided by (ID)', width: 38, value: (d) => d.decidedBy.id },
  { key: 'decided_by_name', header: 'Decided by', width: 22, value: (d) => d.decidedBy.name },
  { key: 'decided_by_role', header: 'Decided by (role)', width: 24, value: (d) => d.decidedBy.role },
  { key: 'decided_on', header: 'Decided on', width: 13, value: (d) => d.decidedOn },
  { key: 'decided_at', header: 'Decided at', width: 25, value: (d) => d.decidedAt },
];

/**
 * A text cell a spreadsheet would read as a formula (=, +, -, @, tab, carriage return) gets a
 * leading apostrophe, so opening the CSV never runs anything.
 */
function safeCell(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Rows read as the file is made: from a page-at-a-time reader, or already in hand. */
type Rows<T> = AsyncIterable<T> | Iterable<T>;

/** Excel rows written between looks at whether the reader has caught up. */
const ROWS_BETWEEN_WAITS = 200;

/**
 * Rows as CSV (UTF-8 with a byte-order mark, so Excel shows names correctly), as a stream: rows
 * are read as the file is sent, never all held at once.
 */
function csvOf<T>(columns: readonly Column<T>[], rows: Rows<T>): Readable {
  async function* lines() {
    for await (const row of rows) yield columns.map((c) => safeCell(c.value(row)));
  }
  const csv = stringify({
    header: true,
    columns: columns.map((c) => c.header),
    bom: true,
    record_delimiter: 'windows',
  });
  // An error reading the rows, or the reader going away, ends both streams.
  pipeline(Readable.from(lines()), csv, () => undefined);
  return csv;
}

/** The destruction register as CSV, as a stream. */
export function registerCsv(entries: Rows<RegisterEntry>): Readable {
  return csvOf(REGISTER_COLUMNS, entries);
}

/** The register of review decisions as CSV (UTF-8 with a byte-order mark), as a stream. */
export function decisionsCsv(decisions: Rows<DecisionView>): Readable {
  return csvOf(DECISION_COLUMNS, decisions);
}

/**
 * Adds a sheet to a workbook being written and writes `rows` to it as they are read, each row
 * committed at once. exceljs writes on regardless of the reader, so it waits for `out` now and
 * then: a slow download holds a few rows in memory, never the register. Stops if `out` goes away.
 */
async function writeSheet<T>(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  out: Writable,
  name: string,
  columns: readonly Column<T>[],
  rows: Rows<T>,
  wrap: readonly string[],
): Promise<void> {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(wrap.includes(c.key) ? { style: { alignment: { wrapText: true, vertical: 'top' } } } : {}),
  }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  let written = 0;
  for await (const row of rows) {
    sheet.addRow(Object.fromEntries(columns.map((c) => [c.key, c.value(row)]))).commit();
    if (++written % ROWS_BETWEEN_WAITS === 0 && out.writableNeedDrain)
      await Promise.race([once(out, 'drain'), once(out, 'close')]);
    if (out.destroyed) throw new Error('The download was abandoned.');
  }
  sheet.commit();
}

/**
 * The register as an Excel workbook, written to `out` as it is made: a sheet "Destruction
 * register", and with `decisions` a second sheet "Review decisions" (keep, transfer to the
 * archives, keep permanently, destroy).
 */
export async function registerXlsx(
  entries: Rows<RegisterEntry>,
  out: Writable,
  decisions?: Rows<DecisionView>,
): Promise<void> {
  // exceljs is large: loaded the first time a workbook is asked for, not with the app.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Case Records Assistant';
  workbook.created = new Date();
  await writeSheet(workbook, out, 'Destruction register', REGISTER_COLUMNS, entries, [
    'checks',
    'hold_checks',
  ]);
  if (decisions) await writeSheet(workbook, out, 'Review decisions', DECISION_COLUMNS, decisions, ['reason']);
  await workbook.commit();
}
