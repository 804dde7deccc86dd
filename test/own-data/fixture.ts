import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { importInventory } from '../../src/imports/inventory-import.js';
import { importStaff } from '../../src/imports/staff-import.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { defaultSchedule, type Refusal } from '../../src/rules/index.js';
import { DestructionService } from '../../src/services/destruction.js';
import { DispositionService } from '../../src/services/disposition.js';
import { HandledActivities } from '../../src/services/handled-activities.js';
import { HoldService } from '../../src/services/holds.js';
import { RemovalService, type RemovalRequestInput } from '../../src/services/removal.js';
import type { Dialect } from '../../src/store/connection.js';
import { ConversationStore } from '../../src/store/conversations.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { STAFF, TestClock } from '../support/bot-harness.js';
import { inventoryRow, writeInventory } from '../support/csv.js';
import { suiteStorage, type SuiteStorage, type TestDatabases } from '../support/temp-store.js';
import { LOGS_CHECKED } from '../destruction/fixture.js';

// Two similar cases with a history of their own, made through the services over seven years on a
// fixed clock: requests made, decided and returned in 2019, holds placed and released, cover given,
// notifications sent, Teams activities handled, records destroyed and reviewed in 2026. Case B is
// under a subject access request hold from 2019 on; case A is not.

export const OWN_DATA_KEY = 'own-data-tests-key:Pq7Xw2Lr5Mt8Vz1Kb4Nc6Hd9';

export const CASE_A = '4411001';
export const CASE_B = '4422002';

/** When the purge runs: 2026, seven years after the 2019 history. */
export const PURGE_DAY = '2026-03-10T10:00:00.000Z';

export function expectOk<T extends { ok: boolean }>(result: T | Refusal): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

export interface OwnDataFixture {
  store: Store;
  url: string;
  headFile: string;
  clock: TestClock;
  ids: {
    /** Case A's requests closed in 2019 (expired in 2026), one decided by Tom covering for Priya. */
    closedA: string[];
    /** Case B's requests closed in 2019: kept, B is under a hold. One decided by Tom covering. */
    closedB: string[];
    /** Case A's request closed in 2025: not expired. */
    recentA: string;
    /** Case A's request still waiting for a decision. */
    openA: string;
    /** A litigation hold on A released in 2019 (expired), a claim hold on B released in 2019 (kept). */
    releasedHoldA: string;
    releasedHoldB: string;
    /** The subject access request hold on B, in force. */
    sarHoldB: string;
    /** Priya's cover by Tom in 2019 (kept: Tom decided a request of B then). */
    coverKept: string;
    /** Helen's cover by Rosa in 2019 (expired, nothing decided under it). */
    coverExpired: string;
    /** A hold on whole classes, released in 2019. */
    classHold: string;
    registerA: string;
    registerB: string;
    decisionA: string;
    decisionB: string;
    batch: string;
  };
}

const request = (caseRef: string, recordIds: string[], outOn: string): RemovalRequestInput => ({
  caseRef,
  recordIds,
  purpose: 'court',
  destination: 'Family Court, Watford',
  outOn,
  returnOn: outOn,
  justification: `Court hearing on ${outOn}`,
  acknowledged: true,
  unknownCaseConfirmed: false,
});

/**
 * Opens a new database keyed with the test key (its chain head beside the other files in `dir`)
 * and fills it as described above. The clock ends on `PURGE_DAY`.
 */
