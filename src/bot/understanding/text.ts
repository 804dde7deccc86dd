/** The longest message that is read; anything after it is ignored. */
export const MAX_INPUT_LENGTH = 1000;

/** Work on at most this much raw markup, so that stripping it stays cheap for huge payloads. */
const MAX_RAW_LENGTH = 20 * MAX_INPUT_LENGTH;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, name: string) => {
    const known = ENTITIES[name.toLowerCase()];
    if (known !== undefined) return known;
    const code = name.startsWith('#x') || name.startsWith('#X') ? parseInt(name.slice(2), 16) : NaN;
    const value = name.startsWith('#') && Number.isNaN(code) ? parseInt(name.slice(1), 10) : code;
    return Number.isInteger(value) && value > 31 && value < 0x110000 ? String.fromCodePoint(value) : whole;
  });
}

/**
 * Plain text from a Teams message: the mention of the bot (an `<at>…</at>` at the start or end)
 * is dropped, other mentions keep their text (so "cancel <at>Sam Jones</at>'s authorisation"
 * still names Sam), HTML tags and entities are removed, typographic quotes become plain ones,
 * whitespace is collapsed, and the result is cut to `MAX_INPUT_LENGTH` characters.
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
    .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201f\u2033]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200d\ufeff]/g, ' ')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
  if (text.length <= MAX_INPUT_LENGTH) return text;
  const cut = text.slice(0, MAX_INPUT_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace > MAX_INPUT_LENGTH / 2 ? cut.slice(0, lastSpace) : cut).trim();
}
