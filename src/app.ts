import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { pino, type Logger } from 'pino';
import { Actions, verbTable } from './actions/table.js';
import { CaseRecordsBot } from './bot/bot.js';
import { CardActionHandler } from './bot/card-actions.js';
import { ChatHandler } from './bot/chat.js';
import { DestructionChat } from './bot/destruction-chat.js';
import { HoldsChat } from './bot/holds-chat.js';
import { ReviewChat } from './bot/review-chat.js';
import { TeamsMessenger, type Messenger } from './bot/messenger.js';
import { NotificationMessages } from './bot/notification-messages.js';
import { NotificationDispatcher } from './bot/notifications.js';
import { ResultCards } from './bot/result-cards.js';
import { createAdapter, createServer } from './bot/server.js';
import { TurnsInFlight } from './bot/turns-in-flight.js';
import { assertServable, ConfigError, type Config } from './config.js';
import { DirectoryNotices } from './directory/notices.js';
import { DirectorySchedule } from './directory/schedule.js';
import type { DirectorySync } from './directory/sync.js';
import { SignedLinks } from './downloads/signed-links.js';
import type { Schedule } from './rules/index.js';
import { loadOwnDataSchedule, loadSchedule } from './schedule-file.js';
import { CaseLookups } from './services/case-lookups.js';
import { CaseRetentionService } from './services/case-retention.js';
import { systemClock, today, type Clock } from './services/clock.js';
import { DestructionService } from './services/destruction.js';
import { DispositionService } from './services/disposition.js';
import { HandledActivities } from './services/handled-activities.js';
import { HoldService } from './services/holds.js';
import { PeopleService } from './services/people.js';
import { PurgeSchedule, PurgeService } from './services/purge.js';
import { queueReminders } from './services/reminders.js';
import { RemovalService } from './services/removal.js';
import { SubjectAccessService } from './services/subject-access.js';
import { ENGLAND_AND_WALES } from './services/working-days.js';
import { ConversationStore } from './store/conversations.js';
import { openReadyStore, type Store } from './store/index.js';
import { OutboxStore } from './store/outbox.js';
import { roleCanBypassAppendOnly } from './store/roles.js';
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
  /** The staff directory sync from Microsoft Entra ID; null when Graph is not configured. */
  directory: DirectorySync | null;
  /** The purge of the product's own data (scheduled every PURGE_MINUTES when timers are on). */
  purge: PurgeService;
  /** Queues due reminders and sends what is waiting, once. */
  sweep(): Promise<void>;
  /** Starts listening; resolves with the port. */
  listen(port?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * On PostgreSQL the application's role must not be able to switch off the append-only triggers or
 * alter the tables: in production it refuses to start with such a role; elsewhere it warns.
 */
async function checkDatabaseRole(store: Store, config: Readonly<Config>, log: Logger): Promise<void> {
  if (store.dialect !== 'postgres') return;
  const bypass = await roleCanBypassAppendOnly(store.db);
  if (!bypass) return;
  const message = `DATABASE_URL: ${bypass}, so it could switch off the append-only protections; connect the application as a role of its own and give the owner’s connection in DATABASE_OWNER_URL, for migrations only (see the README)`;
  if (config.production) throw new ConfigError(`Configuration is not valid:\n  - ${message}`);
  log.warn({ database: store.location }, message);
}

/** Says loudly, in the structured log too, when the server runs without the protections of production. */
function warnOfLocalSettings(config: Readonly<Config>, log: Logger): void {
  if (config.localMode) {
    log.warn(
      { localMode: true, host: config.host },
      `LOCAL MODE (LOCAL_MODE=true): /api/messages accepts unauthenticated requests, from loopback service URLs only, the tab opened outside Teams acts as whomever its persona picker names, and the server listens on ${config.host} only. For the Agents Playground, the demo and tests; never expose it to a network.`,
    );
  }
  if (config.audit.developmentKey) {
    log.warn(
      { auditKey: 'development' },
      'AUDIT_KEY is not set: the audit log is keyed with the built-in development key, which is public, so it proves nothing. Set AUDIT_KEY (32+ random characters) before using real records.',
    );
  }
}

/** The composition root: the one place that knows which store, adapter and clock are used. */
export async function createApp(config: Readonly<Config>, options: AppOptions = {}): Promise<App> {
  assertServable(config);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? pino({ level: config.logLevel, base: { service: 'case-records-assistant' } });
  warnOfLocalSettings(config, log);
  const schedule = options.schedule ?? loadSchedule(config.scheduleFile);
  const ownData = loadOwnDataSchedule(config.ownDataScheduleFile);
  const store = await openReadyStore(config.databaseUrl, schedule, {
    audit: { key: config.audit.key, headFile: config.audit.headFile, log: log.child({ component: 'audit' }) },
    ownerUrl: config.databaseOwnerUrl,
    onRecompute: (p) =>
      log.info({ checked: p.checked, changed: p.changed }, 'retention schedule changed: recomputing'),
  });
  try {
    await checkDatabaseRole(store, config, log);
  } catch (error) {
    await store.close();
    throw error;
  }
  // Services: the one door to the data; each read and write checks who is asking.
  const people = new PeopleService(store.db, clock);
  const lookups = new CaseLookups(store.db, clock, config.caseLookupsPerHour);
  const removals = new RemovalService(store.db, clock, { maxDays: config.removal.maxDays, lookups });
  const holds = new HoldService(store.db, clock, ENGLAND_AND_WALES, schedule);
  const destruction = new DestructionService(store.db, clock, {
    twoPersonRule: config.destruction.twoPersonRule,
    schedule,
  });
  const disposition = new DispositionService(store.db, clock, { schedule });
  const retention = new CaseRetentionService(store.db, clock, schedule, lookups);
  const subjectAccess = new SubjectAccessService(store.db, clock);
  const directoryNotices = new DirectoryNotices(store.db);
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
  const turns = new TurnsInFlight();
  const dispatcher = new NotificationDispatcher(
    outbox,
    new NotificationMessages({
      messenger,
      removals,
      destruction,
      directoryNotices,
      cards,
      conversations,
      clock,
      log,
    }),
    clock,
    log,
    turns,
  );
  const notify = () => dispatcher.kick();

  // One verb table for every card action, the bot's and the tab's.
  const actions = new Actions(verbTable({ removals, holds, destruction, disposition, clock, notify }));
  const chat = new ChatHandler({
    schedule,
    clock,
    people,
    removals,
    retention,
    cards,
    holds: new HoldsChat(holds, () => today(clock)),
    destruction: new DestructionChat({ destruction, clock, notify }),
    review: new ReviewChat({ disposition, clock }),
    notify,
  });
  const bot = new CaseRecordsBot({
    conversations,
    activities: new HandledActivities(store.db, clock),
    clock,
    chat,
    cardActions: new CardActionHandler({ actions, cards, conversations, people, clock }),
    messenger,
    log,
    allowedTenantIds: config.allowedTenantIds,
    notify,
  });
  const server = createServer({
    adapter,
    bot,
    turns,
    log,
    localMode: config.localMode,
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
        disposition,
        retention,
        subjectAccess,
        actions,
        links,
        config,
        log,
      }),
      downloadRoutes({
        clock,
        links,
        destruction,
        subjectAccess,
        disposition,
        log,
        maxConcurrent: config.downloads.maxConcurrent,
      }),
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
  // Graph and Azure sign-in are loaded only when the directory sync is set up.
  const directory = config.directory
    ? (await import('./directory/sync.js')).directorySyncFor(store, config.directory, clock)
    : null;
  const syncMinutes = config.directory?.syncMinutes ?? 0;
  const directorySchedule =
    directory && syncMinutes && (options.timers ?? true)
      ? new DirectorySchedule(directory, syncMinutes, log, notify)
      : null;
  directorySchedule?.start();
  // The product's own data: what its schedule says has expired is purged on a timer.
  const purge = new PurgeService(store.db, clock, ownData);
  const purgeSchedule =
    config.purge.minutes && (options.timers ?? true)
      ? new PurgeSchedule(purge, config.purge.minutes, log.child({ component: 'purge' }))
      : null;
  purgeSchedule?.start();

  return {
    store,
    dispatcher,
    directory,
    purge,
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
        server.listen(port, config.host, () => {
          server.removeListener('error', onError);
          resolve(server.address().port);
        });
      }),
    close: async () => {
      if (timer) clearInterval(timer);
      await directorySchedule?.stop();
      await purgeSchedule?.stop();
      await dispatcher.stop();
      server.close();
      await store.close();
    },
  };
}