export async function openOwnDataFixture(
  dbs: TestDatabases,
  dir: string,
  label: string,
  options: { url?: string; ownerUrl?: string; key?: string; headFile?: string } = {},
): Promise<OwnDataFixture> {
  const url = options.url ?? (await dbs.newUrl(label));
  const headFile =
    options.headFile ?? path.join(dir, `${label}-${Math.random().toString(36).slice(2)}.head.json`);
  const store = await openReadyStore(url, defaultSchedule, {
    audit: { key: options.key ?? OWN_DATA_KEY, headFile },
    ownerUrl: options.ownerUrl,
  });
  const db = store.db;
  const clock = new TestClock(new Date('2019-03-04T09:00:00.000Z'));
  await importStaff(db, path.join(REPO_ROOT, 'demo/staff.csv'), {
    now: () => clock.now(),
    actorId: 'import',
  });
  // Each case: a child in need record (asked for in requests), a complaint (destroyed in 2019) and
  // an advice-only LADO record (reviewed in 2019 and kept).
  const dates = { date_of_birth: '1960-03-01', closed_on: '2000-04-01' };
  const records = (c: string, x: string) => [
    inventoryRow({
      record_id: `OD-${x}1`,
      case_ref: c,
      record_class: 'child-in-need',
      title: 'Assessment',
      ...dates,
    }),
    inventoryRow({
      record_id: `OD-${x}2`,
      case_ref: c,
      record_class: 'complaint',
      title: 'Complaint',
      ...dates,
    }),
    inventoryRow({
      record_id: `OD-${x}3`,
      case_ref: c,
      record_class: 'lado-advice-only',
      title: 'Advice',
      ...dates,
    }),
  ];
  const file = writeInventory(dir, `${label}.csv`, [...records(CASE_A, 'A'), ...records(CASE_B, 'B')]);
  expectOk(
    await importInventory(db, defaultSchedule, file, {
      today: '2019-03-04',
      now: () => clock.now(),
      actorId: 'import',
    }),
  );

  const removals = new RemovalService(db, clock, { maxDays: 14 });
  const holds = new HoldService(db, clock);
  const conversations = new ConversationStore(db);
  const activities = new HandledActivities(db, clock);

  // 2019: both cases' due records reviewed and destroyed, before anything else happened to them.
  const review = new DispositionService(db, clock);
  const decisionA = expectOk(
    await review.decide(
      STAFF.morgan,
      { recordIds: ['OD-A3'] },
      { decision: 'keep', reason: 'Needed', keepYears: 5 },
    ),
  ).decisions[0]!.id;
  const decisionB = expectOk(
    await review.decide(
      STAFF.morgan,
      { recordIds: ['OD-B3'] },
      { decision: 'keep', reason: 'Needed', keepYears: 5 },
    ),
  ).decisions[0]!.id;
  const destruction = new DestructionService(db, clock, { twoPersonRule: true });
  const batch = expectOk(await destruction.createBatch(STAFF.morgan, { recordIds: ['OD-A2', 'OD-B2'] })).batch
    .id;
  const confirmed = expectOk(
    await destruction.confirm(STAFF.dana, batch, { expectedVersion: 1, logChecks: LOGS_CHECKED }),
  );
  const registerOf = (recordId: string) =>
    confirmed.destroyed.find((d) => d.recordId === recordId)!.registerId;

  // 2019: Tom covers Priya's approvals for a fortnight; Rosa covers Helen's.
  expectOk(await removals.setActing(STAFF.priya, STAFF.tom, '2019-03-17'));
  expectOk(await removals.setActing(STAFF.helen, STAFF.rosa, '2019-03-17'));
  const coverIds = await db.selectFrom('acting_managers').select(['id', 'acting_manager_id']).execute();

  const lifecycle = async (person: 'sam' | 'jo', caseRef: string, recordIds: string[], approver: string) => {
    const id = expectOk(
      await removals.request(
        STAFF[person],
        request(caseRef, recordIds, clock.now().toISOString().slice(0, 10)),
      ),
    ).authorisation.id;
    expectOk(await removals.act(approver, id, { kind: 'approve' }, 1));
    expectOk(await removals.act(STAFF[person], id, { kind: 'mark_returned' }, 2));
    return id;
  };
  const closedA = [
    await lifecycle('sam', CASE_A, ['OD-A1'], STAFF.priya),
    await lifecycle('sam', CASE_A, [], STAFF.tom),
  ];
  const closedB = [
    await lifecycle('jo', CASE_B, ['OD-B1'], STAFF.priya),
    await lifecycle('jo', CASE_B, [], STAFF.tom),
  ];
  const sarHoldB = expectOk(
    await holds.place(STAFF.morgan, {
      caseRef: CASE_B,
      type: 'subject_access_request',
      reference: 'SAR-2019-17',
      reason: 'The young person asked for their file',
      sarReceivedOn: '2019-03-04',
    }),
  ).hold.id;
  const releasedHoldA = expectOk(
    await holds.place(STAFF.morgan, {
      caseRef: CASE_A,
      type: 'litigation',
      reference: 'LIT-2019-3',
      reason: 'A claim was threatened',
    }),
  ).hold.id;
  const releasedHoldB = expectOk(
    await holds.place(STAFF.morgan, {
      caseRef: CASE_B,
      recordId: 'OD-B1',
      type: 'claim',
      reference: 'CLM-2019-8',
      reason: 'A claim about the placement',
    }),
  ).hold.id;
  clock.set('2019-03-07T09:00:00.000Z');
  expectOk(await holds.release(STAFF.morgan, releasedHoldA, 'The claim was withdrawn'));
  expectOk(await holds.release(STAFF.morgan, releasedHoldB, 'Settled'));
  const classHold = expectOk(
    await holds.placeBlanket(STAFF.morgan, {
      type: 'inquiry',
      name: 'A local inquiry',
      reference: 'INQ-2019',
      reason: 'The inquiry asked that adoption records be kept',
      startsOn: '2019-03-07',
      classes: ['adoption'],
    }),
  ).hold.id;
  expectOk(await holds.releaseBlanket(STAFF.morgan, classHold, 'The inquiry reported'));
  // Every notification of 2019 was sent.
  await db.updateTable('outbox').set({ sent_at: '2019-03-07T09:05:00.000Z' }).execute();
  // Teams activities handled in 2019, and people's conversations.
  await activities.claim('old-activity-1');
  await activities.complete('old-activity-1', '{}');
  for (const person of ['sam', 'jo', 'priya'] as const) {
    await conversations.save(
      STAFF[person],
      { conversation: { id: `a:${person}` }, serviceUrl: 'https://smba.trafficmanager.net/teams/' },
      `29:${person}`,
      clock.now().toISOString(),
    );
  }

  // 2025: another request on A, closed a year before the purge.
  clock.set('2025-03-03T09:00:00.000Z');
  const recentA = await lifecycle('sam', CASE_A, [], STAFF.priya);
  await db
    .updateTable('outbox')
    .set({ sent_at: '2025-03-03T09:05:00.000Z' })
    .where('sent_at', 'is', null)
    .execute();

  // 2026: Jo blocked the app; a new request on A waits for a decision.
  clock.set('2026-03-09T09:00:00.000Z');
  await conversations.markStale(STAFF.jo, clock.now().toISOString());
  const openA = expectOk(await removals.request(STAFF.sam, request(CASE_A, [], '2026-03-09'))).authorisation
    .id;
  await activities.claim('recent-activity-1');
  await activities.complete('recent-activity-1', '{}');

  clock.set(PURGE_DAY);
  const coverOf = (acting: string) => coverIds.find((c) => c.acting_manager_id === acting)!.id;
  return {
    store,
    url,
    headFile,
    clock,
    ids: {
      closedA,
      closedB,
      recentA,
      openA,
      releasedHoldA,
      releasedHoldB,
      sarHoldB,
      coverKept: coverOf(STAFF.tom),
      coverExpired: coverOf(STAFF.rosa),
      classHold,
      registerA: registerOf('OD-A2'),
      registerB: registerOf('OD-B2'),
      decisionA,
      decisionB,
      batch,
    },
  };
}

/** A suite's storage, and the fields of the fixture the current test starts from. */
export type OwnDataSuite = SuiteStorage & OwnDataFixture;

/**
 * A suite on `dialect` where every test starts from a fresh fixture (`label` names its files and
 * databases), closed after the test. The object returned is filled in again before each test.
 */
export function ownDataSuite(dialect: Dialect, label: string): OwnDataSuite {
  const suite = suiteStorage(dialect, `cra-${label}-`) as OwnDataSuite;
  beforeEach(async () => {
    Object.assign(suite, await openOwnDataFixture(suite.dbs, suite.dir, label));
  });
  afterEach(async () => {
    await suite.store.close();
  });
  return suite;
}
