import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  ageOn,
  daysBetween,
  formatDate,
  formatDayDate,
  isIsoDate,
  londonDate,
  parseDate,
  TIME_ZONE,
  type IsoDate,
} from './index.js';

describe('parseDate', () => {
  it.each<{ text: string; expected: IsoDate }>([
    { text: '2024-02-29', expected: '2024-02-29' },
    { text: '29/02/2024', expected: '2024-02-29' },
    { text: '03/12/2026', expected: '2026-12-03' },
    { text: '3/12/2026', expected: '2026-12-03' },
    { text: '1/2/2024', expected: '2024-02-01' },
    { text: '31/12/2026', expected: '2026-12-31' },
    { text: '2026-12-31', expected: '2026-12-31' },
    { text: '  2026-12-03  ', expected: '2026-12-03' },
    { text: '\t03/12/2026\n', expected: '2026-12-03' },
  ])('reads "$text" as $expected', ({ text, expected }) => {
    expect(parseDate(text)).toBe(expected);
  });

  it.each<{ text: string; why: string }>([
    { text: '31/02/2024', why: 'there is no 31 February' },
    { text: '2023-02-29', why: '2023 is not a leap year' },
    { text: '29/02/2023', why: '2023 is not a leap year' },
    { text: '31/04/2026', why: 'April has 30 days' },
    { text: '32/01/2026', why: 'no month has 32 days' },
    { text: '00/01/2026', why: 'there is no day 0' },
    { text: '2026-13-01', why: 'there is no month 13' },
    { text: '2026-00-10', why: 'there is no month 0' },
    { text: 'yesterday', why: 'words are not dates' },
    { text: '', why: 'empty' },
    { text: '   ', why: 'blank' },
    { text: '12/03/26', why: 'two-digit years are ambiguous' },
    { text: '2026/12/03', why: 'slashes with the year first are not a supported format' },
    { text: '2026-1-3', why: 'ISO dates need two-digit months and days' },
    { text: '2026-12-03T10:00:00Z', why: 'an instant is not a calendar date' },
    { text: '03-12-2026', why: 'British dates are written with slashes' },
  ])('rejects "$text" ($why)', ({ text }) => {
    expect(parseDate(text)).toBeNull();
  });
});

