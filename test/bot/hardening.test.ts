import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/actions/verbs.js';
import { DOWNLOADS } from '../../src/downloads/paths.js';
import { BotHarness, PRODUCTION_SETTINGS, STAFF, TENANT, textOf } from '../support/bot-harness.js';
import { execRaw } from '../support/temp-store.js';
import { linkFor, PUBLIC_BASE_URL, SIGNING_KEY } from '../records/helpers.js';

// What the server does at its edges: local mode only on loopback and only for loopback service
// URLs, other organisations refused, failures that say nothing internal but carry a reference the
// log also has, nosniff on every response, no source maps in production, downloads streamed and
// capped, and no signed query string in any log line.

const OTHER_TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** The machine's addresses that are not loopback (there may be none in a sandbox). */
function outsideAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('local mode', () => {
  const bot = new BotHarness();
  beforeAll(async () => {
    bot.logLevel = 'info';
    await bot.start();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('listens on 127.0.0.1 only, and says so loudly in the structured log', async () => {
    expect(await connects('127.0.0.1', bot.port)).toBe(true);
    for (const address of outsideAddresses()) expect(await connects(address, bot.port), address).toBe(false);
    const warning = bot.logs.find((l) => l.localMode === true);
    expect(warning).toMatchObject({ level: 40, host: '127.0.0.1' });
    expect(String(warning?.msg)).toMatch(
      /^LOCAL MODE \(LOCAL_MODE=true\): \/api\/messages accepts unauthenticated requests/,
    );
    expect(bot.logs.find((l) => l.auditKey === 'development')?.msg).toMatch(/AUDIT_KEY is not set/);
  });

  it.each([
    'https://smba.trafficmanager.net/teams/',
    'https://evil.example/',
    'http://127.0.0.1.evil.example/',
    'http://127.0.0.1@evil.example/',
    'http://0.0.0.0:1/',
    'http://10.0.0.1/',
    'ftp://127.0.0.1/',
    'not a url',
  ])(
    'an activity asking for replies at %s is refused with 403, and nothing is saved or sent',
    async (serviceUrl) => {
      const before = await bot.tableCounts();
      const calls = bot.connector.calls.length;
      for (const activity of [
        bot.activity('chris', { type: 'message', text: 'hello' }),
        bot.activity('priya', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: {
            action: { type: 'Action.Execute', verb: VERBS.show, data: { authorisationId: randomUUID() } },
          },
        }),
        bot.activity('sam', { type: 'installationUpdate', action: 'add' }),
      ]) {
        const { status, text } = await bot.post({ ...activity, serviceUrl });
        expect(status).toBe(403);
        expect(text).toContain('In local mode the bot answers only service URLs on this computer');
      }
      expect(await bot.tableCounts()).toEqual(before);
      expect(bot.connector.calls.length).toBe(calls);
    },
  );

  it('a loopback service URL by another name is answered', async () => {
    const serviceUrl = bot.connector.url.replace('127.0.0.1', 'localhost');
    const { status } = await bot.post({
      ...bot.activity('chris', { type: 'message', text: 'hello' }),
      serviceUrl,
    });
    expect(status).toBe(200);
    expect(bot.connector.sentTo('personal-chris').length).toBeGreaterThan(0);
  });

  it('every response says nosniff, restify’s own 404 and 405 included', async () => {
    const base = `http://127.0.0.1:${bot.port}`;
    const responses = [
      await fetch(`${base}/no-such-page`),
      await fetch(`${base}/healthz`),
      await fetch(`${base}/healthz`, { method: 'DELETE' }),
      await fetch(`${base}/api/messages`, {
        method: 'POST',
        body: 'x',
        headers: { 'content-type': 'application/json' },
      }),
      await fetch(`${base}/api/messages`, {
        method: 'POST',
        body: 'x',
        headers: { 'content-encoding': 'gzip' },
      }),
      await fetch(`${base}/tab/index.html`),
      await fetch(`${base}${DOWNLOADS.registerCsv}`),
    ];
    expect(responses.map((r) => r.status)).toEqual([404, 200, 405, 400, 415, 200, 401]);
    for (const response of responses) expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the tab’s source map is served outside production', async () => {
    expect((await fetch(`http://127.0.0.1:${bot.port}/tab/assets/tab.js.map`)).status).toBe(200);
  });
});

describe('failures', () => {
  const bot = new BotHarness();
  beforeAll(async () => {
    bot.logLevel = 'info';
    await bot.start();
    await bot.say('priya', 'hello');
  });
  afterEach(async () => {
    await execRaw(
      bot.app.store.db,
      'ALTER TABLE removal_authorisations_away RENAME TO removal_authorisations',
    ).catch(() => undefined);
  });
  afterAll(async () => {
    await bot.stop();
  });

  const referenceIn = (text: string) => /this reference: ([0-9a-f]{10})\./.exec(text)?.[1] ?? null;

  it('a card action that fails says so with a reference, and the log has the same reference and the error', async () => {
    const id = await bot.submit('sam');
    await execRaw(
      bot.app.store.db,
      'ALTER TABLE removal_authorisations RENAME TO removal_authorisations_away',
    );
    const result = await bot.press('priya', VERBS.approve, { authorisationId: id, version: 1 });
    expect(result.status).toBe(200);
    const text = textOf(result.body.value as Record<string, unknown>);
    expect(text).toContain('Something went wrong on my side');
    const reference = referenceIn(text);
    expect(reference).not.toBeNull();
    expect(text).not.toMatch(/removal_authorisations|SqliteError|no such table/);
    const logged = bot.logs.find((l) => l.errorRef === reference);
    expect(logged).toMatchObject({ level: 50, msg: 'card action failed' });
    expect(JSON.stringify(logged)).toContain('no such table');
  });

  it('a message that fails says so with a reference the log has too', async () => {
    await execRaw(
      bot.app.store.db,
      'ALTER TABLE removal_authorisations RENAME TO removal_authorisations_away',
    );
    const replies = await bot.say('priya', 'any approvals waiting for me?');
    const text = String(replies.at(-1)?.text);
    expect(text).toMatch(/^Sorry, something went wrong on my side\. Nothing was changed/);
    const reference = referenceIn(text);
    expect(bot.logs.find((l) => l.errorRef === reference)).toMatchObject({ msg: 'turn failed' });
  });

  it('when even the apology cannot be delivered, the answer is not a 500 and shows nothing internal', async () => {
    const toPriya = (c: { method: string; conversationId: string | null }) =>
      c.method === 'POST' && c.conversationId === 'personal-priya';
    bot.connector.fail(403, 2, toPriya);
    const { status, text } = await bot.post(bot.activity('priya', { type: 'message', text: 'hello' }));
    expect(status).toBe(200);
    expect(text).not.toContain(bot.connector.url);
    const failed = bot.logs.filter((l) => l.msg === 'turn failed').at(-1);
    expect(bot.logs.find((l) => l.msg === 'could not tell the person their message failed')?.errorRef).toBe(
      failed?.errorRef,
    );
  });
});

describe('tenants', () => {
  const bot = new BotHarness();
  beforeAll(async () => {
    await bot.start({ ALLOWED_TENANT_IDS: TENANT });
  });
  afterAll(async () => {
    await bot.stop();
  });

  const from = (tenant: string | null, activity: Record<string, unknown>) => ({
    ...activity,
    conversation: {
      id: 'personal-sam',
      conversationType: 'personal',
      ...(tenant ? { tenantId: tenant } : {}),
    },
    channelData: tenant ? { tenant: { id: tenant } } : {},
  });

  it.each([
    ['another organisation', OTHER_TENANT],
    ['no organisation at all', null],
  ])('activities from %s are refused: nothing answered, saved or changed', async (_label, tenant) => {
    const before = await bot.tableCounts();
    const calls = bot.connector.calls.length;
    const message = await bot.post(
      from(tenant, bot.activity('sam', { type: 'message', text: 'retention status of case 1234567' })),
    );
    expect(message.status).toBe(200);
    const invoke = await bot.post(
      from(
        tenant,
        bot.activity('sam', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: VERBS.due, data: {} } },
        }),
      ),
    );
    expect(invoke.status).toBe(403);
    expect(JSON.parse(invoke.text)).toMatchObject({
      statusCode: 403,
      value: { message: 'Case Records Assistant is not available to your organisation.' },
    });
    expect(await bot.tableCounts()).toEqual(before);
    expect(bot.connector.calls.length).toBe(calls);
  });

  it('the allowed organisation is answered (its id in any case)', async () => {
    const replies = await bot.say('sam', 'hello');
    expect(replies.length).toBeGreaterThan(0);
    const upper = await bot.post(
      from(TENANT.toUpperCase(), bot.activity('sam', { type: 'message', text: 'hello' })),
    );
    expect(upper.status).toBe(200);
  });
});

