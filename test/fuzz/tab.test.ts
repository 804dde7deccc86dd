import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_SET_UP } from '../../src/rules/index.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import type { Dialect } from '../../src/store/connection.js';
import { STAFF, type Person } from '../support/bot-harness.js';
import { forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';
import { signToken, TabHarness } from '../tab/support.js';
import { NASTY_TEXT, Random } from './random.js';

// The tab API's side of the fuzz: thousands of hostile calls, from a fixed seed, over HTTP with
// real SSO tokens, on SQLite and on PostgreSQL: bodies of every wrong shape and type, route
// parameters and queries with control characters, invisible characters and markdown, action names
// after object methods, versions of the wrong type, reasons nobody can see on an action that would
// otherwise go through, and callers outside the staff directory. Expectation: never a 5xx, every
// refusal says why, anyone outside the directory gets the one sentence and nothing else, and no
// record changes.

const SEED = 20261203;
/** Calls per database; with the activity fuzz, over 10,000 inputs. */
const CALLS: Record<Dialect, number> = { sqlite: 2500, postgres: 2000 };

type Json = Record<string, unknown>;

interface Call {
  kind: string;
  label: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** A JSON value; with `contentType`, a string sent as it is. */
  body?: unknown;
  contentType?: string;
  /** Whose token: a person, someone not in the directory, or none. */
  as: Person | 'stranger' | 'nobody';
}

const UNSEEN = [
  '\u200b',
  '\u2800',
  '\u3164',
  '\u200d\u2060',
  '\u00ad',
  '\ufeff',
  '\u0301',
  '\u3000',
  '\u180e',
];
const UNSTORABLE = ['\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\ud800', '\udfff'];
const MARKDOWN = [
  '[Approve here](https://evil.example/approve)',
  '<https://evil.example/x>',
  '**bold** _em_',
  '# heading\n- item',
];
const OBJECT_METHODS = ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];

