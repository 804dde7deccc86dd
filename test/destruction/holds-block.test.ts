import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoldService } from '../../src/services/holds.js';
import { inventoryRow } from '../support/csv.js';
import {
  countRows,
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';
import { AMY, expectOk, LOGS_CHECKED, openFixture, RITA, SAM, type Fixture } from './fixture.js';

// Holds the law requires: a public inquiry's moratorium on whole classes of records (with its
// name, start and end), and FOI requests (destroying a requested record is an offence, FOIA
// s.77). Both block destruction, also when placed while a batch waits for confirmation.

const NOW = '2026-11-26T10:00:00.000Z';
const CIN = 'child-in-need';

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let fx: Fixture;
  let holds: HoldService;

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    const rows = [
      ...['CN-1', 'CN-2', 'CN-3', 'CN-4'].map((id, i) =>
        inventoryRow({
          record_id: id,
          case_ref: `C-${i + 1}`,
          record_class: CIN,
          date_of_birth: '1980-01-01',
        }),
      ),
      inventoryRow({
        record_id: 'EH-1',
        case_ref: 'C-EH',
        record_class: 'early-help',
        date_of_birth: '1980-01-01',
      }),
      // Race rounds: each round's batch has its own records.
      ...Array.from({ length: 8 * 4 }, (_, i) =>
        inventoryRow({
          record_id: `R-${String(i).padStart(3, '0')}`,
          case_ref: `RC-${i}`,
          record_class: CIN,
          date_of_birth: '1980-01-01',
        }),
      ),
    ];
    fx = await openFixture(dbs, dir, 'holds-block', rows, { now: NOW });
    holds = new HoldService(fx.store.db, fx.clock);
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  const inquiry = (over: Record<string, unknown> = {}) => ({
    type: 'inquiry',
    name: 'Independent Inquiry into Child Sexual Abuse',
    reference: 'IICSA',
    reason: 'The Chair asked every council to keep records touching on child protection and care',
    startsOn: '2015-07-01',
    endsOn: '2023-01-20',
    classes: ['child-protection', 'looked-after-child', CIN],
    ...over,
  });

  describe('a blanket hold on whole classes', () => {
    it('the IICSA moratorium ended on 20 January 2023: it no longer blocks', async () => {
      const placed = expectOk(await holds.placeBlanket(RITA, inquiry()));
      expect(placed.hold).toMatchObject({
        name: 'Independent Inquiry into Child Sexual Abuse',
        startsOn: '2015-07-01',
        endsOn: '2023-01-20',
        classes: ['child-in-need', 'child-protection', 'looked-after-child'],
        inForce: false,
        placedBy: 'Rita Records',
      });
      const batch = expectOk(await fx.service.createBatch(RITA, { recordIds: ['CN-1'] })).batch;
      expect(batch.items[0]!.passed).toBe(true);
      expectOk(await fx.service.cancel(RITA, batch.id, 'Test only', 1));
    });

    it('one in force blocks every record of the classes it covers, naming the inquiry, and no other class', async () => {
      const placed = expectOk(
        await holds.placeBlanket(
          RITA,
          inquiry({
            name: 'Inquiry into children’s homes',
            reference: 'INQ-2026-3',
            startsOn: '2026-01-01',
            endsOn: null,
            classes: [CIN],
          }),
        ),
      );
      expect(placed.hold.inForce).toBe(true);
      const batch = expectOk(await fx.service.createBatch(RITA, { recordIds: ['CN-1', 'EH-1'] })).batch;
      const cn = batch.items.find((i) => i.recordId === 'CN-1')!;
      expect(cn.reasons).toEqual(['On hold: Inquiry (Inquiry into children’s homes, INQ-2026-3).']);
      expect(batch.items.find((i) => i.recordId === 'EH-1')!.passed).toBe(true);
      const due = expectOk(await fx.service.due(RITA, { classId: CIN, pageSize: 100 }));
      expect(due.records.find((r) => r.recordId === 'CN-1')).toMatchObject({ held: true });
      expectOk(await fx.service.cancel(RITA, batch.id, 'Inquiry hold', 1));

      const released = expectOk(await holds.releaseBlanket(RITA, placed.hold.id, 'The inquiry has reported'));
      expect(released.hold).toMatchObject({ inForce: false, releaseReason: 'The inquiry has reported' });
      expect(await holds.releaseBlanket(RITA, placed.hold.id, 'again')).toMatchObject({
        ok: false,
        code: 'already_released',
      });
      const listed = expectOk(await holds.listBlanket(RITA));
      expect(listed.holds.map((h) => h.reference)).toEqual(['INQ-2026-3', 'IICSA']);
      expect(expectOk(await holds.listBlanket(RITA, { inForce: true })).holds).toEqual([]);
    });

    it('placed after the review, before confirmation: the confirmation sees it', async () => {
      const batch = expectOk(await fx.service.createBatch(RITA, { recordIds: ['CN-2', 'EH-1'] })).batch;
      expect(batch.counts.passing).toBe(2);
      const placed = expectOk(
        await holds.placeBlanket(
          RITA,
          inquiry({
            type: 'foi_request',
            name: 'FOI request about child in need records',
            reference: 'FOI-2026-88',
            startsOn: '2026-11-26',
            endsOn: null,
            classes: [CIN],
          }),
        ),
      );
      const done = expectOk(
        await fx.service.confirm(SAM, batch.id, { logChecks: LOGS_CHECKED, expectedVersion: 1 }),
      );
      expect(done.destroyed.map((d) => d.recordId)).toEqual(['EH-1']);
      expect(done.blocked).toEqual([
        {
          recordId: 'CN-2',
          reasons: ['On hold: FOI request (FOI request about child in need records, FOI-2026-88).'],
        },
      ]);
      expectOk(await holds.releaseBlanket(RITA, placed.hold.id, 'Request answered'));
    });

    it('is checked: bad holds are refused and only Records Management places them', async () => {
      const before = await countRows(fx.store.db, 'blanket_holds');
      expect(await holds.placeBlanket(RITA, inquiry({ classes: ['wedding-album'] }))).toMatchObject({
        ok: false,
        code: 'unknown_class',
      });
      expect(await holds.placeBlanket(RITA, inquiry({ endsOn: '2010-01-01' }))).toMatchObject({
        ok: false,
        code: 'ends_before_start',
      });
      expect(await holds.placeBlanket(AMY, inquiry())).toMatchObject({
        ok: false,
        code: 'not_records_management',
      });
      expect(await holds.listBlanket(AMY)).toMatchObject({ ok: false, code: 'not_records_management' });
      expect(await countRows(fx.store.db, 'blanket_holds')).toBe(before);
    });
  });

  describe('an FOI request hold on a case', () => {
    it('blocks its records, placed before the review or between review and confirmation', async () => {
      expectOk(
        await holds.place(RITA, {
          caseRef: 'C-3',
          type: 'foi_request',
          reference: 'FOI-2026-12',
          reason: 'Request for the case file',
        }),
      );
      const batch = expectOk(await fx.service.createBatch(RITA, { recordIds: ['CN-3', 'CN-4'] })).batch;
      expect(batch.items.find((i) => i.recordId === 'CN-3')!.reasons).toEqual([
        'On hold: FOI request (FOI-2026-12).',
      ]);
      expectOk(
        await holds.place(RITA, {
          caseRef: 'C-4',
          type: 'foi_request',
          reference: 'FOI-2026-13',
          reason: 'Request made this morning',
        }),
      );
      const done = expectOk(
        await fx.service.confirm(SAM, batch.id, { logChecks: LOGS_CHECKED, expectedVersion: 1 }),
      );
      expect(done.destroyed).toEqual([]);
      expect(done.blocked.map((b) => b.reasons)).toEqual([
        ['On hold: FOI request (FOI-2026-12).'],
        ['On hold: FOI request (FOI-2026-13).'],
      ]);
    });
  });

  describe.runIf(dialect === 'postgres')('a blanket hold placed while a batch is being confirmed', () => {
    it('never lets a record it covers be destroyed after it was placed', async () => {
      let destroyedRounds = 0;
      let blockedRounds = 0;
      for (let round = 0; round < 8; round++) {
        const ids = Array.from({ length: 4 }, (_, i) => `R-${String(round * 4 + i).padStart(3, '0')}`);
        const batch = expectOk(await fx.service.createBatch(RITA, { recordIds: ids })).batch;
        const lead = (round % 4) * 3;
        const [confirmed, placed] = await Promise.all([
          fx.service.confirm(SAM, batch.id, { logChecks: LOGS_CHECKED, expectedVersion: 1 }),
          new Promise((resolve) => setTimeout(resolve, round % 2 ? lead : 0)).then(() =>
            holds.placeBlanket(
              RITA,
              inquiry({ reference: `RACE-${round}`, startsOn: '2026-11-26', endsOn: null, classes: [CIN] }),
            ),
          ),
        ]);
        const done = expectOk(confirmed);
        const hold = expectOk(placed);
        const audit = await fx.store.db
          .selectFrom('audit_log')
          .select(['seq', 'action', 'entity_id'])
          .where((eb) => eb.or([eb('entity_id', 'in', ids), eb('entity_id', '=', hold.hold.id)]))
          .orderBy('seq')
          .execute();
        const holdSeq = Number(audit.find((a) => a.entity_id === hold.hold.id)!.seq);
        for (const a of audit.filter((x) => x.action === 'record.destroyed'))
          expect(Number(a.seq)).toBeLessThan(holdSeq);
        // All or none: the batch's records share the class the hold covers.
        expect([0, 4]).toContain(done.destroyed.length);
        if (done.destroyed.length) destroyedRounds += 1;
        else blockedRounds += 1;
        expectOk(await holds.releaseBlanket(RITA, hold.hold.id, 'Next round'));
      }
      expect(destroyedRounds + blockedRounds).toBe(8);
    });
  });
});
