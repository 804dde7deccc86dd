import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
} from 'botbuilder';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { messageCard } from '../cards/index.js';
import type { Clock } from '../services/clock.js';
import { removeReference, saveReference } from '../store/conversations.js';
import type { Database } from '../store/schema.js';
import type { CardActionHandler } from './card-actions.js';
import type { ChatHandler } from './chat.js';
import { helpFor } from './help.js';
import { identify } from './identity.js';
import { cardResponse, errorResponse } from './invoke.js';
import { attach } from './views.js';

export interface BotDeps {
  db: Kysely<Database>;
  clock: Clock;
  chat: ChatHandler;
  cardActions: CardActionHandler;
  log: Logger;
  /** When set, activities from any other tenant are refused. */
  tenantId: string | null;
}

const NOT_IDENTIFIED =
  'I could not tell who you are from Teams, so I have not done anything. Please open Case Records Assistant from Teams.';

/**
 * The Teams bot: saves where to reach each person, answers messages, and handles card actions.
 * Identity comes from the activity only.
 */
export class CaseRecordsBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await context.sendActivity({
        attachments: [
          attach(
            helpFor(
              'Welcome. I help you take case records out of the office properly, and answer retention questions.',
            ),
          ),
        ],
      });
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      const who = identify(context);
      if (who) await removeReference(this.deps.db, who.aadObjectId);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await this.remember(context);
    await super.run(context);
  }

  private tenantAllowed(tenantId: string | null): boolean {
    return !this.deps.tenantId || tenantId === this.deps.tenantId;
  }

  /** Every activity from a person in a 1:1 chat refreshes where to reach them. */
  private async remember(context: TurnContext): Promise<void> {
    const who = identify(context);
    const personal = (context.activity.conversation?.conversationType ?? 'personal') === 'personal';
    if (!who || !personal || !this.tenantAllowed(who.tenantId)) return;
    await saveReference(
      this.deps.db,
      who.aadObjectId,
      TurnContext.getConversationReference(context.activity),
      who.mri || null,
      this.deps.clock.now().toISOString(),
    );
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const who = identify(context);
    if (!who || !this.tenantAllowed(who.tenantId)) {
      await context.sendActivity(NOT_IDENTIFIED);
      return;
    }
    const text = typeof context.activity.text === 'string' ? context.activity.text : '';
    const replies = await this.deps.chat.reply(who.aadObjectId, text);
    for (const reply of replies) await context.sendActivity(reply);
  }

  /**
   * A card action without an `action` object is refused here: botbuilder reads `value.action.type`
   * unguarded, and the TypeError would end the turn with no invoke response (HTTP 501).
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') {
      const value: unknown = context.activity.value;
      const action = value && typeof value === 'object' ? (value as { action?: unknown }).action : undefined;
      if (!action || typeof action !== 'object') {
        return { status: 400, body: errorResponse(400, 'BadRequest', 'The card action is missing.') };
      }
    }
    return super.onInvokeActivity(context);
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const who = identify(context);
    if (!who || !this.tenantAllowed(who.tenantId)) {
      return cardResponse(messageCard({ title: 'Not done', lines: [NOT_IDENTIFIED], style: 'attention' }));
    }
    const action = invokeValue.action as { verb?: unknown; data?: unknown } | undefined;
    if (typeof action?.verb !== 'string')
      return errorResponse(400, 'BadRequest', 'The card action has no verb.');
    try {
      return await this.deps.cardActions.handle(who.aadObjectId, action.verb, action.data ?? {}, {
        conversationId: context.activity.conversation.id,
        activityId: context.activity.replyToId ?? null,
      });
    } catch (error) {
      // Fail closed: nothing half-done is reported as done; the person is told to try again.
      this.deps.log.error({ err: error, verb: action.verb }, 'card action failed');
      return cardResponse(
        messageCard({
          title: 'Something went wrong on my side',
          lines: ['Nothing was changed. Please try again in a moment.'],
          style: 'attention',
        }),
      );
    }
  }
}
