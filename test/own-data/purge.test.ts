import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  defaultOwnDataSchedule,
  defaultSchedule,
  PURGEABLE_KINDS,
  type PurgeableKind,
} from '../../src/rules/index.js';
import { PurgeService, type PurgeReport } from '../../src/services/purge.js';
import { RemovalService } from '../../src/services/removal.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { openReadyStore } from '../../src/store/index.js';
import type { Database } from '../../src/store/schema.js';
import { STAFF } from '../support/bot-harness.js';
import { countRows, forEachDialect } from '../support/temp-store.js';
import { CASE_A, OWN_DATA_KEY, ownDataSuite } from './fixture.js';

// The purge of the product's own data, on both databases, with a fixed clock: what has expired
// goes, what is held or needed stays, the audit chain (and its head outside the database) still
// verifies, a second purge removes nothing, and the append-only tables still refuse ad-hoc DELETEs.

const PERMANENT_TABLES = [
  'destruction_register',
  'disposition_decisions',
  'destruction_batches',
  'staff',
] as const;

async function ids(
  db: Kysely<Database>,
  table: 'removal_authorisations' | 'holds' | 'acting_managers' | 'blanket_holds',
) {
  return (await db.selectFrom(table).select('id').execute()).map((r) => r.id).sort();
}

function removedOf(report: PurgeReport, kind: PurgeableKind): Record<string, number> {
  return report.kinds.find((k) => k.kind === kind)!.removed;
}

