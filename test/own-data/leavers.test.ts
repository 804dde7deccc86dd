import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { seedDemoTenant } from '../../scripts/demo-tenant.js';
import { importInventory } from '../../src/imports/inventory-import.js';
import { importStaff, STAFF_COLUMNS } from '../../src/imports/staff-import.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { DestructionService } from '../../src/services/destruction.js';
import { DispositionService } from '../../src/services/disposition.js';
import { RemovalService } from '../../src/services/removal.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { ConversationStore } from '../../src/store/conversations.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { STAFF, TestClock } from '../support/bot-harness.js';
import { inventoryRow, writeCsv, writeInventory } from '../support/csv.js';
import { demoSync } from '../support/demo-sync.js';
import { FakeGraph } from '../support/fake-graph.js';
import { forEachDialect, suiteStorage } from '../support/temp-store.js';
import { LOGS_CHECKED } from '../destruction/fixture.js';
import { expectOk, OWN_DATA_KEY } from './fixture.js';

// When someone leaves (the staff CSV import's left_on, or the directory sync from Entra ID), where
// the bot reached them in Teams goes at once, with the card messages sent there; their name stays
// where the record needs it: the register, the batch, review decisions and request history.

const DEMO_STAFF = path.join(REPO_ROOT, 'demo/staff.csv');

