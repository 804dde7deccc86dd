import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWeekend } from '../../src/rules/index.js';
import { HoldService } from '../../src/services/holds.js';
import { ENGLAND_AND_WALES, englandAndWalesBankHolidays } from '../../src/services/working-days.js';
import { GOV_UK_ENGLAND_AND_WALES } from '../support/bank-holidays.js';
import { inventoryRow } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';
import { AMY, expectOk, openFixture, RITA, type Fixture } from '../destruction/fixture.js';

// Subject access requests as the ICO counts them: a deadline on a weekend or an England and
// Wales bank holiday moves to the next working day; an extension records the day the requester
// was told (within the first month) and why; the clock stops while identity or clarification
// is awaited.

describe('England and Wales bank holidays from date-holidays', () => {
  it('are exactly GOV.UK’s published days off for 2026-2028, substitute days included', () => {
    const weekdays = [2026, 2027, 2028]
      .flatMap((y) => englandAndWalesBankHolidays(y))
      .filter((d) => !isWeekend(d));
    expect(weekdays).toEqual(GOV_UK_ENGLAND_AND_WALES);
    for (const substitute of ['2026-12-28', '2027-12-27', '2027-12-28', '2028-01-03']) {
      expect(ENGLAND_AND_WALES.isWorkingDay(substitute)).toBe(false);
    }
    expect(ENGLAND_AND_WALES.isWorkingDay('2026-12-29')).toBe(true);
    expect(ENGLAND_AND_WALES.isWorkingDay('2026-12-26')).toBe(false);
  });
});

forEachDialect((dialect) => {
  let dir: string;
  let dbs: TestDatabases;
  let fx: Fixture;
  let holds: HoldService;

  beforeAll(async () => {
    dir = makeTempDir();
    dbs = testDatabases(dialect);
    fx = await openFixture(
      dbs,
      dir,
      'sar',
      [inventoryRow({ record_id: 'LL-1', case_ref: 'C-1', date_of_birth: '2009-03-03' })],
      { now: '2026-11-26T10:00:00.000Z' },
    );
    holds = new HoldService(fx.store.db, fx.clock);
  });

  afterAll(async () => {
    await dbs.cleanup();
    removeTempDir(dir);
  });

  const place = async (reference: string, sarReceivedOn: string) =>
    expectOk(
      await holds.place(RITA, {
        caseRef: 'C-1',
        type: 'subject_access_request',
        reference,
        reason: 'The young person asked for their file',
        sarReceivedOn,
      }),
    ).hold;

  it('gives the deadlines on working days: 31 January 2027 is a Sunday', async () => {
    const hold = await place('SAR-1', '2026-10-31');
    expect(hold.sar).toMatchObject({
      receivedOn: '2026-10-31',
      clockStartsOn: '2026-10-31',
      respondBy: '2026-11-30',
      extendedRespondBy: '2027-02-01',
      extended: false,
      extension: null,
      pausedSince: null,
      pauses: [],
    });
  });

  it('over Christmas 2026: due on 29 December, after the Boxing Day substitute', async () => {
    fx.clock.set('2026-12-01T10:00:00.000Z');
    const hold = await place('SAR-2', '2026-11-28');
    expect(hold.sar).toMatchObject({ respondBy: '2026-12-29', extendedRespondBy: '2027-03-01' });
  });

  it('is extended only with the day the requester was told, within the first month, and why', async () => {
    const hold = await place('SAR-3', '2026-11-03');
    expect(await holds.extendSar(RITA, hold.id)).toMatchObject({ ok: false, code: 'told_on_missing' });
    expect(await holds.extendSar(AMY, hold.id, { toldOn: '2026-11-20', reason: 'x' })).toMatchObject({
      ok: false,
      code: 'not_records_management',
    });
    fx.clock.set('2026-12-10T10:00:00.000Z');
    const late = await holds.extendSar(RITA, hold.id, { toldOn: '2026-12-04', reason: 'Complex request' });
    expect(late).toMatchObject({ ok: false, code: 'extension_too_late' });
    expect(!late.ok && late.message).toContain('after the first month ended on 3 December 2026');
    const extended = expectOk(
      await holds.extendSar(RITA, hold.id, { toldOn: '2026-12-03', reason: 'Records held by three teams' }),
    );
    expect(extended.hold.sar).toMatchObject({
      extended: true,
      extension: { toldOn: '2026-12-03', reason: 'Records held by three teams' },
      extendedRespondBy: '2027-02-03',
    });
    expect(await holds.extendSar(RITA, hold.id, { toldOn: '2026-12-03', reason: 'again' })).toMatchObject({
      ok: false,
      code: 'already_extended',
    });
    const audit = await fx.store.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity_id', '=', hold.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['hold.placed', 'hold.sar_extended']);
    expect(JSON.parse(audit[1]!.details)).toEqual({
      toldOn: '2026-12-03',
      reason: 'Records held by three teams',
    });
  });

  it('stops the clock while identity is awaited, and restarts it when it arrives', async () => {
    fx.clock.set('2026-12-14T10:00:00.000Z');
    const hold = await place('SAR-4', '2026-12-01');
    expect(hold.sar?.respondBy).toBe('2027-01-04');
    const paused = expectOk(
      await holds.pauseSar(RITA, hold.id, { from: '2026-12-01', reason: 'Proof of identity asked for' }),
    );
    expect(paused.hold.sar).toMatchObject({ pausedSince: '2026-12-01', clockStartsOn: '2026-12-14' });
    expect(await holds.pauseSar(RITA, hold.id, { from: '2026-12-02', reason: 'again' })).toMatchObject({
      ok: false,
      code: 'already_paused',
    });
    const resumed = expectOk(await holds.resumeSar(RITA, hold.id, { on: '2026-12-08' }));
    expect(resumed.hold.sar).toMatchObject({
      pausedSince: null,
      clockStartsOn: '2026-12-08',
      respondBy: '2027-01-08',
      pauses: [{ from: '2026-12-01', to: '2026-12-08', reason: 'Proof of identity asked for' }],
    });
    // A later stop for clarification adds its days.
    expectOk(await holds.pauseSar(RITA, hold.id, { from: '2026-12-10', reason: 'Which records?' }));
    const again = expectOk(await holds.resumeSar(RITA, hold.id, { on: '2026-12-14' }));
    expect(again.hold.sar).toMatchObject({ pausedSince: null, respondBy: '2027-01-12' });
    expect(await holds.resumeSar(RITA, hold.id, { on: '2026-12-14' })).toMatchObject({
      ok: false,
      code: 'not_paused',
    });
    expect(await holds.pauseSar(RITA, hold.id, { from: '2027-01-01', reason: 'x' })).toMatchObject({
      ok: false,
      code: 'date_future',
    });
  });
});
