import { formatDate } from '../rules/dates.js';
import { DISPOSITION_DECISION_LABELS, DISPOSITION_DECISIONS } from '../rules/disposition.js';
import type { ReviewDecidedResponse, ReviewResponse } from './api-types.js';
import { monthLabel } from './chart.js';
import { fill, h, plural, uid } from './dom.js';
import {
  areaControl,
  formError,
  outcome,
  selectControl,
  showFormError,
  submitting,
  textControl,
} from './forms.js';
import { lastDayOfMonth, loadFailed, pager, section, table, type Rms } from './rms-parts.js';

// Records waiting for a review decision, for Records Management: by class and month, a page at a
// time, each with a tick; and the decision for the records ticked or for every record in the list
// (destroy; keep for more years; transfer to the archives with the accession reference; keep
// permanently), always with a reason. The decision carries how many records the officer saw, so
// a list that changed meanwhile is refused and nothing is recorded.

interface Filter {
  classId: string;
  caseRef: string;
  dueBy: string;
  page: number;
}

function recordsTable(review: ReviewResponse, ticked: Set<string>, onTick: () => void): HTMLTableElement {
  const headers = ['Choose', 'Record', 'Case', 'Class', 'Retention ended', 'Flags'];
  return h(
    'table',
    { class: 'data' },
    h('caption', {}, `Records waiting for a decision (page ${review.page} of ${review.pages})`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      review.records.map((r) => {
        const box = h('input', { type: 'checkbox', id: uid('pick'), value: r.recordId });
        box.checked = ticked.has(r.recordId);
        box.addEventListener('change', () => {
          if (box.checked) ticked.add(r.recordId);
          else ticked.delete(r.recordId);
          onTick();
        });
        return h(
          'tr',
          {},
          h('td', {}, box, h('label', { for: box.id, class: 'visually-hidden' }, `Choose ${r.recordId}`)),
          h('th', { scope: 'row' }, `${r.title} (${r.recordId})`),
          h('td', {}, r.caseRef),
          h('td', {}, r.classTitle),
          h(
            'td',
            {},
            r.reviewOn
              ? `Kept until a review on ${formatDate(r.reviewOn)}`
              : r.retentionEndsOn
                ? formatDate(r.retentionEndsOn)
                : 'Unknown',
          ),
          h(
            'td',
            {},
            [r.held ? 'On hold' : '', r.out ? 'Out of the office' : ''].filter(Boolean).join(', ') || '—',
          ),
        );
      }),
    ),
  );
}

/** The decision form for the records ticked, or every record in the list. */
function decisionForm(
  rms: Rms,
  review: ReviewResponse,
  filter: Filter,
  ticked: Set<string>,
  decided: (kind: 'ok' | 'error', text: string) => void,
): { form: HTMLFormElement; onTick: () => void } {
  const scopeName = uid('scope');
  const pickedCount = h('span', { 'aria-live': 'polite' });
  const pickedChoice = h('input', { type: 'radio', name: scopeName, id: uid('scope'), value: 'ticked' });
  const allChoice = h('input', { type: 'radio', name: scopeName, id: uid('scope'), value: 'all' });
  pickedChoice.checked = true;
  const onTick = () => {
    pickedCount.textContent = ` (${plural(ticked.size, 'record')} ticked)`;
  };
  onTick();

  const decision = selectControl('Decision', { name: 'decision' }, [
    h('option', { value: '' }, 'Choose a decision'),
    ...DISPOSITION_DECISIONS.map((d) => h('option', { value: d }, DISPOSITION_DECISION_LABELS[d])),
  ]);
  const years = textControl('Keep for longer: how many more years? (1 to 100)', {
    name: 'keepYears',
    type: 'number',
    min: 1,
    max: 100,
    step: 1,
    inputmode: 'numeric',
  });
  const accession = textControl('Transfer to the archives: the accession reference', {
    name: 'accessionRef',
    maxlength: 100,
  });
  const archive = textControl('Transfer to the archives: which archive', { name: 'archive', maxlength: 200 });
  const reason = areaControl('Reason (kept with the decision)', { name: 'reason', required: true });
  const follow = () => {
    years.el.hidden = decision.input.value !== 'keep';
    accession.el.hidden = archive.el.hidden = decision.input.value !== 'transfer';
  };
  decision.input.addEventListener('change', follow);
  follow();

  const error = formError();
  const form = h(
    'form',
    { class: 'decision-form', novalidate: true, 'aria-label': 'Record a review decision' },
    h('h3', {}, 'Record a review decision'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Which records'),
      h(
        'div',
        { class: 'check' },
        pickedChoice,
        h('label', { for: pickedChoice.id }, 'The records ticked above', pickedCount),
      ),
      h(
        'div',
        { class: 'check' },
        allChoice,
        h('label', { for: allChoice.id }, `Every record in this list (${plural(review.total, 'record')})`),
      ),
    ),
    h('div', { class: 'filters' }, decision.el, years.el, accession.el, archive.el),
    reason.el,
    error,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'btn primary' }, 'Record the decision'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ids = [...ticked];
    if (pickedChoice.checked && !ids.length) {
      showFormError(error, 'Tick the records the decision is for, or choose every record in this list.');
      return;
    }
    const records = pickedChoice.checked
      ? { recordIds: ids.join(','), expected: ids.length }
      : { classId: filter.classId, caseRef: filter.caseRef, dueBy: review.dueBy, expected: review.total };
    const values = {
      ...records,
      decision: decision.input.value,
      keepYears: decision.input.value === 'keep' ? years.input.value : '',
      accessionRef: decision.input.value === 'transfer' ? accession.input.value : '',
      archive: decision.input.value === 'transfer' ? archive.input.value : '',
      reason: reason.input.value,
    };
    void submitting(form, error, () =>
      rms.api.post<ReviewDecidedResponse>('/api/tab/rms/review/decisions', values),
    ).then((result) => {
      if (result.ok) decided('ok', result.data.notice);
      else if (error.hidden) decided('error', result.error);
    });
  });
  return { form, onTick };
}

