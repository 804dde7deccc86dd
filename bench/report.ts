import type { BotBenchResult, ScenarioId } from './bot-bench.js';
import { SCENARIOS } from './bot-bench.js';
import type { Dialect, InventoryBenchResult } from './inventory.js';
import type { ProfileShare } from './profile.js';
import { median } from './stats.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** 1-minute load average at the start and the end: other work on the machine skews figures. */
  loadAverage: { start: number; end: number };
}

export interface Goal {
  id: string;
  description: string;
  target: string;
  /** The worst figure of the run against the target. */
  value: number | null;
  unit: string;
  met: boolean | null;
}

export interface BenchResults {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  command: string;
  quick: boolean;
  machine: Machine;
  postgres: string | null;
  bot: BotBenchResult | null;
  inventory: InventoryBenchResult | null;
  /** With --profile: where each bot process spent its CPU time. */
  profiles: Record<string, ProfileShare[]> | null;
  goals: Goal[];
}

export const GOALS = {
  throughput: 0.8,
  p99: 2,
  /** Approve at concurrency 64: p99 in milliseconds, inside what Teams waits for a card action. */
  approveP99Ms: 1000,
  importRatio: 2,
  dueRatio: 1.5,
  rssMb: 300,
};

/** Our bot's process in the bot benchmark, per database. */
const OUR_TARGET: Record<Dialect, string> = { sqlite: 'ours', postgres: 'ours-postgres' };

const DB_LABEL: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** Every goal of the issue, each with the worst figure of the run. */
export function evaluateGoals(bot: BotBenchResult | null, inventory: InventoryBenchResult | null): Goal[] {
  const goals: Goal[] = [];
  const worst = (values: (number | null)[], pick: 'min' | 'max') => {
    const known = values.filter((v): v is number => v !== null);
    if (!known.length) return null;
    return pick === 'min' ? Math.min(...known) : Math.max(...known);
  };
  for (const [db, byScenario] of Object.entries(bot?.ratios ?? {})) {
    const cells = Object.values(byScenario).flatMap((byLevel) => Object.values(byLevel));
    const throughput = worst(
      cells.map((c) => c.throughput),
      'min',
    );
    const p99 = worst(
      cells.map((c) => c.p99),
      'max',
    );
    const label = DB_LABEL[db as Dialect];
    goals.push({
      id: `bot-throughput-${db}`,
      description: `Bot turns per second, ours / echo bot, lowest over (a)(b)(c) × 1, 16, 64 (${label})`,
      target: `≥ ${GOALS.throughput}`,
      value: throughput,
      unit: '×',
      met: throughput === null ? null : throughput >= GOALS.throughput,
    });
    goals.push({
      id: `bot-p99-${db}`,
      description: `Bot p99 latency, ours / echo bot, highest over (a)(b)(c) × 1, 16, 64 (${label})`,
      target: `≤ ${GOALS.p99}`,
      value: p99,
      unit: '×',
      met: p99 === null ? null : p99 <= GOALS.p99,
    });
    const target = OUR_TARGET[db as Dialect];
    const approve = bot?.targets[target]?.approve[String(64)]?.p99Ms ?? null;
    goals.push({
      id: `approve-p99-64-${db}`,
      description: `Approve p99 latency at 64 concurrent approves (${label})`,
      target: `< ${GOALS.approveP99Ms} ms`,
      value: approve,
      unit: 'ms',
      met: approve === null ? null : approve < GOALS.approveP99Ms,
    });
    const rss = bot?.processes[target]?.maxRssMb ?? null;
    goals.push({
      id: `bot-rss-${db}`,
      description: `Peak memory (RSS) of our bot process through the bot benchmark (${label})`,
      target: `< ${GOALS.rssMb} MB`,
      value: rss,
      unit: 'MB',
      met: rss === null ? null : rss < GOALS.rssMb,
    });
  }
  for (const [db, r] of Object.entries(inventory?.dialects ?? {}) as [
    Dialect,
    NonNullable<InventoryBenchResult['dialects'][Dialect]>,
  ][]) {
    const label = DB_LABEL[db];
    goals.push({
      id: `import-ratio-${db}`,
      description: `Import time / bare bulk insert of the same rows (${label})`,
      target: `≤ ${GOALS.importRatio}`,
      value: r.importRatio,
      unit: '×',
      met: r.importRatio === null ? null : r.importRatio <= GOALS.importRatio,
    });
    goals.push({
      id: `due-ratio-${db}`,
      description: `"What is due for destruction" / bare count(*) of records (${label})`,
      target: `≤ ${GOALS.dueRatio}`,
      value: r.dueRatio,
      unit: '×',
      met: r.dueRatio === null ? null : r.dueRatio <= GOALS.dueRatio,
    });
    goals.push({
      id: `import-rss-${db}`,
      description: `Peak memory (RSS) of the importing process (${label})`,
      target: `< ${GOALS.rssMb} MB`,
      value: r.import.peakRssMb,
      unit: 'MB',
      met: r.import.peakRssMb < GOALS.rssMb,
    });
  }
  return goals;
}

