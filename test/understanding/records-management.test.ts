import { beforeAll, describe, expect, it } from 'vitest';
import { findCaseRefs } from '../../src/bot/understanding/case-ref.js';
import { classifierText } from '../../src/bot/understanding/classifier.js';
import { findPeriods } from '../../src/bot/understanding/dates.js';
import {
  findDestructionClassQuery,
  findDueBy,
  findExportFormat,
} from '../../src/bot/understanding/destruction.js';
import { extractEntities } from '../../src/bot/understanding/entities.js';
import { findHoldReason, findHoldType, findReceivedOn } from '../../src/bot/understanding/holds.js';
import {
  COMMAND_ALIASES,
  COMMANDS,
  createUnderstanding,
  matchCommand,
  type Understanding,
} from '../../src/bot/understanding/index.js';
import { findBatchRefs, findHoldReferences, findRecordIds } from '../../src/bot/understanding/references.js';

const THURSDAY = '2026-11-26';
const values = (found: readonly { value: string }[]) => found.map((f) => f.value);

describe('references', () => {
  it('finds inventory record ids, in capitals', () => {
    expect(values(findRecordIds('was record LL-400109 destroyed?'))).toEqual(['LL-400109']);
    expect(values(findRecordIds('any holds on pf-400149, or LL-400167?'))).toEqual([
      'PF-400149',
      'LL-400167',
    ]);
    expect(values(findRecordIds('hold record H-2 for the claim'))).toEqual(['H-2']);
    expect(values(findRecordIds('batch DB-2026-0001, hold LIT-2026-01, case 1234567, 03/11/2026'))).toEqual(
      [],
    );
  });

  it('finds destruction batch references', () => {
    expect(values(findBatchRefs('what was destroyed in batch db-2026-0001?'))).toEqual(['DB-2026-0001']);
    expect(values(findBatchRefs('LL-400109 and LIT-2026-01'))).toEqual([]);
  });

  it('finds hold references after "ref" or by their shape, never record ids or batches', () => {
    expect(values(findHoldReferences('hold case 1234567 for the inquiry, reference INQ-12'))).toEqual([
      'INQ-12',
    ]);
    expect(values(findHoldReferences('lift hold LIT-2026-01, the claim was settled'))).toEqual([
      'LIT-2026-01',
    ]);
    expect(values(findHoldReferences('remove hold SAR/2026/44.'))).toEqual(['SAR/2026/44']);
    expect(values(findHoldReferences('hold record H-2, ref: 2026/7'))).toEqual(['2026/7']);
    expect(values(findHoldReferences('hold record LL-123456, ref PF-400149'))).toEqual([]);
    expect(values(findHoldReferences('batch DB-2026-0001'))).toEqual([]);
    expect(values(findHoldReferences('put a hold on case ref 1234567'))).toEqual([]);
    expect(values(findHoldReferences('the referral for 1234567 was refused'))).toEqual([]);
  });

  it('are never read as case references, and the classifier sees them as placeholders', () => {
    expect(findCaseRefs('LL-400109 PF-400149 DB-2026-0001 LIT-2026-01 SAR/2026/44')).toEqual([]);
    expect(classifierText('was record LL-400109 destroyed in DB-2026-0001? hold INQ-12 on 1234567')).toBe(
      'was record recordid destroyed in batchref hold holdref on caseref',
    );
  });
});

