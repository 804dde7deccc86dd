import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { actionsOf, cardOf, STAFF, textOf, type BotHarness } from '../support/bot-harness.js';
import { cardIn, useBot, verbsOf, type Card } from '../support/bot-tests.js';
import { decideToDestroy, textBlocks } from '../records/helpers.js';

// The chat as people use it, over HTTP: what was read and every doubt shown before anything is
// sent, questions answered and nothing opened, "did you mean" buttons, decisions and recalls
// asked for in words (each checked on a card first), help by role, and filters said back.

const CASE = '1234567';

function only(replies: Record<string, unknown>[]): { text: string; card: Card } {
  expect(replies).toHaveLength(1);
  const card = cardOf(replies[0]!);
  expect(card, JSON.stringify(replies[0]).slice(0, 300)).not.toBeNull();
  return { text: typeof replies[0]!.text === 'string' ? replies[0]!.text : '', card: card! };
}

/** The value of an input in a card, by its id. */
function inputValue(card: Card, id: string): unknown {
  let found: unknown;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && n.id === id) found = n.value ?? '';
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

/** Sam asks for 1234567, Priya approves it (back by 30 November). */
async function approvedRequest(bot: BotHarness): Promise<string> {
  const id = await bot.submit('sam', { returnOn: '2026-11-30' });
  cardIn(await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }, 'priya-card'));
  await bot.deliverAll();
  return id;
}

