/**
 * References that the Records Management Service uses, found in a message: inventory record ids
 * (`LL-400109`), destruction batch references (`DB-2026-0001`) and hold references
 * (`LIT-2026-01`, `INQ-12`, `SAR/2026/44`). None of them is ever a case reference or a date.
 */

/** A reference found in a message, and where it was written. */
export interface ReferenceMatch {
  readonly value: string;
  readonly index: number;
  readonly length: number;
}

/** Inventory record ids: Livelink (`LL-`) and paper file (`PF-`) ids. */
const RECORD_ID = /\b(?:LL|PF)-\d{1,10}(?![\w/-])/gi;
/** Any letters-hyphen-digits id written straight after "record" ("record H-2", "record id: AB-12"). */
const MARKED_RECORD_ID =
  /\brecords?\s*(?:(?:id|no|number|ref(?:erence)?)\.?\s*)?[:#]?\s*([A-Z]{1,4}-\d{1,10})(?![\w/-])/gi;
const BATCH_REF = /\bDB-\d{4}-\d{1,6}(?![\w/-])/gi;
/** Letters that start references which are never hold references. */
const NOT_HOLD_PREFIX = /^(?:LL|PF|DB)-/i;
/** Hold references by their shape: a known hold prefix, or letters then two or more numbers. */
const HOLD_SHAPE = new RegExp(
  [
    String.raw`\b(?:LIT|LITIG|SAR|DSAR|FOI|FOIA|EIR|INQ|CLM|CLAIM|HOLD|LH)[-/]\d{1,6}(?:[-/]\d{1,6})*(?![\w/-])`,
    String.raw`\b[A-Z]{2,6}[-/]\d{2,4}[-/]\d{1,6}(?:[-/]\d{1,6})*(?![\w/-])`,
  ].join('|'),
  'gi',
);
/** A reference after "ref" or "reference" (but "case ref 1234567" is a case). */
const MARKED_HOLD_REF =
  /(?<!\bcase\s{1,3})\b(?:our\s+)?(?:ref(?:erence)?)\b(?:\s+(?:no|number)\b)?\.?\s*[:#]?\s*([A-Z0-9][A-Z0-9/_.-]*)/gi;

function collect(found: Map<number, ReferenceMatch>, index: number, value: string): void {
  if (!found.has(index)) found.set(index, { value, index, length: value.length });
}

function sorted(found: Map<number, ReferenceMatch>): ReferenceMatch[] {
  const seen = new Set<string>();
  return [...found.values()]
    .sort((a, b) => a.index - b.index)
    .filter((m) => {
      const key = m.value.toUpperCase();
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

/** Inventory record ids, in capitals, in the order written. */
export function findRecordIds(text: string): ReferenceMatch[] {
  const found = new Map<number, ReferenceMatch>();
  for (const m of text.matchAll(RECORD_ID)) collect(found, m.index, m[0].toUpperCase());
  for (const m of text.matchAll(MARKED_RECORD_ID)) {
    const value = m[1]!;
    if (/^DB-/i.test(value)) continue;
    collect(found, m.index + m[0].length - value.length, value.toUpperCase());
  }
  return sorted(found);
}

/** Destruction batch references (`DB-2026-0001`), in capitals. */
export function findBatchRefs(text: string): ReferenceMatch[] {
  const found = new Map<number, ReferenceMatch>();
  for (const m of text.matchAll(BATCH_REF)) collect(found, m.index, m[0].toUpperCase());
  return sorted(found);
}

/**
 * Hold references, as written: one after "ref"/"reference" ("reference INQ-12", "ref: 2026/7"),
 * or one shaped like a hold reference ("LIT-2026-01", "SAR/2026/44"). Record ids, batch
 * references and case references (all digits) are not hold references.
 */
export function findHoldReferences(text: string): ReferenceMatch[] {
  const found = new Map<number, ReferenceMatch>();
  for (const m of text.matchAll(MARKED_HOLD_REF)) {
    const value = m[1]!.replace(/[./_-]+$/, '');
    if (!/\d/.test(value) || /^\d{6,10}$/.test(value) || NOT_HOLD_PREFIX.test(value)) continue;
    collect(found, m.index + m[0].length - m[1]!.length, value);
  }
  for (const m of text.matchAll(HOLD_SHAPE)) {
    if (NOT_HOLD_PREFIX.test(m[0])) continue;
    const inside = [...found.values()].some((f) => m.index >= f.index && m.index < f.index + f.length);
    if (!inside) collect(found, m.index, m[0]);
  }
  return sorted(found);
}

/** Where every record id, batch reference and hold reference is written. */
export function findReferenceSpans(text: string): ReferenceMatch[] {
  return [...findRecordIds(text), ...findBatchRefs(text), ...findHoldReferences(text)].sort(
    (a, b) => a.index - b.index,
  );
}