export function reviewSection(rms: Rms): { el: HTMLElement; ready: Promise<void> } {
  const today = rms.today;
  const horizons: [string, string][] = [
    ['Today', today],
    ['End of this month', lastDayOfMonth(today, 0)],
    ['End of next month', lastDayOfMonth(today, 1)],
    ['Within 3 months', lastDayOfMonth(today, 3)],
    ['Within 12 months', lastDayOfMonth(today, 12)],
  ];
  const dueBy = selectControl(
    'Retention ended by',
    { name: 'dueBy' },
    horizons.map(([label, date]) => h('option', { value: date }, `${label} (${formatDate(date)})`)),
  );
  const cls = selectControl('Record class', { name: 'classId' }, rms.classOptions('All record classes'));
  const caseRef = textControl('Case (optional)', { name: 'caseRef', maxlength: 40, size: 12 });
  const filters = h(
    'form',
    { class: 'filters', 'aria-label': 'Filter the review list' },
    dueBy.el,
    cls.el,
    caseRef.el,
    h('button', { type: 'submit', class: 'btn secondary' }, 'Show'),
  );
  const { el, body } = section(
    'Waiting for a review decision',
    h(
      'p',
      { class: 'hint' },
      'Records of reviewed classes (looked after children, adoption, fostering, child protection and others) are never destroyed without a recorded decision.',
    ),
    filters,
  );
  let filter: Filter = { classId: '', caseRef: '', dueBy: today, page: 1 };
  let drawn = 0;

  const draw = async (said: { kind: 'ok' | 'error'; text: string } | null = null): Promise<void> => {
    drawn += 1;
    const mine = drawn;
    body.setAttribute('aria-busy', 'true');
    const params = new URLSearchParams({ dueBy: filter.dueBy, page: String(filter.page) });
    if (filter.classId) params.set('classId', filter.classId);
    if (filter.caseRef) params.set('caseRef', filter.caseRef);
    const result = await rms.api.get<ReviewResponse>(`/api/tab/rms/review?${params.toString()}`);
    if (mine !== drawn) return;
    body.removeAttribute('aria-busy');
    const notice = said ? outcome(said.kind, said.text) : null;
    if (!result.ok) {
      fill(body, notice, loadFailed(result.error));
      notice?.focus();
      return;
    }
    const review = result.data;
    const headline = `${plural(review.total, 'record')} ${review.total === 1 ? 'waits' : 'wait'} for a review decision (retention ended by ${formatDate(review.dueBy)}).`;
    if (!review.total) {
      fill(body, notice, h('p', { class: 'summary', 'data-testid': 'review-summary' }, headline));
      notice?.focus();
      return;
    }
    const byClass = new Map<string, { title: string; total: number; months: string[] }>();
    for (const g of review.groups) {
      const entry = byClass.get(g.classId) ?? { title: g.classTitle, total: 0, months: [] };
      entry.total += g.count;
      entry.months.push(`${monthLabel(g.month, 'long')} (${g.count})`);
      byClass.set(g.classId, entry);
    }
    const ticked = new Set<string>();
    const { form, onTick } = decisionForm(rms, review, filter, ticked, (kind, text) => {
      void draw({ kind, text });
      if (kind === 'ok') rms.refresh('due');
    });
    fill(
      body,
      notice,
      h('p', { class: 'summary', 'data-testid': 'review-summary' }, headline),
      table(
        'Waiting for review, by record class',
        ['Record class', 'Records', 'Months retention ended'],
        [...byClass.values()].map((c) => [c.title, String(c.total), c.months.join(', ')]),
        [1],
      ),
      recordsTable(review, ticked, onTick),
      pager(
        review.page,
        review.pages,
        (p) => {
          filter = { ...filter, page: p };
          void draw();
        },
        'Records waiting for review',
      ),
      form,
    );
    notice?.focus();
  };

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    filter = {
      classId: cls.input.value,
      caseRef: caseRef.input.value.trim(),
      dueBy: dueBy.input.value,
      page: 1,
    };
    void draw();
  });
  rms.on('review', () => void draw());
  return { el, ready: draw() };
}
