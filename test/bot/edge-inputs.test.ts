import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/actions/verbs.js';
import { escapeMarkdown } from '../../src/cards/render.js';
import { BotHarness, cardOf, REQUEST_FORM, textOf } from '../support/bot-harness.js';
import { markdownSinks } from '../support/markdown.js';
import { forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';

// What people type and what cards send back is read once, at the edge, the same on SQLite and
// PostgreSQL: a reason of characters nobody sees is no reason; a version is a whole number, never
// a list, a true or an empty string; a control character (NUL above all, which PostgreSQL cannot
// store) is refused with a sentence naming the field, before any database sees it; and markdown
// typed into a field reaches the next person's card as the text that was typed, never a live link.

/** Characters that show nothing: zero-width space and joiner, blank Braille, a Hangul filler, a soft hyphen. */
const INVISIBLE = '\u200b\u2800 \u3164\u200d\u00ad\u2060';
const LINK = '[Approve here](https://evil.example/approve)';

forEachDialect((dialect) =>
  describe('input read at the edge', () => {
    const bot = new BotHarness();
    let dbs: TestDatabases;
    let id = '';

    beforeAll(async () => {
      dbs = testDatabases(dialect);
      await bot.start(dialect === 'postgres' ? { DATABASE_URL: await dbs.newUrl('edge-inputs') } : {});
      for (const person of ['sam', 'priya', 'morgan'] as const) await bot.say(person, 'hello');
      id = await bot.submit('sam');
      await bot.deliverAll();
    });
    afterAll(async () => {
      await bot.stop();
      await dbs.cleanup();
    });

    it('a decline reason of invisible characters only is no reason: refused, the request stays pending', async () => {
      const before = await bot.stateCounts();
      for (const reason of [INVISIBLE, '\u2800', '\u200b\u200b', '\u0301\u0301', ` ${INVISIBLE}\n`]) {
        const r = await bot.press('priya', VERBS.decline, { authorisationId: id, version: 1, reason });
        expect(r.body.statusCode, JSON.stringify(reason)).toBe(200);
        expect(textOf(r.body.value as Record<string, unknown>), JSON.stringify(reason)).toContain(
          'Please give a reason for declining',
        );
      }
      expect(await bot.stateCounts()).toEqual(before);
      expect((await bot.row(id)).status).toBe('pending');
    });

    it('a hold release reason of invisible characters only is refused, naming the field', async () => {
      const before = await bot.stateCounts();
      const r = await bot.press('morgan', VERBS.holdRelease, {
        holdId: '00000000-0000-4000-8000-000000000001',
        reason: `${INVISIBLE}\u0301`,
      });
      expect(r.status).toBe(200);
      expect(textOf(r.body.value as Record<string, unknown>)).toMatch(/reason/i);
      expect(await bot.stateCounts()).toEqual(before);
    });

    it.each([
      ['a list', [1]],
      ['true', true],
      ['an empty string', ''],
      ['a fraction', 1.5],
      ['a fraction as text', '1.0'],
      ['an exponent', '1e0'],
      ['digits with spaces', ' 1 '],
      ['an object', { valueOf: 1 }],
    ])('a version that is %s is refused and nothing changes', async (_label, version) => {
      const before = await bot.stateCounts();
      const r = await bot.press('priya', VERBS.approve, { authorisationId: id, version });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({
        statusCode: 400,
        value: { message: 'This card is missing the request it belongs to.' },
      });
      expect(await bot.stateCounts()).toEqual(before);
      expect((await bot.row(id)).status).toBe('pending');
    });

    it('a NUL or other control character in any typed field is refused with a sentence naming it, never a failure', async () => {
      const before = await bot.stateCounts();
      const refusals: [string, Promise<{ status: number; body: Record<string, unknown> }>, string][] = [
        [
          'decline reason',
          bot.press('priya', VERBS.decline, { authorisationId: id, version: 1, reason: 'Not\u0000now' }),
          'The reason has a control character in it',
        ],
        [
          'form destination',
          bot.press('sam', VERBS.submit, { ...REQUEST_FORM, destination: 'Home\u0000' }, 'form-nul'),
          'The destination has a control character in it',
        ],
        [
          'form justification',
          bot.press('sam', VERBS.submit, { ...REQUEST_FORM, justification: 'Court\u001b[31m' }, 'form-esc'),
          'The justification has a control character in it',
        ],
        [
          'hold reference',
          bot.press('morgan', VERBS.holdPlace, {
            caseRef: '1234567',
            type: 'litigation',
            reference: 'LIT-\u0000',
            reason: 'A claim',
          }),
          'The reference has a control character in it',
        ],
        [
          'batch cancel reason',
          bot.press('morgan', VERBS.batchCancel, { batchId: 'DB-2026-0001', version: 1, reason: 'x\u0007y' }),
          'The reason has a control character in it',
        ],
      ];
      for (const [label, pending, sentence] of refusals) {
        const r = await pending;
        expect(r.status, label).toBeLessThan(500);
        const said = JSON.stringify(r.body);
        expect(said, label).toContain(sentence);
        expect(said, label).toContain('Nothing was changed.');
        expect(said, label).not.toMatch(/Something went wrong/);
      }
      // A chat message: answered with the same kind of sentence, nothing read from it.
      const [reply] = await bot.say('sam', 'I need to take 1234567 home\u0000 tonight, back tomorrow');
      expect(textOf(cardOf(reply!))).toContain('Your message has a control character in it');
      expect(await bot.stateCounts()).toEqual(before);
      expect((await bot.row(id)).status).toBe('pending');
    });

    it('a broken character (half a surrogate pair) is refused as not valid text', async () => {
      const before = await bot.stateCounts();
      const r = await bot.press('priya', VERBS.decline, {
        authorisationId: id,
        version: 1,
        reason: 'No \ud800',
      });
      expect(r.status).toBeLessThan(500);
      expect(JSON.stringify(r.body)).toContain('The reason is not valid text');
      expect(await bot.stateCounts()).toEqual(before);
    });

    it('markdown typed into the form reaches the manager’s card as text, and is kept exactly as typed', async () => {
      const destination = `${LINK} **now**`;
      const linked = await bot.submit('sam', { caseRef: '1600229', destination }, 'form-link');
      expect((await bot.row(linked)).destination).toBe(destination);
      await bot.deliverAll();
      const cards = (await bot.sentToPerson('priya')).map((b) => cardOf(b)).filter(Boolean);
      const shown = cards.flatMap((c) => markdownSinks(c)).filter((t) => t.includes('Approve here'));
      expect(shown.length).toBeGreaterThan(0);
      for (const text of shown) {
        expect(text).toContain(escapeMarkdown(LINK));
        expect(text).not.toContain(LINK);
        expect(text).not.toContain('**now**');
      }
      // The same request opened by the manager: the card answered with shows it as text too.
      const opened = await bot.press('priya', VERBS.show, { authorisationId: linked });
      const openedText = markdownSinks(opened.body.value).filter((t) => t.includes('Approve here'));
      expect(openedText.length).toBeGreaterThan(0);
      for (const text of openedText) expect(text).not.toContain(LINK);
    });
  }),
);
