import { once } from 'node:events';
import { pipeline, Readable, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { DATE_FIELD_LABELS, DESTRUCTION_CHECK_LABELS, type DateField } from '../rules/index.js';
import type { RegisterEntry } from '../services/destruction-views.js';

// The destruction register as CSV and Excel, for keeping on Livelink (procedure section 2) and
// for anyone asked to explain why a record is no longer held. References and staff names only.

export interface RegisterColumn {
  /** Machine name, the register's own column name where there is one. */
  key: string;
  header: string;
  /** Excel column width, in characters. */
  width: number;
  value(entry: RegisterEntry): string | number;
}

/** Each check on its own line: "Passed – Retention period ended: Retention ended on … (checked …)". */
export function describeChecks(checks: RegisterEntry['checks']): string {
  return checks
    .map(
      (c) =>
        `${c.passed ? 'Passed' : 'Failed'} – ${DESTRUCTION_CHECK_LABELS[c.id] ?? c.id}: ${c.detail} (checked ${c.checkedAt})`,
    )
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
  { key: 'record_class', header: 'Record class', width: 24, value: (e) => e.recordClass },
  { key: 'case_ref', header: 'Case reference', width: 16, value: (e) => e.caseRef },
  { key: 'format', header: 'Format', width: 12, value: (e) => e.format },
  { key: 'earliest_date', header: 'Earliest date', width: 13, value: (e) => e.earliestDate ?? '' },
  { key: 'latest_date', header: 'Latest date', width: 13, value: (e) => e.latestDate ?? '' },
  { key: 'schedule_version', header: 'Schedule version', width: 10, value: (e) => e.scheduleVersion },
  { key: 'rule_id', header: 'Rule', width: 24, value: (e) => e.ruleId ?? '' },
  { key: 'period', header: 'Retention period', width: 40, value: (e) => e.period },
  { key: 'trigger_field', header: 'Counted from', width: 16, value: (e) => triggerLabel(e.triggerField) },
  { key: 'trigger_date', header: 'Trigger date', width: 13, value: (e) => e.triggerDate ?? '' },
  {
    key: 'retention_ended_on',
    header: 'Retention ended on',
    width: 13,
    value: (e) => e.retentionEndedOn ?? '',
  },
  { key: 'checks', header: 'Pre-destruction checks', width: 60, value: (e) => describeChecks(e.checks) },
  { key: 'authorised_by', header: 'Authorised by (ID)', width: 38, value: (e) => e.authorisedBy.id },
  { key: 'authorised_by_name', header: 'Authorised by', width: 22, value: (e) => e.authorisedBy.name },
  { key: 'authorised_at', header: 'Authorised at', width: 25, value: (e) => e.authorisedAt },
  { key: 'destroyed_by', header: 'Destroyed by (ID)', width: 38, value: (e) => e.destroyedBy.id },
  { key: 'destroyed_by_name', header: 'Destroyed by', width: 22, value: (e) => e.destroyedBy.name },
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

/**
 * A text cell a spreadsheet would read as a formula (=, +, -, @, tab, carriage return) gets a
 * leading apostrophe, so opening the CSV never runs anything.
 */
function safeCell(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

type Entries = AsyncIterable<RegisterEntry> | Iterable<RegisterEntry>;

/** Excel rows written between looks at whether the reader has caught up. */
const ROWS_BETWEEN_WAITS = 200;

/**
 * The register as CSV (UTF-8 with a byte-order mark, so Excel shows names correctly), as a stream:
 * entries are read as the file is sent, never all held at once.
 */
export function registerCsv(entries: Entries): Readable {
  async function* lines() {
    for await (const entry of entries) yield REGISTER_COLUMNS.map((c) => safeCell(c.value(entry)));
  }
  const csv = stringify({
    header: true,
    columns: REGISTER_COLUMNS.map((c) => c.header),
    bom: true,
    record_delimiter: 'windows',
  });
  // An error reading the entries, or the reader going away, ends both streams.
  pipeline(Readable.from(lines()), csv, () => undefined);
  return csv;
}

/**
 * The register as an Excel workbook with one sheet, "Destruction register", written to `out` as it
 * is made (each row committed as it is read). Stops if `out` goes away.
 */
export async function registerXlsx(entries: Entries, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Case Records Assistant';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet('Destruction register', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = REGISTER_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.key === 'checks' ? { style: { alignment: { wrapText: true, vertical: 'top' } } } : {}),
  }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: REGISTER_COLUMNS.length } };
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  let written = 0;
  for await (const entry of entries) {
    sheet.addRow(Object.fromEntries(REGISTER_COLUMNS.map((c) => [c.key, c.value(entry)]))).commit();
    // exceljs writes on regardless of the reader: wait for it now and then, so a slow download
    // holds a few rows in memory, not the register.
    if (++written % ROWS_BETWEEN_WAITS === 0 && out.writableNeedDrain)
      await Promise.race([once(out, 'drain'), once(out, 'close')]);
    if (out.destroyed) throw new Error('The download was abandoned.');
  }
  sheet.commit();
  await workbook.commit();
}
