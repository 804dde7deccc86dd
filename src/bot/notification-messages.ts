import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import type { DirectoryNotices } from '../directory/notices.js';
import type { Clock } from '../services/clock.js';
import type { BatchView, DestructionService } from '../services/destruction.js';
import type { RemovalService } from '../services/removal.js';
import { askedToConfirm, toldOfBatchOutcome } from '../sentences/destruction.js';
import { toldOfDirectoryChange } from '../sentences/directory.js';
import { TOLD, type RemovalNotice } from '../sentences/removal.js';
import type { ConversationStore } from '../store/conversations.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../rules/index.js';
import type { OutboxRow } from '../store/outbox.js';
import { DeliveryError, type Messenger } from './messenger.js';
import type { NotificationSender } from './notifications.js';
import { attach, type ResultCards } from './result-cards.js';

export interface NotificationMessagesDeps {
  messenger: Messenger;
  removals: RemovalService;
  destruction: DestructionService;
  directoryNotices: DirectoryNotices;
  cards: ResultCards;
  conversations: ConversationStore;
  clock: Clock;
  log: Logger;
}

type Send<K extends NotificationKind> = (row: OutboxRow, kind: K) => Promise<void>;

/**
 * What each kind of notification sends: a sentence (from src/sentences/) with the card its
 * recipient may see, or, for a card refresh, every card already sent brought up to date. One entry
 * per kind: a kind without one does not compile.
 */
export class NotificationMessages implements NotificationSender {
  private readonly byKind: { readonly [K in NotificationKind]: Send<K> };

  constructor(private readonly deps: NotificationMessagesDeps) {
    const tell: Send<RemovalNotice> = (row, kind) => this.tellAboutRequest(row, kind);
    this.byKind = {
      'removal.approval_request': tell,
      'removal.approved': tell,
      'removal.declined': tell,
      'removal.withdrawn': tell,
      'removal.return_requested': tell,
      'removal.returned': tell,
      'removal.approver_unreachable': tell,
      'reminder.pending': tell,
      'reminder.pending_escalated': tell,
      'reminder.return_due': tell,
      'reminder.overdue': tell,
      'reminder.overdue_escalated': tell,
      'card.refresh': (row) => this.refreshCards(row),
      'destruction.awaiting_confirmation': (row) => this.askToConfirm(row),
      'destruction.batch_confirmed': (row) => this.tellOfBatchOutcome(row),
      'destruction.batch_cancelled': (row) => this.tellOfBatchOutcome(row),
      'destruction.card_refresh': (row) => this.refreshBatchCards(row),
      'directory.notice': (row) => this.tellOfDirectoryChange(row),
    };
  }

