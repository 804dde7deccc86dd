import { describe, expect, it } from 'vitest';
import {
  calculateRetention,
  checkDecision,
  checkDestruction,
  checkLogAttestation,
  chooseMethods,
  defaultSchedule,
  describeDisposition,
  EXTERNAL_LOGS,
  proposedMethod,
  reviewRefusal,
  withDisposition,
  type Actor,
  type DestructionCandidate,
  type DispositionState,
  type IsoDate,
} from './index.js';

const TODAY: IsoDate = '2026-11-26';
const RMS: Actor = { id: 'rms-rita', roles: ['records_management'] };

const decided = (over: Partial<DispositionState>): DispositionState => ({
  id: 'd-1',
  decision: 'destroy',
  decidedOn: '2026-11-20',
  decidedByName: 'Rita Records',
  decidedByRole: 'Records Management officer',
  reason: 'No further need',
  reviewOn: null,
  accessionRef: null,
  archive: null,
  ...over,
});

describe('checkDecision: each outcome, and what it needs', () => {
  it.each([
    {
      input: { decision: 'destroy', reason: 'No further need' },
      expected: { decision: 'destroy', reviewOn: null, keepYears: null, accessionRef: null },
    },
    {
      input: { decision: 'keep', reason: 'Ongoing complaint', keepYears: 5 },
      expected: { decision: 'keep', reviewOn: '2031-11-26', keepYears: 5 },
    },
    {
      input: {
        decision: 'transfer',
        reason: 'Historical value',
        accessionRef: 'ACC-2026/14',
        archive: 'Hertfordshire Archives',
      },
      expected: {
        decision: 'transfer',
        accessionRef: 'ACC-2026/14',
        archive: 'Hertfordshire Archives',
        reviewOn: null,
      },
    },
    {
      input: { decision: 'permanent', reason: 'Care-experienced person’s life story' },
      expected: { decision: 'permanent', reviewOn: null },
    },
  ])('$input.decision', ({ input, expected }) => {
    expect(checkDecision(input, TODAY)).toMatchObject({ ok: true, decision: expected });
  });

  it.each([
    [{ decision: 'shred', reason: 'x' }, 'bad_decision'],
    [{ decision: 'destroy', reason: ' ' }, 'reason_required'],
    [{ decision: 'keep', reason: 'x' }, 'bad_keep_years'],
    [{ decision: 'keep', reason: 'x', keepYears: 0 }, 'bad_keep_years'],
    [{ decision: 'keep', reason: 'x', keepYears: 2.5 }, 'bad_keep_years'],
    [{ decision: 'keep', reason: 'x', keepYears: 101 }, 'bad_keep_years'],
    [{ decision: 'transfer', reason: 'x' }, 'accession_required'],
    [{ decision: 'transfer', reason: 'x', accessionRef: 'A\u0000B' }, 'bad_accession'],
  ] as const)('refuses %j', (input, code) => {
    expect(checkDecision(input, TODAY)).toMatchObject({ ok: false, code });
  });
});

describe('reviewRefusal: a decision only once retention has ended, on a record still held', () => {
  const record = {
    recordId: 'R-1',
    retentionEndsOn: '2020-01-01',
    permanent: false,
    destroyedOn: null,
    transferredOn: null,
  };
  it.each([
    [{}, null],
    [{ retentionEndsOn: '2027-01-01' }, 'has not ended'],
    [{ retentionEndsOn: null }, 'cannot be worked out'],
    [{ retentionEndsOn: null, permanent: true }, 'kept permanently'],
    [{ destroyedOn: '2025-01-01' }, 'was destroyed'],
    [{ transferredOn: '2025-01-01' }, 'transferred to the archives'],
  ] as const)('%j', (change, says) => {
    const refusal = reviewRefusal({ ...record, ...change }, TODAY);
    if (says === null) expect(refusal).toBeNull();
    else expect(refusal).toContain(says);
  });
});

describe('the review-decision check: nothing reviewed is destroyed without a decision to destroy', () => {
  const candidate: DestructionCandidate = {
    retentionEndsOn: '2020-01-01',
    permanent: false,
    missing: [],
    activeHolds: [],
    outOnAuthorisation: null,
    destroyedOn: null,
    endAction: 'review',
    disposition: null,
  };
  const review = (over: Partial<DestructionCandidate>) => {
    const result = checkDestruction({ ...candidate, ...over }, RMS, TODAY);
    return { eligible: result.eligible, check: result.checks.find((c) => c.id === 'review-decision')! };
  };

  it.each<{ name: string; over: Partial<DestructionCandidate>; eligible: boolean; says: string }>([
    {
      name: 'review class, no decision',
      over: {},
      eligible: false,
      says: 'must record a decision to destroy it first',
    },
    {
      name: 'review class, decided to destroy',
      over: { disposition: decided({}) },
      eligible: true,
      says: 'decided to destroy it',
    },
    {
      name: 'review class, kept until a later review',
      over: { disposition: decided({ decision: 'keep', reviewOn: '2031-11-20' }) },
      eligible: false,
      says: 'keep it until a review on 20 November 2031',
    },
    {
      name: 'review class, keep decision whose review date passed: decide again',
      over: { disposition: decided({ decision: 'keep', reviewOn: '2026-11-01' }) },
      eligible: false,
      says: 'Its review is due: record a new decision.',
    },
    {
      name: 'destroy class, keep decision whose review date passed',
      over: { endAction: 'destroy', disposition: decided({ decision: 'keep', reviewOn: '2026-11-01' }) },
      eligible: true,
      says: 'That review date has passed.',
    },
    {
      name: 'destroy class, kept until a later review',
      over: { endAction: 'destroy', disposition: decided({ decision: 'keep', reviewOn: '2031-11-20' }) },
      eligible: false,
      says: 'keep it until',
    },
    {
      name: 'decided to transfer',
      over: {
        disposition: decided({
          decision: 'transfer',
          accessionRef: 'ACC-1',
          archive: 'Hertfordshire Archives',
        }),
      },
      eligible: false,
      says: 'transfer it to Hertfordshire Archives, accession ACC-1',
    },
    {
      name: 'destroy class, decided to keep permanently',
      over: { endAction: 'destroy', disposition: decided({ decision: 'permanent' }) },
      eligible: false,
      says: 'keep it permanently',
    },
    {
      name: 'destroy class, no decision needed',
      over: { endAction: 'destroy' },
      eligible: true,
      says: 'no review is needed',
    },
    {
      name: 'class not in the schedule',
      over: { endAction: null },
      eligible: false,
      says: 'not in the retention schedule',
    },
  ])('$name', ({ over, eligible, says }) => {
    const { eligible: ok, check } = review(over);
    expect(ok).toBe(eligible);
    expect(check.passed).toBe(eligible);
    expect(check.detail).toContain(says);
  });
});

