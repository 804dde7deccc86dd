import { createHash } from 'node:crypto';
import {
  INVOKE_RESPONSE_KEY,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
} from 'botbuilder';
import type { Logger } from 'pino';
import { helpCard, messageCard } from '../cards/index.js';
import type { Clock } from '../services/clock.js';
import type { HandledActivities } from '../services/handled-activities.js';
import type { ConversationStore } from '../store/conversations.js';
import type { CardJson } from '../cards/index.js';
import { NOT_SENT_PERSONALLY, SENT_PERSONALLY, type CardActionHandler } from './card-actions.js';
import { CHAT_READING_VERB, type ChatHandler, type Where } from './chat.js';
import { errorReference, quoting } from '../error-reference.js';
import { identify, tenantOf } from './identity.js';
import { cardResponse, errorResponse, messageResponse } from './invoke.js';
import type { Delivery, Messenger } from './messenger.js';
import type { Reply } from './replies.js';
import { attach } from './result-cards.js';

export interface BotDeps {
  conversations: ConversationStore;
  activities: HandledActivities;
  clock: Clock;
  chat: ChatHandler;
  cardActions: CardActionHandler;
  /** Sends to a person's 1:1 chat, for answers to what they asked where others read. */
  messenger: Messenger;
  log: Logger;
  /** The tenants whose activities are handled (lower case); when empty, any tenant's. */
  allowedTenantIds: readonly string[];
  /** Asks for the waiting notifications to be sent now. */
  notify: () => void;
}

const NOT_IDENTIFIED =
  'I could not tell who you are from Teams, so I have not done anything. Please open Case Records Assistant from Teams.';

/** Set in a turn whose work failed, so the activity is not remembered as handled. */
const TURN_FAILED = Symbol('turnFailed');

function tryAgainCard(reference: string): AdaptiveCardInvokeResponse {
  return cardResponse(
    messageCard({
      title: 'Something went wrong on my side',
      lines: ['Nothing was changed. Please try again in a moment.', quoting(reference)],
      style: 'attention',
    }),
  );
}

/**
 * The key under which an activity is remembered: its channel, conversation and id, hashed so a
 * row stays small whatever the ids hold. Null when the activity has no usable id.
 */
export function activityKey(activity: Partial<Activity>): string | null {
  const { id, channelId } = activity;
  const conversationId: unknown = activity.conversation?.id;
  if (typeof id !== 'string' || !id || typeof conversationId !== 'string' || typeof channelId !== 'string')
    return null;
  return createHash('sha256').update(`${channelId}\n${conversationId}\n${id}`).digest('base64url');
}

/**
 * Where an activity was written: a 1:1 chat, or a conversation others read too (a team channel, a
 * group chat, a meeting chat). Teams says which in `conversationType`; an activity that does not
 * say is a 1:1 chat unless it says it is a group.
 */