describe('the chat over HTTP', () => {
  const bot = useBot('each');

  describe('never a silently wrong date', () => {
    it('a request with a doubtful date: the form says what was read from which words, and asks', async () => {
      // Thursday 26 November 2026: "fri 28th" is a Saturday.
      const before = await bot.stateCounts();
      const { text, card } = only(
        await bot.say('sam', `need ${CASE} home tonight for the court report, back fri 28th`),
      );
      const shown = textOf(card);
      expect(shown).toContain('What I read from your message');
      expect(shown).toContain('Home working, from “home”');
      expect(shown).toContain('Thursday 26 November 2026, from “tonight”');
      expect(shown).toContain('Please check the dates:');
      expect(shown).toContain(
        "'back fri 28th': the 28th is a Saturday, not a Friday — did you mean Saturday 28 November or Friday 27 November?",
      );
      expect(text).toContain('Please check the dates');
      // The date in doubt is left for Sam to choose; the rest is filled in.
      expect(inputValue(card, 'returnOn')).toBe('');
      expect(inputValue(card, 'outOn')).toBe('2026-11-26');
      expect(inputValue(card, 'caseRef')).toBe(CASE);
      expect(verbsOf(card)).toEqual(['removal.submit']);
      // Nothing is sent until Sam sends the form.
      expect(await bot.stateCounts()).toEqual(before);
    });

    it('a request with clear dates says what it read, and asks nothing', async () => {
      const { card } = only(await bot.say('sam', `can I take ${CASE} home tonight, back Monday`));
      expect(textOf(card)).toContain('Monday 30 November 2026, from “Monday”');
      expect(textOf(card)).not.toContain('Please check the dates');
      expect(inputValue(card, 'returnOn')).toBe('2026-11-30');
    });

    it('cover until a doubtful date: the dates as buttons, and the one pressed is set', async () => {
      const before = await bot.stateCounts();
      // Friday 11 December agrees with its weekday: set at once, saying what was read.
      const { card } = only(await bot.say('priya', 'Tom is covering my approvals until fri 11th'));
      expect(textOf(card)).toContain('Last day of cover: Friday 11 December 2026, from “fri 11th”.');
      expect(await bot.stateCounts()).not.toEqual(before);
      // A weekday that disagrees is asked about first.
      const doubtful = only(await bot.say('priya', 'Tom is covering my approvals until thurs 11th'));
      expect(textOf(doubtful.card)).toContain('the 11th is a Friday, not a Thursday');
      const buttons = actionsOf(doubtful.card);
      expect(buttons.map((b) => b.title)).toEqual([
        'Until Friday 11 December 2026',
        'Until Thursday 10 December 2026',
      ]);
      const pressed = cardIn(await bot.press('priya', buttons[1]!.verb, buttons[1]!.data, 'doubt-card'));
      expect(textOf(pressed)).toContain('You chose');
      const acting = await bot.app.store.db
        .selectFrom('acting_managers')
        .selectAll()
        .orderBy('created_at')
        .execute();
      expect(acting.at(-1)).toMatchObject({ acting_manager_id: STAFF.tom, ends_on: '2026-12-10' });
      const told = bot.connector.sentTo('personal-priya').at(-1)!;
      expect(textOf(cardOf(told.body))).toContain('until 10 December 2026 (inclusive)');
    });
  });

  describe('questions are answered and open nothing', () => {
    it.each([
      [
        `can I take ${CASE} home if my manager is off sick?`,
        'Case Retention and Destruction of Records, section P5',
      ],
      ['can I use my work laptop at home?', 'section P4'],
      ['what happens if I lose a file?', 'section P7'],
    ])('%s', async (question, section) => {
      const before = await bot.stateCounts();
      const { card } = only(await bot.say('sam', question));
      expect(textOf(card)).toContain(section);
      expect(verbsOf(card)).toEqual([]);
      expect(await bot.stateCounts()).toEqual(before);
    });

    it('a case retention question with a case number: its status, nothing opened', async () => {
      const before = await bot.stateCounts();
      const { card } = only(await bot.say('jo', 'when will 1600229 be destroyed?'));
      expect(textOf(card)).toContain('1600229');
      expect(verbsOf(card)).toEqual([]);
      expect(await bot.stateCounts()).toEqual(before);
    });

    it('out of domain: a polite answer, nothing opened', async () => {
      const before = await bot.stateCounts();
      const { card } = only(await bot.say('sam', "what's the weather like tomorrow?"));
      expect(textOf(card)).toContain('Sorry, that is outside what I can help with.');
      expect(textOf(card)).toContain('Nothing has been opened or changed.');
      expect(verbsOf(card)).toEqual([]);
      expect(await bot.stateCounts()).toEqual(before);
    });
  });

  it('small talk is answered in kind, and opens nothing', async () => {
    const before = await bot.stateCounts();
    expect(textOf(only(await bot.say('sam', 'thanks!')).card)).toContain('You’re welcome.');
    expect(textOf(only(await bot.say('sam', 'good morning')).card)).toContain('Hello.');
    expect(await bot.stateCounts()).toEqual(before);
  });

  describe('when unsure, ask', () => {
    it('offers the likeliest readings as buttons and what the role can do; pressing one carries it out', async () => {
      const before = await bot.stateCounts();
      const { card } = only(await bot.say('sam', CASE));
      const shown = textOf(card);
      expect(shown).toContain(`I'm not sure what you meant by "${CASE}". Did you mean:`);
      expect(shown).toContain('how long do we keep CP records?');
      expect(shown).not.toContain('Sorry, I did not understand');
      const buttons = actionsOf(card);
      expect(buttons.map((b) => b.verb)).toEqual(['chat.reading', 'chat.reading']);
      const take = buttons.find((b) => b.title.startsWith('Ask to take case 1234567'))!;
      expect(take.data).toEqual({ text: CASE, intent: 'removal.request' });
      expect(await bot.stateCounts()).toEqual(before);

      // Pressed by Sam (identity from the activity): the form follows, as if typed.
      const sent = bot.connector.sentTo('personal-sam').length;
      const pressed = cardIn(await bot.press('sam', take.verb, take.data, 'unsure-card'));
      expect(textOf(pressed)).toContain('You chose');
      const form = bot.connector.sentTo('personal-sam').slice(sent);
      expect(form).toHaveLength(1);
      expect(verbsOf(cardOf(form[0]!.body))).toEqual(['removal.submit']);
      expect(inputValue(cardOf(form[0]!.body)!, 'caseRef')).toBe(CASE);
      expect(await bot.stateCounts()).toEqual(before);
    });

    it('a button is checked like anything typed: a forged one changes nothing', async () => {
      const before = await bot.stateCounts();
      for (const data of [
        { text: CASE, intent: 'removal.nuke' },
        { text: 'x'.repeat(5000), intent: 'removal.request' },
        { text: CASE, intent: 'acting.set', dates: { until: '2026-02-30' } },
        {},
      ]) {
        const pressed = cardIn(await bot.press('sam', 'chat.reading', data));
        expect(textOf(pressed)).toContain('This button could not be read');
      }
      // A reading the presser may not act on is refused by the service, whoever made the button.
      const refused = cardIn(
        await bot.press('sam', 'chat.reading', {
          text: 'show the destruction register',
          intent: 'register.query',
        }),
      );
      expect(textOf(refused)).toContain('You chose');
      expect(textOf(cardOf(bot.connector.sentTo('personal-sam').at(-1)!.body))).toContain(
        'Records Management Service',
      );
      expect(await bot.stateCounts()).toEqual(before);
    });
  });

  describe('decisions and recalls asked for in words, checked on a card', () => {
    it('"approve Sam\'s request for 1234567": that request\'s card with its buttons; nothing decided until pressed', async () => {
      const id = await bot.submit('sam');
      await bot.deliverAll();
      const before = await bot.stateCounts();
      const { text, card } = only(await bot.say('priya', `approve Sam's request for ${CASE}`));
      expect(text).toBe(`Here is Sam Taylor's request for case ${CASE}: check it, then press Approve.`);
      expect(verbsOf(card)).toEqual(['removal.approve', 'removal.decline']);
      expect(await bot.stateCounts()).toEqual(before);
      const approve = actionsOf(card)[0]!;
      cardIn(await bot.press('priya', approve.verb, approve.data));
      expect(await bot.row(id)).toMatchObject({ status: 'approved', decided_by: STAFF.priya });

      // "decline the … one" when nothing is waiting: said, nothing changed.
      const none = only(await bot.say('priya', `decline the ${CASE} one`));
      expect(textOf(none.card)).toContain(`No request for case ${CASE} is waiting for your decision.`);
    });

    it('a case worker asking to approve is told it is for line managers', async () => {
      const { card } = only(await bot.say('jo', `approve Sam's request for ${CASE}`));
      expect(textOf(card)).toMatch(/line managers/);
    });

    it('a recall with an earlier date: checked on a card, then sent; Sam is told the new date; audited', async () => {
      const id = await approvedRequest(bot);
      const before = await bot.stateCounts();
      // Thursday 26 November: "Friday" is the 27th, before the agreed 30th.
      const { card } = only(await bot.say('priya', "pull back Sam's file, going to court Friday"));
      expect(textOf(card)).toContain(`Recall Sam Taylor's records for case ${CASE}?`);
      expect(textOf(card)).toContain('Friday 27 November 2026, from “Friday”');
      expect(inputValue(card, 'returnBy')).toBe('2026-11-27');
      expect(inputValue(card, 'reason')).toBe('going to court Friday');
      expect(await bot.stateCounts()).toEqual(before);

      const send = actionsOf(card)[0]!;
      expect(send.verb).toBe('removal.cancel');
      // A later date than agreed is refused by the rules, and changes nothing.
      const later = cardIn(
        await bot.press('priya', send.verb, { ...send.data, reason: 'court', returnBy: '2026-12-02' }),
      );
      expect(textOf(later)).toContain('a recall can bring that date forward, not put it back');
      expect(await bot.stateCounts()).toEqual(before);

      const sent = cardIn(
        await bot.press('priya', send.verb, {
          ...send.data,
          reason: 'going to court Friday',
          returnBy: '2026-11-27',
        }),
      );
      expect(textOf(sent)).toContain('must come back to the office by 27 November 2026');
      expect(await bot.row(id)).toMatchObject({ status: 'return_requested', return_on: '2026-11-27' });
      await bot.deliverAll();
      const toSam = (await bot.sentToPerson('sam'))
        .map((m) => String(m.text))
        .filter((t) => t.includes('cancelled'));
      expect(toSam).toEqual([
        `Your authorisation for case ${CASE} has been cancelled: going to court Friday. Please bring the records back to the office by 27 November 2026 at the latest.`,
      ]);
      const audit = await bot.app.store.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('entity_id', '=', id)
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['removal.requested', 'removal.approve', 'removal.cancel']);
      expect(JSON.parse(audit[2]!.details)).toMatchObject({
        returnOn: { from: '2026-11-30', to: '2026-11-27' },
      });
      expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });

      // The recall's entry vouches for the new date: putting it back outside the app shows.
      await bot.app.store.db
        .updateTable('removal_authorisations')
        .set({ return_on: '2026-11-30' })
        .where('id', '=', id)
        .execute();
      const tampered = await verifyAudit(bot.app.store.db);
      expect(tampered.ok).toBe(false);
      expect(tampered.rows.problems.join('\n')).toContain(id);
    });

    it('a recall date later than agreed is asked about on the card, not sent', async () => {
      await approvedRequest(bot);
      const { card } = only(await bot.say('priya', `recall ${CASE} from Sam by 3 December, audit`));
      expect(textOf(card)).toContain('a recall can bring that date forward, not put it back');
      expect(inputValue(card, 'returnBy')).toBe('');
    });

    it('"confirm destruction batch DB-…": the batch card with Confirm for another officer; its chooser is told who must', async () => {
      // Looked after child records are reviewed: a decision to destroy comes before any batch.
      expect(await decideToDestroy(bot, 'dana', 'looked-after-child')).not.toEqual([]);
      const created = cardIn(
        await bot.press('morgan', 'destruction.batch.create', {
          classId: 'looked-after-child',
          dueBy: '2026-11-26',
        }),
      );
      const reference = /DB-\d{4}-\d{4}/.exec(textOf(created))![0];
      // Dana is asked to confirm it.
      await bot.deliverAll();
      const before = await bot.stateCounts();
      const dana = only(await bot.say('dana', `confirm destruction batch ${reference}`));
      expect(textOf(dana.card)).toContain(
        'Morgan Ellis chose this batch. Check its records, tick each log held outside this app once you have checked it, then confirm.',
      );
      expect(verbsOf(dana.card)).toContain('destruction.batch.confirm');
      const morgan = only(await bot.say('morgan', `confirm ${reference}`));
      expect(textOf(morgan.card)).toContain(
        'A second Records Management officer must confirm this batch before anything is destroyed (the two-person rule). I have asked Dana Fox.',
      );
      expect(verbsOf(morgan.card)).not.toContain('destruction.batch.confirm');
      expect(await bot.stateCounts()).toEqual(before);
    });

    it('"which records need a review decision?": the review list, led by a summary by class; nothing changed', async () => {
      const before = await bot.stateCounts();
      const { card } = only(await bot.say('morgan', 'which records need a review decision?'));
      expect(textBlocks(card)[0]).toBe('Waiting for a review decision');
      expect(textOf(card)).toContain('Looked after child case record');
      expect(verbsOf(card)).toContain('review.form');
      expect(await bot.stateCounts()).toEqual(before);
    });
  });

  describe('help by role', () => {
    it('each person sees what they can say, and their own work', async () => {
      await bot.submit('sam');
      const sam = textOf(only(await bot.say('sam', 'help')).card);
      expect(sam).toContain('Taking records out of the office');
      expect(sam).toContain('1 of your requests is waiting for a decision.');
      expect(sam).not.toContain('For line managers');
      expect(sam).not.toContain('For the Records Management Service');

      const priya = textOf(only(await bot.say('priya', 'what can you do?')).card);
      expect(priya).toContain('For line managers');
      expect(priya).toContain("approve Sam's request for 1234567");
      expect(priya).toContain('1 request(s) waiting for your decision');
      expect(priya).not.toContain('For the Records Management Service');

      const morgan = textOf(only(await bot.say('morgan', 'help')).card);
      expect(morgan).toContain('For the Records Management Service');
      expect(morgan).toContain('confirm destruction batch DB-2026-0001');
      expect(morgan).toMatch(/\d+ record\(s\) are due for destruction by today\./);
      expect(morgan).toMatch(/\d+ hold\(s\) in force\./);
      expect(morgan).not.toContain('For line managers');
    });
  });

  describe('filters honoured and said back', () => {
    it('a due list narrowed to a class and a date says so', async () => {
      // Looked after child records are reviewed: due for destruction once a decision says destroy.
      expect(await decideToDestroy(bot, 'dana', 'looked-after-child')).not.toEqual([]);
      const { text, card } = only(
        await bot.say('morgan', 'looked after child records due by 26 November 2026'),
      );
      expect(text).toBe(
        'Filtered by: looked after children’s records, due by 26 November 2026.'.replace('’', "'"),
      );
      expect(textOf(card)).toMatch(
        /record\(s\) whose retention ended by 26 November 2026 in Looked after child/,
      );
    });

    it("a manager's team narrowed to a person says so", async () => {
      await bot.submit('sam');
      const { text, card } = only(await bot.say('priya', "anything of Sam's waiting for me?"));
      expect(text).toBe("Filtered by: Sam's.");
      expect(textOf(card)).toContain('Sam Taylor');
    });
  });
});