describe('holds', () => {
  it('reads the type of hold from its words, or else from the reference', () => {
    expect(findHoldType('put a SAR hold on 2000137')).toBe('subject_access_request');
    expect(findHoldType('a subject access request came in')).toBe('subject_access_request');
    expect(findHoldType('hold it for the FOI')).toBe('foi_request');
    expect(findHoldType('a freedom of information request')).toBe('foi_request');
    expect(findHoldType('place a litigation hold')).toBe('litigation');
    expect(findHoldType('the family are suing')).toBe('litigation');
    expect(findHoldType('there is a compensation claim')).toBe('claim');
    expect(findHoldType('hold it for the IICSA inquiry')).toBe('inquiry');
    expect(findHoldType('hold it, there is a police investigation')).toBe('other');
    expect(findHoldType('put an other hold on it')).toBe('other');
    expect(findHoldType('legal hold on record LL-400109')).toBeUndefined();
    expect(findHoldType('hold the section 47 enquiry file')).toBeUndefined();
    expect(findHoldType('lift hold LIT-2026-01', 'LIT-2026-01')).toBe('litigation');
    expect(findHoldType('the claim was settled', 'LIT-2026-01', { referenceFirst: true })).toBe('litigation');
    expect(findHoldType('the claim was settled', 'LIT-2026-01')).toBe('claim');
  });

  it('reads the day a request was received as on or before today', () => {
    expect(findReceivedOn('put a SAR hold on 2000137, received 3 November', THURSDAY, [], undefined)).toBe(
      '2026-11-03',
    );
    expect(findReceivedOn('letter received 3 December', THURSDAY, [], undefined)).toBe('2025-12-03');
    expect(findReceivedOn('SAR received Monday', THURSDAY, [], 'subject_access_request')).toBe('2026-11-23');
    expect(findReceivedOn('SAR received yesterday', THURSDAY, [], 'subject_access_request')).toBe(
      '2026-11-25',
    );
    expect(findReceivedOn('SAR dated 03/11', THURSDAY, [], 'subject_access_request')).toBe('2026-11-03');
    expect(findReceivedOn('SAR of 21 November', THURSDAY, [], 'subject_access_request')).toBe('2026-11-21');
    expect(findReceivedOn('litigation hold until 3 December', THURSDAY, [], 'litigation')).toBeUndefined();
  });

  it('reads why a hold is placed or released, not the instruction, reference or date', () => {
    expect(findHoldReason('lift hold LIT-2026-01, the claim was settled')).toBe('the claim was settled');
    expect(findHoldReason('place a hold on 1234567 because the family are suing')).toBe(
      'the family are suing',
    );
    expect(findHoldReason('put a SAR hold on 2000137, received 3 November')).toBeUndefined();
    expect(findHoldReason('hold case 1234567 for the inquiry, reference INQ-12')).toBeUndefined();
    expect(findHoldReason('mark 3456789 as on hold')).toBeUndefined();
  });
});

describe('destruction', () => {
  const dueBy = (text: string) => findDueBy(text, THURSDAY);

  it('reads the date records must be due by', () => {
    expect(dueBy('due for review before 2024')).toBe('2023-12-31');
    expect(dueBy("what's due this month")).toBe('2026-11-30');
    expect(dueBy('what is coming up next month')).toBe('2026-12-31');
    expect(dueBy('due by 31 March')).toBe('2027-03-31');
    expect(dueBy('due before 1 April')).toBe('2027-03-31');
    expect(dueBy('anything due in February?')).toBe('2027-02-28');
    expect(dueBy('due before March')).toBe('2027-02-28');
    expect(dueBy('due before the end of March')).toBe('2027-03-31');
    expect(dueBy('due this week')).toBe('2026-11-29');
    expect(dueBy('due next week')).toBe('2026-12-06');
    expect(dueBy('due by the end of the year')).toBe('2026-12-31');
    expect(dueBy("what's due this financial year")).toBe('2027-03-31');
    expect(dueBy('due in 2026')).toBe('2026-12-31');
    expect(dueBy('records due before March 2024')).toBe('2024-02-29');
    expect(dueBy('anything due for destruction today')).toBe(THURSDAY);
    expect(dueBy('what is due for destruction?')).toBeUndefined();
  });

  it('reads the kind of record, without the request, dates or references', () => {
    const query = (text: string) => findDestructionClassQuery(text, THURSDAY);
    expect(query('records due for destruction for adoption')).toBe('adoption');
    expect(query('start a destruction batch for looked after child records')).toBe(
      'looked after child records',
    );
    expect(query('destroy the due child in need records')).toBe('child in need records');
    expect(query('list CP files due for destruction in January')).toBe('CP files');
    expect(query("batch everything that's due")).toBeUndefined();
    expect(query('create a batch of everything due')).toBeUndefined();
    expect(query('due for review before 2024')).toBeUndefined();
    expect(query("what's due this month")).toBeUndefined();
  });

  it('reads the export format', () => {
    expect(findExportFormat('register csv')).toBe('csv');
    expect(findExportFormat('download the destruction register as Excel')).toBe('xlsx');
    expect(findExportFormat('as a spreadsheet')).toBe('xlsx');
    expect(findExportFormat('export register xlsx')).toBe('xlsx');
    expect(findExportFormat('export the register')).toBeUndefined();
  });

  it('reads whole months and days, forward or past', () => {
    expect(findPeriods('in March', THURSDAY).map((p) => [p.start, p.end])).toEqual([
      ['2027-03-01', '2027-03-31'],
    ]);
    expect(findPeriods('in March', THURSDAY, [], 'past').map((p) => [p.start, p.end])).toEqual([
      ['2026-03-01', '2026-03-31'],
    ]);
    expect(findPeriods('received last Friday', THURSDAY, [], 'past').map((p) => p.start)).toEqual([
      '2026-11-20',
    ]);
  });
});

