import { classesInUse, type RecordClass, type Schedule } from './schedule.js';

/**
 * Matching a question ("how long do we keep LAC paperwork?") to the retention schedule's record
 * classes by their aliases, title and id. Pure: no state, no I/O.
 *
 * Words are compared after light normalisation: lower case, apostrophes dropped ("children's"),
 * plurals made singular ("carers", "disabilities", "CPs"), "-ing" dropped ("fostering" is
 * "foster"), "children", "kids" and "young people" read as "child", and "section 47", "s.47"
 * and "s 47" all read as "s47" (likewise "reg 24"). Words that say nothing about the kind of
 * record ("how", "keep", "files", "paperwork"...) are ignored. A word may carry one typo (two
 * from eight letters) if the word it stands for has five letters or more, at a small cost; the
 * first letter must be right, and a word is not a typo of a longer word it begins ("care" is
 * not "carer").
 *
 * An alias matches when all its words are in the question. Written together, in order, each
 * word counts 10; scattered through the question ("allegations against a member of staff"),
 * each counts 9, and common words that need their neighbours to mean anything ("child", "in",
 * "care", "home", "order"...) only 1. Words in brackets in an alias are optional: "foster
 * (applicant)" matches "foster" alone as well as "foster applicant", which is how a question too
 * vague to choose between classes ("foster records") is made to match both equally.
 *
 * A class scores by the question words its matching aliases cover, so that "fire drill records
 * in the children's home" (two aliases of one class) beats "children's home" (one alias of
 * another).
 */

