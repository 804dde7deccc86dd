import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DestructionService } from '../../src/services/destruction.js';
import { STAFF, type Person } from '../support/bot-harness.js';
import { launchChromium } from '../support/chromium.js';
import { hostContext, hostPage, TabHarness } from './support.js';

// The tab in headless Chromium, framed by a test page that plays the Teams host: the teams-js
// handshake (initialize, context with user and theme), and SSO tokens signed by the test key the
// API trusts. Checks what each role sees and can do.

const tab = new TabHarness();
let browser: Browser;
let samRequest: string;

beforeAll(async () => {
  // The development identity is on (local mode), for the "opened outside Teams" check; inside
  // the host every call carries the SSO token.
  await Promise.all([
    tab.start({ TAB_DEV_IDENTITY: STAFF.sam }),
    launchChromium().then((b) => (browser = b)),
  ]);
  samRequest = await tab.request('sam');
}, 60_000);

afterEach(async () => {
  // Pages a failed test left open.
  await Promise.all(browser.contexts().map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await tab.stop();
});

/** Opens the tab inside the test Teams host as `person`; returns the page and the tab's frame. */
async function openInTeams(
  person: Person,
  theme: 'default' | 'dark' | 'contrast' = 'default',
): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
  // No internet: teams-js's look-up of valid host origins fails at once and it uses its own list.
  await page.route('https://**/*', (route) => route.abort());
  const token = await tab.token(person);
  await page.route(`${tab.base}/test-host.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: hostPage({ context: hostContext(person, theme), token }),
    }),
  );
  await page.goto(`${tab.base}/test-host.html`);
  const frame = page.frameLocator('#tab');
  await frame.locator('body[data-state="ready"], body[data-state="refused"]').waitFor();
  return { page, frame };
}

/** The list headings of the open view, with their counts. */
function headings(frame: FrameLocator): Promise<string[]> {
  return frame.locator('[role="tabpanel"]:not([hidden]) h2').allTextContents();
}

function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Text and background colours of what matters most for reading: the page, a button, the tabs. */
async function colours(frame: FrameLocator) {
  return frame.locator('body').evaluate(() => {
    const style = (selector: string) => {
      const el = document.querySelector(selector);
      if (!el) return null;
      const s = getComputedStyle(el);
      return { color: s.color, background: s.backgroundColor };
    };
    return {
      theme: document.documentElement.dataset.theme,
      body: style('body'),
      card: style('.item article'),
      primary: style('.btn.primary'),
      tab: style('.tab[aria-selected="true"]'),
      subtle: getComputedStyle(document.querySelector('.who')!).color,
    };
  });
}

describe('the personal tab in a Teams host', () => {
  it('completes the teams-js handshake and asks for the SSO token', async () => {
    const { page, frame } = await openInTeams('sam');
    const log = await page.evaluate(() => (window as unknown as { hostLog: string[] }).hostLog);
    expect(log).toContain('initialize');
    expect(log).toContain('getContext');
    expect(log).toContain('authentication.getAuthToken');
    await expect(frame.getByTestId('dev-banner').count()).resolves.toBe(0);
    await page.close();
  });

  it('a case worker (Sam) sees his requests, with status and due date, and no team or RMS view', async () => {
    const { page, frame } = await openInTeams('sam');
    await expect(frame.getByRole('banner').textContent()).resolves.toContain('Sam Taylor');
    const tabs = await frame.getByRole('tab').allTextContents();
    expect(tabs).toEqual(['My requests', 'Retention lookup']);
    await expect(frame.getByRole('tab', { name: 'My requests' }).getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
    const item = frame.locator(`li[data-id="${samRequest}"]`);
    await item.waitFor();
    const text = await item.textContent();
    expect(text).toContain('Case 1234567');
    expect(text).toContain('waiting for the line manager');
    expect(text).toContain('Due back27 November 2026');
    expect(text).toContain('Priya Shah');
    // His own request: he may withdraw it, never approve it.
    await expect(item.getByRole('button', { name: 'Withdraw request' }).count()).resolves.toBe(1);
    await expect(item.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
    await page.close();
  });

  it('refuses Jo approving Sam’s request through the API: 403 and nothing changes', async () => {
    const before = await tab.bot.stateCounts();
    const res = await tab.call(
      'POST',
      `/api/tab/authorisations/${samRequest}/actions`,
      { person: 'jo' },
      { action: 'approve', version: 1 },
    );
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      error: 'Only the requester’s line manager, or a manager acting for them, can do that.',
      code: 'not_line_manager',
    });
    expect(await tab.bot.stateCounts()).toEqual(before);
    expect(await tab.bot.row(samRequest)).toMatchObject({ status: 'pending', version: 1 });
    // And Sam cannot decide his own request either.
    const own = await tab.call(
      'POST',
      `/api/tab/authorisations/${samRequest}/actions`,
      { person: 'sam' },
      { action: 'approve', version: 1 },
    );
    expect(own.status).toBe(403);
    expect(own.json.error).toMatch(/cannot decide on your own request/);
  });

  it('the line manager (Priya) sees Sam’s pending request and approves it', async () => {
    const { page, frame } = await openInTeams('priya');
    await expect(frame.getByRole('tab', { name: 'My team' }).getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
    const pending = frame.getByRole('region', { name: /Waiting for your decision/ });
    await pending.locator(`li[data-id="${samRequest}"]`).waitFor();
    expect(await headings(frame)).toEqual([
      'Waiting for your decision (1)',
      'Overdue (0)',
      'Out of the office now (0)',
      'Approved, leaving later (0)',
    ]);
    expect(await pending.locator(`li[data-id="${samRequest}"]`).textContent()).toContain(
      'Sam Taylor · case 1234567',
    );
    await pending.getByRole('button', { name: 'Approve' }).click();
    // Out today: it moves to "Out of the office now", with the notice and the focus, and the
    // counts follow.
    const out = frame.getByRole('region', { name: /Out of the office now/ });
    const item = out.locator(`li[data-id="${samRequest}"]`);
    const notice = item.locator('.notice.ok');
    await notice.waitFor();
    expect(await notice.textContent()).toBe("Approved Sam Taylor's request for case 1234567.");
    expect(await item.locator('.badge').first().textContent()).toBe('approved');
    expect(await headings(frame)).toEqual([
      'Waiting for your decision (0)',
      'Overdue (0)',
      'Out of the office now (1)',
      'Approved, leaving later (0)',
    ]);
    await expect(item.locator('h3').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(await pending.textContent()).toContain('Nothing is waiting for you.');
    // Approved: she may now cancel it (with a reason) or confirm the return.
    await expect(item.getByRole('button', { name: 'Cancel and request return' }).count()).resolves.toBe(1);
    expect(await tab.bot.row(samRequest)).toMatchObject({
      status: 'approved',
      decided_by: STAFF.priya,
      version: 2,
    });
    expect(await tab.bot.auditActions(samRequest)).toContain('removal.approve');
    await page.close();
  });

  it('cancelling needs a reason, then asks for the records back', async () => {
    const { page, frame } = await openInTeams('priya');
    const item = frame.locator(`li[data-id="${samRequest}"]`);
    await item.getByRole('button', { name: 'Cancel and request return' }).click();
    const reason = item.getByLabel(/Reason for cancelling/);
    await expect(reason.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await item.getByRole('button', { name: 'Cancel authorisation' }).click();
    expect(await item.locator('.field-error').textContent()).toMatch(/Please give a reason/);
    expect((await tab.bot.row(samRequest)).status).toBe('approved');
    await reason.fill('The case is going to court on Monday');
    await reason.press('Enter'); // a newline in the text area; the button sends it
    await item.getByRole('button', { name: 'Cancel authorisation' }).click();
    await item.locator('.notice.ok').waitFor();
    expect(await tab.bot.row(samRequest)).toMatchObject({
      status: 'return_requested',
      reason: 'The case is going to court on Monday',
    });
    await page.close();
  });

  it('a removal approved to start later is listed under "Approved, leaving later", not as out of the office', async () => {
    const later = await tab.request('alex', {
      caseRef: '1600229',
      outOn: '2026-11-30',
      returnOn: '2026-12-02',
    });
    const declined = await tab.request('jo', { caseRef: '1600229' });
    const { page, frame } = await openInTeams('priya');
    const pending = frame.getByRole('region', { name: /Waiting for your decision/ });
    await pending.locator(`li[data-id="${later}"]`).waitFor();
    expect(await headings(frame)).toEqual([
      'Waiting for your decision (2)',
      'Overdue (0)',
      'Out of the office now (1)',
      'Approved, leaving later (0)',
    ]);
    await pending.locator(`li[data-id="${later}"]`).getByRole('button', { name: 'Approve' }).click();
    const leaving = frame.getByRole('region', { name: /Approved, leaving later/ });
    await leaving.locator(`li[data-id="${later}"] .notice.ok`).waitFor();
    expect(await headings(frame)).toEqual([
      'Waiting for your decision (1)',
      'Overdue (0)',
      'Out of the office now (1)',
      'Approved, leaving later (1)',
    ]);
    const out = frame.getByRole('region', { name: /Out of the office now/ });
    expect(await out.locator(`li[data-id="${later}"]`).count()).toBe(0);

    // Declined, it belongs to no list any more: shown once above them, with what happened.
    const jo = pending.locator(`li[data-id="${declined}"]`);
    await jo.getByRole('button', { name: 'Decline' }).click();
    await jo.getByLabel(/Reason for declining/).fill('Please work on it in the office');
    await jo.getByRole('button', { name: 'Decline request' }).click();
    const changed = frame.getByRole('region', { name: /Changed just now/ });
    await changed.locator(`li[data-id="${declined}"] .notice.ok`).waitFor();
    expect(await changed.locator('.badge').first().textContent()).toBe('declined');
    expect(await headings(frame)).toEqual([
      'Changed just now (1)',
      'Waiting for your decision (0)',
      'Overdue (0)',
      'Out of the office now (1)',
      'Approved, leaving later (1)',
    ]);
    expect((await tab.bot.row(later)).status).toBe('approved');
    expect((await tab.bot.row(declined)).status).toBe('declined');
    await page.close();
  });

  it('the requester’s lists follow too: records marked returned move to "Recently closed"', async () => {
    const { page, frame } = await openInTeams('sam');
    const open = frame.getByRole('region', { name: /Open requests and authorisations/ });
    const item = open.locator(`li[data-id="${samRequest}"]`);
    await item.waitFor();
    const before = await headings(frame);
    expect(before[0]).toBe('Open requests and authorisations (1)');
    await item.getByRole('button', { name: 'Mark records returned' }).click();
    const closed = frame.getByRole('region', { name: /Recently closed/ });
    await closed.locator(`li[data-id="${samRequest}"] .notice.ok`).waitFor();
    expect(await headings(frame)).toEqual([
      'Open requests and authorisations (0)',
      `Recently closed (${Number(/\((\d+)\)/.exec(before[1]!)![1]) + 1})`,
    ]);
    expect((await tab.bot.row(samRequest)).status).toBe('returned');
    await page.close();
  });

  it('shows a refusal from the server on the card: a request withdrawn meanwhile (stale version)', async () => {
    const second = await tab.request('alex', { caseRef: '1600229' });
    const { page, frame } = await openInTeams('priya');
    const item = frame.locator(`li[data-id="${second}"]`);
    await item.waitFor();
    const withdrawn = await tab.removals().act(STAFF.alex, second, { kind: 'withdraw' }, 1);
    expect(withdrawn.ok).toBe(true);
    const before = await tab.bot.stateCounts();
    await item.getByRole('button', { name: 'Approve' }).click();
    const alert = item.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'This request has changed since you last saw it: it is now withdrawn. Nothing was changed.',
    );
    // Redrawn as it is now: withdrawn, nothing left to press.
    expect(await item.locator('.badge').first().textContent()).toBe('withdrawn');
    await expect(item.getByRole('button').count()).resolves.toBe(0);
    expect(await tab.bot.stateCounts()).toEqual(before);
    await page.close();
  });

  it('Records Management (Morgan) sees the due counts with a chart, holds, batches and the register export', async () => {
    const service = new DestructionService(tab.bot.app.store.db, tab.bot.clock, { twoPersonRule: true });
    const due = await service.due(STAFF.morgan);
    if (!due.ok) throw new Error(due.message);
    expect(due.total).toBeGreaterThan(0);

    const { page, frame } = await openInTeams('morgan');
    await expect(
      frame.getByRole('tab', { name: 'Records Management' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    const summary = frame.getByTestId('due-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toBe(
      `${due.total} records are due for destruction or review by 26 November 2026.`,
    );
    const chart = frame.getByRole('img', { name: /Records due, by the month their retention ended/ });
    await expect(chart.locator('rect.bar').count()).resolves.toBe(13);
    const byClass = frame.getByRole('table', { name: 'Due by record class' });
    const firstGroup = due.groups[0]!;
    const row = byClass.getByRole('row', { name: new RegExp(firstGroup.classTitle.replace(/[()]/g, '.')) });
    const total = due.groups.filter((g) => g.classId === firstGroup.classId).reduce((n, g) => n + g.count, 0);
    expect(await row.getByRole('cell').first().textContent()).toBe(String(total));
    // The records by their class's name, never its id.
    const records = await frame.getByRole('table', { name: /^Records due \(page 1 of/ }).textContent();
    expect(records).toContain(due.records[0]!.classTitle);
    for (const r of due.records.filter((x) => x.recordClass.includes('-')))
      expect(records).not.toContain(r.recordClass);
    await frame.getByRole('region', { name: 'Holds in force' }).waitFor();
    await frame.getByRole('region', { name: 'Destruction batches' }).waitFor();

    await frame.getByRole('button', { name: 'Export register (CSV)' }).click();
    const link = frame.getByRole('link', { name: /Download destruction-register-2026-11-26\.csv/ });
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/downloads\/register\.csv\?by=/);
    const csv = await fetch(`${tab.base}${href}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('destruction-register-2026-11-26.csv');
    expect(await csv.text()).toContain('Entry ID,Batch reference');
    // The same link altered, or asked for by someone else's token, is refused.
    expect((await fetch(`${tab.base}${href!.replace('by=', 'by=x')}`)).status).toBe(401);
    await page.close();
  });

  it('the register in the tab names each record’s class, never its id', async () => {
    const service = new DestructionService(tab.bot.app.store.db, tab.bot.clock, { twoPersonRule: true });
    const created = await service.createBatch(STAFF.morgan, { filter: { classId: 'supervision-order' } });
    if (!created.ok) throw new Error(created.message);
    const done = await service.confirm(STAFF.dana, created.batch.id, {
      expectedVersion: created.batch.version,
      logChecks: { litigation: true, claim: true, subject_access_request: true, foi_request: true },
    });
    if (!done.ok) throw new Error(done.message);
    expect(done.destroyed.length).toBeGreaterThan(0);

    const { page, frame } = await openInTeams('morgan');
    const register = frame.getByRole('table', { name: /^Destruction register: / });
    await register.waitFor();
    const text = await register.textContent();
    expect(text).toContain('Child under a supervision order (not in care)');
    expect(text).not.toContain('supervision-order');
    await page.close();
  });

  it('a case worker asking for the RMS views gets 403', async () => {
    for (const path of [
      '/api/tab/rms/due',
      '/api/tab/rms/holds',
      '/api/tab/rms/batches',
      '/api/tab/rms/register',
    ]) {
      const res = await tab.call('GET', path, { person: 'sam' });
      expect(res.status, path).toBe(403);
      expect(res.json.error).toMatch(/Only the Records Management Service/);
    }
    expect((await tab.call('GET', '/api/tab/team', { person: 'sam' })).status).toBe(403);
  });

  it('the retention lookup answers for a record class (and works out the date) and for a case', async () => {
    const { page, frame } = await openInTeams('sam');
    await frame.getByRole('tab', { name: 'Retention lookup' }).click();
    await frame
      .getByLabel('Record class', { exact: true })
      .selectOption({ label: 'Looked after child case record' });
    await frame.getByRole('button', { name: 'Show retention' }).click();
    const details = frame.getByRole('article', { name: 'Looked after child case record' });
    expect(await details.textContent()).toContain('Until the 75th anniversary of the child');
    await details.getByLabel('The date of birth').fill('2012-05-14');
    await details.getByRole('button', { name: 'Work it out' }).click();
    const answer = details.locator('.calc-result .headline');
    await answer.waitFor();
    expect(await answer.textContent()).toBe('Retention ends on 14 May 2087.');

    await frame.getByLabel('Case reference').fill('1234567');
    await frame.getByRole('button', { name: 'Look up case' }).click();
    const table = frame.getByRole('table', { name: /Retention of the records of case 1234567/ });
    await table.waitFor();
    const text = await table.textContent();
    expect(text).toContain('Health assessments (LL-400109, electronic)');
    expect(text).toContain('14 May 2087');

    await frame.getByLabel('Case reference').fill('7654321');
    await frame.getByRole('button', { name: 'Look up case' }).click();
    await expect(frame.getByRole('alert').textContent()).resolves.toBe(
      'Case 7654321 is not in the records inventory. Check the reference.',
    );
    await page.close();
  });

  it('moves between views with the keyboard (arrow keys on the tab list)', async () => {
    const { page, frame } = await openInTeams('morgan');
    const first = frame.getByRole('tab', { name: 'Records Management' });
    await first.focus();
    await first.press('ArrowRight');
    const next = frame.getByRole('tab', { name: 'My requests' });
    await expect(next.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(next.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await next.press('End');
    await expect(
      frame.getByRole('tab', { name: 'Retention lookup' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await page.close();
  });

  it('follows the Teams theme: light, dark from the context, high contrast on a theme change, all readable', async () => {
    await tab.request('jo', { caseRef: '1600229' }); // something for Priya to approve (a primary button)
    const light = await openInTeams('priya', 'default');
    await light.frame.locator('.item article').first().waitFor();
    const l = await colours(light.frame);
    expect(l.theme).toBe('default');
    await light.page.close();

    const { page, frame } = await openInTeams('priya', 'dark');
    await frame.locator('.item article').first().waitFor();
    const d = await colours(frame);
    expect(d.theme).toBe('dark');
    expect(d.body!.background).toBe('rgb(31, 31, 31)');
    expect(luminance(d.body!.color)).toBeGreaterThan(0.9);

    await page.evaluate(() => (window as unknown as { setTheme(t: string): void }).setTheme('contrast'));
    await frame.locator('html[data-theme="contrast"]').waitFor();
    const c = await colours(frame);
    expect(c.body!.background).toBe('rgb(0, 0, 0)');

    for (const [name, set] of [
      ['light', l],
      ['dark', d],
      ['contrast', c],
    ] as const) {
      const page = set.body!.background;
      expect(contrast(set.body!.color, page), `${name} text`).toBeGreaterThanOrEqual(7);
      expect(contrast(set.subtle, page), `${name} secondary text`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(set.card!.color, set.card!.background), `${name} card`).toBeGreaterThanOrEqual(7);
      expect(
        contrast(set.primary!.color, set.primary!.background),
        `${name} primary button`,
      ).toBeGreaterThanOrEqual(4.5);
      expect(contrast(set.tab!.color, page), `${name} selected tab`).toBeGreaterThanOrEqual(4.5);
    }
    await page.close();
  });

  it('opened outside Teams in local mode, it uses the development identity and says so', async () => {
    const page = await browser.newPage();
    await page.route('https://**/*', (route) => route.abort());
    await page.goto(`${tab.base}/tab/index.html`);
    await page.locator('body[data-state="ready"]').waitFor();
    expect(await page.getByTestId('dev-banner').textContent()).toContain(
      'Development identity. You are acting as Sam Taylor without Teams sign-in.',
    );
    await page.close();
  });

  it('a host that cannot get a token shows the sign-in sentence, not data', async () => {
    const page = await browser.newPage();
    await page.route('https://**/*', (route) => route.abort());
    await page.route(`${tab.base}/test-host.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: hostPage({ context: hostContext('sam', 'default'), token: null }),
      }),
    );
    await page.goto(`${tab.base}/test-host.html`);
    const frame = page.frameLocator('#tab');
    await frame.locator('body[data-state="refused"]').waitFor();
    expect(await frame.getByRole('alert').textContent()).toMatch(/Teams could not sign you in to the tab/);
    await page.close();
  });
});
