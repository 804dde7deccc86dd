import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConversationStore } from '../store/conversations.js';

/** Where a sent message landed, so it can be updated later. */
export interface Delivery {
  conversationId: string;
  activityId: string;
}

/** Why a send failed: worth trying again later, or never going to work. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/**
 * Where a person was last heard from, when it was not their 1:1 chat (a channel, a group chat):
 * the service URL and tenant to open a 1:1 chat with them through, if none is saved.
 */
export interface HeardFrom {
  serviceUrl: string;
  tenantId: string | null;
}

/** Sends to staff members outside a turn: the only code that talks to Teams proactively. */
export interface Messenger {
  /**
   * Sends to the person's 1:1 chat with the bot: the saved one, or a new one (through `heardFrom`,
   * when given, else the last conversation saved).
   */
  send(recipientId: string, activity: Partial<Activity>, heardFrom?: HeardFrom): Promise<Delivery>;
  update(recipientId: string, delivery: Delivery, activity: Partial<Activity>): Promise<void>;
}

function classify(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { headers?: { get?(name: string): string | undefined } };
  };
  const status = e.statusCode ?? 0;
  const message = `${status || 'network'}: ${e.message ?? String(error)}`.slice(0, 300);
  if (status === 429) {
    const header = e.response?.headers?.get?.('retry-after');
    const seconds = header ? Number(header) : NaN;
    return new DeliveryError(message, false, Number.isFinite(seconds) ? seconds : null);
  }
  // Not installed, blocked, or the conversation is gone: trying again will not help.
  if (status === 403 || status === 404 || status === 400) return new DeliveryError(message, true);
  return new DeliveryError(message, false);
}

/**
 * Runs `logic` in a proactive turn started by `start`, and rethrows what it throws. Left to the
 * adapter, an error in the turn goes to `onTurnError` and the call resolves as if it had worked,
 * so a throttled or refused send would look sent.
 */
async function inTurn(
  start: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  const failure: { error?: unknown; failed: boolean } = { failed: false };
  await start(async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure.error = error;
      failure.failed = true;
    }
  });
  if (failure.failed) throw failure.error;
}

function delivered(delivery: Delivery | undefined): Delivery {
  if (!delivery) throw new DeliveryError('the connector did not run the send', false);
  return delivery;
}

export interface TeamsMessengerOptions {
  adapter: CloudAdapter;
  conversations: ConversationStore;
  /** The bot's Microsoft app id; empty in local mode. */
  appId: string;
  tenantId: string | null;
  serviceUrl: string;
  now: () => Date;
}

/**
 * Proactive messages through the Bot Connector: to the saved 1:1 conversation, or, for someone who
 * never wrote to the bot, a new 1:1 conversation created with their Entra object id and the tenant.
 */
export class TeamsMessenger implements Messenger {
  constructor(private readonly options: TeamsMessengerOptions) {}

  private audience(): string {
    return this.options.appId ? 'https://api.botframework.com' : '';
  }

  async send(recipientId: string, activity: Partial<Activity>, heardFrom?: HeardFrom): Promise<Delivery> {
    const saved = await this.options.conversations.get(recipientId);
    try {
      if (saved && !saved.stale) return await this.sendTo(saved.reference, activity);
      return await this.createAndSend(recipientId, activity, heardFrom);
    } catch (error) {
      const failure = classify(error);
      if (failure.permanent && saved)
        await this.options.conversations.markStale(recipientId, this.options.now().toISOString());
      throw failure;
    }
  }

  async update(recipientId: string, delivery: Delivery, activity: Partial<Activity>): Promise<void> {
    const saved = await this.options.conversations.get(recipientId);
    if (!saved) throw new DeliveryError('no conversation saved for this person', true);
    const reference = { ...(saved.reference as Partial<ConversationReference>) };
    reference.conversation = { ...reference.conversation!, id: delivery.conversationId };
    try {
      await inTurn(
        (logic) => this.options.adapter.continueConversationAsync(this.options.appId, reference, logic),
        async (context) => {
          await context.updateActivity({ ...activity, type: 'message', id: delivery.activityId });
        },
      );
    } catch (error) {
      throw classify(error);
    }
  }

  private async sendTo(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<Delivery> {
    const sent: { delivery?: Delivery } = {};
    await inTurn(
      (logic) => this.options.adapter.continueConversationAsync(this.options.appId, reference, logic),
      async (context) => {
        const response = await context.sendActivity(activity);
        sent.delivery = { conversationId: context.activity.conversation.id, activityId: response?.id ?? '' };
      },
    );
    return delivered(sent.delivery);
  }

  private async createAndSend(
    recipientId: string,
    activity: Partial<Activity>,
    heardFrom?: HeardFrom,
  ): Promise<Delivery> {
    const latest = heardFrom
      ? null
      : ((await this.options.conversations.latest()) as Partial<ConversationReference> | null);
    const tenantId = this.options.tenantId ?? heardFrom?.tenantId ?? latest?.conversation?.tenantId ?? null;
    const serviceUrl = heardFrom?.serviceUrl ?? latest?.serviceUrl ?? this.options.serviceUrl;
    if (!tenantId) throw new DeliveryError('the tenant is not known yet', true);
    const sent: { delivery?: Delivery } = {};
    const conversation = {
      isGroup: false,
      bot: { id: this.options.appId ? `28:${this.options.appId}` : 'bot', name: 'Case Records Assistant' },
      members: [{ id: recipientId, name: '' }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
      activity: undefined,
      topicName: '',
    };
    await inTurn(
      (logic) =>
        this.options.adapter.createConversationAsync(
          this.options.appId,
          'msteams',
          serviceUrl,
          this.audience(),
          conversation,
          logic,
        ),
      async (context) => {
        const reference = TurnContext.getConversationReference(context.activity);
        await this.options.conversations.save(recipientId, reference, null, this.options.now().toISOString());
        const response = await context.sendActivity(activity);
        sent.delivery = { conversationId: context.activity.conversation.id, activityId: response?.id ?? '' };
      },
    );
    return delivered(sent.delivery);
  }
}
