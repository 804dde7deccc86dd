import type { Logger } from 'pino';
import { Recurring } from '../recurring.js';
import type { DirectorySync, SyncResult } from './sync.js';

/** How long after start the server's first sync runs. */
const FIRST_RUN_SECONDS = 10;

/**
 * The server's scheduled directory sync: soon after start, then every `minutes`. Each run is
 * logged with what it changed, in counts (never names); on several instances one runs at a time
 * and the others log that they skipped their turn.
 */
export class DirectorySchedule extends Recurring<SyncResult> {
  constructor(
    private readonly sync: DirectorySync,
    minutes: number,
    log: Logger,
    /** Called after a sync that queued notifications, to send them now. */
    private readonly onNotices: () => void,
  ) {
    super({ firstRunSeconds: FIRST_RUN_SECONDS, minutes }, log, 'directory sync failed');
  }

  protected async runAndLog(): Promise<SyncResult> {
    const started = Date.now();
    const result = await this.sync.run({ trigger: 'schedule' });
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
