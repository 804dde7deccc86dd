import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSchedule } from '../../src/rules/index.js';
import { appendAudit } from '../../src/store/audit.js';
import { openReadyStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import {
  allowTampering,
  execRaw,
  forEachDialect,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

forEachDialect((dialect) => {
  let dbs: TestDatabases;

  /** A database whose audit log has `count` entries, optionally changed afterwards by `tamper`. */
  async function auditDb(name: string, count: number, tamper?: string[]): Promise<string> {
    const url = await dbs.newUrl(name);
    const store = await openReadyStore(url, defaultSchedule);
    try {
      for (let i = 1; i <= count; i++) {
        await store.db.transaction().execute((trx) =>
          appendAudit(trx, {
            at: `2026-11-25T10:00:0${i}.000Z`,
            actorId: 'test',
            action: 'thing.done',
            entityType: 'thing',
            entityId: `thing-${i}`,
            details: { i },
          }),
        );
      }
      if (tamper) {
        await allowTampering(store, 'audit_log');
        for (const statement of tamper) await execRaw(store.db, statement);
      }
    } finally {
      await store.close();
    }
    return url;
  }

  beforeAll(() => {
    dbs = testDatabases(dialect);
  });

  afterAll(async () => {
    await dbs.cleanup();
  });

  describe('verify-audit', () => {
    it('returns 0 and says the log is intact for a good chain', async () => {
      const run = await runCli(await auditDb('good', 4), ['verify-audit']);
      expect(run.code).toBe(0);
      expect(run.err).toEqual([]);
      expect(run.out).toEqual(['Audit log intact: 4 entries, chain verified.']);
    });

    it('returns 0 for an empty log', async () => {
      const run = await runCli(await auditDb('empty', 0), ['verify-audit']);
      expect(run.code).toBe(0);
      expect(run.out).toEqual(['Audit log intact: 0 entries, chain verified.']);
    });

    it('returns 1 and names the altered entry', async () => {
      const url = await auditDb('altered', 4, [`UPDATE audit_log SET details = '{"i":99}' WHERE seq = 3`]);
      const run = await runCli(url, ['verify-audit']);
      expect(run.code).toBe(1);
      expect(run.out).toEqual([]);
      expect(run.err).toEqual([
        'Audit log BROKEN at entry 3: entry 3 has been altered: its contents do not match its hash. Entries 1–2 verify.',
      ]);
    });

    it('returns 1 and names a deleted entry', async () => {
      const url = await auditDb('deleted', 4, ['DELETE FROM audit_log WHERE seq = 2']);
      const run = await runCli(url, ['verify-audit']);
      expect(run.code).toBe(1);
      expect(run.err[0]).toMatch(/^Audit log BROKEN at entry 2: entry 2 is missing\./);
    });

    it('returns 1 for a broken previous-hash link', async () => {
      const url = await auditDb('relinked', 4, [
        `UPDATE audit_log SET prev_hash = '${'a'.repeat(64)}' WHERE seq = 2`,
      ]);
      const run = await runCli(url, ['verify-audit']);
      expect(run.code).toBe(1);
      expect(run.err[0]).toMatch(/^Audit log BROKEN at entry 2: .*previous-hash link is wrong/);
    });

    it('verifies the entries the demo import writes', async () => {
      const url = await dbs.newUrl('demo');
      expect((await runCli(url, ['load-demo'])).code).toBe(0);
      const run = await runCli(url, ['verify-audit']);
      expect(run.code).toBe(0);
      expect(run.out).toEqual(['Audit log intact: 2 entries, chain verified.']);
    });
  });
});
