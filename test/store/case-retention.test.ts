import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventory } from '../../src/imports/inventory-import.js';
import { defaultSchedule } from '../../src/rules/index.js';
import type { Store } from '../../src/store/index.js';
import type { Database } from '../../src/store/schema.js';
import { caseRetention } from '../../src/services/case-retention.js';
import { inventoryRow, writeInventory } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

const TODAY = '2026-11-25';

function hold(overrides: Partial<Database['holds']> & Pick<Database['holds'], 'id' | 'case_ref'>) {
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
    placed_by: 'records',
    placed_at: '2026-11-01T09:00:00.000Z',
    released_by: null,
    released_at: null,
    release_reason: null,
    ...overrides,
  };
}

function authorisation(
  overrides: Partial<Database['removal_authorisations']> &
    Pick<Database['removal_authorisations'], 'id' | 'case_ref' | 'status' | 'record_ids'>,
) {
  return {
    requester_id: 'worker',
    purpose: 'court',
    destination: 'Family Court',
    out_on: '2026-11-20',
    return_on: '2026-11-30',
    justification: 'Hearing',
    version: 2,
    decided_by: 'manager',
    decided_at: '2026-11-19T09:00:00.000Z',
    reason: null,
    created_at: '2026-11-18T09:00:00.000Z',
    updated_at: '2026-11-19T09:00:00.000Z',
    ...overrides,
  };
}

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let store: Store;

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    store = await dbs.open('case-retention');
    const csv = writeInventory(dir, 'inventory.csv', [
      // Case H: a whole-case hold, a released hold and a record hold.
      inventoryRow({
        record_id: 'H-1',
        case_ref: 'CASE-H',
        record_class: 'child-in-need',
        date_of_birth: '1980-01-01',
      }),
      inventoryRow({ record_id: 'H-2', case_ref: 'CASE-H', record_class: 'child-in-need', title: 'Notes' }),
      // Case O: out of the office on an approved authorisation for the whole case file.
      inventoryRow({ record_id: 'O-1', case_ref: 'CASE-O', date_of_birth: '2012-05-14' }),
      inventoryRow({
        record_id: 'O-2',
        case_ref: 'CASE-O',
        record_class: 'child-protection',
        format: 'paper',
      }),
      // Case P: an authorisation for one record only, and one still pending.
      inventoryRow({ record_id: 'P-1', case_ref: 'CASE-P', date_of_birth: '2012-05-14' }),
      inventoryRow({ record_id: 'P-2', case_ref: 'CASE-P' }),
      // Case Q: nothing special, and due.
      inventoryRow({
        record_id: 'Q-1',
        case_ref: 'CASE-Q',
        record_class: 'child-in-need',
        date_of_birth: '1990-01-01',
      }),
      inventoryRow({ record_id: 'Q-2', case_ref: 'CASE-Q', record_class: 'child-in-need' }),
    ]);
    const result = await importInventory(store.db, defaultSchedule, csv, {
      today: TODAY,
      now: () => new Date('2026-11-25T10:00:00Z'),
      actorId: 'test',
    });
    expect(result.ok).toBe(true);
    await store.db
      .insertInto('holds')
      .values([
        hold({ id: 'hold-case', case_ref: 'CASE-H' }),
        hold({
          id: 'hold-released',
          case_ref: 'CASE-H',
          type: 'subject_access_request',
          reference: 'SAR-9',
          released_by: 'records',
          released_at: '2026-11-10T09:00:00.000Z',
          release_reason: 'answered',
        }),
        hold({
          id: 'hold-record',
          case_ref: 'CASE-H',
          record_id: 'H-2',
          type: 'inquiry',
          reference: 'INQ-2',
        }),
        // Another case's hold must not show.
        hold({ id: 'hold-other', case_ref: 'CASE-Z' }),
      ])
      .execute();
    await store.db
      .insertInto('removal_authorisations')
      .values([
        authorisation({ id: 'auth-case', case_ref: 'CASE-O', status: 'approved', record_ids: '[]' }),
        authorisation({
          id: 'auth-one',
          case_ref: 'CASE-P',
          status: 'return_requested',
          record_ids: JSON.stringify(['P-2']),
          return_on: '2026-11-28',
        }),
        authorisation({ id: 'auth-pending', case_ref: 'CASE-P', status: 'pending', record_ids: '[]' }),
        authorisation({ id: 'auth-returned', case_ref: 'CASE-Q', status: 'returned', record_ids: '[]' }),
      ])
      .execute();
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  describe('caseRetention', () => {
    it('returns null for a case not in the inventory', async () => {
      expect(await caseRetention(store.db, defaultSchedule, '0000000', TODAY)).toBeNull();
      // A hold alone does not make a case.
      expect(await caseRetention(store.db, defaultSchedule, 'CASE-Z', TODAY)).toBeNull();
    });

    it('shows records under an active hold as held, listing the hold', async () => {
      const result = await caseRetention(store.db, defaultSchedule, 'CASE-H', TODAY);
      expect(result?.caseRef).toBe('CASE-H');
      expect(result?.scheduleVersion).toBe(defaultSchedule.version);
      expect(result?.records.map((r) => r.recordId)).toEqual(['H-1', 'H-2']);
      const [h1, h2] = result!.records;
      expect(h1?.answer.status).toBe('held');
      // Held, but the end date is still worked out (30th birthday, passed).
      expect(h1?.answer.endsOn).toBe('2010-01-01');
      expect(h1?.holds).toEqual([
        { id: 'hold-case', type: 'litigation', reference: 'CLAIM-1', scope: 'case' },
      ]);
      expect(h1?.answer.explanation.join(' ')).toContain('litigation (CLAIM-1)');
      expect(h1?.out).toBeNull();

      expect(h2?.answer.status).toBe('held');
      expect(h2?.title).toBe('Notes');
      expect(h2?.holds).toEqual([
        { id: 'hold-case', type: 'litigation', reference: 'CLAIM-1', scope: 'case' },
        { id: 'hold-record', type: 'inquiry', reference: 'INQ-2', scope: 'record' },
      ]);
    });

    it('marks every record out under an approved authorisation for the whole case file', async () => {
      const result = await caseRetention(store.db, defaultSchedule, 'CASE-O', TODAY);
      expect(result?.records).toHaveLength(2);
      for (const r of result!.records) {
        expect(r.out).toEqual({ authorisationId: 'auth-case', returnOn: '2026-11-30', status: 'approved' });
        expect(r.holds).toEqual([]);
      }
      const [o1, o2] = result!.records;
      expect(o1?.answer).toMatchObject({ status: 'retained', endsOn: '2087-05-14' });
      // The child protection record has no closure date.
      expect(o2?.answer).toMatchObject({ status: 'incomplete', endsOn: null, missing: ['closedOn'] });
      expect(o2?.format).toBe('paper');
    });

    it('marks out only the records an authorisation names, and ignores pending ones', async () => {
      const result = await caseRetention(store.db, defaultSchedule, 'CASE-P', TODAY);
      const byId = new Map(result!.records.map((r) => [r.recordId, r]));
      expect(byId.get('P-1')?.out).toBeNull();
      expect(byId.get('P-2')?.out).toEqual({
        authorisationId: 'auth-one',
        returnOn: '2026-11-28',
        status: 'return_requested',
      });
    });

    it('works out due and retained from the given day, ignoring returned authorisations', async () => {
      const result = await caseRetention(store.db, defaultSchedule, 'CASE-Q', TODAY);
      const [q1, q2] = result!.records;
      expect(q1?.answer).toMatchObject({ status: 'due', endsOn: '2020-01-01', ruleId: 'until-age-30' });
      // Q-2 shares the case's date of birth from Q-1's row.
      expect(q2?.answer).toMatchObject({ status: 'due', endsOn: '2020-01-01' });
      expect(q1?.out).toBeNull();

      const earlier = await caseRetention(store.db, defaultSchedule, 'CASE-Q', '2019-12-31');
      expect(earlier?.records[0]?.answer.status).toBe('retained');
      const onTheDay = await caseRetention(store.db, defaultSchedule, 'CASE-Q', '2020-01-01');
      expect(onTheDay?.records[0]?.answer.status).toBe('due');
    });
  });
});