/** A path segment or query value as a hostile client sends it: a lone surrogate as bytes that are not UTF-8. */
function encodeSegment(text: string): string {
  return text
    .split(/([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/)
    .map((part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

forEachDialect((dialect) =>
  describe('fuzz: hostile calls to the tab API', () => {
    const tab = new TabHarness();
    let dbs: TestDatabases;
    let P = ''; // Sam's request, pending for Priya
    const tokens = new Map<Person | 'stranger', string>();
    let before: Record<string, number>;

    beforeAll(async () => {
      dbs = testDatabases(dialect);
      await tab.start(dialect === 'postgres' ? { DATABASE_URL: await dbs.newUrl('fuzz-tab') } : {});
      P = await tab.request('sam', { caseRef: '1600229' });
      for (const person of Object.keys(STAFF) as Person[]) tokens.set(person, await tab.token(person));
      tokens.set('stranger', await signToken(tab.signingKey, randomUUID(), tab.bot.clock.now()));
      before = await tab.bot.stateCounts();
    });
    afterAll(async () => {
      await tab.stop();
      await dbs.cleanup();
    });

    const r = new Random(SEED);
    const people = Object.keys(STAFF) as Person[];

    function text(): string {
      const k = r.int(10);
      if (k < 3) return r.pick(NASTY_TEXT);
      if (k < 5) return `Not${r.pick(UNSTORABLE)}now`;
      if (k < 6) return r.pick(UNSEEN).repeat(1 + r.int(4));
      if (k < 7) return r.pick(MARKDOWN);
      if (k < 8) return r.junk(1 + r.int(60));
      if (k < 9) return 'x'.repeat(1000 + r.int(5000));
      return r.pick(['', ' ', 'adoption', '1234567', 'LL-400109']);
    }
    function value(depth = 0): unknown {
      switch (r.int(depth > 1 ? 6 : 8)) {
        case 0:
          return null;
        case 1:
          return r.pick([0, 1, -1, 2, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2]);
        case 2:
          return r.chance(0.5);
        case 3:
        case 4:
        case 5:
          return text();
        case 6:
          return Array.from({ length: r.int(3) }, () => value(depth + 1));
        default: {
          const o: Json = {};
          for (let i = r.int(4); i > 0; i--)
            o[r.pick(['action', 'version', 'reason', 'classId', 'dates', 'format', '__proto__', r.junk(3)])] =
              value(depth + 1);
          return o;
        }
      }
    }
    const wrongVersion = () =>
      r.pick<unknown>([
        [1],
        true,
        '',
        '1',
        ' 1',
        '1.0',
        '1e0',
        {},
        null,
        1.5,
        -1,
        0,
        '１',
        [[1]],
        { valueOf: 1 },
      ]);
    const segment = () =>
      encodeSegment(
        r.pick([
          text(),
          P,
          randomUUID(),
          '1234567',
          '..',
          '%2e%2e',
          '__proto__',
          `${P}${r.pick(UNSTORABLE)}`,
          '1234567\u200b',
          'x'.repeat(200),
        ]),
      );

    /** An action on Sam's pending request that must not go through. */
    function action(): Call {
      const as = r.chance(0.85) ? 'priya' : r.pick<Person | 'stranger'>(['sam', 'jo', 'helen', 'stranger']);
      const k = r.int(5);
      let body: unknown;
      let label: string;
      if (k === 0) {
        body = {
          action: r.pick(['decline', 'cancel']),
          version: 1,
          reason: r.pick(UNSEEN).repeat(1 + r.int(3)),
        };
        label = 'a reason nobody can see';
      } else if (k === 1) {
        body = { action: r.pick(['approve', 'decline']), version: 1, reason: `No${r.pick(UNSTORABLE)}` };
        label = 'a control character in the reason';
      } else if (k === 2) {
        body = { action: 'approve', version: wrongVersion() };
        label = 'a version of the wrong type';
      } else if (k === 3) {
        body = { action: r.pick(OBJECT_METHODS), version: 1, reason: 'Because' };
        label = 'an action named after an object method';
      } else {
        body = value();
        label = 'a body of the wrong shape';
      }
      return {
        kind: 'removal action',
        label: `${label} by ${as}`,
        method: 'POST',
        path: `/api/tab/authorisations/${r.chance(0.9) ? P : segment()}/actions`,
        body,
        as,
      };
    }

    /** A Records Management action that must not go through: by someone else, or with what no one can store or see. */
    function rmsAction(): Call {
      const officer = r.chance(0.3);
      const as: Person | 'stranger' = officer
        ? r.pick(['morgan', 'dana'] as const)
        : r.pick<Person | 'stranger'>(['priya', 'sam', 'jo', 'helen', 'alex', 'stranger']);
      const id = r.chance(0.7) ? randomUUID() : segment();
      const unseen = () => r.pick(UNSEEN).repeat(1 + r.int(3));
      const unstorable = () => `No${r.pick(UNSTORABLE)}`;
      const badReason = () => (r.chance(0.5) ? unseen() : unstorable());
      const routes: [string, () => unknown][] = [
        [
          '/api/tab/rms/holds',
          () => ({ caseRef: '1234567', type: 'litigation', reference: 'CL-1', reason: badReason() }),
        ],
        [`/api/tab/rms/holds/${id}/release`, () => ({ reason: r.chance(0.5) ? 'Settled' : badReason() })],
        [`/api/tab/rms/holds/${id}/extend`, () => ({ toldOn: '2026-11-20', extensionReason: badReason() })],
        [
          `/api/tab/rms/holds/${id}/stop-clock`,
          () => ({ stoppedFrom: '2026-11-20', awaiting: unstorable() }),
        ],
        [`/api/tab/rms/holds/${id}/restart-clock`, () => ({ arrivedOn: text() })],
        [
          '/api/tab/rms/blanket-holds',
          () => ({
            type: 'inquiry',
            name: 'An inquiry',
            reference: 'I-1',
            reason: badReason(),
            startsOn: '2026-11-01',
          }),
        ],
        [`/api/tab/rms/blanket-holds/${id}/release`, () => ({ reason: 'Ended' })],
        ['/api/tab/rms/batches', () => ({ classId: unstorable(), dueBy: '2026-11-26' })],
        [
          `/api/tab/rms/batches/${id}/confirm`,
          () => ({ version: r.chance(0.5) ? 1 : wrongVersion(), logFoi: true }),
        ],
        [`/api/tab/rms/batches/${id}/cancel`, () => ({ version: 1, reason: badReason() })],
        [
          '/api/tab/rms/review/decisions',
          () => ({ recordIds: 'LL-400167', expected: 1, decision: 'destroy', reason: badReason() }),
        ],
      ];
      const [path, body] = r.pick(routes);
      return {
        kind: 'records management action',
        label: `${officer ? 'what nobody can store or see' : 'someone outside Records Management'} (${as})`,
        method: 'POST',
        path,
        body: officer || r.chance(0.5) ? body() : value(),
        as,
      };
    }

    function lookup(): Call {
      const k = r.int(4);
      const as = r.chance(0.8) ? r.pick(people) : 'stranger';
      if (k === 0)
        return {
          kind: 'case lookup',
          label: `a case reference by ${as}`,
          method: 'GET',
          path: `/api/tab/retention/cases/${segment()}`,
          as,
        };
      if (k === 1)
        return {
          kind: 'case lookup',
          label: `a request by ${as}`,
          method: 'GET',
          path: `/api/tab/authorisations/${segment()}`,
          as,
        };
      return {
        kind: 'calculation',
        label: `a calculation by ${as}`,
        method: 'POST',
        path: '/api/tab/retention/calculate',
        body: r.chance(0.5)
          ? {
              classId: text(),
              dates: { dateOfBirth: r.pick([text(), '2010-01-01', null, 7]), [text()]: text() },
            }
          : value(),
        as,
      };
    }

    function query(): Call {
      const as = r.chance(0.8) ? r.pick(['morgan', 'dana', 'priya'] as const) : 'stranger';
      const params = new URLSearchParams();
      for (let i = r.int(4); i > 0; i--)
        params.append(
          r.pick(['page', 'dueBy', 'classId', 'caseRef', 'status', '__proto__', 'page']),
          r.pick([text(), '1', '0', '-1', '1.5', '1e2', '2026-02-30', 'released', 'all']),
        );
      const route = r.pick([
        '/api/tab/rms/due',
        '/api/tab/rms/holds',
        '/api/tab/rms/batches',
        '/api/tab/rms/register',
        '/api/tab/rms/review',
        `/api/tab/rms/batches/${segment()}`,
      ]);
      return { kind: 'query', label: `${route} by ${as}`, method: 'GET', path: `${route}?${params}`, as };
    }

    function odd(): Call {
      const k = r.int(5);
      if (k === 0)
        return {
          kind: 'odd request',
          label: 'a body that is not JSON',
          method: 'POST',
          path: r.pick(['/api/tab/retention/calculate', `/api/tab/authorisations/${P}/actions`]),
          body: r.pick(['action=approve&version=1', r.junk(40), '{"action":', 'null', '[]']),
          contentType: r.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']),
          as: 'priya',
        };
      if (k === 1)
        return {
          kind: 'odd request',
          label: 'an export of a format not offered',
          method: 'POST',
          path: '/api/tab/rms/register/export',
          body: { format: r.pick([text(), 'pdf', ['csv'], null]) },
          as: r.pick(['morgan', 'sam', 'stranger'] as const),
        };
      if (k === 2)
        return {
          kind: 'odd request',
          label: 'no token',
          method: r.pick(['GET', 'POST'] as const),
          path: r.pick(['/api/tab/me', '/api/tab/team', `/api/tab/authorisations/${P}/actions`]),
          body: { action: 'approve', version: 1 },
          as: 'nobody',
        };
      return {
        kind: 'odd request',
        label: 'a method or route the API does not have',
        method: r.pick(['PUT', 'DELETE', 'GET', 'POST'] as const),
        path: r.pick([
          `/api/tab/authorisations/${P}`,
          '/api/tab/me/../team',
          `/api/tab/${segment()}`,
          '/api/tab/rms/register/export',
          '/api/tab/requests/mine',
        ]),
        body: r.chance(0.5) ? value() : undefined,
        as: r.pick(people),
      };
    }

    function nextCall(): Call {
      const k = r.next();
      if (k < 0.3) return action();
      if (k < 0.45) return rmsAction();
      if (k < 0.7) return lookup();
      if (k < 0.85) return query();
      return odd();
    }

    it(`${CALLS[dialect]} calls: no 5xx, a reason with every refusal, nothing for strangers, no record changes`, async () => {
      const problems: string[] = [];
      const byStatus = new Map<number, number>();
      const kinds = new Map<string, number>();
      const calls = Array.from({ length: CALLS[dialect] }, nextCall);
      for (const c of calls) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      const started = Date.now();
      const check = async (c: Call) => {
        const token = c.as === 'nobody' ? undefined : tokens.get(c.as);
        const response = await fetch(`${tab.base}${c.path}`, {
          method: c.method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(c.body !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}),
          },
          body:
            c.body === undefined || c.method === 'GET'
              ? undefined
              : typeof c.body === 'string' && c.contentType
                ? c.body
                : JSON.stringify(c.body),
        });
        const text = await response.text();
        byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
        const say = (what: string) =>
          problems.push(
            `${c.method} ${c.path.slice(0, 80)} (${c.label}): ${what} (HTTP ${response.status}) ${text.slice(0, 160)}`,
          );
        if (response.status >= 500) return say('server error');
        if (
          /TypeError|SqliteError|node_modules|\.ts:\d+|invalid byte sequence|unsupported Unicode/.test(text)
        )
          return say('an internal error leaked');
        if (
          c.path.startsWith('/api/tab/') &&
          response.status >= 400 &&
          response.status !== 404 &&
          response.status !== 405
        ) {
          const body = JSON.parse(text) as { error?: unknown; message?: unknown };
          const why = body.error ?? body.message;
          if (typeof why !== 'string' || why.length < 8) return say('a refusal without a reason');
        }
        if (c.as === 'stranger' && response.status !== 404 && response.status !== 405) {
          if (response.status !== 403) return say('someone not in the directory was answered');
          if ((JSON.parse(text) as { error?: string }).error !== NOT_SET_UP)
            return say('someone not in the directory got more than the one sentence');
        }
        if ((c.kind === 'removal action' || c.kind === 'records management action') && response.status < 300)
          return say('an action that must not go through was taken');
      };
      for (let i = 0; i < calls.length; i += 8) await Promise.all(calls.slice(i, i + 8).map(check));

      expect(problems.slice(0, 10)).toEqual([]);
      expect(await tab.bot.stateCounts()).toEqual(before);
      expect((await tab.bot.row(P)).status).toBe('pending');
      expect(await verifyAudit(tab.bot.app.store.db)).toMatchObject({ ok: true });
      const statuses = Object.fromEntries([...byStatus].sort(([a], [b]) => a - b));
      console.log(
        `tab fuzz (${dialect}): tried ${calls.length} calls in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED}): ${JSON.stringify(Object.fromEntries(kinds))}; HTTP statuses ${JSON.stringify(statuses)}; no 5xx, nothing changed`,
      );
    }, 180_000);
  }),
);
