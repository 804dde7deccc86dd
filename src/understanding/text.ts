/** The longest message that is read; anything after it is ignored. */
export const MAX_INPUT_LENGTH = 1000;

/** Work on at most this much raw markup, so that stripping it stays cheap for huge payloads. */
const MAX_RAW_LENGTH = 20 * MAX_INPUT_LENGTH;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, name: string) => {
    const known = NAMED_ENTITIES[name.toLowerCase()];
    if (known !== undefined) return known;
    if (!name.startsWith('#')) return whole;
    const hex = name[1] === 'x' || name[1] === 'X';
    const value = parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
    return Number.isInteger(value) && value > 31 && value < 0x110000 ? String.fromCodePoint(value) : whole;
  });
}

/**
 * Plain text from a Teams message: a mention of the bot at the start or end is dropped, other
 * mentions keep their text ("cancel <at>Sam Jones</at>'s authorisation" still names Sam), tags
 * and entities are removed, typographic quotes and dashes become plain ones, whitespace is
 * collapsed, and the result is cut to `MAX_INPUT_LENGTH` characters.
 */
export function cleanText(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  let text = raw.slice(0, MAX_RAW_LENGTH);
  text = text.replace(/^\s*(?:<at\b[^>]*>[^<]*<\/at>\s*)+/i, ' ');
  text = text.replace(/(?:\s*<at\b[^>]*>[^<]*<\/at>)+\s*$/i, ' ');
  text = text.replace(/<at\b[^>]*>([^<]*)<\/at>/gi, '$1');
  text = text.replace(/<(?:br|\/p|\/div|\/li)\b[^>]*>/gi, ' \n ');
  text = text.replace(/<[^>]{0,500}>/g, ' ');
  text = decodeEntities(text);
  text = text
    .replace(/[\u2018\u2019\u201b\u2032`]/g, "'")
    .replace(/[\u201c\u201d\u201f\u2033]/g, '"')
    .replace(/[\u2013\u2014\u2212]/g, '-')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200d\ufeff]/g, ' ')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n\s*/g, '\n')
    .trim();
  if (text.length <= MAX_INPUT_LENGTH) return text;
  const cut = text.slice(0, MAX_INPUT_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace > MAX_INPUT_LENGTH / 2 ? cut.slice(0, lastSpace) : cut).trim();
}

/** Lower case with the same length and offsets as `text` (a character whose lower case is longer stays as it is). */
export function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/** A stretch of the message. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** `text` with the spans replaced by spaces (same length). */
export function blank(text: string, spans: readonly Span[]): string {
  if (!spans.length) return text;
  const chars = text.split('');
  for (const { start, end } of spans) for (let i = start; i < end && i < chars.length; i++) chars[i] = ' ';
  return chars.join('');
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
