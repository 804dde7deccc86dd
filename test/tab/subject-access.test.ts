import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF } from '../support/bot-harness.js';
import { launchChromium } from '../support/chromium.js';
import { hostContext, hostPage, TabHarness } from './support.js';

// Subject access in the tab: a Records Management officer asks what the product holds about a case
// or a person, sees it in counts and downloads the files (signed links, compiled and audited again
// for each). Anyone else is refused.

const tab = new TabHarness();
let browser: Browser;
let requestId: string;

beforeAll(async () => {
  await Promise.all([tab.start(), launchChromium().then((b) => (browser = b))]);
  requestId = await tab.request('sam', { caseRef: '1234567' });
  await tab.request('jo', { caseRef: '1600229' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await tab.stop();
});

const reports = async () =>
  tab.bot.app.store.db
    .selectFrom('audit_log')
    .select(['actor_id', 'entity_id', 'details'])
    .where('action', '=', 'subject_access.reported')
    .orderBy('seq')
    .execute();

describe('tab API: subject access', () => {
  it('gives a Records Management officer the counts and links; the files hold the case, and each is audited', async () => {
    const before = (await reports()).length;
    const res = await tab.call(
      'POST',
      '/api/tab/rms/subject-access',
      { person: 'morgan' },
      { case: '1234567' },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ subject: 'Case 1234567', nothingHeld: false });
    const sections = res.json.sections as { id: string; rows: number }[];
    expect(sections.find((s) => s.id === 'removal_requests')?.rows).toBe(1);
    const downloads = res.json.downloads as Record<'json' | 'xlsx', { url: string; fileName: string }>;
    expect(downloads.json.url).toMatch(/^\/downloads\/subject-access\/case\/1234567\.json\?by=/);
    expect(downloads.xlsx.fileName).toBe('subject-access-case-1234567-2026-11-26.xlsx');

    const json = await fetch(`${tab.base}${downloads.json.url}`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toContain('subject-access-case-1234567-2026-11-26.json');
    const report = (await json.json()) as {
      subject: unknown;
      sections: { id: string; rows: { id?: string }[] }[];
    };
    expect(report.subject).toEqual({ kind: 'case', caseRef: '1234567' });
    expect(report.sections.find((s) => s.id === 'removal_requests')?.rows.map((r) => r.id)).toEqual([
      requestId,
    ]);
    expect(JSON.stringify(report)).not.toContain('1600229');
    const xlsx = await fetch(`${tab.base}${downloads.xlsx.url}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect((await xlsx.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    // The summary and both downloads are in the audit log, as Morgan.
    const audited = (await reports()).slice(before);
    expect(
      audited.map((a) => [a.actor_id, a.entity_id, (JSON.parse(a.details) as { format: string }).format]),
    ).toEqual(['summary', 'json', 'xlsx'].map((format) => [STAFF.morgan, 'case:1234567', format]));
    // An altered link is refused.
    expect((await fetch(`${tab.base}${downloads.json.url.replace('1234567', '1600229')}`)).status).toBe(401);
  });

  it('finds a person by email, and refuses everyone outside Records Management', async () => {
    const res = await tab.call(
      'POST',
      '/api/tab/rms/subject-access',
      { person: 'dana' },
      { person: 'sam.taylor@council.example' },
    );
    expect(res.status).toBe(200);
    expect(res.json.subject).toBe(`Sam Taylor (sam.taylor@council.example, staff id ${STAFF.sam})`);
    for (const person of ['sam', 'priya'] as const) {
      const refused = await tab.call('POST', '/api/tab/rms/subject-access', { person }, { case: '1234567' });
      expect(refused.status).toBe(403);
      expect(refused.json.error).toMatch(/Only the Records Management Service/);
    }
    const both = await tab.call(
      'POST',
      '/api/tab/rms/subject-access',
      { person: 'morgan' },
      { case: '1', person: 'x' },
    );
    expect(both.status).toBe(400);
    const bad = await tab.call(
      'POST',
      '/api/tab/rms/subject-access',
      { person: 'morgan' },
      { case: 'no spaces please' },
    );
    expect(bad.status).toBe(400);
  });
});

describe('the tab: subject access in the Records Management view', () => {
  it('searches a case and offers the files', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
    await page.route('https://**/*', (route) => route.abort());
    const token = await tab.token('morgan');
    await page.route(`${tab.base}/test-host.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: hostPage({ context: hostContext('morgan', 'default'), token }),
      }),
    );
    await page.goto(`${tab.base}/test-host.html`);
    const frame = page.frameLocator('#tab');
    await frame.locator('body[data-state="ready"]').waitFor();
    const region = frame.getByRole('region', { name: 'Subject access' });
    await region.waitFor();
    await region.getByLabel('Case reference').fill('1234567');
    await region.getByRole('button', { name: 'Find what the product holds' }).click();
    const summary = region.getByTestId('subject-access-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(
      /^Case 1234567: \d+ items in \d+ kinds of data; \d+ members? of staff named\.$/,
    );
    await expect(
      region
        .getByRole('table', { name: 'What the product holds' })
        .getByRole('row', { name: /Removal requests/ })
        .count(),
    ).resolves.toBe(1);
    const link = region.getByRole('link', { name: 'Download subject-access-case-1234567-2026-11-26.xlsx' });
    expect(await link.getAttribute('href')).toMatch(/^\/downloads\/subject-access\/case\/1234567\.xlsx\?by=/);
    await region.getByLabel('A member of staff').check();
    await region.getByLabel('Staff id or email address').fill('nobody@council.example');
    await region.getByRole('button', { name: 'Find what the product holds' }).click();
    await expect
      .poll(() => summary.textContent())
      .toBe('nobody@council.example (not in the staff directory): the product holds nothing about them.');
    await page.close();
  });
});
