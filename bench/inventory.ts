import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticInventory } from '../scripts/generate-inventory.js';
import { REPO_ROOT } from '../src/repo-root.js';
import { bundle, Child, type ChildStats } from './child.js';
import { onInterrupt } from './cleanup.js';
import type { BenchDatabases } from './postgres.js';
import { median, ratio, round } from './stats.js';

export type Dialect = 'sqlite' | 'postgres';

interface Fingerprint {
  records: number;
  withEnd: number;
  permanent: number;
  latestEnd: string | null;
  cases: number;
}

interface TimedRun {
  ms: number;
  cpuMs: number;
  fingerprint: Fingerprint;
}

export interface InventoryDialectResult {
  import: { medianMs: number; runsMs: number[]; cpuMs: number[]; peakRssMb: number; peakRssMbRuns: number[] };
  bareInsert: { medianMs: number; runsMs: number[]; cpuMs: number[] };
  /** Import time / bare insert time (medians). */
  importRatio: number | null;
  /** The same with CPU time, which other work on the machine disturbs less. */
  importCpuRatio: number | null;
  /** The import and the bare insert wrote the same number of records, cases and retention ends. */
  sameRows: boolean;
  cases: number;
  holds: number;
  due: {
    medianMs: number;
    runsMs: number[];
    /** Records due by the benchmark's day, groups (class × month), and the page's held records. */
    total: number;
    groups: number;
    pageSize: number;
    heldOnPage: number;
  };
  count: { medianMs: number; runsMs: number[] };
  /** Due query time / bare count time (medians). */
  dueRatio: number | null;
  recompute: { ms: number; cpuMs: number; checked: number; changed: number };
  queryProcess: ChildStats;
}

export interface InventoryBenchResult {
  rows: number;
  csvMb: number;
  generateMs: number;
  runs: number;
  queryRounds: number;
  holdEvery: number;
  dialects: Partial<Record<Dialect, InventoryDialectResult>>;
}

export interface InventoryBenchOptions {
  rows: number;
  runs: number;
  queryRounds: number;
  /** One case in this many gets a hold. */
  holdEvery: number;
  dialects: Dialect[];
  postgres: BenchDatabases | null;
  log: (line: string) => void;
}

