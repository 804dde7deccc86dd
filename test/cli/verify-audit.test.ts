import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSchedule } from '../../src/rules/index.js';
import { appendAudit, DEVELOPMENT_AUDIT_KEY } from '../../src/store/audit.js';
import { openReadyStore } from '../../src/store/index.js';
import { headFileFor, runCli } from '../support/cli.js';
import {
  allowTampering,
  execRaw,
  forEachDialect,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

forEachDialect((dialect) => {
  let dbs: TestDatabases;

  /**
   * A database whose audit log has `count` entries, written as the command line would (keyed with
   * the development key, its head where the command line looks), optionally changed afterwards.
   */
  async function auditDb(name: string, count: number, tamper?: string[]): Promise<string> {
    const url = await dbs.newUrl(name);
    const store = await openReadyStore(url, defaultSchedule, {
      audit: { key: DEVELOPMENT_AUDIT_KEY, headFile: headFileFor(url) },
    });
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

  /** The head the command line wrote for `url`. */
  const headOf = (url: string) =>
    JSON.parse(fs.readFileSync(headFileFor(url), 'utf8')) as { hash: string; writtenAt: string };

  beforeAll(() => {
    dbs = testDatabases(dialect);
  });

  afterAll(async () => {
    await dbs.cleanup();
  });

  afterEach(() => {
    delete process.env.AUDIT_KEY;
  });

  describe('verify-audit', () => {
    it('returns 0 and says the log is intact, the head matches and the rows agree', async () => {
      const url = await auditDb('good', 4);
      const run = await runCli(url, ['verify-audit']);
      expect(run.code, run.text).toBe(0);
      expect(run.err).toEqual([]);
      expect(run.out).toHaveLength(3);
      expect(run.out[0]).toMatch(
        /^Audit log intact: 4 entries, chain verified with the audit key \(key id [0-9a-f]{16}, the built-in development key: set AUDIT_KEY for real records\)\.$/,
      );
      expect(run.out[1]).toBe(
        `Chain head ${headFileFor(url)} matches the chain head, entry 4 (written ${headOf(url).writtenAt}).`,
      );
      expect(run.out[2]).toBe(
        'Rows checked against the audit log (none yet): none altered, added or removed.',
      );
    });

    it('returns 0 for an empty log, whose head is not written yet', async () => {
      const url = await auditDb('empty', 0);
      const run = await runCli(url, ['verify-audit']);
      expect(run.code).toBe(0);
      expect(run.out[0]).toMatch(/^Audit log intact: 0 entries, chain verified/);
      expect(run.out[1]).toBe(`Chain head ${headFileFor(url)} not written yet: the log is empty.`);
    });

    it('returns 1 and names the altered entry', async () => {
      const url = await auditDb('altered', 4, [`UPDATE audit_log SET details = '{"i":99}' WHERE seq = 3`]);
      const run = await runCli(url, ['verify-audit']);
      expect(run.code).toBe(1);
      expect(run.err[0]).toMatch(
        /^Audit log BROKEN at entry 3: entry 3 has been altered or forged: its contents do not match its HMAC under the audit key\. Entries 1–2 verify \(key id [0-9a-f]{16}/,
      );
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

    it('returns 1 for a chain cut short, which verifies on its own but no longer holds its head', async () => {
      const url = await auditDb('truncated', 4, ['DELETE FROM audit_log WHERE seq > 2']);
      const run = await runCli(url, ['verify-audit']);
      expect(run.code).toBe(1);
      expect(run.out[0]).toMatch(/^Audit log intact: 2 entries/);
      expect(run.err).toEqual([
        expect.stringMatching(
          /^Chain head .* names entry 4 .*but the log ends at entry 2: entries have been removed, or the database was rolled back to an earlier copy\.$/,
        ) as string,
      ]);
    });

    it('checks heads given on the command line, from a file or copied from the log', async () => {
      const url = await auditDb('heads', 3);
      const { hash } = headOf(url);
      const copy = `${headFileFor(url)}.copy`;
      fs.copyFileSync(headFileFor(url), copy);
      const good = await runCli(url, ['verify-audit', '--head-file', copy, '--head', `3:${hash}`]);
      expect(good.code, good.text).toBe(0);
      expect(good.out.filter((l) => l.startsWith('Chain head'))).toEqual([
        expect.stringMatching(new RegExp(`^Chain head ${copy} matches the chain head, entry 3`)) as string,
        'Chain head the log matches the chain head, entry 3.',
      ]);
      const wrong = await runCli(url, ['verify-audit', '--head', `2:${hash}`]);
      expect(wrong.code).toBe(1);
      expect(wrong.err).toEqual([
        'Chain head the log names entry 2 with another hash: the log has been rolled back and rewritten from there (or the head belongs to another database).',
      ]);
      const bad = await runCli(url, ['verify-audit', '--head', 'latest']);
      expect(bad.code).toBe(2);
      expect(bad.err).toEqual([
        '--head "latest" is not a chain head: write it as <entry number>:<64 hex digits>.',
      ]);
      fs.rmSync(copy);
    });

    it('returns 1 when the chain head file is missing: a cut-short chain could not be ruled out', async () => {
      const url = await auditDb('no-head', 2);
      fs.rmSync(headFileFor(url));
      const run = await runCli(url, ['verify-audit']);
      expect(run.code).toBe(1);
      expect(run.err[0]).toMatch(/is missing, so a chain cut short or rolled back cannot be ruled out/);
    });

    it('returns 1 with another AUDIT_KEY: the entries were not made with it', async () => {
      const url = await auditDb('other-key', 2);
      process.env.AUDIT_KEY = 'another-audit-key:Kd8Wq3Zn6Xb1Lm4Rt7Pv0Js';
      const run = await runCli(url, ['verify-audit']);
      expect(run.code).toBe(1);
      expect(run.err[0]).toMatch(/^Audit log BROKEN at entry 1: entry 1 was not made with this audit key/);
      expect(run.err[0]).not.toContain('development key');
    });

    it('verifies the entries the demo import writes, and the rows they vouch for', async () => {
      const url = await dbs.newUrl('demo');
      expect((await runCli(url, ['load-demo'])).code).toBe(0);
      const run = await runCli(url, ['verify-audit']);
      expect(run.code, run.text).toBe(0);
      expect(run.out[0]).toMatch(/^Audit log intact: 2 entries, chain verified/);
    });

    it('migrate brings the schema up to date and says so', async () => {
      const url = await dbs.newUrl('migrate');
      const run = await runCli(url, ['migrate']);
      expect(run.code, run.text).toBe(0);
      expect(run.out).toEqual([expect.stringMatching(/^Database .* is up to date\.$/) as string]);
    });
  });
});
