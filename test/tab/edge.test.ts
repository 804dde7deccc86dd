import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_SET_UP } from '../../src/rules/index.js';
import { STAFF } from '../support/bot-harness.js';
import { forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';
import { signToken, TabHarness, tabRoutes } from './support.js';

// The tab, like the chat, shows case information to members of the staff directory only: anyone
// else (never in it, or a leaver) gets the one sentence on every route. Case lookups count towards
// the same hourly limit as the chat's, and a refused one says when to try again. What the tab
// sends is read at the edge: a reason of invisible characters is none, a version is a JSON whole
// number, and a control character is refused with a sentence (never a 500 on PostgreSQL).

const ROUTES = tabRoutes('00000000-0000-4000-8000-000000000000');

const INVISIBLE = '\u200b\u2800 \u3164\u200d';

forEachDialect((dialect) =>
  describe('the tab at the edge', () => {
    const tab = new TabHarness();
    let dbs: TestDatabases;

    beforeAll(async () => {
      dbs = testDatabases(dialect);
      await tab.start({
        CASE_LOOKUPS_PER_HOUR: '3',
        ...(dialect === 'postgres' ? { DATABASE_URL: await dbs.newUrl('tab-edge') } : {}),
      });
    });
    afterAll(async () => {
      await tab.stop();
      await dbs.cleanup();
    });

    /** Priya sends `body` for a new request of Sam's; the answer, once nothing has changed. */
    const actOnNewRequest = async (body: unknown) => {
      const id = await tab.request('sam', { caseRef: '1600229' });
      const before = await tab.bot.stateCounts();
      const res = await tab.call('POST', `/api/tab/authorisations/${id}/actions`, { person: 'priya' }, body);
      expect(await tab.bot.stateCounts()).toEqual(before);
      expect((await tab.bot.row(id)).status).toBe('pending');
      return { res, id };
    };

    it('someone not in the staff directory gets the one sentence on every route, and nothing else', async () => {
      const token = await signToken(
        tab.signingKey,
        '00000000-0000-4000-8000-000000000999',
        tab.bot.clock.now(),
      );
      const before = await tab.bot.stateCounts();
      for (const [method, path, body] of ROUTES) {
        const res = await tab.call(method, path, { token }, body);
        expect(res.status, path).toBe(403);
        expect(res.json, path).toEqual({ error: NOT_SET_UP });
      }
      expect(await tab.bot.stateCounts()).toEqual(before);
      const lookups = await tab.bot.app.store.db.selectFrom('case_lookups').selectAll().execute();
      expect(lookups).toEqual([]);
    });

    it('case lookups are limited per person, shared with the chat; a refused one says when, with Retry-After', async () => {
      const look = (ref: string) => tab.call('GET', `/api/tab/retention/cases/${ref}`, { person: 'priya' });
      expect((await look('1234567')).status).toBe(200);
      expect((await look('7654321')).status).toBe(404); // not in the inventory: still a lookup
      tab.bot.clock.advanceHours(0.25);
      // The third in the chat.
      const [reply] = await tab.bot.say('priya', 'retention status of case 1600229');
      expect(JSON.stringify(reply)).toContain('Retention status of case 1600229');
      const refused = await look('1234567');
      expect(refused.status).toBe(429);
      expect(refused.json).toEqual({
        code: 'too_many_lookups',
        error:
          'You have looked up 3 cases in the last hour, the most allowed, so I have not looked this one up; you can look up another case from 10:00.',
      });
      expect(refused.headers.get('retry-after')).toBe(String(45 * 60));
      expect(JSON.stringify(refused.json)).not.toContain('Section 47');
      // Someone else is not held back; after the hour, Priya may look again.
      expect((await tab.call('GET', '/api/tab/retention/cases/1234567', { person: 'jo' })).status).toBe(200);
      tab.bot.clock.advanceHours(0.75);
      expect((await look('1234567')).status).toBe(200);
    });

    it('a decline reason of invisible characters only is no reason (422); nothing changes', async () => {
      const { res } = await actOnNewRequest({ action: 'decline', version: 1, reason: INVISIBLE });
      expect(res.status).toBe(422);
      expect(res.json.code).toBe('reason_missing');
    });

    it.each([
      ['a list', [1]],
      ['true', true],
      ['an empty string', ''],
      ['digits as text', '1'],
      ['a fraction', 1.5],
      ['null', null],
    ])('a version that is %s gets 400 and changes nothing', async (_label, version) => {
      const { res } = await actOnNewRequest({ action: 'approve', version });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('bad_request');
    });

    it('a control character is refused with a sentence naming the field, never a 500', async () => {
      const { res: decline, id } = await actOnNewRequest({
        action: 'decline',
        version: 1,
        reason: 'Not\u0000now',
      });
      const before = await tab.bot.stateCounts();
      expect(decline.status).toBe(400);
      expect(decline.json.error).toBe(
        'The reason has a control character in it (such as NUL), which cannot be stored. Nothing was changed.',
      );
      const calculate = await tab.call(
        'POST',
        '/api/tab/retention/calculate',
        { person: 'priya' },
        { classId: 'adoption\u0000', dates: {} },
      );
      expect(calculate.status).toBe(400);
      expect(calculate.json.error).toContain('The record class has a control character in it');
      const due = await tab.call('GET', `/api/tab/rms/due?classId=${encodeURIComponent('x\u0000')}`, {
        person: 'morgan',
      });
      expect(due.status).toBe(400);
      for (const page of ['0', '1.5', '1e2', '-1', 'x']) {
        const res = await tab.call('GET', `/api/tab/rms/due?page=${page}`, { person: 'morgan' });
        expect(res.status, page).toBe(400);
      }
      const path = `/api/tab/authorisations/${encodeURIComponent(`${id}\u0000`)}`;
      expect((await tab.call('GET', path, { person: 'priya' })).status).toBe(404);
      expect(await tab.bot.stateCounts()).toEqual(before);
      expect((await tab.bot.row(id)).status).toBe('pending');
    });

    it('a leaver is refused like anyone outside the directory', async () => {
      await tab.bot.app.store.db
        .updateTable('staff')
        .set({ left_on: '2026-11-20' })
        .where('aad_object_id', '=', STAFF.alex)
        .execute();
      const res = await tab.call('GET', '/api/tab/retention/cases/1234567', { person: 'alex' });
      expect(res.status).toBe(403);
      expect(res.json).toEqual({ error: NOT_SET_UP });
    });
  }),
);
