/** A case reference found in a message, and where it was written. */
export interface CaseRefMatch {
  readonly value: string;
  readonly index: number;
  readonly length: number;
}

/**
 * Case references are 7-digit numbers; 6 to 10 digits are accepted. A number written straight
 * after "case", "case ref", "case no." or "#" is always a case reference. A bare number is one
 * unless it sits inside a date, a time, a phone number, an amount or a decimal, or (8 digits)
 * reads as a compact date such as 20261203 or 03122026.
 */
const MARKED = /(?:\bcase(?:\s+(?:ref(?:erence)?|no|number|id))?\.?\s*(?:[-:#]\s*)?|#\s?)(\d{6,10})(?!\d)/gi;
const BARE = /(?<![\d/.\-:£$€,+]|\d{3}\s)(\d{6,10})(?![\d/\-:%]|[.,]\d|\s\d{3})/g;

function isCompactDate(digits: string): boolean {
  if (digits.length !== 8) return false;
  const validDate = (y: number, m: number, d: number): boolean => {
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
    return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  };
  const n = (from: number, to: number): number => Number(digits.slice(from, to));
  return validDate(n(0, 4), n(4, 6), n(6, 8)) || validDate(n(4, 8), n(2, 4), n(0, 2));
}

/** Every case reference in the text, in the order written, without repeats. */
export function findCaseRefs(text: string): CaseRefMatch[] {
  const found = new Map<number, CaseRefMatch>();
  for (const m of text.matchAll(MARKED)) {
    const value = m[1]!;
    const index = m.index + m[0].length - value.length;
    found.set(index, { value, index, length: value.length });
  }
  for (const m of text.matchAll(BARE)) {
    const value = m[1]!;
    if (found.has(m.index) || isCompactDate(value)) continue;
    found.set(m.index, { value, index: m.index, length: value.length });
  }
  const seen = new Set<string>();
  return [...found.values()]
    .sort((a, b) => a.index - b.index)
    .filter((m) => (seen.has(m.value) ? false : (seen.add(m.value), true)));
}