const n = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '–'
    : v.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const seconds = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '–' : `${n(ms / 1000, 1)} s`;
const mark = (met: boolean | null) => (met === null ? '–' : met ? 'yes' : '**no**');

function scenarioLabel(id: ScenarioId): string {
  return SCENARIOS.find((s) => s.id === id)!.label;
}

/** The short summary printed at the end of a run. */
export function summaryText(results: BenchResults): string {
  const lines: string[] = [];
  const { bot, inventory } = results;
  if (bot) {
    for (const [db, byScenario] of Object.entries(bot.ratios)) {
      lines.push(`Bot turns, ours (${DB_LABEL[db as Dialect]}) / echo bot: throughput ratio, p99 ratio`);
      for (const scenario of SCENARIOS) {
        const cells = bot.levels.map((level) => {
          const c = byScenario[scenario.id][String(level)]!;
          return `@${level}: ${n(c.throughput, 2)}, ${n(c.p99, 2)}`;
        });
        lines.push(`  ${scenario.id.padEnd(19)} ${cells.join('   ')}`);
      }
    }
  }
  for (const [db, r] of Object.entries(inventory?.dialects ?? {}) as [
    Dialect,
    NonNullable<InventoryBenchResult['dialects'][Dialect]>,
  ][]) {
    lines.push(
      `Inventory of ${n(inventory!.rows)} records on ${DB_LABEL[db]}: import ${seconds(r.import.medianMs)} vs bare insert ${seconds(r.bareInsert.medianMs)} (${n(r.importRatio, 2)}×, in CPU time ${n(r.importCpuRatio, 2)}×); ` +
        `due ${n(r.due.medianMs, 1)} ms vs count(*) ${n(r.count.medianMs, 1)} ms (${n(r.dueRatio, 1)}×); ` +
        `recompute ${seconds(r.recompute.ms)}; import peak RSS ${r.import.peakRssMb} MB`,
    );
  }
  for (const [name, shares] of Object.entries(results.profiles ?? {})) {
    lines.push(
      `CPU of ${name} by package: ${shares
        .slice(0, 8)
        .map((s) => `${s.where} ${s.percent}%`)
        .join(', ')}`,
    );
  }
  lines.push('Goals:');
  for (const goal of results.goals) {
    lines.push(
      `  ${goal.met === null ? '?' : goal.met ? 'met    ' : 'NOT MET'} ${goal.description}: ${n(goal.value, goal.unit === '×' ? 2 : 0)} ${goal.unit} (target ${goal.target})`,
    );
  }
  lines.push(
    `Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}; load average ${results.machine.loadAverage.start} → ${results.machine.loadAverage.end}; ${Math.round(results.durationSeconds)} s in all`,
  );
  return lines.join('\n');
}

