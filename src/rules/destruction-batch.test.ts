import { describe, expect, it } from 'vitest';
import {
  authorisationHolding,
  batchAbilities,
  batchReference,
  checkBatchAction,
  confirmersToAsk,
  defaultSchedule,
  isDestructionMethod,
  MAX_REASON_LENGTH,
  nextBatchReference,
  parseBatchReference,
  registerDateRange,
  registerTriggerDate,
  requireRecordsManagement,
  retentionBasis,
  type Actor,
  type AuthorisationSummary,
  type BatchSnapshot,
  type CaseDates,
} from './index.js';

const RITA: Actor = { id: 'rms-rita', roles: ['records_management'] };
const SAM: Actor = { id: 'rms-sam', roles: ['records_management'] };
const AMY: Actor = { id: 'cw-amy', roles: ['case_worker'] };

describe('batch references', () => {
  it('are DB-year-sequence, four digits at least', () => {
    expect(batchReference(2026, 1)).toBe('DB-2026-0001');
    expect(batchReference(2026, 12345)).toBe('DB-2026-12345');
    expect(parseBatchReference('DB-2026-0042')).toEqual({ year: 2026, sequence: 42 });
    expect(parseBatchReference('DB-26-1')).toBeNull();
  });

  it('follow the year’s latest, starting again each year', () => {
    expect(nextBatchReference(2026, null)).toBe('DB-2026-0001');
    expect(nextBatchReference(2026, 'DB-2026-0009')).toBe('DB-2026-0010');
    expect(nextBatchReference(2026, 'DB-2026-9999')).toBe('DB-2026-10000');
    expect(nextBatchReference(2027, 'DB-2026-0150')).toBe('DB-2027-0001');
  });
});

describe('destruction methods', () => {
  it('are the four the service uses', () => {
    expect(isDestructionMethod('confidential-shredding')).toBe(true);
    expect(isDestructionMethod('secure-deletion-livelink')).toBe(true);
    expect(isDestructionMethod('secure-deletion-other')).toBe(true);
    expect(isDestructionMethod('shredding-and-secure-deletion')).toBe(true);
    expect(isDestructionMethod('bonfire')).toBe(false);
    expect(isDestructionMethod(undefined)).toBe(false);
  });
});

describe('registerDateRange and registerTriggerDate: no date of birth or death kept', () => {
  it('is the earliest and latest of the case’s other dates', () => {
    expect(
      registerDateRange({
        dateOfBirth: '1990-03-15',
        dateOfDeath: '2009-01-01',
        closedOn: '2008-06-30',
        lastContactOn: '2008-05-01',
      }),
    ).toEqual({ earliest: '2008-05-01', latest: '2008-06-30' });
    expect(registerDateRange({ dateOfBirth: '1990-03-15' })).toEqual({ earliest: null, latest: null });
  });

  it.each([
    ['dateOfBirth', '1975-04-01', '1975'],
    ['dateOfDeath', '2005-01-10', '2005'],
    ['closedOn', '1985-01-01', '1985-01-01'],
    ['adoptionOrderOn', '2005-12-30', '2005-12-30'],
  ] as const)('keeps a %s trigger as %s → %s', (field, date, kept) => {
    expect(registerTriggerDate(field, date)).toBe(kept);
  });
});

describe('retentionBasis', () => {
  /** One record alone in its case. */
  const basis = (recordClass: string, dates: CaseDates) =>
    retentionBasis(
      defaultSchedule,
      { recordId: 'R-1', recordClass },
      [{ recordId: 'R-1', recordClass }],
      dates,
    );

  it('names the rule, period and trigger of a record whose retention ends', () => {
    expect(basis('child-in-need', { dateOfBirth: '1990-03-15' })).toMatchObject({
      scheduleVersion: defaultSchedule.version,
      classKnown: true,
      ruleId: 'until-age-30',
      endsOn: '2020-03-15',
      permanent: false,
      missing: [],
      trigger: { field: 'dateOfBirth', date: '1990-03-15' },
    });
  });

  it('says when a record is kept permanently, or a date is missing, or the class is unknown', () => {
    expect(basis('safeguarding-practice-review', {})).toMatchObject({
      permanent: true,
      endsOn: null,
    });
    expect(basis('child-in-need', {})).toMatchObject({
      endsOn: null,
      missing: ['dateOfBirth'],
    });
    expect(basis('no-such-class', { dateOfBirth: '1990-01-01' })).toMatchObject({
      classKnown: false,
      endsOn: null,
      period: null,
    });
  });
});

describe('authorisationHolding', () => {
  const auth = (overrides: Partial<AuthorisationSummary>): AuthorisationSummary => ({
    id: 'a',
    status: 'approved',
    recordIds: [],
    returnOn: '2026-12-01',
    ...overrides,
  });

  it('finds an authorisation out for the whole case or for the record', () => {
    expect(authorisationHolding([auth({ id: 'whole' })], 'R-1')?.id).toBe('whole');
    expect(authorisationHolding([auth({ id: 'one', recordIds: ['R-1'] })], 'R-1')?.id).toBe('one');
    expect(authorisationHolding([auth({ status: 'return_requested' })], 'R-1')).not.toBeNull();
  });

  it('ignores other records and authorisations not out', () => {
    expect(authorisationHolding([auth({ recordIds: ['R-2'] })], 'R-1')).toBeNull();
    for (const status of ['pending', 'declined', 'withdrawn', 'returned'] as const) {
      expect(authorisationHolding([auth({ status })], 'R-1')).toBeNull();
    }
  });
});