export async function runInventoryBench(options: InventoryBenchOptions): Promise<InventoryBenchResult> {
  const { rows, runs, log } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cra-bench-inventory-'));
  const forget = onInterrupt(() => rmSync(dir, { recursive: true, force: true }));
  const childFile = new URL('./inventory-child.ts', import.meta.url);
  const runner = await bundle(childFile, 'inventory-child');
  const children: Child[] = [];
  const start = async (name: string) => {
    const child = await Child.start(name, childFile, { runner });
    children.push(child);
    return child;
  };
  try {
    const csv = path.join(dir, 'inventory.csv');
    log(`generating a synthetic inventory of ${rows.toLocaleString('en-GB')} records`);
    const started = performance.now();
    await writeSyntheticInventory(rows, csv);
    const generateMs = performance.now() - started;
    const result: InventoryBenchResult = {
      rows,
      csvMb: round(statSync(csv).size / 1048576, 1),
      generateMs: round(generateMs, 0),
      runs,
      queryRounds: options.queryRounds,
      holdEvery: options.holdEvery,
      dialects: {},
    };

    for (const dialect of options.dialects) {
      const newDatabase = async (label: string) => {
        if (dialect === 'sqlite')
          return `sqlite:${path.join(dir, `${label}-${Math.random().toString(36).slice(2)}.db`)}`;
        return options.postgres!.create(label);
      };
      const dropDatabase = async (url: string) => {
        if (dialect === 'sqlite') {
          const file = url.slice('sqlite:'.length);
          for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
        } else await options.postgres!.drop(url);
      };

      // Import and bare insert in turn, each in a fresh process on a fresh database.
      const imports: (TimedRun & { rss: number; imported: number; cases: number })[] = [];
      const bares: TimedRun[] = [];
      let kept: string | null = null;
      for (let r = 0; r < runs; r++) {
        const order: ('import' | 'bare')[] = r % 2 === 0 ? ['import', 'bare'] : ['bare', 'import'];
        for (const what of order) {
          const url = await newDatabase(what);
          const child = await start(`${what}-${dialect}-${r + 1}`);
          const outcome = await child.call<TimedRun & { imported: number; cases: number }>(what, {
            url,
            file: csv,
          });
          const stats = await child.stop();
          log(
            `${dialect} ${what} ${r + 1}/${runs}: ${(outcome.ms / 1000).toFixed(1)} s` +
              (what === 'import' ? `, peak RSS ${stats.maxRssMb} MB` : ''),
          );
          if (what === 'import') {
            imports.push({ ...outcome, rss: stats.maxRssMb });
            if (kept) await dropDatabase(kept);
            kept = url;
          } else await dropDatabase(url);
          if (what === 'bare') bares.push(outcome);
        }
      }

      // The queries, on the last imported database, with the staff directory and some holds. The
      // holds are placed by a process of their own, so the queries are not timed in a heap still
      // collecting the garbage of placing a thousand holds.
      const prepareChild = await start(`prepare-${dialect}`);
      const prepared = await prepareChild.call<{ holds: number }>('prepare', {
        url: kept,
        staffFile: path.join(REPO_ROOT, 'demo/staff.csv'),
        holdEvery: options.holdEvery,
      });
      await prepareChild.stop();
      const queriesChild = await start(`queries-${dialect}`);
      const q = await queriesChild.call<{
        due: number[];
        count: number[];
        total: number;
        groups: number;
        page: number;
        held: number;
      }>('queries', { url: kept, rounds: options.queryRounds });
      log(
        `${dialect} due query: median ${median(q.due).toFixed(1)} ms (${q.total.toLocaleString('en-GB')} due, ${q.groups} groups); count(*): median ${median(q.count).toFixed(1)} ms`,
      );
      log(`${dialect}: recomputing every record's retention after a schedule change`);
      const recompute = await queriesChild.call<{
        ms: number;
        cpuMs: number;
        checked: number;
        changed: number;
      }>('recompute', { url: kept });
      log(
        `${dialect} recompute: ${(recompute.ms / 1000).toFixed(1)} s for ${recompute.checked.toLocaleString('en-GB')} records`,
      );
      const queryProcess = await queriesChild.stop();
      await dropDatabase(kept!);

      const importMs = median(imports.map((x) => x.ms));
      const bareMs = median(bares.map((x) => x.ms));
      const dueMs = median(q.due);
      const countMs = median(q.count);
      const same = (a: Fingerprint, b: Fingerprint) => JSON.stringify(a) === JSON.stringify(b);
      result.dialects[dialect] = {
        import: {
          medianMs: round(importMs, 0),
          runsMs: imports.map((x) => round(x.ms, 0)),
          cpuMs: imports.map((x) => x.cpuMs),
          peakRssMb: Math.max(...imports.map((x) => x.rss)),
          peakRssMbRuns: imports.map((x) => x.rss),
        },
        bareInsert: {
          medianMs: round(bareMs, 0),
          runsMs: bares.map((x) => round(x.ms, 0)),
          cpuMs: bares.map((x) => x.cpuMs),
        },
        importRatio: ratio(importMs, bareMs),
        importCpuRatio: ratio(median(imports.map((x) => x.cpuMs)), median(bares.map((x) => x.cpuMs))),
        sameRows: imports.every((i) => bares.every((b) => same(i.fingerprint, b.fingerprint))),
        cases: imports[0]?.cases ?? 0,
        holds: prepared.holds,
        due: {
          medianMs: round(dueMs, 1),
          runsMs: q.due.map((x) => round(x, 1)),
          total: q.total,
          groups: q.groups,
          pageSize: q.page,
          heldOnPage: q.held,
        },
        count: { medianMs: round(countMs, 1), runsMs: q.count.map((x) => round(x, 1)) },
        dueRatio: ratio(dueMs, countMs),
        recompute: { ...recompute, ms: round(recompute.ms, 0) },
        queryProcess,
      };
    }
    return result;
  } finally {
    for (const child of children) child.kill();
    rmSync(dir, { recursive: true, force: true });
    forget();
  }
}
