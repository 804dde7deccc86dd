import type { IsoDate } from '../rules/dates.js';
import {
  addMonthsToMonth,
  lastDayOfMonth,
  monthOf,
  nextWeekday,
  nextWorkingDay,
  partsOf,
  sayDate,
  sayDayOfMonth,
  shift,
  weekdayName,
  weekdayOf,
} from './calendar.js';
import { OCCASION, type DateMention } from './dates.js';
import type { Doubt, EntityName, Evidence, Found } from './types.js';

/**
 * Which date is which: the out and return dates of a removal, the last day of cover, the date
 * a recall wants the records back by, the "due by" date and month of a Records Management list,
 * and when a hold's request was received. Every date that may be wrong comes with a doubt.
 */

export interface DatesFor {
  /** Dates (`IsoDate`) and, for lists, a month (`IsoMonth`): both strings. */
  readonly entities: Partial<Record<EntityName, Found<IsoDate>>>;
  readonly doubts: readonly Doubt[];
}

const RETURN_CUE =
  /\b(?:back|bk|return(?:ed|ing)?(?:\s+(?:it|them|this|that|the\s+\w+|my\s+\w+))?|bring(?:ing)?\s+(?:\w+\s+){0,3}back|br(?:ought|ing)\s+(?:\w+\s+){0,3}back|till|until|untill|til|up\s+to|upto|drop(?:ping)?\s+(?:\w+\s+)?back|due\s+back|in\s+by|give\s+(?:\w+\s+)?back|have\s+(?:\w+\s+)?back|returning\s+(?:\w+\s+){0,2})(?:\s+(?:in|into|to)(?:\s+(?:the\s+)?(?:office|work|base))?)?(?:\s+(?:on|by|for|at|before|first|the|following|next|coming|latest|at\s+the\s+latest|no\s+later\s+than))*\s*$/i;
const TO_CUE = /(?:\b(?:to|through|thru|and\s+back(?:\s+on)?)|-|–)\s*(?:the\s+)?$/i;
const OUT_CUE =
  /\b(?:from|out|take|taking|collect(?:ing)?|pick(?:ing)?\s+(?:\w+\s+)?up|starting|remove|removing|borrow|sign(?:ing)?\s+(?:\w+\s+)?out|book(?:ing)?\s+(?:\w+\s+)?out|need(?:ed)?|have)\b(?:\s+\w+){0,3}?\s*(?:on|from)?\s*(?:the\s+)?$|\bhome\s+(?:on\s+|from\s+)?(?:the\s+)?$/i;
const BY_CUE = /\bby\s*(?:the\s+)?$/i;
const BEFORE_CUE = /\b(?:before|prior\s+to|earlier\s+than)\s*(?:the\s+)?(?:start\s+of\s+|end\s+of\s+)?$/i;
const UNTIL_CUE =
  /\b(?:until|till|til|untill|to|through|thru|up\s+to|upto|ending|end(?:s|ing)?\s+on|for\s+(?:\w+\s+)?until)\s*(?:and\s+including\s+)?(?:the\s+)?$/i;
function before(text: string, mention: DateMention, chars = 40): string {
  return text.slice(Math.max(0, mention.from.start - chars), mention.from.start);
}

/** The quote for a doubt: the date's words with the cue just before them ("back fri 11th"). */
function quote(text: string, mention: DateMention): Evidence {
  const lead =
    /\b(?:back|until|till|til|untill|by|from|on|return(?:ing)?|due\s+back|out)(?:\s+(?:on|by|the))*\s+$/i.exec(
      text.slice(Math.max(0, mention.from.start - 24), mention.from.start),
    );
  const start = lead ? mention.from.start - lead[0].length : mention.from.start;
  return { start, end: mention.from.end, text: text.slice(start, mention.from.end) };
}

function found(value: IsoDate, mention: DateMention): Found<IsoDate> {
  return { value, from: mention.from };
}

