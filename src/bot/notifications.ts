import type { Logger } from 'pino';
import type { Clock } from '../services/clock.js';
import type { OutboxRow, OutboxStore } from '../store/outbox.js';
import { DeliveryError } from './messenger.js';
import type { TurnsInFlight } from './turns-in-flight.js';

const MAX_ATTEMPTS = 6;
const HOLD_SECONDS = 120;
const BATCH = 25;
/** The longest a send waits for a moment with no turn in hand. */
const MAX_WAIT_FOR_TURNS_MS = 250;

/** Sends one outbox row, by its kind; and what to do when one is given up. */
export interface NotificationSender {
  send(row: OutboxRow): Promise<void>;
  gaveUp(row: OutboxRow): Promise<void>;
}

function backoffSeconds(attempts: number, hint: number | null): number {
  if (hint !== null) return Math.max(1, hint);
  const base = Math.min(2 * 2 ** attempts, 300);
  return base * (0.8 + Math.random() * 0.4);
}

/**
 * Sends what the outbox holds: approval requests, decisions, reminders, and card updates. A row
 * is claimed before it is sent, so two instances never send the same one; a failed send is tried
 * again later with backoff (honouring 429 Retry-After), and given up after a few attempts. Sends go
 * between the turns people are waiting on (`turns`), so a burst of card actions is answered first.
 */
export class NotificationDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly sender: NotificationSender,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly turns: TurnsInFlight,
  ) {}

  /** Sends everything due now; returns how many were handled. One run at a time per process. */
  async runOnce(): Promise<number> {
    // A call during a run asks for another pass; every caller waits until nothing is left that
    // was due when it called.
    this.again = true;
    this.running ??= (async () => {
      let handled = 0;
      while (this.again) {
        this.again = false;
        handled += await this.drain();
      }
      return handled;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Asks for a run soon, outside the current turn, so invoke responses are not held up. */
  kick(): void {
    setImmediate(() => {
      this.runOnce().catch((error: unknown) => this.log.error({ err: error }, 'notification run failed'));
    });
  }

  start(intervalSeconds: number): void {
    this.timer = setInterval(() => this.kick(), intervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      await this.turns.quiet(MAX_WAIT_FOR_TURNS_MS);
      const now = this.clock.now();
      const hold = new Date(now.getTime() + HOLD_SECONDS * 1000).toISOString();
      const rows = await this.outbox.claimDue(now.toISOString(), hold, BATCH);
      for (const [i, row] of rows.entries()) {
        if (i > 0) await this.turns.quiet(MAX_WAIT_FOR_TURNS_MS);
        await this.deliver(row);
        handled += 1;
      }
      if (rows.length < BATCH) return handled;
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const at = () => this.clock.now().toISOString();
    try {
      await this.sender.send(row);
      await this.outbox.markSent(row.id, at());
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(String(error), false);
      const giveUp = failure.permanent || row.attempts + 1 >= MAX_ATTEMPTS;
      const retryAt = giveUp
        ? null
        : new Date(
            this.clock.now().getTime() + backoffSeconds(row.attempts, failure.retryAfterSeconds) * 1000,
          ).toISOString();
      this.log.warn(
        { notification: row.id, kind: row.kind, attempts: row.attempts + 1, giveUp, error: failure.message },
        'notification not delivered',
      );
      await this.outbox.markFailed(row, failure.message, at(), retryAt);
      if (giveUp) await this.sender.gaveUp(row);
    }
  }
}
