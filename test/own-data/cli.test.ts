import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEVELOPMENT_AUDIT_KEY } from '../../src/store/audit.js';
import { headFileFor, runCli } from '../support/cli.js';
import { countRows, forEachDialect, suiteStorage } from '../support/temp-store.js';
import { CASE_A, CASE_B, openOwnDataFixture, type OwnDataFixture } from './fixture.js';

// The command line: `purge --dry-run` shows what would go and removes nothing, `purge` removes it
// and verify-audit is content; `subject-access` writes the JSON and Excel files. The command line
// counts periods to today, and the fixture's history is from 2019 (the requests of case A expired
// in 2025; case B's are held).

forEachDialect((dialect) => {
  const storage = suiteStorage(dialect, 'cra-own-cli-');
  let fx: OwnDataFixture;
  beforeEach(async () => {
    const url = await storage.dbs.newUrl('own_cli');
    fx = await openOwnDataFixture(storage.dbs, storage.dir, 'own-cli', {
      url,
      key: DEVELOPMENT_AUDIT_KEY,
      headFile: headFileFor(url),
    });
    await fx.store.close();
  });
  afterEach(() => {
    fs.rmSync(headFileFor(fx.url), { force: true });
  });

  const requests = async () => {
    const { openReadyStore } = await import('../../src/store/index.js');
    const { defaultSchedule } = await import('../../src/rules/index.js');
    const store = await openReadyStore(fx.url, defaultSchedule, {
      audit: { key: DEVELOPMENT_AUDIT_KEY, headFile: headFileFor(fx.url) },
    });
    try {
      return {
        ids: (await store.db.selectFrom('removal_authorisations').select('id').execute()).map((r) => r.id),
        audit: await countRows(store.db, 'audit_log'),
      };
    } finally {
      await store.close();
    }
  };

  it('purge --dry-run shows what would go; purge removes it; a second finds nothing; verify-audit is content', async () => {
    const before = await requests();
    const dry = await runCli(fx.url, ['purge', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out[0]).toMatch(
      /^Dry run, nothing was removed: what would go as on \d+ \w+ \d{4} \(own-data schedule 2026\.1\):$/,
    );
    expect(dry.text).toMatch(
      /Removal requests and authorisations \(kept 6 years from the day the request was closed: records returned, request declined or withdrawn: expired before .+\): \d+ requests, \d+ history lines, \d+ notifications, \d+ audit entries; 2 rows expired but kept \(under a hold, or needed by what is kept\)\./,
    );
    expect(dry.text).toContain(
      'Never purged: audit log, destruction register and certificates, destruction batches, review decisions, staff directory.',
    );
    expect(await requests()).toEqual(before);

    const real = await runCli(fx.url, ['purge']);
    expect(real.code).toBe(0);
    expect(real.text).toMatch(/rows? removed; each batch is recorded in the audit log/);
    const after = await requests();
    for (const id of fx.ids.closedA) expect(after.ids).not.toContain(id);
    for (const id of fx.ids.closedB) expect(after.ids).toContain(id);

    const again = await runCli(fx.url, ['purge']);
    expect(again.text).toContain('0 rows removed');
    expect((await requests()).audit).toBe(after.audit);

    const verified = await runCli(fx.url, ['verify-audit']);
    expect(verified.code).toBe(0);
    expect(verified.text).toMatch(
      /Audit log intact: .* entries were removed by purges, each vouched for by the purge entry that recorded its hash\./,
    );
    expect(verified.text).toMatch(
      /none altered, added or removed \(removed by purges, as the log records: 2 removal requests, 6 removal request history entries/,
    );
  });

  it('subject-access writes the JSON and the workbook for a case or a person', async () => {
    const out = path.join(storage.dir, `sar-${dialect}-${Math.random().toString(36).slice(2)}`);
    const run = await runCli(fx.url, ['subject-access', '--case', CASE_A, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(new RegExp(`^Case ${CASE_A}: case 1, records 3, removal requests 4, `));
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual([
      expect.stringMatching(new RegExp(`^subject-access-case-${CASE_A}-\\d{4}-\\d{2}-\\d{2}\\.json$`)),
      expect.stringMatching(new RegExp(`^subject-access-case-${CASE_A}-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`)),
    ]);
    const report = JSON.parse(fs.readFileSync(path.join(out, files[0]!), 'utf8')) as {
      subject: unknown;
      compiledBy: unknown;
    };
    expect(report.subject).toEqual({ kind: 'case', caseRef: CASE_A });
    expect(report.compiledBy).toEqual({ id: 'cli', name: null, via: 'command line' });
    expect(fs.readFileSync(path.join(out, files[0]!), 'utf8')).not.toContain(CASE_B);
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(out, files[0]!)).mode & 0o777).toBe(0o600);
      // Written again over a file others could read, it is readable only by whoever ran it.
      fs.chmodSync(path.join(out, files[0]!), 0o644);
      expect((await runCli(fx.url, ['subject-access', '--case', CASE_A, '--out', out])).code).toBe(0);
      expect(fs.statSync(path.join(out, files[0]!)).mode & 0o777).toBe(0o600);
    }

    const person = await runCli(fx.url, [
      'subject-access',
      '--person',
      'jo.patel@council.example',
      '--out',
      out,
    ]);
    expect(person.code).toBe(0);
    expect(person.out[0]).toMatch(/^Jo Patel \(6f1c2a4e-0005-4b7a-9c1e-000000000005\): staff directory 1, /);

    expect((await runCli(fx.url, ['subject-access'])).code).toBe(2);
    expect((await runCli(fx.url, ['subject-access', '--case', CASE_A, '--person', 'x'])).code).toBe(2);
    const bad = await runCli(fx.url, ['subject-access', '--case', 'not a ref']);
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual(['Give a case reference: letters and digits, such as 1234567.']);
  });
});
