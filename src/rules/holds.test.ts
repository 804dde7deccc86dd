import { describe, expect, it } from 'vitest';
import {
  blanketHoldCovers,
  calendarWithHolidays,
  checkBlanketHold,
  checkSarExtension,
  defaultSchedule,
  onOrNextWorkingDay,
  subjectAccessDeadlines,
  WEEKENDS_ONLY,
  type BlanketHold,
  type IsoDate,
  type SarPause,
} from './index.js';
import { GOV_UK_ENGLAND_AND_WALES } from '../../test/support/bank-holidays.js';

const calendar = calendarWithHolidays(GOV_UK_ENGLAND_AND_WALES);
const TODAY = '2028-12-31';

describe('onOrNextWorkingDay', () => {
  it.each<[IsoDate, IsoDate]>([
    ['2026-12-02', '2026-12-02'],
    ['2026-12-05', '2026-12-07'],
    ['2026-12-25', '2026-12-29'],
    ['2027-12-25', '2027-12-29'],
    ['2028-01-01', '2028-01-04'],
  ])('%s → %s', (date, expected) => {
    expect(onOrNextWorkingDay(date, calendar)).toBe(expected);
  });

  it('with weekends only, a bank holiday is a working day', () => {
    expect(onOrNextWorkingDay('2026-12-25', WEEKENDS_ONLY)).toBe('2026-12-25');
  });
});

describe('subject access deadlines, as the ICO counts them', () => {
  const deadlines = (receivedOn: IsoDate, pauses: SarPause[] = [], today: IsoDate = TODAY) =>
    subjectAccessDeadlines({ receivedOn, pauses }, calendar, today);

  it.each<{ name: string; receivedOn: IsoDate; respondBy: IsoDate; extendedRespondBy: IsoDate }>([
    {
      name: 'an ordinary month: the same date',
      receivedOn: '2026-11-03',
      respondBy: '2026-12-03',
      extendedRespondBy: '2027-02-03',
    },
    {
      name: 'Christmas Day 2026 (Friday), then the weekend and the Boxing Day substitute',
      receivedOn: '2026-11-25',
      respondBy: '2026-12-29',
      extendedRespondBy: '2027-02-25',
    },
    {
      name: 'Boxing Day 2026 falls on a Saturday: its substitute is Monday 28 December',
      receivedOn: '2026-11-26',
      respondBy: '2026-12-29',
      extendedRespondBy: '2027-02-26',
    },
    {
      name: 'on the Boxing Day substitute itself; extended, 28 February 2027 is a Sunday',
      receivedOn: '2026-11-28',
      respondBy: '2026-12-29',
      extendedRespondBy: '2027-03-01',
    },
    {
      name: 'Christmas 2027 on a weekend: substitutes on 27 and 28 December',
      receivedOn: '2027-11-25',
      respondBy: '2027-12-29',
      extendedRespondBy: '2028-02-25',
    },
    {
      name: 'New Year’s Day 2028 (Saturday): substitute Monday 3 January',
      receivedOn: '2027-12-01',
      respondBy: '2028-01-04',
      extendedRespondBy: '2028-03-01',
    },
    {
      name: 'Good Friday 2027 (26 March), the weekend and Easter Monday',
      receivedOn: '2027-02-26',
      respondBy: '2027-03-30',
      extendedRespondBy: '2027-05-26',
    },
    {
      name: 'Easter Sunday 2027, then Easter Monday',
      receivedOn: '2027-02-28',
      respondBy: '2027-03-30',
      extendedRespondBy: '2027-05-28',
    },
    {
      name: 'month end: no 31 February, and 28 February 2027 is a Sunday',
      receivedOn: '2027-01-31',
      respondBy: '2027-03-01',
      extendedRespondBy: '2027-04-30',
    },
    {
      name: 'month end: 28 February 2026 is a Saturday',
      receivedOn: '2026-01-31',
      respondBy: '2026-03-02',
      extendedRespondBy: '2026-04-30',
    },
    {
      name: 'month end in a leap year: 29 February 2028, a Tuesday',
      receivedOn: '2028-01-31',
      respondBy: '2028-02-29',
      extendedRespondBy: '2028-05-02',
    },
    {
      name: 'extended from 31 October 2026: 31 January 2027 is a Sunday',
      receivedOn: '2026-10-31',
      respondBy: '2026-11-30',
      extendedRespondBy: '2027-02-01',
    },
    {
      name: 'month end with a day to spare: 30 April 2026 is a Thursday',
      receivedOn: '2026-03-31',
      respondBy: '2026-04-30',
      extendedRespondBy: '2026-06-30',
    },
    {
      name: 'received on a Saturday: the clock still starts that day',
      receivedOn: '2026-11-07',
      respondBy: '2026-12-07',
      extendedRespondBy: '2027-02-08',
    },
  ])('$name', ({ receivedOn, respondBy, extendedRespondBy }) => {
    expect(deadlines(receivedOn)).toMatchObject({
      clockStartsOn: receivedOn,
      pausedDays: 0,
      pausedSince: null,
      respondBy,
      extendedRespondBy,
    });
  });

  it('starts the clock when identity asked for on receipt arrives', () => {
    expect(deadlines('2026-11-03', [{ from: '2026-11-03', to: '2026-11-10' }])).toMatchObject({
      clockStartsOn: '2026-11-10',
      pausedDays: 0,
      respondBy: '2026-12-10',
    });
  });

  it('adds the days the clock was stopped for clarification later on', () => {
    expect(deadlines('2026-11-03', [{ from: '2026-11-10', to: '2026-11-17' }])).toMatchObject({
      clockStartsOn: '2026-11-03',
      pausedDays: 7,
      respondBy: '2026-12-10',
      extendedRespondBy: '2027-02-10',
    });
  });

  it('counts a stop still open to today, and says so: the deadline will move', () => {
    expect(deadlines('2026-11-03', [{ from: '2026-11-10', to: null }], '2026-11-20')).toMatchObject({
      pausedDays: 10,
      pausedSince: '2026-11-10',
      // 3 December + 10 days is Sunday 13 December.
      respondBy: '2026-12-14',
    });
  });
});