/** Doubts about one date read from one mention. */
function doubtsAbout(
  entity: EntityName,
  value: IsoDate,
  mention: DateMention,
  text: string,
  today: IsoDate,
  { future = true }: { future?: boolean } = {},
): Doubt[] {
  const q = quote(text, mention);
  const out: Doubt[] = [];
  if (mention.mismatch) {
    const named = weekdayName(mention.mismatch.weekday);
    out.push({
      kind: 'weekday-mismatch',
      entity,
      from: q,
      read: value,
      options: [value, mention.mismatch.nearest],
      question: `'${q.text}': ${sayDayOfMonth(value)} is a ${weekdayName(weekdayOf(value))}, not a ${named} — did you mean ${sayDate(value, today)} or ${sayDate(mention.mismatch.nearest, today)}?`,
    });
  }
  if (mention.otherNext) {
    out.push({
      kind: 'ambiguous-next',
      entity,
      from: q,
      read: value,
      options: [value, mention.otherNext],
      question: `'${q.text}': do you mean ${sayDate(value, today)} or ${sayDate(mention.otherNext, today)}?`,
    });
  }
  if (mention.guessed?.reason === 'misspelt') {
    out.push({
      kind: 'assumed-date',
      entity,
      from: q,
      read: value,
      options: [value],
      question: `'${q.text}': I read this as ${sayDate(value, today)} — is that right?`,
    });
  }
  if (mention.guessed?.reason === 'month-first') {
    out.push({
      kind: 'unreadable-date',
      entity,
      from: q,
      read: value,
      options: [...mention.guessed.options],
      question: `'${q.text}': there is no month ${Number(value.slice(8))} — did you mean ${sayDate(value, today)}?`,
    });
  }
  if (mention.guessed?.reason === 'no-such-day') {
    out.push({
      kind: 'unreadable-date',
      entity,
      from: q,
      read: value,
      options: [...mention.guessed.options],
      question: `'${q.text}': there is no such day — did you mean ${mention.guessed.options.map((o) => sayDate(o, today)).join(' or ')}?`,
    });
  }
  if (mention.kind === 'period') {
    const days = [0, 1, 2, 3, 4].map((n) => shift(mention.value!, n)).filter((d) => d >= today);
    out.push({
      kind: 'assumed-date',
      entity,
      from: q,
      read: value,
      options: days,
      question: `'${q.text}': which day? I read ${sayDate(value, today)}.`,
    });
  }
  if (future && value < today) {
    out.push({
      kind: 'past-date',
      entity,
      from: q,
      read: value,
      options: [],
      question: `'${q.text}': ${sayDate(value, today)} is in the past — which date did you mean?`,
    });
  }
  return out;
}

/** A date relative to another ("same day", "for a couple of days", "first thing"). */
function relativeTo(base: IsoDate, mention: DateMention): IsoDate | undefined {
  switch (mention.kind) {
    case 'same-day':
    case 'time':
      return base;
    case 'next-day':
      return shift(base, 1);
    case 'duration':
      return shift(base, mention.days ?? 1);
    default:
      return undefined;
  }
}

const RELATIVE = new Set(['same-day', 'next-day', 'duration', 'time']);

function unreadableDoubts(entity: EntityName, unreadable: readonly Evidence[]): Doubt[] {
  return unreadable.map((from) => ({
    kind: 'unreadable-date' as const,
    entity,
    from,
    options: [],
    question: `'${from.text}': I couldn't read this as a date — which date did you mean?`,
  }));
}

/** "tomorrow only", "that day only": back the same day. */
const ONLY_THAT_DAY = /^\s*(?:only|just\s+that\s+day|(?:for\s+)?that\s+day\s+only)\b/i;
/** Words that say a date is not meant: "back thurs, not tues", "instead of Monday". */
const NEGATED = /\b(?:not|instead\s+of|rather\s+than)\s+(?:on\s+)?(?:the\s+)?$/i;
/** "back tmrw or fri": the second is another possibility for the first. */
const ALTERNATIVE = /\bor\s+(?:on\s+|by\s+)?(?:the\s+)?$/i;
/** A correction: "oops, I meant thursday!" restates a date said elsewhere in the message. */
const CORRECTION =
  /\b(?:meant|mean|sorry|oops|correction|typo|should\s+(?:be|say|read|have\s+said))\b[^.;]{0,12}$/i;
