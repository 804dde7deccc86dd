import { formatDate } from '../rules/dates.js';
import type { Api } from './api.js';
import type { ScheduleResponse } from './api-types.js';
import { h, uid, type Child } from './dom.js';

// What the Records Management view's sections share: the page's API and the schedule, a way to
// draw another section again after an action changed what it shows, and the section, table and
// pager every one of them uses.

export type RmsSection = 'due' | 'review' | 'batches' | 'holds' | 'register';

/** The Records Management view: its sections draw themselves, and again when asked. */
export class Rms {
  private readonly redraws = new Map<RmsSection, () => void>();

  constructor(
    readonly api: Api,
    readonly today: string,
    readonly schedule: ScheduleResponse | null,
  ) {}

  /** `redraw` draws `section` again from the server. */
  on(section: RmsSection, redraw: () => void): void {
    this.redraws.set(section, redraw);
  }

  /** Draws the sections named again, so every list and count follows an action. */
  refresh(...sections: RmsSection[]): void {
    for (const s of sections) this.redraws.get(s)?.();
  }

  /** The record classes by name, for a choice ("" first, for every class, when `every` is given). */
  classOptions(every?: string): HTMLOptionElement[] {
    const classes = (this.schedule?.classes ?? []).slice().sort((a, b) => a.title.localeCompare(b.title));
    return [
      ...(every ? [h('option', { value: '' }, every)] : []),
      ...classes.map((c) => h('option', { value: c.id }, c.title)),
    ];
  }
}

/** An instant's date, as people read it ('' for none). */
export function when(iso: string | null): string {
  return iso ? formatDate(iso.slice(0, 10)) : '';
}

/** The last day of the month `monthsAhead` after the month of `date`. */
export function lastDayOfMonth(date: string, monthsAhead: number): string {
  const [y, m] = date.split('-').map(Number);
  const d = new Date(Date.UTC(y ?? 1970, (m ?? 1) + monthsAhead, 0));
  return d.toISOString().slice(0, 10);
}

/** A titled section of the view; its body is drawn (and drawn again) by the section. */
export function section(title: string, ...children: Child[]): { el: HTMLElement; body: HTMLElement } {
  const id = uid('rms');
  const body = h('div', { class: 'section-body' });
  const el = h(
    'section',
    { class: 'group', 'aria-labelledby': id },
    h('h2', { id }, title),
    ...children,
    body,
  );
  return { el, body };
}

/** A data table with a caption; the first cell of each row heads it. */
export function table(
  caption: string,
  headers: string[],
  rows: Child[][],
  numeric: number[] = [],
): HTMLTableElement {
  return h(
    'table',
    { class: 'data' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((t, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((c, i) =>
            i === 0
              ? h('th', { scope: 'row' }, c)
              : h('td', { class: numeric.includes(i) ? 'num' : null }, c),
          ),
        ),
      ),
    ),
  );
}

export function pager(
  page: number,
  pages: number,
  go: (page: number) => void,
  what: string,
): HTMLElement | null {
  if (pages <= 1) return null;
  const prev = h('button', { type: 'button', class: 'btn secondary' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'btn secondary' }, 'Next page');
  prev.disabled = page <= 1;
  next.disabled = page >= pages;
  prev.addEventListener('click', () => go(page - 1));
  next.addEventListener('click', () => go(page + 1));
  return h(
    'nav',
    { class: 'pager', 'aria-label': `${what} pages` },
    prev,
    h('span', {}, `Page ${page} of ${pages}`),
    next,
  );
}

/** A failed load's sentence, in place of what would have been shown. */
export function loadFailed(error: string): HTMLElement {
  return h('p', { class: 'notice error', role: 'alert' }, error);
}
