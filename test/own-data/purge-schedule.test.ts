import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultOwnDataSchedule, defaultSchedule } from '../../src/rules/index.js';
import { PURGE_LOCK, PurgeSchedule, PurgeService, type PurgeOutcome } from '../../src/services/purge.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { unlessRunningElsewhere } from '../../src/store/dialect.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { countRows, forEachDialect } from '../support/temp-store.js';
import { CASE_A, CASE_B, OWN_DATA_KEY, ownDataSuite } from './fixture.js';

// The server's purge: on a timer it logs what went in counts by kind (never a name or a case
// reference); two runs asked for at once are one. On several instances (PostgreSQL) one purges at a
// time, another that tries meanwhile removes nothing, and instances purging together remove each
// row once.

const total = (outcome: PurgeOutcome) => (outcome.ok ? outcome.report.total : 0);

forEachDialect((dialect) => {
  const fx = ownDataSuite(dialect, 'purge_schedule');
  let other: Store | null = null;

  afterEach(async () => {
    await other?.close();
    other = null;
  });

  const service = (db = fx.store.db) => new PurgeService(db, fx.clock, defaultOwnDataSchedule);
  /** A second instance: its own connections to the same database. */
  const secondInstance = async () => {
    other = await openReadyStore(fx.url, defaultSchedule, {
      audit: { key: OWN_DATA_KEY, headFile: fx.headFile },
    });
    return other;
  };

  it('logs each run in counts by kind, never names or case references; two runs at once are one', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const expected = total(await service().run({ actorId: 'system', dryRun: true }));
    expect(expected).toBeGreaterThan(0);

    const schedule = new PurgeSchedule(service(), 60, log);
    const [a, b] = await Promise.all([schedule.runOnce(), schedule.runOnce()]);
    expect(a).toBe(b);
    expect(total(a)).toBe(expected);
    const purged = await fx.store.db
      .selectFrom('audit_log')
      .select(['actor_id', 'entity_id'])
      .where('action', '=', 'data.purged')
      .execute();
    expect(new Set(purged.map((e) => e.actor_id))).toEqual(new Set(['system']));
    expect(purged.length).toBe(new Set(purged.map((e) => e.entity_id)).size);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'own data purged',
      total: expected,
      removed: {
        'removal-requests': expect.any(Number) as unknown,
        notifications: expect.any(Number) as unknown,
      },
      kept: { 'removal-requests': 2 },
    });
    const text = JSON.stringify(lines);
    for (const secret of [CASE_A, CASE_B, 'Sam', 'Priya', 'Family Court']) expect(text).not.toContain(secret);

    await schedule.stop();
    expect(total(await schedule.runOnce())).toBe(0);
  });

  describe.runIf(dialect === 'postgres')('on several PostgreSQL instances', () => {
    it('instances purging at the same moment remove each row once, and the log verifies', async () => {
      const expected = total(await service().run({ actorId: 'system', dryRun: true }));
      const second = await secondInstance();
      const outcomes = await Promise.all([
        service().run({ actorId: 'system' }),
        service(second.db).run({ actorId: 'system' }),
      ]);
      for (const o of outcomes)
        if (!o.ok) expect(o.message).toBe('Another purge is running; this one removed nothing.');
      expect(outcomes.some((o) => o.ok)).toBe(true);
      expect(outcomes.reduce((n, o) => n + total(o), 0)).toBe(expected);
      expect(await countRows(fx.store.db, 'purge_authorisations')).toBe(0);
      expect(await verifyAudit(fx.store.db)).toMatchObject({ ok: true, rows: { problemCount: 0 } });
    });

    it('while another instance purges, this one removes nothing and says so; afterwards it purges', async () => {
      const second = await secondInstance();
      const before = await countRows(fx.store.db, 'audit_log');
      const meanwhile = await unlessRunningElsewhere(
        second.db,
        PURGE_LOCK,
        () => service().run({ actorId: 'system' }),
        () => {
          throw new Error('the lock was not free');
        },
      );
      expect(meanwhile).toEqual({
        ok: false,
        busy: true,
        message: 'Another purge is running; this one removed nothing.',
      });
      expect(await countRows(fx.store.db, 'audit_log')).toBe(before);
      expect(total(await service().run({ actorId: 'system' }))).toBeGreaterThan(0);
    });
  });
});
