import { describe, expect, it } from 'vitest';
import {
  checkDestruction,
  DESTRUCTION_CHECKS,
  type Actor,
  type DestructionCandidate,
  type DestructionCheckId,
  type DestructionEligibility,
  type IsoDate,
} from './index.js';

const RMS: Actor = { id: 'rms-rita', roles: ['records_management'] };
const MANAGER: Actor = { id: 'lm-ben', roles: ['line_manager'] };
const CASE_WORKER: Actor = { id: 'cw-amy', roles: ['case_worker'] };
const MANAGER_AND_RMS: Actor = { id: 'rms-sam', roles: ['line_manager', 'records_management'] };

const TODAY: IsoDate = '2026-12-01';

/** Passes every check on TODAY when done by RMS. */
const ELIGIBLE: DestructionCandidate = {
  retentionEndsOn: '2026-11-30',
  permanent: false,
  missing: [],
  activeHolds: [],
  outOnAuthorisation: null,
  destroyedOn: null,
  endAction: 'destroy',
  disposition: null,
};

const ORDER: DestructionCheckId[] = [
  'actor-is-records-management',
  'retention-ended',
  'review-decision',
  'no-active-hold',
  'not-out-of-office',
  'not-already-destroyed',
];

function check(result: DestructionEligibility, id: DestructionCheckId) {
  const found = result.checks.find((c) => c.id === id);
  if (!found) throw new Error(`check ${id} is missing`);
  return found;
}

