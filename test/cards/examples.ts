import { VERBS } from '../../src/actions/verbs.js';
import { CARD_BUILDERS, type CardJson } from '../../src/cards/index.js';
import {
  abilities,
  BATCH_STATUS_LABELS,
  batchAbilities,
  calculateRetention,
  defaultSchedule,
  findClass,
  procedureSection,
  STATUS_LABELS,
  type Actor,
  type AuthorisationStatus,
  type BatchStatus,
  type CaseDates,
  type RecordState,
  type RecordClass,
} from '../../src/rules/index.js';
import type { BatchPreview, BatchView, DueList, RegisterEntry } from '../../src/services/destruction.js';
import type { DecisionCover, DecisionView, ReviewList } from '../../src/services/disposition.js';
import type { BlanketHoldView, HoldView } from '../../src/services/holds.js';
import type { AuthorisationView } from '../../src/services/removal.js';
import type { CaseRetention, RecordRetention } from '../../src/services/case-retention.js';

// Every card, in every view a person can have of it, built from fixed data: the card tests
// validate each against Adaptive Cards 1.5 and compare it with its snapshot.

export const SAM = { id: '6f1c2a4e-0004-4b7a-9c1e-000000000004', name: 'Sam Taylor' };
export const PRIYA = { id: '6f1c2a4e-0002-4b7a-9c1e-000000000002', name: 'Priya Shah' };
const TOM = { id: '6f1c2a4e-0003-4b7a-9c1e-000000000003', name: 'Tom Hughes' };
export const MORGAN: Actor = { id: '6f1c2a4e-0009-4b7a-9c1e-000000000009', roles: ['records_management'] };
export const DANA: Actor = { id: '6f1c2a4e-0010-4b7a-9c1e-000000000010', roles: ['records_management'] };
export const TODAY = '2026-11-26';
const REFRESH = ['29:sam', '29:priya'];

export function authorisation(
  status: AuthorisationStatus,
  viewer: { id: string },
  changes: Partial<AuthorisationView> = {},
): AuthorisationView {
  const decided = status !== 'pending' && status !== 'withdrawn';
  return {
    id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    caseRef: '1234567',
    requester: SAM,
    records: [],
    purpose: 'home_working',
    purposeLabel: 'Home working',
    destination: 'Home',
    outOn: '2026-11-26',
    returnOn: '2026-11-27',
    justification: 'To finish the court report',
    status,
    statusLabel: STATUS_LABELS[status],
    overdue: false,
    version: 2,
    decidedBy: decided ? PRIYA : null,
    reason: null,
    createdAt: '2026-11-26T09:00:00.000Z',
    updatedAt: '2026-11-26T10:00:00.000Z',
    approvers: [PRIYA, TOM],
    can: abilities(
      { requesterId: SAM.id, status },
      { lineManagerId: PRIYA.id, actingManagerIds: [TOM.id] },
      viewer,
    ),
    ...changes,
  };
}

export function batch(status: BatchStatus, viewer: Actor, twoPersonRule = true, size = 3): BatchView {
  const confirmed = status === 'confirmed';
  return {
    id: '3f2b8a10-5c1d-4e0a-9b7e-2a6c4d8e1f00',
    reference: 'DB-2026-0001',
    status,
    statusLabel: BATCH_STATUS_LABELS[status],
    version: status === 'awaiting_confirmation' ? 1 : 2,
    filter: { classId: 'child-in-need', dueBy: TODAY },
    createdBy: { id: MORGAN.id, name: 'Morgan Ellis' },
    createdAt: '2026-11-26T09:00:00.000Z',
    method: confirmed ? 'confidential-shredding' : null,
    methodLabel: confirmed ? 'Confidential shredding' : null,
    certificateRef: confirmed ? 'DB-2026-0001' : null,
    confirmedBy: confirmed ? { id: DANA.id, name: 'Dana Okafor' } : null,
    confirmedAt: confirmed ? '2026-11-26T11:00:00.000Z' : null,
    cancelledBy: status === 'cancelled' ? { id: DANA.id, name: 'Dana Okafor' } : null,
    cancelledAt: status === 'cancelled' ? '2026-11-26T11:00:00.000Z' : null,
    cancelReason: status === 'cancelled' ? 'The class was chosen by mistake' : null,
    counts: { records: 3, passing: 2, blocked: 1, destroyed: confirmed ? 2 : 0 },
    logChecks: confirmed
      ? {
          ticks: { litigation: true, claim: true, subject_access_request: true, foi_request: true },
          checkedBy: { id: DANA.id, name: 'Dana Okafor', role: 'Records Management officer' },
          checkedAt: '2026-11-26T11:00:00.000Z',
        }
      : null,
    items: [
      ['LL-400101', true],
      ['LL-400102', true],
      ['LL-400103', false],
      ...Array.from({ length: size - 3 }, (_, i) => [`LL-5${String(i).padStart(5, '0')}`, i % 7 !== 0]),
    ].map(([recordId, passed], i) => ({
      recordId: recordId as string,
      caseRef: '1600229',
      recordClass: i % 3 === 2 ? 'looked-after-child' : 'child-in-need',
      classTitle: i % 3 === 2 ? 'Looked after child case record' : 'Child in need',
      title: 'Case file',
      format: i % 2 ? 'electronic' : 'paper',
      retentionEndsOn: i % 4 ? '2026-01-01' : '2025-06-30',
      eligibleAtReview: passed as boolean,
      checks: [],
      passed: passed as boolean,
      reasons: passed ? [] : ['A litigation hold (LIT-2026-31) is in force on the case.'],
      outcome: confirmed ? (passed ? 'destroyed' : 'blocked') : null,
      proposedMethod: i % 2 ? ('secure-deletion-livelink' as const) : ('confidential-shredding' as const),
    })),
    askedToConfirm: twoPersonRule ? [{ id: DANA.id, name: 'Dana Okafor' }] : [],
    can: batchAbilities(
      {
        reference: 'DB-2026-0001',
        status,
        version: status === 'awaiting_confirmation' ? 1 : 2,
        createdBy: MORGAN.id,
      },
      viewer,
      twoPersonRule,
    ),
  };
}

