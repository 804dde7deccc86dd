import { formatDate } from '../rules/dates.js';
import type { Api } from './api.js';
import type {
  BatchesResponse,
  DueResponse,
  ExportLinkResponse,
  HoldsResponse,
  RegisterResponse,
  ScheduleResponse,
} from './api-types.js';
import { barChart, barTable, monthBars, monthLabel } from './chart.js';
import { announce, fill, h, plural, uid, type Child } from './dom.js';
import { subjectAccessSection } from './subject-access.js';
import type { View } from './views.js';

let scheduleCache: Promise<ScheduleResponse | null> | null = null;

/** The retention schedule in force, fetched once per page. */
export function loadSchedule(api: Api): Promise<ScheduleResponse | null> {
  scheduleCache ??= api.get<ScheduleResponse>('/api/tab/retention/schedule').then((r) => {
    if (!r.ok) scheduleCache = null;
    return r.ok ? r.data : null;
  });
  return scheduleCache;
}

function lastDayOfMonth(date: string, monthsAhead: number): string {
  const [y, m] = date.split('-').map(Number);
  const d = new Date(Date.UTC(y ?? 1970, (m ?? 1) + monthsAhead, 0));
  return d.toISOString().slice(0, 10);
}

function when(iso: string | null): string {
  return iso ? formatDate(iso.slice(0, 10)) : '';
}

