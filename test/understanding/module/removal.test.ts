import { describe, expect, it } from 'vitest';
import { understand, type DoubtKind, type Understanding } from '../../../src/understanding/index.js';

// Thursday 3 December 2026.
const THURSDAY = '2026-12-03';

function read(text: string, today = THURSDAY): Understanding {
  return understand(text, { today, roles: ['case_worker'] });
}

function dates(u: Understanding): [string | undefined, string | undefined] {
  return [u.reading.entities.outOn?.value, u.reading.entities.returnOn?.value];
}

describe('removal requests: the case and the out and return dates', () => {
  it.each([
    ['need to take 2003417 home tonight for the court report, back fri', '2026-12-03', '2026-12-04'],
    ['may I remove file 2003417 from the office today and return it on Monday', '2026-12-03', '2026-12-07'],
    ["could I take case 2003417 out on 06/12/2026, I'll return it by 08/12/2026", '2026-12-06', '2026-12-08'],
    ['2003417 home tonight pls, back by 07/12', '2026-12-03', '2026-12-07'],
    // An explicit return marker wins over a list of days.
    ['WFH Monday and Tuesday with 2003417, back in on Wednesday', '2026-12-07', '2026-12-09'],
    [
      'working from home tues weds thurs, need 2003417 with me, back in office fri',
      '2026-12-08',
      '2026-12-11',
    ],
    ['taking 2003417 home, back fri 11th', '2026-12-03', '2026-12-11'],
    ['can I sign out 2003417 til Fri 18th', '2026-12-03', '2026-12-18'],
    ['need 2003417 for a meeting this pm, back same day', '2026-12-03', '2026-12-03'],
    ['taking 2003417 to court mon, back in the afternoon', '2026-12-07', '2026-12-07'],
    ['need 2003417 day after tomorrow, back mondy', '2026-12-05', '2026-12-07'],
    ['can i take 2003417 home Thursday week, back the following mon', '2026-12-10', '2026-12-14'],
    ['2003417 out a week on friday for the strat meeting, back same day', '2026-12-11', '2026-12-11'],
    ['can i book out 2003417 for a fortnight from monday', '2026-12-07', '2026-12-21'],
    ['2003417 home mon to weds next week', '2026-12-07', '2026-12-09'],
    ['need 2003417 out 3.12 back 4.12', '2026-12-03', '2026-12-04'],
    ['2003417 home for 2 nights, back fri', '2026-12-03', '2026-12-04'],
    [
      'hi, 2003417 needed at the PLO meeting first thing tmrw, will bring back in the afternoon',
      '2026-12-04',
      '2026-12-04',
    ],
    ['sw visit thurs, will take 2003417 with me, back friday first thing', '2026-12-10', '2026-12-11'],
    ['taking 2003417 to the panel thur 10th, bk fri 11th', '2026-12-10', '2026-12-11'],
  ])('%s', (text, outOn, returnOn) => {
    const u = read(text);
    expect(u.reading.intent).toBe('removal.request');
    expect(u.unsure).toBe(false);
    expect(u.reading.entities.caseRef?.value).toBe('2003417');
    expect(dates(u)).toEqual([outOn, returnOn]);
    expect(u.reading.doubts).toEqual([]);
  });

  it('counts a return weekday forward from the out date', () => {
    expect(dates(read('need 2003417 out mon 7th, back thurs', '2026-12-03'))).toEqual([
      '2026-12-07',
      '2026-12-10',
    ]);
    expect(dates(read('take 2003417 home today back mon', '2026-12-31'))).toEqual([
      '2026-12-31',
      '2027-01-04',
    ]);
  });

  it('takes the out date as today, saying so, when only a return date is given', () => {
    const u = read('can I take 2003417 home until Monday');
    expect(u.reading.entities.outOn).toEqual({
      value: THURSDAY,
      implied: 'today (only a return date was given)',
    });
    expect(u.reading.entities.returnOn?.value).toBe('2026-12-07');
  });

  it('leaves the return date to be asked when none is given', () => {
    expect(dates(read('can i take 2003417 home for a couple of days'))).toEqual(['2026-12-03', undefined]);
  });

  it('keeps the words each date came from', () => {
    const u = read('need 2003417 out mondy, back wedensday');
    const { outOn, returnOn } = u.reading.entities;
    expect(outOn?.from?.text).toBe('mondy');
    expect(returnOn?.from?.text).toBe('wedensday');
    expect(u.text.slice(returnOn!.from!.start, returnOn!.from!.end)).toBe('wedensday');
  });

  it('reads the destination and purpose', () => {
    const e = read('can I take 2003417 to the core group meeting tomorrow, back same day').reading.entities;
    expect(e.purpose?.value).toBe('meeting');
    expect(e.destination?.value).toBe('core group meeting');
    expect(read('taking 2003417 home tonight, back fri').reading.entities.purpose?.value).toBe(
      'home_working',
    );
  });
});

