import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp, type App } from '../../src/app.js';
import { readConfig, type Config } from '../../src/config.js';
import { importInventory } from '../../src/imports/inventory-import.js';
import { importStaff } from '../../src/imports/staff-import.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { unescapeMarkdown } from '../../src/cards/render.js';
import { cardOf, FakeConnector } from './fake-connector.js';

/** The demo directory's people, by first name. */
export const STAFF = {
  helen: '6f1c2a4e-0001-4b7a-9c1e-000000000001',
  priya: '6f1c2a4e-0002-4b7a-9c1e-000000000002',
  tom: '6f1c2a4e-0003-4b7a-9c1e-000000000003',
  sam: '6f1c2a4e-0004-4b7a-9c1e-000000000004',
  jo: '6f1c2a4e-0005-4b7a-9c1e-000000000005',
  alex: '6f1c2a4e-0006-4b7a-9c1e-000000000006',
  chris: '6f1c2a4e-0007-4b7a-9c1e-000000000007',
  rosa: '6f1c2a4e-0008-4b7a-9c1e-000000000008',
  morgan: '6f1c2a4e-0009-4b7a-9c1e-000000000009',
  dana: '6f1c2a4e-0010-4b7a-9c1e-000000000010',
} as const;
export type Person = keyof typeof STAFF;

export const TENANT = '11111111-2222-3333-4444-555555555555';

/** Secrets of the shape production asks for, for tests that run with the bot's credentials. */
export const TEST_SECRETS = {
  AUDIT_KEY: 'test-audit-key:Zq8Xv3Lm6Np1Rt4Ws7Yb0KdGh2',
  DOWNLOAD_SIGNING_KEY: 'test-signing-key:Hf2Jg5Mc8Qa1Sx4Ve7Bn0PtLr9',
} as const;

/** The bot as production runs it: single-tenant app credentials, its public address, its secrets. */
export const PRODUCTION_SETTINGS = {
  NODE_ENV: 'production',
  MicrosoftAppId: '3b5e1c2d-0000-4000-8000-00000000b07a',
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: TENANT,
  PUBLIC_BASE_URL: 'https://records.council.test',
  ...TEST_SECRETS,
} as const;

/** A clock the test moves by hand. */
export class TestClock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(iso: string): void {
    this.instant = new Date(iso);
  }
  advanceHours(hours: number): void {
    this.instant = new Date(this.instant.getTime() + hours * 3600_000);
  }
}

export interface InvokeResult {
  status: number;
  body: { statusCode?: number; type?: string; value?: unknown };
}

/**
 * The real bot on a loopback port with a real SQLite file, the demo directory and inventory, a
 * fake Bot Connector, and a fixed clock; sends real Bot Framework activities over HTTP.
 */
const START = '2026-11-26T09:00:00Z';

export class BotHarness {
  readonly connector = new FakeConnector();
  readonly clock = new TestClock(new Date(START));
  app!: App;
  port = 0;
  private dir = '';
  private seq = 0;
  private config: Readonly<Config> | null = null;

