import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { actionsOf, BotHarness, type InvokeResult } from './bot-harness.js';

// The set-up the bot's HTTP tests share: a bot per test or per suite, and reading what it answers.

export type Card = Record<string, unknown>;

export interface UseBotOptions {
  /** Settings (environment variables) the bot starts with. */
  env?: Record<string, string>;
  /** Runs once the bot is up: a request to act on, say. */
  ready?: (bot: BotHarness) => Promise<void>;
}

/**
 * The bot for the tests of the enclosing suite, over real HTTP with its own SQLite database, the
 * demo directory and inventory: a fresh one for each test (`'each'`), or one shared by them all
 * (`'all'`, for tests that change nothing). Started before and stopped after; `bot` is reused.
 */
export function useBot(per: 'each' | 'all', options: UseBotOptions = {}, bot = new BotHarness()): BotHarness {
  const start = async () => {
    await bot.start(options.env);
    await options.ready?.(bot);
  };
  const stop = () => bot.stop();
  if (per === 'each') {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
  }
  return bot;
}

/** The card an `Action.Execute` press was answered with: HTTP 200 and an Adaptive Card. */
export function cardIn(r: InvokeResult): Card {
  expect(r.status).toBe(200);
  expect(r.body.statusCode).toBe(200);
  expect(r.body.type).toBe('application/vnd.microsoft.card.adaptive');
  return r.body.value as Card;
}

/** The verbs of a card's buttons, in order. */
export function verbsOf(card: Card | null): string[] {
  return actionsOf(card).map((a) => a.verb);
}
