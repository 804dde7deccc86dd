import { importInventory } from '../../src/imports/inventory-import.js';
import { defaultSchedule, type Role } from '../../src/rules/index.js';
import type { Clock } from '../../src/services/clock.js';
import { DestructionService } from '../../src/services/destruction.js';
import type { Store } from '../../src/store/index.js';
import type { Database } from '../../src/store/schema.js';
import { writeInventory, type InventoryRow } from '../support/csv.js';
import { seedStaff } from '../support/staff.js';
import type { TestDatabases } from '../support/temp-store.js';

export const RITA = 'rms-rita';
export const SAM = 'rms-sam';
export const AMY = 'cw-amy';
export const BEN = 'lm-ben';

export const STAFF: { id: string; name: string; roles: Role[] }[] = [
  { id: RITA, name: 'Rita Records', roles: ['records_management'] },
  { id: SAM, name: 'Sam Shredder', roles: ['records_management', 'line_manager'] },
  { id: AMY, name: 'Amy Worker', roles: ['case_worker'] },
  { id: BEN, name: 'Ben Manager', roles: ['line_manager'] },
];

/** The confirming officer's ticks: every log held outside the app was checked. */
export const LOGS_CHECKED = {
  litigation: true,
  claim: true,
  subject_access_request: true,
  foi_request: true,
} as const;

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private instant: string) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: string): void {
    this.instant = instant;
  }
}

export interface Fixture {
  store: Store;
  clock: TestClock;
  service: DestructionService;
}

/**
 * A new migrated database (of the dialect `dbs` makes) with the test staff and the given
 * inventory imported; `dir` holds the inventory file.
 */
export async function openFixture(
  dbs: TestDatabases,
  dir: string,
  name: string,
  rows: readonly InventoryRow[],
  options: { now: string; twoPersonRule?: boolean },
): Promise<Fixture> {
  const store = await dbs.open(name);
  await seedStaff(store.db, STAFF, options.now);
  if (rows.length) {
    const file = writeInventory(dir, `${name}.csv`, rows);
    const result = await importInventory(store.db, defaultSchedule, file, {
      today: options.now.slice(0, 10),
      now: () => new Date(options.now),
      actorId: 'import',
    });
    if (!result.ok) throw new Error(`inventory did not import: ${JSON.stringify(result.errors)}`);
  }
  const clock = new TestClock(options.now);
  const service = new DestructionService(store.db, clock, { twoPersonRule: options.twoPersonRule ?? true });
  return { store, clock, service };
}

export function hold(
  overrides: Partial<Database['holds']> & Pick<Database['holds'], 'id' | 'case_ref'>,
): Database['holds'] {
  return {
    record_id: null,
    type: 'litigation',
    reference: 'CLAIM-1',
    reason: 'Claim against the council',
    sar_received_on: null,
    sar_extended: 0,
    sar_extension_told_on: null,
    sar_extension_reason: null,
    sar_pauses: '[]',
    placed_by: RITA,
    placed_at: '2026-11-01T09:00:00.000Z',
    released_by: null,
    released_at: null,
    release_reason: null,
    ...overrides,
  };
}

export function authorisation(
  overrides: Partial<Database['removal_authorisations']> &
    Pick<Database['removal_authorisations'], 'id' | 'case_ref' | 'status' | 'record_ids'>,
): Database['removal_authorisations'] {
  return {
    requester_id: AMY,
    purpose: 'court',
    destination: 'Family Court',
    out_on: '2026-11-20',
    return_on: '2026-11-30',
    justification: 'Hearing',
    version: 2,
    decided_by: BEN,
    decided_at: '2026-11-19T09:00:00.000Z',
    reason: null,
    created_at: '2026-11-18T09:00:00.000Z',
    updated_at: '2026-11-19T09:00:00.000Z',
    ...overrides,
  };
}

/** Narrows a service result to its success, failing the test with the refusal otherwise. */
export function expectOk<T extends { ok: true }>(
  result: T | { ok: false; code: string; message: string },
): T {
  if (!result.ok) throw new Error(`expected success, got refusal ${result.code}: ${result.message}`);
  return result;
}
