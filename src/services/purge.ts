import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import {
  entryFor,
  expiryCutoff,
  kindSpec,
  PURGEABLE_KINDS,
  type IsoDate,
  type Keep,
  type OwnDataSchedule,
  type PurgeableKind,
} from '../rules/index.js';
import { Recurring } from '../recurring.js';
import { unlessRunningElsewhere } from '../store/dialect.js';
import { keptThoughExpired, purgeBatch, type BatchContext } from '../store/purge.js';
import type { Database } from '../store/schema.js';
import { today, type Clock } from './clock.js';

/** What one kind of data came to in a purge (or would, in a dry run). */
export interface KindPurge {
  kind: PurgeableKind;
  label: string;
  keep: Keep;
  /** Data whose period started before this day has expired; null when the kind is kept permanently. */
  cutoff: IsoDate | null;
  /** Rows removed, by table (`audit_log`: the audit entries that went with them). */
  removed: Record<string, number>;
  /** Transactions it took, each with its own audit entry. */
  batches: number;
  /** Rows that have expired but are kept because they are needed (a hold, a request kept). */
  kept: number;
}

export interface PurgeReport {
  dryRun: boolean;
  /** The day the periods were counted to (Europe/London). */
  today: IsoDate;
  scheduleVersion: string;
  kinds: KindPurge[];
  /** Rows removed in all (audit entries included). */
  total: number;
}

export type PurgeOutcome = { ok: true; report: PurgeReport } | { ok: false; busy: true; message: string };

export interface PurgeOptions {
  /** Work out everything, remove nothing (one transaction, rolled back). */
  dryRun?: boolean;
  /** Who runs it, for the audit log: the schedule or the command line. */
  actorId: string;
  onProgress?: (kind: PurgeableKind, removedSoFar: number) => void;
}

/** How many of a kind's rows one transaction removes at most. */
export const DEFAULT_BATCH_SIZES: Record<PurgeableKind, number> = {
  'removal-requests': 200,
  holds: 500,
  'class-holds': 100,
  'acting-manager-cover': 500,
  notifications: 1000,
  'handled-activities': 2000,
  'conversation-references': 500,
};

/** The advisory lock an instance holds while it purges (PostgreSQL). */
export const PURGE_LOCK = 'case_records_assistant.purge';

/** Thrown to roll a dry run's transaction back once it has worked everything out. */
class DryRun extends Error {
  constructor(readonly report: PurgeReport) {
    super('dry run');
  }
}

/**
 * The purge of the product's own data: whatever the own-data schedule says has expired goes, a
 * batch per transaction, each batch with an audit entry saying what kind of data and how many rows
 * went (and vouching for the removed rows and entries, so the audit chain still verifies).
 * Nothing under a hold, nothing a kept request needs, and nothing the register needs (the
 * register, batches, review decisions and the staff directory are never purged). On several
 * instances one purges at a time; another that tries meanwhile does nothing.
 */
export class PurgeService {
  private running = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly schedule: OwnDataSchedule,
    private readonly batchSizes: Record<PurgeableKind, number> = DEFAULT_BATCH_SIZES,
  ) {}

  async run(options: PurgeOptions): Promise<PurgeOutcome> {
    const busy = (): PurgeOutcome => ({
      ok: false,
      busy: true,
      message: 'Another purge is running; this one removed nothing.',
    });
    if (this.running) return busy();
    this.running = true;
    try {
      return await unlessRunningElsewhere(
        this.db,
        PURGE_LOCK,
        async () => ({ ok: true as const, report: await this.runLocked(options) }),
        busy,
      );
    } finally {
      this.running = false;
    }
  }

  private async runLocked(options: PurgeOptions): Promise<PurgeReport> {
    const day = today(this.clock);
    const at = this.clock.now().toISOString();
    const report: PurgeReport = {
      dryRun: options.dryRun ?? false,
      today: day,
      scheduleVersion: this.schedule.version,
      kinds: [],
      total: 0,
    };
    const purgeAll = async (
      inTransaction: <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>,
      db: Kysely<Database>,
    ) => {
      for (const kind of PURGEABLE_KINDS) {
        const entry = entryFor(this.schedule, kind);
        const spec = kindSpec(kind);
        const cutoff = expiryCutoff(entry.keep, day);
        const result: KindPurge = {
          kind,
          label: spec.label,
          keep: entry.keep,
          cutoff: cutoff?.date ?? null,
          removed: {},
          batches: 0,
          kept: 0,
        };
        report.kinds.push(result);
        if (!cutoff) continue;
        const context: BatchContext = {
          kind,
          cutoff,
          today: day,
          limit: this.batchSizes[kind],
          at,
          actorId: options.actorId,
          details: { keep: entry.keep, scheduleVersion: this.schedule.version },
        };
        for (;;) {
          const batch = await inTransaction((trx) => purgeBatch(trx, context));
          if (!batch) break;
          result.batches += 1;
          for (const [table, n] of Object.entries(batch.removed)) {
            result.removed[table] = (result.removed[table] ?? 0) + n;
            report.total += n;
          }
          options.onProgress?.(
            kind,
            Object.values(result.removed).reduce((a, b) => a + b, 0),
          );
        }
        result.kept = await keptThoughExpired(db, kind, cutoff);
      }
    };
    if (!report.dryRun) {
      await purgeAll((work) => this.db.transaction().execute(work), this.db);
      return report;
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        await purgeAll((work) => work(trx), trx);
        throw new DryRun(report);
      });
    } catch (error) {
      if (error instanceof DryRun) return error.report;
      throw error;
    }
    return report;
  }
}

/** How long after start the server's first purge runs. */
const FIRST_RUN_SECONDS = 60;

/**
 * The server's scheduled purge: a minute after start, then every `minutes`. Each run is logged in
 * counts by kind (never names or references); on several instances one runs at a time and the
 * others skip their turn.
 */
export class PurgeSchedule extends Recurring<PurgeOutcome> {
  constructor(
    private readonly purge: PurgeService,
    minutes: number,
    log: Logger,
  ) {
    super({ firstRunSeconds: FIRST_RUN_SECONDS, minutes }, log, 'purge failed');
  }

  protected async runAndLog(): Promise<PurgeOutcome> {
    const started = Date.now();
    const outcome = await this.purge.run({ actorId: SCHEDULED_PURGE_ACTOR });
    const ms = Date.now() - started;
    if (!outcome.ok) {
      this.log.debug('purge skipped: another instance is purging');
      return outcome;
    }
    const removed = Object.fromEntries(
      outcome.report.kinds.map((k) => [k.kind, Object.values(k.removed).reduce((a, b) => a + b, 0)]),
    );
    const kept = Object.fromEntries(outcome.report.kinds.filter((k) => k.kept).map((k) => [k.kind, k.kept]));
    this.log.info({ removed, kept, total: outcome.report.total, ms }, 'own data purged');
    return outcome;
  }
}

/** Who the scheduled purge acts as in the audit log. */
export const SCHEDULED_PURGE_ACTOR = 'system';
