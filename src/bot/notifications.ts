import type { Activity } from 'botbuilder';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { formatDate } from '../rules/index.js';
import type { Clock } from '../services/clock.js';
import type { AuthorisationView, RemovalService } from '../services/removal.js';
import { cardMessages, recordCardMessage } from '../store/conversations.js';
import { claimDue, enqueue, markFailed, markSent, type NotificationKind } from '../store/outbox.js';
import type { Database, OutboxRow } from '../store/schema.js';
import { DeliveryError, type Messenger } from './messenger.js';
import { attach, mayView, statusCardFor } from './views.js';

const MAX_ATTEMPTS = 6;
const HOLD_SECONDS = 120;
const BATCH = 25;

function headline(kind: NotificationKind, a: AuthorisationView, payload: Record<string, unknown>): string {
  const requester = a.requester.name;
  const by = a.decidedBy?.name ?? 'your line manager';
  switch (kind) {
    case 'removal.approval_request':
      return `${requester} asks to take records for case ${a.caseRef} out of the office (${a.purposeLabel.toLowerCase()}, ${formatDate(a.outOn)} to ${formatDate(a.returnOn)}). Please approve or decline.`;
    case 'removal.approved':
      return `${by} approved your request for case ${a.caseRef}. The records must be back in the office by ${formatDate(a.returnOn)}.`;
    case 'removal.declined':
      return `${by} declined your request for case ${a.caseRef}${a.reason ? `: ${a.reason}` : '.'}`;
    case 'removal.withdrawn':
      return `${requester} withdrew their request for case ${a.caseRef}. Nothing more is needed from you.`;
    case 'removal.return_requested':
      return `Your authorisation for case ${a.caseRef} has been cancelled${a.reason ? `: ${a.reason}` : ''}. Please bring the records back to the office ${a.overdue ? 'now' : `by ${formatDate(a.returnOn)} at the latest`}.`;
    case 'removal.returned':
      return `The records for case ${a.caseRef} are back in the office.`;
    case 'removal.approver_unreachable':
      return `I could not send your request for case ${a.caseRef} to ${typeof payload.approverName === 'string' ? payload.approverName : 'your line manager'}: Case Records Assistant is not installed for them in Teams. Ask them to add it (Apps, then search for Case Records Assistant), or speak to them directly. Your request is still waiting.`;
    case 'reminder.pending':
      return `Reminder: ${requester}'s request to take records for case ${a.caseRef} out of the office is still waiting for your decision.`;
    case 'reminder.pending_escalated':
      return `${requester}'s request for case ${a.caseRef} has waited for a decision for a long time. Please make sure someone decides it.`;
    case 'reminder.return_due':
      return `Reminder: the records for case ${a.caseRef} are due back in the office tomorrow, ${formatDate(a.returnOn)}.`;
    case 'reminder.overdue':
      return `The records for case ${a.caseRef} were due back on ${formatDate(a.returnOn)} and are overdue. Please bring them back now, or tell me when you have. A breach of the procedure may lead to disciplinary action.`;
    case 'reminder.overdue_escalated':
      return `${requester}'s records for case ${a.caseRef} were due back on ${formatDate(a.returnOn)} and are overdue.`;
    case 'card.refresh':
    case 'destruction.awaiting_confirmation':
    case 'directory.notice':
      return '';
  }
}

function backoffSeconds(attempts: number, hint: number | null): number {
  if (hint !== null) return Math.max(1, hint);
  const base = Math.min(2 * 2 ** attempts, 300);
  return base * (0.8 + Math.random() * 0.4);
}

/**
 * Sends what the outbox holds: approval requests, decisions, reminders, and card updates. A row
 * is claimed before it is sent, so two instances never send the same one; a failed send is tried
 * again later with backoff (honouring 429 Retry-After), and given up after a few attempts.
 */