describe('withDisposition', () => {
  const due = calculateRetention(
    defaultSchedule,
    { recordClass: 'child-in-need', dates: { dateOfBirth: '1990-01-01' } },
    TODAY,
  );

  it.each([
    [decided({ decision: 'keep', reviewOn: '2031-01-01' }), 'retained', false],
    [decided({ decision: 'keep', reviewOn: '2026-01-01' }), 'due', false],
    [decided({ decision: 'permanent' }), 'retained', true],
    [decided({ decision: 'transfer', accessionRef: 'A-1' }), 'retained', false],
    [decided({ decision: 'destroy' }), 'due', false],
  ] as const)('%j', (decision, status, permanent) => {
    const answer = withDisposition(due, decision, TODAY);
    expect(answer.status).toBe(status);
    expect(answer.permanent).toBe(permanent);
    expect(answer.explanation.at(-1)).toBe(describeDisposition(decision));
  });

  it('leaves an answer without a decision as it is', () => {
    expect(withDisposition(due, null, TODAY)).toBe(due);
  });
});

describe('destruction methods by format', () => {
  it.each([
    ['paper', 'Records store', 'confidential-shredding'],
    ['electronic', 'Livelink', 'secure-deletion-livelink'],
    ['electronic', 'Team drive', 'secure-deletion-other'],
    ['mixed', 'Records store and Livelink', 'shredding-and-secure-deletion'],
    ['microfiche', 'Basement', null],
  ])('%s in %s: %s', (format, location, method) => {
    expect(proposedMethod(format, location)).toBe(method);
  });

  const items = [
    { recordId: 'PF-1', format: 'paper', location: 'Records store' },
    { recordId: 'LL-2', format: 'electronic', location: 'Livelink' },
    { recordId: 'MX-3', format: 'mixed', location: 'Records store and Livelink' },
  ];

  it('proposes each record’s own method when none is given', () => {
    const chosen = chooseMethods(items, {});
    expect(chosen.ok && Object.fromEntries(chosen.methods)).toEqual({
      'PF-1': 'confidential-shredding',
      'LL-2': 'secure-deletion-livelink',
      'MX-3': 'shredding-and-secure-deletion',
    });
  });

  it('takes a method for a record, when it suits the format', () => {
    const chosen = chooseMethods(items, { methods: { 'LL-2': 'secure-deletion-other' } });
    expect(chosen.ok && chosen.methods.get('LL-2')).toBe('secure-deletion-other');
  });

  it.each([
    [{ method: 'secure-deletion-livelink' }, 'method_does_not_fit_format', 'PF-1 is paper'],
    [{ methods: { 'MX-3': 'confidential-shredding' } }, 'method_does_not_fit_format', 'MX-3 is mixed'],
    [{ methods: { 'PF-1': 'bonfire' } }, 'bad_method', '"bonfire"'],
  ] as const)('refuses a mismatch, naming the record: %j', (asked, code, says) => {
    const refused = chooseMethods(items, asked);
    expect(refused).toMatchObject({ ok: false, code });
    expect(!refused.ok && refused.message).toContain(says);
    expect(!refused.ok && refused.message).toContain('Nothing was destroyed.');
  });

  it('accepts one method for a batch whose records all suit it', () => {
    expect(chooseMethods(items.slice(0, 1), { method: 'confidential-shredding' }).ok).toBe(true);
  });
});

describe('the outside logs checked before destruction', () => {
  const all = Object.fromEntries(EXTERNAL_LOGS.map((l) => [l, true]));
  it('passes only with every log ticked', () => {
    expect(checkLogAttestation(all)).toEqual({ ok: true });
  });
  it.each(EXTERNAL_LOGS)('refuses without the %s log, naming it', (log) => {
    const refused = checkLogAttestation({ ...all, [log]: false });
    expect(refused).toMatchObject({ ok: false, code: 'logs_not_checked' });
    expect(!refused.ok && refused.message).toMatch(log === 'foi_request' ? /FOI request log/ : /log/);
  });
  it('refuses with nothing ticked', () => {
    expect(checkLogAttestation(undefined)).toMatchObject({ ok: false, code: 'logs_not_checked' });
  });
});
