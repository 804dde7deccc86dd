import { describe, expect, it } from 'vitest';
import {
  abilities,
  ACTION_TARGETS,
  AUTHORISATION_STATUSES,
  isApprover,
  isOut,
  isOverdue,
  MAX_REASON_LENGTH,
  MAX_TEXT_LENGTH,
  mayView,
  recallDateProblem,
  teamGroup,
  transition,
  validateRemovalRequest,
  type Actor,
  type ActionKind,
  type AuthorisationAction,
  type AuthorisationEvent,
  type AuthorisationSnapshot,
  type AuthorisationStatus,
  type IsoDate,
  type ManagerRelationship,
  type Refusal,
  type RemovalRequestDraft,
  type RequestContext,
  type TeamGroup,
  type Transition,
  type TransitionContext,
  type TransitionRefusalCode,
} from './index.js';

const AMY: Actor = { id: 'cw-amy', roles: ['case_worker'] }; // the requester
const BEN: Actor = { id: 'lm-ben', roles: ['line_manager'] }; // Amy's line manager
const CAT: Actor = { id: 'lm-cat', roles: ['line_manager'] }; // acting for Ben
const DAN: Actor = { id: 'cw-dan', roles: ['case_worker'] }; // a colleague
const ZED: Actor = { id: 'lm-zed', roles: ['line_manager'] }; // another team's manager

const AMY_MANAGERS: ManagerRelationship = { lineManagerId: BEN.id, actingManagerIds: [] };
const WITH_ACTING: ManagerRelationship = { lineManagerId: BEN.id, actingManagerIds: [CAT.id] };

const TODAY: IsoDate = '2026-12-01';
const VERSION = 3;

function snapshot(
  status: AuthorisationStatus,
  changes: Partial<AuthorisationSnapshot> = {},
): AuthorisationSnapshot {
  return {
    requesterId: AMY.id,
    status,
    version: VERSION,
    outOn: '2026-12-02',
    returnOn: '2026-12-09',
    ...changes,
  };
}

function context(actor: Actor, changes: Partial<TransitionContext> = {}): TransitionContext {
  return { actor, relationship: AMY_MANAGERS, expectedVersion: VERSION, today: TODAY, ...changes };
}

function expectDone(result: Transition | Refusal): Transition {
  if (!result.ok)
    throw new Error(`expected the transition to succeed, was refused: ${result.code}: ${result.message}`);
  return result;
}

function expectRefused(
  result: Transition | Refusal<TransitionRefusalCode>,
  code: TransitionRefusalCode,
): Refusal {
  if (result.ok) throw new Error(`expected a refusal (${code}), moved to ${result.status}`);
  expect(result.code).toBe(code);
  expect(result.message.trim()).not.toBe('');
  return result;
}

