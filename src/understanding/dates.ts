import * as chrono from 'chrono-node';
import type { IsoDate } from '../rules/dates.js';
import {
  isoOf,
  mondayOf,
  monthOf,
  nextDayMonth,
  nextDayOfMonth,
  nextWeekday,
  partsOf,
  shift,
  weekdayOf,
} from './calendar.js';
import {
  correctDateWords,
  originalSpan,
  slashDottedDates,
  MONTHS,
  WEEKDAYS,
  type Corrected,
} from './spelling.js';
import { blank, type Span } from './text.js';
import { distance } from 'fastest-levenshtein';
import type { Evidence, IsoMonth } from './types.js';

/**
 * Dates as staff write them (en-GB), read with chrono's British parser extended with parsers
 * for what it does not know: a weekday with an ordinal ("fri 11th", checked for agreement), a
 * bare ordinal ("the 9th"), "6.12", "same day", "back in the afternoon", "first thing", "day
 * after tomorrow", "Thursday week", "a week on Friday", "w/c 14th", "end of the week", "for a
 * couple of days", "a fortnight", "over the weekend", "next week". Day and month names are
 * first written out in full ("mondy", "weds", "Decmber"), keeping a map back to the message.
 */

export type DateKind =
  /** A calendar day. */
  | 'day'
  /** From one day to another ("Monday to Wednesday", "over the weekend"). */
  | 'range'
  /** A stretch of days with no single day meant ("next week", "w/c 14th"). */
  | 'period'
  /** The day of the other date ("same day", "back in the afternoon"). */
  | 'same-day'
  /** The day after the other date ("the day after", "first thing" is the next working day). */
  | 'next-day'
  /** A number of days after the other date ("for a couple of days", "a fortnight"). */
  | 'duration'
  /** A whole month ("November", "Nov 2026", "last month"). */
  | 'month'
  /** A time of day alone ("by 5pm"): the day of the other date, or today. */
  | 'time'
  /**
   * A day counted from an occasion the message names ("the day after the hearing", "the Thursday
   * before"): `days` before (negative) or after it, or the weekday (`weekdayOnly`) before or
   * after it (`days` -1 or 1).
   */
  | 'around-event';

export interface DateMention {
  readonly kind: DateKind;
  readonly from: Evidence;
  /** day, range and period: the (first) day. */
  readonly value?: IsoDate;
  /** range and period: the last day. */
  readonly end?: IsoDate;
  /** duration: how many days; next-day: 1. */
  readonly days?: number;
  /** month */
  readonly month?: IsoMonth;
  /** month: whether a year was written; if not, `month` is the next such month (or this one). */
  readonly yearWritten?: boolean;
  /** "fri 11th" when the 11th is a Thursday: the weekday named, and the nearest such day. */
  readonly mismatch?: { readonly weekday: number; readonly nearest: IsoDate };
  /** "next Tuesday" early in the week: the other Tuesday it may mean. */
  readonly otherNext?: IsoDate;
  /** A weekday alone ("back mon"): which one (0 = Sunday); a return weekday counts from the out date. */
  readonly weekdayOnly?: number;
  /**
   * A date read from words that are not quite a date: a misspelt day name ("Mindy" for Monday), or
   * a day the month does not have ("31/11", read as its last day). The other dates it may mean.
   */
  readonly guessed?: {
    readonly reason: 'misspelt' | 'no-such-day' | 'month-first';
    readonly options: readonly IsoDate[];
  };
  /** "over the weekend": Friday to Monday, assumed when said before the Friday. */
  readonly weekend?: boolean;
  /** "in 3 days": the days counted from today, which may have been meant from another date. */
  readonly fromToday?: number;
}

export interface DatesRead {
  readonly mentions: readonly DateMention[];
  /** Words that look like a date but could not be read ("31/02", "the 32nd", "thrusdy"). */
  readonly unreadable: readonly Evidence[];
}

// ---------------------------------------------------------------------------------------------
// chrono, extended

const WD = `(${WEEKDAYS.join('|')})`;
const MONTH_WORDS = [
  ...MONTHS,
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
];
const MO = `(${MONTH_WORDS.join('|')})`;
const NOT_A_DAY_NOUN =
  'floor|time|times|birthday|anniversary|century|year|years|grade|place|draft|attempt|visit|child|week|weeks|month|months|edition|version|session|meeting|review|hearing|conference|person|one|generation|class|lap|round|reminder|chaser';