export class NotificationDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly messenger: Messenger,
    private readonly removals: RemovalService,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Notifications not about an authorisation, by kind: the message to send, or null to skip. */
    private readonly others: Partial<
      Record<NotificationKind, (row: OutboxRow) => Promise<Partial<Activity> | null>>
    > = {},
  ) {}

  /** Sends everything due now; returns how many were handled. One run at a time per process. */
  async runOnce(): Promise<number> {
    // A call during a run asks for another pass; every caller waits until nothing is left that
    // was due when it called.
    this.again = true;
    this.running ??= (async () => {
      let handled = 0;
      while (this.again) {
        this.again = false;
        handled += await this.drain();
      }
      return handled;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Asks for a run soon, outside the current turn, so invoke responses are not held up. */
  kick(): void {
    setImmediate(() => {
      this.runOnce().catch((error: unknown) => this.log.error({ err: error }, 'notification run failed'));
    });
  }

  start(intervalSeconds: number): void {
    this.timer = setInterval(() => this.kick(), intervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const now = this.clock.now();
      const hold = new Date(now.getTime() + HOLD_SECONDS * 1000).toISOString();
      const rows = await claimDue(this.db, now.toISOString(), hold, BATCH);
      for (const row of rows) {
        await this.deliver(row);
        handled += 1;
      }
      if (rows.length < BATCH) return handled;
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const at = () => this.clock.now().toISOString();
    try {
      const other = this.others[row.kind as NotificationKind];
      if (other) {
        const activity = await other(row);
        if (activity) await this.messenger.send(row.recipient_id, activity);
        await markSent(this.db, row.id, at());
        return;
      }
      const a = row.authorisation_id ? await this.removals.view(row.authorisation_id) : null;
      if (!a) {
        await markSent(this.db, row.id, at());
        return;
      }
      const kind = row.kind as NotificationKind;
      if (kind === 'card.refresh') await this.refreshCards(a);
      else await this.notify(row, kind, a);
      await markSent(this.db, row.id, at());
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(String(error), false);
      const giveUp = failure.permanent || row.attempts + 1 >= MAX_ATTEMPTS;
      const retryAt = giveUp
        ? null
        : new Date(
            this.clock.now().getTime() + backoffSeconds(row.attempts, failure.retryAfterSeconds) * 1000,
          ).toISOString();
      this.log.warn(
        { notification: row.id, kind: row.kind, attempts: row.attempts + 1, giveUp, error: failure.message },
        'notification not delivered',
      );
      await markFailed(this.db, row, failure.message, at(), retryAt);
      if (giveUp && row.kind === 'removal.approval_request' && row.authorisation_id) {
        await this.tellRequesterApproverUnreachable(row);
      }
    }
  }

  private async notify(row: OutboxRow, kind: NotificationKind, a: AuthorisationView): Promise<void> {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    const text = headline(kind, a, payload);
    const activity: Partial<Activity> = { type: 'message', text };
    const withCard = mayView(a, row.recipient_id);
    if (withCard) activity.attachments = [attach(await statusCardFor(this.db, a, row.recipient_id))];
    const delivery = await this.messenger.send(row.recipient_id, activity);
    if (withCard && delivery.activityId) {
      await recordCardMessage(
        this.db,
        {
          authorisationId: a.id,
          recipientId: row.recipient_id,
          conversationId: delivery.conversationId,
          activityId: delivery.activityId,
        },
        this.clock.now().toISOString(),
      );
    }
  }

  /** Every card sent about this authorisation shows its current state to whoever holds it. */
  private async refreshCards(a: AuthorisationView): Promise<void> {
    for (const message of await cardMessages(this.db, a.id)) {
      const card = await statusCardFor(this.db, a, message.recipient_id);
      try {
        await this.messenger.update(
          message.recipient_id,
          { conversationId: message.conversation_id, activityId: message.activity_id },
          { attachments: [attach(card)] },
        );
      } catch (error) {
        // One stale card must not stop the others being updated; the next refresh shows it anyway.
        if (!(error instanceof DeliveryError) || !error.permanent) throw error;
        this.log.warn({ authorisation: a.id, error: error.message }, 'card could not be updated');
      }
    }
  }

  private async tellRequesterApproverUnreachable(row: OutboxRow): Promise<void> {
    const a = await this.removals.view(row.authorisation_id!);
    if (!a || a.status !== 'pending') return;
    const approver = a.approvers.find((p) => p.id === row.recipient_id);
    await enqueue(
      this.db,
      [
        {
          dedupeKey: `approver_unreachable:${a.id}:${row.recipient_id}`,
          recipientId: a.requester.id,
          kind: 'removal.approver_unreachable',
          authorisationId: a.id,
          payload: { approverName: approver?.name ?? 'your line manager' },
          dueAt: this.clock.now().toISOString(),
        },
      ],
      this.clock.now().toISOString(),
    );
  }
}