forEachDialect((dialect) => {
  const storage = suiteStorage(dialect, 'cra-leavers-');
  let store: Store;
  let clock: TestClock;
  let conversations: ConversationStore;
  let requestId: string;
  let registerId: string;

  beforeEach(async () => {
    store = await openReadyStore(await storage.dbs.newUrl('leavers'), defaultSchedule, {
      audit: {
        key: OWN_DATA_KEY,
        headFile: path.join(storage.dir, `head-${Math.random().toString(36).slice(2)}.json`),
      },
    });
    clock = new TestClock(new Date('2026-11-26T09:00:00Z'));
    const now = () => clock.now();
    await importStaff(store.db, DEMO_STAFF, { now, actorId: 'test' });
    const file = writeInventory(storage.dir, `leavers-${dialect}.csv`, [
      inventoryRow({ record_id: 'LV-1', case_ref: '9100001', date_of_birth: '1940-01-01' }),
      inventoryRow({ record_id: 'LV-2', case_ref: '9100002', date_of_birth: '2015-01-01' }),
    ]);
    expectOk(
      await importInventory(store.db, defaultSchedule, file, { today: '2026-11-26', now, actorId: 'test' }),
    );
    // Dana reviews and destroys a record; Sam asks to take another out and Priya approves.
    expectOk(
      await new DispositionService(store.db, clock).decide(
        STAFF.dana,
        { recordIds: ['LV-1'] },
        { decision: 'destroy', reason: 'No further need' },
      ),
    );
    const destruction = new DestructionService(store.db, clock, { twoPersonRule: true });
    const batch = expectOk(await destruction.createBatch(STAFF.morgan, { recordIds: ['LV-1'] })).batch;
    const done = expectOk(
      await destruction.confirm(STAFF.dana, batch.id, {
        expectedVersion: batch.version,
        logChecks: LOGS_CHECKED,
      }),
    );
    registerId = done.destroyed[0]!.registerId;
    const removals = new RemovalService(store.db, clock, { maxDays: 14 });
    requestId = expectOk(
      await removals.request(STAFF.sam, {
        caseRef: '9100002',
        recordIds: ['LV-2'],
        purpose: 'court',
        destination: 'Family Court',
        outOn: '2026-11-26',
        returnOn: '2026-11-27',
        justification: 'Hearing',
        acknowledged: true,
        unknownCaseConfirmed: false,
      }),
    ).authorisation.id;
    expectOk(await removals.act(STAFF.priya, requestId, { kind: 'approve' }, 1));
    conversations = new ConversationStore(store.db);
    for (const person of ['sam', 'dana', 'priya', 'jo'] as const) {
      await conversations.save(
        STAFF[person],
        { conversation: { id: `a:${person}` } },
        `29:${person}`,
        now().toISOString(),
      );
      await conversations.recordCardMessage(
        {
          authorisationId: requestId,
          recipientId: STAFF[person],
          conversationId: `a:${person}`,
          activityId: `m-${person}`,
        },
        now().toISOString(),
      );
      await conversations.recordBatchCardMessage(
        {
          batchId: 'DB-2026-0001',
          recipientId: STAFF[person],
          conversationId: `a:${person}`,
          activityId: `b-${person}`,
        },
        now().toISOString(),
      );
    }
  });
  afterEach(async () => {
    await store.close();
  });

  const references = async () =>
    (
      await store.db
        .selectFrom('conversation_references')
        .select('aad_object_id')
        .orderBy('aad_object_id')
        .execute()
    ).map((r) => r.aad_object_id);
  /** Who still has card messages recorded, for requests and for destruction batches (the same people). */
  const cardRecipients = async () => {
    const of = async (table: 'card_messages' | 'batch_card_messages') =>
      (await store.db.selectFrom(table).select('recipient_id').orderBy('recipient_id').execute()).map(
        (r) => r.recipient_id,
      );
    const requests = await of('card_messages');
    expect(await of('batch_card_messages')).toEqual(requests);
    return requests;
  };

  /** Their names stay where the record needs them. */
  async function namesKept(): Promise<void> {
    const destruction = new DestructionService(store.db, clock, { twoPersonRule: true });
    const [entry] = expectOk(await destruction.register(STAFF.morgan, { recordId: 'LV-1' })).entries;
    expect(entry).toMatchObject({ id: registerId, destroyedBy: { id: STAFF.dana, name: 'Dana Fox' } });
    expect(entry!.reviewDecision).toMatchObject({ decidedByName: 'Dana Fox' });
    const staff = await store.db
      .selectFrom('staff')
      .select(['display_name', 'left_on', 'roles'])
      .where('aad_object_id', 'in', [STAFF.dana, STAFF.sam])
      .orderBy('display_name')
      .execute();
    expect(staff).toEqual([
      { display_name: 'Dana Fox', left_on: expect.any(String) as unknown, roles: '' },
      { display_name: 'Sam Taylor', left_on: expect.any(String) as unknown, roles: '' },
    ]);
    const history = await store.db
      .selectFrom('authorisation_history')
      .select('actor_id')
      .where('authorisation_id', '=', requestId)
      .orderBy('version')
      .execute();
    expect(history.map((h) => h.actor_id)).toEqual([STAFF.sam, STAFF.priya]);
    expect(await verifyAudit(store.db)).toMatchObject({ ok: true, rows: { problemCount: 0 } });
  }

  it('the staff import’s left_on: references and card messages go, names stay', async () => {
    const rows = [
      [STAFF.dana, 'Dana Fox', 'dana.fox@council.example', 'records_management', STAFF.helen, '2026-11-20'],
      [STAFF.sam, 'Sam Taylor', 'sam.taylor@council.example', 'case_worker', STAFF.priya, '20/11/2026'],
    ];
    const file = writeCsv(storage.dir, `left-${dialect}.csv`, [...STAFF_COLUMNS, 'left_on'], rows);
    const result = await importStaff(store.db, file, { now: () => clock.now(), actorId: 'test' });
    expect(result).toMatchObject({ ok: true, imported: 2, left: 2 });
    expect(await references()).toEqual([STAFF.jo, STAFF.priya].sort());
    expect(await cardRecipients()).toEqual([STAFF.jo, STAFF.priya].sort());
    await namesKept();
    const audit = await store.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'staff.imported')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ left: [STAFF.dana, STAFF.sam] });
    // A file without the column still imports as before; a bad date is refused and changes nothing.
    const bad = writeCsv(
      storage.dir,
      `bad-left-${dialect}.csv`,
      [...STAFF_COLUMNS, 'left_on'],
      [[...rows[0]!.slice(0, 5), 'soon']],
    );
    expect(await importStaff(store.db, bad, { now: () => clock.now(), actorId: 'test' })).toMatchObject({
      ok: false,
      imported: 0,
      errors: [{ line: 2, message: 'left_on "soon" is not a date: use YYYY-MM-DD or DD/MM/YYYY' }],
    });
  });

  it('the directory sync: a leaver’s references and card messages go, names stay', async () => {
    const graph = new FakeGraph();
    await graph.start();
    try {
      seedDemoTenant(graph);
      const sync = () => demoSync(store, graph.url, clock, { maxRetries: 2 }).run({ trigger: 'cli' });
      await sync();
      expect(await references()).toEqual([STAFF.dana, STAFF.jo, STAFF.priya, STAFF.sam].sort());
      graph.updateUser(STAFF.dana, { accountEnabled: false });
      graph.updateUser(STAFF.sam, { accountEnabled: false });
      const result = await sync();
      expect(result.plan?.left.map((l) => l.id).sort()).toEqual([STAFF.dana, STAFF.sam].sort());
      expect(result.consequences).toMatchObject({ referencesRemoved: 2 });
      expect(await references()).toEqual([STAFF.jo, STAFF.priya].sort());
      expect(await cardRecipients()).toEqual([STAFF.jo, STAFF.priya].sort());
      await namesKept();
    } finally {
      await graph.stop();
    }
  });
});
