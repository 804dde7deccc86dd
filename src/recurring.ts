import type { Logger } from 'pino';

/**
 * A job the server runs on a timer: `firstRunSeconds` after start, then every `minutes`. One run
 * at a time on this instance: asking while a run is going waits for that run rather than starting
 * another. `stop` clears the timer and waits for a run that is going. A run that throws is logged
 * as `failure`; the timer carries on.
 */
export abstract class Recurring<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;

  constructor(
    private readonly timing: { firstRunSeconds: number; minutes: number },
    protected readonly log: Logger,
    private readonly failure: string,
  ) {}

  /** One run of the job, logging what it did. */
  protected abstract runAndLog(): Promise<T>;

  start(): void {
    const tick = () => {
      this.runOnce().catch((error: unknown) => this.log.error({ err: error }, this.failure));
    };
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, this.timing.minutes * 60_000);
      this.timer.unref();
    }, this.timing.firstRunSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One run now (one already going is waited for, not doubled). */
  runOnce(): Promise<T> {
    this.running ??= this.runAndLog().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
