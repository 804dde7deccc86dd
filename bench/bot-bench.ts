import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundle, Child, type ChildStats, type Runner } from './child.js';
import { onInterrupt } from './cleanup.js';
import { BenchConnector } from './connector.js';
import { runLevel, type LevelResult, type Turn } from './load-driver.js';
import { REPO_ROOT } from '../src/repo-root.js';
import { STAFF, TENANT, type Person } from './people.js';
import { median, ratio, round } from './stats.js';

/** The three kinds of turn measured. */
export const SCENARIOS = [
  {
    id: 'removal-request',
    label: '(a) removal request message, answered with the pre-filled form',
    kind: 'message',
    person: 'sam',
    text: 'I need to take the file for case 1234567 home tonight to finish the court report, back Friday',
  },
  {
    id: 'approve',
    label: '(b) Approve pressed on a card (adaptiveCard/action invoke)',
    kind: 'invoke',
    person: 'priya',
    text: '',
  },
  {
    id: 'retention-question',
    label: '(c) retention question',
    kind: 'message',
    person: 'morgan',
    text: 'how long do we keep adoption records?',
  },
] as const satisfies readonly {
  id: string;
  label: string;
  kind: Turn['kind'];
  person: Person;
  text: string;
}[];
export type ScenarioId = (typeof SCENARIOS)[number]['id'];

/** What each bot's reply must contain for the turn to count (so an error page is never timed). */
const EXPECT: Record<'echo' | 'ours', Record<ScenarioId, string>> = {
  echo: {
    'removal-request': 'You said:',
    approve: 'Done.',
    'retention-question': 'You said:',
  },
  ours: {
    'removal-request': 'removal.submit',
    approve: 'Approved by Priya Shah',
    'retention-question': 'Adoption',
  },
};

/** One run of one level, and the CPU time the bot process spent on it. */
export interface MeasuredRun extends LevelResult {
  /**
   * CPU time of the bot process (user and system) over the run, a turn; for our bot including
   * the notifications and card updates its turns queued, sent before the next run starts.
   */
  cpuMsPerTurn: number;
}

export interface TargetLevel {
  /** Medians over the rounds. */
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerTurn: number;
  errors: number;
  firstError: string | null;
  runs: MeasuredRun[];
}

export interface BotBenchResult {
  levels: number[];
  rounds: number;
  requests: Record<string, number>;
  warmup: number;
  /** Target name (echo, ours, ours-postgres) → scenario → concurrency → result. */
  targets: Record<string, Record<ScenarioId, Record<string, TargetLevel>>>;
  /** Ours against echo, per database: throughput ratio (ours / echo) and p99 ratio. */
  ratios: Record<
    string,
    Record<ScenarioId, Record<string, { throughput: number | null; p99: number | null }>>
  >;
  processes: Record<string, ChildStats>;
  /** Connector calls that were not a turn's reply (notifications, card updates). */
  otherConnectorCalls: number;
}

interface Target {
  name: string;
  kind: 'echo' | 'ours';
  child: Child;
  approvals: string[];
  nextApproval: number;
}

export interface BotBenchOptions {
  levels: number[];
  rounds: number;
  requestsFor: (concurrency: number) => number;
  warmup: number;
  /** Our bot runs once per database given: sqlite always, postgres when a URL is given. */
  postgresUrl: string | null;
  /** Write a CPU profile of each bot process here (for finding where a turn's time goes). */
  profileDir?: string | null;
  log: (line: string) => void;
}

/** The Node options of `npm start` (package.json), as the bot runs in production. */
export function startOptions(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (pkg.scripts.start ?? '').split(/\s+/).filter((part) => part.startsWith('--'));
}