/** Words that say nothing about which class is meant. */
const STOP = new Set(
  `a an and the of for to do does did we keep kept keeping how long is are was were be been being
  what whats about when where who whom which that this these those there can could should would
  will must shall may might our your their his her its my i you they it me us on at if by from
  as or than then please just still also any all every some
  file record case document doc paper paperwork note folder information info data stuff
  retention retain retained period destroy destroyed destruction dispose disposed disposal shred
  shredded delete deleted hold held store stored year many time`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words that only mean something next to the others of an alias. */
const WEAK = new Set(
  'child in care after home order plan person young under with support team report review service'.split(' '),
);

/** Abbreviations that are also everyday words: they count only when written in capitals. */
const CAPITALS_ONLY = new Set(['so', 'eh']);

const LEMMAS: Readonly<Record<string, string>> = {
  children: 'child',
  childrens: 'child',
  childs: 'child',
  kid: 'child',
  kids: 'child',
  people: 'person',
  persons: 'person',
  peoples: 'person',
};

/** Typo tolerance only for words at least this long. */
const MIN_TYPO_LENGTH = 5;
const PHRASE_WEIGHT = 10;
const SCATTERED_WEIGHT = 9;
const SCATTERED_WEAK_WEIGHT = 1;
const TYPO_COST = 1.5;
/** Common words alone match scattered only when there are at least this many. */
const MIN_WEAK_WORDS_SCATTERED = 3;

interface Token {
  /** Normalised form. */
  readonly word: string;
  /** Written in capitals (for `CAPITALS_ONLY`). */
  readonly capitals: boolean;
}

function singular(word: string, capitals: boolean): string {
  if (LEMMAS[word]) return LEMMAS[word];
  if (/\d/.test(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  // CPs, SOs: a short abbreviation's plural.
  if (capitals && word.length === 3 && word.endsWith('s')) return word.slice(0, -1);
  return word;
}

function stem(word: string): string {
  return word.length >= 7 && word.endsWith('ing') ? word.slice(0, -3) : word;
}

function tokens(text: string): Token[] {
  const prepared = text
    .replace(/[’'`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/\byoung\s+(?:people|persons?)\b/gi, ' child ')
    .replace(/\b(?:section|sect|sec|s)\s*\.?\s*(\d+)\b/gi, ' s$1 ')
    .replace(/\b(?:regulation|reg)\s*\.?\s*(\d+)\b/gi, ' reg$1 ');
  const out: Token[] = [];
  for (const raw of prepared.split(/[^A-Za-z0-9]+/)) {
    if (!raw) continue;
    // LAC, CPs, SOs: capitals, perhaps with a plural s.
    const capitals = /^[A-Z][A-Z0-9]+s?$/.test(raw);
    const word = stem(singular(raw.toLowerCase(), capitals));
    if (!STOP.has(word)) out.push({ word, capitals });
  }
  return out;
}

/** Levenshtein distance, stopping early once it is over `cap`. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row[j] = value;
      best = Math.min(best, value);
    }
    if (best > cap) return cap + 1;
    prev = row;
  }
  return prev[b.length]!;
}

type WordMatch = 'exact' | 'typo' | undefined;

function wordMatch(asked: Token, known: Token): WordMatch {
  if (CAPITALS_ONLY.has(known.word) && known.capitals && !asked.capitals) return undefined;
  if (asked.word === known.word) return 'exact';
  if (/\d/.test(asked.word) || /\d/.test(known.word)) return undefined;
  // Typos seldom change the first letter; "foster" is not "roster".
  if (asked.word[0] !== known.word[0]) return undefined;
  if (known.word.length < MIN_TYPO_LENGTH) return undefined;
  // A four-letter word may have lost a letter ("erly"), but not be a shorter word ("care", "carer").
  if (asked.word.length < MIN_TYPO_LENGTH) {
    if (asked.word.length < MIN_TYPO_LENGTH - 1 || known.word.startsWith(asked.word)) return undefined;
  }
  const cap = Math.min(asked.word.length, known.word.length) >= 8 ? 2 : 1;
  return distance(asked.word, known.word, cap) <= cap ? 'typo' : undefined;
}

interface AliasWord extends Token {
  readonly optional: boolean;
}

/** An alias's words; words in brackets are optional. */
function aliasWords(alias: string): AliasWord[] {
  const out: AliasWord[] = [];
  for (const part of alias.split(/(\([^)]*\))/)) {
    const optional = part.startsWith('(');
    for (const t of tokens(optional ? part.slice(1, -1) : part)) out.push({ ...t, optional });
  }
  return out;
}

/** A class's title without its bracketed note: "Care leaver (after-care) record" → "Care leaver record". */
function titleWords(title: string): AliasWord[] {
  return tokens(title.replace(/\([^)]*\)/g, ' ')).map((t) => ({ ...t, optional: false }));
}

type Kind = 'exact' | 'typo';

interface Found {
  /** Index of the question word. */
  readonly at: number;
  readonly kind: Kind;
  readonly weak: boolean;
}

/**
 * The alias written together, in order, somewhere in the question (optional words may be left
 * out), taking as many of its words as possible.
 */
function together(asked: readonly Token[], alias: readonly AliasWord[]): Found[] | undefined {
  let best: Found[] | undefined;
  for (let start = 0; start < asked.length; start++) {
    const found: Found[] = [];
    let at = start;
    let ok = true;
    for (const word of alias) {
      const kind = at < asked.length ? wordMatch(asked[at]!, word) : undefined;
      if (kind) {
        found.push({ at, kind, weak: WEAK.has(word.word) });
        at += 1;
      } else if (!word.optional) {
        ok = false;
        break;
      }
    }
    if (!ok || !found.length) continue;
    const typos = (f: Found[]): number => f.filter((x) => x.kind === 'typo').length;
    if (!best || found.length > best.length || (found.length === best.length && typos(found) < typos(best)))
      best = found;
  }
  return best;
}

/**
 * Each word of the alias on a different word of the question, anywhere, or nothing when a
 * required word is missing. Two common words alone ("child ... care") are not enough.
 */
function scattered(asked: readonly Token[], alias: readonly AliasWord[]): Found[] | undefined {
  const found: Found[] = [];
  for (const word of alias) {
    let best: { at: number; kind: Kind } | undefined;
    asked.forEach((a, at) => {
      if (found.some((f) => f.at === at)) return;
      const kind = wordMatch(a, word);
      if (kind && (!best || (best.kind === 'typo' && kind === 'exact'))) best = { at, kind };
    });
    if (best) found.push({ ...best, weak: WEAK.has(word.word) });
    else if (!word.optional) return undefined;
  }
  const enough = found.some((f) => !f.weak) || found.length >= MIN_WEAK_WORDS_SCATTERED;
  return found.length && enough ? found : undefined;
}

/** What each question word an alias covers is worth; nothing when the alias does not match. */
function cover(asked: readonly Token[], alias: readonly AliasWord[]): { at: number; value: number }[] {
  const phrase = together(asked, alias);
  const found = phrase ?? scattered(asked, alias) ?? [];
  return found.map((f) => {
    const weight = phrase ? PHRASE_WEIGHT : f.weak ? SCATTERED_WEAK_WEIGHT : SCATTERED_WEIGHT;
    const lengthTieBreak = asked[f.at]!.word.length / 10;
    return { at: f.at, value: weight + lengthTieBreak - (f.kind === 'typo' ? TYPO_COST : 0) };
  });
}

export interface ClassMatch {
  recordClass: RecordClass;
  score: number;
}

function scoreClass(asked: readonly Token[], cls: RecordClass): number {
  const phrases = [
    ...cls.aliases.map(aliasWords),
    titleWords(cls.title),
    aliasWords(cls.id.replace(/-/g, ' ')),
  ];
  const best = new Map<number, number>();
  for (const words of phrases) {
    if (!words.length) continue;
    for (const { at, value } of cover(asked, words)) best.set(at, Math.max(best.get(at) ?? 0, value));
  }
  let score = 0;
  for (const value of best.values()) score += value;
  return score;
}

/**
 * The record classes in use a question is about, best first, each with a score. Two classes
 * within a point of each other are equally likely (the question is ambiguous).
 */
export function matchRecordClasses(schedule: Schedule, question: string): ClassMatch[] {
  const asked = tokens(question);
  if (!asked.length) return [];
  const matches: ClassMatch[] = [];
  // A replaced class is not an answer: records are given one of the classes that replace it.
  for (const recordClass of classesInUse(schedule)) {
    const score = Math.round(scoreClass(asked, recordClass) * 100) / 100;
    if (score > 0) matches.push({ recordClass, score });
  }
  return matches.sort((a, b) => b.score - a.score);
}