export const SAR_HOLD: HoldView = {
  id: 'b1a2c3d4-1111-4222-8333-944455556666',
  caseRef: '2000548',
  recordId: null,
  type: 'subject_access_request',
  typeLabel: 'Subject access request',
  reference: 'SAR/2026/61',
  reason: 'The young person asked for a copy of their file',
  placedBy: 'Morgan Ellis',
  placedAt: '2026-11-20T09:00:00.000Z',
  active: true,
  releasedBy: null,
  releasedAt: null,
  releaseReason: null,
  sar: {
    receivedOn: '2026-11-03',
    respondBy: '2026-12-03',
    extendedRespondBy: '2027-02-03',
    extended: false,
    clockStartsOn: '2026-11-03',
    pausedSince: null,
    pauses: [],
    extension: null,
  },
};
const RELEASED_HOLD: HoldView = {
  ...SAR_HOLD,
  id: 'c1a2c3d4-1111-4222-8333-944455556667',
  recordId: 'LL-400109',
  caseRef: '1234567',
  type: 'litigation',
  typeLabel: 'Litigation',
  reference: 'LIT-2026-31',
  reason: 'A claim is expected',
  active: false,
  releasedBy: 'Dana Okafor',
  releasedAt: '2026-11-25T09:00:00.000Z',
  releaseReason: 'The claim was settled',
  sar: null,
};

export const DUE: DueList = {
  ok: true,
  dueBy: TODAY,
  total: 3,
  groups: [
    { classId: 'child-in-need', classTitle: 'Child in need', month: '2026-01', count: 2 },
    { classId: 'early-help', classTitle: 'Early help', month: '2026-03', count: 1 },
  ],
  records: [
    {
      recordId: 'LL-400101',
      caseRef: '1600229',
      recordClass: 'child-in-need',
      classTitle: 'Child in need',
      title: 'Case file',
      format: 'paper',
      retentionEndsOn: '2026-01-01',
      held: false,
      out: false,
    },
    {
      recordId: 'LL-400103',
      caseRef: '1600229',
      recordClass: 'child-in-need',
      classTitle: 'Child in need',
      title: 'Assessments',
      format: 'electronic',
      retentionEndsOn: '2026-01-14',
      held: true,
      out: true,
    },
  ],
  page: 1,
  pages: 1,
  pageSize: 20,
};

export const ENTRY: RegisterEntry = {
  id: 'e1e2e3e4-0000-4000-8000-000000000001',
  batchId: '3f2b8a10-5c1d-4e0a-9b7e-2a6c4d8e1f00',
  batchReference: 'DB-2026-0001',
  recordId: 'LL-400101',
  recordClass: 'child-in-need',
  classTitle: 'Child in need',
  caseRef: '1600229',
  format: 'paper',
  // No date of birth in the register: the range leaves it out, and the trigger keeps its year.
  earliestDate: '2009-04-01',
  latestDate: '2014-06-30',
  scheduleVersion: defaultSchedule.version,
  ruleId: 'until-age-30',
  ruleLabel: 'Until the child is 30',
  period: 'Until the child is 30',
  triggerField: 'dateOfBirth',
  triggerDate: '1996',
  retentionEndedOn: '2026-01-01',
  keptWith: null,
  keptWithTitle: null,
  checks: [],
  authorisedBy: { id: MORGAN.id, name: 'Morgan Ellis' },
  authorisedAt: '2026-11-26T09:00:00.000Z',
  destroyedBy: { id: DANA.id, name: 'Dana Okafor' },
  destroyedOn: TODAY,
  method: 'confidential-shredding',
  methodLabel: 'Confidential shredding',
  certificateRef: 'DB-2026-0001',
  quantity: 1,
  createdAt: '2026-11-26T11:00:00.000Z',
  authorisedByRole: 'Records Management officer',
  destroyedByRole: 'Records Management officer',
  holdChecks: null,
  reviewDecision: null,
};

/** A long list: twelve classes over many months, a page of ten records of 102. */
const DUE_MANY: DueList = {
  ...DUE,
  total: 102,
  groups: defaultSchedule.classes.slice(0, 12).flatMap((c, i) =>
    ['1973-02', '1999-11', '2014-06', '2026-01'].slice(0, 1 + (i % 4)).map((month) => ({
      classId: c.id,
      classTitle: c.title,
      month,
      count: 2 + i,
    })),
  ),
  records: Array.from({ length: 10 }, (_, i) => ({
    ...DUE.records[i % 2]!,
    recordId: `LL-4001${String(i).padStart(2, '0')}`,
  })),
  page: 2,
  pages: 11,
  pageSize: 10,
};