forEachDialect((dialect) => {
  const fx = ownDataSuite(dialect, 'purge');

  const purge = (options: { dryRun?: boolean } = {}) =>
    new PurgeService(fx.store.db, fx.clock, defaultOwnDataSchedule).run({ actorId: 'cli', ...options });

  it('removes what has expired, keeps what is held or needed, and the audit log still verifies against its head', async () => {
    const db = fx.store.db;
    const permanent = Object.fromEntries(
      await Promise.all(PERMANENT_TABLES.map(async (t) => [t, await countRows(db, t)] as const)),
    );
    const history = async (id: string) =>
      db.selectFrom('authorisation_history').select('version').where('authorisation_id', '=', id).execute();
    const entriesAbout = async (id: string) =>
      Number(
        (
          await db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('entity_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect((await history(fx.ids.closedA[0]!)).length).toBe(3);
    expect(await entriesAbout(fx.ids.closedA[0]!)).toBe(3);

    const outcome = await purge();
    expect(outcome.ok).toBe(true);
    const report = (outcome as { report: PurgeReport }).report;
    expect(report.today).toBe('2026-03-10');

    // Case A's requests of 2019 went, with their history, notifications and audit entries; case B's
    // (under a subject access hold), A's of 2025 and A's open one stay.
    expect(await ids(db, 'removal_authorisations')).toEqual(
      [...fx.ids.closedB, fx.ids.recentA, fx.ids.openA].sort(),
    );
    for (const id of fx.ids.closedA) {
      expect(await history(id)).toEqual([]);
      expect(await entriesAbout(id)).toBe(0);
      expect(await db.selectFrom('outbox').select('id').where('authorisation_id', '=', id).execute()).toEqual(
        [],
      );
    }
    expect((await history(fx.ids.closedB[0]!)).length).toBe(3);
    expect(await entriesAbout(fx.ids.closedB[0]!)).toBe(3);
    expect(removedOf(report, 'removal-requests')).toMatchObject({
      removal_authorisations: 2,
      authorisation_history: 6,
      audit_log: 6,
    });
    expect(report.kinds.find((k) => k.kind === 'removal-requests')!.kept).toBe(2);

    // A's released hold went; B's released hold stays while B is under the subject access hold.
    expect(await ids(db, 'holds')).toEqual([fx.ids.releasedHoldB, fx.ids.sarHoldB].sort());
    expect(await entriesAbout(fx.ids.releasedHoldA)).toBe(0);
    // Tom's cover stays: a request he decided under it is kept (B's); Rosa's went.
    expect(await ids(db, 'acting_managers')).toEqual([fx.ids.coverKept]);
    expect(await ids(db, 'blanket_holds')).toEqual([]);
    // Notifications of 2025 about A's later request went; B's of 2019 stay with B's requests.
    const outbox = await db.selectFrom('outbox').select(['authorisation_id', 'sent_at']).execute();
    expect(
      outbox
        .filter((o) => o.sent_at && o.sent_at < '2026-02-08')
        .map((o) => o.authorisation_id)
        .sort(),
    ).toEqual(
      outbox
        .filter((o) => fx.ids.closedB.includes(o.authorisation_id ?? ''))
        .map((o) => o.authorisation_id)
        .sort(),
    );
    expect(removedOf(report, 'notifications').outbox).toBeGreaterThan(0);
    // Teams activities of 2019 went, yesterday's stayed; Jo's unreachable conversation went.
    expect((await db.selectFrom('processed_activities').select('activity_key').execute()).length).toBe(1);
    expect(
      (
        await db
          .selectFrom('conversation_references')
          .select('aad_object_id')
          .orderBy('aad_object_id')
          .execute()
      ).map((r) => r.aad_object_id),
    ).toEqual([STAFF.priya, STAFF.sam].sort());

    // The register, batches, decisions and staff are untouched.
    for (const table of PERMANENT_TABLES) expect(await countRows(db, table)).toBe(permanent[table]);
    expect(await countRows(db, 'purge_authorisations')).toBe(0);

    // Each batch left an entry saying which kind of data and how many rows went.
    const entries = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'details', 'row_digests', 'actor_id'])
      .where('action', '=', 'data.purged')
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => e.entity_id)).toEqual(PURGEABLE_KINDS);
    const first = JSON.parse(entries[0]!.details) as { rows: Record<string, number>; cutoff: string };
    expect(first).toMatchObject({ cutoff: '2020-03-10', rows: { removal_authorisations: 2, audit_log: 6 } });
    expect(entries.every((e) => e.actor_id === 'cli')).toBe(true);

    // The chain verifies across the removed entries, against the head written outside the database.
    const verified = await verifyAudit(db);
    expect(verified).toMatchObject({ ok: true, chain: null, rows: { problemCount: 0 } });
    expect(verified.heads).toEqual([expect.objectContaining({ ok: true })]);
    expect(verified.removedEntries).toBe(
      Object.values(report.kinds).reduce((n, k) => n + (k.removed.audit_log ?? 0), 0),
    );
    expect(verified.rows.removed).toMatchObject({
      removal_authorisations: 2,
      authorisation_history: 6,
      holds: 1,
    });

    // The product keeps working on top: a new request, and the log still verifies; a restart too.
    const removals = new RemovalService(db, fx.clock, { maxDays: 14 });
    const next = await removals.request(STAFF.sam, {
      caseRef: CASE_A,
      recordIds: [],
      purpose: 'court',
      destination: 'Court',
      outOn: '2026-03-10',
      returnOn: '2026-03-11',
      justification: 'Hearing',
      acknowledged: true,
      unknownCaseConfirmed: false,
    });
    expect(next.ok).toBe(true);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, rows: { problemCount: 0 } });
  });

  it('a second purge removes nothing and writes nothing', async () => {
    await purge();
    const entries = await countRows(fx.store.db, 'audit_log');
    const head = fs.readFileSync(fx.headFile, 'utf8');
    const again = await purge();
    expect(again).toMatchObject({ ok: true, report: { total: 0 } });
    expect(await countRows(fx.store.db, 'audit_log')).toBe(entries);
    expect(fs.readFileSync(fx.headFile, 'utf8')).toBe(head);
  });

  it('a dry run says what would go and changes nothing; the purge then removes exactly that', async () => {
    const db = fx.store.db;
    const tables = [
      'removal_authorisations',
      'authorisation_history',
      'audit_log',
      'holds',
      'outbox',
    ] as const;
    const before = await Promise.all(tables.map((t) => countRows(db, t)));
    const head = fs.readFileSync(fx.headFile, 'utf8');
    const dry = await purge({ dryRun: true });
    expect(dry).toMatchObject({ ok: true, report: { dryRun: true } });
    expect(await Promise.all(tables.map((t) => countRows(db, t)))).toEqual(before);
    expect(fs.readFileSync(fx.headFile, 'utf8')).toBe(head);
    const real = await purge();
    const shape = (r: typeof dry) =>
      (r as { report: PurgeReport }).report.kinds.map((k) => ({
        kind: k.kind,
        removed: k.removed,
        kept: k.kept,
      }));
    expect(shape(real)).toEqual(shape(dry));
    expect((real as { report: PurgeReport }).report.total).toBeGreaterThan(0);
  });

  it('ad-hoc DELETEs are still refused on the audit log and request history, after a purge too', async () => {
    await purge();
    const db = fx.store.db;
    const entries = await countRows(db, 'audit_log');
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(db)).rejects.toThrow(
      /audit_log is append-only: DELETE refused/,
    );
    await expect(db.deleteFrom('authorisation_history').execute()).rejects.toThrow(
      /authorisation_history is append-only: DELETE refused/,
    );
    expect(await countRows(db, 'audit_log')).toBe(entries);
    // Naming a row as the purge would, outside a purge, does not open the door on PostgreSQL (the
    // purge entry must be written in the same transaction); on SQLite, where whoever can write the
    // file can do anything, the removal it lets through is named by verify-audit.
    const last = await db
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('purge_authorisations')
      .values({ table_name: 'audit_log', row_key: '2', seq: Number(last.seq) })
      .execute();
    if (dialect === 'postgres') {
      await expect(sql`DELETE FROM audit_log WHERE seq = 2`.execute(db)).rejects.toThrow(
        /append-only: DELETE refused/,
      );
      expect(await verifyAudit(db)).toMatchObject({ ok: true });
    } else {
      await sql`DELETE FROM audit_log WHERE seq = 2`.execute(db);
      expect(await verifyAudit(db)).toMatchObject({
        ok: false,
        chain: { brokenAt: 2, problem: 'entry 2 is missing' },
      });
    }
  });

  it('a request put back after the purge, or a purged entry put back, is named by verify-audit', async () => {
    const db = fx.store.db;
    const request = await db
      .selectFrom('removal_authorisations')
      .selectAll()
      .where('id', '=', fx.ids.closedA[0]!)
      .executeTakeFirstOrThrow();
    await purge();
    await db.insertInto('removal_authorisations').values(request).execute();
    const report = await verifyAudit(db);
    expect(report.ok).toBe(false);
    expect(report.rows.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `removal request ${request.id} is there, though audit entry \\d+ recorded that a purge removed it`,
        ),
      ),
    ]);
  });

  it('restarts on the purged database with its head, and a head written before the purge still matches', async () => {
    const db = fx.store.db;
    const early = JSON.parse(fs.readFileSync(fx.headFile, 'utf8')) as { seq: number; hash: string };
    // An older head (another instance's) naming an entry a purge then removes: the first entry about
    // one of A's requests.
    const first = await db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .where('entity_id', '=', fx.ids.closedA[0]!)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirstOrThrow();
    await purge();
    const report = await verifyAudit(db, {
      heads: [{ seq: Number(first.seq), hash: first.hash }, early],
    });
    expect(report).toMatchObject({ ok: true });
    expect(report.heads.map((h) => h.ok)).toEqual([true, true, true]);
    const older = `${fx.headFile}.older.json`;
    fs.writeFileSync(older, JSON.stringify({ ...first, seq: Number(first.seq), keyId: null, writtenAt: '' }));
    // A restart with that older head: the entry it names is gone, and its purge entry vouches for it.
    const reopened = await openReadyStore(fx.url, defaultSchedule, {
      audit: { key: OWN_DATA_KEY, headFile: older },
    });
    await reopened.close();
    // A head naming that entry with another hash still stops a start.
    fs.writeFileSync(
      older,
      JSON.stringify({ seq: Number(first.seq), hash: 'f'.repeat(64), keyId: null, writtenAt: '' }),
    );
    await expect(
      openReadyStore(fx.url, defaultSchedule, { audit: { key: OWN_DATA_KEY, headFile: older } }),
    ).rejects.toThrow(/does not match the chain head/);
  });
});

describe('the own-data schedule in force', () => {
  it('keeps the register, batches, review decisions and the staff directory permanently and the audit log with the data', () => {
    const keep = Object.fromEntries(defaultOwnDataSchedule.kinds.map((k) => [k.kind, k.keep]));
    expect(keep).toMatchObject({
      'destruction-register': 'permanent',
      'destruction-batches': 'permanent',
      'review-decisions': 'permanent',
      'staff-directory': 'permanent',
      'audit-log': 'with-the-data',
      'removal-requests': { years: 6 },
      'handled-activities': { days: 1 },
    });
  });
});