describe('transition: every step of the lifecycle', () => {
  it.each<{
    name: string;
    from: AuthorisationStatus;
    action: AuthorisationAction;
    actor: Actor;
    relationship?: ManagerRelationship;
    to: AuthorisationStatus;
    reason: string | null;
    event: AuthorisationEvent;
  }>([
    {
      name: 'line manager approves',
      from: 'pending',
      action: { kind: 'approve' },
      actor: BEN,
      to: 'approved',
      reason: null,
      event: { type: 'removal.approved', notify: 'requester' },
    },
    {
      name: 'line manager approves with a note (trimmed)',
      from: 'pending',
      action: { kind: 'approve', note: '  Back by Friday please  ' },
      actor: BEN,
      to: 'approved',
      reason: 'Back by Friday please',
      event: { type: 'removal.approved', notify: 'requester' },
    },
    {
      name: 'acting manager approves',
      from: 'pending',
      action: { kind: 'approve', note: null },
      actor: CAT,
      relationship: WITH_ACTING,
      to: 'approved',
      reason: null,
      event: { type: 'removal.approved', notify: 'requester' },
    },
    {
      name: 'line manager declines with a reason',
      from: 'pending',
      action: { kind: 'decline', reason: '  The meeting can use the electronic file. ' },
      actor: BEN,
      to: 'declined',
      reason: 'The meeting can use the electronic file.',
      event: { type: 'removal.declined', notify: 'requester' },
    },
    {
      name: 'acting manager declines with a reason',
      from: 'pending',
      action: { kind: 'decline', reason: 'Not needed' },
      actor: CAT,
      relationship: WITH_ACTING,
      to: 'declined',
      reason: 'Not needed',
      event: { type: 'removal.declined', notify: 'requester' },
    },
    {
      name: 'requester withdraws without a reason',
      from: 'pending',
      action: { kind: 'withdraw' },
      actor: AMY,
      to: 'withdrawn',
      reason: null,
      event: { type: 'removal.withdrawn', notify: 'approvers' },
    },
    {
      name: 'requester withdraws with a reason',
      from: 'pending',
      action: { kind: 'withdraw', reason: 'Hearing adjourned' },
      actor: AMY,
      to: 'withdrawn',
      reason: 'Hearing adjourned',
      event: { type: 'removal.withdrawn', notify: 'approvers' },
    },
    {
      name: 'line manager cancels, asking for the records back',
      from: 'approved',
      action: { kind: 'cancel', reason: 'Audit of the file on Monday' },
      actor: BEN,
      to: 'return_requested',
      reason: 'Audit of the file on Monday',
      event: { type: 'removal.return_requested', notify: 'requester' },
    },
    {
      name: 'acting manager cancels',
      from: 'approved',
      action: { kind: 'cancel', reason: 'Needed in the office' },
      actor: CAT,
      relationship: WITH_ACTING,
      to: 'return_requested',
      reason: 'Needed in the office',
      event: { type: 'removal.return_requested', notify: 'requester' },
    },
    {
      name: 'requester marks approved records returned',
      from: 'approved',
      action: { kind: 'mark_returned' },
      actor: AMY,
      to: 'returned',
      reason: null,
      event: { type: 'removal.returned', notify: 'approvers' },
    },
    {
      name: 'manager confirms approved records returned',
      from: 'approved',
      action: { kind: 'mark_returned', note: 'Seen on my desk' },
      actor: BEN,
      to: 'returned',
      reason: 'Seen on my desk',
      event: { type: 'removal.returned', notify: 'requester' },
    },
    {
      name: 'requester returns records that were asked back',
      from: 'return_requested',
      action: { kind: 'mark_returned' },
      actor: AMY,
      to: 'returned',
      reason: null,
      event: { type: 'removal.returned', notify: 'approvers' },
    },
    {
      name: 'manager confirms the return of records that were asked back',
      from: 'return_requested',
      action: { kind: 'mark_returned' },
      actor: BEN,
      to: 'returned',
      reason: null,
      event: { type: 'removal.returned', notify: 'requester' },
    },
    {
      name: 'acting manager confirms the return',
      from: 'return_requested',
      action: { kind: 'mark_returned' },
      actor: CAT,
      relationship: WITH_ACTING,
      to: 'returned',
      reason: null,
      event: { type: 'removal.returned', notify: 'requester' },
    },
  ])('$from → $to: $name', ({ from, action, actor, relationship, to, reason, event }) => {
    const result = expectDone(
      transition(snapshot(from), action, context(actor, relationship ? { relationship } : {})),
    );
    expect(result).toEqual<Transition>({
      ok: true,
      from,
      status: to,
      version: VERSION + 1,
      reason,
      returnOn: '2026-12-09',
      events: [event],
    });
  });
});

describe('transition: a recall with an earlier return date', () => {
  const recall = (returnBy: string | null): AuthorisationAction => ({
    kind: 'cancel',
    reason: 'Court on Monday',
    returnBy,
  });

  it.each([
    { returnBy: '2026-12-07', why: 'an earlier date' },
    { returnBy: TODAY, why: 'today' },
    { returnBy: '2026-12-09', why: 'the agreed date itself' },
  ])('brings the return forward to $why', ({ returnBy }) => {
    const result = expectDone(transition(snapshot('approved'), recall(returnBy), context(BEN)));
    expect(result).toMatchObject({
      status: 'return_requested',
      returnOn: returnBy,
      reason: 'Court on Monday',
    });
  });

  it('keeps the agreed date when none is given', () => {
    expect(expectDone(transition(snapshot('approved'), recall(null), context(BEN))).returnOn).toBe(
      '2026-12-09',
    );
  });

  it.each([
    { returnBy: '2026-11-30', says: ['30 November 2026 has passed', 'today, 1 December 2026'] },
    { returnBy: '2026-12-10', says: ['already due back by 9 December 2026', 'forward, not put it back'] },
    { returnBy: '2026-02-30', says: ['not a date'] },
    { returnBy: 'Monday', says: ['not a date'] },
  ])('refuses $returnBy, changing nothing', ({ returnBy, says }) => {
    const refusal = expectRefused(
      transition(snapshot('approved'), recall(returnBy), context(BEN)),
      'return_by_invalid',
    );
    for (const text of says) expect(refusal.message).toContain(text);
  });

  it('asks who may recall before anything about the date', () => {
    expectRefused(transition(snapshot('approved'), recall('2026-11-01'), context(DAN)), 'not_line_manager');
  });

  it('says the same about a date without acting (for the chat to ask before sending)', () => {
    expect(recallDateProblem('2026-12-05', '2026-12-09', TODAY)).toBeNull();
    expect(recallDateProblem('2026-12-12', '2026-12-09', TODAY)).toContain('already due back');
  });
});

