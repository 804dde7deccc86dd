import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/rules/roles.js';
import { understand, type Intent, type Understanding } from '../../../src/understanding/index.js';

// What the understanding reads from structure rather than from particular phrasings: a side
// question beside a request, help asked about the assistant itself, everyday office business,
// possessives without apostrophes, and dates a person must check.

const WEDNESDAY = '2026-12-02';

function read(text: string, role: Role = 'case_worker', today = WEDNESDAY): Understanding {
  return understand(text, { today, roles: [role] });
}

describe('a side question does not make a question of a request told in another clause', () => {
  it.each([
    'need 2000111 for the core group on friday, back monday. is this the right place to ask?',
    'I want to take 2000111 to court tomorrow and bring it back thursday, does my manager see this straight away?',
    'Would it be alright to book out 2000111 for tomorrow? back friday',
    'ok so 2000111 out on friday for the visit, back monday, do I need to do anything else?',
  ])('%s', (text) => {
    const u = read(text);
    expect(u.reading.intent).toBe('removal.request');
    expect(u.unsure).toBe(false);
    expect(u.reading.entities.caseRef?.value).toBe('2000111');
  });

  it('but a condition on the practice makes it a question about the rules', () => {
    const u = read('can I take 2000111 to the school meeting on friday if my manager agrees?');
    expect(u.reading.kind).not.toBe('action');
  });

  it('a return reported, with a side question, is still a return', () => {
    expect(
      read('put 2000111 back in the cabinet this morning, is there anything else I need to do?').reading
        .intent,
    ).toBe('removal.mark_returned');
  });
});

describe('help: a question about the assistant itself', () => {
  it.each([
    'what sort of things can you do?',
    'how does this bot work',
    'what can I ask you about?',
    'show me the commands',
    'HELP!',
    'what is this?',
    'tell me what this assistant can do for a line manager',
  ])('%s', (text) => {
    expect(read(text).reading.intent).toBe('help');
  });

  it('but help with a case is that request', () => {
    expect(read('can you help me take 2000111 home tonight, back tomorrow').reading.intent).toBe(
      'removal.request',
    );
  });
});

describe('everyday office business is outside the domain', () => {
  it.each([
    'is the photocopier on the 2nd floor working again?',
    'who is on duty this afternoon?',
    'has my leave request for January gone through?',
    'how long do I keep my mileage log for?',
    'can someone book a room for the family group conference on monday',
    "who's the fire warden for the fire drill today?",
  ])('%s', (text) => {
    const u = read(text);
    expect(u.reading.intent).toBe('None');
    expect(u.reading.kind).not.toBe('action');
  });

  it('unless records are named too', () => {
    expect(read('how long do we keep the duty log records for CIN referrals?').reading.intent).toBe(
      'retention.class',
    );
  });
});

describe('people, as they are written', () => {
  it.each<[string, string]>([
    ['decline Ellies request for 2000111', 'Ellie'],
    ['recall Marcus file 2000111, audit tomorrow', 'Marcus'],
    ['approve bens 2000111', 'ben'],
    ['Checking Callum brought 2000111 back', 'Callum'],
  ])('%s → %s', (text, name) => {
    expect(read(text, 'line_manager').reading.entities.personName?.value).toBe(name);
  });
});

describe('dates a person must check are asked about', () => {
  it.each<[string, string, Intent]>([
    ['take 2000111 home next tuesday, back same day', 'ambiguous-next', 'removal.request'],
    ['out with 2000111 tomorrow (tues), back wednesday', 'weekday-mismatch', 'removal.request'],
    ['2000111 home tonight, back 31/09', 'unreadable-date', 'removal.request'],
    ['2000111 home tonight, back on Fridya', 'assumed-date', 'removal.request'],
  ])('%s', (text, kind, intent) => {
    const u = read(text);
    expect(u.reading.intent).toBe(intent);
    expect(u.reading.doubts.map((d) => d.kind)).toContain(kind);
  });
});

describe('more ways staff put things', () => {
  it.each<[string, Role, Intent]>([
    ['whats the status of my request for 2000777', 'case_worker', 'removal.list_mine'],
    ['have I still got 2000555 out?', 'case_worker', 'removal.list_mine'],
    ['I lost a file on the way back from a visit', 'case_worker', 'policy.question'],
    ['what can be destroyed this month', 'records_management', 'destruction.due'],
    ['what was destroyed this month', 'records_management', 'register.query'],
    ["decline alex's request, it's not needed for the visit", 'line_manager', 'removal.decide'],
    ['anything for me?', 'line_manager', 'approvals.pending'],
    ['what are you', 'case_worker', 'help'],
    ["what's signed out to me at the moment", 'case_worker', 'removal.list_mine'],
    ['has my manager signed mine off yet', 'case_worker', 'removal.list_mine'],
    ['do i have to let my TM know before taking papers out', 'case_worker', 'policy.question'],
    ["can Priya pick up my approvals while I'm on leave until the 18th", 'line_manager', 'acting.set'],
    ["I'm on annual leave next week, Sam will deal with the team's approvals", 'line_manager', 'acting.set'],
    ['I need 2000555 back by friday, Sam has it', 'line_manager', 'removal.cancel'],
    ['I spilt coffee all over a case file, what do I do', 'case_worker', 'policy.question'],
    ["what's the rule on taking paper records to a core group", 'case_worker', 'policy.question'],
    ['can I withdraw an authorisation I gave last week', 'line_manager', 'policy.question'],
    ['can my team clear out closed files from the cabinets and bin them', 'line_manager', 'policy.question'],
    ["what's the rule for CP records", 'case_worker', 'retention.class'],
  ])('%s (%s) → %s', (text, role, intent) => {
    expect(read(text, role).reading.intent).toBe(intent);
  });

  it('a case named with "signed out to me" is a request to sign it out, not a list', () => {
    expect(read('can 2000555 be signed out to me tomorrow till monday').reading.intent).toBe(
      'removal.request',
    );
  });

  it('reads "thurs am, back thurs pm" as the same day', () => {
    const u = read('2000555 - home visit thurs am, back thurs pm');
    expect([u.reading.entities.outOn?.value, u.reading.entities.returnOn?.value]).toEqual([
      '2026-12-03',
      '2026-12-03',
    ]);
  });

  it('reads "due this year" as due by the end of the year', () => {
    expect(
      read('new batch for complaints due this year', 'records_management').reading.entities.dueBy?.value,
    ).toBe('2026-12-31');
  });
});

describe('small talk', () => {
  it.each<[string, 'greeting' | 'thanks']>([
    ['thanks!', 'thanks'],
    ['cheers 👍', 'thanks'],
    ['good morning', 'greeting'],
    ['hiya', 'greeting'],
  ])('%s is %s, read as None', (text, kind) => {
    const u = read(text);
    expect(u.reading.intent).toBe('None');
    expect(u.smallTalk).toBe(kind);
  });

  it('is not said of anything else', () => {
    expect(read("what's the weather like?").smallTalk).toBeUndefined();
  });
});
