import { formatDate } from '../rules/dates.js';
import type { Api } from './api.js';
import type { DueResponse, ExportLinkResponse, RegisterResponse, ScheduleResponse } from './api-types.js';
import { barChart, barTable, monthBars, monthLabel } from './chart.js';
import { announce, fill, h, plural, uid } from './dom.js';
import { batchesSection } from './rms-batches.js';
import { holdsSection } from './rms-holds.js';
import { lastDayOfMonth, loadFailed, pager, Rms, section, table } from './rms-parts.js';
import { reviewSection } from './rms-review.js';
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
    fill(body, loadFailed(result.error));
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

function dueSection(rms: Rms): { el: HTMLElement; ready: Promise<void> } {
  const { api, today } = rms;
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
  const classSelect = h(
    'select',
    { id: classSelectId, name: 'classId' },
    rms.classOptions('All record classes'),
  );
  const form = h(
    'form',
    { class: 'filters' },
    h('div', { class: 'field' }, h('label', { for: horizonId }, 'Due by'), horizon),
    h('div', { class: 'field' }, h('label', { for: classSelectId }, 'Record class'), classSelect),
    h('button', { type: 'submit', class: 'btn primary' }, 'Show'),
  );
  const { el, body } = section('Due for destruction', form);
  let shown = { dueBy: today, classId: '' };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    shown = { dueBy: horizon.value, classId: classSelect.value };
    void drawDue(body, api, shown.dueBy, shown.classId);
  });
  // After an action elsewhere (a decision to destroy, a hold, a batch), the same list again.
  rms.on('due', () => void drawDue(body, api, shown.dueBy, shown.classId, 1, false));
  return { el, ready: drawDue(body, api, today, '', 1, false) };
}

async function drawRegister(body: HTMLElement, api: Api, page: number): Promise<void> {
  const result = await api.get<RegisterResponse>(`/api/tab/rms/register?page=${page}`);
  if (!result.ok) {
    fill(body, loadFailed(result.error));
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

function registerSection(rms: Rms): { el: HTMLElement; ready: Promise<void> } {
  const { api } = rms;
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
  rms.on('register', () => void drawRegister(body, api, 1));
  return { el, ready: drawRegister(body, api, 1) };
}

/**
 * The Records Management view: what is due, what waits for a review decision, destruction
 * batches, holds, the register and subject access. Each section acts through the tab API, and
 * draws again (with the sections an action touched) from the server after every action.
 */
export const rmsView: View = async (panel, api, me) => {
  fill(panel, h('p', { class: 'loading', role: 'status' }, 'Loading the Records Management view…'));
  const rms = new Rms(api, me.today, await loadSchedule(api));
  const sections = [
    dueSection(rms),
    reviewSection(rms),
    batchesSection(rms),
    holdsSection(rms),
    registerSection(rms),
  ];
  await Promise.all(sections.map((s) => s.ready));
  fill(
    panel,
    sections.map((s) => s.el),
    subjectAccessSection(api),
  );
};
