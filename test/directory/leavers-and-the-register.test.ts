import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { importInventory } from '../../src/imports/inventory-import.js';
import { importStaff } from '../../src/imports/staff-import.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { DestructionService } from '../../src/services/destruction.js';
import { DispositionService } from '../../src/services/disposition.js';
import type { Store } from '../../src/store/index.js';
import { seedDemoTenant } from '../../scripts/demo-tenant.js';
import { STAFF, TestClock } from '../support/bot-harness.js';
import { inventoryRow, writeInventory } from '../support/csv.js';
import { demoSync } from '../support/demo-sync.js';
import { FakeGraph } from '../support/fake-graph.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';
import { expectOk, LOGS_CHECKED } from '../destruction/fixture.js';

// The directory sync changes nothing about records; the register, batches and review decisions
// keep the names and roles people had when they acted, so someone who later leaves (their roles
// taken away by the sync) or is renamed in Entra ID still shows as they were.

const OFFICER = 'Records Management officer';

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let store: Store;
  let graph: FakeGraph;
  let clock: TestClock;

  beforeAll(() => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
  });
  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  beforeEach(async () => {
    store = await dbs.open('leavers');
    graph = new FakeGraph();
    await graph.start();
    seedDemoTenant(graph);
    clock = new TestClock(new Date('2026-11-26T09:00:00Z'));
    await importStaff(store.db, path.join(REPO_ROOT, 'demo/staff.csv'), {
      now: () => clock.now(),
      actorId: 'test',
    });
    // Looked after child records, whose retention ended long ago: they are reviewed first.
    const file = writeInventory(dir, `leavers-${dialect}.csv`, [
      inventoryRow({ record_id: 'LV-1', case_ref: '9100001', date_of_birth: '1940-01-01' }),
      inventoryRow({ record_id: 'LV-2', case_ref: '9100002', date_of_birth: '1941-01-01' }),
    ]);
    const imported = await importInventory(store.db, defaultSchedule, file, {
      today: '2026-11-26',
      now: () => clock.now(),
      actorId: 'import',
    });
    expect(imported.ok).toBe(true);
  });

  afterEach(async () => {
    await graph.stop();
    await store.close();
  });

  const sync = () => demoSync(store, graph.url, clock, { maxRetries: 2 }).run({ trigger: 'cli' });

  it('an officer who leaves keeps her name and role on the register, the batch and her decision; she can no longer act or be asked', async () => {
    await sync();
    const review = new DispositionService(store.db, clock);
    const destruction = new DestructionService(store.db, clock, { twoPersonRule: true });
    const decided = expectOk(
      await review.decide(
        STAFF.dana,
        { recordIds: ['LV-1', 'LV-2'] },
        { decision: 'destroy', reason: 'No further business need' },
      ),
    );
    const created = expectOk(await destruction.createBatch(STAFF.morgan, { recordIds: ['LV-1'] }));
    const done = expectOk(
      await destruction.confirm(STAFF.dana, created.batch.id, {
        expectedVersion: created.batch.version,
        logChecks: LOGS_CHECKED,
      }),
    );
    expect(done.destroyed.map((d) => d.recordId)).toEqual(['LV-1']);

    // Dana leaves (disabled in Entra ID); Morgan is renamed.
    graph.updateUser(STAFF.dana, { accountEnabled: false });
    graph.updateUser(STAFF.morgan, { displayName: 'Morgan Ellis-Hart' });
    const result = await sync();
    expect(result.plan?.left).toEqual([{ id: STAFF.dana, reason: 'disabled' }]);
    expect(
      await store.db
        .selectFrom('staff')
        .select(['display_name', 'roles', 'left_on'])
        .where('aad_object_id', 'in', [STAFF.dana, STAFF.morgan])
        .orderBy('display_name')
        .execute(),
    ).toEqual([
      { display_name: 'Dana Fox', roles: '', left_on: '2026-11-26' },
      { display_name: 'Morgan Ellis-Hart', roles: 'records_management', left_on: null },
    ]);

    // The register shows them as they were when they acted.
    const [entry] = expectOk(await destruction.register(STAFF.morgan, { recordId: 'LV-1' })).entries;
    expect(entry).toMatchObject({
      authorisedBy: { id: STAFF.morgan, name: 'Morgan Ellis' },
      authorisedByRole: OFFICER,
      destroyedBy: { id: STAFF.dana, name: 'Dana Fox' },
      destroyedByRole: OFFICER,
      reviewDecision: { decision: 'destroy', decidedByName: 'Dana Fox', decidedByRole: OFFICER },
    });
    expect(entry!.holdChecks!.filter((c) => c.externalLog).map((c) => c.externalLog!.checkedBy)).toEqual(
      Array.from({ length: 4 }, () => ({ id: STAFF.dana, name: 'Dana Fox', role: OFFICER })),
    );
    const batch = expectOk(await destruction.getBatch(STAFF.morgan, created.batch.id)).batch;
    expect(batch).toMatchObject({
      createdBy: { name: 'Morgan Ellis' },
      confirmedBy: { name: 'Dana Fox' },
      logChecks: { checkedBy: { id: STAFF.dana, name: 'Dana Fox', role: OFFICER } },
    });
    expect(expectOk(await review.history(STAFF.morgan, 'LV-2')).decisions).toEqual([
      expect.objectContaining({
        id: decided.decisions.find((d) => d.recordId === 'LV-2')!.id,
        decidedBy: { id: STAFF.dana, name: 'Dana Fox', role: OFFICER },
      }),
    ]);

    // Dana can no longer see or do anything of Records Management's.
    expect(await destruction.register(STAFF.dana)).toMatchObject({ ok: false, code: 'not_in_directory' });
    expect(await review.reviewList(STAFF.dana)).toMatchObject({ ok: false, code: 'not_in_directory' });

    // A new batch is not offered to her to confirm (the sync took her roles away).
    const next = expectOk(await destruction.createBatch(STAFF.morgan, { recordIds: ['LV-2'] }));
    const asked = await store.db
      .selectFrom('outbox')
      .select('recipient_id')
      .where('kind', '=', 'destruction.awaiting_confirmation')
      .where('payload', 'like', `%${next.batch.id}%`)
      .execute();
    expect(asked.map((a) => a.recipient_id)).not.toContain(STAFF.dana);
    expect(
      await destruction.confirm(STAFF.dana, next.batch.id, {
        expectedVersion: next.batch.version,
        logChecks: LOGS_CHECKED,
      }),
    ).toMatchObject({ ok: false, code: 'not_in_directory' });
  });
});
