import { addDays, daysBetween, formatDate, isIsoDate, type IsoDate } from './dates.js';
import { refuse, type Refusal } from './refusal.js';
import type { Actor } from './roles.js';

/** The lifecycle of a removal authorisation (DESIGN.md). `overdue` is derived, never stored. */
export const AUTHORISATION_STATUSES = [
  'pending',
  'approved',
  'declined',
  'withdrawn',
  'return_requested',
  'returned',
] as const;
export type AuthorisationStatus = (typeof AUTHORISATION_STATUSES)[number];

export const STATUS_LABELS: Record<AuthorisationStatus, string> = {
  pending: 'waiting for the line manager',
  approved: 'approved',
  declined: 'declined',
  withdrawn: 'withdrawn',
  return_requested: 'return requested',
  returned: 'returned',
};

export const PURPOSES = ['home_working', 'meeting', 'court', 'other'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const PURPOSE_LABELS: Record<Purpose, string> = {
  home_working: 'Home working',
  meeting: 'Meeting',
  court: 'Court',
  other: 'Other',
};

export const MAX_REASON_LENGTH = 1000;

/** What the rules need to know about an authorisation. */
export interface AuthorisationSnapshot {
  requesterId: string;
  status: AuthorisationStatus;
  version: number;
  outOn: IsoDate;
  returnOn: IsoDate;
}

/** The requester's line manager and whoever is acting for that manager today. */
export interface ManagerRelationship {
  lineManagerId: string | null;
  actingManagerIds: readonly string[];
}

export type AuthorisationAction =
  | { kind: 'approve'; note?: string | null }
  | { kind: 'decline'; reason: string }
  | { kind: 'withdraw'; reason?: string | null }
  /** `returnBy`: an earlier date for the records to be back by (the recall's deadline); none keeps the date. */
  | { kind: 'cancel'; reason: string; returnBy?: IsoDate | null }
  | { kind: 'mark_returned'; note?: string | null };
export type ActionKind = AuthorisationAction['kind'];

/** Who must hear about a transition. */
export type Audience = 'requester' | 'approvers';
export interface AuthorisationEvent {
  type:
    | 'removal.requested'
    | 'removal.approved'
    | 'removal.declined'
    | 'removal.withdrawn'
    | 'removal.return_requested'
    | 'removal.returned';
  notify: Audience;
}

export type TransitionRefusalCode =
  | 'stale'
  | 'wrong_state'
  | 'not_your_request'
  | 'not_line_manager'
  | 'own_request'
  | 'reason_missing'
  | 'reason_too_long'
  | 'return_date_passed'
  | 'return_by_invalid';

export interface Transition {
  ok: true;
  from: AuthorisationStatus;
  status: AuthorisationStatus;
  version: number;
  /** The reason or note given with the action, trimmed; null when none. */
  reason: string | null;
  /** The expected return date after the action (a recall may bring it forward). */
  returnOn: IsoDate;
  events: AuthorisationEvent[];
}

export interface TransitionContext {
  actor: Actor;
  relationship: ManagerRelationship;
  /** The version the actor saw (on the card or page); a different current version means stale. */
  expectedVersion: number;
  today: IsoDate;
}

export function isApprover(actorId: string, relationship: ManagerRelationship): boolean {
  return actorId === relationship.lineManagerId || relationship.actingManagerIds.includes(actorId);
}

const ALLOWED_FROM: Record<ActionKind, readonly AuthorisationStatus[]> = {
  approve: ['pending'],
  decline: ['pending'],
  withdraw: ['pending'],
  cancel: ['approved'],
  mark_returned: ['approved', 'return_requested'],
};

/** The status each action leads to. */
export const ACTION_TARGETS: Readonly<Record<ActionKind, AuthorisationStatus>> = {
  approve: 'approved',
  decline: 'declined',
  withdraw: 'withdrawn',
  cancel: 'return_requested',
  mark_returned: 'returned',
};

/** Whether `actorId` may take this kind of action at all, whatever the state: who, not when. */
function permission(
  auth: Pick<AuthorisationSnapshot, 'requesterId'>,
  kind: ActionKind,
  actorId: string,
  relationship: ManagerRelationship,
): Refusal<TransitionRefusalCode> | null {
  const own = actorId === auth.requesterId;
  const approver = isApprover(actorId, relationship);
  switch (kind) {
    case 'approve':
    case 'decline':
    case 'cancel':
      if (own)
        return refuse('own_request', 'You cannot decide on your own request: your line manager does that.');
      if (!approver)
        return refuse(
          'not_line_manager',
          'Only the requester’s line manager, or a manager acting for them, can do that.',
        );
      return null;
    case 'withdraw':
      return own ? null : refuse('not_your_request', 'Only the person who made the request can withdraw it.');
    case 'mark_returned':
      return own || approver
        ? null
        : refuse(
            'not_your_request',
            'Only the requester or their line manager can confirm that the records are back.',
          );
  }
}

function reasonOf(action: AuthorisationAction): string | null {
  const text = 'reason' in action ? action.reason : 'note' in action ? action.note : null;
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

function wrongState(auth: AuthorisationSnapshot, action: AuthorisationAction): Refusal<'wrong_state'> {
  const now = STATUS_LABELS[auth.status];
  if (action.kind === 'cancel' && auth.status === 'pending')
    return refuse(
      'wrong_state',
      'This request has not been approved yet: decline it instead, with a reason.',
    );
  return refuse('wrong_state', `This request is ${now}, so it cannot be ${verbPast(action.kind)}.`);
}

function verbPast(kind: ActionKind): string {
  return {
    approve: 'approved',
    decline: 'declined',
    withdraw: 'withdrawn',
    cancel: 'cancelled',
    mark_returned: 'marked as returned',
  }[kind];
}

const EVENTS: Record<
  ActionKind,
  (ctx: TransitionContext, auth: AuthorisationSnapshot) => AuthorisationEvent[]
> = {
  approve: () => [{ type: 'removal.approved', notify: 'requester' }],
  decline: () => [{ type: 'removal.declined', notify: 'requester' }],
  withdraw: () => [{ type: 'removal.withdrawn', notify: 'approvers' }],
  cancel: () => [{ type: 'removal.return_requested', notify: 'requester' }],
  mark_returned: (ctx, auth) => [
    { type: 'removal.returned', notify: ctx.actor.id === auth.requesterId ? 'approvers' : 'requester' },
  ],
};

/**
 * Applies an action to an authorisation: the new state and who to tell, or a refusal a person
 * understands. Checks who is acting, the version they saw, the current state and the reason.
 */
export function transition(
  auth: AuthorisationSnapshot,
  action: AuthorisationAction,
  ctx: TransitionContext,
): Transition | Refusal<TransitionRefusalCode> {
  const denied = permission(auth, action.kind, ctx.actor.id, ctx.relationship);
  if (denied) return denied;
  if (ctx.expectedVersion !== auth.version) {
    return refuse(
      'stale',
      `This request has changed since you last saw it: it is now ${STATUS_LABELS[auth.status]}. Nothing was changed.`,
    );
  }
  if (!ALLOWED_FROM[action.kind].includes(auth.status)) return wrongState(auth, action);

  const reason = reasonOf(action);
  if ((action.kind === 'decline' || action.kind === 'cancel') && !reason) {
    return refuse(
      'reason_missing',
      action.kind === 'decline'
        ? 'Please give a reason for declining: the requester will see it.'
        : 'Please give a reason for cancelling the authorisation: the procedure says reasons are always given.',
    );
  }
  if (reason && reason.length > MAX_REASON_LENGTH) {
    return refuse('reason_too_long', `Please keep the reason to ${MAX_REASON_LENGTH} characters at most.`);
  }
  const returnOn = action.kind === 'cancel' && action.returnBy ? action.returnBy : auth.returnOn;
  if (returnOn !== auth.returnOn) {
    const problem = recallDateProblem(returnOn, auth.returnOn, ctx.today);
    if (problem) return refuse('return_by_invalid', problem);
  }
  if (action.kind === 'approve' && auth.returnOn < ctx.today) {
    return refuse(
      'return_date_passed',
      `The expected return date (${formatDate(auth.returnOn)}) has already passed: ask for a new request with new dates.`,
    );
  }
  return {
    ok: true,
    from: auth.status,
    status: ACTION_TARGETS[action.kind],
    version: auth.version + 1,
    reason,
    returnOn,
    events: EVENTS[action.kind](ctx, auth),
  };
}

/**
 * Why `returnBy` cannot be a recall's new return date, or null when it can: a recall brings the
 * return forward (never later than the date agreed), to today at the earliest.
 */
export function recallDateProblem(returnBy: string, currentReturnOn: IsoDate, today: IsoDate): string | null {
  if (!isIsoDate(returnBy)) return 'The date to have the records back by is not a date.';
  if (returnBy < today)
    return `${formatDate(returnBy)} has passed: the records can be asked back by today, ${formatDate(today)}, at the earliest.`;
  if (returnBy > currentReturnOn)
    return `The records are already due back by ${formatDate(currentReturnOn)}: a recall can bring that date forward, not put it back.`;
  return null;
}

/** What a person may do with an authorisation now: the buttons they see, on cards and in the tab. */
export interface AuthorisationAbilities {
  /** The viewer made the request (the wording of "mark returned" differs). */
  isRequester: boolean;
  /** The viewer is the requester's line manager or acting for them today. */
  isApprover: boolean;
  /** Only the requester and the approvers see an authorisation. */
  canView: boolean;
  canDecide: boolean;
  canCancel: boolean;
  canMarkReturned: boolean;
  canWithdraw: boolean;
}

/** Only the requester and whoever may decide (the line manager, an acting manager) see a request. */
export function mayView(
  auth: Pick<AuthorisationSnapshot, 'requesterId'>,
  relationship: ManagerRelationship,
  viewerId: string,
): boolean {
  return viewerId === auth.requesterId || isApprover(viewerId, relationship);
}

/**
 * What `viewer` may do with the authorisation as it stands: the same permission and state checks
 * `transition` makes, asked without acting, so a button is shown exactly when pressing it can work
 * (a stale card, a missing reason and the like are still answered when it is pressed).
 */
export function abilities(
  auth: Pick<AuthorisationSnapshot, 'requesterId' | 'status'>,
  relationship: ManagerRelationship,
  viewer: Pick<Actor, 'id'>,
): AuthorisationAbilities {
  const may = (kind: ActionKind) =>
    permission(auth, kind, viewer.id, relationship) === null && ALLOWED_FROM[kind].includes(auth.status);
  return {
    isRequester: viewer.id === auth.requesterId,
    isApprover: viewer.id !== auth.requesterId && isApprover(viewer.id, relationship),
    canView: mayView(auth, relationship, viewer.id),
    canDecide: may('approve') && may('decline'),
    canCancel: may('cancel'),
    canMarkReturned: may('mark_returned'),
    canWithdraw: may('withdraw'),
  };
}

/** Approved (or asked back) and past the expected return date, but not returned. */
export function isOverdue(auth: Pick<AuthorisationSnapshot, 'status' | 'returnOn'>, today: IsoDate): boolean {
  return (auth.status === 'approved' || auth.status === 'return_requested') && auth.returnOn < today;
}

/** Records are out of the office on this authorisation (as far as anyone has told us). */
export function isOut(auth: Pick<AuthorisationSnapshot, 'status'>): boolean {
  return auth.status === 'approved' || auth.status === 'return_requested';
}

/** Where an open authorisation belongs in a manager's lists on a given day. */
export type TeamGroup = 'pending' | 'overdue' | 'out_now' | 'leaving_later';

/**
 * Waiting for a decision; overdue; out of the office now (approved or asked back, and the out date
 * has come); or approved to leave on a later day. Null when the authorisation is closed.
 */
export function teamGroup(
  auth: Pick<AuthorisationSnapshot, 'status' | 'outOn' | 'returnOn'>,
  today: IsoDate,
): TeamGroup | null {
  if (auth.status === 'pending') return 'pending';
  if (!isOut(auth)) return null;
  if (isOverdue(auth, today)) return 'overdue';
  return auth.outOn <= today ? 'out_now' : 'leaving_later';
}

// ---------------------------------------------------------------------------------------------
// New requests

export interface RemovalRequestDraft {
  caseRef: string;
  /** The records asked for; empty means the whole case file. */
  records: readonly { recordId: string; caseRef: string; destroyed: boolean }[];
  purpose: Purpose | null;
  destination: string;
  outOn: IsoDate | null;
  returnOn: IsoDate | null;
  justification: string;
  /** The requester accepted the conditions (possession, no memory sticks, save to Livelink). */
  acknowledged: boolean;
  /** The requester confirmed the case is not in the inventory. */
  unknownCaseConfirmed: boolean;
}

export interface RequestContext {
  requester: Actor;
  lineManagerId: string | null;
  caseInInventory: boolean;
  today: IsoDate;
  /** The longest authorisation allowed, in days from out to return. */
  maxDays: number;
}

export interface RequestProblem {
  field: keyof RemovalRequestDraft | 'requester';
  code: string;
  message: string;
}

export const MAX_TEXT_LENGTH = 500;

/** Every problem with a new removal request, so the form can show them all at once. */
export function validateRemovalRequest(draft: RemovalRequestDraft, ctx: RequestContext): RequestProblem[] {
  const problems: RequestProblem[] = [];
  const add = (field: RequestProblem['field'], code: string, message: string) =>
    problems.push({ field, code, message });

  if (!ctx.lineManagerId) {
    add(
      'requester',
      'no_line_manager',
      'You have no line manager in the staff directory, so nobody can approve this. Ask the directory administrator to add one.',
    );
  } else if (ctx.lineManagerId === ctx.requester.id) {
    add(
      'requester',
      'own_manager',
      'You are recorded as your own line manager, so nobody else can approve this.',
    );
  }
  if (!draft.caseRef.trim()) add('caseRef', 'case_missing', 'Which case? Give the case reference.');
  else if (!ctx.caseInInventory && !draft.unknownCaseConfirmed)
    add(
      'caseRef',
      'case_unknown',
      `Case ${draft.caseRef} is not in the records inventory. Check the reference, or confirm that it is a case the inventory does not hold yet.`,
    );
  const otherCases = [
    ...new Set(draft.records.filter((r) => r.caseRef !== draft.caseRef).map((r) => r.caseRef)),
  ];
  if (otherCases.length)
    add(
      'records',
      'one_case_per_request',
      `One case per request: ${otherCases.join(', ')} ${otherCases.length > 1 ? 'are other cases' : 'is another case'}. Make a separate request for each case.`,
    );
  const destroyed = draft.records.filter((r) => r.destroyed).map((r) => r.recordId);
  if (destroyed.length) add('records', 'record_destroyed', `Already destroyed: ${destroyed.join(', ')}.`);
  if (!draft.purpose)
    add('purpose', 'purpose_missing', 'Why are the records leaving the office? Choose a purpose.');
  if (!draft.destination.trim()) add('destination', 'destination_missing', 'Where will the records be?');
  if (draft.destination.length > MAX_TEXT_LENGTH)
    add('destination', 'too_long', `Please keep the destination to ${MAX_TEXT_LENGTH} characters at most.`);
  if (!draft.justification.trim())
    add('justification', 'justification_missing', 'Please say why the records need to leave the office.');
  if (draft.justification.length > MAX_REASON_LENGTH)
    add(
      'justification',
      'too_long',
      `Please keep the justification to ${MAX_REASON_LENGTH} characters at most.`,
    );
  if (!draft.outOn) add('outOn', 'out_missing', 'When will the records leave the office?');
  else if (draft.outOn < ctx.today)
    add('outOn', 'out_in_past', `The out date ${formatDate(draft.outOn)} has passed: choose today or later.`);
  if (!draft.returnOn) add('returnOn', 'return_missing', 'When will the records be back?');
  if (draft.outOn && draft.returnOn) {
    if (draft.returnOn < draft.outOn)
      add('returnOn', 'return_before_out', 'The return date is before the out date.');
    else if (daysBetween(draft.outOn, draft.returnOn) > ctx.maxDays)
      add(
        'returnOn',
        'too_long',
        `Records may be out for at most ${ctx.maxDays} days: return by ${formatDate(addDays(draft.outOn, ctx.maxDays))}.`,
      );
  }
  if (!draft.acknowledged)
    add(
      'acknowledged',
      'not_acknowledged',
      'Please confirm the conditions: the records stay with you, nothing goes on a memory stick or personal device, and anything you write is saved to Livelink.',
    );
  return problems;
}