describe('transition: refusals', () => {
  it.each<{
    name: string;
    auth: AuthorisationSnapshot;
    action: AuthorisationAction;
    ctx: TransitionContext;
    code: TransitionRefusalCode;
    says: string[];
  }>([
    // A stale card: the version the actor saw is not the current one.
    {
      name: 'second click on approve after the first approved it',
      auth: snapshot('approved', { version: VERSION + 1 }),
      action: { kind: 'approve' },
      ctx: context(BEN),
      code: 'stale',
      says: ['it is now approved', 'Nothing was changed'],
    },
    {
      name: 'decline from a card older than a recall',
      auth: snapshot('return_requested', { version: VERSION + 2 }),
      action: { kind: 'decline', reason: 'No' },
      ctx: context(BEN),
      code: 'stale',
      says: ['it is now return requested'],
    },
    {
      name: 'withdraw from a card older than a decline',
      auth: snapshot('declined', { version: VERSION + 1 }),
      action: { kind: 'withdraw' },
      ctx: context(AMY),
      code: 'stale',
      says: ['it is now declined'],
    },
    {
      name: 'a card newer than the record (forged version)',
      auth: snapshot('pending'),
      action: { kind: 'approve' },
      ctx: context(BEN, { expectedVersion: VERSION + 5 }),
      code: 'stale',
      says: ['it is now waiting for the line manager'],
    },
    // The right version, the wrong state.
    {
      name: 'approve an approved request',
      auth: snapshot('approved'),
      action: { kind: 'approve' },
      ctx: context(BEN),
      code: 'wrong_state',
      says: ['This request is approved, so it cannot be approved.'],
    },
    {
      name: 'approve a declined request',
      auth: snapshot('declined'),
      action: { kind: 'approve' },
      ctx: context(BEN),
      code: 'wrong_state',
      says: ['This request is declined, so it cannot be approved.'],
    },
    {
      name: 'approve a withdrawn request',
      auth: snapshot('withdrawn'),
      action: { kind: 'approve' },
      ctx: context(BEN),
      code: 'wrong_state',
      says: ['This request is withdrawn'],
    },
    {
      name: 'decline an approved request',
      auth: snapshot('approved'),
      action: { kind: 'decline', reason: 'Changed my mind' },
      ctx: context(BEN),
      code: 'wrong_state',
      says: ['cannot be declined'],
    },
    {
      name: 'cancel a pending request (decline it instead)',
      auth: snapshot('pending'),
      action: { kind: 'cancel', reason: 'Not needed' },
      ctx: context(BEN),
      code: 'wrong_state',
      says: ['has not been approved yet', 'decline it instead'],
    },
    {
      name: 'cancel a request already asked back',
      auth: snapshot('return_requested'),
      action: { kind: 'cancel', reason: 'Again' },
      ctx: context(BEN),
      code: 'wrong_state',
      says: ['This request is return requested, so it cannot be cancelled.'],
    },
    {
      name: 'withdraw an approved request',
      auth: snapshot('approved'),
      action: { kind: 'withdraw' },
      ctx: context(AMY),
      code: 'wrong_state',
      says: ['This request is approved, so it cannot be withdrawn.'],
    },
    {
      name: 'mark a returned request returned again',
      auth: snapshot('returned'),
      action: { kind: 'mark_returned' },
      ctx: context(AMY),
      code: 'wrong_state',
      says: ['This request is returned, so it cannot be marked as returned.'],
    },
    {
      name: 'mark a pending request returned',
      auth: snapshot('pending'),
      action: { kind: 'mark_returned' },
      ctx: context(AMY),
      code: 'wrong_state',
      says: ['marked as returned'],
    },
    // Nobody decides their own request.
    {
      name: 'a manager approving their own request',
      auth: snapshot('pending', { requesterId: BEN.id }),
      action: { kind: 'approve' },
      ctx: context(BEN, { relationship: { lineManagerId: 'hd-eve', actingManagerIds: [] } }),
      code: 'own_request',
      says: ['your own request'],
    },
    {
      name: 'a requester recorded as their own line manager',
      auth: snapshot('pending'),
      action: { kind: 'approve' },
      ctx: context(AMY, { relationship: { lineManagerId: AMY.id, actingManagerIds: [] } }),
      code: 'own_request',
      says: ['your own request'],
    },
    {
      name: 'a requester who is acting manager for their own manager',
      auth: snapshot('pending'),
      action: { kind: 'approve' },
      ctx: context(AMY, { relationship: { lineManagerId: BEN.id, actingManagerIds: [AMY.id] } }),
      code: 'own_request',
      says: ['your own request'],
    },
    {
      name: 'a requester declining their own request',
      auth: snapshot('pending'),
      action: { kind: 'decline', reason: 'Oops' },
      ctx: context(AMY),
      code: 'own_request',
      says: ['your own request'],
    },
    {
      name: 'a requester cancelling their own authorisation',
      auth: snapshot('approved'),
      action: { kind: 'cancel', reason: 'Done early' },
      ctx: context(AMY),
      code: 'own_request',
      says: ['your own request'],
    },
    // Only the line manager or an acting manager decides.
    {
      name: 'a colleague approving',
      auth: snapshot('pending'),
      action: { kind: 'approve' },
      ctx: context(DAN),
      code: 'not_line_manager',
      says: ['line manager'],
    },
    {
      name: 'another team’s manager approving',
      auth: snapshot('pending'),
      action: { kind: 'approve' },
      ctx: context(ZED),
      code: 'not_line_manager',
      says: ['line manager'],
    },
    {
      name: 'a colleague declining',
      auth: snapshot('pending'),
      action: { kind: 'decline', reason: 'No' },
      ctx: context(DAN),
      code: 'not_line_manager',
      says: ['line manager'],
    },
    {
      name: 'a colleague cancelling',
      auth: snapshot('approved'),
      action: { kind: 'cancel', reason: 'Because' },
      ctx: context(DAN),
      code: 'not_line_manager',
      says: ['line manager'],
    },
    {
      name: 'the usual manager approving when the requester has no line manager',
      auth: snapshot('pending'),
      action: { kind: 'approve' },
      ctx: context(BEN, { relationship: { lineManagerId: null, actingManagerIds: [] } }),
      code: 'not_line_manager',
      says: ['line manager'],
    },
    {
      name: 'a former acting manager approving after cover ended',
      auth: snapshot('pending'),
      action: { kind: 'approve' },
      ctx: context(CAT),
      code: 'not_line_manager',
      says: ['line manager'],
    },
    // Only the requester withdraws; only the requester or a manager confirms the return.
    {
      name: 'the line manager withdrawing',
      auth: snapshot('pending'),
      action: { kind: 'withdraw' },
      ctx: context(BEN),
      code: 'not_your_request',
      says: ['Only the person who made the request can withdraw it.'],
    },
    {
      name: 'a colleague withdrawing',
      auth: snapshot('pending'),
      action: { kind: 'withdraw' },
      ctx: context(DAN),
      code: 'not_your_request',
      says: ['withdraw'],
    },
    {
      name: 'a colleague marking returned',
      auth: snapshot('approved'),
      action: { kind: 'mark_returned' },
      ctx: context(DAN),
      code: 'not_your_request',
      says: ['confirm that the records are back'],
    },
    // Reasons.
    {
      name: 'decline with an empty reason',
      auth: snapshot('pending'),
      action: { kind: 'decline', reason: '' },
      ctx: context(BEN),
      code: 'reason_missing',
      says: ['reason for declining'],
    },
    {
      name: 'decline with a blank reason',
      auth: snapshot('pending'),
      action: { kind: 'decline', reason: '   \n\t ' },
      ctx: context(BEN),
      code: 'reason_missing',
      says: ['reason for declining'],
    },
    {
      name: 'cancel with an empty reason',
      auth: snapshot('approved'),
      action: { kind: 'cancel', reason: '' },
      ctx: context(BEN),
      code: 'reason_missing',
      says: ['reason for cancelling', 'reasons are always given'],
    },
    {
      name: 'cancel with a whitespace reason',
      auth: snapshot('approved'),
      action: { kind: 'cancel', reason: '    ' },
      ctx: context(CAT, { relationship: WITH_ACTING }),
      code: 'reason_missing',
      says: ['reasons are always given'],
    },
    {
      name: 'decline with a reason that is too long',
      auth: snapshot('pending'),
      action: { kind: 'decline', reason: 'x'.repeat(MAX_REASON_LENGTH + 1) },
      ctx: context(BEN),
      code: 'reason_too_long',
      says: [String(MAX_REASON_LENGTH)],
    },
    {
      name: 'cancel with a reason that is too long',
      auth: snapshot('approved'),
      action: { kind: 'cancel', reason: 'y'.repeat(MAX_REASON_LENGTH + 1) },
      ctx: context(BEN),
      code: 'reason_too_long',
      says: [String(MAX_REASON_LENGTH)],
    },
    {
      name: 'approve with a note that is too long',
      auth: snapshot('pending'),
      action: { kind: 'approve', note: 'z'.repeat(MAX_REASON_LENGTH + 1) },
      ctx: context(BEN),
      code: 'reason_too_long',
      says: [String(MAX_REASON_LENGTH)],
    },
    {
      name: 'withdraw with a reason that is too long',
      auth: snapshot('pending'),
      action: { kind: 'withdraw', reason: 'w'.repeat(MAX_REASON_LENGTH + 1) },
      ctx: context(AMY),
      code: 'reason_too_long',
      says: [String(MAX_REASON_LENGTH)],
    },
    // Dates.
    {
      name: 'approve after the expected return date has passed',
      auth: snapshot('pending', { outOn: '2026-11-20', returnOn: '2026-11-30' }),
      action: { kind: 'approve' },
      ctx: context(BEN),
      code: 'return_date_passed',
      says: ['30 November 2026', 'new request'],
    },
  ])('$code: $name', ({ auth, action, ctx, code, says }) => {
    const refusal = expectRefused(transition(auth, action, ctx), code);
    expect(refusal.ok).toBe(false);
    for (const text of says) expect(refusal.message).toContain(text);
  });

  it('accepts a reason of exactly the maximum length, counted after trimming', () => {
    const reason = 'x'.repeat(MAX_REASON_LENGTH);
    const result = expectDone(
      transition(snapshot('pending'), { kind: 'decline', reason: `  ${reason}  ` }, context(BEN)),
    );
    expect(result.reason).toBe(reason);
  });

  it('approves on the expected return date itself', () => {
    const auth = snapshot('pending', { outOn: '2026-11-25', returnOn: TODAY });
    expect(expectDone(transition(auth, { kind: 'approve' }, context(BEN))).status).toBe('approved');
  });

  it('still lets a manager decline after the return date has passed', () => {
    const auth = snapshot('pending', { outOn: '2026-11-20', returnOn: '2026-11-30' });
    const result = transition(auth, { kind: 'decline', reason: 'Too late now' }, context(BEN));
    expect(expectDone(result).status).toBe('declined');
  });

  it('still lets records approved earlier be returned late', () => {
    const auth = snapshot('approved', { returnOn: '2026-11-01' });
    expect(expectDone(transition(auth, { kind: 'mark_returned' }, context(AMY))).status).toBe('returned');
  });
});