/** bench/RESULTS.md: the run's figures as tables, then the notes kept from the previous file. */
export function resultsMarkdown(results: BenchResults, notes: string): string {
  const out: string[] = [];
  const { bot, inventory, machine } = results;
  out.push('# Benchmark results', '');
  out.push(
    `The latest complete run of \`npm run bench\`, written by it: ${results.finishedAt.slice(0, 16).replace('T', ' ')} UTC, ` +
      `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ` +
      `load average ${machine.loadAverage.start} at the start and ${machine.loadAverage.end} at the end` +
      `${results.postgres ? `; PostgreSQL: ${results.postgres}` : ''}. ` +
      `The raw figures, every run of every measure, are in [results/latest.json](results/latest.json); ` +
      `[the README](../README.md#benchmarks) says how to run it and what is compared.`,
    '',
  );
  out.push('## Goals', '', '| goal | target | this run | met |', '| --- | --- | --- | --- |');
  for (const g of results.goals) {
    out.push(
      `| ${g.description} | ${g.target} | ${n(g.value, g.unit === '×' ? 2 : 0)} ${g.unit} | ${mark(g.met)} |`,
    );
  }
  out.push('');

  if (bot) {
    out.push(
      '## 1. Bot turns against the framework floor',
      '',
      `Each cell is the median of ${bot.rounds} interleaved runs of ${Object.entries(bot.requests)
        .map(([c, r]) => `${n(r)} turns at concurrency ${c}`)
        .join(
          ', ',
        )}, after ${bot.warmup} warm-up turns. Latency is from the POST to the reply at the connector (messages) or the response body (invokes).`,
      '',
    );
    const ours = Object.keys(bot.targets).filter((t) => t !== 'echo');
    for (const scenario of SCENARIOS) {
      out.push(`### ${scenarioLabel(scenario.id)}`, '');
      const head = ['concurrency', 'echo turns/s'];
      for (const t of ours) head.push(`${t} turns/s`, 'ratio');
      head.push('echo p50 / p99 ms');
      for (const t of ours) head.push(`${t} p50 / p99 ms`, 'p99 ratio');
      out.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
      for (const level of bot.levels) {
        const echo = bot.targets.echo![scenario.id][String(level)]!;
        const row = [String(level), n(echo.turnsPerSecond)];
        for (const t of ours) {
          const c = bot.targets[t]![scenario.id][String(level)]!;
          const r = bot.ratios[t === 'ours' ? 'sqlite' : 'postgres']![scenario.id][String(level)]!;
          row.push(n(c.turnsPerSecond) + (c.errors ? ` (${c.errors} errors)` : ''), n(r.throughput, 2));
        }
        row.push(`${n(echo.p50Ms, 1)} / ${n(echo.p99Ms, 1)}`);
        for (const t of ours) {
          const c = bot.targets[t]![scenario.id][String(level)]!;
          const r = bot.ratios[t === 'ours' ? 'sqlite' : 'postgres']![scenario.id][String(level)]!;
          row.push(`${n(c.p50Ms, 1)} / ${n(c.p99Ms, 1)}`, n(r.p99, 2));
        }
        out.push(`| ${row.join(' | ')} |`);
      }
      out.push('');
    }
    const targets = Object.keys(bot.targets);
    out.push(
      '### CPU time a turn',
      '',
      'CPU time (user and system) of each bot process over a run, divided by its turns, medians; for our bot including the notifications and card updates its turns queued, which it sends before the next run starts.',
      '',
      `| turn | ${targets.flatMap((t) => bot.levels.map((l) => `${t} @${l} ms`)).join(' | ')} |`,
      `| --- | ${targets.flatMap(() => bot.levels.map(() => '---')).join(' | ')} |`,
    );
    for (const scenario of SCENARIOS) {
      const row = targets.flatMap((t) =>
        bot.levels.map((l) => n(bot.targets[t]![scenario.id][String(l)]?.cpuMsPerTurn, 2)),
      );
      out.push(`| ${scenario.id} | ${row.join(' | ')} |`);
    }
    out.push('');
    out.push(
      `Peak RSS of the bot processes: ${Object.entries(bot.processes)
        .map(([name, s]) => `${name} ${s.maxRssMb} MB`)
        .join(', ')}.`,
      '',
    );
  }

  if (inventory) {
    const dbs = Object.keys(inventory.dialects) as Dialect[];
    const cell = (f: (r: NonNullable<InventoryBenchResult['dialects'][Dialect]>) => string) =>
      dbs.map((d) => f(inventory.dialects[d]!)).join(' | ');
    out.push(
      '## 2. Retention at inventory scale',
      '',
      `A synthetic inventory of ${n(inventory.rows)} records (${n(inventory.csvMb, 1)} MB of CSV, made in ${seconds(inventory.generateMs)}). ` +
        `Import and bare insert: median of ${inventory.runs} interleaved runs, each in a fresh process on a fresh database. ` +
        `Due query and count: median of ${inventory.queryRounds} alternate runs on the imported database, after 5 of each not counted.`,
      '',
      `| measure | ${dbs.map((d) => DB_LABEL[d]).join(' | ')} |`,
      `| --- | ${dbs.map(() => '---').join(' | ')} |`,
      `| cases / holds placed | ${cell((r) => `${n(r.cases)} / ${n(r.holds)}`)} |`,
      `| import (check every row, then write) | ${cell((r) => `${seconds(r.import.medianMs)} (runs: ${r.import.runsMs.map((x) => seconds(x)).join(', ')})`)} |`,
      `| bare bulk insert of the same rows | ${cell((r) => `${seconds(r.bareInsert.medianMs)} (runs: ${r.bareInsert.runsMs.map((x) => seconds(x)).join(', ')})`)} |`,
      `| **import / bare insert** | ${cell((r) => `**${n(r.importRatio, 2)}×**${r.sameRows ? '' : ' (rows differ!)'}`)} |`,
      `| import / bare insert, in CPU time | ${cell((r) => `${n(r.importCpuRatio, 2)}× (${seconds(median(r.import.cpuMs))} / ${seconds(median(r.bareInsert.cpuMs))})`)} |`,
      `| peak RSS of the import process | ${cell((r) => `${r.import.peakRssMb} MB (runs: ${r.import.peakRssMbRuns.join(', ')})`)} |`,
      `| "what is due for destruction" (counts by class and month, first page) | ${cell((r) => `${n(r.due.medianMs, 1)} ms (${n(r.due.total)} due in ${n(r.due.groups)} groups)`)} |`,
      `| bare \`SELECT count(*) FROM records\` | ${cell((r) => `${n(r.count.medianMs, 1)} ms`)} |`,
      `| **due query / count** | ${cell((r) => `**${n(r.dueRatio, 1)}×**`)} |`,
      `| recompute every record after a schedule change | ${cell((r) => `${seconds(r.recompute.ms)} (${n(r.recompute.changed)} changed)`)} |`,
      '',
    );
  }

  out.push(
    '<!-- notes: everything below this line is written by hand and kept when the file is regenerated -->',
    '',
  );
  out.push(notes.trim(), '');
  return out.join('\n');
}

export const NOTES_MARKER =
  '<!-- notes: everything below this line is written by hand and kept when the file is regenerated -->';
