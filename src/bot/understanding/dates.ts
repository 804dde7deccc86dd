import * as chrono from 'chrono-node';
import { isIsoDate, type IsoDate } from '../../rules/dates.js';

/** How the words before a date relate it to a removal: "back Friday", "from Monday", or neither. */
export type DateCue = 'return' | 'from' | 'none';

/** A date written in a message. */
export interface DateMention {
  readonly date: IsoDate;
  /** The end of a range such as "Monday to Wednesday". */
  readonly end?: IsoDate;
  readonly cue: DateCue;
  /** Where the date was written (in the message as prepared for parsing, same offsets). */
  readonly index: number;
}

/** A stretch of the message to hide from the date parser (a case reference, an age). */
export interface Span {
  readonly index: number;
  readonly length: number;
}

const MONTH =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

/** Spellings chrono does not know, rewritten before parsing. Order matters. */
const REWRITES: readonly (readonly [RegExp, string])[] = [
  [/\b(?:tmw|tmrw|tmoz|tomoz|tomoro|tomorow|tommorow|tommorrow|tomorrw|2moro|2morrow)\b/gi, 'tomorrow'],
  [/\b(?:tonite|2nite|tonigh)\b/gi, 'tonight'],
  [/\b(?:end of|close of) (?:the )?(?:day|play)\b|\b(?:eod|cop)\b/gi, 'today'],
  [/\bend of (?:the |this )?week\b/gi, 'friday'],
  [/\bweds?\b|\bwednes\b/gi, 'wed'],
  [/\btues\b/gi, 'tue'],
  [/\bthurs?\b/gi, 'thu'],
  // chrono's en.GB parser reads "January 12" as January 2012: write it "12 January" instead.
  [new RegExp(`\\b(${MONTH})\\.?\\s+(\\d{1,2})(?![\\d:.]|\\s*(?:am|pm|st|nd|rd|th)\\b)`, 'gi'), '$2 $1'],
  // chrono reads "from 1 Dec" as 1 o'clock; "starting" keeps the cue without confusing it.
  [/\bfrom\s+(?=\d)/gi, 'starting '],
];

/** Words chrono reads as days or months that, in lower case, are usually something else. */
const LOWERCASE_FALSE_FRIENDS = new Set(['sat', 'sun', 'mar', 'may']);
const DATE_LEAD_IN = /\b(?:on|by|back|until|till|from|this|next|last)\s+$/i;

const RETURN_CUE =
  /\b(?:back|until|untill|till|til|up to|upto|through|thru|returned|returning|return(?:\s+(?:it|them|the\s+\w+))?|bring(?:ing)?\s+(?:it|them|(?:the|my)\s+\w+(?:\s+\w+)?)\s+back|due(?:\s+back)?|give\s+(?:it|them)\s+back)\s*(?:on|by|for|at|before|in)?\s*(?:the\s+)?$/i;
