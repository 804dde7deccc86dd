import { afterAll, beforeAll, expect, it } from 'vitest';
import { BotHarness, STAFF } from '../support/bot-harness.js';

// Someone who uninstalls the app: where the bot reached them in Teams and the card messages sent
// there go at once; the requests, their history and the audit log stay as they were.

const bot = new BotHarness();
beforeAll(async () => {
  await bot.start();
});
afterAll(async () => {
  await bot.stop();
});

const referencesOf = async () =>
  (
    await bot.app.store.db
      .selectFrom('conversation_references')
      .select('aad_object_id')
      .orderBy('aad_object_id')
      .execute()
  ).map((r) => r.aad_object_id);
const cardsFor = async (id: string) =>
  (
    await bot.app.store.db
      .selectFrom('card_messages')
      .select('authorisation_id')
      .where('recipient_id', '=', id)
      .execute()
  ).length;

it('an uninstall removes the person’s conversation reference and card messages, and nothing else', async () => {
  await bot.say('priya', 'hello');
  await bot.say('sam', 'hello');
  const id = await bot.submit('sam');
  await bot.deliverAll();
  expect(await referencesOf()).toEqual([STAFF.priya, STAFF.sam].sort());
  expect(await cardsFor(STAFF.priya)).toBeGreaterThan(0);
  const state = await bot.stateCounts();

  const { status } = await bot.post(bot.activity('priya', { type: 'installationUpdate', action: 'remove' }));
  expect(status).toBe(200);

  expect(await referencesOf()).toEqual([STAFF.sam]);
  expect(await cardsFor(STAFF.priya)).toBe(0);
  expect(await cardsFor(STAFF.sam)).toBeGreaterThan(0);
  expect(await bot.stateCounts()).toEqual(state);
  expect(await bot.auditActions(id)).toEqual(['removal.requested']);
});
