/** Every kind of notification: who is told what happened, reminded, or asked to act. */
export const NOTIFICATION_KINDS = [
  'removal.approval_request',
  'removal.approved',
  'removal.declined',
  'removal.withdrawn',
  'removal.return_requested',
  'removal.returned',
  'removal.approver_unreachable',
  'card.refresh',
  'reminder.pending',
  'reminder.pending_escalated',
  'reminder.return_due',
  'reminder.overdue',
  'reminder.overdue_escalated',
  'destruction.awaiting_confirmation',
  'destruction.batch_confirmed',
  'destruction.batch_cancelled',
  'destruction.card_refresh',
  'directory.notice',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