describe('isApprover', () => {
  it.each<{ actorId: string; relationship: ManagerRelationship; expected: boolean }>([
    { actorId: BEN.id, relationship: AMY_MANAGERS, expected: true },
    { actorId: CAT.id, relationship: WITH_ACTING, expected: true },
    { actorId: CAT.id, relationship: AMY_MANAGERS, expected: false },
    { actorId: DAN.id, relationship: WITH_ACTING, expected: false },
    { actorId: BEN.id, relationship: { lineManagerId: null, actingManagerIds: [] }, expected: false },
  ])('$actorId is an approver: $expected', ({ actorId, relationship, expected }) => {
    expect(isApprover(actorId, relationship)).toBe(expected);
  });
});

describe('abilities', () => {
  const PEOPLE = { AMY, BEN, CAT, DAN, ZED };
  const ABILITY: Record<ActionKind, 'canDecide' | 'canCancel' | 'canMarkReturned' | 'canWithdraw'> = {
    approve: 'canDecide',
    decline: 'canDecide',
    cancel: 'canCancel',
    mark_returned: 'canMarkReturned',
    withdraw: 'canWithdraw',
  };
  const WITH_REASON: Record<ActionKind, AuthorisationAction> = {
    approve: { kind: 'approve' },
    decline: { kind: 'decline', reason: 'Not needed' },
    cancel: { kind: 'cancel', reason: 'Court moved' },
    mark_returned: { kind: 'mark_returned' },
    withdraw: { kind: 'withdraw' },
  };

  // A button is shown exactly when pressing it (on the current card, with a reason) works.
  for (const status of AUTHORISATION_STATUSES) {
    for (const [name, person] of Object.entries(PEOPLE)) {
      it(`${name} on a ${status} request: a button for each action the transition allows`, () => {
        const auth = snapshot(status);
        const can = abilities(auth, WITH_ACTING, person);
        for (const [kind, action] of Object.entries(WITH_REASON) as [ActionKind, AuthorisationAction][]) {
          const done = transition(auth, action, context(person, { relationship: WITH_ACTING })).ok;
          expect(can[ABILITY[kind]], `${kind}`).toBe(done);
        }
      });
    }
  }

  it('names the requester and the approvers, who alone may see the request', () => {
    const auth = snapshot('pending');
    expect(abilities(auth, WITH_ACTING, AMY)).toMatchObject({
      isRequester: true,
      isApprover: false,
      canView: true,
    });
    expect(abilities(auth, WITH_ACTING, CAT)).toMatchObject({
      isRequester: false,
      isApprover: true,
      canView: true,
    });
    expect(abilities(auth, AMY_MANAGERS, CAT)).toMatchObject({ isApprover: false, canView: false });
    expect(abilities(auth, WITH_ACTING, ZED)).toEqual({
      isRequester: false,
      isApprover: false,
      canView: false,
      canDecide: false,
      canCancel: false,
      canMarkReturned: false,
      canWithdraw: false,
    });
    expect(mayView(auth, WITH_ACTING, DAN.id)).toBe(false);
    expect(mayView(auth, WITH_ACTING, BEN.id)).toBe(true);
  });

  it('a requester who is recorded as their own manager still cannot decide', () => {
    const own: ManagerRelationship = { lineManagerId: AMY.id, actingManagerIds: [] };
    expect(abilities(snapshot('pending'), own, AMY)).toMatchObject({ canDecide: false, canWithdraw: true });
  });

  it('each action leads to the status its transition gives', () => {
    for (const [kind, action] of Object.entries(WITH_REASON) as [ActionKind, AuthorisationAction][]) {
      const from = kind === 'cancel' || kind === 'mark_returned' ? 'approved' : 'pending';
      const actor = kind === 'withdraw' || kind === 'mark_returned' ? AMY : BEN;
      expect(expectDone(transition(snapshot(from), action, context(actor))).status).toBe(
        ACTION_TARGETS[kind],
      );
    }
  });
});

