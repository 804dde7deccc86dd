import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventory } from '../../src/imports/inventory-import.js';
import { DATE_FIELD_LABELS, defaultSchedule, formatDate, type DateField } from '../../src/rules/index.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { type BotHarness } from '../support/bot-harness.js';
import {
  confirmOnCard,
  decideToDestroy,
  invokeCard,
  lastCard,
  startBot,
  statusRows,
  textBlocks,
  whyLines,
  type Card,
} from './helpers.js';

// Issue 4, item 2: "what's the retention status of case X?" for records in every status.

type Status = 'RETAINED' | 'DUE' | 'HELD' | 'DESTROYED' | 'INCOMPLETE';

/** Everyone in the demo directory: none of them may appear on a case's retention card. */
const STAFF_NAMES =
  /\b(?:Helen|Priya|Tom|Sam|Jo|Alex|Chris|Rosa|Morgan|Dana|Carter|Shah|Hughes|Taylor|Patel|Okafor|Lind|Ellis|Fox)\b/;

describe('case retention status in chat', () => {
  let bot: BotHarness;
  let dir: string;
  beforeAll(async () => {
    bot = await startBot();
    dir = mkdtempSync(path.join(os.tmpdir(), 'cra-status-'));
  });
  afterAll(async () => {
    await bot.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const records = (caseRef: string) =>
    bot.app.store.db
      .selectFrom('records')
      .selectAll()
      .where('case_ref', '=', caseRef)
      .orderBy('record_id')
      .execute();

  /**
   * Asks for the case's status and checks the card against the inventory: one row per record
   * with its status and end date, a "Why?" explanation with the citation, and nothing about
   * the case beyond its reference, the record titles and ids.
   */
  async function statusCard(
    caseRef: string,
    expected: Status | Record<string, Status>,
    question = `what's the retention status of case ${caseRef}?`,
  ): Promise<{ card: Card; rows: ReturnType<typeof statusRows>; why: Map<string, string[]> }> {
    const card = lastCard(await bot.say('jo', question));
    const inventory = await records(caseRef);
    expect(inventory.length).toBeGreaterThan(0);
    expect(textBlocks(card)[0]).toBe(`Retention status of case ${caseRef}`);
    const rows = statusRows(card);
    const why = whyLines(card);
    expect(rows.map((r) => r.heading).sort()).toEqual(
      inventory.map((r) => `${r.title} (${r.record_id})`).sort(),
    );
    for (const record of inventory) {
      const heading = `${record.title} (${record.record_id})`;
      const row = rows.find((r) => r.heading === heading)!;
      const cls = defaultSchedule.classes.find((c) => c.id === record.record_class)!;
      const want = typeof expected === 'string' ? expected : expected[record.record_id];
      expect(row.status, heading).toBe(want);
      expect(row.summary.startsWith(`${cls.title}: `), row.summary).toBe(true);
      if (record.retention_ends_on) expect(row.summary).toContain(formatDate(record.retention_ends_on));
      else if (record.retention_permanent) expect(row.summary).toContain('kept permanently');
      else {
        const missing = record.retention_missing!.split(',') as DateField[];
        expect(row.summary).toContain(
          `end unknown: ${missing.map((m) => DATE_FIELD_LABELS[m]).join(' and ')}`,
        );
      }
      const lines = why.get(heading)!;
      expect(lines[0]).toBe(`Record class: ${cls.title}. Period: ${cls.period}.`);
      expect(lines.find((l) => l.startsWith('Authority: '))).toContain(cls.authority.citation);
      // Nothing but references and titles: no location, no member of staff.
      if (record.location !== 'Livelink') expect(textBlocks(card).join('\n')).not.toContain(record.location);
    }
    const all = textBlocks(card).join('\n');
    expect(all).not.toMatch(STAFF_NAMES);
    return { card, rows, why };
  }

  it('retained and incomplete (demo case 1234567: no closure date for the child protection record)', async () => {
    const { rows, why } = await statusCard('1234567', {
      'LL-400109': 'RETAINED',
      'PF-400149': 'INCOMPLETE',
    });
    expect(rows.find((r) => r.heading.includes('LL-400109'))!.summary).toContain(
      'retention ends 14 May 2087',
    );
    const retained = why.get('Health assessments (LL-400109)')!;
    expect(retained).toContain(
      "Rule applied: 75th anniversary of the child's birth. Counted from the date of birth, 14 May 2012.",
    );
    expect(retained).toContain('Retention ends on 14 May 2087; until then the record must be kept.');
    expect(retained.join('\n')).toContain('SI 2010/959');
    const incomplete = why.get('Section 47 enquiry (PF-400149)')!;
    expect(incomplete).toContain(
      'The case closure date is not recorded, so the end of retention cannot be worked out. Add it to the case before anything is destroyed.',
    );
    expect(incomplete.join('\n')).toContain('It is to be confirmed by the Records Management Service.');
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('incomplete: an imported adoption record with no adoption order date', async () => {
    const file = path.join(dir, 'extra.csv');
    writeFileSync(
      file,
      [
        'record_id,case_ref,record_class,title,format,location,date_of_birth,date_of_death,closed_on,adoption_order_on,approval_ended_on,last_contact_on',
        'LL-990001,1999001,adoption,Adoption case record,electronic,Livelink,2015-03-02,,,,,',
        'PF-990002,1999001,adoption,Memory box inventory,paper,"Box 7, Farnham House",2015-03-02,,,,,',
      ].join('\n'),
    );
    const imported = await importInventory(bot.app.store.db, defaultSchedule, file, {
      today: '2026-11-26',
      now: () => bot.clock.now(),
      actorId: 'test',
    });
    expect(imported).toMatchObject({ ok: true, imported: 2 });
    const { rows, why } = await statusCard('1999001', 'INCOMPLETE', 'retention status of 1999001');
    for (const row of rows) expect(row.summary).toContain('end unknown: adoption order date missing');
    const lines = why.get('Adoption case record (LL-990001)')!;
    expect(lines.join('\n')).toContain('The adoption order date is not recorded');
    expect(lines.join('\n')).toContain('SI 2005/888');
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('due (case 1600229, past its 75th anniversary)', async () => {
    const { rows, why } = await statusCard('1600229', 'DUE');
    for (const row of rows) expect(row.summary).toContain('retention ended 1 March 2023');
    for (const lines of why.values()) {
      expect(lines).toContain('Retention ended on 1 March 2023.');
      expect(lines.join('\n')).toContain('regulation 50');
    }
  });

  it('held: a case hold holds every record, a record hold only its record', async () => {
    lastCard(
      await bot.say(
        'morgan',
        'place a litigation hold on case 2006850, reference LIT-CS-1, because the family are suing',
      ),
    );
    const sar = invokeCard(
      await bot.press('morgan', 'hold.place', {
        caseRef: '2000274',
        recordId: 'LL-400622',
        type: 'subject_access_request',
        reference: 'SAR-CS-2',
        reason: 'The young person asked for a copy of their file',
        sarReceivedOn: '2026-11-20',
      }),
    );
    expect(textBlocks(sar)[0]).toBe('Hold placed');

    const caseHold = await statusCard('2006850', 'HELD');
    for (const row of caseHold.rows) {
      expect(row.summary).toContain('retention ended 5 June 1970');
      expect(row.summary).toContain('on hold: litigation LIT-CS-1');
    }
    for (const lines of caseHold.why.values())
      expect(lines).toContain(
        'On hold: litigation (LIT-CS-1). It cannot be destroyed while a hold is in force.',
      );

    const recordHold = await statusCard('2000274', {
      'LL-400622': 'HELD',
      'LL-400637': 'RETAINED',
      'PF-400663': 'RETAINED',
      'PF-400669': 'RETAINED',
    });
    const held = recordHold.rows.find((r) => r.heading.endsWith('(LL-400622)'))!;
    expect(held.summary).toContain(
      'retention ends 28 October 2047; on hold: subject access request SAR-CS-2',
    );
    const heldWhy = [...recordHold.why.entries()].find(([h]) => h.endsWith('(LL-400622)'))![1];
    expect(heldWhy).toContain(
      'On hold: subject access request (SAR-CS-2). It cannot be destroyed while a hold is in force.',
    );
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('out of the office on an approved authorisation', async () => {
    const id = await bot.submit('sam', { caseRef: '2000137' });
    // Waiting for a decision is not out of the office.
    let { rows } = await statusCard('2000137', 'RETAINED');
    for (const row of rows) expect(row.summary).not.toContain('out of the office');

    const approved = await bot.press('priya', 'removal.approve', { authorisationId: id, version: 1 }, 'p-1');
    expect(approved.status).toBe(200);
    expect((await bot.row(id)).status).toBe('approved');
    ({ rows } = await statusCard('2000137', 'RETAINED'));
    for (const row of rows) {
      expect(row.summary).toContain('retention ends 18 December 2072');
      expect(row.summary).toContain('out of the office until 27 November 2026');
    }

    // Back in the office: the line goes.
    expect((await bot.say('sam', "I've brought the file for 2000137 back")).at(-1)!.text).toContain(
      'back in the office',
    );
    ({ rows } = await statusCard('2000137', 'RETAINED'));
    for (const row of rows) expect(row.summary).not.toContain('out of the office');
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('destroyed, after a review decision and a batch confirmed by a second officer', async () => {
    await decideToDestroy(bot, 'dana', 'childrens-home-child');
    const review = invokeCard(
      await bot.press('morgan', 'destruction.batch.create', {
        classId: 'childrens-home-child',
        dueBy: '2026-11-26',
      }),
    );
    expect(textBlocks(review)[0]).toMatch(/^Destruction batch DB-2026-\d{4}$/);
    const batch = await bot.app.store.db
      .selectFrom('destruction_batches')
      .selectAll()
      .where('created_by', '=', '6f1c2a4e-0009-4b7a-9c1e-000000000009')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const confirmed = await confirmOnCard(bot, 'dana', batch.id, { version: batch.version });
    expect(confirmed.destroyed).toEqual(
      expect.arrayContaining(['LL-400281', 'LL-400300', 'LL-400329', 'LL-400332']),
    );

    const { rows, why } = await statusCard('1710001', 'DESTROYED');
    for (const row of rows) expect(row.summary).toContain('retention ended 10 January 2020');
    for (const lines of why.values()) {
      expect(lines).toContain('Destroyed on 26 November 2026; see the destruction register.');
      expect(lines.join('\n')).toContain('SI 2015/541');
    }
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
  });

  it('an unknown case, or no case reference, gets a clear answer and changes nothing', async () => {
    const before = await bot.stateCounts();
    expect(textBlocks(lastCard(await bot.say('jo', "what's the retention status of case 9999999?")))[0]).toBe(
      'Case 9999999 is not in the records inventory',
    );
    // Without a reference the bot asks back rather than guessing.
    expect(
      textBlocks(lastCard(await bot.say('jo', 'what is the retention status of this case?')))[0],
    ).toMatch(/^Which .*\?$/);
    expect(await bot.stateCounts()).toEqual(before);
  });
});
