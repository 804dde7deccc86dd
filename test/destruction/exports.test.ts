import { PassThrough } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificatePdf } from '../../src/exports/certificate-pdf.js';
import {
  describeChecks,
  describeHoldChecks,
  REGISTER_COLUMNS,
  registerCsv,
  registerXlsx,
} from '../../src/exports/register-export.js';
import { classTitle, defaultSchedule, ruleLabel, type HoldTypeCheck } from '../../src/rules/index.js';
import type { BatchView, RegisterEntry } from '../../src/services/destruction.js';
import type { Database } from '../../src/store/schema.js';
import { inventoryRow } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';
import { expectOk, LOGS_CHECKED, openFixture, RITA, SAM, type Fixture } from './fixture.js';

const RECORDS = 60;
const PRIVATE_TITLE = 'Smith family file';
forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let fx: Fixture;
  let batch: BatchView;
  let entries: RegisterEntry[];
  let dbRows: Database['destruction_register'][];
  let datesOfBirth: string[];

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    const rows = Array.from({ length: RECORDS }, (_, i) =>
      inventoryRow({
        record_id: `LL-${String(i).padStart(4, '0')}`,
        case_ref: `CASE-${Math.floor(i / 2)}`,
        record_class: 'child-in-need',
        title: PRIVATE_TITLE,
        format: i % 3 === 0 ? 'paper' : 'electronic',
        date_of_birth:
          i % 2 === 0 ? `19${String(50 + (i % 40)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}` : '',
        closed_on: i % 4 === 0 ? '2010-04-01' : '',
      }),
    );
    datesOfBirth = rows.map((r) => r.date_of_birth).filter(Boolean);
    fx = await openFixture(dbs, dir, 'exports', rows, { now: '2026-11-25T09:00:00.000Z' });
    batch = expectOk(await fx.service.createBatch(RITA, { filter: {} })).batch;
    fx.clock.set('2026-11-25T15:30:00.000Z');
    batch = expectOk(
      await fx.service.confirm(SAM, batch.id, { logChecks: LOGS_CHECKED, expectedVersion: 1 }),
    ).batch;
    entries = expectOk(await fx.service.register(RITA, { batchId: batch.reference, pageSize: 1000 })).entries;
    dbRows = await fx.store.db.selectFrom('destruction_register').selectAll().execute();
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  function readCsv(text: string): string[][] {
    const rows: string[][] = parse(text, { bom: true });
    return rows;
  }

  /** exceljs reads an ArrayBuffer. */
  function arrayBuffer(bytes: Buffer): ArrayBuffer {
    return new Uint8Array(bytes).slice().buffer;
  }

  /** The register as CSV text, read from its stream. */
  const csvOf = (rows: readonly RegisterEntry[]) => text(registerCsv(rows));

  /** The register as an Excel file, written to a stream and collected. */
  async function xlsxOf(rows: readonly RegisterEntry[]): Promise<ArrayBuffer> {
    const out = new PassThrough();
    const collected = buffer(out);
    await registerXlsx(rows, out);
    return arrayBuffer(await collected);
  }

  /** A certificate's bytes, read from its stream. */
  const pdfOf = async (...args: Parameters<typeof certificatePdf>) => buffer(await certificatePdf(...args));

  /** What each export column must hold for a register row, straight from the database. */
  function expectedCells(row: Database['destruction_register']): Record<string, string | number> {
    return {
      id: row.id,
      batch_reference: batch.reference,
      batch_id: row.batch_id,
      record_id: row.record_id,
      record_class_title: classTitle(defaultSchedule, row.record_class),
      record_class: row.record_class,
      case_ref: row.case_ref,
      format: row.format,
      earliest_date: row.earliest_date ?? '',
      latest_date: row.latest_date ?? '',
      schedule_version: row.schedule_version,
      rule_label: row.rule_id ? ruleLabel(defaultSchedule, row.rule_id, row.record_class) : '',
      rule_id: row.rule_id ?? '',
      period: row.period,
      trigger_field: row.trigger_field === 'dateOfBirth' ? 'date of birth' : String(row.trigger_field),
      trigger_date: row.trigger_date ?? '',
      retention_ended_on: row.retention_ended_on ?? '',
      kept_with_title: '',
      kept_with: '',
      checks: describeChecks(JSON.parse(row.checks) as RegisterEntry['checks']),
      hold_checks: describeHoldChecks(JSON.parse(row.hold_checks!) as HoldTypeCheck[]),
      review_decision: '',
      authorised_by: row.authorised_by,
      authorised_by_name: 'Rita Records',
      authorised_by_role: 'Records Management officer',
      authorised_at: row.authorised_at,
      destroyed_by: row.destroyed_by,
      destroyed_by_name: 'Sam Shredder',
      destroyed_by_role: 'Records Management officer',
      destroyed_on: row.destroyed_on,
      method:
        row.format === 'paper' ? 'Confidential waste: cross-cut shredding' : 'Secure deletion from Livelink',
      certificate_ref: row.certificate_ref ?? '',
      quantity: row.quantity,
      created_at: row.created_at,
    };
  }

  describe('register exports', () => {
    it('has a column for every register field', () => {
      const keys = REGISTER_COLUMNS.map((c) => c.key);
      for (const column of Object.keys(dbRows[0]!)) expect(keys).toContain(column);
      expect(entries).toHaveLength(RECORDS);
      expect(dbRows).toHaveLength(RECORDS);
    });

    it('CSV: a header and exactly one line per register entry, every column', async () => {
      const csv = await csvOf(entries);
      const [header, ...lines] = readCsv(csv);
      expect(header).toEqual(REGISTER_COLUMNS.map((c) => c.header));
      expect(lines).toHaveLength(dbRows.length);
      const byId = new Map(lines.map((l) => [l[0], l]));
      expect([...byId.keys()].sort()).toEqual(dbRows.map((r) => r.id).sort());
      for (const row of dbRows) {
        const line = byId.get(row.id)!;
        const expected = expectedCells(row);
        REGISTER_COLUMNS.forEach((c, i) => expect(line[i], c.key).toBe(String(expected[c.key])));
      }
      expect(csv).not.toContain(PRIVATE_TITLE);
    });

    it('keeps no child’s date of birth: only the year of a birth trigger, no birth in the date range', async () => {
      const csv = await csvOf(entries);
      expect(datesOfBirth.length).toBeGreaterThan(10);
      for (const dob of datesOfBirth) expect(csv).not.toContain(dob);
      for (const e of entries.filter((x) => x.triggerField === 'dateOfBirth')) {
        expect(e.triggerDate).toMatch(/^\d{4}$/);
      }
      expect(entries.some((e) => e.earliestDate === '2010-04-01')).toBe(true);
    });

    it('names, for each hold type, the outside log checked, by whom (with their role) and when', () => {
      const cell = describeHoldChecks(entries[0]!.holdChecks);
      expect(cell.split('\n')).toEqual([
        'Litigation: none in force in this app; litigation log (Legal Services) checked by Sam Shredder (Records Management officer) at 2026-11-25T15:30:00.000Z',
        'Claim: none in force in this app; claims log (Legal Services) checked by Sam Shredder (Records Management officer) at 2026-11-25T15:30:00.000Z',
        'Subject access request: none in force in this app; subject access request log (Information Governance) checked by Sam Shredder (Records Management officer) at 2026-11-25T15:30:00.000Z',
        'FOI request: none in force in this app; FOI request log (Information Governance) checked by Sam Shredder (Records Management officer) at 2026-11-25T15:30:00.000Z',
        'Inquiry: none in force in this app',
        'Other: none in force in this app',
      ]);
    });

    it('CSV: a cell that would be read as a formula is made harmless', async () => {
      const evil = { ...entries[0]!, period: '=HYPERLINK("http://example.test")' };
      const [, line] = readCsv(await csvOf([evil]));
      expect(line![REGISTER_COLUMNS.findIndex((c) => c.key === 'period')]).toBe(
        `'=HYPERLINK("http://example.test")`,
      );
    });

    it('XLSX: one sheet "Destruction register", bold header, exactly the register rows', async () => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await xlsxOf(entries));
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['Destruction register']);
      const sheet = workbook.getWorksheet('Destruction register')!;
      const header = sheet.getRow(1);
      expect(REGISTER_COLUMNS.map((_, i) => header.getCell(i + 1).value)).toEqual(
        REGISTER_COLUMNS.map((c) => c.header),
      );
      expect(header.getCell(1).font?.bold).toBe(true);
      expect(sheet.rowCount).toBe(dbRows.length + 1);
      const byId = new Map<string, ExcelJS.Row>();
      for (let r = 2; r <= sheet.rowCount; r += 1) byId.set(sheet.getRow(r).getCell(1).text, sheet.getRow(r));
      expect([...byId.keys()].sort()).toEqual(dbRows.map((r) => r.id).sort());
      for (const row of dbRows) {
        const cells = byId.get(row.id)!;
        const expected = expectedCells(row);
        REGISTER_COLUMNS.forEach((c, i) =>
          expect(cells.getCell(i + 1).value ?? '', c.key).toEqual(expected[c.key]),
        );
      }
    });

    it('an empty register still has its header', async () => {
      expect((await csvOf([])).replace(/^\uFEFF/, '').trim()).toBe(
        REGISTER_COLUMNS.map((c) => c.header).join(','),
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await xlsxOf([]));
      expect(workbook.getWorksheet('Destruction register')!.rowCount).toBe(1);
    });
  });

  async function pdfText(buffer: Buffer): Promise<{ text: string; pages: number }> {
    const parser = new PDFParse({ data: new Uint8Array(buffer) });
    try {
      const result = await parser.getText();
      return { text: result.text, pages: result.total };
    } finally {
      await parser.destroy();
    }
  }

  describe('certificate of destruction', () => {
    it('names the batch, each record’s method, the people and their roles, the logs checked, count and every record, over several pages', async () => {
      const { text, pages } = await pdfText(await pdfOf(batch, entries));
      const flat = text.replace(/\s+/g, ' ');
      expect(pages).toBeGreaterThan(1);
      expect(text).toContain('Certificate of destruction');
      expect(text).toContain('Records Management Service');
      expect(text).toContain(batch.reference);
      expect(flat).toContain('Confidential waste: cross-cut shredding');
      expect(flat).toContain('Secure deletion from Livelink');
      expect(flat).toContain('Rita Records (Records Management officer), 25 November 2026');
      expect(flat).toContain('Sam Shredder (Records Management officer), 25 November 2026');
      expect(flat).toContain(
        'Logs held outside the app, checked by Sam Shredder (Records Management officer)',
      );
      expect(flat).toContain('FOI request log (Information Governance)');
      expect(text).toContain(`Records destroyed: ${RECORDS}`);
      for (const e of entries) expect(text).toContain(e.recordId);
      expect(text).toContain(`page ${pages} of ${pages}`);
      expect(text).not.toContain(PRIVATE_TITLE);
      // Classes and rules by the names people use, never their ids.
      expect(flat).toContain('Child in need record (section 17)');
      for (const e of entries) {
        expect(e.ruleLabel).toBeTruthy();
        expect(flat).not.toContain(e.recordClass);
        expect(flat).not.toContain(e.ruleId);
      }
    });

    it('takes the council name for its heading', async () => {
      const { text } = await pdfText(
        await pdfOf(batch, entries.slice(0, 1), { organisation: 'Hertfordshire County Council' }),
      );
      expect(text).toContain('Hertfordshire County Council');
    });

    it('is only made for a confirmed batch, and only from its own entries', async () => {
      const waiting = {
        ...batch,
        status: 'awaiting_confirmation' as const,
        confirmedBy: null,
        confirmedAt: null,
      };
      await expect(certificatePdf(waiting, entries)).rejects.toThrow(/has not been confirmed/);
      const stray = { ...entries[0]!, batchId: 'another' };
      await expect(certificatePdf(batch, [stray])).rejects.toThrow(/belongs to another batch/);
    });
  });
});
