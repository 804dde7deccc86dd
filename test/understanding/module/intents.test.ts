import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/rules/roles.js';
import { understand, type Intent, type Understanding } from '../../../src/understanding/index.js';

const THURSDAY = '2026-12-03';

function read(text: string, role: Role = 'case_worker', today = THURSDAY): Understanding {
  return understand(text, { today, roles: [role] });
}

describe('the asker’s role decides between readings that share words', () => {
  it.each<[string, Role, Intent]>([
    ["what's due?", 'records_management', 'destruction.due'],
    ['whats pending', 'case_worker', 'removal.list_mine'],
    ['anything pending?', 'line_manager', 'approvals.pending'],
    ['any overdue files?', 'case_worker', 'removal.list_mine'],
    ['any overdue files?', 'line_manager', 'approvals.pending'],
    ['when is 2045512 due back?', 'case_worker', 'removal.list_mine'],
    ['did priya approve 2031187 yet', 'case_worker', 'removal.list_mine'],
    ['approve 2031187 for Priya', 'line_manager', 'removal.decide'],
    [
      'pls approve 2036651 out this am back this pm, taking it to the core group',
      'case_worker',
      'removal.request',
    ],
    ['what have I got booked out', 'case_worker', 'removal.list_mine'],
    ['how long are we holding 2003417 for?', 'case_worker', 'retention.case'],
  ])('%s (%s) → %s', (text, role, intent) => {
    expect(read(text, role).reading.intent).toBe(intent);
  });

  // Readings that once had the procedure close behind them, so the chat asked instead of acting.
  it.each<[string, Role, Intent]>([
    ['what is the retention status of this case?', 'case_worker', 'retention.case'],
    ['any approvals waiting for me?', 'case_worker', 'removal.list_mine'],
  ])('%s (%s) → %s, without asking', (text, role, intent) => {
    const u = read(text, role);
    expect(u.reading.intent).toBe(intent);
    expect(u.unsure).toBe(false);
  });

  it('marks a reading the role may not act on', () => {
    const u = read('start a destruction batch for CP records', 'case_worker');
    expect(u.reading.intent).toBe('destruction.batch');
    expect(u.reading.allowed).toBe(false);
    expect(read('start a destruction batch for CP records', 'records_management').reading.allowed).toBe(true);
  });
});

describe('a question is answered, never turned into an action', () => {
  it.each([
    'my manager asked for the file back early, can she do that?',
    "what's the process for taking paper records out?",
    'can I take 2004418 home if my manager is off?',
    'could i get disciplined for taking a file home without asking',
    'as a TM can I approve my own request to take a file home',
    'can I cancel an approval I have already given?',
    'can i shred my old notes for 2015830 myself now the case is closed',
    'when can 2003745 be destroyed?',
    'how long do we keep adoption records?',
    'is 2045512 going to be destroyed soon?',
    'can I take files home at the weekend?',
    'do I need my manager’s ok to take a file to court?',
    'would I be allowed to take 2003417 home tonight and back tomorrow?',
    'my TM approved 2003417 till monday, can she change her mind?',
    'is 2003417 due back today?',
  ])('%s', (text) => {
    for (const role of ['case_worker', 'line_manager', 'records_management'] as const) {
      const u = read(text, role);
      expect(u.reading.kind, `${role}: ${u.reading.intent}`).not.toBe('action');
    }
  });

  it('but a request asked politely is a request', () => {
    for (const text of [
      'can I take 2027091 home tonight pls',
      'could I take case 2003417 out on 06/12/2026, back 08/12/2026?',
      'hiya, can 2051177 come home with me tonight? back in the morning',
      'is it ok if I take 2045512 home over the weekend',
    ]) {
      const u = read(text);
      expect(u.reading.intent, text).toBe('removal.request');
      expect(u.unsure, text).toBe(false);
    }
  });
});

describe('out of domain: answered politely, nothing opened', () => {
  it.each([
    'book the family room for a contact session on Tuesday',
    'book a taxi to court tomorrow',
    'can I take Friday off',
    'whats the wifi password in the new building',
    'lol this week has totally destroyed me',
    'can you bake a batch of cookies for the team',
    'thanks!',
    'what time is the team meeting',
  ])('%s', (text) => {
    const u = read(text, 'line_manager');
    expect(u.reading.intent).toBe('None');
    expect(u.reading.kind).toBe('none');
    expect(u.unsure).toBe(false);
    expect(u.reading.entities).toEqual({});
  });

  it('an empty message (a bare mention of the bot) asks for help', () => {
    expect(read('<at>Case Records Assistant</at>').reading.intent).toBe('help');
  });
});

