import { describe, expect, it } from 'vitest';
import { readDates, type DateMention } from '../../../src/understanding/dates.js';

// Thursday 3 December 2026.
const THURSDAY = '2026-12-03';

function read(text: string, today = THURSDAY): DateMention[] {
  return [...readDates(text, today).mentions];
}

function days(text: string, today = THURSDAY): (string | undefined)[] {
  return read(text, today).map((m) => m.value);
}

describe('en-GB dates as staff write them', () => {
  it.each([
    // Day first, never month first.
    ['back 06/12', ['2026-12-06']],
    ['out 6/12/26', ['2026-12-06']],
    ['out 6.12', ['2026-12-06']],
    ['out 06.12.2026', ['2026-12-06']],
    ['out 06-12-2026', ['2026-12-06']],
    ['on 12/06', ['2027-06-12']],
    // Weekdays, abbreviated and misspelt: the next one after today.
    ['back mon', ['2026-12-07']],
    ['back tues', ['2026-12-08']],
    ['back weds', ['2026-12-09']],
    ['back thurs', ['2026-12-10']],
    ['back fri', ['2026-12-04']],
    ['back mondy', ['2026-12-07']],
    ['back wedensday', ['2026-12-09']],
    ['back thrusday', ['2026-12-10']],
    // Relative days.
    ['tonight', ['2026-12-03']],
    ['tmrw', ['2026-12-04']],
    ['2moro', ['2026-12-04']],
    ['day after tomorrow', ['2026-12-05']],
    ['this am', ['2026-12-03']],
    ['this pm', ['2026-12-03']],
    ['Thursday week', ['2026-12-10']],
    ['a week on Friday', ['2026-12-11']],
    ['end of the week', ['2026-12-04']],
    ['back a week today', ['2026-12-10']],
    ['back two weeks tomorrow', ['2026-12-18']],
    ['back a fortnight today', ['2026-12-17']],
    ['back tomorrow week', ['2026-12-11']],
    // A week named, not a day: its Monday, asked about (see the periods below).
    ['back the week after next', ['2026-12-14']],
    // Bare ordinals: the next such day on or after today.
    ['the 9th', ['2026-12-09']],
    ['back the 3rd', ['2026-12-03']],
    ['by the 2nd', ['2027-01-02']],
    // Months with typos; the year rolls over.
    ['5 Decmber', ['2026-12-05']],
    ['3rd of Janurary', ['2027-01-03']],
    ['14 Febuary', ['2027-02-14']],
    ['3rd of Jan', ['2027-01-03']],
    // Weekday with ordinal, agreeing.
    ['fri 11th', ['2026-12-11']],
    ['Thursday the 10th', ['2026-12-10']],
    ['mon 14th dec', ['2026-12-14']],
  ])('%s', (text, expected) => {
    expect(days(text)).toEqual(expected);
  });

  it('reads a weekday that disagrees with its ordinal, and keeps both', () => {
    const [m] = read('back fri 10th');
    expect(m).toMatchObject({ value: '2026-12-10', mismatch: { weekday: 5, nearest: '2026-12-11' } });
  });

  it('reads "next Tuesday" early in the week as next week, keeping this week as the other reading', () => {
    const [m] = read('next tues', '2026-12-07');
    expect(m).toMatchObject({ value: '2026-12-15', otherNext: '2026-12-08' });
    // Later in the week, "next Tuesday" is the coming one, or may be the one after: asked too.
    expect(read('next tues', THURSDAY)[0]).toMatchObject({ value: '2026-12-08', otherNext: '2026-12-15' });
  });

  it('reads a day name misspelt past correcting after "on" or "back", to be asked about', () => {
    expect(read('back on Mindy', THURSDAY)[0]).toMatchObject({
      value: '2026-12-07',
      weekdayOnly: 1,
      guessed: { reason: 'misspelt' },
    });
  });

  it('reads a day the month does not have as its last day, offering the next month’s first', () => {
    const { mentions, unreadable } = readDates('back 31/11', '2026-11-25');
    expect(unreadable).toEqual([]);
    expect(mentions[0]).toMatchObject({
      value: '2026-11-30',
      guessed: { reason: 'no-such-day', options: ['2026-11-30', '2026-12-01'] },
    });
  });

  it('checks a weekday said with tomorrow or today, as one date', () => {
    const [m, ...rest] = read('tomorrow (sat)', '2026-11-19');
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ value: '2026-11-20', mismatch: { weekday: 6, nearest: '2026-11-21' } });
    expect(read('tomorrow (fri)', '2026-11-19')[0]?.mismatch).toBeUndefined();
  });

  it.each([
    ['back same day', 'same-day'],
    ['back in the afternoon', 'same-day'],
    ['back after lunch', 'same-day'],
    ['back first thing', 'next-day'],
    ['back in the morning', 'next-day'],
    ['back the day after', 'around-event'],
    ['for a fortnight', 'duration'],
    ['for 2 nights', 'duration'],
    ['back by 4', 'time'],
  ])('%s is counted from the other date (%s)', (text, kind) => {
    expect(read(text).map((m) => m.kind)).toEqual([kind]);
  });

  it('reads durations in days', () => {
    expect(read('for a fortnight')[0]?.days).toBe(14);
    expect(read('for 3 days')[0]?.days).toBe(3);
    expect(read('overnight')[0]?.days).toBe(1);
  });

  it('reads no date from "for a couple of days"', () => {
    expect(read('can I take it home for a couple of days')).toEqual([]);
  });

  it.each([
    ['w/c 14th', 'period', '2026-12-14', '2026-12-18'],
    ['next week', 'period', '2026-12-07', '2026-12-11'],
    ['over the weekend', 'range', '2026-12-04', '2026-12-07'],
    ['mon to weds', 'range', '2026-12-07', '2026-12-09'],
    ['6th-8th', 'range', '2026-12-06', '2026-12-08'],
    ['from 21st to 2nd Jan', 'range', '2026-12-21', '2027-01-02'],
  ])('%s is a %s', (text, kind, value, end) => {
    expect(read(text)[0]).toMatchObject({ kind, value, end });
  });

  it('reads months, and whether a year was written', () => {
    expect(read('register for Nov 2026')[0]).toMatchObject({
      kind: 'month',
      month: '2026-11',
      yearWritten: true,
    });
    expect(read('due in March')[0]).toMatchObject({ kind: 'month', month: '2027-03', yearWritten: false });
  });

  it.each(['at the mo', 'may I take it', 'I sat down', 'ask Jan about it', 'twice a week'])(
    'reads no date from everyday words: %s',
    (text) => {
      expect(read(text)).toEqual([]);
    },
  );

  it('keeps a date of this month that has just passed in the past, to be asked about', () => {
    expect(days('back 1 Dec')).toEqual(['2026-12-01']);
    expect(days('back 3/11', '2026-12-01')).toEqual(['2026-11-03']);
  });

  it.each([
    ['back the 32nd', '32nd'],
    ['back thrusdy', 'thrusdy'],
  ])('finds words that look like a date but cannot be read: %s', (text, words) => {
    expect(readDates(text, THURSDAY).unreadable.map((u) => u.text)).toEqual([words]);
  });

  it('says which words each date came from, as offsets into the message', () => {
    const text = 'take 2003417 home mondy, back wedensday';
    for (const m of readDates(text, THURSDAY, [{ start: 5, end: 12 }]).mentions) {
      expect(text.slice(m.from.start, m.from.end)).toBe(m.from.text);
    }
    expect(read(text).map((m) => m.from.text)).toEqual(['mondy', 'wedensday']);
  });

  it('does not read a masked case reference as a date', () => {
    expect(readDates('2003417', THURSDAY, [{ start: 0, end: 7 }]).mentions).toEqual([]);
  });
});
