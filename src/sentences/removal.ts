import { formatDate, type ActionKind, type NotificationKind } from '../rules/index.js';
import type { AuthorisationView } from '../services/removal.js';

// What a person reads about a removal request, written once: the card's status line, what the
// people concerned are told when something happens (the notification), and what the person who
// did it is told (in chat and in the tab).

/** The state of the request in one sentence, as its card shows it to everyone. */
export function statusLine(a: AuthorisationView): string {
  const by = a.decidedBy ? ` by ${a.decidedBy.name}` : '';
  switch (a.status) {
    case 'pending':
      return `Waiting for ${a.approvers.map((p) => p.name).join(' or ') || 'a line manager'} to decide.`;
    case 'approved':
      return a.overdue
        ? `Approved${by}. OVERDUE: the records were due back on ${formatDate(a.returnOn)}.`
        : `Approved${by}. Back in the office by ${formatDate(a.returnOn)}.`;
    case 'declined':
      return `Declined${by}.`;
    case 'withdrawn':
      return 'Withdrawn by the requester.';
    case 'return_requested':
      return `Authorisation cancelled: the records must come back to the office${a.overdue ? ' now (overdue)' : ` by ${formatDate(a.returnOn)} at the latest`}.`;
    case 'returned':
      return 'The records are back in the office.';
  }
}

/** The notifications about a request, each with what its recipient is told. */
export type RemovalNotice = Exclude<
  NotificationKind,
  | 'card.refresh'
  | 'destruction.awaiting_confirmation'
  | 'destruction.batch_confirmed'
  | 'destruction.batch_cancelled'
  | 'destruction.card_refresh'
  | 'directory.notice'
>;

/** What the recipient of each notification about a request is told. */
export const TOLD: {
  readonly [K in RemovalNotice]: (a: AuthorisationView, payload: Record<string, unknown>) => string;
} = {
  'removal.approval_request': (a) =>
    `${a.requester.name} asks to take records for case ${a.caseRef} out of the office (${a.purposeLabel.toLowerCase()}, ${formatDate(a.outOn)} to ${formatDate(a.returnOn)}). Please approve or decline.`,
  'removal.approved': (a) =>
    `${decider(a)} approved your request for case ${a.caseRef}. The records must be back in the office by ${formatDate(a.returnOn)}.`,
  'removal.declined': (a) =>
    `${decider(a)} declined your request for case ${a.caseRef}${a.reason ? `: ${a.reason}` : '.'}`,
  'removal.withdrawn': (a) =>
    `${a.requester.name} withdrew their request for case ${a.caseRef}. Nothing more is needed from you.`,
  'removal.return_requested': (a) =>
    `Your authorisation for case ${a.caseRef} has been cancelled${a.reason ? `: ${a.reason}` : ''}. Please bring the records back to the office ${a.overdue ? 'now' : `by ${formatDate(a.returnOn)} at the latest`}.`,
  'removal.returned': (a) => `The records for case ${a.caseRef} are back in the office.`,
  'removal.approver_unreachable': (a, payload) =>
    `I could not send your request for case ${a.caseRef} to ${typeof payload.approverName === 'string' ? payload.approverName : 'your line manager'}: Case Records Assistant is not installed for them in Teams. Ask them to add it (Apps, then search for Case Records Assistant), or speak to them directly. Your request is still waiting.`,
  'reminder.pending': (a) =>
    `Reminder: ${a.requester.name}'s request to take records for case ${a.caseRef} out of the office is still waiting for your decision.`,
  'reminder.pending_escalated': (a) =>
    `${a.requester.name}'s request for case ${a.caseRef} has waited for a decision for a long time. Please make sure someone decides it.`,
  'reminder.return_due': (a) =>
    `Reminder: the records for case ${a.caseRef} are due back in the office tomorrow, ${formatDate(a.returnOn)}.`,
  'reminder.overdue': (a) =>
    `The records for case ${a.caseRef} were due back on ${formatDate(a.returnOn)} and are overdue. Please bring them back now, or tell me when you have. A breach of the procedure may lead to disciplinary action.`,
  'reminder.overdue_escalated': (a) =>
    `${a.requester.name}'s records for case ${a.caseRef} were due back on ${formatDate(a.returnOn)} and are overdue.`,
};

function decider(a: AuthorisationView): string {
  return a.decidedBy?.name ?? 'your line manager';
}

/** What the person who sent a new request is told. */
export const REQUEST_SENT = 'Sent. I will tell you when your line manager decides.';

/** What the person who took an action is told once it is done. */
export const DONE: { readonly [K in ActionKind]: (a: AuthorisationView) => string } = {
  approve: (a) => `Approved ${a.requester.name}'s request for case ${a.caseRef}.`,
  decline: (a) => `Declined ${a.requester.name}'s request for case ${a.caseRef}.`,
  cancel: (a) =>
    `Cancelled. I have asked ${a.requester.name} to bring the records for case ${a.caseRef} back by ${formatDate(a.returnOn)}, and told them why.`,
  withdraw: (a) => `Your request for case ${a.caseRef} is withdrawn.`,
  mark_returned: (a) => `Thank you: the records for case ${a.caseRef} are recorded as back in the office.`,
};
