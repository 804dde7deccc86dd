import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/actions/verbs.js';
import { MAX_BODY_BYTES } from '../../src/bot/server.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import type { Dialect } from '../../src/store/connection.js';
import { BotHarness, REQUEST_FORM, STAFF, TENANT, textOf, type Person } from '../support/bot-harness.js';
import { forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';
import { NASTY_TEXT, Random } from './random.js';

// Thousands of malformed, forged and hostile activities and card actions, generated from a fixed
// seed, sent over HTTP to the real bot (local mode), on SQLite and on PostgreSQL: bodies, hostile
// headers (Content-Encoding, Transfer-Encoding, Content-Type, lengths that lie, sent byte for byte
// on a raw socket), service URLs off this computer, verbs named after object methods, reasons of
// characters nobody sees and text with control characters on actions that would otherwise go
// through, versions of the wrong type, markdown, questions asked in channels and group chats, and
// people outside the staff directory. Expectation: never a 5xx, the server stays up, a clear answer
// to each, no live markdown link on any card, no case details in a channel, a group chat or for
// anyone outside the directory, and no record changes: every table but where to reach people,
// where their cards are, which activities were seen and the case lookups counted holds exactly
// what it held before.

type Json = Record<string, unknown>;

interface Case {
  /** What kind of input it is, for the counts the test prints. */
  kind: string;
  label: string;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent byte for byte on a socket, for headers a client library would not send as given. */
  raw?: { head: string; body: Buffer };
}

const SEED = 20261126;
/** Cases per database (the same generator and seed on each); with the tab's fuzz, over 10,000. */
const CASES: Record<Dialect, number> = { sqlite: 3500, postgres: 2500 };

/** A team channel and a group chat the bot is in. */
const CHANNEL = '19:records-team@thread.tacv2;messageid=1700000000000';
const GROUP = '19:meeting-group@thread.v2';

/** Verbs named after what every object has: never an action. */
const PROTOTYPE_VERBS = [
  'toString',
  'constructor',
  '__proto__',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];

/** Text that shows nothing: spaces of every width, format characters, fillers, lone combining marks. */
const UNSEEN = [
  '\u200b',
  '\u2800',
  '\u3164',
  '\u115f\u1160',
  '\uffa0',
  '\u200b\u200c\u200d\u2060',
  ' \u00ad ',
  '\ufeff',
  '\u202e\u202c',
  '\u2066\u2069',
  '\u180e',
  '\u0301\u0301',
  '\u034f',
  '\ufe0f',
  '\u3000\u2003\u00a0',
  '\u2028\u2029',
  '\u{e0020}\u{e007f}',
  '\n\t \r\n',
];

/** Text no database should be given: control characters, a broken surrogate. */
const UNSTORABLE = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009b',
  '\ud800',
  '\udc00x',
];

/** Markdown that would be a link, an image, emphasis or a block if a card rendered it. */
const MARKDOWN = [
  '[Approve here](https://evil.example/approve)',
  '![pixel](https://evil.example/p.png)',
  '<https://evil.example/x>',
  '[click](javascript:alert(1))',
  '**urgent** _now_ ~~gone~~ `code`',
  '# Approved\n- by the director',
  '[ref]: https://evil.example/ref',
  '<at>Priya Shah</at>',
  '\\[pre-escaped\\](https://evil.example/e)',
  'a | b\n--- | ---',
];

/** A link, image or autolink that a card would render live (its brackets not escaped). */
const LIVE_LINK = /(?<!\\)\]\(\s*(?:https?|javascript|mailto):|(?<!\\)<(?:https?|javascript):/i;

/** Every string a card renders as markdown (TextBlock text, FactSet titles and values). */
function markdownSinks(node: unknown, found: string[] = [], fact = false): string[] {
  if (Array.isArray(node)) {
    for (const n of node) markdownSinks(n, found, fact);
    return found;
  }
  if (!node || typeof node !== 'object') return found;
  const n = node as Json;
  if (n.type === 'TextBlock' && typeof n.text === 'string') found.push(n.text);
  if (fact) for (const key of ['title', 'value']) if (typeof n[key] === 'string') found.push(n[key]);
  for (const [key, value] of Object.entries(n))
    markdownSinks(value, found, n.type === 'FactSet' && key === 'facts');
  return found;
}

/**
 * Sends a request as raw bytes (it asks for the connection to be closed after the answer);
 * resolves with the status, 0 when the server closed the connection without one.
 */
function rawRequest(port: number, head: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () =>
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0),
        text: data.slice(data.indexOf('\r\n\r\n') + 4),
      }),
    );
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  });
}

/** Things in replies and answers that would mean an internal error leaked out. */
const LEAK = /TypeError|ReferenceError|RangeError|SqliteError|SyntaxError|node_modules|\.ts:\d+|\bat async\b/;

