// `npm run bench`: how the bot and the retention store perform, each against a floor measured in
// the same run. Prints one JSON object on stdout, and progress and a short summary on stderr. A
// complete run writes bench/results/latest.json and bench/RESULTS.md; a quick or partial run
// writes bench/results/last-run.tmp.json (not committed). See the README's Benchmarks section.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import prettier from 'prettier';
import { runBotBench } from './bot-bench.js';
import { onInterrupt } from './cleanup.js';
import { runInventoryBench, type Dialect } from './inventory.js';
import { summariseProfile } from './profile.js';
import { BenchDatabases, existingServer, startThrowawayCluster, type PostgresServer } from './postgres.js';
import { evaluateGoals, NOTES_MARKER, resultsMarkdown, summaryText, type BenchResults } from './report.js';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

const whole = (name: string) => (value: string) => {
  const number = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError(`${name} must be a whole number from 1.`);
  return number;
};

const program = new Command()
  .name('npm run bench --')
  .description(
    'Benchmarks the bot against a botbuilder echo bot, and the retention store at inventory scale.',
  )
  .option('--rows <n>', 'records in the synthetic inventory', whole('--rows'))
  .option('--quick', 'a small, fast smoke run (20,000 records, few turns); not saved as the latest results')
  .addOption(new Option('--only <part>', 'run one part only').choices(['bot', 'inventory']))
  .option('--pg', 'also on PostgreSQL: DATABASE_URL if it is postgres://…, else a throwaway local cluster')
  .option('--rounds <n>', 'interleaved runs of each bot measurement (median taken)', whole('--rounds'))
  .option('--runs <n>', 'interleaved runs of the import and the bare insert (median taken)', whole('--runs'))
  .option('--profile <dir>', 'write CPU profiles of the bot processes to this folder')
  .option('--out <file>', 'write the JSON here instead (then bench/RESULTS.md is left alone)')
  .option('--render', 'run nothing: rewrite bench/RESULTS.md from bench/results/latest.json')
  .showHelpAfterError();

interface Options {
  rows?: number;
  quick?: boolean;
  only?: 'bot' | 'inventory';
  pg?: boolean;
  rounds?: number;
  runs?: number;
  profile?: string;
  out?: string;
  render?: boolean;
}

const LATEST = path.join(BENCH_DIR, 'results', 'latest.json');

/** Writes bench/RESULTS.md from `results`, keeping the hand-written notes at its end. */
async function writeResultsMarkdown(results: BenchResults): Promise<string> {
  const file = path.join(BENCH_DIR, 'RESULTS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = previous.indexOf(NOTES_MARKER);
  const notes = at === -1 ? '' : previous.slice(at + NOTES_MARKER.length);
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(resultsMarkdown(results, notes), { ...config, filepath: file }));
  return file;
}

function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}

async function main(): Promise<void> {
  program.parse(process.argv);
  const options = program.opts<Options>();
  if (options.render) {
    const file = await writeResultsMarkdown(JSON.parse(readFileSync(LATEST, 'utf8')) as BenchResults);
    process.stderr.write(`[bench] ${path.relative(process.cwd(), file)} rewritten from the latest results\n`);
    return;
  }
  const quick = options.quick === true;
  const started = new Date();
  const loadAtStart = loadAverage();
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

  const envUrl = process.env.DATABASE_URL ?? '';
  const pgFromEnv = /^postgres(ql)?:\/\//.test(envUrl);
  let server: PostgresServer | null = null;
  let databases: BenchDatabases | null = null;
  if (pgFromEnv || options.pg) {
    server = pgFromEnv ? existingServer(envUrl) : await startThrowawayCluster();
    databases = new BenchDatabases(server);
    const [s, d] = [server, databases];
    onInterrupt(async () => {
      await d.dropAll();
      await s.stop();
    });
    log(`PostgreSQL: ${server.description}`);
  }

  const results: BenchResults = {
    schema: 1,
    startedAt: started.toISOString(),
    finishedAt: '',
    durationSeconds: 0,
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    quick,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      node: process.versions.node,
      platform: `${os.platform()} ${os.release()}`,
      loadAverage: { start: loadAtStart, end: 0 },
    },
    postgres: server?.description ?? null,
    bot: null,
    inventory: null,
    profiles: null,
    goals: [],
  };

  try {
    if (options.only !== 'inventory') {
      const requests: Record<number, number> = quick
        ? { 1: 40, 16: 160, 64: 320 }
        : { 1: 200, 16: 640, 64: 1280 };
      results.bot = await runBotBench({
        levels: [1, 16, 64],
        rounds: options.rounds ?? (quick ? 1 : 3),
        requestsFor: (c) => requests[c] ?? c * 20,
        warmup: quick ? 50 : 200,
        postgresUrl: databases ? await databases.create('bot') : null,
        profileDir: options.profile ? path.resolve(options.profile) : null,
        log,
      });
      if (options.profile) {
        results.profiles = {};
        for (const name of Object.keys(results.bot.processes)) {
          results.profiles[name] = summariseProfile(path.resolve(options.profile, name));
        }
      }
    }
    if (options.only !== 'bot') {
      const dialects: Dialect[] = databases ? ['sqlite', 'postgres'] : ['sqlite'];
      results.inventory = await runInventoryBench({
        rows: options.rows ?? (quick ? 20_000 : 1_000_000),
        runs: options.runs ?? (quick ? 1 : 3),
        queryRounds: quick ? 3 : 7,
        holdEvery: 200,
        dialects,
        postgres: databases,
        log,
      });
    }
  } finally {
    await databases?.dropAll();
    await server?.stop();
  }

  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationSeconds = Math.round((finished.getTime() - started.getTime()) / 1000);
  results.machine.loadAverage.end = loadAverage();
  results.goals = evaluateGoals(results.bot, results.inventory);

  const complete = !quick && !options.only && !options.profile && options.rows === undefined;
  const out = options.out
    ? path.resolve(options.out)
    : complete
      ? LATEST
      : path.join(BENCH_DIR, 'results', 'last-run.tmp.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${path.relative(process.cwd(), out)}`);
  if (complete && !options.out) {
    const file = await writeResultsMarkdown(results);
    log(`tables written to ${path.relative(process.cwd(), file)}`);
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
  process.stderr.write(`\n${summaryText(results)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