describe('checkDestruction', () => {
  it('lists the checks in procedure order', () => {
    expect([...DESTRUCTION_CHECKS]).toEqual(ORDER);
  });

  it('is eligible when every check passes', () => {
    const result = checkDestruction(ELIGIBLE, RMS, TODAY);
    expect(result.eligible).toBe(true);
    expect(result.checks.map((c) => c.id)).toEqual(ORDER);
    expect(result.checks.every((c) => c.passed)).toBe(true);
    expect(check(result, 'actor-is-records-management').detail).toBe(
      'Done by the Records Management Service.',
    );
    expect(check(result, 'retention-ended').detail).toBe('Retention ended on 30 November 2026.');
    expect(check(result, 'no-active-hold').detail).toContain('No litigation, claim, subject access request');
    expect(check(result, 'not-out-of-office').detail).toBe('In the office: not out on any authorisation.');
    expect(check(result, 'not-already-destroyed').detail).toBe('Not destroyed.');
  });

  it.each<{ name: string; candidate?: Partial<DestructionCandidate>; actor?: Actor }>([
    { name: 'retention ends today', candidate: { retentionEndsOn: TODAY } },
    { name: 'retention ended long ago', candidate: { retentionEndsOn: '1975-01-01' } },
    { name: 'an RMS officer who is also a line manager', actor: MANAGER_AND_RMS },
  ])('is eligible: $name', ({ candidate, actor }) => {
    const result = checkDestruction({ ...ELIGIBLE, ...candidate }, actor ?? RMS, TODAY);
    expect(result.eligible).toBe(true);
    expect(result.checks.map((c) => c.id)).toEqual(ORDER);
  });

  it.each<{
    name: string;
    candidate?: Partial<DestructionCandidate>;
    actor?: Actor;
    fails: DestructionCheckId;
    detail: string[];
  }>([
    {
      name: 'a line manager destroying',
      actor: MANAGER,
      fails: 'actor-is-records-management',
      detail: ['Only the Records Management Service destroys records.'],
    },
    {
      name: 'a case worker destroying',
      actor: CASE_WORKER,
      fails: 'actor-is-records-management',
      detail: ['Only the Records Management Service'],
    },
    {
      name: 'someone with no roles',
      actor: { id: 'x', roles: [] },
      fails: 'actor-is-records-management',
      detail: ['Only the Records Management Service'],
    },
    {
      name: 'retention ends tomorrow',
      candidate: { retentionEndsOn: '2026-12-02' },
      fails: 'retention-ended',
      detail: ['Retention has not ended: it ends on 2 December 2026.'],
    },
    {
      name: 'retention ends in 2085',
      candidate: { retentionEndsOn: '2085-05-20' },
      fails: 'retention-ended',
      detail: ['20 May 2085'],
    },
    {
      name: 'kept permanently',
      candidate: { retentionEndsOn: null, permanent: true },
      fails: 'retention-ended',
      detail: ['This record is kept permanently.'],
    },
    {
      name: 'kept permanently, even with a past end date',
      candidate: { retentionEndsOn: '2000-01-01', permanent: true },
      fails: 'retention-ended',
      detail: ['kept permanently'],
    },
    {
      name: 'end unknown: date of birth missing',
      candidate: { retentionEndsOn: null, missing: ['dateOfBirth'] },
      fails: 'retention-ended',
      detail: ['The end of retention is unknown: the date of birth is missing.'],
    },
    {
      name: 'end unknown: two dates missing',
      candidate: { retentionEndsOn: null, missing: ['lastContactOn', 'adoptionOrderOn'] },
      fails: 'retention-ended',
      detail: ['last contact date', 'adoption order date'],
    },
    {
      name: 'end unknown, nothing said to be missing',
      candidate: { retentionEndsOn: null, missing: [] },
      fails: 'retention-ended',
      detail: ['The end of retention is unknown.'],
    },
    {
      name: 'a litigation hold',
      candidate: { activeHolds: [{ type: 'litigation', reference: 'L-42' }] },
      fails: 'no-active-hold',
      detail: ['On hold: Litigation (L-42).'],
    },
    {
      name: 'a subject access request',
      candidate: { activeHolds: [{ type: 'subject_access_request', reference: 'SAR-7' }] },
      fails: 'no-active-hold',
      detail: ['Subject access request (SAR-7)'],
    },
    {
      name: 'a claim and an FOI request',
      candidate: {
        activeHolds: [
          { type: 'claim', reference: 'C-1' },
          { type: 'foi_request', reference: 'FOI-2' },
        ],
      },
      fails: 'no-active-hold',
      detail: ['On hold: Claim (C-1), FOI request (FOI-2).'],
    },
    {
      name: 'out of the office on an authorisation',
      candidate: { outOnAuthorisation: { id: 'AUTH-12', returnOn: '2026-12-05' } },
      fails: 'not-out-of-office',
      detail: ['Out of the office on authorisation AUTH-12, due back 5 December 2026.'],
    },
    {
      name: 'already destroyed',
      candidate: { destroyedOn: '2026-10-01' },
      fails: 'not-already-destroyed',
      detail: ['Already destroyed on 1 October 2026.'],
    },
  ])('is not eligible: $name', ({ candidate, actor, fails, detail }) => {
    const result = checkDestruction({ ...ELIGIBLE, ...candidate }, actor ?? RMS, TODAY);
    expect(result.eligible).toBe(false);
    expect(result.checks.map((c) => c.id)).toEqual(ORDER);
    expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([fails]);
    for (const text of detail) expect(check(result, fails).detail).toContain(text);
  });

  it('reports every failing check, not only the first', () => {
    const result = checkDestruction(
      {
        retentionEndsOn: null,
        permanent: true,
        missing: [],
        activeHolds: [{ type: 'inquiry', reference: 'INQ-1' }],
        outOnAuthorisation: { id: 'AUTH-1', returnOn: '2026-12-10' },
        destroyedOn: '2026-01-01',
        endAction: 'review',
        disposition: null,
      },
      CASE_WORKER,
      TODAY,
    );
    expect(result.eligible).toBe(false);
    expect(result.checks.map((c) => c.id)).toEqual(ORDER);
    expect(result.checks.map((c) => c.passed)).toEqual([false, false, false, false, false, false]);
    expect(check(result, 'no-active-hold').detail).toContain('Inquiry (INQ-1)');
  });
});
