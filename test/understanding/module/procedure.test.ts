import { describe, expect, it } from 'vitest';
import { PROCEDURE, type SectionId } from '../../../src/rules/procedure.js';
import { TOPICS, understand } from '../../../src/understanding/index.js';

const TODAY = '2026-12-03';

function answer(text: string) {
  const u = understand(text, { today: TODAY, roles: ['case_worker'] });
  expect(u.reading.intent, text).toBe('policy.question');
  return u.reading.answer!;
}

describe('procedure answers by retrieval', () => {
  it.each<[string, SectionId]>([
    ['may I work on a council laptop from home?', 'P4'],
    ['is it ok to put reports on a usb stick', 'P4'],
    ['what should I do if a case file goes missing', 'P7'],
    ['is it alright to carry case files on the bus', 'P5'],
    ['do I need my manager to agree before I take a file to a meeting', 'P5'],
    ['my TM wants the file back before the agreed date, is that allowed?', 'P6'],
    ['who do the records belong to?', 'P1'],
    ['is it my job to upload letters to livelink?', 'P2'],
    ['can I keep case papers at my house', 'P3'],
    ['what happens if I break the rules on taking files home', 'P7'],
    ['who decides the retention periods?', 'D1'],
    ['am I allowed to shred old case notes', 'D2'],
    ['can a record be destroyed if a subject access request is outstanding', 'D3'],
    ['is there a register of destroyed records?', 'D4'],
    // Visual material, theft, meetings by their names, where things are saved.
    ['are video recordings of contact council records?', 'P1'],
    ['my bag with a case file in got nicked from my car', 'P7'],
    ['do I need my TM to agree before taking the file to the RCPC', 'P5'],
    ['where am I supposed to file letters from the school', 'P2'],
  ])('%s → %s', (text, section) => {
    expect(answer(text).section).toBe(section);
  });

  it('quotes the section it answers from, verbatim, and names it', () => {
    const a = answer('may I work on a council laptop from home?');
    expect(a.quote).toBe(PROCEDURE.sections.find((s) => s.id === 'P4')!.text);
    expect(a.sectionTitle).toBe('1. Case Retention of Documentation');
    expect(a.title).toBe('Working on a computer at home');
  });

  it('allows a computer at home when everything is saved to Livelink', () => {
    const lines = answer('can I use my work laptop at home?').lines.join(' ');
    expect(lines).toMatch(/^Yes, you may use a computer at home/);
    expect(lines).toContain('saved on Livelink');
    expect(lines).toMatch(/memory stick/);
  });

  it('says a lost record is reported at once as a possible personal data breach', () => {
    const lines = answer('what happens if I lose a case file?').lines.join(' ');
    expect(lines).toContain('at once to your line manager and to Information Governance');
    expect(lines).toContain('possible personal data breach');
    expect(lines).toContain('72 hours');
    expect(lines).toContain("Information Commissioner's Office");
  });

  it('says the register is kept by the product and filed in Livelink by export', () => {
    const lines = answer('where is the register of destroyed records kept?').lines.join(' ');
    expect(lines).toContain('This product keeps the register');
    expect(lines).toContain('files the export in Livelink');
    for (const topic of TOPICS) expect(topic.lines.join(' ')).not.toMatch(/kept on Livelink/i);
  });

  it('answers a question about a case or a date as a question', () => {
    const u = understand('can I take 2004418 home if my manager is off tomorrow?', {
      today: TODAY,
      roles: ['case_worker'],
    });
    expect(u.reading.intent).toBe('policy.question');
    expect(u.reading.answer?.section).toBe('P5');
  });

  it('answers nothing when no section is close enough', () => {
    const u = understand("what's the mileage rate this year", { today: TODAY, roles: ['case_worker'] });
    expect(u.reading.intent).toBe('None');
    expect(u.reading.answer).toBeUndefined();
  });

  it('every topic belongs to a section and every section has a topic', () => {
    expect(new Set(TOPICS.map((t) => t.section))).toEqual(new Set(PROCEDURE.sections.map((s) => s.id)));
  });
});
