import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { Actions } from '../actions/table.js';
import type { Clock } from '../services/clock.js';
import type { ConversationStore } from '../store/conversations.js';
import { invokeResponse } from './invoke.js';
import type { ResultCards } from './result-cards.js';

export interface CardActionDeps {
  actions: Actions;
  cards: ResultCards;
  conversations: ConversationStore;
  clock: Clock;
}

/** Where the card that was pressed lives, so later changes can update it. */
export interface CardLocation {
  conversationId: string;
  activityId: string | null;
}

/**
 * Handles `Action.Execute` invokes through the verb table. The actor comes from the activity; the
 * card's data is only an id, a version and the inputs, and every handler checks them again.
 */
export class CardActionHandler {
  constructor(private readonly deps: CardActionDeps) {}

  async handle(
    actorId: string,
    verb: string,
    data: unknown,
    where: CardLocation,
  ): Promise<AdaptiveCardInvokeResponse> {
    const result = await this.deps.actions.run(verb, actorId, data);
    if (result.show === 'authorisation' && result.acted) {
      await this.remember(result.authorisation.id, actorId, where);
    }
    if (result.show === 'batch' && where.activityId) {
      // The pressed card now shows this batch: when it is confirmed or cancelled, it is updated.
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
    return invokeResponse(result, this.deps.cards, actorId);
  }

  /** The pressed card now shows this request: record where it is, so later changes update it. */
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
}