describe('isOverdue and isOut', () => {
  const RETURN_ON: IsoDate = '2026-12-09';

  it.each<{ status: AuthorisationStatus; today: IsoDate; overdue: boolean }>([
    { status: 'approved', today: '2026-12-08', overdue: false },
    { status: 'approved', today: '2026-12-09', overdue: false },
    { status: 'approved', today: '2026-12-10', overdue: true },
    { status: 'return_requested', today: '2026-12-09', overdue: false },
    { status: 'return_requested', today: '2026-12-10', overdue: true },
    { status: 'pending', today: '2026-12-10', overdue: false },
    { status: 'declined', today: '2026-12-10', overdue: false },
    { status: 'withdrawn', today: '2026-12-10', overdue: false },
    { status: 'returned', today: '2026-12-10', overdue: false },
  ])('$status on $today (return due 9 December): overdue $overdue', ({ status, today, overdue }) => {
    expect(isOverdue({ status, returnOn: RETURN_ON }, today)).toBe(overdue);
  });

  const OUT: Record<AuthorisationStatus, boolean> = {
    pending: false,
    approved: true,
    declined: false,
    withdrawn: false,
    return_requested: true,
    returned: false,
  };
  it.each(AUTHORISATION_STATUSES.map((status) => ({ status, out: OUT[status] })))(
    '$status: out of the office $out',
    ({ status, out }) => {
      expect(isOut({ status })).toBe(out);
    },
  );
});

