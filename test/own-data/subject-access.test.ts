import ExcelJS from 'exceljs';
import { beforeEach, expect, it } from 'vitest';
import { subjectAccessXlsx } from '../../src/exports/subject-access-export.js';
import { defaultOwnDataSchedule } from '../../src/rules/index.js';
import { PurgeService } from '../../src/services/purge.js';
import {
  SubjectAccessService,
  type SectionRow,
  type SubjectAccessReport,
} from '../../src/services/subject-access.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { STAFF } from '../support/bot-harness.js';
import { forEachDialect } from '../support/temp-store.js';
import { CASE_A, CASE_B, ownDataSuite } from './fixture.js';

// Subject access to the product's own data, on both databases: a case's report holds exactly what
// the product keeps about that case and nothing of its neighbour, a similar case with a history of
// its own; a person's report holds what they did and what is about them. Only Records Management
// may see one in the tab, and every report is audited.

function section(report: SubjectAccessReport, id: string): SectionRow[] {
  const found = report.sections.find((s) => s.id === id);
  if (!found) throw new Error(`no section ${id}`);
  return found.rows;
}

const column = (rows: SectionRow[], key: string) => rows.map((r) => r[key]).sort();

forEachDialect((dialect) => {
  const fx = ownDataSuite(dialect, 'sar');
  let service: SubjectAccessService;

  beforeEach(() => {
    service = new SubjectAccessService(fx.store.db, fx.clock);
  });

  const caseReport = async (caseRef: string) => {
    const outcome = await service.report(STAFF.morgan, { kind: 'case', caseRef });
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome.report;
  };

  it('a case’s report holds exactly its own data, and nothing of the neighbouring case', async () => {
    const a = await caseReport(CASE_A);
    expect(a).toMatchObject({
      subject: { kind: 'case', caseRef: CASE_A },
      compiledBy: { id: STAFF.morgan, name: 'Morgan Ellis', via: 'tab' },
      nothingHeld: false,
    });
    expect(column(section(a, 'case'), 'case_ref')).toEqual([CASE_A]);
    expect(column(section(a, 'records'), 'record_id')).toEqual(['OD-A1', 'OD-A2', 'OD-A3']);
    const requests = [...fx.ids.closedA, fx.ids.recentA, fx.ids.openA].sort();
    expect(column(section(a, 'removal_requests'), 'id')).toEqual(requests);
    expect(new Set(column(section(a, 'request_history'), 'authorisation_id'))).toEqual(new Set(requests));
    expect(section(a, 'request_history')).toHaveLength(3 * 3 + 1);
    expect(column(section(a, 'holds'), 'id')).toEqual([fx.ids.releasedHoldA]);
    expect(column(section(a, 'review_decisions'), 'id')).toEqual([fx.ids.decisionA]);
    expect(column(section(a, 'destruction_register'), 'id')).toEqual([fx.ids.registerA]);
    expect(section(a, 'destruction_batches')).toEqual([
      expect.objectContaining({ record_id: 'OD-A2', outcome: 'destroyed', status: 'confirmed' }),
    ]);
    // The audit entries are about A's requests, holds and records, and every request's are there.
    const audit = section(a, 'audit_entries');
    const about = new Set([...requests, fx.ids.releasedHoldA, 'OD-A1', 'OD-A2', 'OD-A3']);
    expect(audit.every((e) => about.has(e.entity_id as string))).toBe(true);
    for (const id of requests) expect(audit.some((e) => e.entity_id === id)).toBe(true);
    expect(new Set(column(section(a, 'notifications'), 'authorisation_id'))).toEqual(new Set(requests));
    // Staff who acted on A are named; Jo, who acted only on B, is not.
    expect(a.people.map((p) => p.name).sort()).toEqual(
      ['Dana Fox', 'Morgan Ellis', 'Priya Shah', 'Sam Taylor', 'Tom Hughes'].sort(),
    );

    // Nothing of B anywhere in A's report: its reference, records, requests, holds, decisions,
    // register entries, or the staff who acted only on it.
    const text = JSON.stringify(a);
    for (const other of [
      CASE_B,
      'OD-B',
      ...fx.ids.closedB,
      fx.ids.releasedHoldB,
      fx.ids.sarHoldB,
      fx.ids.decisionB,
      fx.ids.registerB,
      'SAR-2019-17',
      'CLM-2019-8',
      STAFF.jo,
      'Jo Patel',
    ]) {
      expect(text, `A's report mentions ${other}`).not.toContain(other);
    }
    // And the other way round.
    const b = await caseReport(CASE_B);
    expect(column(section(b, 'holds'), 'id')).toEqual([fx.ids.releasedHoldB, fx.ids.sarHoldB].sort());
    const bText = JSON.stringify(b);
    for (const other of [
      CASE_A,
      'OD-A',
      ...fx.ids.closedA,
      fx.ids.recentA,
      fx.ids.openA,
      fx.ids.releasedHoldA,
      fx.ids.registerA,
      'LIT-2019-3',
      'Sam Taylor',
    ]) {
      expect(bText, `B's report mentions ${other}`).not.toContain(other);
    }
  });

  it('is audited, and the audit log still verifies', async () => {
    await caseReport(CASE_A);
    const entries = await fx.store.db
      .selectFrom('audit_log')
      .select(['actor_id', 'entity_type', 'entity_id', 'details'])
      .where('action', '=', 'subject_access.reported')
      .execute();
    expect(entries).toEqual([
      expect.objectContaining({
        actor_id: STAFF.morgan,
        entity_type: 'subject_access',
        entity_id: `case:${CASE_A}`,
      }),
    ]);
    expect(JSON.parse(entries[0]!.details)).toMatchObject({ via: 'tab', rows: { removal_requests: 4 } });
    expect(await verifyAudit(fx.store.db)).toMatchObject({ ok: true });
    // A second report lists the first among the case's audit entries.
    const again = await caseReport(CASE_A);
    expect(
      section(again, 'audit_entries').filter((e) => e.action === 'subject_access.reported'),
    ).toHaveLength(1);
  });

  it('only Records Management may see a report; a bad reference is refused; nothing held says so', async () => {
    for (const person of ['sam', 'priya'] as const) {
      const refused = await service.report(STAFF[person], { kind: 'case', caseRef: CASE_A });
      expect(refused).toMatchObject({ ok: false, code: 'not_records_management' });
    }
    expect(await service.report('not-staff', { kind: 'case', caseRef: CASE_A })).toMatchObject({
      ok: false,
      code: 'not_in_directory',
    });
    expect(await service.report(STAFF.morgan, { kind: 'case', caseRef: "x' OR 1=1" })).toMatchObject({
      ok: false,
      code: 'bad_case_ref',
    });
    const none = await caseReport('9999999');
    expect(none.nothingHeld).toBe(true);
    expect(
      await fx.store.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'subject_access.reported')
        .execute(),
    ).toEqual([{ entity_id: 'case:9999999' }]);
  });

  it('a person’s report holds what they did and what is about them, not other people’s requests', async () => {
    const outcome = await service.report(STAFF.morgan, {
      kind: 'person',
      idOrEmail: 'Jo.Patel@council.example',
    });
    if (!outcome.ok) throw new Error(outcome.message);
    const jo = outcome.report;
    expect(jo.subject).toMatchObject({ kind: 'person', id: STAFF.jo, name: 'Jo Patel' });
    expect(column(section(jo, 'staff_directory'), 'aad_object_id')).toEqual([STAFF.jo]);
    expect(column(section(jo, 'removal_requests_made'), 'id')).toEqual([...fx.ids.closedB].sort());
    expect(section(jo, 'conversation_reference')).toEqual([
      expect.objectContaining({ aad_object_id: STAFF.jo, stale_at: expect.any(String) as unknown }),
    ]);
    expect(section(jo, 'notifications').length).toBeGreaterThan(0);
    const text = JSON.stringify(jo);
    for (const other of [...fx.ids.closedA, fx.ids.recentA, fx.ids.openA, CASE_A])
      expect(text).not.toContain(other);

    // Tom decided one request of each case while covering: their references and his decisions, not
    // what the case workers wrote.
    const tomOutcome = await service.report(STAFF.morgan, { kind: 'person', idOrEmail: STAFF.tom });
    if (!tomOutcome.ok) throw new Error(tomOutcome.message);
    const tom = tomOutcome.report;
    expect(column(section(tom, 'requests_decided'), 'id')).toEqual(
      [fx.ids.closedA[1], fx.ids.closedB[1]].sort(),
    );
    expect(JSON.stringify(section(tom, 'requests_decided'))).not.toContain('Court hearing');
    expect(column(section(tom, 'acting_manager_cover'), 'id')).toEqual([fx.ids.coverKept]);
    expect(section(tom, 'removal_requests_made')).toEqual([]);
  });

  it('after a purge, the report no longer holds what the purge removed', async () => {
    await new PurgeService(fx.store.db, fx.clock, defaultOwnDataSchedule).run({ actorId: 'cli' });
    const a = await caseReport(CASE_A);
    expect(column(section(a, 'removal_requests'), 'id')).toEqual([fx.ids.recentA, fx.ids.openA].sort());
    expect(section(a, 'holds')).toEqual([]);
    expect(column(section(a, 'destruction_register'), 'id')).toEqual([fx.ids.registerA]);
  });

  it('writes a workbook with a sheet about the report and one for each kind of data held', async () => {
    const report = await caseReport(CASE_A);
    const workbook = new ExcelJS.Workbook();
    const bytes = await subjectAccessXlsx(report);
    await workbook.xlsx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
    const names = workbook.worksheets.map((w) => w.name);
    expect(names[0]).toBe('About this report');
    expect(names).toEqual(
      expect.arrayContaining(['Removal requests', 'Request history', 'Holds', 'Audit entries']),
    );
    expect(names).not.toContain('Card messages');
    const sheet = workbook.getWorksheet('Removal requests')!;
    expect(sheet.rowCount).toBe(1 + 4);
    const about = workbook.getWorksheet('About this report')!;
    expect(JSON.stringify(about.getSheetValues())).toContain(`Case ${CASE_A}`);
  });
});
