import type { Found } from './types.js';

/**
 * References written in a message: case references (7 digits; 6 to 10 accepted), inventory
 * record ids (`LL-400109`), destruction batch references (`DB-2026-0003`) and hold references
 * (`LIT-2026-04`, `SAR/2026/44`). None of them is a date, and none is another.
 */

function found(value: string, start: number, text: string): Found<string> {
  return { value, from: { start, end: start + text.length, text } };
}

/** A number after "case", "case ref", "case no." or "#" is always a case reference. */
const MARKED_CASE =
  /(?:\bcase(?:\s+(?:ref(?:erence)?|no|number|id))?\.?\s*(?:[-:#]\s*)?|#\s?)(\d{6,10})(?!\d)/gi;
/** A bare number, unless it sits in a date, time, phone number, amount or decimal. */
const BARE_CASE = /(?<![\d/.\-:£$€,+]|\d{3}\s|\d{4,5}\s)(\d{6,10})(?![\d/\-%]|[.,:]\d|\s\d{3})/g;

function isCompactDate(digits: string): boolean {
  if (digits.length !== 8) return false;
  const valid = (y: number, m: number, d: number): boolean =>
    y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  const n = (from: number, to: number): number => Number(digits.slice(from, to));
  return valid(n(0, 4), n(4, 6), n(6, 8)) || valid(n(4, 8), n(2, 4), n(0, 2));
}

/** Case references in the order written, without repeats. */
export function findCaseRefs(text: string): Found<string>[] {
  const byStart = new Map<number, Found<string>>();
  for (const m of text.matchAll(MARKED_CASE)) {
    const value = m[1]!;
    const start = m.index + m[0].length - value.length;
    byStart.set(start, found(value, start, value));
  }
  for (const m of text.matchAll(BARE_CASE)) {
    const value = m[1]!;
    if (byStart.has(m.index) || isCompactDate(value)) continue;
    byStart.set(m.index, found(value, m.index, value));
  }
  return unique([...byStart.values()], (f) => f.value);
}

const BATCH_REF = /\bDB-?\d{4}-\d{1,6}(?![\w/-])/gi;
/** Not inside another reference ("LIT-CS-1" holds no record "CS-1"). */
const RECORD_ID = /(?<![\w/-])[A-Z]{1,4}-\d{1,10}(?![\w/-])/gi;
/** Letters that never start a record id: batch and hold prefixes. */
const NOT_RECORD_PREFIX =
  /^(?:DB|LIT|LITIG|SAR|DSAR|FOI|FOIA|EIR|INQ|CLM|CLAIM|HOLD|LH|REF|W|WC|S|REG|SECTION|AGE|Y|YR|NO|TEL|COVID)-/i;
const HOLD_SHAPE = new RegExp(
  [
    String.raw`\b(?:LIT|LITIG|SAR|DSAR|FOI|FOIA|EIR|INQ|CLM|CLAIM|HOLD|LH)[-/]\d{1,6}(?:[-/]\d{1,6})*(?![\w/-])`,
    String.raw`\b[A-Z]{2,6}[-/]\d{2,4}[-/]\d{1,6}(?:[-/]\d{1,6})*(?![\w/-])`,
  ].join('|'),
  'gi',
);
const MARKED_HOLD_REF =
  /(?<!\bcase\s{1,3})\b(?:ref(?:erence)?)\b(?:\s+(?:no|number)\b)?\.?\s*[:#]?\s*([A-Z]{2,}[A-Z0-9]*[/_.-][A-Z0-9/_.-]*\d|[A-Z0-9]+[/][A-Z0-9/]+)/gi;

function unique(list: Found<string>[], key: (f: Found<string>) => string): Found<string>[] {
  const seen = new Set<string>();
  return list
    .sort((a, b) => a.from!.start - b.from!.start)
    .filter((f) => (seen.has(key(f)) ? false : (seen.add(key(f)), true)));
}

/** Destruction batch references, in capitals ("db-2026-3" is "DB-2026-3"). */
export function findBatchRefs(text: string): Found<string>[] {
  return unique(
    [...text.matchAll(BATCH_REF)].map((m) =>
      found(m[0].toUpperCase().replace(/^DB(?=\d)/, 'DB-'), m.index, m[0]),
    ),
    (f) => f.value,
  );
}

/** Inventory record ids (letters, a hyphen, digits), in capitals. */
export function findRecordIds(text: string): Found<string>[] {
  return unique(
    [...text.matchAll(RECORD_ID)]
      .filter(
        (m) =>
          !NOT_RECORD_PREFIX.test(m[0]) &&
          ((/[A-Z]/.test(m[0][0]!) && hasCapitals(m[0])) || /^(?:ll|pf)-\d{5,}$/i.test(m[0])),
      )
      .map((m) => found(m[0].toUpperCase(), m.index, m[0])),
    (f) => f.value,
  );
}

/** "ll-400109" counts only when written after "record"; "LL-400109" always. */
function hasCapitals(id: string): boolean {
  return /^[A-Z]+-/.test(id) || /^(?:ll|pf)-/i.test(id);
}

/** Hold references as written: one shaped like a hold reference, or one after "ref"/"reference". */
export function findHoldReferences(text: string): Found<string>[] {
  const list: Found<string>[] = [];
  for (const m of text.matchAll(HOLD_SHAPE)) {
    if (/^DB-/i.test(m[0])) continue;
    list.push(found(m[0].toUpperCase(), m.index, m[0]));
  }
  for (const m of text.matchAll(MARKED_HOLD_REF)) {
    const value = m[1]!.replace(/[./_-]+$/, '');
    const start = m.index + m[0].length - m[1]!.length;
    if (/^DB-/i.test(value) || /^\d{6,10}$/.test(value) || /^(?:LL|PF)-\d+$/i.test(value)) continue;
    if (list.some((f) => f.from!.start <= start && start < f.from!.end)) continue;
    list.push(found(value.toUpperCase(), start, value));
  }
  return unique(list, (f) => f.value);
}
