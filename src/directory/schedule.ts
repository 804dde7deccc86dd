import type { Logger } from 'pino';
import type { DirectorySync, SyncResult } from './sync.js';

/** How long after start the server's first sync runs. */
const FIRST_RUN_SECONDS = 10;

/**
 * The server's scheduled directory sync: soon after start, then every `minutes`. Each run is
 * logged with what it changed, in counts (never names); on several instances one runs at a time
 * and the others log that they skipped their turn.
 */
export class DirectorySchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SyncResult> | null = null;

  constructor(
    private readonly sync: DirectorySync,
    private readonly minutes: number,
    private readonly log: Logger,
    /** Called after a sync that queued notifications, to send them now. */
    private readonly onNotices: () => void,
  ) {}

  start(): void {
    const tick = () => {
      this.runOnce().catch((error: unknown) => this.log.error({ err: error }, 'directory sync failed'));
    };
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, this.minutes * 60_000);
      this.timer.unref();
    }, FIRST_RUN_SECONDS * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One scheduled sync (a run already going is waited for, not doubled). */
  async runOnce(): Promise<SyncResult> {
    this.running ??= this.sync.run({ trigger: 'schedule' }).finally(() => {
      this.running = null;
    });
    const started = Date.now();
    const result = await this.running;
    const ms = Date.now() - started;
    if (result.failure?.kind === 'busy') {
      this.log.debug('directory sync skipped: another instance is syncing');
    } else if (result.failure) {
      this.log.warn(
        {
          kind: result.failure.kind,
          ...(result.failure.kind === 'refused'
            ? { problems: result.failure.problems.length, first: result.failure.problems.slice(0, 5) }
            : { error: result.failure.message }),
          ms,
        },
        'directory sync changed nothing',
      );
    } else {
      const plan = result.plan!;
      const c = result.consequences!;
      this.log.info(
        {
          read: result.read,
          pages: result.pages,
          users: result.usersRead,
          staff: plan.staff,
          joined: plan.joined.length,
          rejoined: plan.rejoined.length,
          updated: plan.updated.length,
          moved: plan.moved.length,
          left: plan.left.length,
          ...c,
          ms,
        },
        'directory synced',
      );
      if (c.notices) this.onNotices();
    }
    return result;
  }
}