export const PREVIEW: BatchPreview = {
  ok: true,
  scope: { classId: 'looked-after-child', classTitle: 'Looked after child case record', dueBy: TODAY },
  records: 8,
  passing: 5,
  blocked: 3,
  groups: [
    {
      classId: 'looked-after-child',
      classTitle: 'Looked after child case record',
      month: '1973-02',
      count: 4,
      blocked: 1,
    },
    {
      classId: 'looked-after-child',
      classTitle: 'Looked after child case record',
      month: '2001-03',
      count: 4,
      blocked: 2,
    },
  ],
  blockedBy: [
    {
      check: 'no-active-hold',
      label: 'No litigation, claim, subject access request, FOI or inquiry hold',
      count: 1,
    },
    { check: 'not-out-of-office', label: 'In the office (not out on an authorisation)', count: 2 },
  ],
  blockedRecords: [
    {
      recordId: 'LL-400167',
      caseRef: '1600229',
      title: 'Care plan',
      classTitle: 'Looked after child case record',
      reasons: ['On hold: Litigation (LIT-2026-01).'],
    },
    {
      recordId: 'LL-400198',
      caseRef: '1600230',
      title: 'Placement records',
      classTitle: 'Looked after child case record',
      reasons: ['Out of the office on authorisation 7c9e6679 until 27 November 2026.'],
    },
  ],
  inOpenBatches: 2,
  waitingForReview: 14,
  notice: null,
};

export const REVIEW_ITEM = {
  recordId: 'LL-400167',
  caseRef: '1600229',
  recordClass: 'looked-after-child',
  classTitle: 'Looked after child case record',
  title: 'Care plan',
  format: 'paper',
  retentionEndsOn: '2023-02-28',
  keptWith: null,
  reviewOn: null,
  held: false,
  out: false,
};

export const REVIEW: ReviewList = {
  ok: true,
  dueBy: TODAY,
  classId: null,
  caseRef: null,
  recordId: null,
  total: 23,
  groups: [
    {
      classId: 'looked-after-child',
      classTitle: 'Looked after child case record',
      month: '2023-02',
      count: 12,
    },
    { classId: 'adoption', classTitle: 'Adoption case record', month: '2021-11', count: 11 },
  ],
  records: [
    REVIEW_ITEM,
    { ...REVIEW_ITEM, recordId: 'LL-400198', held: true, reviewOn: '2026-01-01' },
    {
      ...REVIEW_ITEM,
      recordId: 'PF-400200',
      retentionEndsOn: '2021-11-30',
      classTitle: 'Adoption case record',
    },
  ],
  page: 1,
  pages: 3,
  pageSize: 10,
};

export const COVER: DecisionCover = {
  ok: true,
  total: 12,
  waiting: 12,
  groups: [{ classId: 'looked-after-child', classTitle: 'Looked after child case record', count: 12 }],
  records: [REVIEW_ITEM, { ...REVIEW_ITEM, recordId: 'LL-400198', out: true }],
};

export function decisionView(
  decision: DecisionView['decision'],
  changes: Partial<DecisionView> = {},
): DecisionView {
  return {
    id: `d-${decision}`,
    groupId: 'g-1',
    recordId: 'LL-400167',
    caseRef: '1600229',
    recordClass: 'looked-after-child',
    classTitle: 'Looked after child case record',
    decision,
    decisionLabel: {
      destroy: 'Destroy',
      keep: 'Keep for longer, then review again',
      transfer: 'Transfer to the archives',
      permanent: 'Keep permanently',
    }[decision],
    reason: 'No further business need',
    keepYears: null,
    reviewOn: null,
    accessionRef: null,
    archive: null,
    retentionEndedOn: '2023-02-28',
    scheduleVersion: defaultSchedule.version,
    ruleId: '75-years-from-birth',
    ruleLabel: "75th anniversary of the child's birth",
    keptWith: null,
    keptWithTitle: null,
    decidedBy: { id: DANA.id, name: 'Dana Okafor', role: 'Records Management officer' },
    decidedOn: TODAY,
    decidedAt: '2026-11-26T10:00:00.000Z',
    ...changes,
  };
}

const INQUIRY: BlanketHoldView = {
  id: 'f1a2c3d4-1111-4222-8333-944455556668',
  type: 'inquiry',
  typeLabel: 'Inquiry',
  name: 'Independent Inquiry into Child Sexual Abuse',
  reference: 'IICSA-2015',
  reason: 'The inquiry asked every council to keep these records',
  startsOn: '2015-07-01',
  endsOn: '2027-01-20',
  classes: ['child-protection', 'looked-after-child'],
  classTitles: ['Child protection', 'Looked after child case record'],
  inForce: true,
  placedBy: 'Morgan Ellis',
  placedAt: '2026-11-20T09:00:00.000Z',
  releasedBy: null,
  releasedAt: null,
  releaseReason: null,
};

export function caseStatus(): CaseRetention {
  const record = (
    recordId: string,
    recordClass: string,
    dates: CaseDates,
    extra: Partial<RecordState> = {},
  ): RecordRetention => ({
    recordId,
    title: `${recordClass} file`,
    format: 'paper',
    answer: calculateRetention(defaultSchedule, { recordClass, dates, ...extra }, TODAY),
    holds: [],
    out: null,
    disposition: null,
  });
  return {
    caseRef: '1600229',
    scheduleVersion: defaultSchedule.version,
    records: [
      record('LL-1', 'looked-after-child', { dateOfBirth: '2012-05-14' }),
      record('LL-2', 'child-in-need', { dateOfBirth: '1990-01-01' }),
      {
        ...record(
          'LL-3',
          'child-protection',
          {},
          { activeHolds: [{ type: 'litigation', reference: 'LIT-1' }] },
        ),
        holds: [{ id: 'h1', type: 'litigation', reference: 'LIT-1', scope: 'case' }],
        out: { authorisationId: 'a1', returnOn: '2026-11-27', status: 'approved' },
      },
      record('LL-4', 'adoption', { dateOfBirth: '1990-01-01', adoptionOrderOn: '1992-03-01' }),
    ],
  };
}