function section(title: string, ...children: Child[]): { el: HTMLElement; body: HTMLElement } {
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

function table(
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

function pager(page: number, pages: number, go: (page: number) => void, what: string): HTMLElement | null {
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

async function drawDue(
  body: HTMLElement,
  api: Api,
  dueBy: string,
  classId: string,
  page = 1,
  say = true,
): Promise<void> {
  body.setAttribute('aria-busy', 'true');
  const params = new URLSearchParams({ dueBy, page: String(page) });
  if (classId) params.set('classId', classId);
  const result = await api.get<DueResponse>(`/api/tab/rms/due?${params.toString()}`);
  body.removeAttribute('aria-busy');
  if (!result.ok) {
    fill(body, h('p', { class: 'notice error', role: 'alert' }, result.error));
    return;
  }
  const due = result.data;
  const headline = `${plural(due.total, 'record')} ${due.total === 1 ? 'is' : 'are'} due for destruction or review by ${formatDate(due.dueBy)}.`;
  if (say) announce(headline);
  if (!due.total) {
    fill(body, h('p', { class: 'summary', 'data-testid': 'due-summary' }, headline));
    return;
  }
  const byMonth = new Map<string, number>();
  const byClass = new Map<
    string,
    { title: string; total: number; months: { month: string; count: number }[] }
  >();
  for (const g of due.groups) {
    byMonth.set(g.month, (byMonth.get(g.month) ?? 0) + g.count);
    const entry = byClass.get(g.classId) ?? { title: g.classTitle, total: 0, months: [] };
    entry.total += g.count;
    entry.months.push({ month: g.month, count: g.count });
    byClass.set(g.classId, entry);
  }
  const bars = monthBars(
    [...byMonth].map(([month, count]) => ({ month, count })),
    due.dueBy,
  );
  const earlier = bars[0]!;
  const chartSummary = `${headline} ${earlier.longLabel}: ${earlier.value}. ${bars
    .slice(1)
    .filter((b) => b.value)
    .map((b) => `${b.longLabel}: ${b.value}`)
    .join('. ')}`;
  const classes = [...byClass.entries()].sort((a, b) => b[1].total - a[1].total);
  fill(
    body,
    h('p', { class: 'summary', 'data-testid': 'due-summary' }, headline),
    h(
      'figure',
      { class: 'chart-figure' },
      barChart('Records due, by the month their retention ended', chartSummary, bars),
      h(
        'figcaption',
        {},
        'Records due, by the month their retention ended (the figures are in the table below).',
      ),
    ),
    h(
      'div',
      { class: 'tables' },
      table(
        'Due by record class',
        ['Record class', 'Records', 'Months retention ended'],
        classes.map(([, c]) => [
          c.title,
          String(c.total),
          c.months.map((m) => `${monthLabel(m.month, 'long')} (${m.count})`).join(', '),
        ]),
        [1],
      ),
      barTable('Due by month', bars, 'Records'),
    ),
    table(
      `Records due (page ${due.page} of ${due.pages})`,
      ['Record', 'Case', 'Class', 'Retention ended', 'Flags'],
      due.records.map((r) => [
        `${r.title} (${r.recordId})`,
        r.caseRef,
        r.classTitle,
        formatDate(r.retentionEndsOn),
        [r.held ? 'On hold' : '', r.out ? 'Out of the office' : ''].filter(Boolean).join(', ') || '—',
      ]),
    ),
    pager(due.page, due.pages, (p) => void drawDue(body, api, dueBy, classId, p), 'Records due'),
  );
}

async function dueSection(api: Api, today: string): Promise<HTMLElement> {
  const horizonId = uid('horizon');
  const classSelectId = uid('class');
  const horizons: [string, string][] = [
    ['Today', today],
    ['End of this month', lastDayOfMonth(today, 0)],
    ['End of next month', lastDayOfMonth(today, 1)],
    ['Within 3 months', lastDayOfMonth(today, 3)],
    ['Within 12 months', lastDayOfMonth(today, 12)],
  ];
  const horizon = h(
    'select',
    { id: horizonId, name: 'dueBy' },
    horizons.map(([label, date]) => h('option', { value: date }, `${label} (${formatDate(date)})`)),
  );
  const schedule = await loadSchedule(api);
  const classSelect = h(
    'select',
    { id: classSelectId, name: 'classId' },
    h('option', { value: '' }, 'All record classes'),
    (schedule?.classes ?? [])
      .slice()
      .sort((a, b) => a.title.localeCompare(b.title))
      .map((c) => h('option', { value: c.id }, c.title)),
  );
  const form = h(
    'form',
    { class: 'filters' },
    h('div', { class: 'field' }, h('label', { for: horizonId }, 'Due by'), horizon),
    h('div', { class: 'field' }, h('label', { for: classSelectId }, 'Record class'), classSelect),
    h('button', { type: 'submit', class: 'btn primary' }, 'Show'),
  );
  const { el, body } = section('Due for destruction', form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void drawDue(body, api, horizon.value, classSelect.value);
  });
  await drawDue(body, api, today, '', 1, false);
  return el;
}

async function holdsSection(api: Api): Promise<HTMLElement> {
  const { el, body } = section('Holds in force');
  const result = await api.get<HoldsResponse>('/api/tab/rms/holds?status=active');
  if (!result.ok) {
    fill(body, h('p', { class: 'notice error', role: 'alert' }, result.error));
    return el;
  }
  const holds = result.data.holds;
  fill(
    body,
    holds.length
      ? table(
          `${plural(holds.length, 'hold')} in force: held records cannot be destroyed`,
          ['Case', 'Record', 'Type', 'Reference', 'Reason', 'Placed', 'Respond by'],
          holds.map((x) => [
            x.caseRef,
            x.recordId ?? 'Whole case',
            x.typeLabel,
            x.reference,
            x.reason,
            `${when(x.placedAt)} by ${x.placedBy}`,
            x.sar ? formatDate(x.sar.extended ? x.sar.extendedRespondBy : x.sar.respondBy) : '—',
          ]),
        )
      : h('p', { class: 'empty' }, 'No holds are in force.'),
  );
  return el;
}

async function batchesSection(api: Api): Promise<HTMLElement> {
  const { el, body } = section('Destruction batches');
  const result = await api.get<BatchesResponse>('/api/tab/rms/batches');
  if (!result.ok) {
    fill(body, h('p', { class: 'notice error', role: 'alert' }, result.error));
    return el;
  }
  const batches = result.data.batches;
  fill(
    body,
    batches.length
      ? table(
          'Destruction batches, newest first',
          ['Batch', 'Status', 'Records', 'Passing checks', 'Blocked', 'Destroyed', 'Created', 'Confirmed'],
          batches.map((b) => [
            b.reference,
            b.statusLabel,
            String(b.counts.records),
            String(b.counts.passing),
            String(b.counts.blocked),
            String(b.counts.destroyed),
            `${when(b.createdAt)} by ${b.createdBy.name}`,
            b.confirmedBy ? `${when(b.confirmedAt)} by ${b.confirmedBy.name}` : '—',
          ]),
          [2, 3, 4, 5],
        )
      : h('p', { class: 'empty' }, 'There are no destruction batches yet. Ask the bot in chat to start one.'),
  );
  return el;
}

async function drawRegister(body: HTMLElement, api: Api, page: number): Promise<void> {
  const result = await api.get<RegisterResponse>(`/api/tab/rms/register?page=${page}`);
  if (!result.ok) {
    fill(body, h('p', { class: 'notice error', role: 'alert' }, result.error));
    return;
  }
  const reg = result.data;
  fill(
    body,
    reg.total
      ? table(
          `Destruction register: ${plural(reg.total, 'entry', 'entries')} (page ${reg.page} of ${reg.pages})`,
          ['Record', 'Case', 'Class', 'Destroyed on', 'Method', 'Batch', 'Destroyed by'],
          reg.entries.map((e) => [
            e.recordId,
            e.caseRef,
            e.classTitle,
            formatDate(e.destroyedOn),
            e.methodLabel,
            e.batchReference ?? e.batchId,
            e.destroyedBy.name,
          ]),
        )
      : h('p', { class: 'empty' }, 'Nothing has been destroyed yet: the register is empty.'),
    pager(reg.page, reg.pages, (p) => void drawRegister(body, api, p), 'Register'),
  );
}

function registerSection(api: Api): { el: HTMLElement; ready: Promise<void> } {
  const status = h('p', { class: 'export-status', role: 'status' });
  const exportButton = (format: 'csv' | 'xlsx', label: string) => {
    const button = h('button', { type: 'button', class: 'btn secondary' }, label);
    button.addEventListener('click', () => {
      button.disabled = true;
      status.textContent = 'Preparing the export…';
      void api.post<ExportLinkResponse>('/api/tab/rms/register/export', { format }).then((result) => {
        button.disabled = false;
        if (!result.ok) {
          status.textContent = result.error;
          return;
        }
        const link = h(
          'a',
          { href: result.data.url, download: result.data.fileName },
          `Download ${result.data.fileName}`,
        );
        fill(status, `The export is ready (the link works for 15 minutes). `, link);
        link.click();
      });
    });
    return button;
  };
  const { el, body } = section(
    'Destruction register',
    h(
      'div',
      { class: 'toolbar' },
      exportButton('csv', 'Export register (CSV)'),
      exportButton('xlsx', 'Export register (Excel)'),
    ),
    status,
  );
  return { el, ready: drawRegister(body, api, 1) };
}

export const rmsView: View = async (panel, api, me) => {
  fill(panel, h('p', { class: 'loading', role: 'status' }, 'Loading the Records Management view…'));
  const register = registerSection(api);
  const [due, holds, batches] = await Promise.all([
    dueSection(api, me.today),
    holdsSection(api),
    batchesSection(api),
    register.ready,
  ]);
  fill(panel, due, holds, batches, register.el, subjectAccessSection(api));
};
