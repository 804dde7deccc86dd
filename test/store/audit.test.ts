import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appendAudit,
  auditKey,
  DEVELOPMENT_AUDIT_KEY,
  GENESIS_HASH,
  keyedHash,
  legacyHash,
  type AuditEntry,
} from '../../src/store/audit.js';
import { readHeadFile } from '../../src/store/audit-head.js';
import { digestOf } from '../../src/store/audit-rows.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { openStore } from '../../src/store/connection.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { migrate, migrations } from '../../src/store/migrations.js';
import type { AuditRow } from '../../src/store/schema.js';
import { AUDIT_TEST_KEY, openAuditFixture } from '../support/audit-fixture.js';
import {
  allowTampering,
  countRows,
  execRaw,
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

function entry(i: number): AuditEntry {
  return {
    at: `2026-11-25T10:00:0${i % 10}.000Z`,
    actorId: `actor-${i}`,
    action: 'thing.done',
    entityType: 'thing',
    entityId: `thing-${i}`,
    details: { i, note: `entry ${i}`, nested: { list: [i, i + 1] } },
  };
}

/** HMAC-SHA256 of the canonical JSON under `key`, computed here independently of keyedHash. */
function expectedHmac(key: string, row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.action,
    row.entity_type,
    row.entity_id,
    row.details,
    row.prev_hash,
    row.key_id,
    row.row_digests,
  ]);
  return createHmac('sha256', key).update(canonical).digest('hex');
}

