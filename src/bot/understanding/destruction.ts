import type { IsoDate } from '../../rules/dates.js';
import { findPeriods, type Span } from './dates.js';

/**
 * What a message about destruction says: the date records must be due by, the kind of record,
 * and the file format of an export.
 */

/** "before", "prior to": the day before the period starts. */
const BEFORE =
  /\b(?:before|prior\s+to|earlier\s+than|ahead\s+of)\s+(?:the\s+)?(?:start\s+of\s+)?(?:the\s+)?$/i;
const RELATIVE =
  /\b(?:(this|next|current|coming)\s+(financial\s+year|week|month|quarter|year)|(?:the\s+)?end\s+of\s+(?:the\s+)?(financial\s+year|week|month|quarter|year))\b/gi;
const YEAR = /(?<![\w/-])((?:19|20)\d{2})(?![\w/-])/g;

type Unit = 'week' | 'month' | 'quarter' | 'year' | 'financial year';

interface Candidate {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly index: number;
  readonly length: number;
  /** "the end of March" is by the end of March, even after "before". */
  readonly endOf: boolean;
}

function isoOf(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

/** The period "this week", "next month", "this financial year"... counted from today. */
function periodOf(unit: Unit, next: boolean, today: IsoDate): { start: IsoDate; end: IsoDate } {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  switch (unit) {
    case 'week': {
      const monday = d - ((utc(y, m, d).getUTCDay() + 6) % 7) + (next ? 7 : 0);
      return { start: isoOf(utc(y, m, monday)), end: isoOf(utc(y, m, monday + 6)) };
    }
    case 'month': {
      const month = m + (next ? 1 : 0);
      return { start: isoOf(utc(y, month, 1)), end: isoOf(utc(y, month + 1, 0)) };
    }
    case 'quarter': {
      const first = Math.floor((m - 1) / 3) * 3 + 1 + (next ? 3 : 0);
      return { start: isoOf(utc(y, first, 1)), end: isoOf(utc(y, first + 3, 0)) };
    }
    case 'year':
      return { start: isoOf(utc(y + (next ? 1 : 0), 1, 1)), end: isoOf(utc(y + (next ? 1 : 0), 12, 31)) };
    case 'financial year': {
      // The UK public sector's year, 1 April to 31 March.
      const startYear = (m >= 4 ? y : y - 1) + (next ? 1 : 0);
      return { start: isoOf(utc(startYear, 4, 1)), end: isoOf(utc(startYear + 1, 3, 31)) };
    }
  }
}

function dayBefore(date: IsoDate): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return isoOf(utc(y, m, d - 1));
}

function unitOf(words: string): Unit {
  return words.toLowerCase().replace(/\s+/g, ' ') as Unit;
}

/** Relative periods, years, and dates or months, in the order written. */
function candidates(text: string, today: IsoDate, masks: readonly Span[]): Candidate[] {
  const found: Candidate[] = [];
  const spans: Span[] = [...masks];
  for (const m of text.matchAll(RELATIVE)) {
    const which = m[1]?.toLowerCase();
    const unit = unitOf(m[2] ?? m[3]!);
    found.push({
      ...periodOf(unit, which === 'next', today),
      index: m.index,
      length: m[0].length,
      endOf: !m[1],
    });
    spans.push({ index: m.index, length: m[0].length });
  }
  const periods = findPeriods(text, today, spans);
  for (const p of periods) {
    found.push({ ...p, endOf: /^end\s+of\b/i.test(text.slice(p.index, p.index + p.length)) });
  }
  const covered = (index: number): boolean =>
    [...spans, ...periods].some((s) => index >= s.index && index < s.index + s.length);
  for (const m of text.matchAll(YEAR)) {
    if (covered(m.index)) continue;
    const year = Number(m[1]);
    found.push({
      start: isoOf(utc(year, 1, 1)),
      end: isoOf(utc(year, 12, 31)),
      index: m.index,
      length: m[0].length,
      endOf: /\bend\s+of\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, m.index - 12), m.index)),
    });
  }
  return found.sort((a, b) => a.index - b.index);
}

/**
 * The last day a record's retention may end for it to count as due: "before 2024" is 31
 * December 2023 (the day before), "by 31 March" is 31 March (the next one), "this month" or "in
 * March" the month's last day, "next week" next Sunday, "this financial year" 31 March. The
 * first such date written counts.
 */