  /**
   * Starts afresh (a new database, the clock at the start, no connector calls), also after `stop`;
   * `env` adds or replaces settings (the bot's credentials for production mode).
   */
  async start(env: Record<string, string> = {}): Promise<void> {
    this.clock.set(START);
    this.seq = 0;
    this.logs.length = 0;
    await this.connector.start();
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'cra-bot-'));
    const config = readConfig({
      DATABASE_URL: `sqlite:${path.join(this.dir, 'bot.db')}`,
      AUDIT_HEAD_FILE: path.join(this.dir, 'audit-head.json'),
      LOG_LEVEL: 'silent',
      // Without the bot's credentials the tests run the bot in local mode, asked for by name; with
      // them, it needs an audit key.
      ...(env.MicrosoftAppId ? { AUDIT_KEY: TEST_SECRETS.AUDIT_KEY } : { LOCAL_MODE: 'true' }),
      ...env,
    });
    this.config = config;
    this.app = await this.open(config);
    const options = { today: '2026-11-26', now: () => this.clock.now(), actorId: 'test' };
    await importStaff(this.app.store.db, path.join(REPO_ROOT, 'demo/staff.csv'), options);
    await importInventory(
      this.app.store.db,
      defaultSchedule,
      path.join(REPO_ROOT, 'demo/inventory.csv'),
      options,
    );
    this.port = await this.app.listen(0);
  }

  /** Every line the bot logged (JSON), when started with `logLevel`. */
  readonly logs: Record<string, unknown>[] = [];
  /** Set before `start` to keep the bot's log lines in `logs`. */
  logLevel: 'silent' | 'info' | 'debug' | 'trace' = 'silent';

  private open(config: Readonly<Config>): Promise<App> {
    const log = pino(
      { level: this.logLevel },
      { write: (line: string) => this.logs.push(JSON.parse(line) as Record<string, unknown>) },
    );
    return createApp(config, {
      clock: this.clock,
      log,
      schedule: defaultSchedule,
      timers: false,
    });
  }

  /** Stops the app and starts a new one on the same database (a deploy or a crash and restart). */
  async restart(): Promise<void> {
    await this.app.close();
    this.app = await this.open(this.config!);
    this.port = await this.app.listen(0);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.connector.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  conversationOf(person: Person): string {
    return `personal-${person}`;
  }

  activity(person: Person, fields: Record<string, unknown>): Record<string, unknown> {
    this.seq += 1;
    return {
      id: `act-${this.seq}`,
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      timestamp: this.clock.now().toISOString(),
      from: { id: `29:${person}`, name: person, aadObjectId: STAFF[person] },
      recipient: { id: '28:bot', name: 'Case Records Assistant' },
      conversation: { id: this.conversationOf(person), conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      ...fields,
    };
  }

  async post(
    activity: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> {
    const response = await fetch(`http://127.0.0.1:${this.port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof activity === 'string' ? activity : JSON.stringify(activity),
    });
    return { status: response.status, text: await response.text() };
  }

  /** Sends a chat message; returns the bot's replies in that conversation. */
  async say(person: Person, text: string): Promise<Record<string, unknown>[]> {
    const before = this.connector.sentTo(this.conversationOf(person)).length;
    const { status } = await this.post(this.activity(person, { type: 'message', text }));
    if (status !== 200) throw new Error(`message got HTTP ${status}`);
    return this.connector
      .sentTo(this.conversationOf(person))
      .slice(before)
      .map((c) => c.body);
  }

  /** Presses an Action.Execute button on a card that sits in message `replyToId`. */
  async press(
    person: Person,
    verb: string,
    data: Record<string, unknown>,
    replyToId = 'card-1',
  ): Promise<InvokeResult> {
    const { status, text } = await this.post(
      this.activity(person, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    );
    return { status, body: text ? (JSON.parse(text) as InvokeResult['body']) : {} };
  }

  /** Sends whatever notifications are due. */
  async deliver(): Promise<void> {
    await this.app.dispatcher.runOnce();
  }

  /** Sends notifications until nothing due is left (a run can queue more, e.g. "approver unreachable"). */
  async deliverAll(): Promise<void> {
    for (let i = 0; i < 10; i += 1) if ((await this.app.dispatcher.runOnce()) === 0) return;
    throw new Error('notifications kept coming');
  }

  /** Submits the removal form as `person`; returns the new authorisation's id. */
  async submit(
    person: Person,
    fields: Partial<typeof REQUEST_FORM> = {},
    replyToId = `form-${person}`,
  ): Promise<string> {
    const result = await this.press(person, 'removal.submit', { ...REQUEST_FORM, ...fields }, replyToId);
    const card = result.body.value as Record<string, unknown> | undefined;
    const id = actionsOf(card ?? null).find((a) => typeof a.data.authorisationId === 'string')?.data
      .authorisationId;
    if (result.status !== 200 || typeof id !== 'string')
      throw new Error(`request not made: ${JSON.stringify(result.body).slice(0, 500)}`);
    return id;
  }

  /** Row counts of every table, to show that something changed nothing. */
  async tableCounts(): Promise<Record<string, number>> {
    const tables = await this.app.store.db.introspection.getTables();
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const { n } = await this.app.store.db
        .selectFrom(t.name as 'outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      counts[t.name] = Number(n);
    }
    return counts;
  }

  /**
   * Row counts of the tables that hold what happened (requests, history, audit, notifications,
   * cover, holds, register…): everything but where to reach people, where their cards are, which
   * activities were already handled (every activity from a known person is remembered), and the
   * case lookups counted for the rate limit.
   */
  async stateCounts(): Promise<Record<string, number>> {
    const counts = await this.tableCounts();
    delete counts.card_messages;
    delete counts.batch_card_messages;
    delete counts.conversation_references;
    delete counts.processed_activities;
    // Who looked cases up when, for the rate limit: kept for the hour it counts.
    delete counts.case_lookups;
    return counts;
  }

  /** Outbox rows, optionally of one kind. */
  async outbox(kind?: string) {
    let query = this.app.store.db.selectFrom('outbox').selectAll().orderBy('created_at').orderBy('id');
    if (kind) query = query.where('kind', '=', kind);
    return query.execute();
  }

  /** Audit actions about one entity, oldest first. */
  async auditActions(entityId: string): Promise<string[]> {
    const rows = await this.app.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', entityId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => r.action);
  }

  async history(id: string) {
    return this.app.store.db
      .selectFrom('authorisation_history')
      .selectAll()
      .where('authorisation_id', '=', id)
      .orderBy('version')
      .execute();
  }

  /**
   * Messages the bot sent to `person` (not updates): in their own 1:1 chat, or in a chat the bot
   * created for them (found from the conversation saved for them and the cards sent to them).
   */
  async sentToPerson(person: Person): Promise<Record<string, unknown>[]> {
    const ids = new Set([this.conversationOf(person)]);
    const saved = await this.app.store.db
      .selectFrom('conversation_references')
      .select('reference')
      .where('aad_object_id', '=', STAFF[person])
      .executeTakeFirst();
    const id = saved
      ? (JSON.parse(saved.reference) as { conversation?: { id?: string } }).conversation?.id
      : undefined;
    if (id) ids.add(id);
    const cards = await this.app.store.db
      .selectFrom('card_messages')
      .select('conversation_id')
      .where('recipient_id', '=', STAFF[person])
      .execute();
    cards.forEach((c) => ids.add(c.conversation_id));
    const batchCards = await this.app.store.db
      .selectFrom('batch_card_messages')
      .select('conversation_id')
      .where('recipient_id', '=', STAFF[person])
      .execute();
    batchCards.forEach((c) => ids.add(c.conversation_id));
    return this.connector.calls
      .filter((c) => c.method === 'POST' && c.conversationId !== null && ids.has(c.conversationId))
      .map((c) => c.body);
  }

  async row(id: string) {
    return this.app.store.db
      .selectFrom('removal_authorisations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }
}

export { cardOf };

/** A complete, valid removal form as Sam would send it on 26 November 2026. */
export const REQUEST_FORM = {
  caseRef: '1234567',
  recordIds: '',
  purpose: 'home_working',
  destination: 'Home',
  outOn: '2026-11-26',
  returnOn: '2026-11-27',
  justification: 'To finish the court report',
  acknowledged: 'true',
  unknownCaseConfirmed: 'false',
};

/** Every Action.Execute (verb and data) in a card, including inside ShowCards. */
export function actionsOf(
  card: Record<string, unknown> | null,
): { verb: string; data: Record<string, unknown>; title: string }[] {
  const found: { verb: string; data: Record<string, unknown>; title: string }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute' && typeof n.verb === 'string') {
      found.push({
        verb: n.verb,
        data: (n.data as Record<string, unknown>) ?? {},
        title: typeof n.title === 'string' ? n.title : '',
      });
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'refresh') walk(v);
  };
  walk(card);
  return found;
}

/**
 * All the text in a card, for assertions on what a person reads: text the card renders as markdown
 * as it reads once rendered (its escapes taken out).
 */
export function textOf(card: Record<string, unknown> | null): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    const rendered = n.type === 'TextBlock' || n.type === undefined;
    for (const key of ['text', 'title', 'value'])
      if (typeof n[key] === 'string') parts.push(rendered ? unescapeMarkdown(n[key]) : n[key]);
    for (const v of Object.values(n)) walk(v);
  };
  walk(card);
  return parts.join('\n');
}
