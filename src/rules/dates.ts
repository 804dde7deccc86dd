import { DateTime } from 'luxon';

/** A calendar date, `YYYY-MM-DD`. Retention is counted in calendar dates, never instants. */
export type IsoDate = string;

export const TIME_ZONE = 'Europe/London';

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const BRITISH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

// Plain arithmetic rather than a date library: imports read millions of dates.
function fromParts(year: number, month: number, day: number): IsoDate | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads a date written `YYYY-MM-DD` or British `DD/MM/YYYY`. Returns null for anything else,
 * including impossible dates such as 31/02/2020.
 */
export function parseDate(text: string): IsoDate | null {
  const value = text.trim();
  const iso = ISO.exec(value);
  if (iso) return fromParts(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const british = BRITISH.exec(value);
  if (british) return fromParts(Number(british[3]), Number(british[2]), Number(british[1]));
  return null;
}

export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && ISO.test(value) && parseDate(value) === value;
}

function parts(date: IsoDate): [number, number, number] {
  const m = ISO.exec(date);
  if (!m) throw new RangeError(`Not a calendar date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The anniversary `years` after `date`. Someone born on 29 February reaches an anniversary
 * that falls in a common year on 1 March, so a period never ends before its full length.
 */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = parts(date);
  const year = y + years;
  if (m === 2 && d === 29 && !isLeapYear(year)) return fromParts(year, 3, 1)!;
  return fromParts(year, m, d)!;
}

/** Calendar months later; a day that the target month lacks becomes that month's last day. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  return DateTime.fromISO(date, { zone: TIME_ZONE }).plus({ months }).toISODate()!;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return DateTime.fromISO(date, { zone: TIME_ZONE }).plus({ days }).toISODate()!;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const a = DateTime.fromISO(from, { zone: 'UTC' });
  const b = DateTime.fromISO(to, { zone: 'UTC' });
  return Math.round(b.diff(a, 'days').days);
}

/** Age in whole years on `on`, counting anniversaries as `addYears` does. */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const [by] = parts(dateOfBirth);
  const [oy] = parts(on);
  let age = oy - by;
  if (age > 0 && addYears(dateOfBirth, age) > on) age -= 1;
  return age;
}

/** The calendar date in Europe/London at an instant: how callers turn the clock into "today". */
export function londonDate(instant: Date): IsoDate {
  return DateTime.fromJSDate(instant, { zone: TIME_ZONE }).toISODate()!;
}

/** "3 December 2026": how dates are written to people. */
export function formatDate(date: IsoDate): string {
  return DateTime.fromISO(date, { zone: TIME_ZONE }).setLocale('en-GB').toFormat('d LLLL yyyy');
}

/** "Friday 11 December 2026": a date with its weekday, for a person to check what was read. */
export function formatDayDate(date: IsoDate): string {
  return DateTime.fromISO(date, { zone: TIME_ZONE }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
}
