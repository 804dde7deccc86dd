import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF } from '../support/bot-harness.js';
import { TabHarness } from './support.js';

// The tab API over HTTP with real SSO tokens: the same services and rules the cards use, 403
// with the rules' sentence when they refuse, and the local development identity.

const tab = new TabHarness();

beforeAll(() => tab.start({ TAB_DEV_IDENTITY: STAFF.jo }));
afterAll(() => tab.stop());

const act = (person: 'sam' | 'jo' | 'priya' | 'helen', id: string, body: unknown) =>
  tab.call('POST', `/api/tab/authorisations/${id}/actions`, { person }, body);

describe('tab API: removal authorisations', () => {
  it('lists my requests with what I may do, and my team’s for a line manager', async () => {
    const id = await tab.request('sam');
    const mine = await tab.call('GET', '/api/tab/requests/mine', { person: 'sam' });
    expect(mine.status).toBe(200);
    const open = mine.json.open as { id: string; can: Record<string, boolean>; returnOn: string }[];
    expect(open.find((a) => a.id === id)).toMatchObject({
      returnOn: '2026-11-27',
      can: {
        isRequester: true,
        canWithdraw: true,
        canDecide: false,
        canCancel: false,
        canMarkReturned: false,
      },
    });
    const team = await tab.call('GET', '/api/tab/team', { person: 'priya' });
    expect(team.status).toBe(200);
    expect(
      (team.json.pending as { id: string; can: { canDecide: boolean } }[]).find((a) => a.id === id),
    ).toMatchObject({ can: { canDecide: true } });
    // Helen manages Priya, not Sam: she sees none of his requests.
    const helen = await tab.call('GET', '/api/tab/team', { person: 'helen' });
    expect((helen.json.pending as { id: string }[]).some((a) => a.id === id)).toBe(false);
  });

  it('one request is visible to its requester and approvers only', async () => {
    const id = await tab.request('sam', { caseRef: '1600229' });
    expect((await tab.call('GET', `/api/tab/authorisations/${id}`, { person: 'priya' })).status).toBe(200);
    const jo = await tab.call('GET', `/api/tab/authorisations/${id}`, { person: 'jo' });
    expect(jo.status).toBe(403);
    expect(jo.json.error).toBe('Only the requester and their line manager can see this request.');
    expect((await tab.call('GET', '/api/tab/authorisations/nope', { person: 'priya' })).status).toBe(404);
  });

  it('decline needs a reason (422, nothing changes); with one it is declined; a second click is stale (409)', async () => {
    const id = await tab.request('sam', { caseRef: '1600229' });
    const before = await tab.bot.stateCounts();
    const noReason = await act('priya', id, { action: 'decline', version: 1, reason: '  ' });
    expect(noReason.status).toBe(422);
    expect(noReason.json).toMatchObject({ code: 'reason_missing', authorisation: { id, status: 'pending' } });
    expect(await tab.bot.stateCounts()).toEqual(before);

    const declined = await act('priya', id, {
      action: 'decline',
      version: 1,
      reason: 'Not needed for court',
    });
    expect(declined.status).toBe(200);
    expect(declined.json).toMatchObject({
      repeated: false,
      authorisation: {
        status: 'declined',
        reason: 'Not needed for court',
        version: 2,
        can: { canDecide: false },
      },
    });
    // The same click again is recognised as a repeat; an approve on the old version is stale.
    expect((await act('priya', id, { action: 'decline', version: 1, reason: 'again' })).json.repeated).toBe(
      true,
    );
    const stale = await act('priya', id, { action: 'approve', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('stale');
    expect(await tab.bot.outbox('removal.declined')).toHaveLength(1);
  });

  it('refuses someone outside the relationship without showing them the request', async () => {
    const id = await tab.request('sam', { caseRef: '1600229' });
    const before = await tab.bot.stateCounts();
    const helen = await act('helen', id, { action: 'approve', version: 1 });
    expect(helen.status).toBe(403);
    expect(helen.json).toEqual({
      error: 'Only the requester’s line manager, or a manager acting for them, can do that.',
      code: 'not_line_manager',
    });
    const withdraw = await act('jo', id, { action: 'withdraw', version: 1 });
    expect(withdraw.status).toBe(403);
    expect(withdraw.json.authorisation).toBeUndefined();
    expect(await tab.bot.stateCounts()).toEqual(before);
  });

  it('rejects actions named after object methods with 400, changing nothing', async () => {
    const id = await tab.request('sam', { caseRef: '1600229' });
    const before = await tab.bot.stateCounts();
    for (const action of ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty']) {
      const res = await act('priya', id, { action, version: 1 });
      expect(res.status, action).toBe(400);
      expect(res.json.code, action).toBe('bad_request');
    }
    expect(await tab.bot.stateCounts()).toEqual(before);
    expect((await tab.bot.row(id)).status).toBe('pending');
  });

  it('rejects a malformed action with 400', async () => {
    const id = await tab.request('sam', { caseRef: '1600229' });
    for (const body of [
      {},
      { action: 'delete', version: 1 },
      { action: 'approve' },
      { action: 'approve', version: '1' },
    ]) {
      const res = await act('priya', id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await tab.bot.row(id)).status).toBe('pending');
  });
});

describe('tab API: retention', () => {
  it('serves the schedule in force and calculates a class’s retention from typed dates', async () => {
    const schedule = await tab.call('GET', '/api/tab/retention/schedule', { person: 'sam' });
    expect(schedule.status).toBe(200);
    expect((schedule.json.classes as unknown[]).length).toBeGreaterThan(10);
    expect(schedule.json.dateFieldLabels).toMatchObject({ dateOfBirth: 'date of birth' });

    const calc = (dates: Record<string, string | null>, classId = 'looked-after-child') =>
      tab.call('POST', '/api/tab/retention/calculate', { person: 'sam' }, { classId, dates });
    const answer = await calc({ dateOfBirth: '2012-05-14' });
    expect(answer.json).toMatchObject({
      answer: { status: 'retained', endsOn: '2087-05-14' },
      today: '2026-11-26',
    });
    const died = await calc({ dateOfBirth: '2000-01-01', dateOfDeath: '2010-06-30' });
    expect(died.json).toMatchObject({ answer: { status: 'due', endsOn: '2025-06-30' } });
    expect((await calc({})).json).toMatchObject({
      answer: { status: 'incomplete', missing: ['dateOfBirth'] },
    });
    expect((await calc({ dateOfBirth: '31/02/2012' })).status).toBe(400);
    expect((await calc({}, 'no-such-class')).status).toBe(404);
  });

  it('looks up a case, and says when it is unknown', async () => {
    const found = await tab.call('GET', '/api/tab/retention/cases/1234567', { person: 'jo' });
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ caseRef: '1234567', today: '2026-11-26' });
    const unknown = await tab.call('GET', '/api/tab/retention/cases/7654321', { person: 'jo' });
    expect(unknown.status).toBe(404);
    expect(
      (await tab.call('GET', `/api/tab/retention/cases/${encodeURIComponent('<x>')}`, { person: 'jo' }))
        .status,
    ).toBe(400);
  });
});

