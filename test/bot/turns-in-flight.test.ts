import { describe, expect, it } from 'vitest';
import { TurnsInFlight } from '../../src/bot/turns-in-flight.js';

// Work nobody waits on (sending notifications) goes between the turns people wait on: it waits
// for a moment with no turn in hand, but never longer than it is told.

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('turns in flight', () => {
  it('lets background work go at once when no turn is in hand', async () => {
    const turns = new TurnsInFlight();
    const order: string[] = [];
    await turns.quiet(60_000).then(() => order.push('background'));
    expect(order).toEqual(['background']);
    expect(turns.size).toBe(0);
  });

  it('holds background work until the turns in hand are done', async () => {
    const turns = new TurnsInFlight();
    const order: string[] = [];
    const first = deferred();
    const second = deferred();
    const a = turns.run(async () => {
      await first.promise;
      order.push('turn 1');
    });
    const b = turns.run(async () => {
      await second.promise;
      order.push('turn 2');
      return 'answer';
    });
    expect(turns.size).toBe(2);
    const background = turns.quiet(60_000).then(() => order.push('background'));
    first.resolve();
    await a;
    second.resolve();
    expect(await b).toBe('answer');
    await background;
    expect(order).toEqual(['turn 1', 'turn 2', 'background']);
    expect(turns.size).toBe(0);
  });

  it('holds it no longer than it is told while turns keep coming', async () => {
    const turns = new TurnsInFlight();
    const order: string[] = [];
    const busy = deferred();
    const turn = turns.run(async () => {
      await busy.promise;
      order.push('turn');
    });
    await turns.quiet(20).then(() => order.push('background'));
    expect(order).toEqual(['background']);
    busy.resolve();
    await turn;
  });

  it('counts a turn that fails as done', async () => {
    const turns = new TurnsInFlight();
    await expect(turns.run(() => Promise.reject(new Error('turn failed')))).rejects.toThrow('turn failed');
    expect(turns.size).toBe(0);
  });
});