describe('requireRecordsManagement', () => {
  it('lets Records Management through and refuses others with a sentence', () => {
    expect(requireRecordsManagement(RITA, 'confirm a destruction batch')).toBeNull();
    expect(requireRecordsManagement(AMY, 'confirm a destruction batch')).toMatchObject({
      code: 'not_records_management',
      message: expect.stringMatching(
        /^Only the Records Management Service can confirm a destruction batch\./,
      ) as string,
    });
    expect(requireRecordsManagement(undefined, 'x')).toMatchObject({ code: 'not_in_directory' });
  });
});

describe('checkBatchAction', () => {
  const waiting: BatchSnapshot = {
    reference: 'DB-2026-0001',
    status: 'awaiting_confirmation',
    version: 1,
    createdBy: RITA.id,
  };
  const ctx = { actor: SAM, expectedVersion: 1, twoPersonRule: true };

  it('lets a second officer confirm', () => {
    expect(checkBatchAction(waiting, { kind: 'confirm' }, ctx)).toEqual({ ok: true });
  });

  it('refuses the creator under the two-person rule, and not without it', () => {
    expect(checkBatchAction(waiting, { kind: 'confirm' }, { ...ctx, actor: RITA })).toMatchObject({
      code: 'two_person_rule',
    });
    expect(
      checkBatchAction(waiting, { kind: 'confirm' }, { ...ctx, actor: RITA, twoPersonRule: false }),
    ).toEqual({ ok: true });
    // The creator may always cancel their own batch.
    expect(
      checkBatchAction(waiting, { kind: 'cancel', reason: 'Wrong class' }, { ...ctx, actor: RITA }),
    ).toEqual({ ok: true });
  });

  it('refuses a stale version, naming the current status', () => {
    const confirmed: BatchSnapshot = { ...waiting, status: 'confirmed', version: 2 };
    expect(checkBatchAction(confirmed, { kind: 'confirm' }, ctx)).toEqual({
      ok: false,
      code: 'stale',
      message:
        'Batch DB-2026-0001 has changed since you looked at it: it is now confirmed (its records have been destroyed). Nothing was changed.',
    });
    const cancelled: BatchSnapshot = { ...waiting, status: 'cancelled', version: 2 };
    expect(
      checkBatchAction(cancelled, { kind: 'cancel', reason: 'again' }, { ...ctx, expectedVersion: 2 }),
    ).toMatchObject({
      code: 'not_awaiting_confirmation',
      message: 'Batch DB-2026-0001 is cancelled, so it cannot be cancelled. Nothing was changed.',
    });
  });

  it('needs a reason to cancel, of reasonable length', () => {
    expect(checkBatchAction(waiting, { kind: 'cancel', reason: ' ' }, ctx)).toMatchObject({
      code: 'reason_required',
    });
    expect(
      checkBatchAction(waiting, { kind: 'cancel', reason: 'x'.repeat(MAX_REASON_LENGTH + 1) }, ctx),
    ).toMatchObject({ code: 'reason_too_long' });
  });

  it('refuses anyone outside Records Management', () => {
    expect(checkBatchAction(waiting, { kind: 'confirm' }, { ...ctx, actor: AMY })).toMatchObject({
      code: 'not_records_management',
    });
  });
});

describe('batchAbilities', () => {
  const waiting: BatchSnapshot = {
    reference: 'DB-2026-0001',
    status: 'awaiting_confirmation',
    version: 1,
    createdBy: RITA.id,
  };

  it('a second officer may confirm or cancel; the creator only cancel, and waits for another', () => {
    expect(batchAbilities(waiting, SAM, true)).toEqual({
      canConfirm: true,
      canCancel: true,
      awaitsAnotherOfficer: false,
    });
    expect(batchAbilities(waiting, RITA, true)).toEqual({
      canConfirm: false,
      canCancel: true,
      awaitsAnotherOfficer: true,
    });
    expect(batchAbilities(waiting, RITA, false)).toEqual({
      canConfirm: true,
      canCancel: true,
      awaitsAnotherOfficer: false,
    });
  });

  it('nobody outside Records Management, and nobody once the batch is settled', () => {
    const none = { canConfirm: false, canCancel: false, awaitsAnotherOfficer: false };
    expect(batchAbilities(waiting, AMY, true)).toEqual(none);
    expect(batchAbilities(waiting, undefined, true)).toEqual(none);
    for (const status of ['confirmed', 'cancelled'] as const) {
      expect(batchAbilities({ ...waiting, status, version: 2 }, SAM, true)).toEqual(none);
    }
  });

  it('asks every other officer to confirm under the two-person rule, and nobody without it', () => {
    expect(confirmersToAsk(waiting, [RITA, SAM, AMY], true)).toEqual([SAM]);
    expect(confirmersToAsk(waiting, [RITA, SAM], false)).toEqual([]);
  });
});