export async function runBotBench(options: BotBenchOptions): Promise<BotBenchResult> {
  const { levels, rounds, warmup, log } = options;
  const connector = new BenchConnector();
  await connector.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cra-bench-bot-'));
  const targets: Target[] = [];
  const forget = onInterrupt(() => rmSync(dir, { recursive: true, force: true }));
  try {
    // Both bots run as the product runs from its compiled build, by plain Node; profiled, through
    // tsx, so that CPU time is put down to each source file.
    const runners = new Map<string, Runner>();
    const runnerFor = async (file: string, name: string): Promise<Runner> => {
      if (options.profileDir) return { kind: 'tsx' };
      const known = runners.get(file) ?? (await bundle(new URL(file, import.meta.url), name));
      runners.set(file, known);
      return known;
    };
    const start = async (
      name: string,
      kind: Target['kind'],
      file: string,
      env: Record<string, string> = {},
    ) => {
      const child = await Child.start(name, new URL(file, import.meta.url), {
        env: { BENCH_CONNECTOR_URL: connector.url, ...env },
        runner: await runnerFor(file, kind === 'echo' ? 'echo-bot' : 'our-bot'),
        // Our bot with the Node options `npm start` runs it with; the echo bot with Node's own.
        nodeOptions: kind === 'ours' ? startOptions() : [],
        profileDir: options.profileDir ?? null,
      });
      targets.push({ name, kind, child, approvals: [], nextApproval: 0 });
    };
    log('starting the echo bot and our bot');
    await start('echo', 'echo', './echo-bot.ts');
    await start('ours', 'ours', './our-bot.ts', {
      BENCH_DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      BENCH_AUDIT_HEAD_FILE: path.join(dir, 'audit-head.json'),
    });
    if (options.postgresUrl) {
      await start('ours-postgres', 'ours', './our-bot.ts', {
        BENCH_DATABASE_URL: options.postgresUrl,
        BENCH_AUDIT_HEAD_FILE: path.join(dir, 'audit-head-postgres.json'),
      });
    }

    const perRound = levels.reduce((sum, level) => sum + options.requestsFor(level), 0);
    const approvalsNeeded = warmup + rounds * perRound;
    for (const target of targets.filter((t) => t.kind === 'ours')) {
      log(`${target.name}: making ${approvalsNeeded.toLocaleString('en-GB')} pending requests to approve`);
      target.approvals = await target.child.call<string[]>('prepareApprovals', { count: approvalsNeeded });
    }

    const cpuMs = (s: ChildStats) => s.cpuUserMs + s.cpuSystemMs;
    /** A run of one level on one target; our bot then sends what the run queued. */
    const measure = async (target: Target, run: () => Promise<LevelResult>): Promise<MeasuredRun> => {
      const before = await target.child.call<ChildStats>('stats');
      const result = await run();
      if (target.kind === 'ours') await target.child.call<number>('settle');
      const after = await target.child.call<ChildStats>('stats');
      return { ...result, cpuMsPerTurn: round((cpuMs(after) - cpuMs(before)) / result.requests, 2) };
    };

    let seq = 0;
    const turnFor = (target: Target, scenario: (typeof SCENARIOS)[number]) => (): Turn => {
      seq += 1;
      const id = `${target.name}-${scenario.id}-${seq}`;
      const base = {
        id,
        channelId: 'msteams',
        serviceUrl: connector.url,
        timestamp: new Date().toISOString(),
        from: { id: `29:${scenario.person}`, name: scenario.person, aadObjectId: STAFF[scenario.person] },
        recipient: { id: '28:bot', name: 'Case Records Assistant' },
        // The person's one 1:1 chat, as in Teams: however many turns of theirs are in flight,
        // each comes from the chat the bot already knows (a new chat for each would make every
        // turn their first there, and the bot would make what waits for them due again).
        conversation: {
          id: `bench-${scenario.person}`,
          conversationType: 'personal',
          tenantId: TENANT,
        },
        channelData: { tenant: { id: TENANT } },
      };
      const expected = EXPECT[target.kind][scenario.id];
      const expect = (body: string) => body.includes(expected);
      if (scenario.kind === 'message') {
        return { kind: 'message', expect, activity: { ...base, type: 'message', text: scenario.text } };
      }
      const authorisationId =
        target.kind === 'ours'
          ? target.approvals[target.nextApproval++]
          : '00000000-0000-0000-0000-000000000000';
      if (!authorisationId) throw new Error(`${target.name} ran out of pending requests`);
      return {
        kind: 'invoke',
        expect,
        activity: {
          ...base,
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: `card-${seq}`,
          value: {
            action: {
              type: 'Action.Execute',
              verb: 'removal.approve',
              data: { authorisationId, version: 1 },
            },
            trigger: 'manual',
          },
        },
      };
    };

    const results: BotBenchResult['targets'] = {};
    for (const target of targets)
      results[target.name] = {} as Record<ScenarioId, Record<string, TargetLevel>>;
    for (const scenario of SCENARIOS) {
      for (const target of targets) {
        await measure(target, () =>
          runLevel({
            port: target.child.port,
            connector,
            concurrency: 16,
            requests: warmup,
            turn: turnFor(target, scenario),
          }),
        );
      }
      for (const level of levels) {
        const runs = new Map<string, MeasuredRun[]>(targets.map((t) => [t.name, []]));
        for (let r = 0; r < rounds; r++) {
          // Interleaved, and in a different order each round, so drift in the machine's speed
          // falls on every bot alike.
          const order = targets.map((_, i) => targets[(i + r) % targets.length]!);
          for (const target of order) {
            const result = await measure(target, () =>
              runLevel({
                port: target.child.port,
                connector,
                concurrency: level,
                requests: options.requestsFor(level),
                turn: turnFor(target, scenario),
              }),
            );
            runs.get(target.name)!.push(result);
          }
        }
        const line = [`${scenario.id} @${level}:`];
        for (const target of targets) {
          const list = runs.get(target.name)!;
          const summary: TargetLevel = {
            turnsPerSecond: round(median(list.map((x) => x.turnsPerSecond)), 0),
            p50Ms: round(median(list.map((x) => x.p50Ms)), 2),
            p99Ms: round(median(list.map((x) => x.p99Ms)), 2),
            cpuMsPerTurn: round(median(list.map((x) => x.cpuMsPerTurn)), 2),
            errors: list.reduce((sum, x) => sum + x.errors, 0),
            firstError: list.find((x) => x.firstError)?.firstError ?? null,
            runs: list,
          };
          (results[target.name]![scenario.id] ??= {})[String(level)] = summary;
          line.push(
            `${target.name} ${summary.turnsPerSecond}/s p50 ${summary.p50Ms} ms p99 ${summary.p99Ms} ms cpu ${summary.cpuMsPerTurn} ms/turn${summary.errors ? ` (${summary.errors} errors: ${summary.firstError})` : ''};`,
          );
        }
        log(line.join(' '));
      }
    }

    const ratios: BotBenchResult['ratios'] = {};
    for (const target of targets.filter((t) => t.kind === 'ours')) {
      const db = target.name === 'ours' ? 'sqlite' : 'postgres';
      ratios[db] = {} as Record<
        ScenarioId,
        Record<string, { throughput: number | null; p99: number | null }>
      >;
      for (const scenario of SCENARIOS) {
        ratios[db][scenario.id] = {};
        for (const level of levels) {
          const ours = results[target.name]![scenario.id][String(level)]!;
          const echo = results.echo![scenario.id][String(level)]!;
          ratios[db][scenario.id][String(level)] = {
            throughput: ratio(ours.turnsPerSecond, echo.turnsPerSecond),
            p99: ratio(ours.p99Ms, echo.p99Ms),
          };
        }
      }
    }

    const processes: Record<string, ChildStats> = {};
    for (const target of targets) processes[target.name] = await target.child.stop();
    return {
      levels,
      rounds,
      requests: Object.fromEntries(levels.map((l) => [String(l), options.requestsFor(l)])),
      warmup,
      targets: results,
      ratios,
      processes,
      otherConnectorCalls: connector.other,
    };
  } finally {
    for (const target of targets) target.child.kill();
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
    forget();
  }
}
