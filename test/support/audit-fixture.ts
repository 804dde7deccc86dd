import path from 'node:path';
import { importInventory } from '../../src/imports/inventory-import.js';
import { defaultSchedule } from '../../src/rules/index.js';
import type { Clock } from '../../src/services/clock.js';
import { DestructionService } from '../../src/services/destruction.js';
import { DispositionService } from '../../src/services/disposition.js';
import { HoldService } from '../../src/services/holds.js';
import { RemovalService } from '../../src/services/removal.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { inventoryRow, writeInventory } from './csv.js';
import { seedStaff } from './staff.js';
import type { TestDatabases } from './temp-store.js';

// A database with something in every table the audit log vouches for, made the way the
// application makes it (through the services): the staff directory and cover, removal requests
// and their history, holds (one with a stopped subject access clock) and holds on whole classes,
// review decisions, destruction batches with their items, and register entries. For tests that
// tamper with it.

export const AUDIT_TEST_KEY = 'audit-tests-key:Vb7Qm2Xr9Lk4Tz1Wn6Pc3Hj8';

const WORKER = 'cw-1';
const MANAGER = 'lm-1';
const OFFICER = 'rms-1';
const SECOND = 'rms-2';
const COVER = 'lm-2';
const NOW = '2026-11-25T10:00:00.000Z';

class FixedClock implements Clock {
  constructor(private readonly instant: string) {}
  now(): Date {
    return new Date(this.instant);
  }
}

export interface AuditFixture {
  store: Store;
  url: string;
  headFile: string;
  ids: {
    approved: string;
    pending: string;
    heldCase: string;
    hold: string;
    releasedHold: string;
    sarHold: string;
    blanketHold: string;
    decision: string;
    confirmedBatch: string;
    waitingBatch: string;
    registerEntries: string[];
  };
}

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`fixture step refused: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

/**
 * Opens (keyed with `key`, writing its chain head beside the other files in `dir`) a new database,
 * or the one at `url` (migrated as `ownerUrl` when given), and fills it through the services.
 */
export async function openAuditFixture(
  dbs: TestDatabases,
  dir: string,
  label: string,
  options: { key?: string; url?: string; ownerUrl?: string } = {},
): Promise<AuditFixture> {
  const url = options.url ?? (await dbs.newUrl(label));
  const headFile = path.join(dir, `${label}-${Math.random().toString(36).slice(2)}.head.json`);
  const store = await openReadyStore(url, defaultSchedule, {
    audit: { key: options.key ?? AUDIT_TEST_KEY, headFile },
    ownerUrl: options.ownerUrl,
  });
  const db = store.db;
  await seedStaff(
    db,
    [
      { id: WORKER, name: 'Casey Worker', roles: ['case_worker'], manager: MANAGER },
      { id: MANAGER, name: 'Lee Manager', roles: ['line_manager'] },
      { id: OFFICER, name: 'Robin Records', roles: ['records_management'] },
      { id: SECOND, name: 'Reese Records', roles: ['records_management'] },
      { id: COVER, name: 'Kit Cover', roles: ['line_manager'] },
    ].map((p) => ({ ...p, email: `${p.id}@council.test` })),
    NOW,
  );
  const rows = [
    ...Array.from({ length: 6 }, (_, i) =>
      inventoryRow({
        record_id: `DUE-${i}`,
        case_ref: `C-DUE-${i % 3}`,
        record_class: 'child-in-need',
        date_of_birth: `1960-03-0${1 + (i % 3)}`,
        closed_on: '2000-04-01',
      }),
    ),
    inventoryRow({ record_id: 'OPEN-1', case_ref: 'C-OPEN', date_of_birth: '2015-05-05' }),
  ];
  const file = writeInventory(dir, `${label}.csv`, rows);
  const clock = new FixedClock(NOW);
  ok(
    await importInventory(db, defaultSchedule, file, {
      today: NOW.slice(0, 10),
      now: () => clock.now(),
      actorId: 'import',
    }),
  );

  const removals = new RemovalService(db, clock, { maxDays: 14 });
  const form = {
    recordIds: [],
    purpose: 'court',
    destination: 'Family Court',
    outOn: '2026-11-25',
    returnOn: '2026-11-27',
    justification: 'Hearing',
    acknowledged: true,
    unknownCaseConfirmed: false,
  };
  const approved = ok(await removals.request(WORKER, { ...form, caseRef: 'C-OPEN' })).authorisation.id;
  ok(await removals.act(MANAGER, approved, { kind: 'approve' }, 1));
  const pending = ok(await removals.request(WORKER, { ...form, caseRef: 'C-DUE-2' })).authorisation.id;
  ok(await removals.setActing(MANAGER, COVER, '2026-12-04'));

  const holds = new HoldService(db, clock);
  const hold = ok(
    await holds.place(OFFICER, {
      caseRef: 'C-DUE-1',
      type: 'litigation',
      reference: 'CLAIM-9',
      reason: 'A claim',
    }),
  ).hold.id;
  const releasedHold = ok(
    await holds.place(OFFICER, {
      caseRef: 'C-OPEN',
      type: 'litigation',
      reference: 'CLAIM-1',
      reason: 'Old claim',
    }),
  ).hold.id;
  ok(await holds.release(OFFICER, releasedHold, 'Settled'));
  const sarHold = ok(
    await holds.place(OFFICER, {
      caseRef: 'C-OPEN',
      type: 'subject_access_request',
      reference: 'SAR-7',
      reason: 'Subject access request',
      sarReceivedOn: '2026-11-20',
    }),
  ).hold.id;
  ok(await holds.pauseSar(OFFICER, sarHold, { from: '2026-11-21', reason: 'Proof of identity' }));

  const destruction = new DestructionService(db, clock, { twoPersonRule: true });
  const confirmedBatch = ok(
    await destruction.createBatch(OFFICER, { recordIds: ['DUE-0', 'DUE-3', 'DUE-1'] }),
  ).batch.id;
  ok(
    await destruction.confirm(SECOND, confirmedBatch, {
      logChecks: { litigation: true, claim: true, subject_access_request: true, foi_request: true },
      expectedVersion: 1,
    }),
  );
  const waitingBatch = ok(await destruction.createBatch(OFFICER, { recordIds: ['DUE-5'] })).batch.id;
  const decision = ok(
    await new DispositionService(db, clock).decide(
      OFFICER,
      { recordIds: ['DUE-2'] },
      { decision: 'keep', reason: 'Wanted for a court case', keepYears: 5 },
    ),
  ).decisions[0]!.id;
  const blanketHold = ok(
    await holds.placeBlanket(OFFICER, {
      type: 'inquiry',
      name: 'An inquiry',
      reference: 'INQ-1',
      reason: 'The inquiry asked that adoption records be kept',
      startsOn: '2026-11-01',
      classes: ['adoption'],
    }),
  ).hold.id;
  const register = await db.selectFrom('destruction_register').select('id').orderBy('id').execute();
  if (register.length !== 2) throw new Error(`fixture: expected 2 register entries, got ${register.length}`);
  return {
    store,
    url,
    headFile,
    ids: {
      approved,
      pending,
      heldCase: 'C-DUE-1',
      hold,
      releasedHold,
      sarHold,
      blanketHold,
      decision,
      confirmedBatch,
      waitingBatch,
      registerEntries: register.map((r) => r.id),
    },
  };
}