describe('teamGroup', () => {
  const day = (status: AuthorisationStatus) => ({ status, outOn: '2026-12-01', returnOn: '2026-12-09' });

  it.each<{ status: AuthorisationStatus; today: IsoDate; group: TeamGroup | null }>([
    { status: 'pending', today: '2026-11-30', group: 'pending' },
    { status: 'pending', today: '2026-12-10', group: 'pending' },
    { status: 'approved', today: '2026-11-30', group: 'leaving_later' },
    { status: 'approved', today: '2026-12-01', group: 'out_now' },
    { status: 'approved', today: '2026-12-09', group: 'out_now' },
    { status: 'approved', today: '2026-12-10', group: 'overdue' },
    { status: 'return_requested', today: '2026-11-30', group: 'leaving_later' },
    { status: 'return_requested', today: '2026-12-05', group: 'out_now' },
    { status: 'return_requested', today: '2026-12-10', group: 'overdue' },
    { status: 'declined', today: '2026-12-05', group: null },
    { status: 'withdrawn', today: '2026-12-05', group: null },
    { status: 'returned', today: '2026-12-05', group: null },
  ])('$status on $today (out 1 December, back 9 December): $group', ({ status, today, group }) => {
    expect(teamGroup(day(status), today)).toBe(group);
  });
});

