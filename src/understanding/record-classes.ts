import { Vocabulary } from './fuzzy.js';
import lexicon from './lexicon/record-classes.json' with { type: 'json' };
import type { Evidence, Found } from './types.js';
import { SYNONYMS, wordsOf, type Word } from './words.js';

/**
 * Record classes from what staff call them (lexicon/record-classes.json), typo-tolerant. A
 * longer, more specific term beats a shorter one it contains ("adoption ... fell through"
 * beats "adoption"); classes whose best terms score the same are all returned (the words fit
 * each equally).
 */

interface Slot {
  readonly word: string;
  /** "withdr*": any word beginning so. */
  readonly prefix: boolean;
  /** Up to `MAX_GAP` other words may come before this one. */
  readonly gapBefore: boolean;
  readonly capitalsOnly: boolean;
  readonly weight: number;
}

interface Term {
  readonly classId: string;
  readonly text: string;
  readonly slots: readonly Slot[];
}

interface TermMatch {
  readonly term: Term;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

export interface ClassMatch {
  readonly id: string;
  readonly score: number;
  readonly from: Evidence;
}

const MAX_GAP = 5;
/** A class counts from this score: one distinctive word, or two common ones (one may be misspelt). */
const MIN_SCORE = 1.5;
const WEAK = new Set(lexicon.weakWords);
const SMALL = new Set(
  'a an the in of on for and to with from at our my no not did didnt do was were is are'.split(' '),
);
const CAPITALS_ONLY = new Set(lexicon.capitalsOnly.map((w) => w.toLowerCase()));
/** Classes that narrow another: when both are named, the narrower is meant. */
const REFINES: Readonly<Record<string, readonly string[]>> = lexicon.refines;

export const CLASS_NAMES: ReadonlyMap<string, string> = new Map(lexicon.classes.map((c) => [c.id, c.name]));
export const CLASS_IDS: readonly string[] = lexicon.classes.map((c) => c.id);

function compile(): { terms: Term[]; vocabulary: Vocabulary; prefixes: string[] } {
  const terms: Term[] = [];
  const words = new Set<string>();
  const prefixes = new Set<string>();
  for (const cls of lexicon.classes) {
    for (const text of cls.terms) {
      const slots: Slot[] = [];
      let gap = false;
      for (const part of text.split(/\s+/)) {
        if (part === '..') {
          gap = true;
          continue;
        }
        const prefix = part.endsWith('*');
        const bare = prefix ? part.slice(0, -1) : part;
        const norm = prefix
          ? bare.toLowerCase().replace(/'/g, '')
          : (wordsOf(bare)[0]?.norm ?? bare.toLowerCase());
        const weight = WEAK.has(norm) || SMALL.has(norm) ? 1 : 2;
        slots.push({
          word: norm,
          prefix,
          gapBefore: gap,
          capitalsOnly: CAPITALS_ONLY.has(bare.toLowerCase()),
          weight,
        });
        if (prefix) prefixes.add(norm);
        else words.add(norm);
        gap = false;
      }
      terms.push({ classId: cls.id, text, slots });
    }
  }
  return { terms, vocabulary: new Vocabulary(words, NOT_TYPOS, 8, 4), prefixes: [...prefixes] };
}

/** Real words a typo check would otherwise take for lexicon words. */
const NOT_TYPOS = new Set(
  `secured missed missing adopt caring carers fosters offered offering office officer protect protected
  complain complains respect result resist reside resident residence start strata strategic advise advised
  advised rotas menus appeal appealed reason reasons`
    .split(/\s+/)
    .filter(Boolean),
);

const COMPILED = compile();
const BY_FIRST = new Map<string, Term[]>();
for (const term of COMPILED.terms) {
  const key = term.slots[0]!.prefix ? `*${term.slots[0]!.word}` : term.slots[0]!.word;
  BY_FIRST.set(key, [...(BY_FIRST.get(key) ?? []), term]);
}

interface Reading {
  /** The lexicon word this message word is, if any. */
  readonly word?: string;
  readonly typo: boolean;
}

/** Typos of words whose normal form is another word ("chidlrens" for "childrens", that is "child"). */
const SURFACE = new Vocabulary(Object.keys(SYNONYMS));

function readWord(w: Word): Reading {
  const exact = COMPILED.vocabulary.has(w.norm);
  if (exact) return { word: w.norm, typo: false };
  const fuzzy =
    COMPILED.vocabulary.lookup(w.norm) ?? COMPILED.vocabulary.lookup(w.raw.toLowerCase().replace(/'/g, ''));
  if (fuzzy) return { word: fuzzy, typo: true };
  const surface = SURFACE.lookup(w.raw.toLowerCase().replace(/'/g, ''));
  return surface ? { word: SYNONYMS[surface], typo: true } : { typo: false };
}

function slotMatches(slot: Slot, w: Word, r: Reading): { ok: boolean; typo: boolean } {
  if (slot.capitalsOnly && !w.capitals) return { ok: false, typo: false };
  if (slot.prefix)
    return { ok: w.norm.startsWith(slot.word) || w.raw.toLowerCase().startsWith(slot.word), typo: false };
  if (w.norm === slot.word) return { ok: true, typo: false };
  return r.word === slot.word ? { ok: true, typo: r.typo } : { ok: false, typo: false };
}

function matchTermAt(
  term: Term,
  words: readonly Word[],
  readings: readonly Reading[],
  at: number,
): TermMatch | undefined {
  let i = at;
  let score = 0;
  let typos = 0;
  for (let s = 0; s < term.slots.length; s++) {
    const slot = term.slots[s]!;
    const from = s === 0 ? at : i + 1;
    const to = s === 0 ? at : slot.gapBefore ? Math.min(words.length - 1, i + 1 + MAX_GAP) : i + 1;
    let found = -1;
    let typo = false;
    for (let j = from; j <= to && j < words.length; j++) {
      const m = slotMatches(slot, words[j]!, readings[j]!);
      if (m.ok) {
        found = j;
        typo = m.typo;
        break;
      }
    }
    if (found < 0) return undefined;
    i = found;
    score += slot.weight;
    if (typo) typos += 1;
  }
  return {
    term,
    start: words[at]!.start,
    end: words[i]!.end,
    score: score - 0.5 * typos + term.slots.length * 0.01,
  };
}

/** The terms of the lexicon found in `text`. */
function termMatches(words: readonly Word[]): TermMatch[] {
  const readings = words.map(readWord);
  const matches: TermMatch[] = [];
  words.forEach((w, at) => {
    const keys = new Set<string>();
    const r = readings[at]!;
    if (r.word) keys.add(r.word);
    keys.add(w.norm);
    for (const prefix of COMPILED.prefixes) if (w.norm.startsWith(prefix)) keys.add(`*${prefix}`);
    for (const key of keys) {
      for (const term of BY_FIRST.get(key) ?? []) {
        const m = matchTermAt(term, words, readings, at);
        if (m) matches.push(m);
      }
    }
  });
  return matches;
}

/**
 * A term whose words all lie within another class's term that scores at least as well and
 * spans more is dropped: the longer term is more specific ("LADO referral ... malicious" is
 * not just "LADO referral").
 */
function specific(matches: readonly TermMatch[]): TermMatch[] {
  return matches.filter(
    (m) =>
      !matches.some(
        (n) =>
          n !== m &&
          n.term.classId !== m.term.classId &&
          n.start <= m.start &&
          n.end >= m.end &&
          (n.score > m.score || (n.score === m.score && n.end - n.start > m.end - m.start)),
      ),
  );
}

const NEGATION = /^(?:never|not|no|didn'?t|wasn'?t|hasn'?t|haven'?t|isn'?t|without)$/i;

/** "the child never came into care": a term just after a negation does not count (unless it is about negation itself). */
function negated(m: TermMatch, words: readonly Word[]): boolean {
  const at = words.findIndex((w) => w.start === m.start);
  const before = words.slice(Math.max(0, at - 2), at);
  return (
    before.some((w) => NEGATION.test(w.raw)) &&
    !m.term.slots.some((s) => /^(?:no|not|never|didnt)$/.test(s.word))
  );
}

/** The record classes the text names, best first. Empty when it names none. */
export function findRecordClasses(text: string, words: readonly Word[] = wordsOf(text)): ClassMatch[] {
  const matches = specific(termMatches(words).filter((m) => !negated(m, words)));
  const byClass = new Map<string, TermMatch[]>();
  for (const m of matches) byClass.set(m.term.classId, [...(byClass.get(m.term.classId) ?? []), m]);
  const out: ClassMatch[] = [];
  for (const [id, list] of byClass) {
    list.sort((a, b) => b.score - a.score);
    const best = list[0]!;
    if (best.score < MIN_SCORE) continue;
    const others = new Set(
      list
        .slice(1)
        .filter((m) => m.end <= best.start || m.start >= best.end)
        .map((m) => m.start),
    );
    out.push({
      id,
      score: Math.round((best.score + 0.5 * others.size) * 100) / 100,
      from: { start: best.start, end: best.end, text: text.slice(best.start, best.end) },
    });
  }
  // A narrower class named beside the one it narrows is the one meant ("a LADO case found to be malicious").
  const named = new Set(out.map((c) => c.id));
  const broader = new Set(
    Object.entries(REFINES)
      .filter(([narrow]) => named.has(narrow))
      .flatMap(([, wide]) => wide),
  );
  return out
    .filter((c) => !broader.has(c.id))
    .sort((a, b) => b.score - a.score || CLASS_IDS.indexOf(a.id) - CLASS_IDS.indexOf(b.id));
}

/** The class entity: the best classes (all those that score as well as the best). */
export function recordClassEntity(matches: readonly ClassMatch[]): Found<readonly string[]> | undefined {
  const best = matches[0];
  if (!best) return undefined;
  const ties = matches.filter((m) => best.score - m.score < 0.05).map((m) => m.id);
  return { value: ties, from: best.from };
}
