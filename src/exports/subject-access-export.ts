import ExcelJS from 'exceljs';
import type { Cell, SubjectAccessReport } from '../services/subject-access.js';

// A subject access report as files for Information Governance: JSON (everything, as the product
// holds it) and an Excel workbook to read and redact (a sheet about the report, then a sheet for
// each kind of data held).

export const SUBJECT_ACCESS_TYPES = {
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type SubjectAccessFormat = keyof typeof SUBJECT_ACCESS_TYPES;

/** `subject-access-case-1234567-2026-03-10.json`, `subject-access-person-<id>-….xlsx`. */
export function subjectAccessFileName(report: SubjectAccessReport, format: SubjectAccessFormat): string {
  const who =
    report.subject.kind === 'case'
      ? `case-${report.subject.caseRef}`
      : `person-${report.subject.id ?? report.subject.asked}`;
  const safe = who.replace(/[^A-Za-z0-9@._-]+/g, '-');
  return `subject-access-${safe}-${report.compiledAt.slice(0, 10)}.${format}`;
}

export function subjectAccessJson(report: SubjectAccessReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function cellText(value: Cell | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number') return value;
  return JSON.stringify(value);
}

/** "Case 1234567", "Sam Taylor (sam.taylor@…, staff id …)". */
export function describeSubject(report: SubjectAccessReport): string {
  const s = report.subject;
  if (s.kind === 'case') return `Case ${s.caseRef}`;
  if (!s.id) return `${s.asked} (not in the staff directory)`;
  return `${s.name ?? 'Someone no longer named'} (${s.email ?? 'no email'}, staff id ${s.id})`;
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], and each once. */
function sheetName(title: string, used: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 28)} ${n}`;
  used.add(name.toLowerCase());
  return name;
}

/** The report as an Excel workbook (the whole report is in hand: one subject's data). */
export async function subjectAccessXlsx(report: SubjectAccessReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Case Records Assistant';
  workbook.created = new Date(report.compiledAt);
  const used = new Set<string>();
  const about = workbook.addWorksheet(sheetName('About this report', used));
  about.columns = [
    { header: 'Subject access report', key: 'label', width: 28 },
    { header: '', key: 'value', width: 110, style: { alignment: { wrapText: true, vertical: 'top' } } },
  ];
  about.getRow(1).font = { bold: true };
  const facts: [string, string][] = [
    ['Product', report.product],
    ['About', describeSubject(report)],
    ['Compiled at', report.compiledAt],
    [
      'Compiled by',
      `${report.compiledBy.name ?? report.compiledBy.id} (${report.compiledBy.via === 'tab' ? 'Records Management, in the Teams tab' : 'the command line'})`,
    ],
    ['Held', report.nothingHeld ? 'The product holds nothing about this subject.' : ''],
    ...report.notes.map((note, i): [string, string] => [i === 0 ? 'What is included' : '', note]),
    ...report.sections.map((s): [string, string] => [s.title, `${s.rows.length} row(s). ${s.about}`]),
    ...report.people.map((p, i): [string, string] => [i === 0 ? 'Staff named' : '', `${p.name} (${p.id})`]),
  ];
  for (const [label, value] of facts) about.addRow({ label, value });
  for (const section of report.sections) {
    if (!section.rows.length) continue;
    const sheet = workbook.addWorksheet(sheetName(section.title, used), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    const keys = [...new Set(section.rows.flatMap((r) => Object.keys(r)))];
    sheet.columns = keys.map((key) => ({
      header: key,
      key,
      width: Math.min(60, Math.max(12, key.length + 2)),
      style: { alignment: { wrapText: true, vertical: 'top' } },
    }));
    sheet.getRow(1).font = { bold: true };
    for (const row of section.rows) sheet.addRow(Object.fromEntries(keys.map((k) => [k, cellText(row[k])])));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