describe('never a silently wrong date: doubts', () => {
  function doubts(text: string, today = THURSDAY): { kind: DoubtKind; entity: string; question: string }[] {
    return read(text, today).reading.doubts.map(({ kind, entity, question }) => ({ kind, entity, question }));
  }

  it('asks when a weekday and its date disagree', () => {
    expect(doubts('taking 2003417 home, back thurs 11th')).toEqual([
      {
        kind: 'weekday-mismatch',
        entity: 'returnOn',
        question:
          "'back thurs 11th': the 11th is a Friday, not a Thursday — did you mean Friday 11 December or Thursday 10 December?",
      },
    ]);
  });

  it('asks about the return date too when it is counted from a doubtful out date', () => {
    const kinds = doubts('can i take 2003417 thurs 11th back same day').map((d) => `${d.kind}/${d.entity}`);
    expect(kinds).toEqual(['weekday-mismatch/outOn', 'weekday-mismatch/returnOn']);
  });

  it('asks about a date in the past', () => {
    const found = doubts('taking 2003417 home tmrw, back 3/11', '2026-12-01');
    expect(found.map((d) => d.kind)).toEqual(['past-date', 'return-before-out']);
    expect(found[0]?.question).toBe(
      "'back 3/11': Tuesday 3 November is in the past — which date did you mean?",
    );
  });

  it('asks about a date from last year', () => {
    const found = doubts('2003417 home tonight back 08/01/26', '2027-01-05');
    expect(found.map((d) => d.kind)).toEqual(['past-date', 'return-before-out']);
  });

  it('asks when the return comes before the out date', () => {
    expect(doubts('need 2003417 out on the 10th, back on the 8th').map((d) => d.kind)).toContain(
      'return-before-out',
    );
  });

  it('asks about words that look like a date but cannot be read', () => {
    const found = doubts('taking 2003417 home tonight, back the 32nd');
    expect(found).toEqual([
      {
        kind: 'unreadable-date',
        entity: 'returnOn',
        question: "'32nd': I couldn't read this as a date — which date did you mean?",
      },
    ]);
  });

  it('reads a day the month does not have as its last day, and asks', () => {
    const u = read('taking 2003417 home tonight, back 31/02');
    expect(u.reading.entities.returnOn?.value).toBe('2027-02-28');
    expect(u.reading.doubts).toMatchObject([
      { kind: 'unreadable-date', entity: 'returnOn', options: ['2027-02-28', '2027-03-01'] },
    ]);
    expect(u.reading.doubts[0]!.question).toContain("'back 31/02'");
  });

  it('never reads a date month first without asking', () => {
    const u = read('taking 2003417 out 4/12, back 4/14');
    expect(dates(u)).toEqual(['2026-12-04', '2027-04-14']);
    expect(u.reading.doubts).toMatchObject([
      {
        kind: 'unreadable-date',
        entity: 'returnOn',
        options: ['2027-04-14'],
        question: "'back 4/14': there is no month 14 — did you mean Wednesday 14 April 2027?",
      },
    ]);
  });

  it("asks whether a return on the out day's weekday is that day or a week on", () => {
    // Tomorrow is a Friday.
    const u = read('2003417 out tmrw, back fri');
    expect(dates(u)).toEqual(['2026-12-04', '2026-12-11']);
    expect(u.reading.doubts).toMatchObject([
      { kind: 'assumed-date', entity: 'returnOn', options: ['2026-12-11', '2026-12-04'] },
    ]);
  });

  it('counts "N days later" from the out date', () => {
    expect(dates(read('2003417 out monday, back a week later'))).toEqual(['2026-12-07', '2026-12-14']);
    expect(dates(read('2003417 out friday, back 3 days later'))).toEqual(['2026-12-04', '2026-12-07']);
  });

  it('asks whether "in N days" counts from today or from a later out date', () => {
    const u = read('2003417 out monday back in 2 days');
    expect(dates(u)).toEqual(['2026-12-07', '2026-12-09']);
    expect(u.reading.doubts).toMatchObject([
      { kind: 'assumed-date', entity: 'returnOn', options: ['2026-12-09', '2026-12-05'] },
    ]);
    expect(read('2003417 out today back in 2 days').reading.doubts).toEqual([]);
  });

  it('asks about "tomorrow (sat)" when tomorrow is a Friday', () => {
    const u = read('taking 2000222 out tomorrow (sat), back on monday', '2026-11-19');
    expect(dates(u)).toEqual(['2026-11-20', '2026-11-23']);
    expect(u.reading.doubts.map((d) => `${d.kind}/${d.entity}`)).toContain('weekday-mismatch/outOn');
  });

  it('takes the last return date when a message corrects itself', () => {
    const u = read(
      'need 2000111 for the hearing on tues, back weds. sorry, my mistake - back thurs',
      '2027-01-21',
    );
    expect(dates(u)).toEqual(['2027-01-26', '2027-01-28']);
  });

  it('asks which Tuesday "next tues" means early in the week', () => {
    const u = read('can i take 2003417 next tues, back same day', '2026-12-07');
    expect(dates(u)).toEqual(['2026-12-15', '2026-12-15']);
    expect(u.reading.doubts[0]).toMatchObject({
      kind: 'ambiguous-next',
      entity: 'outOn',
      options: ['2026-12-15', '2026-12-08'],
    });
  });

  it('asks when a list of days has no return marker', () => {
    const u = read('could i take 2003417 home monday and tuesday');
    expect(u.reading.doubts.map((d) => d.kind)).toEqual(['ambiguous-dates']);
  });

  it('asks about a return "first thing" that falls on a weekend', () => {
    const u = read('taking 2003417 home tonight, back first thing', '2026-12-04');
    expect(dates(u)).toEqual(['2026-12-04', '2026-12-05']);
    expect(u.reading.doubts[0]).toMatchObject({
      kind: 'assumed-date',
      options: ['2026-12-05', '2026-12-07'],
    });
  });

  it('asks about the last day of cover and a recall date the same way', () => {
    const cover = understand('Tom is covering my approvals till fri 10th', {
      today: THURSDAY,
      roles: ['line_manager'],
    });
    expect(cover.reading.intent).toBe('acting.set');
    expect(cover.reading.doubts.map((d) => `${d.kind}/${d.entity}`)).toEqual(['weekday-mismatch/until']);
    const recall = understand("pull back Sam's file for 2003417, need it back by 31/02", {
      today: THURSDAY,
      roles: ['line_manager'],
    });
    expect(recall.reading.intent).toBe('removal.cancel');
    expect(recall.reading.doubts.map((d) => `${d.kind}/${d.entity}`)).toEqual(['unreadable-date/returnBy']);
  });
});
