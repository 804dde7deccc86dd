import { distance } from 'fastest-levenshtein';

/** Two letters side by side typed the wrong way round ("speical", "adoptoin"): one typo, not two edits. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** `short` is `long` with one letter left out ("erly" for "early"). */
function droppedLetter(short: string, long: string): boolean {
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}

/**
 * Typo-tolerant lookup of a word in a vocabulary: exact, or (for words of five letters or
 * more) one edit away, two from eight letters, with the first letter right — typos seldom change
 * it, and "foster" is not "roster". A word that is a known word in its own right is never
 * taken for another.
 */
export class Vocabulary {
  private readonly words: ReadonlySet<string>;
  private readonly byFirst = new Map<string, string[]>();
  private readonly cache = new Map<string, string | null>();

  constructor(
    words: Iterable<string>,
    /** Real words that look like typos of vocabulary words ("remote" is not "remove"). */
    private readonly notTypos: ReadonlySet<string> = new Set(),
    /** Words at least this long may have two edits (shorter ones one). */
    private readonly twoEditsFrom = 8,
    /** Shorter words are never typos (four: a four-letter word may have dropped a letter). */
    private readonly shortest = 5,
  ) {
    this.words = new Set(words);
    for (const word of this.words) {
      const list = this.byFirst.get(word[0]!) ?? [];
      list.push(word);
      this.byFirst.set(word[0]!, list);
    }
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /** The vocabulary word `word` stands for (itself when exact), or undefined. */
  lookup(word: string): string | undefined {
    if (this.words.has(word)) return word;
    if (word.length < this.shortest || this.notTypos.has(word) || /\d/.test(word)) return undefined;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached ?? undefined;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of this.byFirst.get(word[0]!) ?? []) {
      if (candidate.length < 5 || Math.abs(candidate.length - word.length) > 2) continue;
      // A four-letter word is read as a longer one only when a letter was left out ("erly").
      if (word.length < 5 && (candidate.length !== word.length + 1 || !droppedLetter(word, candidate)))
        continue;
      const cap = Math.min(candidate.length, word.length) >= this.twoEditsFrom ? 2 : 1;
      const d = swapped(word, candidate) ? 1 : distance(word, candidate);
      // Equally near: a letter left out is a commoner slip than one added ("returnd" is "returned").
      if (d <= cap && (d < bestDistance || (d === bestDistance && candidate.length > best!.length))) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(word, best ?? null);
    return best;
  }
}
