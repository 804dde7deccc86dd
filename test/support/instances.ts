import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { importInventory } from '../../src/imports/inventory-import.js';
import { importStaff } from '../../src/imports/staff-import.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { systemClock, today } from '../../src/services/clock.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { headFileFor } from './cli.js';
import { FakeConnector } from './fake-connector.js';

// Real bot processes for the multi-instance, fault and load tests: `src/main.ts` started with
// node and the tsx loader, each on a port of its own, all on one database, all replying to one
// fake Bot Connector. Plus the tools to hurt them: kill -9, a database connection that can be
// cut, a connector that can hold a send forever.

/** Port 0 makes the bot pick a free port, which it prints. */
const LISTENING = /listening on http:\/\/[^/\s]+:(\d+)\/api\/messages/;

export interface InstanceOptions {
  databaseUrl: string;
  /** A short name for messages. */
  name?: string;
  /** Further environment (SWEEP_SECONDS, PENDING_REMINDER_HOURS, …). */
  env?: Record<string, string>;
  /** How long to wait for the bot to listen. */
  startTimeoutMs?: number;
}

/** One bot process. */
export class BotInstance {
  private stderr = '';
  private stdout = '';
  readonly exited: Promise<number | null>;
  exitCode: number | null | undefined = undefined;
  port = 0;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve(code);
      });
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-20_000);
    });
    // pino writes its log lines to stdout.
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      this.stdout = (this.stdout + chunk).slice(-20_000);
    });
  }

  static async start(options: InstanceOptions): Promise<BotInstance> {
    // The chain head goes where the command line looks for it (test/support/cli.ts), so a restart
    // and verify-audit both check the chain against it.
    const headFile = headFileFor(options.databaseUrl);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      LOCAL_MODE: 'true',
      DATABASE_URL: options.databaseUrl,
      AUDIT_HEAD_FILE: headFile,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SWEEP_SECONDS: '1',
      ...options.env,
    };
    for (const key of [
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'MicrosoftAppTenantId',
      'ALLOWED_TENANT_IDS',
      'TAB_DEV_IDENTITY',
      'HOST',
    ])
      if (!options.env?.[key]) delete env[key];
    const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', 'src/main.ts'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const instance = new BotInstance(options.name ?? `bot-${child.pid}`, child);
    await instance.waitListening(options.startTimeoutMs ?? 90_000);
    return instance;
  }

  private async waitListening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const m = LISTENING.exec(this.stderr);
      if (m) {
        this.port = Number(m[1]);
        return;
      }
      if (this.exitCode !== undefined) break;
      await sleep(50);
    }
    this.child.kill('SIGKILL');
    throw new Error(`${this.name} did not start:\n${this.log()}`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** The tail of what the process wrote to stderr. */
  log(): string {
    return `${this.stderr.slice(-4000)}${this.stdout.slice(-4000)}`;
  }

  /** kill -9: no shutdown, no flushing, no goodbye. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the graceful stop a deployment does. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  async health(): Promise<number> {
    try {
      const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(5000) });
      return response.status;
    } catch {
      return 0;
    }
  }

  /** POSTs an activity; status 0 means the connection failed (the process is gone). */
  async post(activity: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    return postJson(`${this.url}/api/messages`, activity, headers);
  }
}

export interface HttpResult {
  status: number;
  text: string;
  ms: number;
}

/**
 * A connection per request. (With keep-alive, a socket the bot's server closes after 5 s idle can
 * be picked for the next request at that moment, which then fails: a fault of the test client.)
 */
const agent = new http.Agent({ keepAlive: false, maxSockets: 1024 });

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<HttpResult> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - started }));
        res.on('error', () => resolve({ status: 0, text, ms: performance.now() - started }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, text: error.message, ms: performance.now() - started }));
    req.end(payload);
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `check` is true, polling; throws with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------
// People, data and activities.

export const TENANT = '11111111-2222-3333-4444-555555555555';

/** A staff member as the tests address them. */
export interface Persona {
  key: string;
  aadObjectId: string;
}

/** The demo directory's people (demo/staff.csv). */
export const DEMO: Record<string, Persona> = Object.fromEntries(
  (
    [
      ['helen', 1],
      ['priya', 2],
      ['tom', 3],
      ['sam', 4],
      ['jo', 5],
      ['alex', 6],
      ['chris', 7],
      ['rosa', 8],
      ['morgan', 9],
      ['dana', 10],
    ] as const
  ).map(([key, n]) => [
    key,
    { key, aadObjectId: `6f1c2a4e-${String(n).padStart(4, '0')}-4b7a-9c1e-${String(n).padStart(12, '0')}` },
  ]),
);

