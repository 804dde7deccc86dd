import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_RECORDS } from '../../src/rules/index.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { inventoryRow } from '../support/csv.js';
import {
  countRows,
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';
import { expectOk, openFixture, RITA, SAM, type Fixture, LOGS_CHECKED } from './fixture.js';

const RECORDS = 1000;
const ids = Array.from({ length: RECORDS }, (_, i) => `R-${String(i).padStart(4, '0')}`);
forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let fx: Fixture;

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    fx = await openFixture(
      dbs,
      dir,
      'limit',
      ids.map((id, i) =>
        inventoryRow({
          record_id: id,
          case_ref: `C-${Math.floor(i / 4)}`,
          record_class: 'child-in-need',
          date_of_birth: i % 4 === 0 ? `19${50 + ((i / 4) % 40)}-01-01` : '',
        }),
      ),
      { now: '2026-11-25T09:00:00.000Z' },
    );
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  describe('a batch holds at most 500 records', () => {
    it('refuses 1,000 chosen records, saying how many fit', async () => {
      expect(MAX_BATCH_RECORDS).toBe(500);
      expect(await fx.service.createBatch(RITA, { recordIds: ids })).toEqual({
        ok: false,
        code: 'too_many_records',
        message:
          'A batch can hold at most 500 records, and 1,000 were chosen. Split them into batches of 500 or fewer.',
      });
      expect(await countRows(fx.store.db, 'destruction_batches')).toBe(0);
    });

    it('takes the first 500 of 1,000 due records and says so; the next batch takes the rest', async () => {
      const first = expectOk(await fx.service.createBatch(RITA, { filter: { classId: 'child-in-need' } }));
      expect(first.notice).toBe(
        '1,000 records of the class Child in need record (section 17), including contact, referral and assessment are due by 25 November 2026, but a batch can hold at most 500. This batch has the 500 longest past the end of their retention; create another batch for the rest.',
      );
      expect(first.batch.counts).toEqual({ records: 500, passing: 500, blocked: 0, destroyed: 0 });

      const second = expectOk(await fx.service.createBatch(RITA, { filter: {} }));
      expect(second.notice).toBeNull();
      expect(second.batch.counts.records).toBe(500);
      const all = new Set([...first.batch.items, ...second.batch.items].map((i) => i.recordId));
      expect(all.size).toBe(RECORDS);

      expect(await fx.service.createBatch(RITA, { filter: {} })).toMatchObject({
        ok: false,
        code: 'nothing_due',
      });

      const confirmed = expectOk(
        await fx.service.confirm(SAM, first.batch.id, {
          logChecks: LOGS_CHECKED,
          expectedVersion: 1,
        }),
      );
      expect(confirmed.destroyed).toHaveLength(500);
      expect(await countRows(fx.store.db, 'destruction_register')).toBe(500);
      expect((await verifyAudit(fx.store.db)).ok).toBe(true);
    });
  });
});
