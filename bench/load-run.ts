import type { Kysely } from 'kysely';
import type { AuditReport } from '../src/store/audit-verify.js';
import type { Database } from '../src/store/schema.js';
import { checkWrites, Fleet, makeStaff, Workload } from '../test/support/instances.js';

export interface LoadOptions {
  label: string;
  databaseUrl: string;
  instances: number;
  conversations: number;
  rounds: number;
  verify: (db: Kysely<Database>) => Promise<AuditReport>;
}

export interface LoadResult {
  label: string;
  instances: number;
  conversations: number;
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  byKind: Record<string, { turns: number; p50: number; p99: number }>;
  /** Turns that failed: no connection, 5xx, a wrong answer, a "try again", a refusal. */
  errors: number;
  errorsByOutcome: Record<string, number>;
  acknowledged: { requests: number; decisions: number };
  /** Acknowledged requests or decisions not in the database, and half-written authorisations. */
  lostWrites: number;
  halfWritten: number;
  auditVerified: boolean;
  auditEntries: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** One load run: a fresh database, `instances` bot processes, `conversations` at once. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const managers = Math.max(1, Math.ceil(options.conversations / 10));
  const perManager = Math.ceil(options.conversations / managers);
  const staff = makeStaff(managers, perManager);
  let left = options.conversations;
  const teams = staff.teams.map((t) => {
    const workers = t.workers.slice(0, Math.max(0, Math.min(left, t.workers.length)));
    left -= workers.length;
    return { ...t, workers };
  });
  const fleet = await Fleet.start({
    databaseUrl: options.databaseUrl,
    instances: options.instances,
    staffCsv: staff.csv,
    // Reminders and notifications run as in production, every few seconds, on every instance.
    env: { SWEEP_SECONDS: '5' },
  });
  try {
    const workload = new Workload({ fleet, teams, rounds: options.rounds });
    const started = performance.now();
    await workload.run();
    const seconds = (performance.now() - started) / 1000;
    const writes = await checkWrites(fleet.store, workload.acknowledged);
    const audit = await options.verify(fleet.store.db);
    const outcomes: Record<string, number> = {};
    for (const t of workload.turns)
      if (t.outcome !== 'ok') outcomes[t.outcome] = (outcomes[t.outcome] ?? 0) + 1;
    const byKind: LoadResult['byKind'] = {};
    for (const kind of ['question', 'request', 'decision', 'list'] as const) {
      const ms = workload.turns
        .filter((t) => t.kind === kind)
        .map((t) => t.ms)
        .sort((a, b) => a - b);
      const at = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] ?? 0;
      byKind[kind] = { turns: ms.length, p50: round(at(50)), p99: round(at(99)) };
    }
    const alive = fleet.instances.every((b) => b.alive);
    return {
      label: options.label,
      instances: options.instances,
      conversations: options.conversations,
      turns: workload.turns.length,
      seconds: round(seconds),
      turnsPerSecond: round(workload.turns.length / seconds),
      latencyMs: {
        p50: round(workload.percentile(50)),
        p90: round(workload.percentile(90)),
        p99: round(workload.percentile(99)),
        max: round(workload.percentile(100)),
      },
      byKind,
      errors: workload.turns.filter((t) => t.outcome !== 'ok').length + (alive ? 0 : 1),
      errorsByOutcome: { ...outcomes, ...(alive ? {} : { instanceDied: 1 }) },
      acknowledged: {
        requests: workload.acknowledged.requests.size,
        decisions: workload.acknowledged.decisions.size,
      },
      lostWrites: writes.lostRequests.length + writes.lostDecisions.length,
      halfWritten: writes.halfWritten.length,
      auditVerified: audit.ok,
      auditEntries: audit.entries,
    };
  } finally {
    await fleet.stop();
  }
}