describe('extending a subject access request', () => {
  const sar = { receivedOn: '2026-11-03', pauses: [], extended: false };
  const today = '2026-12-20';

  it('is allowed when the requester was told within the first month, with a reason', () => {
    expect(
      checkSarExtension(
        sar,
        { toldOn: '2026-12-03', reason: 'Complex: records from three teams' },
        calendar,
        today,
      ),
    ).toEqual({ ok: true, toldOn: '2026-12-03', reason: 'Complex: records from three teams' });
  });

  it.each<{ name: string; input: { toldOn: string; reason: string }; code: string; extended?: boolean }>([
    {
      name: 'told after the first month',
      input: { toldOn: '2026-12-04', reason: 'Complex' },
      code: 'extension_too_late',
    },
    { name: 'no reason', input: { toldOn: '2026-11-20', reason: '  ' }, code: 'reason_required' },
    { name: 'no date told', input: { toldOn: '', reason: 'Complex' }, code: 'told_on_missing' },
    {
      name: 'told in the future',
      input: { toldOn: '2026-12-21', reason: 'Complex' },
      code: 'told_on_future',
    },
    {
      name: 'told before receipt',
      input: { toldOn: '2026-11-02', reason: 'Complex' },
      code: 'told_on_early',
    },
    {
      name: 'already extended',
      input: { toldOn: '2026-11-20', reason: 'Complex' },
      code: 'already_extended',
      extended: true,
    },
  ])('is refused: $name', ({ input, code, extended }) => {
    expect(checkSarExtension({ ...sar, extended: extended ?? false }, input, calendar, today)).toMatchObject({
      ok: false,
      code,
    });
  });
});

