import { sql } from 'kysely';
import { pino, type Logger } from 'pino';
import { assertServable, ConfigError, type Config } from './config.js';
import { loadSchedule } from './schedule-file.js';
import { openReadyStore, type Store } from './store/index.js';
import { roleCanBypassAppendOnly } from './store/roles.js';
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
      `LOCAL MODE (LOCAL_MODE=true): /api/messages accepts unauthenticated requests, from loopback service URLs only, and the server listens on ${config.host} only. For the Agents Playground, the demo and tests; never expose it to a network.`,
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
    allowedTenantIds: config.allowedTenantIds,
  });
  const server = createServer({
    adapter,
    bot,
    log,
    localMode: config.localMode,
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
      downloadRoutes({
        db: store.db,
        clock,
        links,
        destruction,
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
        server.listen(port, config.host, () => {
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
