import { formatDate } from '../rules/index.js';

// The summary that leads the Records Management cards: a line for each record class, its name on
// a line of its own (wrapped, never squeezed beside a figure), the months its records' retention
// ended, and how many there are. Short cards: at most a few classes are named, the rest counted.

/** A count of records of one class whose retention ended in one month (`YYYY-MM`). */
export interface ClassMonthCount {
  classId: string;
  classTitle: string;
  month: string;
  count: number;
  /** Of them, how many fail a check (a batch and its preview). */
  blocked?: number;
}

export interface ClassRow {
  title: string;
  months: string;
  countText: string;
}

/** Classes named on a card; more are counted in one line. */
const MAX_CLASSES = 8;

export const n = (x: number): string => x.toLocaleString('en-GB');

/** "March 1973" for `1973-03`. */
export function monthLabel(month: string): string {
  return month ? formatDate(`${month}-01`).replace(/^1 /, '') : 'date unknown';
}

function monthsLine(months: string[], verb: string): string {
  const sorted = [...new Set(months)].sort();
  if (sorted.length > 3)
    return `${verb} between ${monthLabel(sorted[0]!)} and ${monthLabel(sorted.at(-1)!)} (${sorted.length} months)`;
  const labels = sorted.map(monthLabel);
  return `${verb} ${labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)!}` : labels[0]!}`;
}

/**
 * The summary rows by class, most records first: each class's name, the months its records'
 * retention ended, and the count (with how many are blocked, when asked); and a line counting
 * the classes not named.
 */
export function classRows(
  groups: readonly ClassMonthCount[],
  verb = 'Retention ended',
): { classes: ClassRow[]; moreClasses: string } {
  const byClass = new Map<string, { title: string; months: string[]; count: number; blocked: number }>();
  for (const g of groups) {
    const entry = byClass.get(g.classId) ?? { title: g.classTitle, months: [], count: 0, blocked: 0 };
    entry.months.push(g.month);
    entry.count += g.count;
    entry.blocked += g.blocked ?? 0;
    byClass.set(g.classId, entry);
  }
  const all = [...byClass.values()].sort((a, b) => b.count - a.count || a.title.localeCompare(b.title));
  const shown = all.slice(0, MAX_CLASSES);
  const rest = all.slice(MAX_CLASSES);
  const others = rest.reduce((sum, c) => sum + c.count, 0);
  return {
    classes: shown.map((c) => ({
      title: c.title,
      months: monthsLine(c.months, verb),
      countText: c.blocked ? `${n(c.count)} (${n(c.blocked)} blocked)` : n(c.count),
    })),
    moreClasses: rest.length ? `And ${n(rest.length)} more classes: ${n(others)} record(s).` : '',
  };
}

/** How many pages of `size` a list of `total` takes (at least one). */
export function pagesOf(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}