export function whereOf(activity: Partial<Activity>): Where {
  const conversation = activity.conversation as { conversationType?: unknown; isGroup?: unknown } | undefined;
  const type = conversation?.conversationType;
  if (type === undefined) return conversation?.isGroup === true ? 'shared' : 'personal';
  return type === 'personal' ? 'personal' : 'shared';
}

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
            helpCard(
              'Welcome. I help you take case records out of the office properly, and answer retention questions.',
            ),
          ),
        ],
      });
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      const who = identify(context);
      if (who) await this.deps.conversations.remove(who.aadObjectId);
      await next();
    });
  }

  /**
   * An edited or deleted message changes nothing here: what was asked was answered, and a request
   * is changed on its card. (Teams' own dispatch of these reads channel data a malformed activity
   * may lack, so they are not dispatched at all.)
   */
  protected override dispatchMessageUpdateActivity(): Promise<void> {
    return Promise.resolve();
  }

  protected override dispatchMessageDeleteActivity(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Each activity is handled once, however many times and on however many instances Teams
   * delivers it (it retries when an answer is slow or lost): the first delivery claims its key in
   * the database; a repeat waits for the first to finish and gets the same invoke response, or,
   * for a message, is acknowledged without a second reply. When the database cannot be reached,
   * the person is told to try again: a card action gets a card saying so (HTTP 200), a message a
   * reply (from the adapter's onTurnError).
   */
  override async run(context: TurnContext): Promise<void> {
    if (!this.tenantAllowed(tenantOf(context))) {
      await this.refuseTenant(context);
      return;
    }
    const who = identify(context);
    const key = who ? activityKey(context.activity) : null;
    let claimed = false;
    try {
      if (key) {
        const claim = await this.deps.activities.claim(key);
        if (!claim.first) {
          await this.answerRepeat(
            context,
            claim.response === null ? null : (JSON.parse(claim.response) as InvokeResponse),
          );
          return;
        }
        claimed = true;
      }
      await this.remember(context);
      await super.run(context);
    } catch (error) {
      if (claimed) await this.release(key!);
      if (context.activity.type === 'invoke' && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
        const errorRef = errorReference();
        this.deps.log.error({ err: error, name: context.activity.name, errorRef }, 'invoke failed');
        await context.sendActivity({
          type: 'invokeResponse',
          value: { status: 200, body: tryAgainCard(errorRef) },
        });
        return;
      }
      throw error;
    }
    if (claimed) {
      if (context.turnState.get(TURN_FAILED)) await this.release(key!);
      else await this.complete(key!, context);
    }
  }

  /** Marks an activity handled, keeping an invoke's response for repeats. */
  private async complete(key: string, context: TurnContext): Promise<void> {
    const invoke = context.turnState.get<{ value?: InvokeResponse } | undefined>(INVOKE_RESPONSE_KEY)?.value;
    const response = JSON.stringify(invoke ?? { status: 200 });
    try {
      await this.deps.activities.complete(key, response);
    } catch (error) {
      // The work is done and answered; a repeat will find the claim lapsed and see the current state.
      this.deps.log.warn({ err: error }, 'could not record a handled activity');
    }
  }

  /** Lets go of a claim whose turn failed, so Teams' retry is handled afresh. */
  private async release(key: string): Promise<void> {
    try {
      await this.deps.activities.release(key);
    } catch (error) {
      // The database is away: the claim lapses after its lease instead.
      this.deps.log.warn({ err: error }, 'could not release a failed activity');
    }
  }

  private async answerRepeat(context: TurnContext, response: InvokeResponse | null): Promise<void> {
    if (context.activity.type !== 'invoke') return; // a message: acknowledged, not answered twice
    const value: InvokeResponse = response ?? {
      status: 200,
      body: messageResponse(
        'I am still working on your last action. Please check the card again in a moment.',
      ),
    };
    await context.sendActivity({ type: 'invokeResponse', value });
  }

  private tenantAllowed(tenantId: string | null): boolean {
    const allowed = this.deps.allowedTenantIds;
    return !allowed.length || (tenantId !== null && allowed.includes(tenantId.toLowerCase()));
  }

  /**
   * An activity from an organisation the bot does not serve: nothing is read, saved or answered;
   * a card action gets 403.
   */
  private async refuseTenant(context: TurnContext): Promise<void> {
    const tenant = tenantOf(context);
    this.deps.log.warn(
      { tenant: tenant?.slice(0, 40) ?? null, activityType: context.activity.type },
      'activity from a tenant that is not allowed refused',
    );
    if (context.activity.type !== 'invoke') return;
    await context.sendActivity({
      type: 'invokeResponse',
      value: {
        status: 403,
        body: errorResponse(
          403,
          'Forbidden',
          'Case Records Assistant is not available to your organisation.',
        ),
      },
    });
  }

  /**
   * Every activity from a person in a 1:1 chat refreshes where to reach them. The first one (an
   * installation, their chat opening, their first message), or the first after their chat stopped
   * working, makes what waits for them due, and it is sent at once.
   */
  private async remember(context: TurnContext): Promise<void> {
    const who = identify(context);
    if (!who || whereOf(context.activity) !== 'personal') return;
    const anew = await this.deps.conversations.save(
      who.aadObjectId,
      TurnContext.getConversationReference(context.activity),
      who.mri || null,
      this.deps.clock.now().toISOString(),
    );
    if (anew) this.deps.notify();
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const who = identify(context);
    if (!who) {
      await context.sendActivity(NOT_IDENTIFIED);
      return;
    }
    const where = whereOf(context.activity);
    const answer = await this.deps.chat.reply(who.aadObjectId, context.activity.text, where);
    if (where === 'personal' || !answer.personal) {
      for (const reply of answer.replies) await context.sendActivity(reply);
      return;
    }
    // Asked where others read: the answer goes to the asker's 1:1 chat, a pointer stays here.
    const sent = await this.sendPersonally(context, who.aadObjectId, answer.replies);
    await context.sendActivity(sent ? SENT_PERSONALLY : NOT_SENT_PERSONALLY);
  }

  /**
   * Sends replies to the person's 1:1 chat (the saved one, or a new one opened through the
   * service this activity came from); where the last landed, or null when they could not be sent.
   */
  private async sendPersonally(
    context: TurnContext,
    recipientId: string,
    replies: readonly Reply[],
  ): Promise<Delivery | null> {
    const heardFrom = { serviceUrl: context.activity.serviceUrl, tenantId: tenantOf(context) };
    let delivery: Delivery | null = null;
    try {
      for (const reply of replies)
        delivery = await this.deps.messenger.send(recipientId, { type: 'message', ...reply }, heardFrom);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not answer in the 1:1 chat');
      return null;
    }
    return delivery;
  }

  /**
   * A card action without an `action` object is refused here: botbuilder reads `value.action.type`
   * unguarded, and the TypeError would end the turn with no invoke response (HTTP 501).
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') {
      // The bot answers Universal Actions only: anything else is a bad request, not a server error.
      const name = typeof context.activity.name === 'string' ? context.activity.name.slice(0, 60) : '';
      return {
        status: 400,
        body: errorResponse(400, 'BadRequest', `Case Records Assistant does not handle "${name}".`),
      };
    }
    const value: unknown = context.activity.value;
    const action = value && typeof value === 'object' ? (value as { action?: unknown }).action : undefined;
    if (!action || typeof action !== 'object') {
      return { status: 400, body: errorResponse(400, 'BadRequest', 'The card action is missing.') };
    }
    return super.onInvokeActivity(context);
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const who = identify(context);
    if (!who) {
      return cardResponse(messageCard({ title: 'Not done', lines: [NOT_IDENTIFIED], style: 'attention' }));
    }
    const action = invokeValue.action as { verb?: unknown; data?: unknown } | undefined;
    if (typeof action?.verb !== 'string')
      return errorResponse(400, 'BadRequest', 'The card action has no verb.');
    const where = whereOf(context.activity);
    try {
      if (action.verb === CHAT_READING_VERB) {
        // "Did you mean…": carried out as if typed; the answers follow as messages.
        const pressed = await this.deps.chat.press(who.aadObjectId, action.data ?? {}, where);
        if (where === 'personal' || !pressed.personal) {
          for (const reply of pressed.replies) await context.sendActivity(reply);
          return cardResponse(pressed.card);
        }
        const sent = await this.sendPersonally(context, who.aadObjectId, pressed.replies);
        return cardResponse(
          messageCard({
            title: 'You chose',
            lines: [pressed.chosen, sent ? SENT_PERSONALLY : NOT_SENT_PERSONALLY],
          }),
        );
      }
      // A card with case data is only ever shown in a 1:1 chat: pressed elsewhere, it answers there.
      const personally =
        where === 'personal'
          ? undefined
          : (card: CardJson) =>
              this.sendPersonally(context, who.aadObjectId, [{ attachments: [attach(card)] }]);
      return await this.deps.cardActions.handle(
        who.aadObjectId,
        action.verb,
        action.data ?? {},
        { conversationId: context.activity.conversation.id, activityId: context.activity.replyToId ?? null },
        personally,
      );
    } catch (error) {
      // Fail closed: nothing half-done is reported as done; the person is told to try again.
      const errorRef = errorReference();
      this.deps.log.error({ err: error, verb: action.verb, errorRef }, 'card action failed');
      context.turnState.set(TURN_FAILED, true);
      return tryAgainCard(errorRef);
    }
  }
}
