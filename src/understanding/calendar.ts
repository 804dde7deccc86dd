import type { IsoDate } from '../rules/dates.js';
import type { IsoMonth } from './types.js';

/**
 * Calendar arithmetic on `YYYY-MM-DD` dates, in plain integers (no time zone is involved: a
 * calendar date is the same everywhere).
 */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date, or undefined when there is no such day (31 February). */
export function isoOf(year: number, month: number, day: number): IsoDate | undefined {
  if (month < 1 || month > 12 || day < 1 || year < 1000 || year > 9999) return undefined;
  return day <= daysInMonth(year, month) ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : undefined;
}

export function partsOf(date: IsoDate): [number, number, number] {
  return date.split('-').map(Number) as [number, number, number];
}

export function shift(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = partsOf(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: IsoDate): number {
  const [y, m, d] = partsOf(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The first `weekday` on or after `date` (`strict`: after it). */
export function nextWeekday(date: IsoDate, weekday: number, strict = false): IsoDate {
  let ahead = (weekday - weekdayOf(date) + 7) % 7;
  if (strict && ahead === 0) ahead = 7;
  return shift(date, ahead);
}

/** The Monday of the week `date` is in (weeks run Monday to Sunday). */
export function mondayOf(date: IsoDate): IsoDate {
  return shift(date, -((weekdayOf(date) + 6) % 7));
}

/** The next working day (Monday to Friday) after `date`. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  let next = shift(date, 1);
  while (weekdayOf(next) === 0 || weekdayOf(next) === 6) next = shift(next, 1);
  return next;
}

/** The first date on or after `today` whose day of the month is `day` (the 31st skips short months). */
export function nextDayOfMonth(today: IsoDate, day: number): IsoDate | undefined {
  const [year, month, todayDay] = partsOf(today);
  for (let step = day >= todayDay ? 0 : 1; step < 13; step += 1) {
    const m = ((month - 1 + step) % 12) + 1;
    const y = year + Math.floor((month - 1 + step) / 12);
    const found = isoOf(y, m, day);
    if (found) return found;
  }
  return undefined;
}

/** The first `day` `month` on or after `today` (3 January said in December is next year's). */
export function nextDayMonth(today: IsoDate, month: number, day: number): IsoDate | undefined {
  const [year] = partsOf(today);
  for (const y of [year, year + 1, year + 2, year + 3, year + 4]) {
    const found = isoOf(y, month, day);
    if (found && found >= today) return found;
  }
  return undefined;
}

export function monthOf(date: IsoDate): IsoMonth {
  return date.slice(0, 7);
}

export function lastDayOfMonth(month: IsoMonth): IsoDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return isoOf(y, m, daysInMonth(y, m))!;
}

export function addMonthsToMonth(month: IsoMonth, months: number): IsoMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function weekdayName(weekday: number): string {
  return WEEKDAY_NAMES[weekday]!;
}

function ordinal(n: number): string {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** "Friday 11 December 2026" (the year only when it is not `today`'s). */
export function sayDate(date: IsoDate, today?: IsoDate): string {
  const [y, m, d] = partsOf(date);
  const year = today && partsOf(today)[0] === y ? '' : ` ${y}`;
  return `${WEEKDAY_NAMES[weekdayOf(date)]} ${d} ${MONTH_NAMES[m - 1]}${year}`;
}

/** "31 December 2026" */
export function sayDayMonthYear(date: IsoDate): string {
  const [y, m, d] = partsOf(date);
  return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
}

/** "the 11th" */
export function sayDayOfMonth(date: IsoDate): string {
  return `the ${ordinal(partsOf(date)[2])}`;
}

/** "November 2026" */
export function sayMonth(month: IsoMonth): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTH_NAMES[m - 1]} ${y}`;
}
