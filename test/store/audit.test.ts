import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, auditHash, GENESIS_HASH, verifyAudit, type AuditEntry } from '../../src/store/audit.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import type { AuditRow } from '../../src/store/schema.js';
import {
  allowTampering,
  countRows,
  forEachDialect,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

function entry(i: number): AuditEntry {
  return {
    at: `2026-11-25T10:00:0${i}.000Z`,
    actorId: `actor-${i}`,
    action: 'thing.done',
    entityType: 'thing',
    entityId: `thing-${i}`,
    details: { i, note: `entry ${i}`, nested: { list: [i, i + 1] } },
  };
}

/** SHA-256 of the canonical JSON, computed here independently of auditHash. */
function expectedHash(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.action,
    row.entity_type,
    row.entity_id,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

forEachDialect((dialect) => {
  let dbs: TestDatabases;
  let store: Store;

  async function appendEntries(count: number): Promise<AuditRow[]> {
    const rows: AuditRow[] = [];
    for (let i = 1; i <= count; i++) {
      rows.push(await store.db.transaction().execute((trx) => appendAudit(trx, entry(i))));
    }
    return rows;
  }

  async function auditRows(): Promise<AuditRow[]> {
    return store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  }

  beforeAll(() => {
    dbs = testDatabases(dialect);
  });

  afterAll(async () => {
    await dbs.cleanup();
  });

  beforeEach(async () => {
    store = await dbs.open('audit');
  });

  afterEach(async () => {
    await store.close();
  });

  describe('appendAudit', () => {
    it('writes a hash chain starting from the genesis hash', async () => {
      const returned = await appendEntries(4);
      const rows = await auditRows();
      expect(rows).toEqual(returned);
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
      expect(GENESIS_HASH).toBe('0'.repeat(64));
      for (const [i, row] of rows.entries()) {
        expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(row.hash).toBe(expectedHash(row));
        expect(auditHash(row)).toBe(row.hash);
        if (i > 0) expect(row.prev_hash).toBe(rows[i - 1]?.hash);
        expect(JSON.parse(row.details)).toEqual(entry(i + 1).details);
        expect(row.actor_id).toBe(`actor-${i + 1}`);
        expect(row.entity_id).toBe(`thing-${i + 1}`);
      }
      expect(new Set(rows.map((r) => r.hash)).size).toBe(4);
    });

    it('writes nothing when the surrounding transaction rolls back', async () => {
      await appendEntries(1);
      await expect(
        store.db.transaction().execute(async (trx) => {
          await appendAudit(trx, entry(2));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await countRows(store.db, 'audit_log')).toBe(1);
      const next = await store.db.transaction().execute((trx) => appendAudit(trx, entry(3)));
      expect(next.seq).toBe(2);
    });
  });

  describe('appendAudit under concurrent writers', () => {
    /** Appends `count` entries, one transaction each, pausing inside each so writers interleave. */
    async function writer(target: Store, name: string, count: number): Promise<void> {
      for (let i = 1; i <= count; i++) {
        await target.db.transaction().execute(async (trx) => {
          await new Promise((resolve) => setTimeout(resolve, i % 3));
          await appendAudit(trx, { ...entry(i % 10), actorId: name, entityId: `${name}-${i}` });
        });
      }
    }

    async function expectIntactChain(target: Store, entries: number): Promise<void> {
      const rows = await target.db
        .selectFrom('audit_log')
        .select(['seq', 'entity_id'])
        .orderBy('seq')
        .execute();
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: entries }, (_, i) => i + 1));
      expect(new Set(rows.map((r) => r.entity_id)).size).toBe(entries);
      expect(await verifyAudit(target.db)).toMatchObject({ ok: true, entries });
    }

    it('keeps one unbroken chain when many transactions append at once', async () => {
      await Promise.all(['a', 'b', 'c', 'd'].map((name) => writer(store, name, 15)));
      await expectIntactChain(store, 60);
    });

    it.runIf(dialect === 'postgres')(
      'keeps one unbroken chain when two instances append at once (PostgreSQL)',
      async () => {
        const url = await dbs.newUrl('audit-instances');
        const [one, two] = await Promise.all([
          openReadyStore(url, defaultSchedule),
          openReadyStore(url, defaultSchedule),
        ]);
        try {
          await Promise.all([
            writer(one, 'one-a', 25),
            writer(one, 'one-b', 25),
            writer(two, 'two-a', 25),
            writer(two, 'two-b', 25),
          ]);
          await expectIntactChain(one, 100);
          await expectIntactChain(two, 100);
        } finally {
          await one.close();
          await two.close();
        }
      },
    );
  });

  describe('verifyAudit', () => {
    it('is ok with zero entries on an empty log', async () => {
      expect(await verifyAudit(store.db)).toEqual({ ok: true, entries: 0, lastHash: GENESIS_HASH });
    });

    it('is ok with the right count and last hash for a good chain', async () => {
      const rows = await appendEntries(5);
      const progress: number[] = [];
      const result = await verifyAudit(store.db, (checked) => progress.push(checked));
      expect(result).toEqual({ ok: true, entries: 5, lastHash: rows[4]?.hash });
      expect(progress.at(-1)).toBe(5);
    });

    it('detects an entry whose contents were altered', async () => {
      await appendEntries(5);
      await allowTampering(store, 'audit_log');
      await store.db
        .updateTable('audit_log')
        .set({ details: JSON.stringify({ i: 3, note: 'rewritten' }) })
        .where('seq', '=', 3)
        .execute();
      const result = await verifyAudit(store.db);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.brokenAt).toBe(3);
      expect(result.entries).toBe(2);
      expect(result.problem).toMatch(/entry 3 has been altered/);
    });

    it('detects an altered actor on the first entry', async () => {
      await appendEntries(3);
      await allowTampering(store, 'audit_log');
      await store.db
        .updateTable('audit_log')
        .set({ actor_id: 'someone-else' })
        .where('seq', '=', 1)
        .execute();
      const result = await verifyAudit(store.db);
      expect(result).toMatchObject({ ok: false, brokenAt: 1, entries: 0 });
      if (!result.ok) expect(result.problem).toContain('altered');
    });

    it('detects a deleted middle entry and names the missing seq', async () => {
      await appendEntries(5);
      await allowTampering(store, 'audit_log');
      await store.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
      expect(await countRows(store.db, 'audit_log')).toBe(4);
      const result = await verifyAudit(store.db);
      expect(result).toMatchObject({ ok: false, brokenAt: 3, entries: 2 });
      if (!result.ok) expect(result.problem).toBe('entry 3 is missing');
    });

    it('detects a deleted first entry', async () => {
      await appendEntries(3);
      await allowTampering(store, 'audit_log');
      await store.db.deleteFrom('audit_log').where('seq', '=', 1).execute();
      const result = await verifyAudit(store.db);
      expect(result).toMatchObject({ ok: false, brokenAt: 1, entries: 0 });
    });

    it('detects a broken previous-hash link', async () => {
      await appendEntries(5);
      await allowTampering(store, 'audit_log');
      await store.db
        .updateTable('audit_log')
        .set({ prev_hash: 'f'.repeat(64) })
        .where('seq', '=', 4)
        .execute();
      const result = await verifyAudit(store.db);
      expect(result).toMatchObject({ ok: false, brokenAt: 4, entries: 3 });
      if (!result.ok)
        expect(result.problem).toMatch(/entry 4 does not follow entry 3: its previous-hash link/);
    });

    it('detects an entry rewritten with a recomputed hash, at the next entry', async () => {
      // A forger who recomputes the altered entry's own hash still breaks the next link.
      await appendEntries(4);
      await allowTampering(store, 'audit_log');
      const row = (await auditRows())[1]!;
      const forged = { ...row, details: '{"i":2,"note":"forged"}' };
      await store.db
        .updateTable('audit_log')
        .set({ details: forged.details, hash: auditHash(forged) })
        .where('seq', '=', 2)
        .execute();
      const result = await verifyAudit(store.db);
      expect(result).toMatchObject({ ok: false, brokenAt: 3, entries: 2 });
      if (!result.ok) expect(result.problem).toContain('previous-hash link');
    });

    it('walks chains longer than one page (5,000 entries)', async () => {
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 5003; i++) {
          await appendAudit(trx, { ...entry(1), entityId: `bulk-${i}` });
        }
      });
      const pages: number[] = [];
      const good = await verifyAudit(store.db, (c) => pages.push(c));
      expect(good).toMatchObject({ ok: true, entries: 5003 });
      expect(pages).toEqual([5000, 5003]);

      await allowTampering(store, 'audit_log');
      await store.db.updateTable('audit_log').set({ action: 'changed' }).where('seq', '=', 5002).execute();
      expect(await verifyAudit(store.db)).toMatchObject({ ok: false, brokenAt: 5002 });
    });
  });
});