describe('validateRemovalRequest', () => {
  const CASE = '1234567';
  const DRAFT: RemovalRequestDraft = {
    caseRef: CASE,
    records: [
      { recordId: 'R-1', caseRef: CASE, destroyed: false },
      { recordId: 'R-2', caseRef: CASE, destroyed: false },
    ],
    purpose: 'court',
    destination: 'Family Court, Exeter',
    outOn: '2026-12-02',
    returnOn: '2026-12-04',
    justification: 'Final hearing: the judge asked for the original file.',
    acknowledged: true,
    unknownCaseConfirmed: false,
  };
  const CTX: RequestContext = {
    requester: AMY,
    lineManagerId: BEN.id,
    caseInInventory: true,
    today: TODAY,
    maxDays: 14,
  };

  const validate = (draft: Partial<RemovalRequestDraft> = {}, ctx: Partial<RequestContext> = {}) =>
    validateRemovalRequest({ ...DRAFT, ...draft }, { ...CTX, ...ctx });

  it.each<{ name: string; draft?: Partial<RemovalRequestDraft>; ctx?: Partial<RequestContext> }>([
    { name: 'the valid draft' },
    { name: 'the whole case file (no records listed)', draft: { records: [] } },
    { name: 'out today', draft: { outOn: TODAY } },
    { name: 'back the same day', draft: { outOn: '2026-12-02', returnOn: '2026-12-02' } },
    { name: 'out for exactly the maximum', draft: { outOn: '2026-12-02', returnOn: '2026-12-16' } },
    {
      name: 'an unknown case the requester confirmed',
      draft: { unknownCaseConfirmed: true },
      ctx: { caseInInventory: false },
    },
    { name: 'a destination of the maximum length', draft: { destination: 'd'.repeat(MAX_TEXT_LENGTH) } },
    {
      name: 'a justification of the maximum length',
      draft: { justification: 'j'.repeat(MAX_REASON_LENGTH) },
    },
    { name: 'each purpose: home working', draft: { purpose: 'home_working' } },
    { name: 'each purpose: meeting', draft: { purpose: 'meeting' } },
    { name: 'each purpose: other', draft: { purpose: 'other' } },
  ])('has no problems: $name', ({ draft, ctx }) => {
    expect(validate(draft, ctx)).toEqual([]);
  });

  it.each<{
    code: string;
    name: string;
    draft?: Partial<RemovalRequestDraft>;
    ctx?: Partial<RequestContext>;
    field: string;
    says?: string;
  }>([
    { code: 'no_line_manager', name: 'no line manager', ctx: { lineManagerId: null }, field: 'requester' },
    { code: 'own_manager', name: 'own line manager', ctx: { lineManagerId: AMY.id }, field: 'requester' },
    {
      code: 'case_missing',
      name: 'no case reference',
      draft: { caseRef: '  ', records: [] },
      field: 'caseRef',
    },
    {
      code: 'case_unknown',
      name: 'case not in the inventory',
      ctx: { caseInInventory: false },
      field: 'caseRef',
      says: 'Case 1234567 is not in the records inventory',
    },
    {
      code: 'one_case_per_request',
      name: 'a record from another case',
      draft: { records: [...DRAFT.records, { recordId: 'R-9', caseRef: '7654321', destroyed: false }] },
      field: 'records',
      says: 'One case per request: 7654321 is another case.',
    },
    {
      code: 'one_case_per_request',
      name: 'records from two other cases',
      draft: {
        records: [
          { recordId: 'R-8', caseRef: '1111111', destroyed: false },
          { recordId: 'R-9', caseRef: '2222222', destroyed: false },
          { recordId: 'R-10', caseRef: '2222222', destroyed: false },
        ],
      },
      field: 'records',
      says: 'One case per request: 1111111, 2222222 are other cases.',
    },
    {
      code: 'record_destroyed',
      name: 'a destroyed record',
      draft: { records: [{ recordId: 'R-3', caseRef: CASE, destroyed: true }] },
      field: 'records',
      says: 'Already destroyed: R-3.',
    },
    { code: 'purpose_missing', name: 'no purpose', draft: { purpose: null }, field: 'purpose' },
    {
      code: 'destination_missing',
      name: 'blank destination',
      draft: { destination: '  ' },
      field: 'destination',
    },
    {
      code: 'too_long',
      name: 'destination too long',
      draft: { destination: 'd'.repeat(MAX_TEXT_LENGTH + 1) },
      field: 'destination',
    },
    {
      code: 'justification_missing',
      name: 'no justification',
      draft: { justification: '' },
      field: 'justification',
    },
    {
      code: 'too_long',
      name: 'justification too long',
      draft: { justification: 'j'.repeat(MAX_REASON_LENGTH + 1) },
      field: 'justification',
    },
    { code: 'out_missing', name: 'no out date', draft: { outOn: null }, field: 'outOn' },
    {
      code: 'out_in_past',
      name: 'out date yesterday',
      draft: { outOn: '2026-11-30' },
      field: 'outOn',
      says: '30 November 2026',
    },
    { code: 'return_missing', name: 'no return date', draft: { returnOn: null }, field: 'returnOn' },
    {
      code: 'return_before_out',
      name: 'return before out',
      draft: { outOn: '2026-12-05', returnOn: '2026-12-04' },
      field: 'returnOn',
    },
    {
      code: 'too_long',
      name: 'one day longer than the maximum',
      draft: { outOn: '2026-12-02', returnOn: '2026-12-17' },
      field: 'returnOn',
      says: 'at most 14 days: return by 16 December 2026',
    },
    {
      code: 'not_acknowledged',
      name: 'conditions not accepted',
      draft: { acknowledged: false },
      field: 'acknowledged',
    },
  ])('$code: $name', ({ code, draft, ctx, field, says }) => {
    const problems = validate(draft, ctx);
    expect(problems).toEqual([{ field, code, message: expect.any(String) as string }]);
    if (says) expect(problems[0]?.message).toContain(says);
  });

  it('reports every problem at once', () => {
    const problems = validateRemovalRequest(
      {
        caseRef: '',
        records: [],
        purpose: null,
        destination: '',
        outOn: null,
        returnOn: null,
        justification: '',
        acknowledged: false,
        unknownCaseConfirmed: false,
      },
      { ...CTX, lineManagerId: null },
    );
    expect(problems.map((p) => p.code)).toEqual([
      'no_line_manager',
      'case_missing',
      'purpose_missing',
      'destination_missing',
      'justification_missing',
      'out_missing',
      'return_missing',
      'not_acknowledged',
    ]);
  });
});
