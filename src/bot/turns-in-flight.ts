// The turns this process is handling right now. A person waits on each of them (Teams gives a card
// action a few seconds), so work nobody waits on (sending notifications) goes in the gaps between
// turns: it waits for a moment with no turn in hand, but never longer than it is told, so a long
// busy spell slows it down without stopping it.

export class TurnsInFlight {
  private count = 0;
  private waiting: (() => void)[] = [];

  /** How many turns are being handled now. */
  get size(): number {
    return this.count;
  }

  /** Runs a turn, counted while it runs. */
  async run<T>(turn: () => Promise<T>): Promise<T> {
    this.count += 1;
    try {
      return await turn();
    } finally {
      this.count -= 1;
      if (this.count === 0) this.release();
    }
  }

  /** Resolves when no turn is in hand, or after `maxWaitMs` at the latest. */
  quiet(maxWaitMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting = this.waiting.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.waiting.push(done);
    });
  }

  private release(): void {
    // After the turn's own last steps (its response on its way), not in the middle of them.
    setImmediate(() => {
      if (this.count > 0) return;
      for (const done of [...this.waiting]) done();
    });
  }
}