/** A day the person is away or nobody works, told as context: "monday's the bank hol", "leaving on friday". */
const NOT_WORKING_BEFORE =
  /\b(?:leaving|annual\s+leave|a\/l|on\s+leave|holiday|hols|bank\s+hol\w*|off\s+sick|day\s+off|last\s+day)\b(?:\s+[\w'-]+){0,2}?\s*(?:on|from|is|starts?|until|till)?\s*(?:the\s+)?$/i;
const NOT_WORKING_AFTER =
  /^\s*(?:'s|s|is|was|will\s+be)\s+(?:a\s+|the\s+|my\s+)?(?:bank\s+hol\w*|holiday|day\s+off|last\s+day|inset\s+day|training\s+day)\b/i;
/** When an occasion is: "the hearing's on the 9th", "IRH got moved to Thursday". */
const OCCASION_BEFORE = new RegExp(
  String.raw`\b${OCCASION}(?:'s|s)?\b(?:\s+[\w'-]+){0,3}?\s*(?:is|are|on|at|for|this|next|was|will\s+be)?\s*$|\b(?:moved|changed|brought\s+forward|put\s+back|rescheduled|adjourned|listed|booked)\s+(?:to|for|until|till|on)\s*(?:the\s+)?$`,
  'i',
);
/** "Next Friday's the final hearing", "Thursday week I've got the RCPC". */
const OCCASION_AFTER = new RegExp(
  String.raw`^\s*(?:'s|is|was|will\s+be)\s+(?:the|my|an?|our)\s+(?:[\w'-]+\s+){0,2}?${OCCASION}\b|^\s*,?\s*(?:i'?ve|i\s+have|we'?ve|we\s+have|there'?s|there\s+is)\s+(?:got\s+)?(?:the|an?|my|our)\s+(?:[\w'-]+\s+){0,2}?${OCCASION}\b`,
  'i',
);

function after(text: string, mention: DateMention, chars = 50): string {
  return text.slice(mention.from.end, mention.from.end + chars);
}

function isOccasion(text: string, m: DateMention): boolean {
  return OCCASION_BEFORE.test(before(text, m)) || OCCASION_AFTER.test(after(text, m));
}

/** The weekday before `date` (strictly). */
function previousWeekday(date: IsoDate, weekday: number): IsoDate {
  return shift(date, -((weekdayOf(date) - weekday + 7) % 7 || 7));
}

/** A day counted from an occasion, and how (to count the occasion's other possible dates too). */
interface Counted {
  readonly occasion: DateMention;
  readonly derive: (occasion: IsoDate) => IsoDate;
}

/**
 * Days counted from an occasion ("the day before", "the Monday after the hearing") become days,
 * and the occasion's own date leaves the list: it says when the hearing is, not when the records
 * move. With no occasion, "the day after" counts from the other date, as "the next day" does.
 */
function countFromOccasions(
  list: readonly DateMention[],
  text: string,
): { mentions: DateMention[]; counted: Map<DateMention, Counted> } {
  const counted = new Map<DateMention, Counted>();
  if (!list.some((m) => m.kind === 'around-event')) return { mentions: [...list], counted };
  const occasions = list.filter((m) => m.kind === 'day' && m.value && isOccasion(text, m));
  const used = new Set<DateMention>();
  const out: DateMention[] = [];
  for (const m of list) {
    if (m.kind !== 'around-event') {
      out.push(m);
      continue;
    }
    const noun = new RegExp(`${OCCASION}$`, 'i').exec(m.from.text.trim())?.[0]?.toLowerCase();
    const context = (o: DateMention): string => `${before(text, o)} ${after(text, o)}`.toLowerCase();
    const occasion =
      (noun ? occasions.find((o) => context(o).includes(noun)) : undefined) ??
      occasions.filter((o) => o.from.start < m.from.start).at(-1) ??
      occasions[0];
    // With no occasion, a day is counted from the date said before it ("out a week on Friday,
    // back the Monday after"; "the day after" is the next day).
    const anchor =
      occasion ?? list.filter((o) => o.kind === 'day' && o.value && o.from.start < m.from.start).at(-1);
    if (!anchor) {
      if (m.days === 1 && m.weekdayOnly === undefined) out.push({ ...m, kind: 'next-day' });
      continue;
    }
    if (occasion) used.add(occasion);
    const days = m.days ?? 1;
    const weekday = m.weekdayOnly;
    const derive = (d: IsoDate): IsoDate =>
      weekday === undefined
        ? shift(d, days)
        : days < 0
          ? previousWeekday(d, weekday)
          : nextWeekday(d, weekday, true);
    const day: DateMention = { kind: 'day', from: m.from, value: derive(anchor.value!) };
    counted.set(day, { occasion: anchor, derive });
    out.push(day);
  }
  return { mentions: out.filter((m) => !used.has(m)), counted };
}

/**
 * The out and return dates of a removal. A date after "back", "return", "bring it back",
 * "till" or "until" is the return date, and wins over a list of days ("WFH Monday and Tuesday,
 * back in on Wednesday"); a range gives both; "same day", "for two days", "first thing" count
 * from the date before them; a second date with no cue is the return date. With only a return
 * date, the records go out today. Dates that say when something else happens (a hearing, a bank
 * holiday, the day someone leaves), dates said not to be meant ("not tues") and a week that a
 * day is named within are not removal dates; days counted from a hearing ("the day after") are.
 */
export function removalDates(
  mentions: readonly DateMention[],
  unreadable: readonly Evidence[],
  text: string,
  today: IsoDate,
): DatesFor {
  const doubts: Doubt[] = [];
  let listed = mentions.filter((m) => m.kind !== 'month' && !NEGATED.test(before(text, m, 16)));
  // "back tmrw or fri": the second is the other possibility for the first.
  const alternatives = new Map<DateMention, DateMention>();
  listed.forEach((m, i) => {
    if (i > 0 && m.value && ALTERNATIVE.test(before(text, m, 12))) alternatives.set(listed[i - 1]!, m);
  });
  const alternativeOf = new Set(alternatives.values());
  listed = listed.filter(
    (m) =>
      !alternativeOf.has(m) &&
      !(NOT_WORKING_BEFORE.test(before(text, m)) || NOT_WORKING_AFTER.test(after(text, m))),
  );
  // A week with a day named within it ("next week, mon-weds") says only which week.
  listed = listed.filter(
    (m) =>
      m.kind !== 'period' ||
      !listed.some(
        (o) =>
          o !== m && o.value && o.value >= m.value! && o.value <= m.end! && !RETURN_CUE.test(before(text, o)),
      ),
  );
  const { mentions: usable, counted } = countFromOccasions(listed, text);
  const isReturn = (m: DateMention, i: number): boolean =>
    RETURN_CUE.test(before(text, m)) || (i > 0 && TO_CUE.test(before(text, m, 12)));
  let out: { value: IsoDate; mention?: DateMention; implied?: string } | undefined;
  let ret: { value: IsoDate; mention: DateMention } | undefined;
  // The last date said to be the return wins ("back on weds. no wait … back thurs").
  const returns = usable.filter((m, i) => isReturn(m, i));
  const returnMention = returns.at(-1);
  // "oops, I meant thursday! … back thurs": the day corrected to is the return already read.
  const others = usable.filter(
    (m) =>
      !returns.includes(m) &&
      !(
        returnMention &&
        m.kind === 'day' &&
        CORRECTION.test(before(text, m, 24)) &&
        (m.value === returnMention.value ||
          (m.weekdayOnly !== undefined && m.weekdayOnly === returnMention.weekdayOnly))
      ),
  );
  const outMention =
    others.find((m) => !RELATIVE.has(m.kind) && OUT_CUE.test(before(text, m, 30))) ??
    others.find((m) => !RELATIVE.has(m.kind) && !OCCASION_BEFORE.test(before(text, m, 30))) ??
    others.find((m) => !RELATIVE.has(m.kind));
  if (outMention?.value) out = { value: outMention.value, mention: outMention };
  if (outMention?.kind === 'range' && !returnMention) ret = { value: outMention.end!, mention: outMention };
  /** A relative date ("straight back", "for two days") counts from the last date said before it. */
  const baseFor = (m: DateMention): IsoDate =>
    others.filter((o) => !RELATIVE.has(o.kind) && o.value && o.from.start < m.from.start).at(-1)?.value ??
    out?.value ??
    today;
  if (returnMention) {
    const value =
      returnMention.kind === 'range'
        ? returnMention.end!
        : RELATIVE.has(returnMention.kind)
          ? relativeTo(baseFor(returnMention), returnMention)
          : returnMention.value;
    if (value) ret = { value, mention: returnMention };
    if (returnMention.kind === 'range' && !out) out = { value: returnMention.value!, mention: returnMention };
  } else if (!ret) {
    const relative = others.find((m) => RELATIVE.has(m.kind) && m.kind !== 'time');
    const second = others.find((m) => m !== outMention && !RELATIVE.has(m.kind) && m.value);
    if (relative) ret = { value: relativeTo(baseFor(relative), relative)!, mention: relative };
    else if (second?.value) {
      ret = { value: second.value, mention: second };
      const listed =
        /\b(?:and|&|,)\s*(?:on\s+)?$/i.test(before(text, second, 8)) &&
        !TO_CUE.test(before(text, second, 12));
      if (listed) {
        doubts.push({
          kind: 'ambiguous-dates',
          entity: 'returnOn',
          from: {
            start: outMention!.from.start,
            end: second.from.end,
            text: text.slice(outMention!.from.start, second.from.end),
          },
          read: second.value,
          options: [second.value, shift(second.value, 1)],
          question: `'${text.slice(outMention!.from.start, second.from.end)}': when do the records come back — ${sayDate(second.value, today)} or ${sayDate(shift(second.value, 1), today)}?`,
        });
      }
    } else if (out?.mention && ONLY_THAT_DAY.test(after(text, out.mention, 20))) {
      // "tomorrow only": back the same day.
      ret = { value: out.value, mention: out.mention };
    }
  }
  // "back tmrw or fri depending on the hearing": either may be meant.
  for (const [first, other] of alternatives) {
    const entity = ret?.mention === first ? 'returnOn' : out?.mention === first ? 'outOn' : undefined;
    if (!entity || !other.value) continue;
    const read = entity === 'returnOn' ? ret!.value : out!.value;
    const from = {
      start: first.from.start,
      end: other.from.end,
      text: text.slice(first.from.start, other.from.end),
    };
    doubts.push({
      kind: 'ambiguous-dates',
      entity,
      from,
      read,
      options: [read, other.value],
      question: `'${from.text}': which is it — ${sayDate(read, today)} or ${sayDate(other.value, today)}?`,
    });
  }
  // "over the weekend" said before the Friday: out on the Friday is assumed.
  if (out?.mention?.weekend && ![0, 5, 6].includes(weekdayOf(today))) {
    const from = quote(text, out.mention);
    doubts.push({
      kind: 'assumed-date',
      entity: 'outOn',
      from,
      read: out.value,
      options: [out.value, today],
      question: `'${from.text}': I read this as out ${sayDate(out.value, today)} — is that right, or do they go out sooner?`,
    });
  }
  // Days counted from an occasion are as doubtful as the occasion's date ("next Friday's the hearing").
  for (const [entity, chosen] of [
    ['outOn', out],
    ['returnOn', ret],
  ] as const) {
    const c = chosen?.mention ? counted.get(chosen.mention) : undefined;
    if (!c || !chosen) continue;
    for (const d of doubtsAbout(entity, c.occasion.value!, c.occasion, text, today, { future: false }))
      doubts.push({ ...d, read: chosen.value, options: d.options.map(c.derive) });
  }
  // "out Thursday, back Monday": a weekday alone counts forward from the out date; "thurs am,
  // back thurs pm" is the same day.
  if (
    ret &&
    out &&
    ret.mention.weekdayOnly !== undefined &&
    ret.value <= out.value &&
    ret.mention !== out.mention
  ) {
    const sameDayLater =
      ret.mention.weekdayOnly === weekdayOf(out.value) &&
      /\b(?:pm|afternoon|aft|evening|lunch(?:time)?)\b/i.test(ret.mention.from.text);
    ret = sameDayLater
      ? { value: out.value, mention: ret.mention }
      : { value: nextWeekday(out.value, ret.mention.weekdayOnly, true), mention: ret.mention };
    // "out tomorrow, back fri" said on a Thursday: the out day is a Friday, so "back fri" may be
    // that same day or a week on. Read a week on, and ask.
    if (!sameDayLater && ret.mention.weekdayOnly === weekdayOf(out.value)) {
      const from = quote(text, ret.mention);
      doubts.push({
        kind: 'assumed-date',
        entity: 'returnOn',
        from,
        read: ret.value,
        options: [ret.value, out.value],
        question: `'${from.text}': the records go out on ${sayDate(out.value, today)} — do they come back ${sayDate(ret.value, today)}, or the same day?`,
      });
    }
  }
  // "out monday, back in 2 days": counted from today or from the out day? Ask; before the out
  // day it can only be from the out day.
  const inDays = ret?.mention.fromToday;
  if (ret && out && inDays !== undefined && out.value !== today) {
    const fromOut = shift(out.value, inDays);
    if (ret.value < out.value) ret = { value: fromOut, mention: ret.mention };
    const other = ret.value === fromOut ? shift(today, inDays) : fromOut;
    const from = quote(text, ret.mention);
    doubts.push({
      kind: 'assumed-date',
      entity: 'returnOn',
      from,
      read: ret.value,
      options: [ret.value, other],
      question: `'${from.text}': I read this as ${sayDate(ret.value, today)} — or did you mean ${sayDate(other, today)}?`,
    });
  }
  // No out date: the records go out today.
  if (!out)
    out = {
      value: today,
      implied: ret ? 'today (only a return date was given)' : 'today (no date was given)',
    };
  const entities: Partial<Record<EntityName, Found<IsoDate>>> = {};
  if (out) {
    entities.outOn = out.mention
      ? found(out.value, out.mention)
      : { value: out.value, implied: out.implied! };
    if (out.mention) doubts.push(...doubtsAbout('outOn', out.value, out.mention, text, today));
  }
  if (ret) {
    entities.returnOn = found(ret.value, ret.mention);
    if (RELATIVE.has(ret.mention.kind) && (weekdayOf(ret.value) === 0 || weekdayOf(ret.value) === 6)) {
      doubts.push({
        kind: 'assumed-date',
        entity: 'returnOn',
        from: quote(text, ret.mention),
        read: ret.value,
        options: [ret.value, nextWorkingDay(ret.value)],
        question: `'${quote(text, ret.mention).text}': that is ${sayDate(ret.value, today)}, a weekend — or did you mean ${sayDate(nextWorkingDay(ret.value), today)}?`,
      });
    }
    // A return date counted from the out date is as doubtful as the out date.
    if (RELATIVE.has(ret.mention.kind) && out?.mention) {
      for (const d of doubtsAbout('outOn', out.value, out.mention, text, today))
        doubts.push({
          ...d,
          entity: 'returnOn',
          read: ret.value,
          options: d.options.map((o) => relativeTo(o, ret.mention) ?? o),
        });
    }
    if (ret.mention !== out?.mention)
      doubts.push(...doubtsAbout('returnOn', ret.value, ret.mention, text, today));
    if (out && ret.value < out.value) {
      doubts.push({
        kind: 'return-before-out',
        entity: 'returnOn',
        from: quote(text, ret.mention),
        read: ret.value,
        options: [],
        question: `The return date, ${sayDate(ret.value, today)} ('${quote(text, ret.mention).text}'), is before the out date, ${sayDate(out.value, today)} — which dates did you mean?`,
      });
    }
  }
  // Unreadable words after "back" were meant as the return date; others as the out date if none was read.
  for (const words of unreadable) {
    const cue = text.slice(Math.max(0, words.start - 40), words.start);
    const entity = RETURN_CUE.test(cue) || out?.mention ? 'returnOn' : 'outOn';
    doubts.push(...unreadableDoubts(entity, [words]));
  }
  return { entities, doubts };
}

/** One future date: the last day of cover, or the date a recall wants the records back by. */
export function singleDate(
  entity: 'until' | 'returnBy',
  mentions: readonly DateMention[],
  unreadable: readonly Evidence[],
  text: string,
  today: IsoDate,
): DatesFor {
  const usable = mentions.filter((m) => m.kind !== 'month' && m.kind !== 'duration');
  const cued =
    usable.find((m) => (entity === 'until' ? UNTIL_CUE : RETURN_CUE).test(before(text, m))) ??
    usable.find((m) => m.kind === 'range' || m.kind === 'period') ??
    (entity === 'until' ? usable.filter((m) => !/\bfrom\s*$/i.test(before(text, m, 8))).at(-1) : usable[0]);
  const doubts = unreadableDoubts(entity, unreadable);
  if (!cued) return { entities: {}, doubts };
  const value =
    cued.kind === 'range' || cued.kind === 'period'
      ? cued.end!
      : RELATIVE.has(cued.kind)
        ? today
        : cued.value!;
  return {
    entities: { [entity]: found(value, cued) },
    doubts: [...doubtsAbout(entity, value, cued, text, today), ...doubts],
  };
}

/**
 * Records Management lists: the last day retention may end ("due by 31 December", "before
 * 2027" is 31 December 2026, "by the end of the year") and a named month ("due in March", "the
 * register for November", "last month"). A month in a question about the past (the register)
 * is read backwards: "November" said in December is last month.
 */
export function listDates(
  mentions: readonly DateMention[],
  text: string,
  today: IsoDate,
  { past = false }: { past?: boolean } = {},
): DatesFor {
  const entities: Partial<Record<EntityName, Found<IsoDate>>> = {};
  const doubts: Doubt[] = [];
  for (const m of mentions) {
    const lead = before(text, m, 30);
    const by = BY_CUE.test(lead) || UNTIL_CUE.test(lead) || /\bend\s+of\s*(?:the\s+)?$/i.test(lead);
    const beforeCue = BEFORE_CUE.test(lead);
    if (m.kind === 'month') {
      let month = m.month!;
      if (past && !m.yearWritten && month > monthOf(today)) month = addMonthsToMonth(month, -12);
      if ((by || beforeCue) && !past && !entities.dueBy) {
        const value = beforeCue ? shift(`${month}-01`, -1) : lastDayOfMonth(month);
        entities.dueBy = { value, from: m.from };
      } else if (!entities.month) entities.month = { value: month, from: m.from };
      continue;
    }
    if (!m.value || entities.dueBy) continue;
    // "this year", "next year": due by its last day.
    const year = /^(this|next)\s+year$/i.exec(m.from.text.trim());
    if (year) {
      if (!past)
        entities.dueBy = {
          value: `${partsOf(today)[0] + (/next/i.test(year[1]!) ? 1 : 0)}-12-31`,
          from: m.from,
        };
      continue;
    }
    // "due before 31 Jan" is read as by 31 January (a day named is the last day).
    const value = m.kind === 'range' || m.kind === 'period' ? m.end! : m.value;
    if (past) continue;
    entities.dueBy = { value, from: m.from };
  }
  // "before 2027", "by the end of 2026", "this year".
  if (!entities.dueBy && !past) {
    const year =
      /\b(before|by|until|till|up\s+to|end\s+of|in|during)\s+(?:the\s+)?(?:end\s+of\s+)?((?:19|20)\d{2})\b/i.exec(
        text,
      );
    if (year) {
      const y = Number(year[2]);
      const value = /before/i.test(year[1]!) ? `${y - 1}-12-31` : `${y}-12-31`;
      entities.dueBy = {
        value,
        from: { start: year.index, end: year.index + year[0].length, text: year[0] },
      };
    }
    const thisYear = /\b(?:this|the\s+end\s+of\s+(?:the|this))\s+year\b/i.exec(text);
    if (!entities.dueBy && thisYear)
      entities.dueBy = {
        value: `${partsOf(today)[0]}-12-31`,
        from: { start: thisYear.index, end: thisYear.index + thisYear[0].length, text: thisYear[0] },
      };
  }
  return { entities, doubts };
}

/** When a hold's request was received: on or before today ("received Monday" is last Monday). */
export function receivedDate(mentions: readonly DateMention[], text: string, today: IsoDate): DatesFor {
  const m =
    mentions.find((x) =>
      /\b(?:received|rec'?d|dated|arrived|came\s+in|submitted|made|logged|got)\b[^.;]{0,20}$/i.test(
        before(text, x),
      ),
    ) ?? undefined;
  if (!m?.value) return { entities: {}, doubts: [] };
  let value = m.value;
  if (value > today)
    value =
      /[a-z]/i.test(m.from.text) && !/\d/.test(m.from.text)
        ? shift(value, -7)
        : `${partsOf(value)[0] - 1}${value.slice(4)}`;
  return { entities: { receivedOn: found(value, m) }, doubts: [] };
}
