import { DateTime } from 'luxon';
import { addDays, type IsoDate } from './dates.js';

/**
 * Which days are working days. The rules know weekends; bank holidays come from outside (the
 * service builds a calendar from a maintained list), so the rules stay pure and run in a browser.
 */
export interface WorkingDayCalendar {
  isWorkingDay(date: IsoDate): boolean;
}

export function isWeekend(date: IsoDate): boolean {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday >= 6;
}

/** Weekends only, no bank holidays: where no holiday list is to hand. */
export const WEEKENDS_ONLY: WorkingDayCalendar = { isWorkingDay: (date) => !isWeekend(date) };

/** A calendar from a set of bank holidays (`YYYY-MM-DD`): every weekday that is not one. */
export function calendarWithHolidays(holidays: Iterable<IsoDate>): WorkingDayCalendar {
  const off = new Set(holidays);
  return { isWorkingDay: (date) => !isWeekend(date) && !off.has(date) };
}

/** The date itself when it is a working day, otherwise the next working day. */
export function onOrNextWorkingDay(date: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  let day = date;
  // A run of days off is never longer than a few weeks; the bound only guards a broken calendar.
  for (let i = 0; i < 366; i++) {
    if (calendar.isWorkingDay(day)) return day;
    day = addDays(day, 1);
  }
  throw new RangeError(`No working day within a year of ${date}: the working-day calendar is wrong.`);
}
