import { sql } from 'kysely';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { loadSchedule } from './schedule-file.js';
import { openReadyStore, type Store } from './store/index.js';
import type { Schedule } from './rules/index.js';
import { systemClock, type Clock } from './services/clock.js';
import { RemovalService } from './services/removal.js';
import { queueReminders } from './services/reminders.js';
import { CaseRecordsBot } from './bot/bot.js';
import { CardActionHandler } from './bot/card-actions.js';
import { ChatHandler } from './bot/chat.js';
import { TeamsMessenger, type Messenger } from './bot/messenger.js';
import { NotificationDispatcher } from './bot/notifications.js';
import { createAdapter, createServer } from './bot/server.js';
import { createUnderstanding } from './bot/understanding/index.js';
import { tabRoutes } from './web/tab-api.js';
import { randomBytes } from 'node:crypto';
import { HoldService } from './services/holds.js';
import { DestructionService } from './services/destruction.js';
import { SignedLinks } from './web/signed-links.js';
import { downloadRoutes } from './web/downloads.js';
import { HoldsChat } from './bot/holds-chat.js';
import { holdActions } from './bot/hold-actions.js';
import { DestructionChat, destructionActions } from './bot/destruction-chat.js';
import { attach } from './bot/views.js';
import { renderNotice } from './directory/notices.js';
import { DirectorySchedule } from './directory/schedule.js';
import { directorySyncFor, type DirectorySync } from './directory/sync.js';

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
  /** The staff directory sync from Microsoft Entra ID; null when Graph is not configured. */
  directory: DirectorySync | null;
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
  const removals = new RemovalService(store.db, clock, { maxDays: config.removal.maxDays });
  const understanding = await createUnderstanding();
  const adapter = createAdapter(config, log);
  const messenger =
    options.messenger ??
    new TeamsMessenger({
      adapter,
      db: store.db,
      appId: config.bot?.appId ?? '',
      tenantId: config.bot?.tenantId ?? null,
      serviceUrl: config.teamsServiceUrl,
      now: () => clock.now(),
    });
  const holds = new HoldService(store.db, clock);
  const destruction = new DestructionService(store.db, clock, {
    twoPersonRule: config.destruction.twoPersonRule,
    schedule,
  });
  const links = new SignedLinks(
    config.downloadSigningKey ? Buffer.from(config.downloadSigningKey) : randomBytes(32),
    config.publicBaseUrl,
    () => clock.now(),
  );
  let notify = () => {};
  const holdsChat = new HoldsChat(store.db, holds);
  const destructionDeps = {
    db: store.db,
    schedule,
    clock,
    destruction,
    links,
    twoPersonRule: config.destruction.twoPersonRule,
    notify: () => notify(),
  };
  const destructionChat = new DestructionChat(destructionDeps);
  const dispatcher = new NotificationDispatcher(store.db, messenger, removals, clock, log, {
    'destruction.awaiting_confirmation': async (row) => {
      const { batchId } = JSON.parse(row.payload) as { batchId?: string };
      const batch = batchId ? await destruction.getBatch(batchId) : null;
      if (!batch || batch.status !== 'awaiting_confirmation') return null;
      const card = await destructionChat.batchCardFor(batch, row.recipient_id);
      return {
        type: 'message',
        text: `${batch.createdBy.name} has chosen destruction batch ${batch.reference}: please check it and confirm.`,
        attachments: [attach(card)],
      };
    },
    'directory.notice': async (row) => {
      const text = await renderNotice(store.db, row);
      return text ? { type: 'message', text } : null;
    },
  });
  notify = () => dispatcher.kick();
  const chat = new ChatHandler({
    db: store.db,
    schedule,
    clock,
    removals,
    understanding,
    holds: holdsChat,
    destruction: destructionChat,
    notify,
  });
  const cardActions = new CardActionHandler({
    db: store.db,
    clock,
    removals,
    notify,
    more: {
      ...holdActions(holds, holdsChat, clock),
      ...destructionActions(destructionChat, destructionDeps),
    },
  });
  const bot = new CaseRecordsBot({
    db: store.db,
    clock,
    chat,
    cardActions,
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
        db: store.db,
        clock,
        schedule,
        removals,
        holds,
        destruction,
        links,
        config,
        log,
        notify,
      }),
      downloadRoutes({ db: store.db, clock, links, destruction }),
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
  // The staff directory from Entra ID: synced on a timer when Graph is set up (and timers are on).
  const directory = config.directory ? directorySyncFor(store, config.directory, clock) : null;
  const syncMinutes = config.directory?.syncMinutes ?? 0;
  const directorySchedule =
    directory && syncMinutes && (options.timers ?? true)
      ? new DirectorySchedule(directory, syncMinutes, log, notify)
      : null;
  directorySchedule?.start();

  return {
    store,
    dispatcher,
    directory,
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
      await directorySchedule?.stop();
      await dispatcher.stop();
      server.close();
      await store.close();
    },
  };
}
