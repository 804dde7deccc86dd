import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { actionsOf, BotHarness, textOf, type InvokeResult } from '../support/bot-harness.js';
import { confirmOnCard, decideToDestroy } from './helpers.js';

type Card = Record<string, unknown>;
const cardOfInvoke = (r: InvokeResult) => r.body.value as Card;
const firstCard = (replies: Record<string, unknown>[]) =>
  (replies.at(-1)!.attachments as { content: Card }[])[0]!.content;

/** Finds an Action.OpenUrl's url in a card by its title. */
function urlOf(card: Card, title: string): string {
  const found = JSON.stringify(card).match(new RegExp(`"title":"${title}","url":"([^"]+)"`));
  if (!found) throw new Error(`no ${title} link`);
  return found[1]!;
}

describe('Records Management over HTTP', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = new BotHarness();
    await bot.start({ PUBLIC_BASE_URL: 'http://127.0.0.1:1' });
  });
  afterEach(async () => {
    await bot.stop();
  });

  const local = (url: string) => url.replace('http://127.0.0.1:1', `http://127.0.0.1:${bot.port}`);

  it('hold, due list, batch by one officer, confirmation by another, register, exports and certificate', async () => {
    // Case 1600229 is due (born 29 February 1948). A hold on it blocks destruction.
    const held = firstCard(
      await bot.say(
        'morgan',
        'place a litigation hold on case 1600229, reference LIT-2026-01, because a claim is expected',
      ),
    );
    expect(textOf(held)).toContain('LIT-2026-01');
    const holdRow = await bot.app.store.db.selectFrom('holds').selectAll().executeTakeFirstOrThrow();
    expect(holdRow).toMatchObject({
      case_ref: '1600229',
      type: 'litigation',
      reference: 'LIT-2026-01',
      released_at: null,
    });

    const due = firstCard(await bot.say('morgan', 'what is due for destruction?'));
    expect(textOf(due)).toContain('Due for destruction');
    expect(actionsOf(due).map((a) => a.verb)).toContain('destruction.batch.preview');

    // Looked after child records are reviewed: Dana decides to destroy those whose time has come.
    const decided = await decideToDestroy(bot, 'dana', 'looked-after-child');
    expect(decided).toContain('LL-400167');
    const created = await bot.press('morgan', 'destruction.batch.create', {
      classId: '',
      dueBy: '2026-11-26',
    });
    const review = cardOfInvoke(created);
    expect(textOf(review)).toMatch(/Destruction batch DB-2026-\d{4}/);
    expect(textOf(review)).toContain('LIT-2026-01');
    // Morgan chose it: under the two-person rule he cannot confirm it.
    expect(actionsOf(review).map((a) => a.verb)).not.toContain('destruction.batch.confirm');
    const batch = await bot.app.store.db
      .selectFrom('destruction_batches')
      .selectAll()
      .executeTakeFirstOrThrow();

    const ownConfirm = await bot.press('morgan', 'destruction.batch.confirm', {
      batchId: batch.id,
      version: batch.version,
      method: 'confidential-shredding',
    });
    expect(textOf(cardOfInvoke(ownConfirm))).toMatch(/another|second|two-person/i);
    expect((await bot.app.store.db.selectFrom('destruction_register').selectAll().execute()).length).toBe(0);

    // Dana, the other officer, is asked to confirm.
    await bot.deliver();
    expect(
      bot.connector.calls.some(
        (c) => typeof c.body.text === 'string' && c.body.text.includes(`batch ${batch.reference}`),
      ),
    ).toBe(true);

    // A case worker cannot confirm.
    const sam = await bot.press('sam', 'destruction.batch.confirm', {
      batchId: batch.id,
      version: batch.version,
      method: 'confidential-shredding',
    });
    expect(textOf(cardOfInvoke(sam))).toContain('Records Management');

    // Without the ticks for the logs held outside the app: refused, nothing destroyed.
    const unticked = await bot.press('dana', 'destruction.batch.confirm', {
      batchId: batch.id,
      version: batch.version,
    });
    expect(textOf(cardOfInvoke(unticked))).toContain('check the logs held outside this app');
    expect((await bot.app.store.db.selectFrom('destruction_register').selectAll().execute()).length).toBe(0);
    const result = await confirmOnCard(bot, 'dana', batch.id, { version: batch.version });
    expect(result.destroyed.length).toBeGreaterThan(0);
    const done = cardOfInvoke(await bot.press('dana', 'destruction.batch.show', { id: batch.id }));
    expect(textOf(done)).toMatch(/Confirmed by Dana Fox: \d+ record\(s\) destroyed/);
    const register = await bot.app.store.db.selectFrom('destruction_register').selectAll().execute();
    expect(register.length).toBeGreaterThan(0);
    expect(register.some((r) => r.case_ref === '1600229')).toBe(false);
    for (const entry of register) {
      expect(entry).toMatchObject({
        batch_id: batch.id,
        method: entry.format === 'paper' ? 'confidential-shredding' : 'secure-deletion-livelink',
      });
      expect(entry.authorised_by).toBeTruthy();
      expect(entry.destroyed_by).toBeTruthy();
      expect(entry.authorised_by).not.toBe(entry.destroyed_by);
    }

    // The certificate link works for an officer, and names every destroyed record.
    const pdf = await fetch(local(urlOf(done, 'Certificate of destruction \\(PDF\\)')));
    expect(pdf.status).toBe(200);
    const text = (await new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) }).getText()).text;
    expect(text).toContain(batch.reference);
    for (const entry of register) expect(text).toContain(entry.record_id);

    // The register card offers exports that hold exactly the register.
    const registerCard = firstCard(await bot.say('dana', 'show the destruction register'));
    const csv = await (await fetch(local(urlOf(registerCard, 'Download CSV')))).text();
    const rows: Record<string, string>[] = parse(csv.replace(/^\uFEFF/, ''), { columns: true });
    expect(rows).toHaveLength(register.length);
    expect(
      new Set(rows.map((r) => Object.values(r).find((v) => register.some((e) => e.record_id === v)))).size,
    ).toBe(register.length);
    const xlsxResponse = await fetch(local(urlOf(registerCard, 'Download Excel')));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsxResponse.arrayBuffer());
    expect(workbook.worksheets[0]!.actualRowCount).toBe(register.length + 1);

    // A tampered link is refused.
    const forged = local(urlOf(registerCard, 'Download CSV')).replace(
      /by=[^&]+/,
      'by=6f1c2a4e-0004-4b7a-9c1e-000000000004',
    );
    expect((await fetch(forged)).status).toBe(401);

    // "Was record X destroyed?"
    const one = register[0]!.record_id;
    const answer = firstCard(await bot.say('dana', `was record ${one} destroyed?`));
    expect(textOf(answer)).toContain(`Record ${one} was destroyed`);

    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('refuses case workers and managers every Records Management step, changing nothing', async () => {
    const before = await bot.stateCounts();
    for (const text of [
      'what is due for destruction?',
      'place a litigation hold on case 1600229, reference X-1, because',
      'show holds',
      'show the destruction register',
    ]) {
      const card = firstCard(await bot.say('priya', text));
      expect(textOf(card)).toContain('Records Management');
    }
    const created = await bot.press('sam', 'destruction.batch.create', { classId: '', dueBy: '2026-11-26' });
    expect(textOf(cardOfInvoke(created))).toContain('Records Management');
    expect(await bot.stateCounts()).toEqual(before);
  });
});
