import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSchedule, findClass } from '../../src/rules/index.js';
import { dueRecordsQuery, dueUnderReview, type DueFilter } from '../../src/store/destruction.js';
import { dueInMonthOf } from '../../src/store/due-counts.js';
import type { Database } from '../../src/store/schema.js';
import { inventoryRow } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';
import { AMY, authorisation, BEN, expectOk, hold, openFixture, RITA, SAM, type Fixture } from './fixture.js';

const NOW = '2026-11-25T10:00:00.000Z';
const TODAY = '2026-11-25';
forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let fx: Fixture;

  const cin = 'child-in-need';
  const eh = 'early-help';

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    fx = await openFixture(
      dbs,
      dir,
      'due',
      [
        inventoryRow({ record_id: 'CIN-1', case_ref: 'K1', record_class: cin, date_of_birth: '1990-01-10' }),
        inventoryRow({ record_id: 'CIN-2', case_ref: 'K2', record_class: cin, date_of_birth: '1990-01-20' }),
        inventoryRow({ record_id: 'CIN-3', case_ref: 'K3', record_class: cin, date_of_birth: '1991-03-05' }),
        inventoryRow({ record_id: 'EH-1', case_ref: 'K4', record_class: eh, date_of_birth: '1990-01-15' }),
        inventoryRow({ record_id: 'EH-2', case_ref: 'K5', record_class: eh, date_of_birth: '1996-06-01' }),
        inventoryRow({
          record_id: 'LATER-1',
          case_ref: 'K6',
          record_class: cin,
          date_of_birth: '2000-02-01',
        }),
        inventoryRow({ record_id: 'GONE-1', case_ref: 'K7', record_class: cin, date_of_birth: '1990-02-01' }),
        inventoryRow({ record_id: 'PERM-1', case_ref: 'K8', record_class: 'safeguarding-practice-review' }),
        inventoryRow({ record_id: 'NODOB-1', case_ref: 'K9', record_class: cin }),
        inventoryRow({
          record_id: 'HELD-1',
          case_ref: 'K10',
          record_class: cin,
          date_of_birth: '1992-08-08',
        }),
        inventoryRow({ record_id: 'OUT-1', case_ref: 'K11', record_class: eh, date_of_birth: '1993-09-09' }),
      ],
      { now: NOW },
    );
    await fx.store.db
      .updateTable('records')
      .set({ destroyed_on: '2026-01-05' })
      .where('record_id', '=', 'GONE-1')
      .execute();
    await fx.store.db
      .insertInto('holds')
      .values(hold({ id: 'h1', case_ref: 'K10' }))
      .execute();
    await fx.store.db
      .insertInto('removal_authorisations')
      .values(authorisation({ id: 'a1', case_ref: 'K11', status: 'approved', record_ids: '[]' }))
      .execute();
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  const title = (id: string) => findClass(defaultSchedule, id)!.title;

  describe('what is due for destruction', () => {
    it('groups due records by class and the month retention ended, oldest month first', async () => {
      const due = expectOk(await fx.service.due(RITA));
      expect(due.dueBy).toBe(TODAY);
      expect(due.total).toBe(7);
      expect(due.groups).toEqual([
        { classId: cin, classTitle: title(cin), month: '2020-01', count: 2 },
        { classId: eh, classTitle: title(eh), month: '2020-01', count: 1 },
        { classId: cin, classTitle: title(cin), month: '2021-03', count: 1 },
        { classId: cin, classTitle: title(cin), month: '2022-08', count: 1 },
        { classId: eh, classTitle: title(eh), month: '2023-09', count: 1 },
        { classId: eh, classTitle: title(eh), month: '2026-06', count: 1 },
      ]);
    });

    it('leaves out destroyed, permanent, undated and not-yet-due records', async () => {
      const due = expectOk(await fx.service.due(SAM, { pageSize: 100 }));
      const ids = due.records.map((r) => r.recordId);
      for (const absent of ['GONE-1', 'PERM-1', 'NODOB-1', 'LATER-1']) expect(ids).not.toContain(absent);
    });

    it('gives the first page by retention end, with held and out flags', async () => {
      const due = expectOk(await fx.service.due(RITA));
      expect(due.page).toBe(1);
      expect(due.pages).toBe(1);
      expect(due.records.map((r) => r.recordId)).toEqual([
        'CIN-1',
        'EH-1',
        'CIN-2',
        'CIN-3',
        'HELD-1',
        'OUT-1',
        'EH-2',
      ]);
      expect(due.records[0]).toEqual({
        recordId: 'CIN-1',
        caseRef: 'K1',
        recordClass: cin,
        classTitle: 'Child in need record (section 17), including contact, referral and assessment',
        title: 'Case file',
        format: 'electronic',
        retentionEndsOn: '2020-01-10',
        held: false,
        out: false,
      });
      expect(due.records.find((r) => r.recordId === 'HELD-1')).toMatchObject({ held: true, out: false });
      expect(due.records.find((r) => r.recordId === 'OUT-1')).toMatchObject({ held: false, out: true });
    });

    it('pages through the records', async () => {
      const page2 = expectOk(await fx.service.due(RITA, { page: 2, pageSize: 3 }));
      expect(page2).toMatchObject({ total: 7, page: 2, pages: 3, pageSize: 3 });
      expect(page2.records.map((r) => r.recordId)).toEqual(['CIN-3', 'HELD-1', 'OUT-1']);
      const page3 = expectOk(await fx.service.due(RITA, { page: 3, pageSize: 3 }));
      expect(page3.records.map((r) => r.recordId)).toEqual(['EH-2']);
      // Past the last page: the last page.
      const beyond = expectOk(await fx.service.due(RITA, { page: 9, pageSize: 3 }));
      expect(beyond.page).toBe(3);
      expect(beyond.records.map((r) => r.recordId)).toEqual(['EH-2']);
    });

    it('filters by class and by due-by date', async () => {
      const early = expectOk(await fx.service.due(RITA, { classId: eh }));
      expect(early.total).toBe(3);
      expect(early.groups.every((g) => g.classId === eh)).toBe(true);
      expect(early.records.map((r) => r.recordId)).toEqual(['EH-1', 'OUT-1', 'EH-2']);

      const byJan = expectOk(await fx.service.due(RITA, { dueBy: '2020-01-15' }));
      expect(byJan.records.map((r) => r.recordId)).toEqual(['CIN-1', 'EH-1']);

      const by2030 = expectOk(await fx.service.due(RITA, { dueBy: '2030-12-31', classId: cin }));
      expect(by2030.records.map((r) => r.recordId)).toContain('LATER-1');
      expect(by2030.total).toBe(5);
    });

    it('refuses bad input with a sentence', async () => {
      expect(await fx.service.due(RITA, { dueBy: '31/12/2026' })).toMatchObject({
        ok: false,
        code: 'bad_date',
        message: expect.stringContaining('YYYY-MM-DD') as string,
      });
      expect(await fx.service.due(RITA, { classId: 'no-such-class' })).toMatchObject({
        ok: false,
        code: 'unknown_class',
      });
      expect(await fx.service.due(RITA, { page: 0 })).toMatchObject({ ok: false, code: 'bad_page' });
    });

    it('is for Records Management only', async () => {
      for (const who of [AMY, BEN]) {
        expect(await fx.service.due(who)).toEqual({
          ok: false,
          code: 'not_records_management',
          message: expect.stringMatching(
            /^Only the Records Management Service can see which records are due for destruction\./,
          ) as string,
        });
      }
      expect(await fx.service.due('nobody')).toMatchObject({ ok: false, code: 'not_in_directory' });
    });
  });

  /**
   * The query plan, a line per step: SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN. With
   * `noSeqScan`, PostgreSQL is told to avoid sequential scans (for these few rows a scan is
   * cheaper, so this shows the index can serve the query, not that the planner prefers it).
   */
  async function plan(
    db: Kysely<Database>,
    query: { compile(): CompiledQuery },
    options: { noSeqScan?: boolean } = {},
  ): Promise<string[]> {
    const compiled = query.compile();
    if (dialect === 'sqlite') {
      const result = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]),
      );
      return result.rows.map((r) => r.detail);
    }
    return db.transaction().execute(async (trx) => {
      if (options.noSeqScan) await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const result = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]),
      );
      return result.rows.map((r) => r['QUERY PLAN']);
    });
  }

  /**
   * A plan step that reads records through the due index, one through either due index (the
   * counts' or the page's), one through the index of review dates, one that reads every record,
   * and one that sorts.
   */
  const planSteps = {
    sqlite: {
      usesIndex: /SEARCH records USING (COVERING )?INDEX records_due_idx/,
      usesDueIndex: /SEARCH records USING (COVERING )?INDEX records_due(_page)?_idx/,
      usesPageIndex: /SEARCH records USING (COVERING )?INDEX records_due_page_idx/,
      usesReviewIndex: /SEARCH records USING (COVERING )?INDEX records_review_idx/,
      scansRecords: /\bSCAN records\b/,
      sorts: /USE TEMP B-TREE FOR (LAST TERM OF )?ORDER BY/,
    },
    postgres: {
      usesIndex: /(Index|Index Only|Bitmap Index) Scan (Backward )?(using|on) records_due_idx/,
      usesDueIndex: /(Index|Index Only|Bitmap Index) Scan (Backward )?(using|on) records_due(_page)?_idx/,
      usesPageIndex: /(Index|Index Only) Scan (Backward )?using records_due_page_idx/,
      usesReviewIndex: /(Index|Index Only|Bitmap Index) Scan (Backward )?(using|on) records_review_idx/,
      scansRecords: /Seq Scan on records\b/,
      sorts: /\bSort\b/,
    },
  }[dialect];

  describe('the due query uses its indexes', () => {
    const filters: [string, DueFilter][] = [
      ['all classes', { dueBy: TODAY }],
      ['one class', { dueBy: TODAY, classId: cin }],
    ];

    for (const [name, filter] of filters) {
      it(`groups (${name}): the due-by month from the partial index, records under review from theirs, never a scan`, async () => {
        const month = await plan(fx.store.db, dueInMonthOf(fx.store.db, filter), { noSeqScan: true });
        expect(month.join('\n')).toMatch(planSteps.usesIndex);
        const review = await plan(fx.store.db, dueUnderReview(fx.store.db, filter).select('record_id'), {
          noSeqScan: true,
        });
        expect(review.join('\n')).toMatch(planSteps.usesReviewIndex);
        for (const details of [month, review])
          expect(details.filter((d) => planSteps.scansRecords.test(d))).toEqual([]);
      });

      it(`records page (${name}): searches a partial index, never scans records`, async () => {
        const details = await plan(fx.store.db, dueRecordsQuery(fx.store.db, filter, 20, 0), {
          noSeqScan: true,
        });
        expect(details.join('\n')).toMatch(planSteps.usesDueIndex);
        expect(details.filter((d) => planSteps.scansRecords.test(d))).toEqual([]);
      });
    }

    it('first page of every class: read in order off records_due_page_idx, nothing sorted', async () => {
      const details = await plan(fx.store.db, dueRecordsQuery(fx.store.db, { dueBy: TODAY }, 20, 0), {
        noSeqScan: true,
      });
      expect(details.join('\n')).toMatch(planSteps.usesPageIndex);
      expect(details.filter((d) => planSteps.sorts.test(d))).toEqual([]);
    });
  });

  describe('the due query after ANALYZE, with most records still retained', () => {
    it('still searches the partial indexes', async () => {
      const db = fx.store.db;
      await db.insertInto('cases').values({ case_ref: 'BULK', updated_at: NOW }).execute();
      const rows = Array.from({ length: 3000 }, (_, i) => ({
        record_id: `BULK-${i}`,
        case_ref: 'BULK',
        record_class: i % 2 ? cin : eh,
        title: 'Case file',
        format: 'electronic',
        location: 'Livelink',
        retention_ends_on: `${2040 + (i % 50)}-06-01`,
        retention_rule: 'until-age-30',
        retention_missing: null,
        retention_permanent: 0,
        schedule_version: defaultSchedule.version,
        destroyed_on: null,
        updated_at: NOW,
      }));
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('records')
          .values(rows.slice(i, i + 500))
          .execute();
      await db.executeQuery(CompiledQuery.raw('ANALYZE'));
      const review = await plan(db, dueUnderReview(db, { dueBy: TODAY }).select('record_id'));
      expect(review.join('\n')).toMatch(planSteps.usesReviewIndex);
      for (const [query, index] of [
        [dueInMonthOf(db, { dueBy: TODAY }), planSteps.usesDueIndex],
        [dueRecordsQuery(db, { dueBy: TODAY }, 20, 0), planSteps.usesDueIndex],
        [dueRecordsQuery(db, { dueBy: TODAY, classId: eh }, 20, 0), planSteps.usesDueIndex],
      ] as const) {
        // The planner's own choice here: no setting nudges it.
        const details = await plan(db, query);
        expect(details.join('\n')).toMatch(index);
        expect(details.filter((d) => planSteps.scansRecords.test(d))).toEqual([]);
      }
      expect(expectOk(await fx.service.due(RITA)).total).toBe(7);
    });
  });
});