/** A made-up directory: `managers` line managers, each with `perManager` case workers. */
export function makeStaff(managers: number, perManager: number): { csv: string; teams: Team[] } {
  const id = (kind: number, n: number) =>
    `7e000000-${String(kind).padStart(4, '0')}-4000-8000-${String(n).padStart(12, '0')}`;
  const lines = ['aad_object_id,display_name,email,roles,line_manager_aad_object_id'];
  const head = id(9, 0);
  lines.push(`${head},Head of Service,head@council.example,line_manager,`);
  const teams: Team[] = [];
  for (let m = 1; m <= managers; m++) {
    const manager: Persona = { key: `m${m}`, aadObjectId: id(1, m) };
    lines.push(`${manager.aadObjectId},Manager ${m},m${m}@council.example,line_manager,${head}`);
    const workers: Persona[] = [];
    for (let w = 1; w <= perManager; w++) {
      const worker: Persona = { key: `w${m}-${w}`, aadObjectId: id(2, m * 1000 + w) };
      lines.push(
        `${worker.aadObjectId},Worker ${m}-${w},w${m}-${w}@council.example,case_worker,${manager.aadObjectId}`,
      );
      workers.push(worker);
    }
    teams.push({ manager, workers });
  }
  return { csv: `${lines.join('\n')}\n`, teams };
}

export interface Team {
  manager: Persona;
  workers: Persona[];
}

/**
 * Opens (and migrates) the database and loads a staff directory and the demo inventory, as an
 * administrator would with the command-line tool before starting the bots.
 */
export async function seedDatabase(databaseUrl: string, staffCsv?: string): Promise<Store> {
  const store = await openReadyStore(databaseUrl, defaultSchedule);
  const options = { today: today(systemClock), now: () => new Date(), actorId: 'test-setup' };
  let staffFile = path.join(REPO_ROOT, 'demo/staff.csv');
  let dir: string | null = null;
  if (staffCsv) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-staff-'));
    staffFile = path.join(dir, 'staff.csv');
    fs.writeFileSync(staffFile, staffCsv);
  }
  try {
    const staff = await importStaff(store.db, staffFile, options);
    if (!staff.ok) throw new Error(`staff import failed: ${JSON.stringify(staff.errors.slice(0, 3))}`);
    const inventory = await importInventory(
      store.db,
      defaultSchedule,
      path.join(REPO_ROOT, 'demo/inventory.csv'),
      options,
    );
    if (!inventory.ok) throw new Error('inventory import failed');
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  return store;
}

/** The demo inventory's case references, in file order. */
export function demoCaseRefs(): string[] {
  const lines = fs
    .readFileSync(path.join(REPO_ROOT, 'demo/inventory.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return [...new Set(lines.map((l) => l.split(',')[1]!))];
}

/** Builds Bot Framework activities as Teams sends them, each with a fresh id. */
export class Activities {
  constructor(private readonly serviceUrl: () => string) {}

  conversationOf(person: Persona): string {
    return `personal-${person.key}`;
  }

  activity(person: Persona, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `act-${randomUUID()}`,
      channelId: 'msteams',
      serviceUrl: this.serviceUrl(),
      timestamp: new Date().toISOString(),
      from: { id: `29:${person.key}`, name: person.key, aadObjectId: person.aadObjectId },
      recipient: { id: '28:bot', name: 'Case Records Assistant' },
      conversation: { id: this.conversationOf(person), conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      ...fields,
    };
  }

  message(person: Persona, text: string): Record<string, unknown> {
    return this.activity(person, { type: 'message', text });
  }

  invoke(
    person: Persona,
    verb: string,
    data: unknown,
    replyToId = `card-${person.key}`,
  ): Record<string, unknown> {
    return this.activity(person, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    });
  }
}

/** A complete, valid removal form for today (Europe/London): out today, back tomorrow. */
export function requestForm(
  caseRef = '1234567',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const day = today(systemClock);
  const next = new Date(`${day}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return {
    caseRef,
    recordIds: '',
    purpose: 'home_working',
    destination: 'Home',
    outOn: day,
    returnOn: next.toISOString().slice(0, 10),
    justification: 'To finish the court report',
    acknowledged: 'true',
    unknownCaseConfirmed: 'false',
    ...extra,
  };
}

export interface InvokeBody {
  statusCode?: number;
  type?: string;
  value?: unknown;
}

export function parseInvoke(result: HttpResult): InvokeBody | null {
  try {
    return JSON.parse(result.text) as InvokeBody;
  } catch {
    return null;
  }
}

/** The authorisation id on a status card (its buttons carry it), if the answer is one. */
export function authorisationIdIn(body: InvokeBody | null): string | null {
  const found = JSON.stringify(body?.value ?? null).match(/"authorisationId":"([0-9a-f-]{36})"/);
  return found?.[1] ?? null;
}

/** All the text of an Adaptive Card (or any JSON), for assertions on what a person reads. */
export function textIn(node: unknown): string {
  const parts: string[] = [];
  const walk = (n: unknown) => {
    if (typeof n === 'string') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') parts.push(o[key]);
    Object.values(o).forEach(walk);
  };
  if (typeof node === 'string') return node;
  walk(node);
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: databases of their own, and a connection that can be cut.

/** Creates a new, empty database on the server `adminUrl` points at; returns its URL. */
export async function createPgDatabase(adminUrl: string, label: string): Promise<string> {
  const name = `${label
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/** Drops a database made by `createPgDatabase`, whoever is still connected. */
export async function dropPgDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // FORCE cannot end a backend of another role (an autovacuum worker that has just started on
    // the database): wait for it to finish and try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        break;
      } catch (error) {
        if (attempt >= 20 || !/must be a member of the role/.test(String(error))) throw error;
        await sleep(250);
      }
    }
  } finally {
    await admin.end();
  }
  fs.rmSync(headFileFor(databaseUrl), { force: true });
}

