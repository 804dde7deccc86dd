import { describe, expect, it } from 'vitest';
import { findCaseRefs } from '../../src/bot/understanding/case-ref.js';
import {
  findDiedAtAge,
  findJustification,
  findReason,
  findRecordClassQuery,
} from '../../src/bot/understanding/clauses.js';
import { findDates } from '../../src/bot/understanding/dates.js';
import { extractEntities } from '../../src/bot/understanding/entities.js';
import { findPersonName } from '../../src/bot/understanding/people.js';
import { findDestination, findPurpose } from '../../src/bot/understanding/purpose.js';

const THURSDAY = '2026-11-26';
const dates = (text: string, today = THURSDAY) => findDates(text, today).map((d) => d.date);
const refs = (text: string) => findCaseRefs(text).map((r) => r.value);

describe('case references', () => {
  it('finds 6 to 10 digit references, with or without a marker', () => {
    expect(refs('case 1234567')).toEqual(['1234567']);
    expect(refs('#1234567 and case no. 7654321')).toEqual(['1234567', '7654321']);
    expect(refs('records for 123456 and 1234567890')).toEqual(['123456', '1234567890']);
    expect(refs('case ref: 20261203')).toEqual(['20261203']);
  });

  it('never reads a year, date, time, phone number or amount as one', () => {
    expect(refs('back on 3 December 2026')).toEqual([]);
    expect(refs('on 03/12/2026 or 2026-12-03 or 03.12.2026')).toEqual([]);
    expect(refs('the compact date 20261203 or 03122026')).toEqual([]);
    expect(refs('call me on 07700 900123')).toEqual([]);
    expect(refs('£1234567.50 or 12345678901')).toEqual([]);
  });

  it('does not repeat a reference', () => {
    expect(refs('1234567 again 1234567')).toEqual(['1234567']);
  });
});

describe('dates (chrono en.GB, counted from today)', () => {
  it('reads British day/month and named days', () => {
    expect(dates('03/12')).toEqual(['2026-12-03']);
    expect(dates('3 December')).toEqual(['2026-12-03']);
    expect(dates('December 3')).toEqual(['2026-12-03']);
    expect(dates('Jan 12')).toEqual(['2027-01-12']);
    expect(dates('tonight')).toEqual([THURSDAY]);
    expect(dates('today')).toEqual([THURSDAY]);
    expect(dates('tomorrow')).toEqual(['2026-11-27']);
    expect(dates('tmrw')).toEqual(['2026-11-27']);
    expect(dates('Friday')).toEqual(['2026-11-27']);
    expect(dates('Thursday')).toEqual([THURSDAY]);
    expect(dates('weds')).toEqual(['2026-12-02']);
    expect(dates('next week')).toEqual(['2026-12-03']);
    expect(dates('until the 20th')).toEqual(['2026-12-20']);
    expect(dates('back by 5pm')).toEqual([THURSDAY]);
  });

  it('ignores ages, bare hours and words that only look like days', () => {
    expect(findDates('if the child died at 12', THURSDAY, [{ index: 10, length: 13 }])).toEqual([]);
    expect(dates('the core group at 10')).toEqual([]);
    expect(dates('I sat with the family')).toEqual([]);
    expect(dates('may I take it')).toEqual([]);
  });

  it('marks return and from cues', () => {
    expect(findDates('from Monday, back on Friday', THURSDAY).map((d) => d.cue)).toEqual(['from', 'return']);
    expect(findDates('till 5 December', THURSDAY)[0]).toMatchObject({ date: '2026-12-05', cue: 'return' });
    expect(findDates('Monday to Wednesday', THURSDAY)[0]).toMatchObject({
      date: '2026-11-30',
      end: '2026-12-02',
    });
    expect(findDates('from 1 Dec to 5 Dec', THURSDAY)[0]).toMatchObject({
      date: '2026-12-01',
      end: '2026-12-05',
    });
    expect(findDates('covering from 3 December', THURSDAY)[0]).toMatchObject({
      date: '2026-12-03',
      cue: 'from',
    });
  });

  it('keeps the calendar date across the clock changes', () => {
    expect(dates('tomorrow', '2026-03-28')).toEqual(['2026-03-29']);
    expect(dates('tomorrow', '2026-03-29')).toEqual(['2026-03-30']);
    expect(dates('tonight', '2026-03-29')).toEqual(['2026-03-29']);
    expect(dates('tomorrow', '2026-10-24')).toEqual(['2026-10-25']);
    expect(dates('tomorrow', '2026-10-25')).toEqual(['2026-10-26']);
    expect(dates('tomorrow', '2026-12-31')).toEqual(['2027-01-01']);
  });
});