describe('blanket holds', () => {
  // The Independent Inquiry into Child Sexual Abuse asked councils in July 2015 to keep
  // records; destruction could resume after its judicial review period ended, 20 January 2023.
  const iicsa: BlanketHold = {
    type: 'inquiry',
    name: 'Independent Inquiry into Child Sexual Abuse',
    reference: 'IICSA',
    startsOn: '2015-07-01',
    endsOn: '2023-01-20',
    classes: ['child-protection', 'looked-after-child'],
    released: false,
  };

  it.each<{ name: string; hold?: Partial<BlanketHold>; recordClass: string; day: IsoDate; covers: boolean }>([
    {
      name: 'a covered class while in force',
      recordClass: 'child-protection',
      day: '2020-06-01',
      covers: true,
    },
    { name: 'on its last day', recordClass: 'child-protection', day: '2023-01-20', covers: true },
    { name: 'the day after it ended', recordClass: 'child-protection', day: '2023-01-21', covers: false },
    { name: 'before it started', recordClass: 'child-protection', day: '2015-06-30', covers: false },
    { name: 'a class it does not cover', recordClass: 'complaint', day: '2020-06-01', covers: false },
    {
      name: 'every class when none is named',
      hold: { classes: null },
      recordClass: 'complaint',
      day: '2020-06-01',
      covers: true,
    },
    {
      name: 'no end',
      hold: { endsOn: null },
      recordClass: 'child-protection',
      day: '2040-01-01',
      covers: true,
    },
    {
      name: 'released',
      hold: { released: true },
      recordClass: 'child-protection',
      day: '2020-06-01',
      covers: false,
    },
  ])('$name', ({ hold, recordClass, day, covers }) => {
    expect(blanketHoldCovers({ ...iicsa, ...hold }, recordClass, day)).toBe(covers);
  });

  const classIds = new Set(defaultSchedule.classes.map((c) => c.id));
  const good = {
    type: 'inquiry',
    name: ' Independent Inquiry into Child Sexual Abuse ',
    reference: 'IICSA',
    reason: 'The Chair asked every council to keep these records',
    startsOn: '2015-07-01',
    endsOn: '2023-01-20',
    classes: ['looked-after-child', 'child-protection', 'child-protection'],
  };

  it('checks a new hold: names trimmed, classes sorted and unique', () => {
    expect(checkBlanketHold(good, classIds)).toEqual({
      ok: true,
      hold: {
        type: 'inquiry',
        name: 'Independent Inquiry into Child Sexual Abuse',
        reference: 'IICSA',
        reason: 'The Chair asked every council to keep these records',
        startsOn: '2015-07-01',
        endsOn: '2023-01-20',
        classes: ['child-protection', 'looked-after-child'],
      },
    });
    expect(checkBlanketHold({ ...good, type: 'foi_request', classes: [] }, classIds)).toMatchObject({
      ok: true,
      hold: { type: 'foi_request', classes: null },
    });
  });

  it.each<[string, Partial<typeof good> & Record<string, unknown>, string]>([
    [
      'a subject access request is about one person, not a class',
      { type: 'subject_access_request' },
      'bad_type',
    ],
    ['no name', { name: ' ' }, 'name_missing'],
    ['no reason', { reason: '' }, 'reason_missing'],
    ['no start', { startsOn: '' }, 'starts_on_missing'],
    ['an impossible end', { endsOn: '2023-02-30' }, 'bad_ends_on'],
    ['an end before the start', { endsOn: '2015-06-30' }, 'ends_before_start'],
    ['an unknown class', { classes: ['wedding-album'] }, 'unknown_class'],
  ])('refuses %s', (_name, change, code) => {
    expect(checkBlanketHold({ ...good, ...change }, classIds)).toMatchObject({
      ok: false,
      code,
    });
  });
});
