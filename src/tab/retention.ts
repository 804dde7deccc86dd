import { formatDate, isIsoDate } from '../rules/dates.js';
import type { RetentionStatus } from '../rules/retention.js';
import type { DateField, RecordClass } from '../rules/schedule.js';
import type { Api } from './api.js';
import type { CalculateResponse, CaseRetentionResponse } from './api-types.js';
import { announce, fill, h, plural, uid } from './dom.js';
import { loadSchedule } from './rms.js';
import type { View } from './views.js';

const STATUS_TEXT: Record<RetentionStatus, string> = {
  retained: 'Kept',
  due: 'Retention ended',
  held: 'On hold',
  destroyed: 'Destroyed',
  incomplete: 'Dates missing',
};

const ACTION_TEXT: Record<RecordClass['actionAtEnd'], string> = {
  destroy: 'Destroyed by the Records Management Service, after the pre-destruction checks',
  review: 'Reviewed by the Records Management Service: destroy, keep longer, or archive',
  'permanent-preservation': 'Kept permanently',
};

/** The case dates a class's rules count from or test. */
function fieldsOf(cls: RecordClass): DateField[] {
  const fields = new Set<DateField>();
  for (const rule of cls.rules) {
    for (const c of rule.when ?? []) {
      if ('diedBeforeAge' in c) {
        fields.add('dateOfBirth');
        fields.add('dateOfDeath');
      } else fields.add(c.date);
    }
    const end = rule.end;
    if ('latestOf' in end) end.latestOf.forEach((p) => fields.add(p.from));
    else if ('from' in end) fields.add(end.from);
  }
  return [...fields];
}

function classDetails(api: Api, cls: RecordClass, labels: Record<DateField, string>): HTMLElement {
  const headingId = uid('class');
  const output = h('div', { class: 'calc-result', role: 'status', 'aria-live': 'polite' });
  const inputs = new Map<DateField, HTMLInputElement>();
  const fields = fieldsOf(cls).map((field) => {
    const id = uid('date');
    const input = h('input', { id, type: 'date', name: field });
    inputs.set(field, input);
    return h('div', { class: 'field' }, h('label', { for: id }, `The ${labels[field]}`), input);
  });
  const calc = h(
    'form',
    { class: 'calc' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Work out when retention ends for a record of this class'),
      h('p', { class: 'hint' }, 'Enter the dates you know; leave the others empty.'),
      fields,
      h('button', { type: 'submit', class: 'btn primary' }, 'Work it out'),
    ),
    output,
  );
  calc.addEventListener('submit', (event) => {
    event.preventDefault();
    const dates: Partial<Record<DateField, string | null>> = {};
    for (const [field, input] of inputs) dates[field] = isIsoDate(input.value) ? input.value : null;
    output.setAttribute('aria-busy', 'true');
    void api
      .post<CalculateResponse>('/api/tab/retention/calculate', { classId: cls.id, dates })
      .then((result) => {
        output.removeAttribute('aria-busy');
        if (!result.ok) {
          fill(output, h('p', { class: 'notice error', role: 'alert' }, result.error));
          return;
        }
        const answer = result.data.answer;
        const headline = answer.endsOn
          ? `${answer.status === 'due' ? 'Retention ended on' : 'Retention ends on'} ${formatDate(answer.endsOn)}.`
          : answer.permanent
            ? 'Kept permanently.'
            : 'More dates are needed to work this out.';
        fill(
          output,
          h('p', { class: 'headline' }, headline),
          h(
            'ul',
            {},
            answer.explanation.map((line) => h('li', {}, line)),
          ),
        );
      });
  });
  return h(
    'article',
    { class: 'class-details', 'aria-labelledby': headingId },
    h('h3', { id: headingId }, cls.title),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Kept for'),
      h('dd', {}, cls.period),
      h('dt', {}, 'Counted from'),
      h('dd', {}, cls.trigger),
      h('dt', {}, 'At the end'),
      h('dd', {}, ACTION_TEXT[cls.actionAtEnd]),
      h('dt', {}, 'Authority'),
      h(
        'dd',
        {},
        cls.authority.source
          ? h(
              'a',
              { href: cls.authority.source, target: '_blank', rel: 'noopener noreferrer' },
              cls.authority.citation,
            )
          : cls.authority.citation,
        cls.toBeConfirmed ? ' (to be confirmed by the Records Management Service)' : '',
      ),
      h('dt', {}, 'Rules'),
      h(
        'dd',
        {},
        h(
          'ul',
          {},
          cls.rules.map((r) => h('li', {}, r.label)),
        ),
      ),
    ),
    calc,
  );
}