  async send(row: OutboxRow): Promise<void> {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(row.kind)) return;
    const kind = row.kind as NotificationKind;
    await (this.byKind[kind] as Send<NotificationKind>)(row, kind);
  }

  /** An approval request that could not reach an approver: the requester is told. */
  async gaveUp(row: OutboxRow): Promise<void> {
    if (row.kind === 'removal.approval_request' && row.authorisation_id) {
      await this.deps.removals.reportApproverUnreachable(row.authorisation_id, row.recipient_id);
    }
  }

  private async tellAboutRequest(row: OutboxRow, kind: RemovalNotice): Promise<void> {
    const a = row.authorisation_id
      ? await this.deps.removals.forNotification(row.authorisation_id, row.recipient_id)
      : null;
    if (!a) return;
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    const activity: Partial<Activity> = { type: 'message', text: TOLD[kind](a, payload) };
    if (a.can.canView) activity.attachments = [attach(await this.deps.cards.status(a))];
    const delivery = await this.deps.messenger.send(row.recipient_id, activity);
    if (a.can.canView && delivery.activityId) {
      await this.deps.conversations.recordCardMessage(
        {
          authorisationId: a.id,
          recipientId: row.recipient_id,
          conversationId: delivery.conversationId,
          activityId: delivery.activityId,
        },
        this.deps.clock.now().toISOString(),
      );
    }
  }

  /** Every card sent about this authorisation shows its current state to whoever holds it. */
  private async refreshCards(row: OutboxRow): Promise<void> {
    if (!row.authorisation_id) return;
    for (const message of await this.deps.conversations.cardMessages(row.authorisation_id)) {
      const a = await this.deps.removals.forNotification(row.authorisation_id, message.recipient_id);
      if (!a) return;
      try {
        await this.deps.messenger.update(
          message.recipient_id,
          { conversationId: message.conversation_id, activityId: message.activity_id },
          { attachments: [attach(await this.deps.cards.status(a))] },
        );
      } catch (error) {
        // One stale card must not stop the others being updated; the next refresh shows it anyway.
        if (!(error instanceof DeliveryError) || !error.permanent) throw error;
        this.deps.log.warn({ authorisation: a.id, error: error.message }, 'card could not be updated');
      }
    }
  }

  /** The batch a notification is about, as its recipient sees it now; null when they may not. */
  private async batchFor(row: OutboxRow) {
    const { batchId } = JSON.parse(row.payload) as { batchId?: string };
    const found = batchId ? await this.deps.destruction.getBatch(row.recipient_id, batchId) : null;
    return found?.ok ? found.batch : null;
  }

  /** Sends a sentence with the batch's card, and remembers where the card is to keep it up to date. */
  private async sendBatch(row: OutboxRow, batch: BatchView, text: string): Promise<void> {
    const delivery = await this.deps.messenger.send(row.recipient_id, {
      type: 'message',
      text,
      attachments: [attach(await this.deps.cards.batch(batch, row.recipient_id))],
    });
    if (delivery.activityId) {
      await this.deps.conversations.recordBatchCardMessage(
        {
          batchId: batch.id,
          recipientId: row.recipient_id,
          conversationId: delivery.conversationId,
          activityId: delivery.activityId,
        },
        this.deps.clock.now().toISOString(),
      );
    }
  }

  /** Asks an officer to confirm a batch still waiting for it, with its card. */
  private async askToConfirm(row: OutboxRow): Promise<void> {
    const batch = await this.batchFor(row);
    if (!batch || batch.status !== 'awaiting_confirmation') return;
    await this.sendBatch(row, batch, askedToConfirm(batch));
  }

  /** Tells the officer who chose a batch that another confirmed or cancelled it, with its card. */
  private async tellOfBatchOutcome(row: OutboxRow): Promise<void> {
    const batch = await this.batchFor(row);
    if (!batch || batch.status === 'awaiting_confirmation') return;
    await this.sendBatch(row, batch, toldOfBatchOutcome(batch));
  }

  /** Every card of a batch already sent or pressed shows its current state to whoever holds it. */
  private async refreshBatchCards(row: OutboxRow): Promise<void> {
    const { batchId } = JSON.parse(row.payload) as { batchId?: string };
    if (!batchId) return;
    for (const message of await this.deps.conversations.batchCardMessages(batchId)) {
      const found = await this.deps.destruction.getBatch(message.recipient_id, batchId);
      // Someone no longer in Records Management keeps the card as it was.
      if (!found.ok) continue;
      try {
        await this.deps.messenger.update(
          message.recipient_id,
          { conversationId: message.conversation_id, activityId: message.activity_id },
          { attachments: [attach(await this.deps.cards.batch(found.batch, message.recipient_id))] },
        );
      } catch (error) {
        // One stale card must not stop the others being updated.
        if (!(error instanceof DeliveryError) || !error.permanent) throw error;
        this.deps.log.warn({ batch: batchId, error: error.message }, 'batch card could not be updated');
      }
    }
  }

  /**
   * What a directory sync changed under a request: a sentence only (where a new approver must
   * decide, the approval request with its card is queued on its own).
   */
  private async tellOfDirectoryChange(row: OutboxRow): Promise<void> {
    const notice = await this.deps.directoryNotices.forNotification(
      row.authorisation_id,
      row.recipient_id,
      row.payload,
    );
    if (!notice) return;
    await this.deps.messenger.send(row.recipient_id, {
      type: 'message',
      text: toldOfDirectoryChange(notice),
    });
  }
}
