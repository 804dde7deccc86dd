import type { Role } from '../rules/roles.js';

/**
 * What a message asks for. `None` is anything outside the product's domain; it is answered
 * politely and opens nothing.
 */
export const INTENTS = [
  'removal.request',
  'removal.list_mine',
  'removal.mark_returned',
  'removal.withdraw',
  'approvals.pending',
  'removal.decide',
  'removal.cancel',
  'acting.set',
  'acting.clear',
  'retention.class',
  'retention.case',
  'policy.question',
  'holds.place',
  'holds.list',
  'holds.release',
  'destruction.due',
  'destruction.batch',
  'destruction.batches',
  'destruction.confirm',
  'review.list',
  'review.decide',
  'register.query',
  'register.export',
  'help',
  'None',
] as const;

export type Intent = (typeof INTENTS)[number];

const KNOWN: ReadonlySet<string> = new Set(INTENTS);

export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && KNOWN.has(value);
}

/**
 * What acting on a reading does:
 * - `action`: opens a form or changes something once confirmed (a request, a decision, a hold);
 * - `answer`: answers a question from the procedure or the schedule, and changes nothing;
 * - `list`: shows what the product holds (my requests, holds, the register), and changes nothing;
 * - `help` and `none`: says what the product can do, or that the message is outside it.
 * A question is never read as an `action`.
 */
export type IntentKind = 'action' | 'answer' | 'list' | 'help' | 'none';

export const INTENT_KINDS: Readonly<Record<Intent, IntentKind>> = {
  'removal.request': 'action',
  'removal.list_mine': 'list',
  'removal.mark_returned': 'action',
  'removal.withdraw': 'action',
  'approvals.pending': 'list',
  'removal.decide': 'action',
  'removal.cancel': 'action',
  'acting.set': 'action',
  'acting.clear': 'action',
  'retention.class': 'answer',
  'retention.case': 'answer',
  'policy.question': 'answer',
  'holds.place': 'action',
  'holds.list': 'list',
  'holds.release': 'action',
  'destruction.due': 'list',
  'destruction.batch': 'action',
  'destruction.batches': 'list',
  'destruction.confirm': 'action',
  'review.list': 'list',
  'review.decide': 'action',
  'register.query': 'list',
  'register.export': 'list',
  help: 'help',
  None: 'none',
};

/**
 * The roles that may do what an intent asks. Everyone may ask questions, see their own
 * requests and ask for help; a line manager is also a member of staff who may take records out.
 */
export const INTENT_ROLES: Readonly<Record<Intent, readonly Role[] | 'anyone'>> = {
  'removal.request': 'anyone',
  'removal.list_mine': 'anyone',
  'removal.mark_returned': 'anyone',
  'removal.withdraw': 'anyone',
  'approvals.pending': ['line_manager'],
  'removal.decide': ['line_manager'],
  'removal.cancel': ['line_manager'],
  'acting.set': ['line_manager'],
  'acting.clear': ['line_manager'],
  'retention.class': 'anyone',
  'retention.case': 'anyone',
  'policy.question': 'anyone',
  'holds.place': ['records_management'],
  'holds.list': ['records_management'],
  'holds.release': ['records_management'],
  'destruction.due': ['records_management'],
  'destruction.batch': ['records_management'],
  'destruction.batches': ['records_management'],
  'destruction.confirm': ['records_management'],
  'review.list': ['records_management'],
  'review.decide': ['records_management'],
  'register.query': ['records_management'],
  'register.export': ['records_management'],
  help: 'anyone',
  None: 'anyone',
};

/** Whether someone with `roles` may do what `intent` asks. */
export function allowedFor(intent: Intent, roles: readonly Role[]): boolean {
  const allowed = INTENT_ROLES[intent];
  return allowed === 'anyone' || allowed.some((role) => roles.includes(role));
}
