import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import { calendarWithHolidays, type IsoDate, type WorkingDayCalendar } from '../rules/index.js';

// The bank holidays of England and Wales come from the date-holidays package (kept up to date
// from the published lists, substitute days included), not a list typed here. The rules take
// the calendar as a parameter, so they stay pure and run in the browser. The package holds every
// country's holidays (some 10 MB once loaded): it is loaded the first time a working day is
// counted, not with the app.

let holidays: Holidays | undefined;
function englandAndWales(): Holidays {
  if (!holidays) {
    const Loaded = createRequire(import.meta.url)('date-holidays') as typeof Holidays;
    holidays = new Loaded('GB', 'ENG');
  }
  return holidays;
}
const byYear = new Map<number, IsoDate[]>();

/** The bank holidays of England and Wales in a year, weekday substitutes included, in date order. */
export function englandAndWalesBankHolidays(year: number): IsoDate[] {
  let days = byYear.get(year);
  if (!days) {
    days = englandAndWales()
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => h.date.slice(0, 10))
      .sort();
    byYear.set(year, days);
  }
  return days;
}

const calendars = new Map<number, WorkingDayCalendar>();

/** Working days in England and Wales: not a weekend, not a bank holiday. */
export const ENGLAND_AND_WALES: WorkingDayCalendar = {
  isWorkingDay(date: IsoDate): boolean {
    const year = Number(date.slice(0, 4));
    let calendar = calendars.get(year);
    if (!calendar) {
      calendar = calendarWithHolidays(englandAndWalesBankHolidays(year));
      calendars.set(year, calendar);
    }
    return calendar.isWorkingDay(date);
  },
};