forEachDialect((dialect) =>
  describe('fuzz: malformed and forged activities and card actions', () => {
    const bot = new BotHarness();
    let dbs: TestDatabases;
    let P = ''; // Sam's request, pending (version 1)
    let A = ''; // Jo's request, approved (version 2)
    let D = ''; // Alex's request, declined (version 2)
    let H = ''; // a hold on case 1600229
    let B = ''; // a destruction batch awaiting confirmation, chosen by Morgan
    const replays: { activity: Json; answer: string }[] = [];
    let before: Record<string, number>;
    let snapshot: unknown;

    async function post(activity: Json): Promise<string> {
      const { status, text } = await bot.post(activity);
      if (status !== 200) throw new Error(`fixture: HTTP ${status} ${text.slice(0, 200)}`);
      replays.push({ activity, answer: text });
      return text;
    }
    const invoke = (person: Person, verb: string, data: unknown, replyToId = `card-${person}`) =>
      bot.activity(person, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      });

    async function state() {
      const db = bot.app.store.db;
      return {
        authorisations: await db.selectFrom('removal_authorisations').selectAll().orderBy('id').execute(),
        holds: await db.selectFrom('holds').selectAll().orderBy('id').execute(),
        batches: await db.selectFrom('destruction_batches').selectAll().orderBy('id').execute(),
        items: await db
          .selectFrom('destruction_batch_items')
          .selectAll()
          .orderBy('batch_id')
          .orderBy('record_id')
          .execute(),
        destroyed: await db
          .selectFrom('records')
          .select('record_id')
          .where('destroyed_on', 'is not', null)
          .execute(),
        acting: await db.selectFrom('acting_managers').selectAll().execute(),
        staff: await db.selectFrom('staff').selectAll().orderBy('aad_object_id').execute(),
      };
    }

    beforeAll(async () => {
      dbs = testDatabases(dialect);
      await bot.start(dialect === 'postgres' ? { DATABASE_URL: await dbs.newUrl('fuzz-activities') } : {});
      for (const person of Object.keys(STAFF) as Person[]) await bot.say(person, 'hello');
      const idIn = (text: string) => /"authorisationId":"([0-9a-f-]{36})"/.exec(text)?.[1] ?? '';
      P = idIn(await post(invoke('sam', VERBS.submit, REQUEST_FORM, 'form-sam')));
      A = idIn(await post(invoke('jo', VERBS.submit, { ...REQUEST_FORM, caseRef: '1600229' }, 'form-jo')));
      await post(invoke('priya', VERBS.approve, { authorisationId: A, version: 1 }));
      D = idIn(await post(invoke('alex', VERBS.submit, REQUEST_FORM, 'form-alex')));
      await post(invoke('priya', VERBS.decline, { authorisationId: D, version: 1, reason: 'Not now' }));
      await post(
        invoke('morgan', VERBS.holdPlace, {
          caseRef: '1600229',
          type: 'litigation',
          reference: 'FZ-1',
          reason: 'A claim',
        }),
      );
      await post(invoke('morgan', VERBS.batchCreate, { dueBy: '2026-11-26' }));
      const db = bot.app.store.db;
      H = (await db.selectFrom('holds').select('id').executeTakeFirstOrThrow()).id;
      B = (await db.selectFrom('destruction_batches').select('id').executeTakeFirstOrThrow()).id;
      expect([P, A, D].every(Boolean)).toBe(true);
      await bot.deliverAll();
      before = await bot.stateCounts();
      snapshot = await state();
    });

    afterAll(async () => {
      await bot.stop();
      await dbs.cleanup();
    });

    // ------------------------------------------------------------------------------------------
    // The generator.

    const r = new Random(SEED);
    const people = Object.keys(STAFF) as Person[];
    /** People whose chat messages cannot change anything (no requests, nobody to manage or hold). */
    const harmlessTalkers: Person[] = ['chris', 'alex'];
    const unknownPerson = () => ({ id: `29:${r.junk(5)}`, aadObjectId: randomUUID() });

    function nastyText(): string {
      const k = r.int(10);
      if (k < 5) return r.pick(NASTY_TEXT);
      if (k < 7) return r.junk(1 + r.int(80));
      if (k < 8) return r.pick(NASTY_TEXT).repeat(1 + r.int(400));
      if (k < 9) return 'x'.repeat(1000 + r.int(60_000));
      return `${r.pick(NASTY_TEXT)} case ${r.pick(['1234567', '1600229', '9999999'])}`;
    }

    function anyValue(depth = 0): unknown {
      switch (r.int(depth > 2 ? 7 : 9)) {
        case 0:
          return null;
        case 1:
          return r.int(3) - 1;
        case 2:
          return r.pick([1e308, -0, 0.5, Number.MAX_SAFE_INTEGER + 2]);
        case 3:
          return r.chance(0.5);
        case 4:
        case 5:
          return nastyText();
        case 6:
          return r.pick([P, A, D, H, B, randomUUID(), '']);
        case 7:
          return Array.from({ length: r.int(4) }, () => anyValue(depth + 1));
        default: {
          const o: Json = {};
          for (let i = r.int(4); i > 0; i--)
            o[r.pick(['id', 'type', 'verb', 'data', 'action', 'text', '__proto__', r.junk(4)])] = anyValue(
              depth + 1,
            );
          return o;
        }
      }
    }

    const version = () =>
      r.pick<unknown>([0, 1, 2, 3, 99, -1, '1', ' 2 ', 'latest', null, [2], true, 1.5, 1e9, {}]);
    const idLike = () =>
      r.pick<unknown>([P, A, D, H, B, randomUUID(), '', 'x'.repeat(70), { $ne: null }, 42, nastyText()]);

    /** The version a card would need to act on each request now. */
    const current = () =>
      new Map([
        [P, 1],
        [A, 2],
      ]);

    /**
     * What would give a case away: its records' titles and ids, how retention is counted, a hold's
     * reference, a request's id or its card.
     */
    const caseDetails = () =>
      new RegExp(
        [
          'Section 47 enquiry',
          'Health assessments',
          'LL-4\\d{5}',
          'PF-4\\d{5}',
          'Retention status of case',
          'FZ-1',
          'Removal of case records',
          ...[P, A, D].filter(Boolean),
        ].join('|'),
      );

    /** Card action data for `verb`, made so the action cannot succeed whoever sends it. */
    function cardData(verb: string): unknown {
      if (r.chance(0.1)) return anyValue();
      const data: Json = {};
      const set = (key: string, make: () => unknown) => {
        if (!r.chance(0.1)) data[key] = make();
      };
      switch (verb) {
        case VERBS.approve:
        case VERBS.decline:
        case VERBS.cancel:
        case VERBS.withdraw:
        case VERBS.returned:
        case VERBS.refresh:
        case VERBS.show:
          set('authorisationId', idLike);
          set('version', version);
          set('reason', nastyText);
          // Another person's ids, stale versions: never the version that would let it through.
          if (verb !== VERBS.refresh && verb !== VERBS.show) {
            const need = current().get(data.authorisationId as string);
            if (need !== undefined && Number(data.version) === need) data.version = need + 1 + r.int(5);
            if (need !== undefined && data.version === undefined) data.version = need - 1;
          }
          break;
        case VERBS.submit:
          for (const key of Object.keys(REQUEST_FORM)) {
            set(key, () => (r.chance(0.5) ? REQUEST_FORM[key as keyof typeof REQUEST_FORM] : anyValue()));
          }
          // The conditions are never accepted, so no form can go through.
          data.acknowledged = r.pick<unknown>([false, 'false', 'TRUE', 'yes', '1', '', 0]);
          break;
        case VERBS.holdPlace:
          set('caseRef', () => r.pick<unknown>(['1234567', '1600229', nastyText()]));
          set('recordId', idLike);
          set('reference', nastyText);
          set('reason', nastyText);
          set('sarReceivedOn', () => r.pick<unknown>(['2026-11-01', '2026-02-30', nastyText()]));
          // Never a hold type, so even Records Management cannot place it.
          data.type = r.pick<unknown>([
            `not-a-type-${r.int(99)}`,
            42,
            null,
            nastyText().replace(/litigation|claim|subject_access_request|inquiry|other|foi/gi, 'x'),
          ]);
          break;
        case VERBS.holdRelease:
          set('holdId', idLike);
          set('reason', nastyText);
          if (data.holdId === H) data.reason = r.pick<unknown>(['', '   ', 'r'.repeat(2001), 7]);
          break;
        case VERBS.batchConfirm:
        case VERBS.batchCancel:
          set('batchId', idLike);
          set('version', version);
          set('method', () => r.pick<unknown>(['confidential-shredding', 'fire', nastyText()]));
          set('certificateRef', nastyText);
          set('reason', nastyText);
          if (data.batchId === B && (Number(data.version) === 1 || data.version === undefined))
            data.version = 5;
          break;
        case VERBS.batchCreate:
          set('classId', nastyText);
          set('dueBy', () => r.pick<unknown>(['2026-11-26', '2999-01-01', nastyText()]));
          // An unreadable filter: a batch is never made.
          data.page = r.pick<unknown>([0, -3, 'first', 1e9]);
          break;
        case VERBS.due:
        case VERBS.batchShow:
          set('classId', nastyText);
          set('dueBy', nastyText);
          set('page', () => r.pick<unknown>([1, 2, -1, 'x', 1e7]));
          set('id', idLike);
          break;
        default:
          set('authorisationId', idLike);
          set('version', version);
      }
      return data;
    }

    function structuredInvoke(): Case {
      const verb = r.chance(0.85)
        ? r.pick(Object.values(VERBS))
        : r.pick(['removal.delete', 'admin.grant', '', 'removal.approve ', 'REMOVAL.APPROVE', nastyText()]);
      const person = r.pick(people);
      const activity = invoke(person, verb, cardData(verb), r.pick(['card-1', nastyText(), '']));
      if (r.chance(0.15)) activity.from = { ...(activity.from as Json), ...unknownPerson() };
      return { kind: 'card action', label: `invoke ${verb.slice(0, 40)} by ${person}`, body: activity };
    }

    const TEMPLATES = [
      (x: string) => x,
      (x: string) => `I need to take the file for case ${x} home tonight, back Friday`,
      (x: string) => `withdraw my request ${x}`,
      (x: string) => `I've brought the file back ${x}`,
      (x: string) => `cancel Sam's authorisation for 1234567 because ${x}`,
      (x: string) => `approve ${x}`,
      (x: string) => `retention status of case ${x}`,
      (x: string) => `how long do we keep ${x}`,
      (x: string) => `place a hold on case 1234567 for litigation, reference ${x}, because ${x}`,
      (x: string) => `release hold ${x}`,
      (x: string) => `destroy batch DB-2026-0001 ${x}`,
      (x: string) => `Priya is covering my approvals until ${x}`,
      (x: string) => `show my requests ${x}`,
      (x: string) => `any approvals waiting for me? ${x}`,
    ];

    function hostileMessage(): Case {
      const who = r.chance(0.75) ? r.pick(harmlessTalkers) : null;
      const activity = bot.activity(who ?? 'chris', {
        type: 'message',
        text: r.pick(TEMPLATES)(nastyText()),
      });
      if (!who) activity.from = unknownPerson();
      if (r.chance(0.05)) activity.deliveryMode = 'expectReplies';
      return {
        kind: 'message',
        label: `message by ${who ?? 'someone not in the directory'}`,
        body: activity,
      };
    }

    const ACTIVITY_FIELDS = [
      'type',
      'id',
      'channelId',
      'from',
      'recipient',
      'conversation',
      'channelData',
      'text',
      'value',
      'name',
      'replyToId',
      'timestamp',
      'entities',
      'attachments',
      'locale',
      'membersAdded',
      'action',
      'textFormat',
    ];

    /** A well-formed activity, then one to three of its fields broken (never its sender made real). */
    function malformedActivity(): Case {
      const who = r.pick(harmlessTalkers);
      const type = r.pick([
        'message',
        'invoke',
        'conversationUpdate',
        'installationUpdate',
        'messageReaction',
        'event',
        'typing',
        'endOfConversation',
        'messageUpdate',
        'messageDelete',
        r.junk(6),
      ]);
      const activity = bot.activity(who, { type, text: nastyText() });
      if (type === 'invoke')
        activity.name = r.pick([
          'adaptiveCard/action',
          'task/fetch',
          'composeExtension/query',
          'signin/verifyState',
          'healthCheck',
          'fileConsent/invoke',
          r.junk(8),
        ]);
      if (type === 'installationUpdate')
        activity.action = r.pick(['add', 'remove', 'add-upgrade', r.junk(4)]);
      const broken: string[] = [];
      for (let i = 1 + r.int(3); i > 0; i--) {
        const field = r.pick(ACTIVITY_FIELDS);
        broken.push(field);
        if (r.chance(0.3)) delete activity[field];
        else if (field === 'from')
          activity.from = r.pick<unknown>([
            unknownPerson(),
            { aadObjectId: nastyText() },
            { aadObjectId: 42 },
            'priya',
            null,
            [],
          ]);
        else activity[field] = anyValue();
      }
      return {
        kind: 'malformed activity',
        label: `${String(type).slice(0, 20)} with ${broken.join(', ')} broken`,
        body: activity,
      };
    }

    function rawBody(): Case {
      const k = r.int(9);
      const activity = bot.activity('chris', { type: 'message', text: 'hello' });
      switch (k) {
        case 0:
          return { kind: 'raw body', label: 'junk', body: r.junk(1 + r.int(500)) };
        case 1:
          return {
            kind: 'raw body',
            label: 'cut-off JSON',
            body: JSON.stringify(activity).slice(0, 1 + r.int(200)),
          };
        case 2:
          return {
            kind: 'raw body',
            label: 'JSON of the wrong shape',
            body: JSON.stringify(r.pick<unknown>([null, [], 42, 'message', true, [activity]])),
          };
        case 3:
          return {
            kind: 'raw body',
            label: 'oversized body',
            body: JSON.stringify({ ...activity, text: 'A'.repeat(MAX_BODY_BYTES + r.int(100_000)) }),
          };
        case 4: {
          const depth = 100 + r.int(3000);
          return {
            kind: 'raw body',
            label: 'deeply nested JSON',
            body: `${'['.repeat(depth)}${']'.repeat(depth)}`,
          };
        }
        case 5:
          return {
            kind: 'raw body',
            label: 'deeply nested value',
            body: `{"type":"invoke","name":"adaptiveCard/action","value":${'{"a":'.repeat(500)}1${'}'.repeat(500)}}`,
          };
        case 6:
          return {
            kind: 'raw body',
            label: 'text/plain',
            body: 'type=message&text=hello',
            headers: { 'content-type': 'text/plain' },
          };
        case 7:
          return {
            kind: 'raw body',
            label: 'duplicate keys',
            body: `{"type":"message","type":"invoke","name":"adaptiveCard/action","text":"x","from":{"aadObjectId":"${STAFF.chris}"},"conversation":{"id":"c"},"channelId":"msteams","serviceUrl":"${bot.connector.url}"}`,
          };
        default:
          return {
            kind: 'raw body',
            label: 'a prototype-polluting body',
            body: `{"type":"message","__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"text":"hi","from":{"aadObjectId":"${STAFF.chris}"},"conversation":{"id":"personal-chris","tenantId":"${TENANT}"},"channelId":"msteams","serviceUrl":"${bot.connector.url}"}`,
          };
      }
    }

    /** Card data replayed: the exact activities of the set-up (same ids), or their data again later. */
    function replay(): Case {
      if (r.chance(0.5)) {
        const { activity } = r.pick(replays);
        return {
          kind: 'replayed',
          label: `replayed activity ${String((activity.value as Json | undefined) ? 'invoke' : activity.type)}`,
          body: activity,
        };
      }
      const [person, verb, data] = r.pick<[Person, string, Json]>([
        ['priya', VERBS.approve, { authorisationId: A, version: 1 }],
        ['priya', VERBS.decline, { authorisationId: D, version: 1, reason: 'Not now' }],
        ['priya', VERBS.approve, { authorisationId: D, version: 1 }],
        ['sam', VERBS.withdraw, { authorisationId: P, version: 0 }],
        ['jo', VERBS.returned, { authorisationId: A, version: 1 }],
        ['dana', VERBS.batchConfirm, { batchId: B, version: 0, method: 'confidential-shredding' }],
      ]);
      return {
        kind: 'replayed',
        label: `replayed ${verb} card by ${person}`,
        body: invoke(person, verb, data),
      };
    }

    /** An activity that would do something, asking for replies at an address off this computer. */
    function hostileServiceUrl(): Case {
      const serviceUrl = r.pick([
        'https://evil.example/',
        'https://smba.trafficmanager.net/teams/',
        'http://169.254.169.254/latest/meta-data/',
        'http://127.0.0.1.evil.example/',
        'http://127.0.0.1@evil.example/',
        'http://localhost.evil.example/',
        'http://[::ffff:7f00:1]/',
        'http://0.0.0.0:3978/',
        'http://10.0.0.1/',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'ftp://127.0.0.1/',
        'not a url',
        ' ',
        `${bot.connector.url.replace(/\/$/, '')}@evil.example/`,
      ]);
      const [person, activity] = r.pick<[Person, () => Json]>([
        ['priya', () => invoke('priya', VERBS.approve, { authorisationId: P, version: 1 })],
        ['sam', () => invoke('sam', VERBS.withdraw, { authorisationId: P, version: 1 })],
        ['sam', () => invoke('sam', VERBS.submit, REQUEST_FORM, 'form-sam-again')],
        [
          'dana',
          () =>
            invoke('dana', VERBS.batchConfirm, { batchId: B, version: 1, method: 'confidential-shredding' }),
        ],
        ['morgan', () => invoke('morgan', VERBS.holdRelease, { holdId: H, reason: 'Settled' })],
        ['sam', () => bot.activity('sam', { type: 'message', text: 'withdraw my request' })],
        ['chris', () => bot.activity('chris', { type: 'message', text: 'hello' })],
        ['alex', () => bot.activity('alex', { type: 'installationUpdate', action: 'add' })],
      ]);
      return {
        kind: 'hostile service URL',
        label: `${person}'s activity for ${serviceUrl.slice(0, 40)}`,
        body: { ...activity(), serviceUrl },
      };
    }

    /** A request whose headers lie about or dress up its body, sent byte for byte. */
    function hostileHeaders(): Case {
      const activity = JSON.stringify(bot.activity('chris', { type: 'message', text: 'hello' }));
      const json = Buffer.from(activity);
      const chunked = (body: Buffer, size = body.length.toString(16)) =>
        Buffer.concat([Buffer.from(`${size}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      const k = r.int(5);
      let headers: string[];
      let body: Buffer;
      let label: string;
      if (k === 0) {
        const encoding = r.pick([
          'gzip',
          'deflate',
          'br',
          'x-gzip',
          'compress',
          'identity',
          'GZIP',
          'gzip, gzip',
          '',
        ]);
        body = r.chance(0.5) ? gzipSync(json) : Buffer.from(r.junk(1 + r.int(300)), 'latin1');
        headers = [
          'Content-Type: application/json',
          `Content-Encoding: ${encoding}`,
          `Content-Length: ${body.length}`,
        ];
        label = `Content-Encoding ${JSON.stringify(encoding)}`;
      } else if (k === 1) {
        const te = r.pick([
          'chunked',
          'gzip, chunked',
          'chunked, chunked',
          'identity',
          'gzip',
          'Chunked',
          'chunked ',
        ]);
        body = te.includes('chunked') ? chunked(te.startsWith('gzip') ? gzipSync(json) : json) : json;
        headers = ['Content-Type: application/json', `Transfer-Encoding: ${te}`];
        if (r.chance(0.3)) headers.push(`Content-Length: ${json.length}`);
        label = `Transfer-Encoding ${JSON.stringify(te)}${headers.length > 2 ? ' with Content-Length' : ''}`;
      } else if (k === 2) {
        // (Sizes larger than what follows are held until the server's request timeout: not tried here.)
        body = chunked(json, r.pick(['zz', '-1', '1', '0', 'g', '1;ext=x', ' 5']));
        headers = ['Content-Type: application/json', 'Transfer-Encoding: chunked'];
        label = 'chunks that lie about their size';
      } else if (k === 3) {
        const type = r.pick([
          '',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=xyz',
          'application/vnd.api+json',
          'text/json',
          'application/json; charset=utf-16',
          'APPLICATION/JSON',
          'application/json, text/plain',
          'application/octet-stream',
        ]);
        body = type.includes('utf-16') ? Buffer.from(activity, 'utf16le') : json;
        headers = [...(type ? [`Content-Type: ${type}`] : []), `Content-Length: ${body.length}`];
        label = `Content-Type ${JSON.stringify(type)}`;
      } else {
        const lie = r.pick([0, 1, json.length - 10, json.length + 10_000_000, -1, 1e30, 'abc']);
        body = json;
        headers = [
          'Content-Type: application/json',
          `Content-Length: ${lie}`,
          ...(r.chance(0.3) ? ['Content-Length: 5'] : []),
        ];
        label = `Content-Length ${lie} for ${json.length} bytes`;
      }
      const head = `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.join('\r\n')}\r\nConnection: close\r\n\r\n`;
      return { kind: 'hostile headers', label, body: null, raw: { head, body } };
    }

    /** A card action whose verb is named after an object method, by someone in the directory. */
    function prototypeVerb(): Case {
      const verb = r.pick(PROTOTYPE_VERBS);
      const person = r.pick(people);
      const data = r.chance(0.7)
        ? {
            authorisationId: r.pick([P, A, D]),
            version: r.pick([1, 2]),
            reason: 'Because',
            holdId: H,
            batchId: B,
          }
        : anyValue();
      return {
        kind: 'prototype-named verb',
        label: `invoke ${verb} by ${person}`,
        body: invoke(person, verb, data),
      };
    }

    const unseen = () => Array.from({ length: 1 + r.int(3) }, () => r.pick(UNSEEN)).join('');
    /** Words with a character no database should get somewhere in them. */
    const unstorable = () => {
      const words = r.pick(['Not needed', 'Home', 'LIT-9', 'Court on Monday', 'Settled']);
      const at = r.int(words.length + 1);
      return `${words.slice(0, at)}${r.pick(UNSTORABLE)}${words.slice(at)}`;
    };

    /**
     * An action that would go through but for its text: a reason of characters nobody sees, or a
     * control character (or broken one) in a field. Each must be refused, and nothing change.
     */
    function hiddenCharacters(): Case {
      const blank = r.chance(0.5);
      const why = () => (blank ? unseen() : unstorable());
      const [person, verb, data, label] = r.pick<[Person, string, () => Json, string]>([
        ['priya', VERBS.decline, () => ({ authorisationId: P, version: 1, reason: why() }), 'decline reason'],
        ['priya', VERBS.cancel, () => ({ authorisationId: A, version: 2, reason: why() }), 'cancel reason'],
        ['morgan', VERBS.holdRelease, () => ({ holdId: H, reason: why() }), 'hold release reason'],
        [
          'morgan',
          VERBS.batchCancel,
          () => ({ batchId: B, version: 1, reason: why() }),
          'batch cancel reason',
        ],
        [
          'priya',
          VERBS.approve,
          () => ({ authorisationId: P, version: 1, reason: unstorable() }),
          'approval note',
        ],
        [
          'sam',
          VERBS.submit,
          () => ({ ...REQUEST_FORM, [r.pick(['destination', 'justification', 'caseRef'])]: unstorable() }),
          'removal form field',
        ],
        [
          'morgan',
          VERBS.holdPlace,
          () => ({
            caseRef: '1234567',
            type: 'litigation',
            reference: r.chance(0.5) ? unstorable() : 'FZ-2',
            reason: r.chance(0.5) ? why() : unstorable(),
          }),
          'hold form field',
        ],
      ]);
      if (r.chance(0.2)) {
        // Typed in the chat instead: refused before it is read.
        const [who, text] = r.pick<[Person, string]>([
          ['sam', 'withdraw my request'],
          ['priya', 'approve Sam’s request for 1234567'],
          ['morgan', 'release hold FZ-1, the claim was settled'],
          ['jo', 'I’ve brought the file back'],
        ]);
        const at = r.int(text.length + 1);
        return {
          kind: 'hidden or control characters',
          label: `chat message by ${who}`,
          body: bot.activity(who, {
            type: 'message',
            text: `${text.slice(0, at)}${r.pick(UNSTORABLE)}${text.slice(at)}`,
          }),
        };
      }
      return {
        kind: 'hidden or control characters',
        label: `${label} ${blank ? 'unseen' : 'unstorable'} by ${person}`,
        body: invoke(person, verb, data()),
      };
    }

    /** The right number in the wrong form: never taken for it. */
    const wrongNumber = (n: number) =>
      r.pick<unknown>([
        [n],
        [[n]],
        [String(n)],
        true,
        false,
        '',
        ` ${n}`,
        `${n} `,
        `${n}.0`,
        `${n}e0`,
        `0x${n}`,
        `+${n}`,
        String.fromCharCode(0xff10 + n),
        `${n}\u0000`,
        n + 1e-7,
        { value: n },
        { valueOf: n },
        null,
      ]);

    /** An action with the version it needs, written as a list, a true, a string that is not digits… */
    function wrongNumberType(): Case {
      const [person, verb, data] = r.pick<[Person, string, () => Json]>([
        ['priya', VERBS.approve, () => ({ authorisationId: P, version: wrongNumber(1) })],
        ['priya', VERBS.decline, () => ({ authorisationId: P, version: wrongNumber(1), reason: 'No' })],
        ['sam', VERBS.withdraw, () => ({ authorisationId: P, version: wrongNumber(1) })],
        ['jo', VERBS.returned, () => ({ authorisationId: A, version: wrongNumber(2) })],
        ['priya', VERBS.cancel, () => ({ authorisationId: A, version: wrongNumber(2), reason: 'Court' })],
        [
          'dana',
          VERBS.batchConfirm,
          () => ({ batchId: B, version: wrongNumber(1), method: 'confidential-shredding' }),
        ],
        ['morgan', VERBS.batchCancel, () => ({ batchId: B, version: wrongNumber(1), reason: 'Wrong class' })],
        ['morgan', VERBS.batchCreate, () => ({ dueBy: '2026-11-26', page: wrongNumber(1) })],
      ]);
      return { kind: 'wrong number type', label: `${verb} by ${person}`, body: invoke(person, verb, data()) };
    }

    /** Markdown typed where a card may show it back. */
    function markdown(): Case {
      const md = () => r.pick(MARKDOWN);
      if (r.chance(0.5)) {
        const who = r.chance(0.8) ? r.pick(harmlessTalkers) : null;
        const activity = bot.activity(who ?? 'chris', { type: 'message', text: r.pick(TEMPLATES)(md()) });
        if (!who) activity.from = unknownPerson();
        return {
          kind: 'markdown',
          label: `message by ${who ?? 'someone not in the directory'}`,
          body: activity,
        };
      }
      const [person, verb, data] = r.pick<[Person, string, () => Json]>([
        [
          'sam',
          VERBS.submit,
          () => ({ ...REQUEST_FORM, destination: md(), justification: md(), acknowledged: 'false' }),
        ],
        [
          'morgan',
          VERBS.holdPlace,
          () => ({ caseRef: '1234567', type: md(), reference: md(), reason: md() }),
        ],
        ['priya', VERBS.decline, () => ({ authorisationId: D, version: 2, reason: md() })],
        ['morgan', VERBS.batchCancel, () => ({ batchId: B, version: 7, reason: md() })],
        ['morgan', VERBS.due, () => ({ classId: md(), dueBy: md() })],
        [
          'chris',
          'chat.reading',
          () => ({ text: md(), intent: r.pick(['retention.class', 'None', 'help']) }),
        ],
      ]);
      return { kind: 'markdown', label: `${verb} by ${person}`, body: invoke(person, verb, data()) };
    }

    /** Questions asked where others read: what the bot says there must hold no case data. */
    const SHARED_QUESTIONS = [
      'retention status of case 1234567',
      'when can case 1600229 be destroyed?',
      'what have I got out?',
      'any approvals waiting for me?',
      'show holds on 1234567',
      'show the register for November 2026',
      'which records are due for destruction?',
      'I need to take 1234567 home tonight, back tomorrow',
      'help',
      'how long do we keep CP records?',
      'who destroys records?',
      'hello',
    ];

    function sharedConversation(): Case {
      const person = r.pick(people);
      const kind = r.pick(['channel', 'groupChat'] as const);
      const fields: Json = r.chance(0.75)
        ? {
            type: 'message',
            text: `${r.chance(0.5) ? '<at>Case Records</at> ' : ''}${r.pick(SHARED_QUESTIONS)}${r.chance(0.2) ? ` ${nastyText()}` : ''}`,
          }
        : {
            type: 'invoke',
            name: 'adaptiveCard/action',
            replyToId: 'channel-card',
            value: {
              action: {
                type: 'Action.Execute',
                ...r.pick<Json>([
                  { verb: VERBS.show, data: { authorisationId: r.pick([P, A, D]) } },
                  { verb: VERBS.refresh, data: { authorisationId: r.pick([P, A, D]) } },
                  { verb: VERBS.due, data: {} },
                  { verb: VERBS.batchShow, data: { id: B } },
                  {
                    verb: 'chat.reading',
                    data: { text: 'retention status of case 1234567', intent: 'retention.case' },
                  },
                ]),
              },
            },
          };
      const activity = bot.activity(person, fields);
      activity.conversation = {
        id: kind === 'channel' ? CHANNEL : GROUP,
        conversationType: kind,
        isGroup: true,
        tenantId: TENANT,
      };
      return {
        kind: 'channel or group chat',
        label: `${String(fields.type)} by ${person} in a ${kind}`,
        body: activity,
      };
    }

    let strangers = 0;
    /** Someone Teams knows but the staff directory does not, in a 1:1 chat of their own. */
    function stranger(): Case {
      strangers += 1;
      const activity = bot.activity('chris', {});
      activity.from = { id: `29:stranger-${strangers}`, name: 'Stranger', aadObjectId: randomUUID() };
      activity.conversation = {
        id: `personal-stranger-${strangers}`,
        conversationType: 'personal',
        tenantId: TENANT,
      };
      if (r.chance(0.6)) {
        activity.type = 'message';
        activity.text = r.pick(SHARED_QUESTIONS);
      } else {
        const verb = r.pick(Object.values(VERBS));
        activity.type = 'invoke';
        activity.name = 'adaptiveCard/action';
        activity.value = { action: { type: 'Action.Execute', verb, data: cardData(verb) } };
      }
      return {
        kind: 'someone not in the directory',
        label: `${String(activity.type)} by a stranger`,
        body: activity,
      };
    }

    function nextCase(): Case {
      const k = r.next();
      if (k < 0.05) return rawBody();
      if (k < 0.15) return malformedActivity();
      if (k < 0.25) return hostileMessage();
      if (k < 0.45) return structuredInvoke();
      if (k < 0.49) return replay();
      if (k < 0.55) return hostileHeaders();
      if (k < 0.6) return hostileServiceUrl();
      if (k < 0.65) return prototypeVerb();
      if (k < 0.77) return hiddenCharacters();
      if (k < 0.85) return wrongNumberType();
      if (k < 0.91) return markdown();
      if (k < 0.97) return sharedConversation();
      return stranger();
    }

    // ------------------------------------------------------------------------------------------

    it(`${CASES[dialect]} cases: no 5xx, the server stays up, clear answers, no record changes`, async () => {
      const problems: string[] = [];
      const byStatus = new Map<number, number>();
      const started = Date.now();
      let tried = 0;
      const cases = Array.from({ length: CASES[dialect] }, nextCase);
      const kinds = new Map<string, number>();
      for (const c of cases) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      const check = async (c: Case) => {
        const result = c.raw
          ? await rawRequest(bot.port, c.raw.head, c.raw.body)
          : await bot.post(c.body, c.headers);
        tried += 1;
        byStatus.set(result.status, (byStatus.get(result.status) ?? 0) + 1);
        const say = (what: string) =>
          problems.push(`${c.label}: ${what} (HTTP ${result.status}) ${result.text.slice(0, 160)}`);
        if (result.status >= 500) return say('server error');
        // A raw request whose framing the server's HTTP parser refuses may be closed unanswered.
        if (result.status === 0 && !c.raw) return say('no answer');
        if (c.kind === 'hostile service URL' && result.status !== 403 && result.status !== 400)
          return say('an activity for a service URL off this computer was not refused');
        if (LEAK.test(result.text)) return say('an internal error leaked');
        const activity = c.body as Json;
        const isInvoke = typeof activity === 'object' && activity?.type === 'invoke' && result.status < 300;
        if (
          result.status >= 400 &&
          result.status !== 413 &&
          !c.raw &&
          !/"(message|error)":"[^"]{8,}/.test(result.text)
        )
          return say('a refusal without a message');
        if (isInvoke) {
          const body = JSON.parse(result.text) as { statusCode?: number; type?: string; value?: unknown };
          if (body.statusCode !== 200) return say('an invoke answer whose status is not 200');
          const text = typeof body.value === 'string' ? body.value : textOf(body.value as Json);
          if (text.trim().length < 5) return say('an empty answer');
          if (/Something went wrong/.test(text)) return say('an action failed instead of being refused');
          if (markdownSinks(body.value).some((t) => LIVE_LINK.test(t))) return say('a live link on a card');
          if (
            (c.kind === 'channel or group chat' || c.kind === 'someone not in the directory') &&
            caseDetails().test(text)
          )
            return say('case details where they must not be');
        }
        if (c.kind === 'prototype-named verb' && result.status !== 400)
          return say('a verb named after an object method was not refused');
      };
      // A few at a time, as Teams would send them.
      for (let i = 0; i < cases.length; i += 8) await Promise.all(cases.slice(i, i + 8).map(check));

      const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
      expect(health.status).toBe(200);
      expect(problems.slice(0, 10)).toEqual([]);
      // Nothing the bot said to anyone leaked an internal error, or showed a live link.
      const leaks = bot.connector.calls.filter((c) => LEAK.test(JSON.stringify(c.body)));
      expect(leaks.map((c) => JSON.stringify(c.body).slice(0, 300))).toEqual([]);
      const links = bot.connector.calls.flatMap((c) =>
        markdownSinks(c.body).filter((t) => LIVE_LINK.test(t)),
      );
      expect(links.slice(0, 5)).toEqual([]);
      // Nothing about a case in a channel, a group chat, or to anyone outside the directory.
      const exposed = bot.connector.calls.filter(
        (c) =>
          c.conversationId !== null &&
          (c.conversationId === CHANNEL ||
            c.conversationId === GROUP ||
            c.conversationId.startsWith('personal-stranger-')) &&
          caseDetails().test(JSON.stringify(c.body)),
      );
      expect(
        exposed.map((c) => {
          const text = JSON.stringify(c.body);
          const at = caseDetails().exec(text)?.index ?? 0;
          return `${c.conversationId}: …${text.slice(Math.max(0, at - 150), at + 80)}`;
        }),
      ).toEqual([]);
      expect(kinds.get('channel or group chat') ?? 0).toBeGreaterThan(0);
      expect(bot.connector.sentTo(CHANNEL).length + bot.connector.sentTo(GROUP).length).toBeGreaterThan(0);

      await bot.deliverAll();
      expect(await bot.stateCounts()).toEqual(before);
      expect(await state()).toEqual(snapshot);
      expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
      const statuses = Object.fromEntries([...byStatus].sort(([a], [b]) => a - b));
      console.log(
        `fuzz (${dialect}): tried ${tried} cases in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED}): ${JSON.stringify(Object.fromEntries(kinds))}; HTTP statuses ${JSON.stringify(statuses)}; no 5xx, nothing changed`,
      );
    }, 180_000);

    it('a replayed activity (same id) gets the first answer again and changes nothing', async () => {
      for (const { activity, answer } of replays) {
        const again = await bot.post(activity);
        expect(again.status).toBe(200);
        if (activity.type === 'invoke') expect(JSON.parse(again.text)).toEqual(JSON.parse(answer));
      }
      await bot.deliverAll();
      expect(await bot.stateCounts()).toEqual(before);
    });
  }),
);
