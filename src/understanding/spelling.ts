import { distance } from 'fastest-levenshtein';

/**
 * Day and month names as staff type them ("mondy", "wedensday", "thurs", "Decmber", "tmrw"),
 * written out in full so the date parser can read them. The result keeps a map back to the
 * message, so every date still points at the words it came from.
 */

export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

/** Short forms always meant as a day or month (or tomorrow, tonight). */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  mon: 'monday',
  tue: 'tuesday',
  tues: 'tuesday',
  tuesd: 'tuesday',
  weds: 'wednesday',
  wednes: 'wednesday',
  thu: 'thursday',
  thur: 'thursday',
  thurs: 'thursday',
  thrus: 'thursday',
  thr: 'thursday',
  fri: 'friday',
  frid: 'friday',
  feb: 'february',
  apr: 'april',
  jun: 'june',
  jul: 'july',
  aug: 'august',
  sep: 'september',
  sept: 'september',
  oct: 'october',
  nov: 'november',
  dec: 'december',
  tmrw: 'tomorrow',
  tmw: 'tomorrow',
  tmr: 'tomorrow',
  tmoz: 'tomorrow',
  tomoz: 'tomorrow',
  tomo: 'tomorrow',
  '2moro': 'tomorrow',
  '2morro': 'tomorrow',
  '2morrow': 'tomorrow',
  '2mrw': 'tomorrow',
  tonite: 'tonight',
  '2nite': 'tonight',
  '2night': 'tonight',
  tdy: 'today',
  '2day': 'today',
  arvo: 'afternoon',
  aft: 'afternoon',
  fortnite: 'fortnight',
};

/**
 * Short forms that are also everyday words ("sat", "sun", "wed", "mar", "jan"): a day or month
 * only next to a number or after a word that introduces a date ("on sat", "back wed").
 */
const AMBIGUOUS_SHORT: Readonly<Record<string, string>> = {
  sat: 'saturday',
  sun: 'sunday',
  wed: 'wednesday',
  mar: 'march',
  jan: 'january',
};
const DATE_LEAD =
  /(?:\b(?:on|by|back|until|till|til|from|this|next|last|to|and|or|before|after|every|thru|through|of|in|during|since|early|mid|late)|[-,])\s*$/i;

/** Every full word the spelling is checked against. */
const TARGETS: readonly string[] = [
  ...WEEKDAYS,
  ...MONTHS.filter((m) => m.length >= 5),
  'tomorrow',
  'tonight',
  'fortnight',
  'afternoon',
  'morning',
  'weekend',
  'yesterday',
];

/** Words that are spelt right and close to a target: never "corrected". */
const REAL_WORDS = new Set(
  `mondays tuesdays wednesdays thursdays fridays saturdays sundays monkey money fridge marches
  marched match matched junior julie tonights tights fights nights mourning mornings warning
  weekends weekday weekdays tomorrows fortnights afternoons yesterdays aprils mayday maybe
  octave member members remember novel novels`
    .split(/\s+/)
    .filter(Boolean),
);

/** The full word a misspelt one stands for, or undefined. */
export function correctWord(word: string): string | undefined {
  const lower = word.toLowerCase();
  const short = SHORT_FORMS[lower];
  if (short) return short;
  if (lower.length < 5 || /[^a-z]/.test(lower) || REAL_WORDS.has(lower)) return undefined;
  if (TARGETS.includes(lower)) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const target of TARGETS) {
    if (target[0] !== lower[0] && !(lower[0] === '2' && target[0] === 't')) continue;
    if (Math.abs(target.length - lower.length) > 2) continue;
    const cap = Math.min(target.length, lower.length) >= 7 ? 2 : 1;
    const d = distance(lower, target);
    if (d <= cap && d < bestDistance) {
      best = target;
      bestDistance = d;
    }
  }
  return best;
}

/** Text with day and month names written out, and where each of its characters came from. */
export interface Corrected {
  readonly text: string;
  /** For each character of `text` (and one past the end), its offset in the original. */
  readonly origin: readonly number[];
  /** The words that were rewritten, with their offsets in the original. */
  readonly changes: readonly { readonly start: number; readonly end: number; readonly to: string }[];
}

const WORD = /[A-Za-z0-9]+/g;

/** Writes out the day and month names in `text` (see `correctWord`). */
export function correctDateWords(text: string): Corrected {
  let out = '';
  const origin: number[] = [];
  const changes: { start: number; end: number; to: string }[] = [];
  let last = 0;
  const copy = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      out += text[i];
      origin.push(i);
    }
  };
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const lower = word.toLowerCase();
    let to = correctWord(word);
    if (!to && AMBIGUOUS_SHORT[lower]) {
      const before = text.slice(Math.max(0, m.index - 12), m.index);
      const after = text.slice(m.index + word.length, m.index + word.length + 8);
      const dated =
        DATE_LEAD.test(before) ||
        /^\s*(?:the\s+)?\d/.test(after) ||
        /\d(?:st|nd|rd|th)?\s*(?:of\s+)?$/i.test(before);
      // "Jan" is also a name: a month only next to a number or after "in", "of", "by"...
      const janAsMonth =
        /\d/.test(before + after) ||
        /\b(?:of|in|by|until|till|before|during|since|from|mid|early|late)\s*$/i.test(before);
      if (dated && (lower !== 'jan' || janAsMonth)) to = AMBIGUOUS_SHORT[lower];
    }
    if (!to || to === lower) continue;
    copy(last, m.index);
    for (let i = 0; i < to.length; i++) {
      out += to[i];
      // Every character of the rewritten word points into the original word.
      origin.push(m.index + Math.min(i, word.length - 1));
    }
    changes.push({ start: m.index, end: m.index + word.length, to });
    last = m.index + word.length;
  }
  copy(last, text.length);
  origin.push(text.length);
  return { text: out, origin, changes };
}

/**
 * "6.12", "10.12.26": a day and month written with dots, which the date parser reads only with
 * slashes; the dots become slashes (same length). Not a time ("at 6.30", "6.30pm").
 */
const DOTTED =
  /(?<![\d.:£$])\b(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2}))?\b(?![.:]\d|\s*(?:am|pm|a\.m|p\.m|hrs?\b|h\b|%))/gi;

export function slashDottedDates(text: string): string {
  return text.replace(
    DOTTED,
    (whole: string, day: string, month: string, year: string | undefined, index: number) => {
      const before = text.slice(Math.max(0, index - 6), index);
      if (!year && /\b(?:at|@)\s*$/i.test(before)) return whole;
      if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return whole;
      return whole.replace(/\./g, '/');
    },
  );
}

/** The original span of `[start, end)` in corrected text. */
export function originalSpan(
  corrected: Corrected,
  start: number,
  end: number,
): { start: number; end: number } {
  const from = corrected.origin[start] ?? 0;
  const lastChar = corrected.origin[Math.max(start, end - 1)] ?? from;
  return { start: from, end: Math.max(from, lastChar + 1) };
}
