import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseLookups } from '../../src/services/case-lookups.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { TestClock } from '../support/bot-harness.js';
import { forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';

// The limit on case lookups is counted in the database, so it holds for lookups arriving at once
// and, on PostgreSQL, across instances: however many come together, exactly the limit are counted.

const SAM = 'sam-0000';
const JO = 'jo-0000';

forEachDialect((dialect) =>
  describe('the limit on case lookups', () => {
    let dbs: TestDatabases;
    let first: Store;
    let second: Store;
    const clock = new TestClock(new Date('2026-11-26T09:00:00Z'));

    beforeAll(async () => {
      dbs = testDatabases(dialect);
      const url = await dbs.newUrl('case-lookups');
      first = await openReadyStore(url, defaultSchedule);
      // SQLite has one instance; PostgreSQL may have several on one database.
      second = dialect === 'postgres' ? await openReadyStore(url, defaultSchedule) : first;
    });
    afterAll(async () => {
      if (second !== first) await second.close();
      await first.close();
      await dbs.cleanup();
    });

    it('twenty lookups at once by one person, on two instances: exactly the limit are counted', async () => {
      const limits = [new CaseLookups(first.db, clock, 5), new CaseLookups(second.db, clock, 5)];
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => limits[i % 2]!.take(SAM)));
      expect(results.filter((r) => r === null)).toHaveLength(5);
      const refused = results.filter((r) => r !== null);
      expect(refused).toHaveLength(15);
      expect(refused[0]).toMatchObject({
        ok: false,
        code: 'too_many_lookups',
        retryAt: '2026-11-26T10:00:00.000Z',
      });
      // Someone else is not held back.
      expect(await limits[1]!.take(JO)).toBeNull();
      const rows = await first.db.selectFrom('case_lookups').select(['actor_id']).execute();
      expect(rows.filter((r) => r.actor_id === SAM)).toHaveLength(5);
    });

    it('the hour slides: once the first lookups are an hour old, more may be made, and old rows go', async () => {
      const limit = new CaseLookups(first.db, clock, 5);
      clock.advanceHours(1);
      expect(await limit.take(SAM)).toBeNull();
      const rows = await first.db.selectFrom('case_lookups').select(['actor_id', 'at']).execute();
      expect(rows).toEqual([{ actor_id: SAM, at: '2026-11-26T10:00:00.000Z' }]);
    });
  }),
);