describe('tab API: Records Management', () => {
  it('gives an RMS officer the due counts, holds, batches and register; others get 403', async () => {
    const due = await tab.call('GET', '/api/tab/rms/due?dueBy=2027-12-31', { person: 'morgan' });
    expect(due.status).toBe(200);
    expect(due.json.dueBy).toBe('2027-12-31');
    expect((due.json.groups as { month: string }[]).some((g) => g.month === '2027-11')).toBe(true);
    expect((await tab.call('GET', '/api/tab/rms/due?dueBy=tomorrow', { person: 'morgan' })).status).toBe(400);
    for (const path of ['/api/tab/rms/holds', '/api/tab/rms/batches', '/api/tab/rms/register']) {
      expect((await tab.call('GET', path, { person: 'morgan' })).status, path).toBe(200);
      expect((await tab.call('GET', path, { person: 'priya' })).status, path).toBe(403);
    }
    const refused = await tab.call('GET', '/api/tab/rms/due', { person: 'priya' });
    expect(refused.json).toMatchObject({ code: 'not_records_management' });
    expect(refused.json.error).toMatch(/^Only the Records Management Service/);
  });

  it('exports the register through a short-lived signed link that only an RMS officer gets', async () => {
    const link = await tab.call(
      'POST',
      '/api/tab/rms/register/export',
      { person: 'morgan' },
      { format: 'xlsx' },
    );
    expect(link.status).toBe(200);
    const url = link.json.url as string;
    const file = await fetch(`${tab.base}${url}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    expect(
      (await tab.call('POST', '/api/tab/rms/register/export', { person: 'sam' }, { format: 'csv' })).status,
    ).toBe(403);
    expect((await fetch(`${tab.base}/downloads/register.csv`)).status).toBe(401);
    expect((await fetch(`${tab.base}${url.replace('register.xlsx', 'register.csv')}`)).status).toBe(401);
  });
});

describe('tab API: acting as a chosen person (local mode)', () => {
  it('lists the directory’s people for the persona picker, starting with TAB_DEV_IDENTITY', async () => {
    const res = await tab.call('GET', '/api/tab/dev/personas', {});
    expect(res.status).toBe(200);
    expect(res.json.initial).toBe(STAFF.jo);
    const people = res.json.people as { id: string; name: string; roles: string[] }[];
    expect(people.map((p) => p.name)).toEqual([
      'Alex Morgan',
      'Chris Okafor',
      'Dana Fox',
      'Helen Carter',
      'Jo Patel',
      'Morgan Ellis',
      'Priya Shah',
      'Rosa Lind',
      'Sam Taylor',
      'Tom Hughes',
    ]);
    expect(people.find((p) => p.id === STAFF.rosa)).toEqual({
      id: STAFF.rosa,
      name: 'Rosa Lind',
      roles: ['case_worker', 'line_manager'],
    });
  });

  it('acts as the person the page names, only without a token', async () => {
    const as = (id: string, auth: { person?: 'priya'; token?: string } = {}) =>
      tab.call('GET', '/api/tab/me', { ...auth, headers: { 'x-dev-identity': id } });
    expect((await as(STAFF.jo)).json).toMatchObject({ id: STAFF.jo, identity: 'development' });
    expect((await as(STAFF.priya.toUpperCase())).json).toMatchObject({
      id: STAFF.priya,
      identity: 'development',
      views: { team: true },
    });
    expect((await tab.call('GET', '/api/tab/me', {})).status).toBe(401);
    // Not an aadObjectId, or nobody in the directory.
    const word = await as('true');
    expect(word.status).toBe(401);
    expect(word.json.error).toMatch(/not an aadObjectId/);
    const stranger = await as('00000000-0000-4000-8000-000000000999');
    expect(stranger.status).toBe(403);
    expect(stranger.json.error).toMatch(/not in the staff directory/);
    // A token always wins, and a bad one is never replaced by the persona.
    expect((await as(STAFF.jo, { person: 'priya' })).json).toMatchObject({
      id: STAFF.priya,
      identity: 'sso',
    });
    expect((await as(STAFF.jo, { token: 'x.y.z' })).status).toBe(401);
  });
});

describe('the tab itself', () => {
  it('is served with a content security policy that lets only Teams frame it', async () => {
    const page = await fetch(`${tab.base}/tab/index.html`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('frame-ancestors');
    expect(csp).toContain('https://teams.microsoft.com');
    expect(await page.text()).toContain('assets/tab.js');
    expect((await fetch(`${tab.base}/tab/assets/tab.js`)).status).toBe(200);
    expect((await fetch(`${tab.base}/tab/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    const redirect = await fetch(`${tab.base}/tab`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
  });
});
