import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHANGES, demoGraphSettings, LEE_GRANT, seedDemoTenant } from '../../scripts/demo-tenant.js';
import { actionsOf, cardOf, STAFF, textOf } from '../support/bot-harness.js';
import { FakeGraph } from '../support/fake-graph.js';
import { TabHarness } from '../tab/support.js';

// What a newcomer sees with the demo tenant on the fake Graph: the directory changes, and the
// bot and the tab follow: a mover's request goes to the new manager, a leaver is gone.

const graph = new FakeGraph();
const tab = new TabHarness();
const bot = tab.bot;

beforeAll(async () => {
  await graph.start();
  seedDemoTenant(graph);
  await tab.start(demoGraphSettings(graph.url));
});

afterAll(async () => {
  await tab.stop();
  await graph.stop();
});

const texts = async (person: 'sam' | 'priya' | 'tom' | 'helen') =>
  (await bot.sentToPerson(person)).map((m) => (typeof m.text === 'string' ? m.text : ''));

describe('the demo tenant through the bot and the tab', () => {
  let id: string;

  it('the first sync adds the one person only Entra ID knows', async () => {
    const result = await bot.app.directory!.run({ trigger: 'cli' });
    expect(result.ok).toBe(true);
    expect(result.plan?.joined).toEqual([LEE_GRANT.id]);
    id = await bot.submit('sam');
    await bot.deliverAll();
    expect(
      (await texts('priya')).some((t) => t.startsWith('Sam Taylor asks to take records for case 1234567')),
    ).toBe(true);
  });

  it('a mover: Sam’s request goes to Tom, who is told and sent the card; Priya’s card loses its buttons', async () => {
    DEMO_CHANGES[0]!.apply(graph);
    const result = await bot.app.directory!.run({ trigger: 'cli' });
    expect(result.consequences).toMatchObject({ rerouted: 1 });
    await bot.deliverAll();

    expect(await texts('sam')).toContain(
      "Your line manager is now Tom Hughes, so your request for case 1234567 now waits for Tom Hughes's decision instead of Priya Shah's.",
    );
    expect(await texts('priya')).toContain(
      'Sam Taylor no longer reports to you, so their request for case 1234567 now goes to Tom Hughes. Nothing more is needed from you.',
    );
    const toTom = await bot.sentToPerson('tom');
    expect(toTom.map((m) => m.text)).toContain(
      'Sam Taylor now reports to you. Their request for case 1234567, which was waiting for Priya Shah, is now yours to decide.',
    );
    const tomCard = cardOf(toTom.find((m) => String(m.text).startsWith('Sam Taylor asks'))!);
    expect(actionsOf(tomCard).map((a) => a.verb)).toEqual(['removal.approve', 'removal.decline']);
    const priyaUpdates = bot.connector.calls.filter(
      (c) => c.method === 'PUT' && textOf(cardOf(c.body)).includes('1234567'),
    );
    expect(priyaUpdates.length).toBeGreaterThan(0);
    expect(actionsOf(cardOf(priyaUpdates.at(-1)!.body)).map((a) => a.verb)).not.toContain('removal.approve');

    // The tab: the request is in Tom's team, not in Priya's.
    const tomTeam = await tab.call('GET', '/api/tab/team', { person: 'tom' });
    expect(
      (tomTeam.json.pending as { id: string; can: { canDecide: boolean } }[]).find((a) => a.id === id),
    ).toMatchObject({
      can: { canDecide: true },
    });
    const priyaTeam = await tab.call('GET', '/api/tab/team', { person: 'priya' });
    expect((priyaTeam.json.pending as { id: string }[]).some((a) => a.id === id)).toBe(false);

    // Priya's old card is refused; Tom decides.
    const byPriya = await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 });
    expect(textOf(byPriya.body.value as Record<string, unknown>)).toContain(
      'Only the requester’s line manager, or a manager acting for them, can do that.',
    );
    const byTom = await bot.press('tom', 'removal.approve', { authorisationId: id, version: 1 });
    expect(textOf(byTom.body.value as Record<string, unknown>)).toContain('Approved by Tom Hughes');
  });

  it('a leaver: Priya is no longer staff, in the bot or the tab; her team goes to Helen', async () => {
    const jo = await tab.request('jo');
    DEMO_CHANGES[1]!.apply(graph);
    const result = await bot.app.directory!.run({ trigger: 'cli' });
    expect(result.plan?.left).toEqual([{ id: STAFF.priya, reason: 'disabled' }]);
    await bot.deliverAll();

    const reply = await bot.say('priya', 'any approvals waiting for me?');
    expect(textOf(cardOf(reply[0]!))).toContain('You are not in the staff directory');
    const priyaTab = await tab.call('GET', '/api/tab/team', { person: 'priya' });
    expect(priyaTab.status).toBe(403);

    expect(await texts('helen')).toContain(
      "Priya Shah is no longer in the staff directory. Jo Patel's request for case 1234567 was waiting for them and now comes to you to decide.",
    );
    const helenTeam = await tab.call('GET', '/api/tab/team', { person: 'helen' });
    expect((helenTeam.json.pending as { id: string }[]).map((a) => a.id)).toContain(jo);
  });
});