const TIME_AFTER = /^\s*(?:[:.]\d|am\b|pm\b|a\.m|p\.m|o'?clock|hrs?\b|h\b|ish\b)/i;

const TAG = {
  vague: 'cra/vague',
  mismatch: 'cra/mismatch:',
  kind: 'cra/kind:',
  days: 'cra/days:',
  otherNext: 'cra/other-next:',
  weekdayOnly: 'cra/weekday-only:',
  end: 'cra/end:',
  weekend: 'cra/weekend',
  month: 'cra/month:',
  fromToday: 'cra/from-today:',
} as const;

function weekdayIndex(word: string): number {
  return (WEEKDAYS as readonly string[]).indexOf(word.toLowerCase());
}

function monthIndex(word: string): number {
  const lower = word.toLowerCase();
  const full = (MONTHS as readonly string[]).indexOf(lower);
  if (full >= 0) return full + 1;
  return (MONTHS as readonly string[]).findIndex((m) => m.startsWith(lower.slice(0, 3))) + 1;
}

/** The calendar date chrono's reference stands for (see `reference`). */
function todayOf(context: chrono.ParsingContext): IsoDate {
  const ref = context.refDate;
  return isoOf(ref.getFullYear(), ref.getMonth() + 1, ref.getDate())!;
}

function components(date: IsoDate): { year: number; month: number; day: number } {
  const [year, month, day] = partsOf(date);
  return { year, month, day };
}

function result(
  context: chrono.ParsingContext,
  match: RegExpMatchArray,
  date: IsoDate,
  tags: readonly string[] = [],
  text: string = match[0],
  index: number = match.index!,
): chrono.ParsingResult {
  const found = context.createParsingResult(index, text, components(date));
  found.addTags(['cra/date', ...tags]);
  return found;
}

/**
 * A chrono parser. chrono retries a pattern on the text after each failed match, where `\b`
 * matches inside a word ("2nd" in "32nd"): a match that starts inside a word is refused.
 */
function parser(pattern: RegExp, extract: chrono.Parser['extract']): chrono.Parser {
  return {
    pattern: () => pattern,
    extract: (context, match) => {
      const index = match.index!;
      if (index > 0 && /\w/.test(match[0][0]!) && /[\w/]/.test(context.text[index - 1]!)) return null;
      return extract(context, match);
    },
  };
}

/**
 * A day and month with no year: the next one, unless it was less than two months ago, when it
 * is this year's (a date in the past, which is then asked about, rather than a year away).
 */
function yearless(today: IsoDate, month: number, day: number): IsoDate | undefined {
  const thisYear = isoOf(partsOf(today)[0], month, day);
  if (thisYear && thisYear < today && thisYear >= shift(today, -60)) return thisYear;
  return nextDayMonth(today, month, day);
}

/** "fri 11th", "Thursday the 10th", "Monday 14 December 2026": the date decides, the weekday is checked. */
const weekdayOrdinal = parser(
  new RegExp(
    `\\b${WD}\\s*,?\\s+(?:the\\s+)?(\\d{1,2})(st|nd|rd|th)?(?:\\s+(?:of\\s+)?${MO}(?:\\s*,?\\s+(\\d{4}))?)?(?![\\d/])`,
    'i',
  ),
  (context, match) => {
    const [whole, weekdayWord, dayText, suffix, monthWord, yearText] = match;
    const after = context.text.slice(match.index! + whole.length);
    if (!suffix && !monthWord && TIME_AFTER.test(after)) return null;
    if (!monthWord && new RegExp(`^\\s+(?:of\\s+)?${MO}\\b`, 'i').test(after)) return null;
    const today = todayOf(context);
    const day = Number(dayText);
    const date = monthWord
      ? yearText
        ? isoOf(Number(yearText), monthIndex(monthWord), day)
        : yearless(today, monthIndex(monthWord), day)
      : nextDayOfMonth(today, day);
    if (!date) return null;
    const named = weekdayIndex(weekdayWord!);
    const tags: string[] = [];
    if (weekdayOf(date) !== named) {
      const back = (weekdayOf(date) - named + 7) % 7;
      const nearest = back <= 3 ? shift(date, -back) : shift(date, 7 - back);
      tags.push(`${TAG.mismatch}${named}:${nearest}`);
    }
    return result(context, match, date, tags);
  },
);

/** "the 9th", "by the 21st": the next such day on or after today. */
const bareOrdinal = parser(
  new RegExp(
    `(?:\\bthe\\s+)?\\b(\\d{1,2})(st|nd|rd|th)\\b(?!\\s*(?:of\\s+)?${MO}\\b)(?!\\s+(?:${NOT_A_DAY_NOUN})\\b)`,
    'i',
  ),
  (context, match) => {
    const day = Number(match[1]);
    const date = day >= 1 && day <= 31 ? nextDayOfMonth(todayOf(context), day) : undefined;
    return date ? result(context, match, date) : null;
  },
);

function relative(kind: DateKind, extra: readonly string[] = []): chrono.Parser['extract'] {
  return (context, match) => result(context, match, todayOf(context), [`${TAG.kind}${kind}`, ...extra]);
}

/** "6th-8th", "the 6th to the 8th", "14th - 18th December": a range. */
const ordinalRange = parser(
  new RegExp(
    `\\b(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s*(?:-|to|till|until|til)\\s*(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)(?:\\s+(?:of\\s+)?${MO})?\\b`,
    'i',
  ),
  (context, match) => {
    const today = todayOf(context);
    const first = Number(match[1]);
    const last = Number(match[2]);
    if (first > last) return null;
    const start = match[3] ? yearless(today, monthIndex(match[3]), first) : nextDayOfMonth(today, first);
    if (!start) return null;
    const [y, m] = partsOf(start);
    const end = isoOf(y, m, last);
    return end ? result(context, match, start, [`${TAG.kind}range`, `${TAG.end}${end}`]) : null;
  },
);

/** "same day", "later today", "back in the afternoon", "after lunch", "end of the day": the other date's day. */
const sameDay = parser(
  /\b(?:(?:the\s+)?same\s+(?:day|afternoon|evening)|that\s+(?:afternoon|evening)|(?:that|the)\s+day\s+only|(?:just\s+)?for\s+the\s+day\b(?!\s+(?:after|before))|(?:come|coming|go|going|be|bring(?:ing)?\s+(?:it|them)|get(?:ting)?|head(?:ing)?)\s+back\s+(?:(?:in)?to\s+(?:the\s+)?(?:office|base|work)\s+)?(?:straight\s+)?after(?:wards)?(?!\s+(?:the|my|that|this|a|an|\w+day|\d))|later\s+(?:today|on|that\s+day)|(?:in|by|during)\s+the\s+(?:afternoon|evening)|(?:after|by|at)\s+lunch(?:time)?|(?:by\s+|at\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?day|close\s+of\s+(?:play|business)|eod|cob|a\s+couple\s+of\s+hours|(?:in\s+)?an\s+hour\s+or\s+two|(?:straight|right|immediately|directly)\s+after(?:wards)?(?!\s+(?:the|my|that|this|a|an|\w+day|\d))|(?:straight|right)\s+back)\b/i,
  relative('same-day'),
);

/** "the day after", "the next day", "the following day": the day after the other date. */
const dayAfter = parser(
  /\b(?:the\s+next\s+day|the\s+following\s+(?:day|morning)|next\s+day|(?:the\s+)?next\s+morning|the\s+morning\s+after)\b/i,
  relative('next-day', [`${TAG.days}1`]),
);

/** An occasion a date may be counted from: a hearing, a meeting, a visit, a panel. */
export const OCCASION = String.raw`(?:hearing|court|irh|cmh|fhdra|final|panel|conference|icpc|rcpc|cp\s+conference|meeting|strat|strategy|core\s+group|cgm|visit|review|appointment|session|tribunal|pep|fgc|assessment|interview|training|trip)`;

/**
 * "the day before", "the day after the hearing", "the Thursday before", "the Monday after the
 * panel": a day counted from the occasion the message names (or, with none, from the other date).
 */
const aroundEvent = parser(
  new RegExp(
    String.raw`\b(?:(?:the\s+)?(day)|the\s+${WD})\s+(before|after)(?!\s+(?:tomorrow|next|this|last)\b)(?:\s+(?:the|that|my|our|his|her|their|its)\s+(?:[\w'-]+\s+){0,2}?${OCCASION}\b|\s+(?:it|that)\b)?`,
    'i',
  ),
  (context, match) => {
    const weekday = match[2] ? weekdayIndex(match[2]) : undefined;
    // "Monday after next" is not counted from an occasion.
    if (weekday !== undefined && /^\s+next\b/i.test(context.text.slice(match.index! + match[0].length)))
      return null;
    const days = /before/i.test(match[3]!) ? -1 : 1;
    return result(context, match, todayOf(context), [
      `${TAG.kind}around-event`,
      `${TAG.days}${days}`,
      ...(weekday === undefined ? [] : [`${TAG.weekdayOnly}${weekday}`]),
    ]);
  },
);

/** "this month", "next month", "last month": that calendar month. */
const relativeMonth = parser(
  /\b(this|next|last|the\s+(?:coming|following|previous|last))\s+month\b/i,
  (context, match) => {
    const [year, month] = partsOf(todayOf(context));
    const step = /next|coming|following/i.test(match[1]!) ? 1 : /last|previous/i.test(match[1]!) ? -1 : 0;
    const index = year * 12 + (month - 1) + step;
    const found = context.createParsingResult(match.index!, match[0], {
      year: Math.floor(index / 12),
      month: (index % 12) + 1,
    });
    found.start.imply('day', 1);
    found.addTags([`${TAG.month}relative`]);
    return found;
  },
);

/** "first thing", "back in the morning": the morning after the other date. */
const firstThing = parser(
  new RegExp(
    `\\b(?:first\\s+thing\\b(?:\\s+(?:in\\s+the\\s+)?(?:morning|am)\\b)?|(?<=\\bback\\s+)in\\s+the\\s+morning\\b)(?!\\s+(?:on\\s+)?(?:tomorrow|today|${WEEKDAYS.join('|')}|the\\s+\\d|\\d))`,
    'i',
  ),
  relative('next-day', [`${TAG.days}1`]),
);

/** "day after tomorrow". */
const dayAfterTomorrow = parser(/\b(?:the\s+)?day\s+after\s+tomorrow\b|\bovermorrow\b/i, (context, match) =>
  result(context, match, shift(todayOf(context), 2)),
);

/** "this am", "this pm": today. */
const thisAmPm = parser(/\bthis\s+(?:am|pm|a\.m\.?|p\.m\.?|morn|arvo)\b/i, (context, match) =>
  result(context, match, todayOf(context)),
);

/** "Thursday week", "a week on Friday", "a week Friday": the weekday a week after the coming one. */
const weekdayWeek = parser(
  new RegExp(
    `\\b(?:${WD}\\s+week\\b|a\\s+week\\s+(?:on\\s+|from\\s+|this\\s+|this\\s+coming\\s+)?${WD}\\b)`,
    'i',
  ),
  (context, match) => {
    const weekday = weekdayIndex(match[1] ?? match[2]!);
    return result(context, match, shift(nextWeekday(todayOf(context), weekday), 7));
  },
);

/** "back by 4", "by 5.30": a time of day, not a date (chrono leaves a bare number alone). */
const clockTime = parser(
  /\b(?:by|at|before|until|till|til|for|around|about)\s+(\d{1,2})(?:[:.](\d\d))?\s*(am|pm|o'?clock|ish)?(?![\d/.:]|\s*(?:st|nd|rd|th)\b|\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/i,
  (context, match) => {
    const hour = Number(match[1]);
    if (hour > 23 || (!match[2] && !match[3] && (hour > 12 || hour < 1))) return null;
    return result(context, match, todayOf(context), [`${TAG.kind}time`]);
  },
);

/** "friday first thing", "mon morning": that weekday (chrono would read "friday first" as Friday the 1st). */
const weekdayPartOfDay = parser(
  new RegExp(
    `\\b${WD}\\s+(?:first\\s+thing|morning|morn|am|pm|afternoon|aft|evening|lunchtime|lunch)\\b`,
    'i',
  ),
  (context, match) => {
    const weekday = weekdayIndex(match[1]!);
    return result(context, match, nextWeekday(todayOf(context), weekday, true), [
      `${TAG.weekdayOnly}${weekday}`,
    ]);
  },
);

/** "a week today", "two weeks tomorrow", "a fortnight today", "tomorrow week". */
const weekToday = parser(
  /\b(?:(?:(a|one|two|three|[1-3])\s+)?weeks?|(?:a\s+)?(fortnight))\s+(?:today|tomorrow)\b|\b(?:today|tomorrow)\s+(week|fortnight)\b/i,
  (context, match) => {
    const weeks =
      match[2] || /fortnight/i.test(match[3] ?? '')
        ? 2
        : (COUNT[match[1]?.toLowerCase() ?? 'a'] ?? Number(match[1]));
    if (!Number.isInteger(weeks) || weeks < 1) return null;
    const tomorrow = /tomorrow/i.test(match[0]);
    return result(context, match, shift(todayOf(context), 7 * weeks + (tomorrow ? 1 : 0)));
  },
);

/** "w/c 14th", "week commencing 14 December", "wc 14/12": that week, Monday to Friday. */
const weekCommencing = parser(
  new RegExp(
    `\\b(?:w\\s*/\\s*c|w\\.c\\.?|wc|week\\s+(?:commencing|beginning|starting|of))\\s*:?\\s+(?:monday\\s+)?(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+(?:of\\s+)?${MO}|\\s*[/.]\\s*(\\d{1,2})(?:\\s*[/.]\\s*(\\d{2,4}))?)?\\b`,
    'i',
  ),
  (context, match) => {
    const today = todayOf(context);
    const day = Number(match[1]);
    const month = match[2] ? monthIndex(match[2]) : match[3] ? Number(match[3]) : undefined;
    const yearText = match[4];
    const year = yearText ? Number(yearText.length === 2 ? `20${yearText}` : yearText) : undefined;
    let start: IsoDate | undefined;
    if (month && year) start = isoOf(year, month, day);
    else if (month) start = nextDayMonth(shift(today, -6), month, day);
    else start = nextDayOfMonth(shift(today, -6), day);
    if (!start) return null;
    return result(context, match, start, [`${TAG.kind}period`, `${TAG.end}${shift(start, 4)}`]);
  },
);

const COUNT: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  ten: 10,
  'a couple of': 2,
  'couple of': 2,
  'a couple': 2,
  'a few': 3,
  few: 3,
};

/** "for a couple of days", "for 2 nights", "for a week", "for a fortnight", "overnight". */
const duration = parser(
  /\b(?:for\s+)?(?:(a|an|one|two|three|four|five|six|seven|ten|\d{1,2}|a\s+couple(?:\s+of)?|couple\s+of|a\s+few|few)\s+(days?|nights?|weeks?|fortnights?)|(?:a|the|one)\s+fortnight|the\s+(?:week|night))\b|\bover\s?night\b/i,
  (context, match) => {
    const words = match[0].toLowerCase();
    if (!/^for\b|^over/.test(words) && !/fortnight/.test(words)) return null;
    let days: number;
    if (/over\s?night/.test(words)) days = 1;
    else if (/the\s+week/.test(words)) days = 7;
    else if (/the\s+night/.test(words)) days = 1;
    else if (!match[1]) days = 14;
    else {
      const count = COUNT[match[1].toLowerCase().replace(/\s+/g, ' ')] ?? Number(match[1]);
      const unit = match[2]!.toLowerCase();
      days = count * (unit.startsWith('fortnight') ? 14 : unit.startsWith('week') ? 7 : 1);
    }
    // "for a couple of days", "a few days": no return date can be read from them (and chrono's
    // reading of them as a date is dropped).
    if (match[1] && /couple|few/i.test(match[1]))
      return result(context, match, todayOf(context), [TAG.vague]);
    if (!Number.isInteger(days) || days < 1 || days > 90) return null;
    return result(context, match, todayOf(context), [`${TAG.kind}duration`, `${TAG.days}${days}`]);
  },
);

/** "back 3 days later", "a week after": counted from the out date, like a duration. */
const later = parser(
  /\b(a|an|one|two|three|four|five|six|seven|ten|\d{1,2})\s+(days?|nights?|weeks?)\s+(?:later|after(?:wards)?)\b/i,
  (context, match) => {
    const count = COUNT[match[1]!.toLowerCase()] ?? Number(match[1]);
    const days = count * (/^week/i.test(match[2]!) ? 7 : 1);
    if (!Number.isInteger(days) || days < 1 || days > 90) return null;
    return result(context, match, todayOf(context), [`${TAG.kind}duration`, `${TAG.days}${days}`]);
  },
);

/** "in 3 days", "in a week's time": counted from today (said with an out date, asked about). */
const inDays = parser(
  /\bin\s+(a|an|one|two|three|four|five|six|seven|ten|\d{1,2})\s+(days?|weeks?)(?:'?s?\s+time)?\b/i,
  (context, match) => {
    const count = COUNT[match[1]!.toLowerCase()] ?? Number(match[1]);
    const days = count * (/^week/i.test(match[2]!) ? 7 : 1);
    if (!Number.isInteger(days) || days < 1 || days > 90) return null;
    return result(context, match, shift(todayOf(context), days), [`${TAG.fromToday}${days}`]);
  },
);

/** "end of the week", "by the end of next week", "eow": that week's Friday. */
const endOfWeek = parser(
  /\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?week\b|\beow\b/i,
  (context, match) => {
    const today = todayOf(context);
    const friday = shift(mondayOf(today), 4 + (match[1] ? 7 : 0));
    const date = friday < today ? shift(friday, 7) : friday;
    return result(context, match, date);
  },
);

/** "over the weekend", "for the weekend": Friday to Monday. "after the weekend": Monday. */
const weekend = parser(
  /\b(?:(over|for|at)\s+the\s+weekend|(after)\s+the\s+weekend|(?:over|for)\s+(?:the\s+)?(next)\s+weekend)\b/i,
  (context, match) => {
    const today = todayOf(context);
    const saturday = nextWeekday(today, 6);
    const friday = shift(saturday, match[3] && weekdayOf(today) !== 6 && weekdayOf(today) !== 0 ? 6 : -1);
    const monday = shift(friday, 3);
    if (match[2]) return result(context, match, monday);
    const start = friday < today ? today : friday;
    return result(context, match, start, [`${TAG.kind}range`, `${TAG.end}${monday}`, TAG.weekend]);
  },
);

/** "next week", "this week", "the week after next": Monday to Friday of that week. */
const week = parser(
  new RegExp(
    `\\b(?:(this|next|the\\s+following)\\s+week|(?:the\\s+)?week\\s+(after)\\s+next)\\b(?!\\s*(?:today|tomorrow|on\\s+${WD}))`,
    'i',
  ),
  (context, match) => {
    const today = todayOf(context);
    const monday = shift(mondayOf(today), match[2] ? 14 : /this/i.test(match[1]!) ? 0 : 7);
    const start = monday < today ? today : monday;
    return result(context, match, start, [`${TAG.kind}period`, `${TAG.end}${shift(monday, 4)}`]);
  },
);

/** A day and month written with figures ("4/13", "4.13.26"): read day first, never month first. */
const MONTH_FIRST = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*\d{2,4})?$/;
/** Words chrono reads as dates that, alone in lower case, are usually something else. */
const FALSE_FRIENDS =
  /^(?:may|march|mar|sat|sun|wed|jan|june|second|a\s+week|a\s+day|the\s+mo|mo|a\s+sec|sec|now|the\s+day|day)$/i;
const DATE_LEAD_IN =
  /(?:\b(?:on|by|back|until|till|til|from|this|next|last|in|of|before|after|during|for|since|to)|[-,])\s*$/i;

/**
 * Drops what chrono read from everyday words ("may I", "at the mo", "twice a week"), checks a
 * weekday against the date chrono merged it with ("Friday 12 December"), and tags "next
 * Tuesday" and a bare weekday that is today's.
 */
const checks: chrono.Refiner = {
  refine(context, results) {
    const today = todayOf(context);
    return results.filter((r) => {
      if (r.tags().has(TAG.vague)) return false;
      const words = r.text.trim();
      // "4/13": month first, which staff never write; chrono reads it so, but it is asked about.
      const slashed = MONTH_FIRST.exec(words);
      if (slashed && Number(slashed[2]) > 12) return false;
      const lead = context.text.slice(Math.max(0, r.index - 10), r.index);
      if (
        FALSE_FRIENDS.test(words) &&
        !(DATE_LEAD_IN.test(lead) && /^(?:may|march|june|sat|sun|wed)$/i.test(words))
      )
        return false;
      // "a 2 day request", "3 weeks' notice": a length of time, not a day ("in 2 days" is one).
      if (
        /^(?:\d{1,2}|a|an|one|two|three|four|five)\s+(?:days?|weeks?)$/i.test(words) &&
        !/\b(?:in|within)\s*$/i.test(lead)
      )
        return false;
      const tags = r.tags();
      if ([...tags].some((t) => t.startsWith('cra/'))) return true;
      const start = r.start;
      // "21st to 2nd Jan": chrono gives the start the end's month; the start is the 21st before.
      const end = r.end;
      const startWords = r.text.split(/\s*(?:-|–|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*/i)[0] ?? '';
      const startMonthWritten = new RegExp(`\\b${MO}\\b|\\d\\s*[/.]\\s*\\d`, 'i').test(startWords);
      if (
        end &&
        !startMonthWritten &&
        start.isCertain('day') &&
        end.isCertain('month') &&
        end.isCertain('day')
      ) {
        const month =
          start.get('day')! <= end.get('day')! ? end.get('month')! : ((end.get('month')! + 10) % 12) + 1;
        const from = yearless(today, month, start.get('day')!);
        if (from) {
          setComponents(start, from);
          const [y] = partsOf(from);
          const sameYear = isoOf(y, end.get('month')!, end.get('day')!);
          const to =
            sameYear && sameYear >= from ? sameYear : isoOf(y + 1, end.get('month')!, end.get('day')!);
          if (to) setComponents(end, to);
          return true;
        }
      }
      if (start.isCertain('day') && start.isCertain('month') && !start.isCertain('year')) {
        const date = yearless(today, start.get('month')!, start.get('day')!);
        if (date && date !== isoOfComponents(start)) setDate(r, date);
        const end = r.end;
        if (date && end && end.isCertain('day') && end.isCertain('month') && !end.isCertain('year')) {
          const [y] = partsOf(date);
          const sameYear = isoOf(y, end.get('month')!, end.get('day')!);
          const endDate =
            sameYear && sameYear >= date ? sameYear : isoOf(y + 1, end.get('month')!, end.get('day')!);
          if (endDate) setComponents(end, endDate);
        }
      }
      if (start.isCertain('weekday') && start.isCertain('day')) {
        const date = isoOf(start.get('year')!, start.get('month')!, start.get('day')!);
        const named = start.get('weekday')!;
        if (date && weekdayOf(date) !== named) {
          const back = (weekdayOf(date) - named + 7) % 7;
          r.addTag(`${TAG.mismatch}${named}:${back <= 3 ? shift(date, -back) : shift(date, 7 - back)}`);
        }
        return true;
      }
      if (start.isCertain('weekday') && !start.isCertain('day')) {
        const named = start.get('weekday')!;
        const coming = nextWeekday(today, named, true);
        if (/^next\s+/i.test(words)) {
          // "next Thursday" may mean the coming one or the one after: early in the week, read next
          // week's (the coming one is this week's); later, the coming one. Either way, ask.
          const inThisWeek = mondayOf(coming) === mondayOf(today);
          const value = inThisWeek ? shift(coming, 7) : coming;
          setDate(r, value);
          r.addTag(`${TAG.otherNext}${inThisWeek ? coming : shift(coming, 7)}`);
        } else if (/^(?:this|last)\s+/i.test(words)) {
          return true;
        } else {
          // A weekday alone is its next occurrence after today ("back Monday" said on a Monday is a week on).
          setDate(r, nextWeekday(today, named, true));
          r.addTag(`${TAG.weekdayOnly}${named}`);
        }
      }
      return true;
    });
  },
};

function setDate(r: chrono.ParsingResult, date: IsoDate): void {
  setComponents(r.start, date);
}

/** Sets a date's components, keeping which of them were written (known) and which implied. */
function setComponents(c: chrono.ParsingComponents, date: IsoDate): void {
  const { year, month, day } = components(date);
  for (const [component, value] of [
    ['year', year],
    ['month', month],
    ['day', day],
  ] as const) {
    if (c.isCertain(component)) c.assign(component, value);
    else c.imply(component, value);
  }
}

const chronoGB = chrono.en.GB.clone();
chronoGB.parsers.unshift(
  weekdayOrdinal,
  bareOrdinal,
  ordinalRange,
  sameDay,
  dayAfter,
  aroundEvent,
  relativeMonth,
  firstThing,
  dayAfterTomorrow,
  thisAmPm,
  weekdayWeek,
  weekdayPartOfDay,
  clockTime,
  weekToday,
  weekCommencing,
  later,
  inDays,
  duration,
  endOfWeek,
  weekend,
  week,
);
chronoGB.refiners.push(checks);

/**
 * The reference chrono counts from: noon of `today` in the process's own zone, so the calendar
 * date chrono sees is `today` whatever zone the process runs in (chrono 2.10 works out "today"
 * and weekdays in the process's zone), clear of midnight and of daylight-saving hours.
 */
function reference(today: IsoDate): Date {
  const [year, month, day] = partsOf(today);
  return new Date(year, month - 1, day, 12, 0, 0, 0);
}

// ---------------------------------------------------------------------------------------------
// Reading

function isoOfComponents(c: chrono.ParsedComponents): IsoDate | undefined {
  const year = c.get('year');
  const month = c.get('month');
  const day = c.get('day');
  return year === null || month === null || day === null ? undefined : isoOf(year, month, day);
}

function tagValue(tags: Set<string>, prefix: string): string | undefined {
  for (const tag of tags) if (tag.startsWith(prefix)) return tag.slice(prefix.length);
  return undefined;
}

function evidence(text: string, corrected: Corrected, start: number, end: number): Evidence {
  // chrono's text may carry a trailing comma or space ("Tuesday,").
  const raw = corrected.text.slice(start, end);
  const trimmedEnd = end - (raw.length - raw.replace(/[\s,.;:!?]+$/, '').length);
  const span = originalSpan(corrected, start, Math.max(start + 1, trimmedEnd));
  return { start: span.start, end: span.end, text: text.slice(span.start, span.end) };
}

function mentionOf(r: chrono.ParsedResult, today: IsoDate, from: Evidence): DateMention | undefined {
  const tags = r.tags();
  const kind = tagValue(tags, TAG.kind) as DateKind | undefined;
  const base = { from };
  const daysTag = tagValue(tags, TAG.days);
  if (kind === 'same-day') return { kind, ...base };
  if (kind === 'next-day') return { kind, ...base, days: 1 };
  if (kind === 'duration') return { kind, ...base, days: Number(daysTag) };
  if (kind === 'time') return { kind, ...base };
  if (kind === 'around-event') {
    const weekdayOnly = tagValue(tags, TAG.weekdayOnly);
    return {
      kind,
      ...base,
      days: Number(daysTag),
      ...(weekdayOnly === undefined ? {} : { weekdayOnly: Number(weekdayOnly) }),
    };
  }
  const start = r.start;
  if (kind === 'period' || kind === 'range') {
    const value = isoOfComponents(start);
    const end = tagValue(tags, TAG.end);
    return value && end
      ? { kind, ...base, value, end, ...(tags.has(TAG.weekend) ? { weekend: true } : {}) }
      : undefined;
  }
  const dated = start.isCertain('day') || start.isCertain('weekday') || tags.has('cra/date');
  if (!dated && start.isCertain('month')) {
    const year = start.get('year')!;
    const month = start.get('month')!;
    return {
      kind: 'month',
      ...base,
      month: `${year}-${String(month).padStart(2, '0')}`,
      yearWritten: start.isCertain('year'),
    };
  }
  const value = isoOfComponents(start);
  if (!value) return undefined;
  if (!dated && !start.isCertain('month')) {
    // A time of day, or a part of the day ("tonight", "this afternoon"), with no date: chrono
    // moves times before noon to tomorrow, but "by 10am" means the day the message is about.
    if (/^(?:tonight|today|this\s+\w+|now|right\s+now)$/i.test(r.text.trim()))
      return { kind: 'day', ...base, value: today };
    return { kind: 'time', ...base };
  }
  const mention: {
    -readonly [K in keyof DateMention]: DateMention[K];
  } = { kind: 'day', ...base, value };
  if (r.end) {
    const end = isoOfComponents(r.end);
    if (end && end !== value) {
      mention.kind = 'range';
      mention.end = end;
    }
  }
  const mismatch = tagValue(tags, TAG.mismatch);
  if (mismatch) {
    const [weekday, nearest] = mismatch.split(':');
    mention.mismatch = { weekday: Number(weekday), nearest: nearest! };
  }
  const otherNext = tagValue(tags, TAG.otherNext);
  if (otherNext) mention.otherNext = otherNext;
  const fromToday = tagValue(tags, TAG.fromToday);
  if (fromToday) mention.fromToday = Number(fromToday);
  const weekdayOnly = tagValue(tags, TAG.weekdayOnly);
  if (weekdayOnly) mention.weekdayOnly = Number(weekdayOnly);
  else if (!/\d/.test(r.text) && start.isCertain('weekday') && !new RegExp(`\\b${MO}\\b`, 'i').test(r.text))
    mention.weekdayOnly = start.get('weekday')!;
  return mention;
}

const SLASHED =
  /(?<![\w/.-])(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*\/\s*(\d{2,4}))?(?![\w/.])|(?<![\w/.-])(\d{1,2})([.-])(\d{1,2})\5(\d{2,4})(?![\w/.])/g;
const ORDINAL = /\b(\d{1,3})(?:st|nd|rd|th)\b/gi;
const LEAD = /\b(?:on|by|back|until|till|til|from|before|return(?:ing)?|due)\s+(?:the\s+)?$/i;
const WORD_AFTER_LEAD = /\b(?:on|by|back|until|till|til|from|before)\s+([a-z]{4,12})\b/gi;
const DATE_NAMES: readonly string[] = [...WEEKDAYS, ...MONTHS.filter((m) => m.length > 4)];

/** Date-like words that no mention covers. */
function findUnreadable(text: string, masked: string, mentions: readonly DateMention[]): Evidence[] {
  const covered = (start: number, end: number): boolean =>
    mentions.some((m) => m.from.start < end && start < m.from.end);
  const out: Evidence[] = [];
  const add = (start: number, end: number): void => {
    if (!covered(start, end)) out.push({ start, end, text: text.slice(start, end) });
  };
  for (const m of masked.matchAll(SLASHED)) {
    if (m[0] === '24/7' || /^\d\/\d$/.test(m[0])) continue;
    add(m.index, m.index + m[0].length);
  }
  for (const m of masked.matchAll(ORDINAL)) {
    const day = Number(m[1]);
    const lead = LEAD.test(masked.slice(Math.max(0, m.index - 14), m.index));
    const monthAfter = new RegExp(`^\\s*(?:of\\s+)?${MO}\\b`, 'i').test(masked.slice(m.index + m[0].length));
    if (day < 1 || day > 99 || (day <= 31 && !lead && !monthAfter)) continue;
    add(m.index, m.index + m[0].length);
  }
  for (const m of masked.matchAll(WORD_AFTER_LEAD)) {
    const word = m[1]!.toLowerCase();
    if (word.length < 5 || DATE_NAMES.includes(word) || ['today', 'tomorrow', 'tonight'].includes(word))
      continue;
    const close = DATE_NAMES.some(
      (name) =>
        (name.slice(0, 2) === word.slice(0, 2) ||
          ((WEEKDAYS as readonly string[]).includes(name) && name[0] === word[0])) &&
        distance(name, word) <= (word.length >= 7 ? 3 : 2),
    );
    const start = m.index + m[0].length - m[1]!.length;
    if (close) add(start, start + m[1]!.length);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Every date in the message, in the order written, counting forward from `today` (the
 * Europe/London date): "Friday" is the next Friday, "3 December" the next 3 December, "the 9th"
 * the next 9th. `masks` hide references that are not dates (case numbers, record ids).
 */
export function readDates(text: string, today: IsoDate, masks: readonly Span[] = []): DatesRead {
  const masked = blank(text, masks);
  const corrected = correctDateWords(slashDottedDates(masked));
  const mentions: DateMention[] = [];
  for (const r of chronoGB.parse(corrected.text, reference(today), { forwardDate: true })) {
    const from = evidence(text, corrected, r.index, r.index + r.text.length);
    const mention = mentionOf(r, today, from);
    if (mention) mentions.push(mention);
  }
  mentions.sort((a, b) => a.from.start - b.from.start);
  const checked = withinPeriods(checkNamedDays(mentions, text), text);
  const unreadable: Evidence[] = [];
  for (const words of findUnreadable(text, masked, checked)) {
    const guess = guessDate(words, today);
    if (guess) checked.push(guess);
    else unreadable.push(words);
  }
  checked.sort((a, b) => a.from.start - b.from.start);
  return { mentions: checked, unreadable };
}

/**
 * "next week, Mon to Thurs", "w/c 14th, back the Friday": a weekday said after a week is that
 * week's day, not the next one after today.
 */
function withinPeriods(mentions: readonly DateMention[], text: string): DateMention[] {
  let period: DateMention | undefined;
  return mentions.map((m) => {
    if (m.kind === 'period' && m.value && m.end) {
      period = m;
      return m;
    }
    if (
      !period ||
      m.weekdayOnly === undefined ||
      m.otherNext ||
      /[.!?\n]/.test(text.slice(period.from.end, m.from.start))
    )
      return m;
    const monday = mondayOf(period.value!);
    const inWeek = (weekday: number): IsoDate => shift(monday, (weekday + 6) % 7);
    if (m.kind === 'day' && m.value) {
      const value = inWeek(m.weekdayOnly);
      return value >= period.value! && value <= shift(period.end!, 2) ? { ...m, value } : m;
    }
    if (m.kind === 'range' && m.value && m.end) {
      const value = inWeek(m.weekdayOnly);
      const length = Math.round((Date.parse(m.end) - Date.parse(m.value)) / 86_400_000);
      return value >= period.value! ? { ...m, value, end: shift(value, length) } : m;
    }
    return m;
  });
}

/**
 * "tomorrow (sat)", "today, Friday": a weekday said with a relative day is checked against it,
 * and becomes part of that mention (a disagreement is asked about), not a second date.
 */
function checkNamedDays(mentions: readonly DateMention[], text: string): DateMention[] {
  const out: DateMention[] = [];
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i]!;
    const next = mentions[i + 1];
    const gap = next ? text.slice(m.from.end, next.from.start) : '';
    if (
      next &&
      m.kind === 'day' &&
      m.value &&
      /^(?:today|tonight|tomorrow|tmrw|2moro|tomoz|tmw)$/i.test(m.from.text.trim()) &&
      next.weekdayOnly !== undefined &&
      /^\s*[,(-]?\s*$/.test(gap) &&
      /^\(?\s*[a-z]+\s*\)?$/i.test(next.from.text.trim())
    ) {
      const end = /^\s*\)/.test(text.slice(next.from.end))
        ? next.from.end + text.slice(next.from.end).indexOf(')') + 1
        : next.from.end;
      const from = { start: m.from.start, end, text: text.slice(m.from.start, end) };
      const agrees = weekdayOf(m.value) === next.weekdayOnly;
      out.push({
        ...m,
        from,
        ...(agrees ? {} : { mismatch: { weekday: next.weekdayOnly, nearest: next.value! } }),
      });
      i += 1;
      continue;
    }
    out.push(m);
  }
  return out;
}

const SLASHED_DAY = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?$/;

/**
 * Words that look like a date and are nearly one: a day name misspelt past correcting ("Mindy"
 * for Monday, after "on" or "back"), a day the month does not have ("31/11"), or a date written
 * month first ("4/13"). Read as the nearest date, and asked about.
 */
function guessDate(words: Evidence, today: IsoDate): DateMention | undefined {
  const slashed = SLASHED_DAY.exec(words.text.trim());
  if (slashed) {
    const day = Number(slashed[1]);
    const month = Number(slashed[2]);
    const yearText = slashed[3];
    if (month > 12 && month <= 31 && day >= 1 && day <= 12) {
      // "4/13": no 13th month, so perhaps written month first; never read so without asking.
      const swapped = yearText
        ? isoOf(Number(yearText.length === 2 ? `20${yearText}` : yearText), day, month)
        : yearless(today, day, month);
      return swapped
        ? { kind: 'day', from: words, value: swapped, guessed: { reason: 'month-first', options: [swapped] } }
        : undefined;
    }
    if (month < 1 || month > 12 || day < 29 || day > 31) return undefined;
    const year = yearText
      ? Number(yearText.length === 2 ? `20${yearText}` : yearText)
      : (yearless(today, month, 1) ?? today).slice(0, 4);
    const first = isoOf(Number(year), month, 1);
    if (!first) return undefined;
    const last = shift(isoOf(month === 12 ? Number(year) + 1 : Number(year), (month % 12) + 1, 1)!, -1);
    if (Number(last.slice(8)) >= day) return undefined;
    const after = shift(last, 1);
    return {
      kind: 'day',
      from: words,
      value: last,
      guessed: { reason: 'no-such-day', options: [last, after] },
    };
  }
  const word = words.text.toLowerCase();
  if (!/^[a-z]{4,12}$/.test(word)) return undefined;
  const near = WEEKDAYS.map((name, weekday) => ({ weekday, d: distance(word, name) }))
    .filter((c) => c.d <= 2)
    .sort((a, b) => a.d - b.d);
  if (near.length !== 1 && !(near.length > 1 && near[0]!.d < near[1]!.d)) return undefined;
  const weekday = near[0]!.weekday;
  const value = nextWeekday(today, weekday, true);
  return {
    kind: 'day',
    from: words,
    value,
    weekdayOnly: weekday,
    guessed: { reason: 'misspelt', options: [value] },
  };
}

/** The month a mention names, for a question about the past ("the register for November" said in December). */
export function pastMonth(mention: DateMention, today: IsoDate): IsoMonth | undefined {
  if (mention.kind !== 'month' || !mention.month) return undefined;
  if (mention.yearWritten || mention.month <= monthOf(today)) return mention.month;
  const [y, m] = mention.month.split('-');
  return `${Number(y) - 1}-${m}`;
}