describe('isIsoDate', () => {
  it.each<{ value: unknown; expected: boolean }>([
    { value: '2024-02-29', expected: true },
    { value: '2026-12-03', expected: true },
    { value: '2023-02-29', expected: false },
    { value: '29/02/2024', expected: false },
    { value: ' 2026-12-03', expected: false },
    { value: '2026-12-3', expected: false },
    { value: 20261203, expected: false },
    { value: null, expected: false },
    { value: undefined, expected: false },
  ])('isIsoDate($value) is $expected', ({ value, expected }) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});

describe('addYears', () => {
  it.each<{ date: IsoDate; years: number; expected: IsoDate }>([
    { date: '2010-06-15', years: 75, expected: '2085-06-15' },
    { date: '2005-12-30', years: 100, expected: '2105-12-30' },
    { date: '2026-01-01', years: 0, expected: '2026-01-01' },
    // 29 February: a common-year anniversary falls on 1 March, never on 28 February.
    { date: '2004-02-29', years: 75, expected: '2079-03-01' },
    { date: '2024-02-29', years: 1, expected: '2025-03-01' },
    { date: '2004-02-29', years: 4, expected: '2008-02-29' },
    { date: '2008-02-29', years: 100, expected: '2108-02-29' },
    // 2100 is divisible by 100 but not by 400, so it is not a leap year.
    { date: '2000-02-29', years: 100, expected: '2100-03-01' },
    { date: '2000-02-29', years: 400, expected: '2400-02-29' },
    { date: '2004-02-28', years: 75, expected: '2079-02-28' },
  ])('$date + $years years = $expected', ({ date, years, expected }) => {
    expect(addYears(date, years)).toBe(expected);
  });

  it('throws for something that is not a calendar date', () => {
    expect(() => addYears('29/02/2024', 1)).toThrow(RangeError);
  });
});

describe('ageOn', () => {
  it.each<{ dateOfBirth: IsoDate; on: IsoDate; expected: number }>([
    { dateOfBirth: '2008-06-15', on: '2026-06-14', expected: 17 },
    { dateOfBirth: '2008-06-15', on: '2026-06-15', expected: 18 },
    { dateOfBirth: '2008-06-15', on: '2026-06-16', expected: 18 },
    { dateOfBirth: '2004-02-29', on: '2022-02-28', expected: 17 },
    { dateOfBirth: '2004-02-29', on: '2022-03-01', expected: 18 },
    { dateOfBirth: '2004-02-29', on: '2024-02-28', expected: 19 },
    { dateOfBirth: '2004-02-29', on: '2024-02-29', expected: 20 },
    { dateOfBirth: '2026-01-01', on: '2026-12-31', expected: 0 },
    { dateOfBirth: '2000-12-31', on: '2001-01-01', expected: 0 },
    { dateOfBirth: '2000-12-31', on: '2001-12-31', expected: 1 },
  ])('born $dateOfBirth is $expected on $on', ({ dateOfBirth, on, expected }) => {
    expect(ageOn(dateOfBirth, on)).toBe(expected);
  });
});

describe('addMonths', () => {
  it.each<{ date: IsoDate; months: number; expected: IsoDate }>([
    { date: '2026-01-15', months: 1, expected: '2026-02-15' },
    { date: '2026-01-31', months: 1, expected: '2026-02-28' },
    { date: '2024-01-31', months: 1, expected: '2024-02-29' },
    { date: '2026-03-31', months: 1, expected: '2026-04-30' },
    { date: '2026-12-31', months: 2, expected: '2027-02-28' },
    { date: '2026-11-30', months: 3, expected: '2027-02-28' },
    { date: '2026-12-15', months: 1, expected: '2027-01-15' },
  ])('$date + $months months = $expected', ({ date, months, expected }) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('addDays and daysBetween', () => {
  it.each<{ date: IsoDate; days: number; expected: IsoDate }>([
    { date: '2026-03-28', days: 1, expected: '2026-03-29' },
    { date: '2026-03-29', days: 1, expected: '2026-03-30' },
    { date: '2026-10-25', days: 1, expected: '2026-10-26' },
    { date: '2024-02-28', days: 1, expected: '2024-02-29' },
    { date: '2026-12-31', days: 1, expected: '2027-01-01' },
    { date: '2026-03-01', days: -1, expected: '2026-02-28' },
    { date: '2026-12-02', days: 14, expected: '2026-12-16' },
  ])('$date + $days days = $expected', ({ date, days, expected }) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each<{ from: IsoDate; to: IsoDate; expected: number }>([
    { from: '2026-12-01', to: '2026-12-01', expected: 0 },
    { from: '2026-03-28', to: '2026-03-30', expected: 2 },
    { from: '2026-10-24', to: '2026-10-26', expected: 2 },
    { from: '2026-01-10', to: '2026-01-01', expected: -9 },
    { from: '2024-01-01', to: '2025-01-01', expected: 366 },
    { from: '2025-01-01', to: '2026-01-01', expected: 365 },
  ])('daysBetween($from, $to) = $expected', ({ from, to, expected }) => {
    expect(daysBetween(from, to)).toBe(expected);
  });
});

describe('londonDate', () => {
  it('uses Europe/London', () => {
    expect(TIME_ZONE).toBe('Europe/London');
  });

  it.each<{ instant: string; expected: IsoDate; why: string }>([
    { instant: '2026-03-28T23:30:00Z', expected: '2026-03-28', why: 'GMT, the evening before BST starts' },
    { instant: '2026-03-29T00:30:00Z', expected: '2026-03-29', why: 'GMT until 01:00 UTC on 29 March' },
    { instant: '2026-03-29T23:30:00Z', expected: '2026-03-30', why: 'BST: 00:30 on 30 March' },
    { instant: '2026-06-30T22:59:59Z', expected: '2026-06-30', why: 'BST: 23:59:59 on 30 June' },
    { instant: '2026-06-30T23:00:00Z', expected: '2026-07-01', why: 'BST: midnight' },
    { instant: '2026-06-30T23:30:00Z', expected: '2026-07-01', why: 'BST: 00:30 on 1 July' },
    { instant: '2026-10-24T23:30:00Z', expected: '2026-10-25', why: 'still BST: 00:30 on 25 October' },
    { instant: '2026-10-25T23:30:00Z', expected: '2026-10-25', why: 'GMT again after BST ends' },
    { instant: '2026-12-31T23:59:59Z', expected: '2026-12-31', why: 'GMT in winter' },
    { instant: '2027-01-01T00:00:00Z', expected: '2027-01-01', why: 'GMT in winter' },
  ])('$instant is $expected in London ($why)', ({ instant, expected }) => {
    expect(londonDate(new Date(instant))).toBe(expected);
  });
});

describe('formatDate', () => {
  it.each<{ date: IsoDate; expected: string }>([
    { date: '2026-12-03', expected: '3 December 2026' },
    { date: '2079-03-01', expected: '1 March 2079' },
    { date: '2024-02-29', expected: '29 February 2024' },
  ])('writes $date as "$expected"', ({ date, expected }) => {
    expect(formatDate(date)).toBe(expected);
  });

  it('writes the weekday too when a person must check what was read', () => {
    expect(formatDayDate('2026-12-11')).toBe('Friday 11 December 2026');
    expect(formatDayDate('2027-01-04')).toBe('Monday 4 January 2027');
  });
});