/**
 * A TCP relay between the bots and PostgreSQL. `cut()` is an outage as the bots see it: every
 * open connection is reset and new ones are dropped at once; `restore()` ends it.
 */
export class DbLink {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  private down = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static forUrl(databaseUrl: string): DbLink {
    const url = new URL(databaseUrl);
    return new DbLink({ host: url.hostname, port: Number(url.port || 5432) });
  }

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      if (this.down) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** The same database URL, through this link. */
  via(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.host = `127.0.0.1:${this.port}`;
    return url.href;
  }

  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

function withoutHost(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const copy: http.OutgoingHttpHeaders = { ...headers };
  delete copy.host;
  return copy;
}

/**
 * Sits between the bots and the fake Bot Connector, passing calls on; `hold(match)` keeps the
 * matching calls waiting, never answered and never passed on, until `dropHeld()` hangs them up:
 * a send that was under way when its instance died.
 */
export class ConnectorGate {
  private server: http.Server | null = null;
  private holding: ((method: string, path: string, body: string) => boolean) | null = null;
  private held: http.ServerResponse[] = [];
  url = '';

  constructor(private readonly target: () => string) {}

  get heldCount(): number {
    return this.held.length;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (this.holding?.(req.method ?? '', req.url ?? '', body)) {
          this.held.push(res);
          res.on('close', () => (this.held = this.held.filter((r) => r !== res)));
          return;
        }
        const upstream = http.request(
          new URL(req.url ?? '/', this.target()),
          { method: req.method, headers: withoutHost(req.headers) },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}/`;
  }

  hold(match: (method: string, path: string, body: string) => boolean): void {
    this.holding = match;
  }

  release(): void {
    this.holding = null;
  }

  dropHeld(): void {
    for (const res of this.held) res.socket?.destroy();
    this.held = [];
  }

  async stop(): Promise<void> {
    this.dropHeld();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

// ---------------------------------------------------------------------------------------------
// A fleet: one database, a fake Bot Connector (behind a gate), and some bot processes.

export interface FleetOptions {
  /** A SQLite file URL, or a PostgreSQL database URL. */
  databaseUrl: string;
  instances: number;
  /** A staff directory CSV; the demo directory when omitted. */
  staffCsv?: string;
  env?: Record<string, string>;
  /** Put the bots' database connections through a link that can be cut (PostgreSQL). */
  cuttable?: boolean;
}

export class Fleet {
  readonly connector = new FakeConnector();
  readonly gate = new ConnectorGate(() => this.connector.url);
  readonly acts = new Activities(() => this.gate.url);
  instances: BotInstance[] = [];
  link: DbLink | null = null;
  store!: Store;

  private constructor(readonly options: FleetOptions) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const fleet = new Fleet(options);
    try {
      await fleet.connector.start();
      await fleet.gate.start();
      fleet.store = await seedDatabase(options.databaseUrl, options.staffCsv);
      if (options.cuttable) {
        fleet.link = DbLink.forUrl(options.databaseUrl);
        await fleet.link.start();
      }
      fleet.instances = await Promise.all(
        Array.from({ length: options.instances }, (_, i) => fleet.launch(String.fromCharCode(65 + i))),
      );
    } catch (error) {
      await fleet.stop();
      throw error;
    }
    return fleet;
  }

  /** The URL the bots use: through the link when there is one. */
  get botDatabaseUrl(): string {
    return this.link ? this.link.via(this.options.databaseUrl) : this.options.databaseUrl;
  }

  launch(name: string, env: Record<string, string> = {}): Promise<BotInstance> {
    return BotInstance.start({
      databaseUrl: this.botDatabaseUrl,
      name,
      env: { ...this.options.env, ...env },
    });
  }

  /** Replaces instance `i` (after a kill or a stop) with a new process on the same database. */
  async restart(i: number): Promise<BotInstance> {
    const old = this.instances[i]!;
    await old.kill();
    const fresh = await this.launch(old.name);
    this.instances[i] = fresh;
    return fresh;
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances.map((b) => b.kill()));
    await this.store?.close();
    await this.link?.stop();
    await this.gate.stop();
    await this.connector.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// A workload: many conversations at once, each a case worker asking a question, making a
// request, their manager deciding it, and the worker checking their requests.

export type TurnOutcome = 'ok' | 'try_again' | 'refused' | 'no_connection' | 'server_error' | 'bad_answer';

export interface TurnRecord {
  kind: 'question' | 'request' | 'decision' | 'list';
  instance: number;
  status: number;
  ms: number;
  outcome: TurnOutcome;
  at: number;
}

export interface WorkloadOptions {
  fleet: Fleet;
  teams: Team[];
  /** Rounds each conversation makes (one request each). */
  rounds: number;
  /** Which instance a turn goes to; by default any live instance, at random. */
  pick?: (turn: number) => number;
  /** Stop starting new turns when this returns true. */
  stopWhen?: () => boolean;
  caseRefs?: string[];
}

/** What the bot acknowledged: requests it said it made, decisions it said it recorded. */
export interface Acknowledged {
  requests: Map<string, string>;
  decisions: Map<string, 'approved' | 'declined'>;
}

const TRY_AGAIN = /try again in a moment/i;
const QUESTIONS = [
  'how long do we keep adoption records?',
  'can I use a memory stick at home?',
  'retention status of case 1234567',
  'how long do we keep foster carer records?',
];

export class Workload {
  readonly turns: TurnRecord[] = [];
  readonly acknowledged: Acknowledged = { requests: new Map(), decisions: new Map() };
  private turnNo = 0;
  private readonly cases: string[];

  constructor(private readonly options: WorkloadOptions) {
    this.cases = options.caseRefs ?? demoCaseRefs();
  }

  /** Like a load balancer: any live instance, at random. */
  private pick(): number {
    this.turnNo += 1;
    if (this.options.pick) return this.options.pick(this.turnNo);
    const live = this.options.fleet.instances.flatMap((b, i) => (b.alive ? [i] : []));
    return live.length ? live[Math.floor(Math.random() * live.length)]! : 0;
  }

  private async turn(
    kind: TurnRecord['kind'],
    activity: Record<string, unknown>,
    judge: (result: HttpResult, body: InvokeBody | null) => TurnOutcome,
  ): Promise<{ result: HttpResult; body: InvokeBody | null; outcome: TurnOutcome }> {
    const instance = this.pick();
    const bot = this.options.fleet.instances[instance]!;
    const result = await bot.post(activity);
    const body = activity.type === 'invoke' ? parseInvoke(result) : null;
    let outcome: TurnOutcome;
    if (result.status === 0) outcome = 'no_connection';
    else if (result.status >= 500) outcome = 'server_error';
    else if (result.status !== 200) outcome = 'bad_answer';
    else if (body && TRY_AGAIN.test(textIn(body.value))) outcome = 'try_again';
    else outcome = judge(result, body);
    this.turns.push({ kind, instance, status: result.status, ms: result.ms, outcome, at: Date.now() });
    return { result, body, outcome };
  }

  private async conversation(worker: Persona, manager: Persona, index: number): Promise<void> {
    const acts = this.options.fleet.acts;
    for (let round = 0; round < this.options.rounds; round++) {
      if (this.options.stopWhen?.()) return;
      await this.turn(
        'question',
        acts.message(worker, QUESTIONS[(index + round) % QUESTIONS.length]!),
        () => 'ok',
      );
      if (this.options.stopWhen?.()) return;
      const caseRef = this.cases[(index * this.options.rounds + round) % this.cases.length]!;
      const request = await this.turn(
        'request',
        acts.invoke(worker, 'removal.submit', requestForm(caseRef), `form-${worker.key}-${round}`),
        (_r, body) => (body?.statusCode === 200 && authorisationIdIn(body) ? 'ok' : 'bad_answer'),
      );
      const id = request.outcome === 'ok' ? authorisationIdIn(request.body) : null;
      if (id) this.acknowledged.requests.set(id, worker.aadObjectId);
      if (this.options.stopWhen?.()) return;
      if (id) {
        const approve = (index + round) % 3 !== 0;
        const decided = approve ? 'approved' : 'declined';
        await this.turn(
          'decision',
          acts.invoke(
            manager,
            approve ? 'removal.approve' : 'removal.decline',
            { authorisationId: id, version: 1, ...(approve ? {} : { reason: 'Not this week, sorry' }) },
            `card-${manager.key}-${id}`,
          ),
          (_r, body) => {
            const text = textIn(body?.value);
            if (body?.statusCode !== 200 || /has changed since|Not changed/.test(text)) return 'refused';
            const ok = approve ? /Approved by/.test(text) : /Declined by/.test(text);
            if (ok) this.acknowledged.decisions.set(id, decided);
            return ok ? 'ok' : 'bad_answer';
          },
        );
      }
      if (this.options.stopWhen?.()) return;
      await this.turn('list', acts.message(worker, 'show my requests'), () => 'ok');
    }
  }

  /** Runs every conversation at once; resolves when all are done. */
  async run(): Promise<void> {
    const all: Promise<void>[] = [];
    let index = 0;
    for (const team of this.options.teams) {
      for (const worker of team.workers) all.push(this.conversation(worker, team.manager, index++));
    }
    await Promise.all(all);
  }

  count(outcome: TurnOutcome): number {
    return this.turns.filter((t) => t.outcome === outcome).length;
  }

  /** Latency percentile (0–100) over the turns that got an answer, in ms. */
  percentile(p: number): number {
    const sorted = this.turns
      .filter((t) => t.status !== 0)
      .map((t) => t.ms)
      .sort((a, b) => a - b);
    if (!sorted.length) return 0;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  }
}

export interface WriteCheck {
  /** Acknowledged requests missing from the database, or not the requester's. */
  lostRequests: string[];
  /** Acknowledged decisions the database does not show. */
  lostDecisions: string[];
  /** Authorisations whose history, audit or notifications do not match their version. */
  halfWritten: string[];
  authorisations: number;
}

/**
 * Compares what the bot acknowledged with what the database holds, and checks every
 * authorisation is whole: a history row and an audit entry per version, its approval request
 * queued.
 */
export async function checkWrites(store: Store, acknowledged: Acknowledged): Promise<WriteCheck> {
  const db = store.db;
  const rows = await db.selectFrom('removal_authorisations').selectAll().execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const history = await db
    .selectFrom('authorisation_history')
    .select(['authorisation_id', 'version'])
    .execute();
  const audit = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'action'])
    .where('entity_type', '=', 'removal_authorisation')
    .execute();
  const requested = await db
    .selectFrom('outbox')
    .select('authorisation_id')
    .where('kind', '=', 'removal.approval_request')
    .execute();
  const count = (list: { id: string | null }[]) => {
    const m = new Map<string, number>();
    for (const { id } of list) if (id) m.set(id, (m.get(id) ?? 0) + 1);
    return m;
  };
  const historyCount = count(history.map((h) => ({ id: h.authorisation_id })));
  const auditCount = count(audit.map((a) => ({ id: a.entity_id })));
  const requestCount = count(requested.map((r) => ({ id: r.authorisation_id })));
  const lostRequests = [...acknowledged.requests]
    .filter(([id, who]) => byId.get(id)?.requester_id !== who)
    .map(([id]) => id);
  const lostDecisions = [...acknowledged.decisions]
    .filter(([id, status]) => byId.get(id)?.status !== status)
    .map(([id]) => id);
  const halfWritten = rows
    .filter(
      (r) =>
        historyCount.get(r.id) !== Number(r.version) ||
        auditCount.get(r.id) !== Number(r.version) ||
        !requestCount.get(r.id),
    )
    .map((r) => r.id);
  return { lostRequests, lostDecisions, halfWritten, authorisations: rows.length };
}