const TO_CUE = /\b(?:to|-)\s*(?:the\s+)?$/i;
const FROM_CUE = /\b(?:from|starting|start|out)\s*(?:on\s+)?(?:the\s+)?$/i;
const PART_OF_DAY = /\b(?:tonight|evening|morning|afternoon|lunchtime|noon|midday|today|tomorrow)\b/i;
/** "Morning, ..." is a greeting, not a date; "this morning" is today. */
const BARE_PART_OF_DAY = /^(?:morning|afternoon|evening|noon|midday|lunchtime)$/i;
const CLOCK_TIME = /\d\s*(?:am|pm)\b|\d:\d\d/i;
const ORDINAL_DAY =
  /\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b(?!\s*(?:of\s+)?(?:\w+\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/gi;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function iso(year: number, month: number, day: number): IsoDate | undefined {
  const value = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  return isIsoDate(value) ? value : undefined;
}

function isoOf(components: chrono.ParsedComponents): IsoDate | undefined {
  const year = components.get('year');
  const month = components.get('month');
  const day = components.get('day');
  return year === null || month === null || day === null ? undefined : iso(year, month, day);
}

/**
 * The reference chrono counts from. chrono 2.10 works out "today", "tomorrow" and weekdays in
 * the process's time zone even when given a `timezone`, so the reference is noon of `today`
 * (the Europe/London calendar date the caller passes) in the process's own zone: the calendar
 * date chrono sees is then `today` whatever zone the process runs in, and noon keeps it clear
 * of midnight and of the hour that daylight saving adds or removes.
 */
function reference(today: IsoDate): Date {
  if (!isIsoDate(today))
    throw new RangeError(`today must be a calendar date YYYY-MM-DD, not ${String(today)}`);
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day, 12, 0, 0, 0);
}

/** The next date on or after `today` whose day of the month is `day`. */
function nextDayOfMonth(today: IsoDate, day: number): IsoDate | undefined {
  const [year, month, todayDay] = today.split('-').map(Number) as [number, number, number];
  for (let step = day >= todayDay ? 0 : 1; step < 13; step += 1) {
    const m = ((month - 1 + step) % 12) + 1;
    const y = year + Math.floor((month - 1 + step) / 12);
    const found = iso(y, m, day);
    if (found) return found;
  }
  return undefined;
}

function blank(text: string, spans: readonly Span[]): string {
  let out = text;
  for (const { index, length } of spans) {
    out = out.slice(0, index) + ' '.repeat(length) + out.slice(index + length);
  }
  return out;
}

/** The message as the date parser reads it: masked spans hidden, unknown spellings rewritten. */
export function prepareForDates(text: string, masks: readonly Span[]): string {
  let out = blank(text, masks);
  for (const [pattern, replacement] of REWRITES) out = out.replace(pattern, replacement);
  return out;
}

function cueBefore(prepared: string, index: number, earlierDates: number): DateCue {
  const before = prepared.slice(Math.max(0, index - 40), index);
  if (RETURN_CUE.test(before)) return 'return';
  if (earlierDates > 0 && TO_CUE.test(before)) return 'return';
  if (FROM_CUE.test(before)) return 'from';
  return 'none';
}

/**
 * Every date in the message, in the order written, read with chrono's British parser
 * (03/12 is 3 December) counting forward from `today`: "Friday" is the next Friday on or after
 * today, "3 December" the next 3 December. Times and parts of the day alone ("by 5pm", "this
 * afternoon") mean today; a bare "at 12" or "morning" is not a date. "the 20th" is the next
 * 20th of a month on or after today.
 */
export function findDates(text: string, today: IsoDate, masks: readonly Span[] = []): DateMention[] {
  const ref = reference(today);
  const prepared = prepareForDates(text, masks);
  const found: { date: IsoDate; end?: IsoDate; index: number; length: number }[] = [];
  for (const result of chrono.en.GB.parse(prepared, ref, { forwardDate: true })) {
    const { start } = result;
    const words = result.text.trim();
    const leadIn = prepared.slice(Math.max(0, result.index - 12), result.index);
    if (LOWERCASE_FALSE_FRIENDS.has(words) && !DATE_LEAD_IN.test(leadIn)) continue;
    const dated = start.isCertain('day') || start.isCertain('weekday') || start.isCertain('month');
    if (BARE_PART_OF_DAY.test(words)) continue;
    let date: IsoDate | undefined;
    if (dated) date = isoOf(start);
    else if (PART_OF_DAY.test(words) || CLOCK_TIME.test(words)) date = today;
    if (!date) continue;
    const end = result.end ? isoOf(result.end) : undefined;
    found.push({ date, ...(end ? { end } : {}), index: result.index, length: result.text.length });
  }
  for (const m of prepared.matchAll(ORDINAL_DAY)) {
    const inside = found.some((f) => m.index >= f.index && m.index < f.index + f.length);
    const date = inside ? undefined : nextDayOfMonth(today, Number(m[1]));
    if (date) found.push({ date, index: m.index, length: m[0].length });
  }
  found.sort((a, b) => a.index - b.index);
  return found.map((f, i) => ({
    date: f.date,
    ...(f.end ? { end: f.end } : {}),
    cue: cueBefore(prepared, f.index, i),
    index: f.index,
  }));
}

/** A day, or a whole month, written in a message. */
export interface DatePeriod {
  /** The first day. */
  readonly start: IsoDate;
  /** The last day: `start` for a day, the month's last day for "March" or "this month". */
  readonly end: IsoDate;
  readonly index: number;
  readonly length: number;
}

function lastDayOfMonth(year: number, month: number): IsoDate {
  return iso(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate())!;
}

function shiftIso(date: IsoDate, { years = 0, days = 0 }: { years?: number; days?: number }): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  if (years) return iso(y + years, m, d) ?? lastDayOfMonth(y + years, m);
  const shifted = new Date(Date.UTC(y, m - 1, d + days));
  return iso(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate())!;
}

/**
 * Days and whole months in the message, read with chrono's British parser. `forward` (the
 * default) counts forward from `today` as `findDates` does ("March" is next March); `past`
 * reads them as on or before today, for things that have happened ("received 3 December" is
 * last 3 December, "received Monday" last Monday). Times of day and parts of the day mean
 * today.
 */
export function findPeriods(
  text: string,
  today: IsoDate,
  masks: readonly Span[] = [],
  direction: 'forward' | 'past' = 'forward',
): DatePeriod[] {
  const ref = reference(today);
  const prepared = prepareForDates(text, masks);
  const found: DatePeriod[] = [];
  for (const result of chrono.en.GB.parse(prepared, ref, { forwardDate: direction === 'forward' })) {
    const { start } = result;
    const words = result.text.trim();
    const leadIn = prepared.slice(Math.max(0, result.index - 12), result.index);
    if (LOWERCASE_FALSE_FRIENDS.has(words) && !DATE_LEAD_IN.test(leadIn)) continue;
    if (BARE_PART_OF_DAY.test(words)) continue;
    const at = { index: result.index, length: result.text.length };
    if (start.isCertain('day') || start.isCertain('weekday')) {
      let date = isoOf(start);
      if (!date) continue;
      if (direction === 'past' && date > today) {
        if (!start.isCertain('day')) date = shiftIso(date, { days: -7 });
        else if (!start.isCertain('year')) date = shiftIso(date, { years: -1 });
      }
      found.push({ start: date, end: date, ...at });
    } else if (start.isCertain('month')) {
      const year = start.get('year');
      const month = start.get('month');
      if (year === null || month === null) continue;
      const shift = direction === 'past' && !start.isCertain('year') && iso(year, month, 1)! > today ? -1 : 0;
      found.push({ start: iso(year + shift, month, 1)!, end: lastDayOfMonth(year + shift, month), ...at });
    } else if (PART_OF_DAY.test(words) || CLOCK_TIME.test(words)) {
      found.push({ start: today, end: today, ...at });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