describe('production', () => {
  const bot = new BotHarness();
  beforeAll(async () => {
    bot.logLevel = 'info';
    await bot.start(PRODUCTION_SETTINGS);
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('the tab’s source map is not served; the tab is', async () => {
    const base = `http://127.0.0.1:${bot.port}/tab/assets`;
    expect((await fetch(`${base}/tab.js`)).status).toBe(200);
    const map = await fetch(`${base}/tab.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('sourcesContent');
  });

  it('says nothing of local mode or the development key', () => {
    expect(bot.logs.filter((l) => l.localMode || l.auditKey)).toEqual([]);
  });
});

describe('downloads', () => {
  const bot = new BotHarness();
  const REGISTER_ROWS = 20_000;
  beforeAll(async () => {
    bot.logLevel = 'trace';
    await bot.start({ PUBLIC_BASE_URL, DOWNLOAD_SIGNING_KEY: SIGNING_KEY, MAX_CONCURRENT_DOWNLOADS: '1' });
    // A register large enough that a download is still being sent while the next one asks.
    const rows = Array.from({ length: REGISTER_ROWS }, (_, i) => ({
      id: `reg-${String(i).padStart(6, '0')}`,
      batch_id: 'batch-big',
      record_id: `LL-${i}`,
      record_class: 'child-in-need',
      case_ref: `C-${i % 5000}`,
      format: 'electronic',
      earliest_date: null,
      latest_date: null,
      schedule_version: '2026.1',
      rule_id: 'rule',
      period: 'Until the child is 25, then review',
      trigger_field: null,
      trigger_date: null,
      retention_ended_on: '2020-01-01',
      checks: JSON.stringify([
        { id: 'retention-ended', passed: true, detail: 'Retention ended.', checkedAt: 'x' },
      ]),
      authorised_by: STAFF.morgan,
      authorised_at: '2026-11-01T10:00:00.000Z',
      destroyed_by: STAFF.dana,
      destroyed_on: '2026-11-02',
      method: 'confidential-shredding',
      certificate_ref: null,
      quantity: 1,
      created_at: `2026-11-02T10:00:00.${String(i % 1000).padStart(3, '0')}Z`,
    }));
    await bot.app.store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto('destruction_register')
          .values(rows.slice(i, i + 500))
          .execute();
    });
  });
  afterAll(async () => {
    await bot.stop();
  });

  /** Starts a download and reads only its headers, leaving the body unread (a slow browser). */
  function startSlowDownload(
    url: string,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; abort: () => void }> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, (res) => {
        res.pause();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, abort: () => req.destroy() });
      });
      req.on('error', reject);
    });
  }

  it('the register streams: sent in chunks as it is read, every entry once', async () => {
    const response = await fetch(linkFor(bot, DOWNLOADS.registerCsv, 'morgan'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines).toHaveLength(REGISTER_ROWS + 1);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(REGISTER_ROWS);
  });

  it('one download more than MAX_CONCURRENT_DOWNLOADS gets 503 with Retry-After, and works once a slot frees', async () => {
    const slow = await startSlowDownload(linkFor(bot, DOWNLOADS.registerCsv, 'morgan'));
    expect(slow.status).toBe(200);
    const refused = await fetch(linkFor(bot, DOWNLOADS.registerXlsx, 'dana'));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /Too many downloads .* try again in 5 seconds/,
    );
    slow.abort();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const again = await fetch(linkFor(bot, DOWNLOADS.registerXlsx, 'dana'));
      status = again.status;
      await again.body?.cancel();
    }
    expect(status).toBe(200);
  });

  it('a route that fails answers 500 with a reference and nothing internal; the log has the error', async () => {
    await execRaw(bot.app.store.db, 'ALTER TABLE staff RENAME TO staff_away');
    try {
      const response = await fetch(linkFor(bot, DOWNLOADS.registerCsv, 'morgan'));
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error: string; reference: string };
      expect(body.error).toBe(
        'Something went wrong on our side. Nothing was changed; please try again in a moment.',
      );
      expect(JSON.stringify(body)).not.toMatch(/staff|sqlite|no such table/i);
      const logged = bot.logs.find((l) => l.errorRef === body.reference);
      expect(logged).toMatchObject({ msg: 'request failed', status: 500 });
      expect(JSON.stringify(logged)).toContain('no such table');
    } finally {
      await execRaw(bot.app.store.db, 'ALTER TABLE staff_away RENAME TO staff');
    }
  });

  it('no log line holds a signed query string, even for links refused or gone astray', async () => {
    const link = linkFor(bot, DOWNLOADS.registerCsv, 'morgan');
    const signature = new URL(link).searchParams.get('sig')!;
    await (await fetch(link)).arrayBuffer();
    await fetch(link.replace('/downloads/register.csv', '/downloads/nowhere.csv'));
    await fetch(link.replace('/downloads/register.csv', '/downloads/register.csv/'), { method: 'POST' });
    await fetch(`${link}&sig=forged`);
    await fetch(link.replace('/downloads/register.csv', '/api/tab/me'));
    expect(bot.logs.length).toBeGreaterThan(0);
    expect(bot.logs.some((l) => JSON.stringify(l).includes('/downloads/nowhere.csv'))).toBe(true);
    const leaked = bot.logs.filter((l) => JSON.stringify(l).includes(signature));
    expect(leaked).toEqual([]);
  });
});
