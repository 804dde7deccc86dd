import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { ActionResult } from '../actions/results.js';
import type { Actions } from '../actions/table.js';
import { messageCard, type CardJson } from '../cards/index.js';
import { NOT_SET_UP } from '../rules/index.js';
import type { Clock } from '../services/clock.js';
import type { PeopleService } from '../services/people.js';
import type { ConversationStore } from '../store/conversations.js';
import { cardResponse, errorResponse, invokeResponse } from './invoke.js';
import type { Delivery } from './messenger.js';
import type { ResultCards } from './result-cards.js';

export interface CardActionDeps {
  actions: Actions;
  cards: ResultCards;
  conversations: ConversationStore;
  people: PeopleService;
  clock: Clock;
}

/** Where the card that was pressed lives, so later changes can update it. */
export interface CardLocation {
  conversationId: string;
  activityId: string | null;
}

/** Sends a card to the person's 1:1 chat; where it landed, or null when it could not be sent. */
export type SendPersonally = (card: CardJson) => Promise<Delivery | null>;

/** The card a button pressed where others read is answered with, when the answer went 1:1. */
export const SENT_PERSONALLY = 'I’ve sent that to you in our 1:1 chat.';
export const NOT_SENT_PERSONALLY =
  'I could not reach you in a 1:1 chat, and I only show cases and requests there: open a chat with Case Records Assistant and ask me again.';

/**
 * Handles `Action.Execute` invokes through the verb table. The actor comes from the activity; the
 * card's data is only an id, a version and the inputs, and every handler checks them again. Only
 * members of the staff directory get anything about a case; anyone else gets one sentence.
 */
export class CardActionHandler {
  constructor(private readonly deps: CardActionDeps) {}

  /**
   * Runs the action; its card is the answer, or, with `personally` (a button pressed in a channel
   * or group chat), goes to the person's 1:1 chat and the answer says so.
   */
  async handle(
    actorId: string,
    verb: string,
    data: unknown,
    where: CardLocation,
    personally?: SendPersonally,
  ): Promise<AdaptiveCardInvokeResponse> {
    if (!(await this.deps.people.find(actorId)))
      return cardResponse(messageCard({ title: 'Not set up', lines: [NOT_SET_UP], style: 'attention' }));
    const result = await this.deps.actions.run(verb, actorId, data);
    if (!personally) {
      if (result.show === 'authorisation' && result.acted) {
        await this.remember(result.authorisation.id, actorId, where);
      }
      await this.rememberBatch(result, actorId, where);
      return invokeResponse(result, this.deps.cards, actorId);
    }
    if (result.show === 'unreadable') return errorResponse(400, 'BadRequest', result.message);
    const delivery = await personally(await this.deps.cards.card(result, actorId));
    if (delivery && result.show === 'authorisation') {
      await this.remember(result.authorisation.id, actorId, delivery);
    }
    if (delivery) await this.rememberBatch(result, actorId, delivery);
    return cardResponse(
      messageCard({
        title: delivery ? 'Sent to your 1:1 chat' : 'Not shown here',
        lines: [delivery ? SENT_PERSONALLY : NOT_SENT_PERSONALLY],
      }),
    );
  }

  /** The card now shows this request: record where it is, so later changes update it. */
  private async remember(authorisationId: string, actorId: string, where: CardLocation): Promise<void> {
    if (!where.activityId) return;
    await this.deps.conversations.recordCardMessage(
      {
        authorisationId,
        recipientId: actorId,
        conversationId: where.conversationId,
        activityId: where.activityId,
      },
      this.deps.clock.now().toISOString(),
    );
  }

  /** The card now shows this batch: when it is confirmed or cancelled, it is updated. */
  private async rememberBatch(result: ActionResult, actorId: string, where: CardLocation): Promise<void> {
    if (result.show !== 'batch' || !where.activityId) return;
    await this.deps.conversations.recordBatchCardMessage(
      {
        batchId: result.batch.id,
        recipientId: actorId,
        conversationId: where.conversationId,
        activityId: where.activityId,
      },
      this.deps.clock.now().toISOString(),
    );
  }
}
