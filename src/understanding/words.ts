/**
 * Words of a message with where they were written, in a normal form for matching: lower case,
 * apostrophes dropped ("children's" → "childrens" → "child"), plurals made singular, and the
 * ways of writing a section or regulation joined ("section 47", "s.47", "s 47" → "s47";
 * "reg 24" → "reg24"; "16+" → "16plus"; "C&A" → "c&a"; "family & friends" → "family and friends").
 */

export interface Word {
  /** As written. */
  readonly raw: string;
  /** Lower case, apostrophes dropped, singular. */
  readonly norm: string;
  /** Written in capitals ("LAC", "CPs"). */
  readonly capitals: boolean;
  readonly start: number;
  readonly end: number;
}

/** Words read as another: "children's" is "child". */
export const SYNONYMS: Readonly<Record<string, string>> = {
  children: 'child',
  childrens: 'child',
  childs: 'child',
  kid: 'child',
  kids: 'child',
  people: 'person',
  persons: 'person',
  peoples: 'person',
  adopters: 'adopter',
  carers: 'carer',
  cannot: 'cant',
};

/** Words that end in "s" in the singular. */
const KEEP_S = /(?:ss|us|is|ous|ics|ys)$/;

export function singular(word: string): string {
  const synonym = SYNONYMS[word];
  if (synonym) return synonym;
  if (/\d/.test(word) || word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ches') || word.endsWith('shes') || word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('s') && !KEEP_S.test(word)) return word.slice(0, -1);
  return word;
}

/** The normal form of one word as written. */
export function normalWord(raw: string): string {
  return singular(raw.toLowerCase().replace(/['’]/g, ''));
}

const TOKEN = /[A-Za-z]&[A-Za-z]\b|(?<=\s)&(?=\s)|\d+\+|[A-Za-z0-9]+(?:['’][A-Za-z]+)*/g;
const JOINABLE = /^(?:s|sec|sect|section|reg|regs|regulation)$/i;

/** The words of `text`, in order. */
export function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    const start = m.index;
    const end = start + raw.length;
    let norm: string;
    if (raw === '&') norm = 'and';
    else if (raw.includes('&')) norm = raw.toLowerCase();
    else if (raw.endsWith('+')) norm = `${raw.slice(0, -1)}plus`;
    else norm = normalWord(raw);
    const capitals = /^[A-Z0-9&]+s?$/.test(raw) && /[A-Z]{2}/.test(raw);
    const previous = out[out.length - 1];
    // "section 47", "s.47", "reg 24": one word.
    if (previous && /^\d{1,3}$/.test(raw) && JOINABLE.test(previous.raw) && start - previous.end <= 2) {
      const prefix = /^reg/i.test(previous.raw) ? 'reg' : 's';
      out[out.length - 1] = {
        raw: text.slice(previous.start, end),
        norm: `${prefix}${raw}`,
        capitals: false,
        start: previous.start,
        end,
      };
      continue;
    }
    // "16 plus"
    if (previous && /^plus$/i.test(raw) && /^\d+$/.test(previous.raw)) {
      out[out.length - 1] = {
        ...previous,
        raw: text.slice(previous.start, end),
        norm: `${previous.raw}plus`,
        end,
      };
      continue;
    }
    out.push({ raw, norm, capitals, start, end });
  }
  return out;
}