function cls(id: string): RecordClass {
  const found = findClass(defaultSchedule, id);
  if (!found) throw new Error(`no class ${id}`);
  return found;
}

export interface CardExample {
  view: string;
  card: () => CardJson;
}

/** Every builder in CARD_BUILDERS has its examples here: a new card without any does not compile. */
export const CARD_EXAMPLES: { readonly [K in keyof typeof CARD_BUILDERS]: readonly CardExample[] } = {
  removalFormCard: [
    {
      view: 'filled in from a message, with what was read and a date in doubt left to choose',
      card: () =>
        CARD_BUILDERS.removalFormCard({
          formId: 'form-0',
          form: { caseRef: '2003417', managerName: 'Priya Shah', caseUnknown: false, records: [] },
          values: {
            caseRef: '2003417',
            recordIds: [],
            purpose: 'home_working',
            destination: 'home',
            outOn: '2026-12-03',
            returnOn: null,
            justification: 'the court report',
            acknowledged: false,
            unknownCaseConfirmed: false,
          },
          problems: [],
          today: '2026-12-03',
          read: [
            { title: 'Case', value: '2003417' },
            { title: 'Purpose', value: 'Home working, from “home”' },
            { title: 'Out of the office', value: 'Thursday 3 December 2026, from “tonight”' },
            { title: 'Back in the office', value: 'Thursday 10 December 2026? Please check: see below' },
          ],
          doubts: [
            "'back fri 10th': the 10th is a Thursday, not a Friday — did you mean Thursday 10 December or Friday 11 December?",
          ],
        }),
    },
    {
      view: 'a new request, nothing known yet, no line manager in the directory',
      card: () =>
        CARD_BUILDERS.removalFormCard({
          formId: 'form-1',
          form: { caseRef: '', managerName: null, caseUnknown: false, records: [] },
          values: {
            caseRef: '',
            recordIds: [],
            purpose: null,
            destination: '',
            outOn: TODAY,
            returnOn: null,
            justification: '',
            acknowledged: false,
            unknownCaseConfirmed: false,
          },
          problems: [],
          today: TODAY,
        }),
    },
    {
      view: 'sent back with problems, the case’s records to choose from',
      card: () =>
        CARD_BUILDERS.removalFormCard({
          formId: 'form-2',
          form: {
            caseRef: '1234567',
            managerName: 'Priya Shah',
            caseUnknown: false,
            records: [
              { id: 'LL-400109', title: 'Case file' },
              { id: 'LL-400110', title: 'Court bundle' },
            ],
          },
          values: {
            caseRef: '1234567',
            recordIds: ['LL-400109'],
            purpose: 'court',
            destination: 'Family Court',
            outOn: '2026-11-30',
            returnOn: '2026-11-28',
            justification: 'Final hearing',
            acknowledged: false,
            unknownCaseConfirmed: false,
          },
          problems: [
            {
              field: 'returnOn',
              code: 'return_before_out',
              message: 'The return date is before the out date.',
            },
            { field: 'acknowledged', code: 'not_acknowledged', message: 'Please confirm the conditions.' },
          ],
          today: TODAY,
        }),
    },
    {
      view: 'a case the inventory does not hold',
      card: () =>
        CARD_BUILDERS.removalFormCard({
          formId: 'form-3',
          form: { caseRef: '7654321', managerName: 'Priya Shah', caseUnknown: true, records: [] },
          values: {
            caseRef: '7654321',
            recordIds: [],
            purpose: 'home_working',
            destination: 'Home',
            outOn: TODAY,
            returnOn: '2026-11-27',
            justification: 'Report',
            acknowledged: true,
            unknownCaseConfirmed: false,
          },
          problems: [
            {
              field: 'caseRef',
              code: 'case_unknown',
              message: 'Case 7654321 is not in the records inventory.',
            },
          ],
          today: TODAY,
        }),
    },
  ],
  removalStatusCard: [
    ...(
      [
        ['pending', SAM, 'the requester'],
        ['pending', PRIYA, 'the line manager'],
        ['pending', TOM, 'the acting manager'],
        ['approved', SAM, 'the requester'],
        ['approved', PRIYA, 'the line manager'],
        ['declined', SAM, 'the requester'],
        ['withdrawn', PRIYA, 'the line manager'],
        ['return_requested', SAM, 'the requester'],
        ['return_requested', PRIYA, 'the line manager'],
        ['returned', SAM, 'the requester'],
      ] as const
    ).map(([status, viewer, who]) => ({
      view: `${status}, seen by ${who}`,
      card: () =>
        CARD_BUILDERS.removalStatusCard(
          authorisation(status, viewer, {
            reason:
              status === 'declined'
                ? 'Use the secure laptop instead.'
                : status === 'return_requested'
                  ? 'Court moved'
                  : null,
          }),
          { refreshUserIds: REFRESH },
        ),
    })),
    {
      view: 'approved and overdue, named records, seen by the requester',
      card: () =>
        CARD_BUILDERS.removalStatusCard(
          authorisation('approved', SAM, {
            overdue: true,
            returnOn: '2026-11-20',
            records: [{ id: 'LL-400109', title: 'Case file' }],
          }),
          { refreshUserIds: REFRESH },
        ),
    },
    {
      view: 'a refusal shown on the card, to the line manager',
      card: () =>
        CARD_BUILDERS.removalStatusCard(authorisation('approved', PRIYA), {
          refreshUserIds: [],
          notice: 'This request has changed since you last saw it: it is now approved. Nothing was changed.',
        }),
    },
  ],
  recallCard: [
    {
      view: 'a recall to check, with an earlier date read from the message',
      card: () =>
        CARD_BUILDERS.recallCard({
          authorisation: authorisation('approved', PRIYA, { returnOn: '2026-12-04' }),
          returnBy: '2026-11-30',
          reason: 'going to court Monday',
          today: TODAY,
          read: [
            { title: 'Whose', value: 'Sam' },
            { title: 'Back by', value: 'Monday 30 November 2026, from “Monday”' },
            { title: 'Reason', value: 'going to court Monday' },
          ],
          doubts: [],
        }),
    },
    {
      view: 'a date in doubt left to choose',
      card: () =>
        CARD_BUILDERS.recallCard({
          authorisation: authorisation('approved', PRIYA, { returnOn: '2026-12-04' }),
          returnBy: '',
          reason: '',
          today: TODAY,
          read: [{ title: 'Back by', value: 'Please choose: see below' }],
          doubts: [
            "'by fri 28th': the 28th is a Saturday, not a Friday — did you mean Friday 27 November or Saturday 28 November?",
          ],
        }),
    },
    {
      view: 'overdue: the recall asks for the records now',
      card: () =>
        CARD_BUILDERS.recallCard({
          authorisation: authorisation('approved', PRIYA, { returnOn: '2026-11-20', overdue: true }),
          returnBy: '2026-11-20',
          reason: 'Overdue',
          today: TODAY,
          read: [],
          doubts: [],
        }),
    },
  ],
  authorisationListCard: [
    {
      view: 'nothing to list',
      card: () => CARD_BUILDERS.authorisationListCard('Your requests', [], 'You have no removal requests.'),
    },
    {
      view: 'a manager’s team, in sections',
      card: () =>
        CARD_BUILDERS.authorisationListCard(
          'Your team’s authorisations',
          [
            { heading: 'Waiting for your decision', items: [authorisation('pending', PRIYA)] },
            { heading: 'Overdue', items: [authorisation('approved', PRIYA, { overdue: true })] },
            { heading: 'Out of the office', items: [] },
          ],
          'Nothing is waiting for you.',
        ),
    },
  ],
  messageCard: [
    {
      view: 'a plain message',
      card: () =>
        CARD_BUILDERS.messageCard({
          title: 'Cover ended',
          lines: ['Only you decide your team’s requests again.'],
        }),
    },
    {
      view: 'a refusal with facts',
      card: () =>
        CARD_BUILDERS.messageCard({
          title: 'Not done',
          lines: ['Only the Records Management Service can do that.'],
          style: 'attention',
          facts: [{ title: 'Procedure', value: 'section 4' }],
        }),
    },
  ],
  helpCard: [
    { view: 'on installation: every role', card: () => CARD_BUILDERS.helpCard('Welcome.') },
    {
      view: 'a case worker',
      card: () => CARD_BUILDERS.helpCard('Here is what you can ask me.', { roles: ['case_worker'] }),
    },
    {
      view: 'a line manager, with their work',
      card: () =>
        CARD_BUILDERS.helpCard('Here is what you can ask me.', {
          roles: ['line_manager'],
          work: ['1 request(s) waiting for your decision; 0 overdue in your team.'],
        }),
    },
    {
      view: 'a Records Management officer, with their work',
      card: () =>
        CARD_BUILDERS.helpCard('Here is what you can ask me.', {
          roles: ['records_management'],
          work: [
            '102 record(s) are due for destruction by today.',
            'Waiting for a second officer to confirm: DB-2026-0001 (chosen by Morgan Ellis).',
            '3 hold(s) in force.',
          ],
        }),
    },
  ],
  classAnswerCard: [
    {
      view: 'a statutory class',
      card: () => CARD_BUILDERS.classAnswerCard(cls('looked-after-child'), defaultSchedule.version),
    },
    {
      view: 'a statutory class, for a child who died at 10',
      card: () => CARD_BUILDERS.classAnswerCard(cls('looked-after-child'), defaultSchedule.version, 10),
    },
    {
      view: 'a class from case law, to be confirmed',
      card: () => CARD_BUILDERS.classAnswerCard(cls('child-protection'), defaultSchedule.version),
    },
    {
      view: 'a class the council chose',
      card: () => CARD_BUILDERS.classAnswerCard(cls('early-help'), defaultSchedule.version),
    },
    {
      view: 'a statutory class with its figure to be confirmed',
      card: () => CARD_BUILDERS.classAnswerCard(cls('childrens-home-other'), defaultSchedule.version),
    },
  ],
  classChoiceCard: [
    {
      view: 'several classes match',
      card: () =>
        CARD_BUILDERS.classChoiceCard([
          cls('foster-carer-approved'),
          cls('foster-applicant-refused-withdrawn'),
        ]),
    },
  ],
  unknownClassCard: [{ view: 'no class matches', card: () => CARD_BUILDERS.unknownClassCard() }],
  procedureAnswerCard: [
    {
      view: 'an answer that allows something, with a related section',
      card: () =>
        CARD_BUILDERS.procedureAnswerCard({
          title: 'Working on a computer at home',
          lines: [
            'Yes, you may use a computer at home for Council work, as long as every document about a child or family is saved on Livelink.',
          ],
          section: 'P4',
          sectionTitle: procedureSection('P4').partTitle,
          quote: procedureSection('P4').text,
          related: [{ section: 'P3', title: 'Keeping records at home or with you' }],
        }),
    },
    {
      view: 'an answer that forbids something',
      card: () =>
        CARD_BUILDERS.procedureAnswerCard({
          title: 'Keeping records at home or with you',
          lines: ["No. Case records are never kept in an employee's possession, at home or anywhere else."],
          section: 'P3',
          sectionTitle: procedureSection('P3').partTitle,
          quote: procedureSection('P3').text,
          related: [],
        }),
    },
  ],
  procedureTopicsCard: [
    {
      view: 'what the procedure covers',
      card: () =>
        CARD_BUILDERS.procedureTopicsCard([
          { title: 'Who case records belong to', section: 'P1' },
          { title: 'Who destroys records', section: 'D2' },
        ]),
    },
  ],
  clarificationCard: [
    {
      view: 'did you mean: readings as buttons, and what the role can do',
      card: () =>
        CARD_BUILDERS.clarificationCard({
          prompt: 'I\'m not sure what you meant by "1234567 friday". Did you mean:',
          note: 'Nothing has been opened or changed.',
          options: [
            {
              title: 'Ask to take case 1234567 out of the office, back Friday 27 November',
              verb: 'chat.reading',
              data: { text: '1234567 friday', intent: 'removal.request' },
            },
            {
              title: 'The retention status of case 1234567',
              verb: 'chat.reading',
              data: { text: '1234567 friday', intent: 'retention.case' },
            },
          ],
          canDo: [{ title: 'How long a kind of record is kept', example: 'how long do we keep CP records?' }],
        }),
    },
    {
      view: 'a date in doubt: the dates as buttons',
      card: () =>
        CARD_BUILDERS.clarificationCard({
          prompt:
            "'until fri 10th': the 10th is a Thursday, not a Friday — did you mean Thursday 10 December or Friday 11 December?",
          note: 'Choose the last day Tom Hughes covers your approvals. Nothing has been set yet.',
          options: [
            {
              title: 'Until Thursday 10 December 2026',
              verb: 'chat.reading',
              data: {
                text: 'Tom covers until fri 10th',
                intent: 'acting.set',
                dates: { until: '2026-12-10' },
              },
            },
            {
              title: 'Until Friday 11 December 2026',
              verb: 'chat.reading',
              data: {
                text: 'Tom covers until fri 10th',
                intent: 'acting.set',
                dates: { until: '2026-12-11' },
              },
            },
          ],
          canDo: [],
        }),
    },
    {
      view: 'out of domain: no readings, what the role can do',
      card: () =>
        CARD_BUILDERS.clarificationCard({
          prompt: 'Sorry, that is outside what I can help with.',
          note: 'Nothing has been opened or changed.',
          options: [],
          canDo: [{ title: 'Questions about the procedure', example: 'can I use my work laptop at home?' }],
        }),
    },
  ],
  caseRetentionCard: [
    {
      view: 'a case with held, out and incomplete records',
      card: () => CARD_BUILDERS.caseRetentionCard(caseStatus(), TODAY),
    },
  ],
  holdFormCard: [
    {
      view: 'an empty form',
      card: () =>
        CARD_BUILDERS.holdFormCard({
          caseRef: '',
          recordId: '',
          type: '',
          reference: '',
          reason: '',
          sarReceivedOn: '',
          today: TODAY,
          problem: '',
        }),
    },
    {
      view: 'a subject access request sent back with a problem',
      card: () =>
        CARD_BUILDERS.holdFormCard({
          caseRef: '2000548',
          recordId: '',
          type: 'subject_access_request',
          reference: 'SAR/2026/61',
          reason: 'The young person asked for their file',
          sarReceivedOn: '',
          today: TODAY,
          problem: 'When was the subject access request received?',
        }),
    },
  ],
  blanketHoldFormCard: [
    {
      view: 'filled in from a message: an inquiry on two classes',
      card: () =>
        CARD_BUILDERS.blanketHoldFormCard(
          {
            type: 'inquiry',
            name: '',
            reference: '',
            reason: '',
            startsOn: TODAY,
            endsOn: '',
            classes: 'child-protection,looked-after-child',
            problem: '',
          },
          defaultSchedule,
        ),
    },
    {
      view: 'sent back with a problem',
      card: () =>
        CARD_BUILDERS.blanketHoldFormCard(
          {
            type: 'inquiry',
            name: 'Independent Inquiry into Child Sexual Abuse',
            reference: 'IICSA-2015',
            reason: 'Moratorium',
            startsOn: '2023-01-20',
            endsOn: '2015-07-01',
            classes: '',
            problem: 'The hold ends before it starts.',
          },
          defaultSchedule,
        ),
    },
  ],
  holdsListCard: [
    {
      view: 'no holds',
      card: () =>
        CARD_BUILDERS.holdsListCard('Holds in force', [], {
          canRelease: true,
          emptyText: 'No holds are in force.',
          today: TODAY,
        }),
    },
    {
      view: 'a subject access request alone: release, extend and stop the clock',
      card: () =>
        CARD_BUILDERS.holdsListCard('Holds on case 2000548', [SAR_HOLD, RELEASED_HOLD], {
          canRelease: true,
          emptyText: '',
          notice: 'Nothing under this hold can be destroyed until it is released.',
          today: TODAY,
        }),
    },
    {
      view: 'a subject access request extended, its clock stopped: release and restart',
      card: () =>
        CARD_BUILDERS.holdsListCard(
          'Subject access request hold SAR/2026/61',
          [
            {
              ...SAR_HOLD,
              sar: {
                ...SAR_HOLD.sar!,
                extended: true,
                extendedRespondBy: '2027-02-10',
                pausedSince: '2026-11-20',
                pauses: [{ from: '2026-11-20', to: null, reason: 'Proof of identity' }],
                extension: { toldOn: '2026-11-25', reason: 'Complex request' },
              },
            },
          ],
          { canRelease: true, emptyText: '', today: TODAY },
        ),
    },
    {
      view: 'a hold not released',
      card: () =>
        CARD_BUILDERS.holdsListCard('Hold not released', [SAR_HOLD], {
          canRelease: true,
          emptyText: '',
          notice: 'Say why the hold is released: the reason is recorded.',
          noticeStyle: 'attention',
          today: TODAY,
        }),
    },
    {
      view: 'several holds and one on whole classes: each opens on its own',
      card: () =>
        CARD_BUILDERS.holdsListCard(
          'Holds in force',
          [
            SAR_HOLD,
            {
              ...SAR_HOLD,
              id: 'other',
              reference: 'SAR/2026/62',
              sar: null,
              type: 'foi_request',
              typeLabel: 'FOI request',
            },
          ],
          { canRelease: true, emptyText: '', blanket: [INQUIRY], today: TODAY },
        ),
    },
    {
      view: 'a hold on whole classes alone: release',
      card: () =>
        CARD_BUILDERS.holdsListCard('Hold on whole classes: IICSA', [], {
          canRelease: true,
          emptyText: '',
          blanket: [INQUIRY],
          today: TODAY,
        }),
    },
    {
      view: 'a hold on whole classes just released',
      card: () =>
        CARD_BUILDERS.holdsListCard('Hold released', [], {
          canRelease: false,
          emptyText: '',
          blanket: [
            {
              ...INQUIRY,
              classes: null,
              classTitles: null,
              inForce: false,
              releasedBy: 'Dana Okafor',
              releasedAt: '2026-11-26T10:00:00.000Z',
              releaseReason: 'The moratorium ended',
            },
          ],
          today: TODAY,
        }),
    },
  ],
  dueCard: [
    { view: 'records due', card: () => CARD_BUILDERS.dueCard(DUE, defaultSchedule, '') },
    {
      view: 'a long list: twelve classes summed up, page 2 of 11',
      card: () => CARD_BUILDERS.dueCard(DUE_MANY, defaultSchedule, ''),
    },
    {
      view: 'nothing due in a class',
      card: () =>
        CARD_BUILDERS.dueCard(
          { ...DUE, total: 0, groups: [], records: [] },
          defaultSchedule,
          'child-in-need',
        ),
    },
  ],
  batchPreviewCard: [
    {
      view: 'records that would go in, blocked and left out',
      card: () => CARD_BUILDERS.batchPreviewCard(PREVIEW),
    },
    {
      view: 'more due than a batch holds',
      card: () =>
        CARD_BUILDERS.batchPreviewCard({
          ...PREVIEW,
          scope: { classId: null, classTitle: null, dueBy: TODAY },
          records: 500,
          passing: 500,
          blocked: 0,
          blockedBy: [],
          blockedRecords: [],
          inOpenBatches: 0,
          waitingForReview: 0,
          notice: '612 records are due by 26 November 2026, but a batch can hold at most 500.',
        }),
    },
    {
      view: 'nothing can go in',
      card: () =>
        CARD_BUILDERS.batchPreviewCard({
          ...PREVIEW,
          records: 0,
          passing: 0,
          blocked: 0,
          groups: [],
          blockedBy: [],
          blockedRecords: [],
          inOpenBatches: 0,
        }),
    },
  ],
  batchCard: [
    {
      view: 'waiting, seen by the officer who chose it (two-person rule): who was asked',
      card: () =>
        CARD_BUILDERS.batchCard(batch('awaiting_confirmation', MORGAN), {
          certificateUrl: '',
          refreshUserIds: ['29:morgan', '29:dana'],
        }),
    },
    {
      view: 'waiting, seen by a second officer: the four logs to tick, each record’s method',
      card: () => CARD_BUILDERS.batchCard(batch('awaiting_confirmation', DANA), { certificateUrl: '' }),
    },
    {
      view: 'waiting, seen by its creator without the two-person rule',
      card: () =>
        CARD_BUILDERS.batchCard(batch('awaiting_confirmation', MORGAN, false), { certificateUrl: '' }),
    },
    {
      view: 'a batch of 500, page 3 of 50',
      card: () =>
        CARD_BUILDERS.batchCard(batch('awaiting_confirmation', DANA, true, 500), {
          certificateUrl: '',
          page: 3,
        }),
    },
    {
      view: 'confirmed, with its certificate',
      card: () =>
        CARD_BUILDERS.batchCard(batch('confirmed', DANA), {
          certificateUrl: 'https://records.council.example/downloads/certificates/x.pdf?by=a&exp=1&sig=s',
          notice:
            'Destroyed 2 record(s) and entered them in the register. 1 record(s) were kept: a check failed at confirmation.',
        }),
    },
    {
      view: 'cancelled',
      card: () => CARD_BUILDERS.batchCard(batch('cancelled', MORGAN), { certificateUrl: '' }),
    },
  ],
  batchListCard: [
    { view: 'no batches', card: () => CARD_BUILDERS.batchListCard([]) },
    {
      view: 'waiting and recent batches',
      card: () =>
        CARD_BUILDERS.batchListCard([
          batch('awaiting_confirmation', MORGAN),
          { ...batch('confirmed', MORGAN), id: 'other', reference: 'DB-2025-0007' },
        ]),
    },
  ],
  registerCard: [
    {
      view: 'entries with the exports',
      card: () =>
        CARD_BUILDERS.registerCard(
          'Destruction register',
          [
            ENTRY,
            {
              ...ENTRY,
              id: 'e2',
              recordId: 'LL-400167',
              recordClass: 'child-protection',
              classTitle: 'Child protection',
              ruleId: '75-years-from-birth',
              ruleLabel: "75th anniversary of the child's birth",
              keptWith: 'looked-after-child',
              keptWithTitle: 'Looked after child case record',
              reviewDecision: {
                id: 'd1',
                decision: 'destroy',
                decidedOn: TODAY,
                decidedByName: 'Dana Okafor',
                decidedByRole: 'Records Management officer',
                reason: 'No further business need',
                reviewOn: null,
                accessionRef: null,
                archive: null,
              },
            },
          ],
          12,
          {
            csvUrl: 'https://records.council.example/downloads/register.csv?by=a&exp=1&sig=s',
            xlsxUrl: 'https://records.council.example/downloads/register.xlsx?by=a&exp=1&sig=s',
            decisionsCsvUrl:
              'https://records.council.example/downloads/review-decisions.csv?by=a&exp=1&sig=s',
          },
        ),
    },
    {
      view: 'one record',
      card: () =>
        CARD_BUILDERS.registerCard('Record LL-400101 was destroyed', [ENTRY], 1, { csvUrl: '', xlsxUrl: '' }),
    },
    {
      view: 'empty',
      card: () => CARD_BUILDERS.registerCard('Destruction register', [], 0, { csvUrl: '', xlsxUrl: '' }),
    },
  ],
  reviewCard: [
    { view: 'records waiting, page 1 of 3', card: () => CARD_BUILDERS.reviewCard(REVIEW, defaultSchedule) },
    {
      view: 'one case, asked which records to decide',
      card: () =>
        CARD_BUILDERS.reviewCard(
          {
            ...REVIEW,
            caseRef: '1600229',
            total: 1,
            groups: [REVIEW.groups[0]!],
            records: [REVIEW_ITEM],
            pages: 1,
          },
          defaultSchedule,
          'Which records? Press Decide on a record, or Decide for all on the list. Nothing has been recorded.',
        ),
    },
    {
      view: 'nothing waiting in a class',
      card: () =>
        CARD_BUILDERS.reviewCard(
          { ...REVIEW, classId: 'adoption', total: 0, groups: [], records: [], pages: 1 },
          defaultSchedule,
        ),
    },
  ],
  reviewDecisionCard: [
    {
      view: 'one record, filled in from a message',
      card: () =>
        CARD_BUILDERS.reviewDecisionCard({
          selection: { recordIds: ['LL-400167'] },
          cover: { ...COVER, total: 1, records: [REVIEW_ITEM] },
          values: {
            decision: 'keep',
            reason: 'still in proceedings',
            keepYears: '5',
            accessionRef: '',
            archive: '',
          },
          problem: '',
          read: [
            {
              title: 'Decision',
              value:
                'Keep for longer, then review again (5 more years), from “keep LL-400167 for 5 more years”',
            },
            { title: 'Reason', value: 'from “still in proceedings”' },
          ],
        }),
    },
    {
      view: 'every record of a class, sent back with a problem',
      card: () =>
        CARD_BUILDERS.reviewDecisionCard({
          selection: { classId: 'looked-after-child', caseRef: '', dueBy: TODAY },
          cover: COVER,
          values: {
            decision: 'transfer',
            reason: 'Historic interest',
            keepYears: '',
            accessionRef: '',
            archive: '',
          },
          problem: 'Give the archive’s accession reference for the transfer.',
        }),
    },
  ],
  reviewDecidedCard: [
    {
      view: 'destroy: a batch can be previewed',
      card: () =>
        CARD_BUILDERS.reviewDecidedCard(
          [decisionView('destroy'), decisionView('destroy', { id: 'd2', recordId: 'LL-400198' })],
          'Recorded: destroy 2 record(s). They are now due for destruction and can go into a destruction batch.',
        ),
    },
    {
      view: 'keep for five more years',
      card: () =>
        CARD_BUILDERS.reviewDecidedCard(
          [decisionView('keep', { keepYears: 5, reviewOn: '2031-11-26', reason: 'Still in proceedings' })],
          'Recorded: keep 1 record(s) for 5 more year(s), until a review on 26 November 2031.',
        ),
    },
    {
      view: 'transferred to the archives',
      card: () =>
        CARD_BUILDERS.reviewDecidedCard(
          [
            decisionView('transfer', {
              accessionRef: 'ACC/2026/14',
              archive: 'County Record Office',
              reason: 'Historic interest',
            }),
          ],
          'Recorded: transfer 1 record(s) to County Record Office, accession ACC/2026/14.',
        ),
    },
  ],
};

/** The verbs the list cards send when an item is pressed. */
export const LIST_VERBS = [VERBS.show, VERBS.batchShow];