describe('names', () => {
  it('finds a first name from the wording around it', () => {
    expect(findPersonName("can I take Jo's records")).toBe('Jo');
    expect(findPersonName("cancel Sam Jones's authorisation")).toBe('Sam');
    expect(findPersonName('Priya is covering my approvals')).toBe('Priya');
    expect(findPersonName('tell Tom to bring it back')).toBe('Tom');
    expect(findPersonName('delegate my approvals to Chris')).toBe('Chris');
    expect(findPersonName('cancel the authorisation for Kim, the case is closing')).toBe('Kim');
    expect(findPersonName("need J's file")).toBe('J');
  });

  it('never takes days, months, I, acronyms or ordinary words as names', () => {
    expect(findPersonName("Friday's hearing")).toBeUndefined();
    expect(findPersonName('I will bring it back on Monday')).toBeUndefined();
    expect(findPersonName('Please can I take the file')).toBeUndefined();
    expect(findPersonName('take LAC records to the meeting')).toBeUndefined();
    expect(findPersonName('take the file to Stevenage family centre')).toBeUndefined();
    expect(findPersonName("December's panel")).toBeUndefined();
  });
});

describe('destination and purpose', () => {
  it('reads where the records go', () => {
    expect(findDestination('take the file home tonight')).toBe('home');
    expect(findDestination('wfh tomorrow')).toBe('home');
    expect(findDestination('take the records to the core group meeting tomorrow')).toBe('core group meeting');
    expect(findDestination('take the bundle to court on Monday')).toBe('court');
    expect(findDestination("I'm in court tomorrow")).toBe('court');
    expect(findDestination('take the file to Stevenage family centre')).toBe('Stevenage family centre');
    expect(findDestination('to finish the court report')).toBeUndefined();
    expect(findDestination('take the file on a home visit')).toBeUndefined();
    expect(findDestination("take the file to the children's home")).toBeUndefined();
  });

  it('decides by destination first, then keywords', () => {
    const text = 'take the file home tonight to finish the court report';
    expect(findPurpose(text, findDestination(text))).toBe('home_working');
    expect(findPurpose('the bundle for the hearing', undefined)).toBe('court');
    expect(findPurpose('need the records for the strategy meeting', undefined)).toBe('meeting');
    expect(findPurpose('take the file to the school', 'school')).toBe('other');
    expect(findPurpose('take the file to the school for the PEP meeting', 'school')).toBe('meeting');
    expect(findPurpose('I need the file', undefined)).toBeUndefined();
  });
});

describe('clauses', () => {
  it('reads the reason for a cancellation or withdrawal', () => {
    expect(findReason("cancel Sam's authorisation for 1234567, the case is going to court")).toBe(
      'the case is going to court',
    );
    expect(findReason('recall the file because of an audit')).toBe('an audit');
    expect(findReason('stop the authorisation as the family have moved')).toBe('the family have moved');
    expect(findReason('the hearing was adjourned, withdraw my request')).toBe('the hearing was adjourned');
    expect(findReason('recall the file for 1234567')).toBeUndefined();
    expect(findReason('I need it back as soon as possible')).toBeUndefined();
  });

  it('reads the justification for a request', () => {
    expect(findJustification('take the file home tonight to finish the court report, back Friday')).toBe(
      'to finish the court report',
    );
    expect(findJustification('need the records for the child protection conference')).toBe(
      'for the child protection conference',
    );
    expect(findJustification('take the file for case 1234567 home')).toBeUndefined();
  });

  it('reads the kind of record and the age at death', () => {
    expect(findRecordClassQuery('how long do we keep adoption records?')).toBe('adoption records');
    expect(findRecordClassQuery('how long are CIN files kept')).toBe('CIN files');
    expect(findRecordClassQuery('when can we shred fostering records')).toBe('fostering records');
    expect(findRecordClassQuery('retention for a child who died aged 5 in care')).toBe('child in care');
    expect(findRecordClassQuery('what about LAC records if the child died at 12?')).toBe('LAC records');
    expect(findDiedAtAge('if the child died at 12')).toBe(12);
    expect(findDiedAtAge('who died aged 5')).toBe(5);
    expect(findDiedAtAge('retention for LAC')).toBeUndefined();
  });
});

describe('extractEntities', () => {
  it('reads only what matters for the intent', () => {
    expect(
      extractEntities('tell Sam the file for 1234567 is back on Friday', 'retention.case', THURSDAY),
    ).toEqual({
      caseRef: '1234567',
    });
    expect(extractEntities('Tom will cover from Monday until 3 December', 'acting.set', THURSDAY)).toEqual({
      personName: 'Tom',
      until: '2026-12-03',
    });
  });
});