export function findDueBy(text: string, today: IsoDate, masks: readonly Span[] = []): IsoDate | undefined {
  const first = candidates(text, today, masks)[0];
  if (!first) return undefined;
  const before = !first.endOf && BEFORE.test(text.slice(Math.max(0, first.index - 30), first.index));
  return before ? dayBefore(first.start) : first.end;
}

/** Words of a destruction request that are not the kind of record. */
const NOT_CLASS_WORDS = new Set(
  `a an the all any every everything anything something what what's whats which who whose that
  this these those there here it its is are was were be been being has have had do does did
  can could would should will shall may might must need needs needed want wanted like
  i i'd i'm i've we we'd we're we've you me us my our your their them they
  show list give get got find see view check tell display search look lookup up down out off on at
  to by from into onto before until till since than then now today yet still just only
  also please thanks so and or but if when where how why
  due overdue destruction destructions destroy destroyed destroying destroys disposal dispose
  disposed shred shredding shredded delete deleting deleted review reviewed reviewing reviews
  retention retained period periods date dates end ended ending reached reach reaches passed past
  expired expiring eligible ready ripe time list lists report
  batch batches batched batching create creating make making start starting begin beginning
  new open opening raise raising set build prepare preparing propose put putting add adding
  group queue send run kick let's lets go going coming come up next last month months week weeks
  year years quarter financial
  records' files' don't can't won't isn't aren't hasn't haven't wasn't weren't doesn't didn't`
    .split(/\s+/)
    .filter(Boolean),
);
/** Words that join the words of a kind of record: "child in need", "looked after child". */
const CONNECTORS = new Set(['in', 'of', 'and', '&', 'after', 'with', 'under', 'for']);
/** Words that may end the kind of record but never start it: "adoption records". */
const GENERIC = new Set(
  'record records file files paperwork papers paper documents document docs notes case cases'.split(' '),
);

/**
 * The words naming a kind of record in a request about destruction ("records due for
 * destruction for adoption" gives "adoption"; "start a destruction batch for looked after child
 * records" gives "looked after child records"), with dates, references and the words of the
 * request itself taken out. Nothing when no kind of record is named. `masks` hide dates and
 * references.
 */
export function findDestructionClassQuery(
  text: string,
  today: IsoDate,
  masks: readonly Span[] = [],
): string | undefined {
  let plain = text;
  for (const c of candidates(text, today, masks)) {
    plain = `${plain.slice(0, c.index)}${' . '.padEnd(c.length, ' ')}${plain.slice(c.index + c.length)}`;
  }
  for (const { index, length } of masks) {
    plain = `${plain.slice(0, index)}${' . '.padEnd(length, ' ')}${plain.slice(index + length)}`;
  }
  const words = plain.split(/\s+|(?=[?!,;.:()])|(?<=[?!,;.:()])/).filter(Boolean);
  const runs: string[][] = [];
  let run: string[] = [];
  let pending: string[] = [];
  const close = (): void => {
    if (run.length) runs.push(run);
    run = [];
    pending = [];
  };
  for (const raw of words) {
    const word = raw.replace(/^["']+|["']+$/g, '');
    const lower = word.toLowerCase();
    // "that's", "we've": the word before the apostrophe decides.
    const bare = lower.replace(/'(?:s|d|m|ve|re|ll)$/, '');
    // "child in need": "need" names the kind of record after "in".
    const inNeed = lower === 'need' && run.length > 0 && pending.at(-1)?.toLowerCase() === 'in';
    if (CONNECTORS.has(lower)) {
      if (run.length) pending.push(word);
      continue;
    }
    if (
      !inNeed &&
      (!word || /^[?!,;.:()]+$/.test(word) || NOT_CLASS_WORDS.has(lower) || NOT_CLASS_WORDS.has(bare))
    ) {
      close();
      continue;
    }
    if (GENERIC.has(lower)) {
      if (run.length) {
        run.push(...pending, word);
        close();
      }
      continue;
    }
    run.push(...pending, word);
    pending = [];
  }
  close();
  const query = runs.map((r) => r.join(' ')).join(' ');
  return query || undefined;
}

/** The file format asked for: "csv", or "xlsx" for Excel, xlsx or a spreadsheet. */
export function findExportFormat(text: string): 'csv' | 'xlsx' | undefined {
  const m = /\b(?:(csv)|excel|xlsx|xls|spreadsheet|workbook)\b/i.exec(text);
  if (!m) return undefined;
  return m[1] ? 'csv' : 'xlsx';
}
