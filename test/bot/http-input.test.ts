import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/bot/server.js';
import { BotHarness, REQUEST_FORM, textOf, type InvokeResult } from '../support/bot-harness.js';
import { useBot, type Card } from '../support/bot-tests.js';

describe('bad input over HTTP', () => {
  let id: string;
  let before: Record<string, number>;
  const bot = useBot('all', {
    ready: async (started) => {
      await started.say('priya', 'hello');
      id = await started.submit('sam');
      await started.deliverAll();
    },
  });
  beforeEach(async () => {
    before = await bot.stateCounts();
  });
  afterEach(async () => {
    // Whatever came in, nothing was recorded or queued, and the request is untouched.
    await bot.deliverAll();
    expect(await bot.stateCounts()).toEqual(before);
    expect(await bot.row(id)).toMatchObject({ status: 'pending', version: 1 });
  });

  const invoke = (verb: unknown, data: unknown) =>
    bot.activity('priya', {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data } },
    });
  const parsed = (text: string) => JSON.parse(text) as InvokeResult['body'];

  describe('the HTTP request itself', () => {
    it.each([
      ['malformed JSON', '{"type": "message", "text": '],
      ['an empty body', ''],
      ['JSON null', 'null'],
      ['a JSON array', '[{"type":"message"}]'],
      ['a JSON string', '"message"'],
      ['a JSON number', '42'],
    ])('%s → 400', async (_label, body) => {
      const { status } = await bot.post(body);
      expect(status).toBe(400);
    });

    it('an activity without a type → 400', async () => {
      const activity = bot.activity('priya', { text: 'hello' });
      const { status, text } = await bot.post(activity);
      expect(status).toBe(400);
      expect(text).toContain('Bot Framework activity');
    });

    it('an activity whose type is not a string → 400', async () => {
      const { status } = await bot.post(bot.activity('priya', { type: ['message'], text: 'hello' }));
      expect(status).toBe(400);
    });

    it.each(['gzip', 'deflate', 'br', 'GZIP ', 'gzip, identity', 'identity', ''])(
      'a body with Content-Encoding %j is refused with 415 and the server stays up',
      async (encoding) => {
        const garbage = await bot.post('x', { 'content-encoding': encoding });
        expect(garbage.status).toBe(415);
        const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`, {
          method: 'POST',
          headers: { 'content-encoding': encoding },
          body: 'x',
        });
        expect(health.status).toBe(415);
        expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(200);
      },
    );

    it('a real gzip body is refused unread, however small it is', async () => {
      // 150 MB of zeros compresses to about 150 KB: it must never be inflated.
      const bomb = gzipSync(Buffer.alloc(150 * 1024 * 1024));
      const rssBefore = process.memoryUsage().rss;
      const response = await fetch(`http://127.0.0.1:${bot.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: bomb,
      });
      expect(response.status).toBe(415);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
      expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(200);
    });

    it('a body over 256 KB → 413', async () => {
      const activity = bot.activity('priya', { type: 'message', text: 'x'.repeat(MAX_BODY_BYTES + 1) });
      const { status } = await bot.post(activity);
      expect(status).toBe(413);
      expect(bot.connector.sentTo('personal-priya').at(-1)?.body.text).not.toMatch(/x{100}/);
    });

    it.each([
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
    ])('a body sent as %s is refused with 415 before it is read', async (type) => {
      const { status, text } = await bot.post('type=message&text=hello', { 'content-type': type });
      expect(status).toBe(415);
      expect(text).toContain('must be JSON');
    });

    it('JSON sent with a charset is read as JSON', async () => {
      const { status } = await bot.post(bot.activity('priya', { type: 'message', text: 'hello' }), {
        'content-type': 'application/json; charset=utf-8',
      });
      expect(status).toBe(200);
    });

    it('an edited or deleted message, even without channel data, is accepted and changes nothing, and no turn fails', async () => {
      const quiet = new BotHarness();
      quiet.logLevel = 'info';
      await quiet.start();
      try {
        for (const type of ['messageUpdate', 'messageDelete']) {
          const { status } = await quiet.post(quiet.activity('priya', { type, channelData: undefined }));
          expect(status, type).toBeLessThan(300);
        }
        expect(quiet.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
      } finally {
        await quiet.stop();
      }
    });

    it('an activity of a type the bot does not know is accepted and ignored', async () => {
      const { status } = await bot.post(bot.activity('priya', { type: 'somethingNew' }));
      expect(status).toBeLessThan(300);
    });

    it('a message of nearly 256 KB is answered, not failed', async () => {
      const count = bot.connector.sentTo('personal-priya').length;
      const { status } = await bot.post(
        bot.activity('priya', { type: 'message', text: `approve ${'case 1234567 '.repeat(20_000)}` }),
      );
      expect(status).toBe(200);
      expect(bot.connector.sentTo('personal-priya')).toHaveLength(count + 1);
    });
  });

  describe('card actions', () => {
    it('an unknown verb → invoke response 400', async () => {
      const { status, text } = await bot.post(invoke('removal.delete', { authorisationId: id, version: 1 }));
      expect(status).toBe(400);
      expect(parsed(text)).toMatchObject({
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'Unknown action "removal.delete".' },
      });
    });

    it.each(['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty'])(
      'a verb named after an object method (%s) → invoke response 400 "unknown action", and no handler runs',
      async (verb) => {
        const { status, text } = await bot.post(invoke(verb, { authorisationId: id, version: 1 }));
        expect(status).toBe(400);
        expect(parsed(text)).toEqual({
          statusCode: 400,
          type: 'application/vnd.microsoft.error',
          value: { code: 'BadRequest', message: `Unknown action "${verb}".` },
        });
      },
    );

    it('a verb that is not a string → invoke response 400', async () => {
      const { status, text } = await bot.post(invoke(42, { authorisationId: id, version: 1 }));
      expect(status).toBe(400);
      expect(parsed(text)).toMatchObject({
        statusCode: 400,
        value: { message: 'The card action has no verb.' },
      });
    });

    it.each([
      ['no authorisationId', { version: 1 }],
      ['an empty authorisationId', { authorisationId: '', version: 1 }],
      ['an authorisationId that is an object', { authorisationId: { $ne: null }, version: 1 }],
      ['an overlong authorisationId', { authorisationId: 'x'.repeat(10_000), version: 1 }],
      ['no version', { authorisationId: 'x' }],
      ['a version that is not a number', { authorisationId: 'x', version: 'latest' }],
      ['a negative version', { authorisationId: 'x', version: -1 }],
      ['data that is a string', 'approve everything'],
    ])('approve with %s → invoke response 400', async (_label, data) => {
      const { status, text } = await bot.post(invoke('removal.approve', data));
      expect(status).toBe(400);
      expect(parsed(text)).toMatchObject({
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'This card is missing the request it belongs to.' },
      });
    });

    it('approve of a request that does not exist → a clear card', async () => {
      const r = await bot.press('priya', 'removal.approve', {
        authorisationId: '00000000-0000-4000-8000-000000000000',
        version: 1,
      });
      expect(r.body.statusCode).toBe(200);
      expect(textOf(r.body.value as Card)).toContain('That request no longer exists, or the link is wrong.');
    });

    it('a decline reason over the limit is refused', async () => {
      const r = await bot.press('priya', 'removal.decline', {
        authorisationId: id,
        version: 1,
        reason: 'r'.repeat(1001),
      });
      expect(textOf(r.body.value as Card)).toContain('Please keep the reason to 1000 characters at most.');
    });

    it('an invoke without a value is refused with 400, not a server error', async () => {
      const { status } = await bot.post(
        bot.activity('priya', { type: 'invoke', name: 'adaptiveCard/action' }),
      );
      expect(status).toBe(400);
    });

    it.each([
      ['no action', { trigger: 'manual' }],
      ['an action that is a string', { action: 'removal.approve' }],
      ['an action of another type', { action: { type: 'Action.Submit', verb: 'removal.approve' } }],
    ])('an invoke with %s is refused with 400, not a server error', async (_label, value) => {
      const { status, text } = await bot.post(
        bot.activity('priya', { type: 'invoke', name: 'adaptiveCard/action', value }),
      );
      expect(status).toBe(400);
      expect(parsed(text)).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    });
  });

  describe('the removal form', () => {
    const submit = async (fields: Record<string, unknown>) => {
      const r = await bot.press('sam', 'removal.submit', { ...REQUEST_FORM, ...fields }, 'form-x');
      expect(r.status).toBe(r.body.statusCode);
      return r.body;
    };
    const formProblems = async (fields: Record<string, unknown>) => {
      const body = await submit(fields);
      expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      const text = textOf(body.value as Card);
      // It is the form again, with what was typed.
      expect(text).toContain('Take case records out of the office');
      return text;
    };

    it('an impossible date (30 February) comes back on the form', async () => {
      const text = await formProblems({ outOn: '2027-02-30', returnOn: '2027-03-01' });
      expect(text).toContain('The out date is not a date.');
    });

    it('a return date that is not a date comes back on the form', async () => {
      const text = await formProblems({ returnOn: '2026-02-30' });
      expect(text).toContain('The return date is not a date.');
    });

    it('a return before the out date comes back on the form', async () => {
      const text = await formProblems({ outOn: '2026-11-30', returnOn: '2026-11-28' });
      expect(text).toContain('The return date is before the out date.');
    });

    it('an out date in the past and a stay over the limit come back on the form', async () => {
      expect(await formProblems({ outOn: '2026-11-25' })).toContain('has passed');
      expect(await formProblems({ returnOn: '2027-01-30' })).toContain(
        'Records may be out for at most 14 days',
      );
    });

    it('long fields within what the card allows, but over the rules, come back on the form with every problem', async () => {
      const text = await formProblems({ destination: 'd'.repeat(501), justification: 'j'.repeat(1001) });
      expect(text).toContain('Please keep the destination to 500 characters at most.');
      expect(text).toContain('Please keep the justification to 1000 characters at most.');
    });

    it('missing everything comes back on the form with every problem', async () => {
      const text = await formProblems({
        caseRef: '',
        purpose: '',
        destination: '',
        outOn: '',
        returnOn: '',
        justification: '',
        acknowledged: 'false',
      });
      for (const problem of [
        'Which case? Give the case reference.',
        'Choose a purpose.',
        'Where will the records be?',
        'Please say why the records need to leave the office.',
        'When will the records leave the office?',
        'When will the records be back?',
        'Please confirm the conditions',
      ])
        expect(text).toContain(problem);
    });

    it.each([
      ['The destination', { destination: 'd'.repeat(10_000) }],
      ['The justification', { justification: 'j'.repeat(10_000) }],
      ['The case reference', { caseRef: '1'.repeat(10_000) }],
      ['The record ids', { recordIds: 'R,'.repeat(5_000) }],
    ])('a 10,000-character field is refused, naming it: %s', async (field, fields) => {
      // The card itself stops at 500/1000 characters; only a forged client gets here.
      const body = await submit(fields);
      expect(body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
      const message = (body.value as { message: string }).message;
      expect(message).toMatch(
        new RegExp(`^${field} is longer than \\d+ characters\\. Nothing was changed\\.$`),
      );
      expect(message.length).toBeLessThan(500);
    });

    it('an unknown purpose, a record of another case and a record that does not exist come back on the form', async () => {
      const text = await formProblems({ purpose: 'holiday', recordIds: 'NOT-A-RECORD' });
      expect(text).toContain('Choose a purpose.');
      expect(text).toContain('Not in the inventory: NOT-A-RECORD.');
    });
  });

  it('GET /healthz → 200 {status: "ok"}', async () => {
    const response = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('with Microsoft app credentials (production-like)', () => {
  const bot = useBot('all', {
    env: {
      MicrosoftAppId: '99999999-8888-4777-8666-555555555555',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'MultiTenant',
    },
  });

  it.each([
    ['no Authorization header', {}],
    ['a Bearer token that is not a JWT', { authorization: 'Bearer not-a-token' }],
    ['a Basic header', { authorization: 'Basic c2FtOnNhbQ==' }],
  ])('a POST with %s → 401, and nothing changes or is sent', async (_label, headers) => {
    const before = await bot.tableCounts();
    for (const activity of [
      bot.activity('sam', { type: 'message', text: 'I need to take the file for case 1234567 home' }),
      bot.activity('priya', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'removal.submit', data: REQUEST_FORM } },
      }),
    ]) {
      const { status } = await bot.post(activity, headers);
      expect(status).toBe(401);
    }
    expect(await bot.tableCounts()).toEqual(before);
    expect(bot.connector.calls).toEqual([]);
  });

  it('still answers /healthz', async () => {
    const response = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    expect(response.status).toBe(200);
  });
});
