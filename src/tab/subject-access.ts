import type { Api } from './api.js';
import type { SubjectAccessResponse } from './api-types.js';
import { announce, fill, h, plural, uid } from './dom.js';

// Subject access, for Records Management: everything the product holds about a case or a member
// of staff, in counts, with the files for Information Governance to review (JSON and Excel). Each
// report is recorded in the audit log.

function downloads(data: SubjectAccessResponse): HTMLElement {
  const link = (file: SubjectAccessResponse['downloads']['json'], label: string) =>
    h('a', { class: 'btn secondary', href: file.url, download: file.fileName }, label);
  return h(
    'div',
    { class: 'toolbar' },
    link(data.downloads.xlsx, `Download ${data.downloads.xlsx.fileName}`),
    link(data.downloads.json, `Download ${data.downloads.json.fileName}`),
  );
}

function summary(data: SubjectAccessResponse): (HTMLElement | null)[] {
  const held = data.sections.filter((s) => s.rows);
  const headline = data.nothingHeld
    ? `${data.subject}: the product holds nothing about them.`
    : `${data.subject}: ${plural(
        held.reduce((n, s) => n + s.rows, 0),
        'item',
      )} in ${plural(held.length, 'kind')} of data; ${plural(data.people, 'member', 'members')} of staff named.`;
  announce(headline);
  return [
    h('p', { class: 'summary', 'data-testid': 'subject-access-summary' }, headline),
    data.nothingHeld
      ? null
      : h(
          'table',
          { class: 'data' },
          h('caption', {}, 'What the product holds'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Kind of data'),
              h('th', { scope: 'col', class: 'num' }, 'Items'),
              h('th', { scope: 'col' }, 'What it is'),
            ),
          ),
          h(
            'tbody',
            {},
            held.map((s) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, s.title),
                h('td', { class: 'num' }, String(s.rows)),
                h('td', {}, s.about),
              ),
            ),
          ),
        ),
    downloads(data),
    h(
      'details',
      {},
      h('summary', {}, 'What the files include, and what they leave out'),
      data.notes.map((n) => h('p', {}, n)),
    ),
    h(
      'p',
      { class: 'hint' },
      'Review the files before anything is disclosed: they name the staff who acted, and hold what the product keeps as it keeps it. Each report and download is recorded in the audit log. The links work for 15 minutes.',
    ),
  ];
}

/** The Records Management view's section for subject access: a search, the counts, the files. */
export function subjectAccessSection(api: Api): HTMLElement {
  const kindName = uid('sar-kind');
  const inputId = uid('sar-subject');
  const caseChoice = h('input', {
    type: 'radio',
    name: kindName,
    value: 'case',
    id: `${kindName}-case`,
    checked: true,
  });
  const personChoice = h('input', {
    type: 'radio',
    name: kindName,
    value: 'person',
    id: `${kindName}-person`,
  });
  const label = h('label', { for: inputId }, 'Case reference');
  const input = h('input', {
    id: inputId,
    name: 'subject',
    type: 'text',
    required: true,
    autocomplete: 'off',
  });
  const result = h('div', { class: 'section-body', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'filters' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Whose data'),
      h('div', { class: 'field' }, caseChoice, h('label', { for: caseChoice.id }, 'A case')),
      h('div', { class: 'field' }, personChoice, h('label', { for: personChoice.id }, 'A member of staff')),
    ),
    h('div', { class: 'field' }, label, input),
    h('button', { type: 'submit', class: 'btn primary' }, 'Find what the product holds'),
  );
  const relabel = () => {
    label.textContent = personChoice.checked ? 'Staff id or email address' : 'Case reference';
  };
  caseChoice.addEventListener('change', relabel);
  personChoice.addEventListener('change', relabel);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) {
      fill(
        result,
        h('p', { class: 'notice error', role: 'alert' }, `Type the ${label.textContent?.toLowerCase()}.`),
      );
      return;
    }
    result.setAttribute('aria-busy', 'true');
    fill(result, h('p', { class: 'loading', role: 'status' }, 'Looking through what the product holds…'));
    void api
      .post<SubjectAccessResponse>(
        '/api/tab/rms/subject-access',
        personChoice.checked ? { person: value } : { case: value },
      )
      .then((answer) => {
        result.removeAttribute('aria-busy');
        if (!answer.ok) {
          fill(result, h('p', { class: 'notice error', role: 'alert' }, answer.error));
          return;
        }
        fill(result, ...summary(answer.data));
      });
  });
  const id = uid('sar');
  return h(
    'section',
    { class: 'group', 'aria-labelledby': id },
    h('h2', { id }, 'Subject access'),
    h(
      'p',
      { class: 'hint' },
      'Everything the Case Records Assistant holds about a case or a member of staff, for Information Governance to review when answering a subject access request.',
    ),
    form,
    result,
  );
}