describe('extractEntities for the Records Management Service', () => {
  const entities = (text: string, intent: Parameters<typeof extractEntities>[1]) =>
    extractEntities(text, intent, THURSDAY);

  it('fills hold entities for the hold intents only', () => {
    expect(entities('put a SAR hold on 2000137, received 3 November', 'holds.place')).toEqual({
      caseRef: '2000137',
      holdType: 'subject_access_request',
      receivedOn: '2026-11-03',
    });
    expect(entities('hold case 1234567 for the inquiry, reference INQ-12', 'holds.place')).toEqual({
      caseRef: '1234567',
      holdType: 'inquiry',
      holdReference: 'INQ-12',
    });
    expect(entities('legal hold on record LL-400109', 'holds.place')).toEqual({ recordId: 'LL-400109' });
    expect(entities('lift hold LIT-2026-01, the claim was settled', 'holds.release')).toEqual({
      holdType: 'litigation',
      holdReference: 'LIT-2026-01',
      reason: 'the claim was settled',
    });
    expect(entities('release the hold on 1234567, the claim has been withdrawn', 'holds.release')).toEqual({
      caseRef: '1234567',
      holdType: 'claim',
      reason: 'the claim has been withdrawn',
    });
    expect(entities('list the subject access request holds', 'holds.list')).toEqual({
      holdType: 'subject_access_request',
    });
    expect(entities('any holds on record PF-400149', 'holds.list')).toEqual({ recordId: 'PF-400149' });
    const other = entities('put a SAR hold on LL-400109, ref SAR/1, received 3 November', 'retention.class');
    for (const name of ['recordId', 'holdType', 'holdReference', 'receivedOn', 'reason'])
      expect(other).not.toHaveProperty(name);
  });

  it('fills destruction, batch and register entities for their intents only', () => {
    expect(entities('records due for destruction for adoption before 2024', 'destruction.due')).toEqual({
      dueBy: '2023-12-31',
      recordClassQuery: 'adoption',
    });
    expect(entities('start a destruction batch for looked after child records', 'destruction.batch')).toEqual(
      {
        recordClassQuery: 'looked after child records',
      },
    );
    expect(entities('show batch DB-2026-0003', 'destruction.batches')).toEqual({ batchRef: 'DB-2026-0003' });
    expect(entities('what was destroyed in batch DB-2026-0001', 'register.query')).toEqual({
      batchRef: 'DB-2026-0001',
    });
    expect(entities('was record LL-400109 destroyed?', 'register.query')).toEqual({ recordId: 'LL-400109' });
    expect(entities('download the destruction register as Excel', 'register.export')).toEqual({
      exportFormat: 'xlsx',
    });
    expect(entities('export register csv for DB-2026-0001 due this month', 'register.export')).toEqual({
      exportFormat: 'csv',
    });
  });
});

describe('understanding Records Management Service messages', () => {
  let understanding: Understanding;
  beforeAll(async () => {
    understanding = await createUnderstanding();
  });
  const understand = (text: string) => understanding.understand(text, THURSDAY);

  it('has typed commands for the new intents, outside the 10 in the manifest', () => {
    expect(COMMANDS).toHaveLength(10);
    expect(COMMAND_ALIASES.map((c) => c.command)).toEqual(
      expect.arrayContaining(['holds', 'due', 'batches', 'register', 'export register']),
    );
    expect(matchCommand('holds')?.intent).toBe('holds.list');
    expect(matchCommand('/due')?.intent).toBe('destruction.due');
    expect(matchCommand('Batches')?.intent).toBe('destruction.batches');
    expect(matchCommand('register')?.intent).toBe('register.query');
    expect(matchCommand('export  register')?.intent).toBe('register.export');
    expect(understand('export register')).toMatchObject({ intent: 'register.export', command: true });
  });

  it('understands the examples the service gave', () => {
    const expected: [string, string][] = [
      ['place a litigation hold on case 1234567', 'holds.place'],
      ['put a SAR hold on 2000137, received 3 November', 'holds.place'],
      ['what holds are on 1234567?', 'holds.list'],
      ['release the hold on 1234567', 'holds.release'],
      ["what's due this month", 'destruction.due'],
      ['create a batch of everything due', 'destruction.batch'],
      ['what needs my confirmation', 'destruction.batches'],
      ['has case 2000137 been destroyed', 'register.query'],
      ['download the destruction register as Excel', 'register.export'],
    ];
    for (const [text, intent] of expected) expect(understand(text).intent, text).toBe(intent);
  });

  it('asks about one case, not the list of records due, when a case or record is named', () => {
    expect(understand('is case 2000137 due for destruction')).toMatchObject({
      intent: 'retention.case',
      entities: { caseRef: '2000137' },
    });
    expect(understand('is LL-400109 due for destruction')).toMatchObject({
      intent: 'retention.case',
      entities: { recordId: 'LL-400109' },
    });
  });
});