describe('every intent from what staff type', () => {
  it.each<[string, Role, Intent, Record<string, unknown>]>([
    ['brought 2009312 back this am', 'case_worker', 'removal.mark_returned', { caseRef: '2009312' }],
    ["I'm bringing 2045512 back now", 'case_worker', 'removal.mark_returned', { caseRef: '2045512' }],
    [
      'cancel my request for 2031187, dont need it now',
      'case_worker',
      'removal.withdraw',
      { caseRef: '2031187' },
    ],
    ['anything waiting for me to approve?', 'line_manager', 'approvals.pending', {}],
    [
      "decline Jo's request for 2040118",
      'line_manager',
      'removal.decide',
      { personName: 'Jo', decision: 'decline' },
    ],
    [
      'ok go ahead with alex’s 2005139',
      'line_manager',
      'removal.decide',
      { personName: 'alex', decision: 'approve' },
    ],
    ['no to Jo taking 2012247 home for 3 days', 'line_manager', 'removal.decide', { decision: 'decline' }],
    [
      "pull back Sam's file, court Monday",
      'line_manager',
      'removal.cancel',
      { personName: 'Sam', returnBy: '2026-12-07' },
    ],
    [
      'Tom is covering my approvals till 15th',
      'line_manager',
      'acting.set',
      { personName: 'Tom', until: '2026-12-15' },
    ],
    ["I'm back, end the cover", 'line_manager', 'acting.clear', {}],
    ['stop tom covering my approvals', 'line_manager', 'acting.clear', { personName: 'tom' }],
    [
      'put a litigation hold on 2004418 ref LIT-2026-04',
      'records_management',
      'holds.place',
      { caseRef: '2004418', holdType: 'litigation', holdReference: 'LIT-2026-04' },
    ],
    [
      'new SAR for 2051177 received 28/11, ref SAR/2026/301',
      'records_management',
      'holds.place',
      { holdType: 'subject_access_request', receivedOn: '2026-11-28' },
    ],
    ['list the active SAR holds', 'records_management', 'holds.list', { holdType: 'subject_access_request' }],
    [
      'lift LIT-2026-04, case settled',
      'records_management',
      'holds.release',
      { holdReference: 'LIT-2026-04' },
    ],
    [
      'the SAR on 2000137 needs extending, we told the requester today',
      'records_management',
      'holds.list',
      { caseRef: '2000137', holdType: 'subject_access_request' },
    ],
    [
      'stop the clock on SAR/2026/52, waiting for ID',
      'records_management',
      'holds.list',
      { holdReference: 'SAR/2026/52' },
    ],
    ['start a batch', 'records_management', 'destruction.batch', {}],
    [
      'CP records due by end of jan',
      'records_management',
      'destruction.due',
      { recordClass: ['child-protection'], dueBy: '2027-01-31' },
    ],
    ["what's due for destruction in march", 'records_management', 'destruction.due', { month: '2027-03' }],
    [
      'start a destruction batch for foster carer records due by 31/12',
      'records_management',
      'destruction.batch',
      { dueBy: '2026-12-31' },
    ],
    ["where's DB-2026-0007 up to", 'records_management', 'destruction.batches', { batchRef: 'DB-2026-0007' }],
    [
      'checked DB-2026-0004, go ahead and confirm',
      'records_management',
      'destruction.confirm',
      { batchRef: 'DB-2026-0004' },
    ],
    ['which records need a review decision', 'records_management', 'review.list', {}],
    [
      'keep LL-400123 for another 5 years',
      'records_management',
      'review.decide',
      { recordId: 'LL-400123', reviewDecision: { action: 'keep', years: 5 } },
    ],
    [
      'transfer PF-400456 to the archives',
      'records_management',
      'review.decide',
      { reviewDecision: { action: 'transfer' } },
    ],
    ['what did we destroy in november', 'records_management', 'register.query', { month: '2026-11' }],
    [
      'excel of the destruction register for october pls',
      'records_management',
      'register.export',
      { exportFormat: 'xlsx', month: '2026-10' },
    ],
    ['what can you do?', 'case_worker', 'help', {}],
  ])('%s (%s) → %s', (text, role, intent, entities) => {
    const u = read(text, role);
    expect(u.reading.intent).toBe(intent);
    const values = Object.fromEntries(
      Object.entries(u.reading.entities).map(([k, v]) => [k, (v as { value: unknown }).value]),
    );
    expect(values).toMatchObject(entities);
  });
});

describe('filters are read and described', () => {
  it.each<[string, string]>([
    ['child protection records due by 31 December', 'child protection records, due by 31 December 2026'],
    [
      'anything in fostering due?',
      "approved foster carers' records or foster carer applicants who withdrew or were refused",
    ],
    ['register for Nov 2026', 'destroyed in November 2026'],
    ['show the register for DB-2026-0003', 'batch DB-2026-0003'],
    ['list litigation holds on 2003417', 'litigation holds, case 2003417'],
  ])('%s', (text, description) => {
    const u = read(text, 'records_management');
    expect(u.reading.filters?.description).toBe(description);
  });

  it('echoes the filters in the reading’s label', () => {
    expect(read('early help files due by 30/06', 'records_management').reading.label).toBe(
      'Show records due for destruction (early help records, due by 30 June 2027)',
    );
  });
});

describe('when unsure, ask', () => {
  it('offers the likeliest readings and what the role can do', () => {
    const u = read('2003417', 'line_manager');
    expect(u.unsure).toBe(true);
    expect(u.clarification?.prompt).toContain('"2003417"');
    expect(u.clarification?.options.length).toBeGreaterThan(0);
    expect(u.clarification?.options.length).toBeLessThanOrEqual(3);
    expect(u.clarification?.canDo.map((c) => c.intent)).toContain('approvals.pending');
    expect(u.clarification?.canDo.map((c) => c.intent)).not.toContain('destruction.due');
    for (const option of u.clarification!.options) expect(option.label).toMatch(/\S/);
  });
});

describe('evidence', () => {
  it('every entity points at the words it came from', () => {
    const samples = [
      'need to take 2014873 home tonight to finish the court report, back fri',
      "cancel alex's authorisation for 2005139 and get it back by fri, legal need it",
      'put a litigation hold on 2004418 ref LIT-2026-04',
      'how long do we keep chidlrens home records',
    ];
    for (const text of samples) {
      const u = read(text, 'line_manager');
      for (const found of Object.values(u.reading.entities)) {
        const list = Array.isArray(found) ? found : [found];
        for (const f of list as { from?: { start: number; end: number; text: string } }[]) {
          if (f.from) expect(u.text.slice(f.from.start, f.from.end)).toBe(f.from.text);
        }
      }
    }
  });

  it('refuses a today that is not a calendar date', () => {
    expect(() => understand('help', { today: '03/12/2026', roles: [] })).toThrow(RangeError);
  });
});