function classLookup(api: Api): HTMLElement {
  const selectId = uid('class-select');
  const select = h(
    'select',
    { id: selectId, name: 'recordClass' },
    h('option', { value: '' }, 'Choose a record class…'),
  );
  const result = h('div', { class: 'lookup-result' });
  const form = h(
    'form',
    { class: 'filters' },
    h('div', { class: 'field grow' }, h('label', { for: selectId }, 'Record class'), select),
    h('button', { type: 'submit', class: 'btn primary' }, 'Show retention'),
  );
  const headingId = uid('lookup');
  const el = h(
    'section',
    { class: 'group', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'By record class'),
    form,
    result,
  );
  void loadSchedule(api).then((schedule) => {
    if (!schedule) {
      fill(
        result,
        h('p', { class: 'notice error', role: 'alert' }, 'The retention schedule could not be loaded.'),
      );
      return;
    }
    select.append(
      ...schedule.classes
        .slice()
        .sort((a, b) => a.title.localeCompare(b.title))
        .map((c) => h('option', { value: c.id }, c.title)),
    );
    el.dataset.scheduleVersion = schedule.version;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const cls = schedule.classes.find((c) => c.id === select.value);
      if (!cls) {
        fill(result, h('p', { class: 'notice error', role: 'alert' }, 'Choose a record class first.'));
        return;
      }
      fill(result, classDetails(api, cls, schedule.dateFieldLabels));
      announce(`${cls.title}: kept ${cls.period}.`);
    });
  });
  return el;
}

function caseLookup(api: Api): HTMLElement {
  const inputId = uid('case');
  const hintId = uid('case-hint');
  const input = h('input', {
    id: inputId,
    name: 'caseRef',
    type: 'text',
    inputmode: 'text',
    autocomplete: 'off',
    maxlength: 40,
    'aria-describedby': hintId,
  });
  const result = h('div', { class: 'lookup-result' });
  const form = h(
    'form',
    { class: 'filters' },
    h('div', { class: 'field grow' }, h('label', { for: inputId }, 'Case reference'), input),
    h('button', { type: 'submit', class: 'btn primary' }, 'Look up case'),
  );
  const hint = h(
    'p',
    { id: hintId, class: 'hint form-hint' },
    'The case management system’s reference, such as 1234567.',
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ref = input.value.trim();
    if (!ref) {
      fill(result, h('p', { class: 'notice error', role: 'alert' }, 'Type a case reference first.'));
      input.focus();
      return;
    }
    result.setAttribute('aria-busy', 'true');
    void api.get<CaseRetentionResponse>(`/api/tab/retention/cases/${encodeURIComponent(ref)}`).then((r) => {
      result.removeAttribute('aria-busy');
      if (!r.ok) {
        fill(result, h('p', { class: 'notice error', role: 'alert' }, r.error));
        return;
      }
      const c = r.data;
      const headline = `Case ${c.caseRef}: ${plural(c.records.length, 'record')} in the inventory (schedule version ${c.scheduleVersion}).`;
      fill(
        result,
        h('p', { class: 'summary' }, headline),
        h(
          'table',
          { class: 'data' },
          h('caption', {}, `Retention of the records of case ${c.caseRef} on ${formatDate(c.today)}`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Record', 'Class', 'Status', 'Retention ends', 'Holds and removals', 'Why'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            c.records.map((rec) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, `${rec.title} (${rec.recordId}, ${rec.format})`),
                h('td', {}, rec.answer.classTitle ?? rec.answer.classId),
                h(
                  'td',
                  {},
                  h(
                    'span',
                    { class: `badge retention-${rec.answer.status}` },
                    STATUS_TEXT[rec.answer.status],
                  ),
                ),
                h(
                  'td',
                  {},
                  rec.answer.permanent
                    ? 'Kept permanently'
                    : rec.answer.endsOn
                      ? formatDate(rec.answer.endsOn)
                      : 'Not known',
                ),
                h(
                  'td',
                  {},
                  [
                    ...rec.holds.map((x) => `Hold: ${x.reference}`),
                    rec.out ? `Out of the office until ${formatDate(rec.out.returnOn)}` : '',
                  ]
                    .filter(Boolean)
                    .join('; ') || '—',
                ),
                h(
                  'td',
                  {},
                  h(
                    'details',
                    {},
                    h('summary', {}, 'Explanation'),
                    h(
                      'ul',
                      {},
                      rec.answer.explanation.map((l) => h('li', {}, l)),
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
      announce(headline);
    });
  });
  const headingId = uid('lookup');
  return h(
    'section',
    { class: 'group', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'By case'),
    form,
    hint,
    result,
  );
}

export const retentionView: View = (panel, api) => {
  fill(
    panel,
    h(
      'p',
      { class: 'intro' },
      'How long records are kept, from the council’s Records Retention Schedule. Pick a record class, or type a case reference to see where each of its records stands.',
    ),
    h('div', { class: 'columns' }, classLookup(api), caseLookup(api)),
  );
  return Promise.resolve();
};