forEachDialect((dialect) => {
  let dbs: TestDatabases;
  let dir: string;
  let store: Store;
  let url: string;
  let headFile: string;

  /** Opens the database at `url` as the application does: keyed, writing its chain head. */
  const open = (key = AUDIT_TEST_KEY) => openReadyStore(url, defaultSchedule, { audit: { key, headFile } });

  async function appendEntries(count: number, target = store): Promise<AuditRow[]> {
    const rows: AuditRow[] = [];
    for (let i = 1; i <= count; i++) {
      rows.push(await target.db.transaction().execute((trx) => appendAudit(trx, entry(i))));
    }
    return rows;
  }

  async function auditRows(): Promise<AuditRow[]> {
    return store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  }

  beforeAll(() => {
    dbs = testDatabases(dialect);
    dir = makeTempDir('cra-audit-');
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  beforeEach(async () => {
    url = await dbs.newUrl('audit');
    headFile = path.join(dir, `head-${Math.random().toString(36).slice(2)}.json`);
    store = await open();
  });

  afterEach(async () => {
    await store.close();
  });

  describe('appendAudit', () => {
    it('writes a chain from the genesis hash, each entry an HMAC under the audit key', async () => {
      const returned = await appendEntries(4);
      const rows = await auditRows();
      expect(rows).toEqual(returned);
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
      for (const [i, row] of rows.entries()) {
        expect(row.key_id).toBe(auditKey(AUDIT_TEST_KEY).id);
        expect(row.key_id).toMatch(/^[0-9a-f]{16}$/);
        expect(row.hash).toBe(expectedHmac(AUDIT_TEST_KEY, row));
        // Not a plain hash anyone could recompute, nor the development key's.
        expect(row.hash).not.toBe(legacyHash(row));
        expect(row.hash).not.toBe(keyedHash(auditKey(DEVELOPMENT_AUDIT_KEY), row));
        if (i > 0) expect(row.prev_hash).toBe(rows[i - 1]?.hash);
        expect(JSON.parse(row.details)).toEqual(entry(i + 1).details);
        expect(row.row_digests).toBeNull();
      }
    });

    it('records the digests of the rows the change covers, read in its transaction', async () => {
      const row = await store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('holds')
          .values({
            id: 'h-1',
            case_ref: 'C-1',
            record_id: null,
            type: 'litigation',
            reference: 'CLAIM-1',
            reason: 'A claim',
            sar_received_on: null,
            sar_extended: 0,
            sar_extension_told_on: null,
            sar_extension_reason: null,
            sar_pauses: '[]',
            placed_by: 'rms',
            placed_at: '2026-11-25T10:00:00.000Z',
            released_by: null,
            released_at: null,
            release_reason: null,
          })
          .execute();
        return appendAudit(trx, { ...entry(1), covers: [{ table: 'holds', key: ['h-1'] }] });
      });
      const hold = await store.db.selectFrom('holds').selectAll().executeTakeFirstOrThrow();
      expect(JSON.parse(row.row_digests!)).toEqual({ holds: { 'h-1': digestOf('holds', hold) } });
      expect(digestOf('holds', hold)).toMatch(/^[0-9a-f]{64}$/);
      // A cover naming a row that is not there is a mistake: nothing is written.
      await expect(
        store.db
          .transaction()
          .execute((trx) => appendAudit(trx, { ...entry(2), covers: [{ table: 'holds', key: ['nope'] }] })),
      ).rejects.toThrow(/hold nope is not there/);
      expect(await countRows(store.db, 'audit_log')).toBe(1);
    });

    it('writes nothing when the surrounding transaction rolls back, and the head never names it', async () => {
      await appendEntries(1);
      const head = await readHeadFile(headFile);
      await expect(
        store.db.transaction().execute(async (trx) => {
          await appendAudit(trx, entry(2));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await countRows(store.db, 'audit_log')).toBe(1);
      expect(await readHeadFile(headFile)).toEqual(head);
      const next = await store.db.transaction().execute((trx) => appendAudit(trx, entry(3)));
      expect(next.seq).toBe(2);
    });

    it('refuses to extend a log keyed with another key, and the application refuses to start with it', async () => {
      await appendEntries(2);
      const other = await openStore(url, { key: `${AUDIT_TEST_KEY}-but-another`, headFile: null });
      try {
        await expect(other.db.transaction().execute((trx) => appendAudit(trx, entry(3)))).rejects.toThrow(
          /keyed with another AUDIT_KEY/,
        );
      } finally {
        await other.close();
      }
      await expect(open(`${AUDIT_TEST_KEY}-but-another`)).rejects.toThrow(
        /The audit log is keyed with another AUDIT_KEY \(key id [0-9a-f]{16}; this one has key id [0-9a-f]{16}\)/,
      );
      expect(await countRows(store.db, 'audit_log')).toBe(2);
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

    it('keeps one unbroken chain, and its head outside the database, when many transactions append at once', async () => {
      await Promise.all(['a', 'b', 'c', 'd'].map((name) => writer(store, name, 15)));
      await expectIntactChain(store, 60);
      const last = (await auditRows()).at(-1)!;
      expect(await readHeadFile(headFile)).toMatchObject({ seq: 60, hash: last.hash });
    });

    it.runIf(dialect === 'postgres')(
      'keeps one unbroken chain when two instances append at once (PostgreSQL)',
      async () => {
        const [one, two] = await Promise.all([open(), open()]);
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

  describe('the chain head kept outside the database', () => {
    it('is written after every commit, atomically: the last entry’s number and hash, nothing left behind', async () => {
      const rows = await appendEntries(3);
      expect(await readHeadFile(headFile)).toMatchObject({
        seq: 3,
        hash: rows[2]!.hash,
        keyId: auditKey(AUDIT_TEST_KEY).id,
      });
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('a restart on a chain cut short refuses to start and says what happened', async () => {
      await appendEntries(5);
      await allowTampering(store, 'audit_log');
      await execRaw(store.db, 'DELETE FROM audit_log WHERE seq > 3');
      await store.close();
      await expect(open()).rejects.toThrow(
        /does not match the chain head written outside the database .* it ends at entry 3, before entry 5: entries have been removed, or the database was restored from an earlier copy/,
      );
      store = await openStore(url, { key: AUDIT_TEST_KEY, headFile });
    });
  });

  describe('verifyAudit', () => {
    it('is ok with zero entries on an empty log', async () => {
      expect(await verifyAudit(store.db)).toMatchObject({
        ok: true,
        entries: 0,
        lastHash: GENESIS_HASH,
        chain: null,
        heads: [{ source: headFile, ok: true }],
      });
    });

    it('is ok with the right count, last hash and head for a good chain', async () => {
      const rows = await appendEntries(5);
      const progress: number[] = [];
      const result = await verifyAudit(store.db, { onProgress: (checked) => progress.push(checked) });
      expect(result).toMatchObject({ ok: true, entries: 5, unkeyedEntries: 0, lastHash: rows[4]?.hash });
      expect(result.heads.map((h) => [h.source, h.ok])).toEqual([[headFile, true]]);
      expect(result.heads[0]?.message).toContain('matches the chain head, entry 5');
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
      expect(result).toMatchObject({ ok: false, entries: 2, chain: { brokenAt: 3 } });
      expect(result.chain?.problem).toMatch(/entry 3 has been altered or forged/);
    });

    it('detects an altered actor on the first entry', async () => {
      await appendEntries(3);
      await allowTampering(store, 'audit_log');
      await store.db
        .updateTable('audit_log')
        .set({ actor_id: 'someone-else' })
        .where('seq', '=', 1)
        .execute();
      expect(await verifyAudit(store.db)).toMatchObject({ ok: false, entries: 0, chain: { brokenAt: 1 } });
    });

    it('detects a deleted middle entry and names the missing one', async () => {
      await appendEntries(5);
      await allowTampering(store, 'audit_log');
      await store.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
      const result = await verifyAudit(store.db);
      expect(result).toMatchObject({
        ok: false,
        entries: 2,
        chain: { brokenAt: 3, problem: 'entry 3 is missing' },
      });
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
      expect(result).toMatchObject({ ok: false, entries: 3, chain: { brokenAt: 4 } });
      expect(result.chain?.problem).toMatch(/entry 4 does not follow entry 3: its previous-hash link/);
    });

    it('detects an entry rewritten and its hash recomputed without the key, at that entry', async () => {
      await appendEntries(4);
      await allowTampering(store, 'audit_log');
      const row = (await auditRows())[1]!;
      const forged = { ...row, details: '{"i":2,"note":"forged"}' };
      // The forger can compute a plain hash, or an HMAC with a key of their own (the public
      // development key, say), but not one with the audit key.
      for (const hash of [legacyHash(forged), keyedHash(auditKey(DEVELOPMENT_AUDIT_KEY), forged)]) {
        await store.db
          .updateTable('audit_log')
          .set({ details: forged.details, hash })
          .where('seq', '=', 2)
          .execute();
        expect(await verifyAudit(store.db)).toMatchObject({ ok: false, entries: 1, chain: { brokenAt: 2 } });
      }
    });

    it('detects entries forged on the end with a chain recomputed under another key, or unkeyed', async () => {
      const rows = await appendEntries(3);
      const forge = async (key: string | null, keyId: string | null) => {
        const unhashed = {
          ...rows[2]!,
          seq: 4,
          action: 'record.destroyed',
          prev_hash: rows[2]!.hash,
          key_id: keyId,
          row_digests: null,
        };
        const hash = key === null ? legacyHash(unhashed) : keyedHash(auditKey(key), unhashed);
        await store.db
          .insertInto('audit_log')
          .values({ ...unhashed, hash })
          .execute();
      };
      await forge(DEVELOPMENT_AUDIT_KEY, auditKey(DEVELOPMENT_AUDIT_KEY).id);
      let result = await verifyAudit(store.db);
      expect(result).toMatchObject({ ok: false, entries: 3, chain: { brokenAt: 4 } });
      expect(result.chain?.problem).toMatch(/entry 4 was not made with this audit key/);

      await allowTampering(store, 'audit_log');
      await execRaw(store.db, 'DELETE FROM audit_log WHERE seq = 4');
      // Claiming the real key's id does not help without the key.
      await forge(DEVELOPMENT_AUDIT_KEY, auditKey(AUDIT_TEST_KEY).id);
      expect((await verifyAudit(store.db)).chain?.problem).toMatch(/entry 4 has been altered or forged/);

      await execRaw(store.db, 'DELETE FROM audit_log WHERE seq = 4');
      await forge(null, null);
      result = await verifyAudit(store.db);
      expect(result.chain?.problem).toMatch(/entry 4 is not keyed, yet comes after keyed entries/);
    });

    it('detects a chain cut short: it no longer holds the head written outside the database', async () => {
      await appendEntries(5);
      await allowTampering(store, 'audit_log');
      await execRaw(store.db, 'DELETE FROM audit_log WHERE seq > 3');
      const result = await verifyAudit(store.db);
      expect(result).toMatchObject({ ok: false, entries: 3, chain: null });
      expect(result.heads.map((h) => [h.source, h.ok])).toEqual([[headFile, false]]);
      expect(result.heads[0]?.message).toMatch(
        /names entry 5 .*but the log ends at entry 3: entries have been removed, or the database was rolled back/,
      );
    });

    it('detects a chain rolled back and written again: the head names an entry that is now another', async () => {
      await appendEntries(5);
      const head = await readHeadFile(headFile);
      await allowTampering(store, 'audit_log');
      await execRaw(store.db, 'DELETE FROM audit_log WHERE seq > 3');
      // New entries with the key, as after restoring an old copy and carrying on.
      const writer = await openStore(url, { key: AUDIT_TEST_KEY, headFile: null });
      try {
        await writer.db
          .transaction()
          .execute((trx) => appendAudit(trx, { ...entry(8), details: { other: true } }));
        await writer.db.transaction().execute((trx) => appendAudit(trx, entry(9)));
      } finally {
        await writer.close();
      }
      expect(await readHeadFile(headFile)).toEqual(head);
      const result = await verifyAudit(store.db);
      expect(result).toMatchObject({ ok: false, entries: 5, chain: null });
      expect(result.heads[0]?.message).toMatch(
        /names entry 5 .*with another hash: the log has been rolled back and rewritten/,
      );
    });

    it('compares with heads copied from the log too, and fails when the head file is missing', async () => {
      const rows = await appendEntries(4);
      const fromLog = { seq: 2, hash: rows[1]!.hash };
      const withLog = await verifyAudit(store.db, { heads: [fromLog, { seq: 3, hash: 'a'.repeat(64) }] });
      expect(withLog.heads.map((h) => [h.source, h.ok])).toEqual([
        [headFile, true],
        ['the log', true],
        ['the log', false],
      ]);
      expect(withLog.heads[1]?.message).toMatch(/holds entry 2; 2 entries follow it/);
      expect(withLog.ok).toBe(false);

      fs.rmSync(headFile);
      const missing = await verifyAudit(store.db);
      expect(missing.ok).toBe(false);
      expect(missing.heads[0]?.message).toMatch(
        /is missing, so a chain cut short or rolled back cannot be ruled out/,
      );
    });

    it('walks chains longer than one page (5,000 entries)', async () => {
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 5003; i++) await appendAudit(trx, { ...entry(1), entityId: `bulk-${i}` });
      });
      const pages: number[] = [];
      const good = await verifyAudit(store.db, { onProgress: (c) => pages.push(c) });
      expect(good).toMatchObject({ ok: true, entries: 5003 });
      expect(pages).toEqual([5000, 5003]);

      await allowTampering(store, 'audit_log');
      await store.db.updateTable('audit_log').set({ action: 'changed' }).where('seq', '=', 5002).execute();
      expect(await verifyAudit(store.db)).toMatchObject({ ok: false, chain: { brokenAt: 5002 } });
    });
  });

  describe('the rows the audit log vouches for', () => {
    it('are all recorded when made through the services, and verify', async () => {
      const fx = await openAuditFixture(dbs, dir, 'rows-good');
      try {
        const report = await verifyAudit(fx.store.db);
        expect(report).toMatchObject({ ok: true, chain: null, rows: { problems: [], problemCount: 0 } });
        expect(report.rows.checked).toEqual({
          removal_authorisations: 2,
          authorisation_history: 3,
          holds: 3,
          blanket_holds: 1,
          destruction_batches: 2,
          destruction_batch_items: 2,
          destruction_register: 2,
          disposition_decisions: 1,
          staff: 5,
          acting_managers: 1,
        });
      } finally {
        await fx.store.close();
      }
    });

    it('a row altered, forged or removed outside the application is named, every one', async () => {
      const fx = await openAuditFixture(dbs, dir, 'rows-tampered');
      const { db } = fx.store;
      const { ids } = fx;
      try {
        await allowTampering(fx.store, 'destruction_register');
        await allowTampering(fx.store, 'authorisation_history');
        const [firstEntry, secondEntry] = ids.registerEntries as [string, string];
        await db
          .updateTable('destruction_register')
          .set({ method: 'recycled' })
          .where('id', '=', firstEntry)
          .execute();
        await db.deleteFrom('destruction_register').where('id', '=', secondEntry).execute();
        const copy = await db
          .selectFrom('destruction_register')
          .selectAll()
          .where('id', '=', firstEntry)
          .executeTakeFirstOrThrow();
        await db
          .insertInto('destruction_register')
          .values({ ...copy, id: 'forged-entry', record_id: 'OPEN-1' })
          .execute();
        await db
          .updateTable('authorisation_history')
          .set({ actor_id: 'someone-else' })
          .where('authorisation_id', '=', ids.approved)
          .where('version', '=', 2)
          .execute();
        await db.deleteFrom('authorisation_history').where('authorisation_id', '=', ids.pending).execute();
        await db
          .updateTable('removal_authorisations')
          .set({ status: 'returned' })
          .where('id', '=', ids.approved)
          .execute();
        await db.deleteFrom('holds').where('id', '=', ids.hold).execute();
        await db
          .updateTable('holds')
          .set({ released_at: null, released_by: null })
          .where('id', '=', ids.releasedHold)
          .execute();
        await db.deleteFrom('destruction_batch_items').where('batch_id', '=', ids.waitingBatch).execute();
        await db
          .updateTable('destruction_batch_items')
          .set({ outcome: 'destroyed' })
          .where('batch_id', '=', ids.confirmedBatch)
          .where('outcome', '=', 'blocked')
          .execute();
        await db
          .updateTable('destruction_batches')
          .set({ status: 'cancelled' })
          .where('id', '=', ids.confirmedBatch)
          .execute();
        await allowTampering(fx.store, 'disposition_decisions');
        await db
          .updateTable('disposition_decisions')
          .set({ decision: 'destroy' })
          .where('id', '=', ids.decision)
          .execute();
        await db
          .updateTable('blanket_holds')
          .set({ ends_on: '2026-11-02' })
          .where('id', '=', ids.blanketHold)
          .execute();
        await db.updateTable('holds').set({ sar_pauses: '[]' }).where('id', '=', ids.sarHold).execute();
        await db
          .updateTable('staff')
          .set({ roles: 'records_management' })
          .where('aad_object_id', '=', 'cw-1')
          .execute();
        await db
          .insertInto('staff')
          .values({
            aad_object_id: 'forged-officer',
            display_name: 'Forged Officer',
            email: 'forged@council.test',
            roles: 'records_management',
            line_manager_id: null,
            updated_at: '2026-11-25T10:00:00.000Z',
            left_on: null,
          })
          .execute();
        await db.updateTable('acting_managers').set({ ends_on: '2027-12-31' }).execute();

        const report = await verifyAudit(db);
        expect(report.ok).toBe(false);
        expect(report.chain).toBeNull();
        const problems = report.rows.problems;
        const expected = [
          new RegExp(
            `destruction register entry ${firstEntry} has been changed outside the application since audit entry \\d+`,
          ),
          new RegExp(`destruction register entry ${secondEntry} is missing: audit entry \\d+ recorded it`),
          /destruction register entry forged-entry is not in the audit log: it was added outside the application/,
          new RegExp(`removal request history entry ${ids.approved}/2 has been changed`),
          new RegExp(`removal request history entry ${ids.pending}/1 is missing`),
          new RegExp(`removal request ${ids.approved} has been changed`),
          new RegExp(`hold ${ids.hold} is missing`),
          new RegExp(`hold ${ids.releasedHold} has been changed`),
          new RegExp(`items of destruction batch ${ids.waitingBatch} is missing`),
          new RegExp(`items of destruction batch ${ids.confirmedBatch} has been changed`),
          new RegExp(`destruction batch ${ids.confirmedBatch} has been changed`),
          new RegExp(`review decision ${ids.decision} has been changed`),
          new RegExp(`hold on whole classes ${ids.blanketHold} has been changed`),
          new RegExp(`hold ${ids.sarHold} has been changed`),
          /staff directory entry cw-1 has been changed/,
          /staff directory entry forged-officer is not in the audit log/,
          /acting manager cover \S+ has been changed/,
        ];
        for (const pattern of expected)
          expect(
            problems.some((p) => pattern.test(p)),
            pattern.source,
          ).toBe(true);
        expect(report.rows.problemCount).toBe(expected.length);
      } finally {
        await fx.store.close();
      }
    });
  });

  describe('a log from before keyed entries (schema 0003)', () => {
    it('is keyed once, in an entry of its own, and its old entries and rows stay checkable', async () => {
      const oldUrl = await dbs.newUrl('legacy');
      const old = await openStore(oldUrl);
      try {
        await migrate(old.db, old.dialect, '0003_destruction_batches');
        // Entries as the old code wrote them: plain SHA-256, no key.
        let prev = GENESIS_HASH;
        for (let seq = 1; seq <= 3; seq++) {
          const row = {
            seq,
            at: entry(seq).at,
            actor_id: `actor-${seq}`,
            action: 'thing.done',
            entity_type: 'thing',
            entity_id: `thing-${seq}`,
            details: JSON.stringify({ seq }),
            prev_hash: prev,
          };
          const hash = legacyHash({ ...row, key_id: null, row_digests: null });
          await sql`INSERT INTO audit_log (seq, at, actor_id, action, entity_type, entity_id, details, prev_hash, hash)
            VALUES (${row.seq}, ${row.at}, ${row.actor_id}, ${row.action}, ${row.entity_type}, ${row.entity_id}, ${row.details}, ${row.prev_hash}, ${hash})`.execute(
            old.db,
          );
          prev = hash;
        }
        // A hold as the schema of 0003 has it (no subject access clock yet).
        await sql`INSERT INTO holds (id, case_ref, record_id, type, reference, reason, sar_received_on, sar_extended, placed_by, placed_at)
          VALUES ('old-hold', 'C-1', NULL, 'litigation', 'OLD-1', 'Old claim', NULL, 0, 'rms', '2025-01-01T10:00:00.000Z')`.execute(
          old.db,
        );
      } finally {
        await old.close();
      }

      const oldHead = path.join(dir, 'legacy-head.json');
      const upgraded = await openReadyStore(oldUrl, defaultSchedule, {
        audit: { key: AUDIT_TEST_KEY, headFile: oldHead },
      });
      try {
        const rows = await upgraded.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
        expect(rows.map((r) => [r.seq, r.action, r.key_id === null])).toEqual([
          [1, 'thing.done', true],
          [2, 'thing.done', true],
          [3, 'thing.done', true],
          [4, 'audit.chain_keyed', false],
          [5, 'audit.rows_recorded', false],
        ]);
        expect(JSON.parse(rows[3]!.details)).toMatchObject({
          unkeyedEntries: 3,
          unkeyedHead: { seq: 3, hash: rows[2]!.hash },
          scheme: 'HMAC-SHA256',
        });
        const recorded = JSON.parse(rows[4]!.row_digests!) as { holds: Record<string, string> };
        expect(Object.keys(recorded)).toEqual(['holds']);
        expect(Object.keys(recorded.holds)).toEqual(['old-hold']);
        expect(recorded.holds['old-hold']).toMatch(/^[0-9a-f]{64}$/);
        expect(await verifyAudit(upgraded.db)).toMatchObject({ ok: true, entries: 5, unkeyedEntries: 3 });

        // Opening it again keys nothing more.
        await upgraded.close();
        const again = await openReadyStore(oldUrl, defaultSchedule, {
          audit: { key: AUDIT_TEST_KEY, headFile: oldHead },
        });
        expect(await countRows(again.db, 'audit_log')).toBe(5);

        // An old entry rewritten, and every old hash recomputed to match, still shows.
        await allowTampering(again, 'audit_log');
        await allowTampering(again, 'authorisation_history');
        await execRaw(again.db, `UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 1`);
        let prev = GENESIS_HASH;
        for (const row of await again.db
          .selectFrom('audit_log')
          .selectAll()
          .where('seq', '<=', 3)
          .orderBy('seq')
          .execute()) {
          const hash = legacyHash({ ...row, prev_hash: prev });
          await again.db
            .updateTable('audit_log')
            .set({ prev_hash: prev, hash })
            .where('seq', '=', row.seq)
            .execute();
          prev = hash;
        }
        await again.db.updateTable('holds').set({ reason: 'changed' }).where('id', '=', 'old-hold').execute();
        const report = await verifyAudit(again.db);
        expect(report).toMatchObject({ ok: false, entries: 3, unkeyedEntries: 3, chain: { brokenAt: 4 } });
        expect(report.chain?.problem).toMatch(/previous-hash link is wrong/);
        await again.close();
      } finally {
        await upgraded.close();
      }
    });

    it('is keyed the same way when the database took 0005 and 0006 before 0004: the new tables are recorded and protected too', async () => {
      const oldUrl = await dbs.newUrl('legacy-late');
      const old = await openStore(oldUrl);
      const at = '2026-11-20T09:00:00.000Z';
      try {
        const { '0004_tamper_evidence': _later, ...earlier } = migrations(dialect);
        const { error } = await new Migrator({
          db: old.db,
          provider: { getMigrations: () => Promise.resolve(earlier) },
        }).migrateToLatest();
        expect(error).toBeUndefined();
        let prev = GENESIS_HASH;
        for (let seq = 1; seq <= 2; seq++) {
          const row = {
            seq,
            at,
            actor_id: 'rms',
            action: 'thing.done',
            entity_type: 'thing',
            entity_id: `thing-${seq}`,
            details: '{}',
            prev_hash: prev,
          };
          const hash = legacyHash({ ...row, key_id: null, row_digests: null });
          await sql`INSERT INTO audit_log (seq, at, actor_id, action, entity_type, entity_id, details, prev_hash, hash)
            VALUES (${row.seq}, ${row.at}, ${row.actor_id}, ${row.action}, ${row.entity_type}, ${row.entity_id}, ${row.details}, ${row.prev_hash}, ${hash})`.execute(
            old.db,
          );
          prev = hash;
        }
        await old.db
          .insertInto('staff')
          .values({
            aad_object_id: 'rms',
            display_name: 'Robin Records',
            email: 'rms@council.test',
            roles: 'records_management',
            line_manager_id: null,
            updated_at: at,
            left_on: null,
          })
          .execute();
        await old.db
          .insertInto('disposition_decisions')
          .values({
            id: 'old-decision',
            group_id: 'g-1',
            record_id: 'R-1',
            case_ref: 'C-1',
            record_class: 'adoption',
            decision: 'keep',
            reason: 'Kept for a claim',
            keep_years: 5,
            review_on: '2031-11-20',
            accession_ref: null,
            archive: null,
            retention_ended_on: '2026-01-01',
            schedule_version: 'v1',
            rule_id: null,
            kept_with: null,
            decided_by: 'rms',
            decided_by_name: 'Robin Records',
            decided_by_role: 'Records Management officer',
            decided_on: '2026-11-20',
            decided_at: at,
          })
          .execute();
        await old.db
          .insertInto('blanket_holds')
          .values({
            id: 'old-blanket',
            type: 'inquiry',
            name: 'An inquiry',
            reference: 'INQ-1',
            reason: 'Keep everything',
            starts_on: '2026-01-01',
            ends_on: null,
            classes: null,
            placed_by: 'rms',
            placed_at: at,
            released_by: null,
            released_at: null,
            release_reason: null,
          })
          .execute();
      } finally {
        await old.close();
      }

      const upgraded = await openReadyStore(oldUrl, defaultSchedule, {
        audit: { key: AUDIT_TEST_KEY, headFile: path.join(dir, 'legacy-late-head.json') },
      });
      try {
        const rows = await upgraded.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
        expect(rows.map((r) => [r.action, r.entity_id, r.key_id === null])).toEqual([
          ['thing.done', 'thing-1', true],
          ['thing.done', 'thing-2', true],
          ['audit.chain_keyed', 'chain', false],
          ['audit.rows_recorded', 'blanket_holds', false],
          ['audit.rows_recorded', 'disposition_decisions', false],
          ['audit.rows_recorded', 'staff', false],
        ]);
        const report = await verifyAudit(upgraded.db);
        expect(report).toMatchObject({ ok: true, entries: 6, unkeyedEntries: 2 });
        expect(report.rows.checked).toMatchObject({ blanket_holds: 1, disposition_decisions: 1, staff: 1 });

        // The decisions refuse REPLACE and upsert as the other append-only tables do.
        const overwrite =
          dialect === 'sqlite'
            ? sql`REPLACE INTO disposition_decisions SELECT * FROM disposition_decisions`
            : sql`INSERT INTO disposition_decisions SELECT * FROM disposition_decisions ON CONFLICT (id) DO UPDATE SET decision = 'destroy'`;
        await expect(overwrite.execute(upgraded.db)).rejects.toThrow(/append-only/);

        // And a decision changed behind the application's back shows.
        await allowTampering(upgraded, 'disposition_decisions');
        await upgraded.db.updateTable('disposition_decisions').set({ decision: 'destroy' }).execute();
        const tampered = await verifyAudit(upgraded.db);
        expect(tampered.ok).toBe(false);
        expect(tampered.rows.problems).toEqual([
          expect.stringMatching(/^review decision old-decision has been changed outside the application/),
        ]);
      } finally {
        await upgraded.close();
      }
    });

    it('a log that was never keyed does not pass', async () => {
      const raw = await openStore(url, { key: AUDIT_TEST_KEY, headFile: null });
      try {
        const row = {
          seq: 1,
          at: entry(1).at,
          actor_id: 'a',
          action: 'thing.done',
          entity_type: 'thing',
          entity_id: 'x',
          details: '{}',
          prev_hash: GENESIS_HASH,
          key_id: null,
          row_digests: null,
        };
        await raw.db
          .insertInto('audit_log')
          .values({ ...row, hash: legacyHash(row) })
          .execute();
        const report = await verifyAudit(raw.db);
        expect(report.ok).toBe(false);
        expect(report.chain?.problem).toMatch(/no entry is keyed/);
      } finally {
        await raw.close();
      }
    });
  });
});
