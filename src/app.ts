import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { pino, type Logger } from 'pino';
import { Actions, verbTable } from './actions/table.js';
import { CaseRecordsBot } from './bot/bot.js';
import { CardActionHandler } from './bot/card-actions.js';
import { ChatHandler } from './bot/chat.js';
import { DestructionChat } from './bot/destruction-chat.js';
import { HoldsChat } from './bot/holds-chat.js';
import { TeamsMessenger, type Messenger } from './bot/messenger.js';
import { NotificationMessages } from './bot/notification-messages.js';
import { NotificationDispatcher } from './bot/notifications.js';
import { ResultCards } from './bot/result-cards.js';
import { createAdapter, createServer } from './bot/server.js';
import type { Config } from './config.js';
import { SignedLinks } from './downloads/signed-links.js';
import type { Schedule } from './rules/index.js';
import { loadSchedule } from './schedule-file.js';
import { CaseRetentionService } from './services/case-retention.js';
import { systemClock, type Clock } from './services/clock.js';
import { DestructionService } from './services/destruction.js';
import { HandledActivities } from './services/handled-activities.js';
import { HoldService } from './services/holds.js';
import { PeopleService } from './services/people.js';
import { queueReminders } from './services/reminders.js';
import { RemovalService } from './services/removal.js';
import { ConversationStore } from './store/conversations.js';
import { openReadyStore, type Store } from './store/index.js';
import { OutboxStore } from './store/outbox.js';
import { downloadRoutes } from './web/downloads.js';
import { tabRoutes } from './web/tab-api.js';

export interface AppOptions {
  clock?: Clock;
  log?: Logger;
  schedule?: Schedule;
  /** Replaces the Teams messenger (tests use the real one against a fake connector). */
  messenger?: Messenger;
  /** Run the reminder and notification loop on a timer (off in tests, which call `sweep`). */
  timers?: boolean;
}

export interface App {
  store: Store;
  dispatcher: NotificationDispatcher;
  /** Queues due reminders and sends what is waiting, once. */
  sweep(): Promise<void>;
  /** Starts listening; resolves with the port. */
  listen(port?: number): Promise<number>;
  close(): Promise<void>;
}

/** The composition root: the one place that knows which store, adapter and clock are used. */
export async function createApp(config: Readonly<Config>, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? pino({ level: config.logLevel, base: { service: 'case-records-assistant' } });
  const schedule = options.schedule ?? loadSchedule(config.scheduleFile);
  const store = await openReadyStore(config.databaseUrl, schedule, (p) =>
    log.info({ checked: p.checked, changed: p.changed }, 'retention schedule changed: recomputing'),
  );
  // Services: the one door to the data; each read and write checks who is asking.
  const people = new PeopleService(store.db, clock);
  const removals = new RemovalService(store.db, clock, { maxDays: config.removal.maxDays });
  const holds = new HoldService(store.db, clock);
  const destruction = new DestructionService(store.db, clock, {
    twoPersonRule: config.destruction.twoPersonRule,
    schedule,
  });
  const retention = new CaseRetentionService(store.db, clock, schedule);
  // The bot's own way to the store: where to reach people, and the outbox it sends.
  const conversations = new ConversationStore(store.db);
  const outbox = new OutboxStore(store.db);

  const adapter = createAdapter(config, log);
  const messenger =
    options.messenger ??
    new TeamsMessenger({
      adapter,
      conversations,
      appId: config.bot?.appId ?? '',
      tenantId: config.bot?.tenantId ?? null,
      serviceUrl: config.teamsServiceUrl,
      now: () => clock.now(),
    });
  const links = new SignedLinks(
    config.downloadSigningKey ? Buffer.from(config.downloadSigningKey) : randomBytes(32),
    config.publicBaseUrl,
    () => clock.now(),
  );
  const cards = new ResultCards({ conversations, links, schedule, clock });
  const dispatcher = new NotificationDispatcher(
    outbox,
    new NotificationMessages({ messenger, removals, destruction, cards, conversations, clock, log }),
    clock,
    log,
  );
  const notify = () => dispatcher.kick();

  // One verb table for every card action, the bot's and the tab's.
  const actions = new Actions(verbTable({ removals, holds, destruction, clock, notify }));
  const chat = new ChatHandler({
    schedule,
    clock,
    people,
    removals,
    retention,
    cards,
    holds: new HoldsChat(holds),
    destruction: new DestructionChat({ destruction, clock, notify }),
    notify,
  });
  const bot = new CaseRecordsBot({
    conversations,
    activities: new HandledActivities(store.db, clock),
    clock,
    chat,
    cardActions: new CardActionHandler({ actions, cards, conversations, clock }),
    log,
    tenantId: config.bot?.tenantId ?? null,
  });
  const server = createServer({
    adapter,
    bot,
    log,
    health: async () => {
      await sql`select 1`.execute(store.db);
    },
    routes: [
      ...tabRoutes({
        clock,
        schedule,
        people,
        removals,
        holds,
        destruction,
        retention,
        actions,
        links,
        config,
        log,
      }),
      downloadRoutes({ clock, links, destruction }),
    ],
  });

  const sweep = async () => {
    await queueReminders(store.db, clock, { pendingReminderHours: config.removal.pendingReminderHours });
    await dispatcher.runOnce();
  };
  let timer: NodeJS.Timeout | null = null;
  if (options.timers ?? true) {
    timer = setInterval(() => {
      sweep().catch((error: unknown) => log.error({ err: error }, 'reminder sweep failed'));
    }, config.sweepSeconds * 1000);
    timer.unref();
  }

  return {
    store,
    dispatcher,
    sweep,
    listen: (port = config.port) =>
      new Promise((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) =>
          reject(
            error.code === 'EADDRINUSE'
              ? new Error(
                  `Port ${port} is already in use: is the bot already running? Set PORT to use another port.`,
                )
              : error,
          );
        server.once('error', onError);
        server.listen(port, '0.0.0.0', () => {
          server.removeListener('error', onError);
          resolve(server.address().port);
        });
      }),
    close: async () => {
      if (timer) clearInterval(timer);
      await dispatcher.stop();
      server.close();
      await store.close();
    },
  };
}
