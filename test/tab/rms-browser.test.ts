import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DestructionService } from '../../src/services/destruction.js';
import { HoldService } from '../../src/services/holds.js';
import { BotHarness, STAFF } from '../support/bot-harness.js';
import { launchChromium } from '../support/chromium.js';

// Records Management in the tab, in headless Chromium, opened outside Teams in local mode and
// switched between officers with the persona picker: Morgan previews and creates a batch, Dana
// ticks the four logs held outside the app and confirms it, and the register shows the records; a
// review decision for a record and for the rest of its list; a hold placed and released, and a
// release refused because someone else released it first. After each action the outcome has the
// focus and the lists and counts are drawn again from the server.

const bot = new BotHarness();
let browser: Browser;

beforeAll(async () => {
  await Promise.all([bot.start(), launchChromium().then((b) => (browser = b))]);
}, 60_000);

afterEach(async () => {
  await Promise.all(browser.contexts().map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await bot.stop();
});

const PERSONAS = {
  morgan: 'Morgan Ellis (Records Management officer)',
  dana: 'Dana Fox (Records Management officer)',
} as const;

/** Opens the tab outside Teams as `person`, chosen in the persona picker; the Records Management view. */
async function openAs(person: keyof typeof PERSONAS, page?: Page): Promise<Page> {
  if (!page) {
    page = await (await browser.newContext({ viewport: { width: 1300, height: 1400 } })).newPage();
    await page.route('https://**/*', (route) => route.abort());
    await page.goto(`http://127.0.0.1:${bot.port}/tab/index.html`);
    await page.locator('body[data-state="choosing"], body[data-state="ready"]').waitFor();
  }
  await page.getByLabel('Act as').selectOption({ label: PERSONAS[person] });
  await page.locator('body[data-state="ready"]').waitFor();
  await page.getByTestId('due-summary').waitFor();
  return page;
}

/** The element that has the focus is `locator`. */
async function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

const db = () => bot.app.store.db;

describe('Records Management in the tab', () => {
  it('Morgan previews and creates a batch; Dana ticks the four logs and confirms; the register shows the records', async () => {
    const page = await openAs('morgan');
    const batches = page.getByRole('region', { name: 'Destruction batches' });
    await expect(batches.textContent()).resolves.toContain('There are no destruction batches yet.');

    // Preview: what would go in, by class and month; nothing is created.
    await batches.getByLabel('Record class').selectOption({ value: 'early-help' });
    await batches.getByRole('button', { name: 'Preview a batch' }).click();
    const preview = batches.getByRole('article', { name: 'New destruction batch: preview' });
    await preview.waitFor();
    await expect(hasFocus(preview.getByRole('heading', { level: 3 }))).resolves.toBe(true);
    expect(await preview.getByTestId('preview-summary').textContent()).toBe(
      'A new batch would hold 5 record(s): 5 pass every check, 0 are blocked. Nothing has been created yet: check it, then press Create the batch.',
    );
    expect(
      await preview.getByRole('table', { name: 'What would go in, by class and month' }).textContent(),
    ).toContain('Early help');
    expect(await db().selectFrom('destruction_batches').selectAll().execute()).toEqual([]);

    // Create: the batch opens, saying a second officer must confirm and who was asked.
    await preview.getByRole('button', { name: 'Create the batch' }).click();
    const created = batches.locator('article.batch');
    await created.waitFor();
    const [row] = await db().selectFrom('destruction_batches').selectAll().execute();
    expect(row).toMatchObject({ status: 'awaiting_confirmation', created_by: STAFF.morgan });
    expect(await created.getByRole('heading', { level: 3 }).textContent()).toBe(
      `Destruction batch ${row!.reference}`,
    );
    const told = created.getByRole('status');
    expect(await told.textContent()).toBe(
      `Created destruction batch ${row!.reference} of 5 record(s). Nothing is destroyed until it is confirmed.`,
    );
    await expect(hasFocus(told)).resolves.toBe(true);
    expect(await created.locator('.next-step').textContent()).toContain('I have asked Dana Fox.');
    await expect(created.getByRole('button', { name: 'Confirm destruction' }).count()).resolves.toBe(0);
    await expect(created.getByRole('button', { name: 'Cancel the batch' }).count()).resolves.toBe(1);
    await expect(preview.count()).resolves.toBe(0);
    // The list follows, and so does the due count (the records are in a batch now, still due).
    await batches.getByRole('button', { name: `Open batch ${row!.reference}` }).waitFor();

    // Dana, on the same page through the picker: she opens it and may confirm.
    await openAs('dana', page);
    const hers = page.getByRole('region', { name: 'Destruction batches' });
    await hers.getByRole('button', { name: `Open batch ${row!.reference}` }).click();
    const batch = hers.locator('article.batch');
    await batch.getByRole('button', { name: 'Confirm destruction' }).click();
    const form = batch.getByRole('form', { name: 'Confirm destruction' });
    const litigation = form.getByLabel('Litigation log (Legal Services): I checked it for these records');
    await expect(hasFocus(litigation)).resolves.toBe(true);
    expect(await batch.getByRole('table', { name: /^Its records/ }).textContent()).toContain(
      'electronic: Secure deletion from Livelink',
    );

    // Three of the four ticked: refused in the form, nothing destroyed.
    await litigation.check();
    await form.getByLabel(/^Claims log/).check();
    await form.getByLabel(/^Subject access request log/).check();
    await form.getByRole('button', { name: 'Destroy the records that pass' }).click();
    const refused = form.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('FOI request log (Information Governance)');
    await expect(hasFocus(refused)).resolves.toBe(true);
    expect(await db().selectFrom('destruction_register').selectAll().execute()).toEqual([]);

    await form.getByLabel(/^FOI request log/).check();
    await form.getByRole('button', { name: 'Destroy the records that pass' }).click();
    const done = batch.getByRole('status');
    await done.waitFor();
    expect(await done.textContent()).toBe('Destroyed 5 record(s) and entered them in the register.');
    await expect(hasFocus(done)).resolves.toBe(true);
    expect(await batch.locator('.badge').textContent()).toBe('confirmed (its records have been destroyed)');
    await expect(
      batch
        .getByRole('link', { name: `Certificate of destruction (PDF): certificate-${row!.reference}.pdf` })
        .count(),
    ).resolves.toBe(1);

    // The register shows the records, by their class's name.
    const register = page.getByRole('table', { name: /^Destruction register: 5 entries/ });
    await register.waitFor();
    const entries = await db()
      .selectFrom('destruction_register')
      .select(['record_id', 'destroyed_by', 'authorised_by'])
      .orderBy('record_id')
      .execute();
    expect(entries).toHaveLength(5);
    const text = await register.textContent();
    for (const e of entries) {
      expect(e).toMatchObject({ destroyed_by: STAFF.dana, authorised_by: STAFF.morgan });
      expect(text).toContain(e.record_id);
    }
    expect(text).not.toContain('early-help');
    expect((await db().selectFrom('destruction_batches').selectAll().executeTakeFirstOrThrow()).status).toBe(
      'confirmed',
    );
  });

  it('a review decision for one record and for the rest of the list; the counts follow', async () => {
    const page = await openAs('morgan');
    const dueBefore = await page.getByTestId('due-summary').textContent();
    const review = page.getByRole('region', { name: 'Waiting for a review decision' });
    await review.getByLabel('Record class').selectOption({ value: 'looked-after-child' });
    await review.getByRole('button', { name: 'Show' }).click();
    const summary = review.getByTestId('review-summary');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="review-summary"]')?.textContent?.startsWith('4 records'),
    );

    // One record, ticked: destroy.
    await review.getByLabel('Choose LL-400167').check();
    expect(await review.getByText(/1 record ticked/).count()).toBe(1);
    const form = review.getByRole('form', { name: 'Record a review decision' });
    await form.getByLabel('Decision', { exact: true }).selectOption({ label: 'Destroy' });
    await form.getByRole('button', { name: 'Record the decision' }).click();
    // The reason is asked for by the server; nothing is recorded without it.
    const missing = form.getByRole('alert');
    await missing.waitFor();
    expect(await missing.textContent()).toBe(
      'Give the reason for the decision: it is recorded in the register.',
    );
    await form.getByLabel('Reason (kept with the decision)').fill('No further business need');
    await form.getByRole('button', { name: 'Record the decision' }).click();
    const recorded = review.getByRole('status');
    await recorded.waitFor();
    expect(await recorded.textContent()).toBe(
      'Recorded: destroy 1 record(s). They are now due for destruction and can go into a destruction batch.',
    );
    await expect(hasFocus(recorded)).resolves.toBe(true);
    expect(await summary.textContent()).toMatch(/^3 records wait for a review decision/);
    expect(
      await db()
        .selectFrom('records')
        .select('disposition')
        .where('record_id', '=', 'LL-400167')
        .executeTakeFirst(),
    ).toEqual({ disposition: 'destroy' });
    // Decided to destroy, it is now due.
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="due-summary"]')?.textContent !== before,
      dueBefore,
    );
    const n = (t: string | null) => Number(/^(\d+)/.exec(t ?? '')?.[1]);
    expect(n(await page.getByTestId('due-summary').textContent())).toBe(n(dueBefore) + 1);

    // The rest of the list, as a group: keep for five more years.
    await form.getByLabel('Every record in this list (3 records)').check();
    await form
      .getByLabel('Decision', { exact: true })
      .selectOption({ label: 'Keep for longer, then review again' });
    await form.getByLabel(/how many more years/).fill('5');
    await form.getByLabel('Reason (kept with the decision)').fill('Siblings still in care');
    await form.getByRole('button', { name: 'Record the decision' }).click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="review-summary"]')?.textContent?.startsWith('0 records'),
    );
    expect(await review.getByRole('status').textContent()).toBe(
      'Recorded: keep 3 record(s) for 5 more year(s), until a review on 26 November 2031.',
    );
    const kept = await db()
      .selectFrom('records')
      .select(['record_id', 'review_on'])
      .where('disposition', '=', 'keep')
      .orderBy('record_id')
      .execute();
    expect(kept).toEqual([
      { record_id: 'LL-400198', review_on: '2031-11-26' },
      { record_id: 'LL-400238', review_on: '2031-11-26' },
      { record_id: 'LL-400243', review_on: '2031-11-26' },
    ]);
  });

  it('a hold placed and released; a release someone else made first is refused and shown as it is now', async () => {
    const page = await openAs('morgan');
    const holds = page.getByRole('region', { name: 'Holds in force' });
    await holds.getByRole('button', { name: 'Place a hold', exact: true }).click();
    const form = holds.getByRole('form', { name: 'Place a hold on a case or record' });
    await expect(hasFocus(form.getByLabel('Case reference'))).resolves.toBe(true);
    await form.getByLabel('Case reference').fill('1600229');
    await form.getByLabel('Type').selectOption({ label: 'Litigation' });
    await form.getByLabel('Reference (claim, request or inquiry)').fill('CLAIM-2026-9');
    await form.getByLabel('Reason').fill('Proceedings issued');
    await form.getByRole('button', { name: 'Place the hold' }).click();
    const onCases = holds.getByRole('region', { name: /^On cases and records/ });
    const item = onCases.getByRole('article', { name: 'Litigation hold CLAIM-2026-9' });
    const placed = item.getByRole('status');
    await placed.waitFor();
    expect(await placed.textContent()).toBe(
      'Hold placed. Nothing under this hold can be destroyed until it is released.',
    );
    await expect(hasFocus(placed)).resolves.toBe(true);
    expect(await onCases.getByRole('heading', { level: 3 }).first().textContent()).toBe(
      'On cases and records (1)',
    );

    await item.getByRole('button', { name: 'Release' }).click();
    await item.getByLabel('Why is the hold released?').fill('Settled out of court');
    await item.getByRole('button', { name: 'Release the hold' }).click();
    const changed = holds.getByRole('region', { name: /^Changed just now/ });
    const released = changed.getByRole('status');
    await released.waitFor();
    expect(await released.textContent()).toBe('Hold released.');
    await expect(hasFocus(released)).resolves.toBe(true);
    expect(await changed.locator('.badge').textContent()).toBe('Released');
    expect(await onCases.textContent()).toContain('No hold is in force on a case or record.');
    const rows = await db().selectFrom('holds').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ released_by: STAFF.morgan, release_reason: 'Settled out of court' });

    // Another hold, released by Dana while Morgan's page still shows it in force.
    const service = new HoldService(db(), bot.clock);
    const other = await service.place(STAFF.dana, {
      caseRef: '1600229',
      type: 'claim',
      reference: 'CL-12',
      reason: 'A claim for damages',
    });
    if (!other.ok) throw new Error(other.message);
    await page.reload();
    await page.locator('body[data-state="ready"]').waitFor();
    const stale = page.getByRole('article', { name: 'Claim hold CL-12' });
    await stale.getByRole('button', { name: 'Release' }).click();
    expect((await service.release(STAFF.dana, other.hold.id, 'The claim was withdrawn')).ok).toBe(true);
    const before = await bot.stateCounts();
    await stale.getByLabel('Why is the hold released?').fill('Settled');
    await stale.getByRole('button', { name: 'Release the hold' }).click();
    const alert = page.getByRole('article', { name: 'Claim hold CL-12' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('This hold was already released by Dana Fox.');
    await expect(hasFocus(alert)).resolves.toBe(true);
    expect(
      await page.getByRole('article', { name: 'Claim hold CL-12' }).locator('.badge').textContent(),
    ).toBe('Released');
    expect(await bot.stateCounts()).toEqual(before);
  });

  it('a batch cancelled in one officer’s page is refused as stale in the other’s; a subject access deadline extended', async () => {
    const service = new DestructionService(db(), bot.clock, { twoPersonRule: true });
    const made = await service.createBatch(STAFF.morgan, {
      filter: { classId: 'child-arrangements', dueBy: '2026-11-26' },
    });
    if (!made.ok) throw new Error(made.message);
    const reference = made.batch.reference;

    // Dana opens it and ticks the four logs…
    const dana = await openAs('dana');
    await dana.getByRole('button', { name: `Open batch ${reference}` }).click();
    const hers = dana.locator(`article.batch[data-id="${made.batch.id}"]`);
    await hers.getByRole('button', { name: 'Confirm destruction' }).click();
    for (const box of await hers.getByRole('checkbox').all()) await box.check();

    // …while Morgan cancels it in his page, with a reason.
    const morgan = await openAs('morgan');
    await morgan.getByRole('button', { name: `Open batch ${reference}` }).click();
    const his = morgan.locator(`article.batch[data-id="${made.batch.id}"]`);
    await his.getByRole('button', { name: 'Cancel the batch' }).click();
    await his.getByLabel('Why is the batch cancelled?').fill('The family asked for copies first');
    await his.getByRole('button', { name: 'Cancel the batch' }).click();
    const cancelled = his.getByRole('status');
    await cancelled.waitFor();
    expect(await cancelled.textContent()).toBe(
      `Cancelled destruction batch ${reference}: nothing was destroyed.`,
    );
    expect(await his.locator('p.summary').textContent()).toBe(
      'Cancelled by Morgan Ellis: The family asked for copies first',
    );
    await expect(hasFocus(cancelled)).resolves.toBe(true);

    // Dana's confirmation is refused: the batch is shown as it is now, and nothing is destroyed.
    const before = await bot.stateCounts();
    await hers.getByRole('button', { name: 'Destroy the records that pass' }).click();
    const stale = hers.getByRole('alert');
    await stale.waitFor();
    expect(await stale.textContent()).toBe(
      `Batch ${reference} has changed since you looked at it: it is now cancelled. Nothing was changed.`,
    );
    await expect(hasFocus(stale)).resolves.toBe(true);
    expect(await hers.locator('.badge').textContent()).toBe('cancelled');
    await expect(hers.getByRole('button', { name: 'Confirm destruction' }).count()).resolves.toBe(0);
    expect(await bot.stateCounts()).toEqual(before);

    // A subject access request's deadline, extended from its card.
    const holds = new HoldService(db(), bot.clock);
    const sar = await holds.place(STAFF.morgan, {
      caseRef: '1600229',
      type: 'subject_access_request',
      reference: 'SAR-9',
      reason: 'Subject access request from the father',
      sarReceivedOn: '2026-11-02',
    });
    if (!sar.ok) throw new Error(sar.message);
    await dana.reload();
    await dana.locator('body[data-state="ready"]').waitFor();
    const card = dana.getByRole('article', { name: 'Subject access request hold SAR-9' });
    expect(await card.textContent()).toContain('Respond by2 December 2026 (or 2 February 2027 if extended)');
    await card.getByRole('button', { name: 'Extend by two months' }).click();
    await card.getByLabel('The day the requester was told').fill('2026-11-20');
    await card.getByLabel(/Why more time is needed/).fill('Several hundred pages across three teams');
    await card.getByRole('button', { name: 'Extend the deadline' }).click();
    const extended = dana
      .getByRole('article', { name: 'Subject access request hold SAR-9' })
      .getByRole('status');
    await extended.waitFor();
    expect(await extended.textContent()).toContain(
      'Extended by two months: respond by 2 February 2027. The requester was told on 20 November 2026.',
    );
    expect(
      await dana.getByRole('article', { name: 'Subject access request hold SAR-9' }).textContent(),
    ).toContain('Respond by2 February 2027 (extended; the requester was told on 20 November 2026)');
  });
});
