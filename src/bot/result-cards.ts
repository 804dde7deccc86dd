import { randomUUID } from 'node:crypto';
import { CardFactory, type Attachment } from 'botbuilder';
import type { Shown } from '../actions/results.js';
import {
  batchCard,
  batchListCard,
  batchPreviewCard,
  blanketHoldFormCard,
  dueCard,
  holdFormCard,
  holdsListCard,
  messageCard,
  registerCard,
  removalFormCard,
  removalStatusCard,
  reviewCard,
  reviewDecidedCard,
  reviewDecisionCard,
  type CardJson,
} from '../cards/index.js';
import { DOWNLOADS } from '../downloads/paths.js';
import type { SignedLinks } from '../downloads/signed-links.js';
import type { Schedule } from '../rules/index.js';
import { today, type Clock } from '../services/clock.js';
import type { BatchView } from '../services/destruction.js';
import type { AuthorisationView } from '../services/removal.js';
import type { ConversationStore } from '../store/conversations.js';

export interface ResultCardsDeps {
  conversations: ConversationStore;
  links: SignedLinks;
  schedule: Schedule;
  clock: Clock;
}

/** A card as a message attachment. */
export function attach(card: CardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}

/**
 * Turns what an action or a chat request came to into the card the person sees: the one place
 * the bot renders results. Adds what only the bot knows: whose Teams clients refresh a card, and
 * signed download links.
 */
export class ResultCards {
  constructor(private readonly deps: ResultCardsDeps) {}

  async card(result: Shown, actorId: string): Promise<CardJson> {
    switch (result.show) {
      case 'message':
        return messageCard({ title: result.title, lines: result.lines, style: result.style });
      case 'refusal':
        return messageCard({ title: result.title, lines: [result.refusal.message], style: 'attention' });
      case 'authorisation':
        return this.status(result.authorisation, result.refusal?.message ?? result.notice ?? undefined);
      case 'removal_form':
        return removalFormCard({
          formId: randomUUID(),
          form: result.form,
          values: result.values,
          problems: result.problems,
          today: today(this.deps.clock),
          read: result.read,
          doubts: result.doubts,
        });
      case 'hold_form':
        return holdFormCard({ ...result.values, today: today(this.deps.clock), problem: result.problem });
      case 'blanket_hold_form':
        return blanketHoldFormCard({ ...result.values, problem: result.problem }, this.deps.schedule);
      case 'holds':
        return holdsListCard(result.title, result.holds, {
          canRelease: result.canRelease,
          emptyText: result.emptyText,
          notice: result.notice,
          noticeStyle: result.noticeStyle,
          blanket: result.blanket,
          today: today(this.deps.clock),
        });
      case 'due':
        return dueCard(result.due, this.deps.schedule, result.classId);
      case 'batch_preview':
        return batchPreviewCard(result.preview);
      case 'batch':
        return this.batch(result.batch, actorId, result.notice, result.page);
      case 'batches':
        return batchListCard(result.batches);
      case 'review':
        return reviewCard(result.review, this.deps.schedule, result.notice);
      case 'review_form':
        return reviewDecisionCard(result);
      case 'review_decided':
        return reviewDecidedCard(result.decisions, result.notice);
      case 'register':
        return registerCard(
          result.title,
          result.entries,
          result.total,
          result.downloads
            ? {
                csvUrl: this.deps.links.link(DOWNLOADS.registerCsv, actorId),
                xlsxUrl: this.deps.links.link(DOWNLOADS.registerXlsx, actorId),
                decisionsCsvUrl: this.deps.links.link(DOWNLOADS.decisionsCsv, actorId),
              }
            : { csvUrl: '', xlsxUrl: '' },
        );
    }
  }

  /** An authorisation's card as read for one person, refreshing for the requester and the approvers. */
  async status(a: AuthorisationView, notice?: string): Promise<CardJson> {
    const refreshUserIds = await this.deps.conversations.mrisOf([
      a.requester.id,
      ...a.approvers.map((p) => p.id),
    ]);
    return removalStatusCard(a, { refreshUserIds, notice });
  }

  /**
   * A batch's card as read for `actorId`, with its certificate once confirmed, refreshing to the
   * current state for the officers it concerns: who chose it, who was asked, who confirmed or cancelled.
   */
  async batch(batch: BatchView, actorId: string, notice = '', page = 1): Promise<CardJson> {
    const concerned = [
      batch.createdBy.id,
      ...batch.askedToConfirm.map((p) => p.id),
      ...(batch.confirmedBy ? [batch.confirmedBy.id] : []),
      ...(batch.cancelledBy ? [batch.cancelledBy.id] : []),
    ];
    return batchCard(batch, {
      certificateUrl:
        batch.status === 'confirmed' ? this.deps.links.link(DOWNLOADS.certificate(batch.id), actorId) : '',
      notice,
      page,
      refreshUserIds: await this.deps.conversations.mrisOf([...new Set(concerned)]),
    });
  }
}
