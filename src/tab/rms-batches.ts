import { formatDate } from '../rules/dates.js';
import {
  DESTRUCTION_METHOD_LABELS,
  DESTRUCTION_METHODS,
  EXTERNAL_LOG_LABELS,
  EXTERNAL_LOGS,
  type ExternalLog,
} from '../rules/destruction-batch.js';
import type { Result } from './api.js';
import type { BatchesResponse, BatchPreviewResponse, BatchResponse, TabBatch } from './api-types.js';
import { monthLabel } from './chart.js';
import { fill, h, plural, uid } from './dom.js';
import {
  actionForm,
  actionForms,
  areaControl,
  checkControl,
  checkGroup,
  dateControl,
  formError,
  outcome,
  selectControl,
  submitting,
  textControl,
} from './forms.js';
import { loadFailed, pager, section, table, when, type Rms } from './rms-parts.js';

// Destruction batches, for Records Management: a new batch previewed (what would go in, by class
// and month, what is blocked and why; nothing is created) and then created; the batches, each
// opened to its records and each record's method by its format; confirmed by a second officer
// who ticks the four logs held outside the app, or cancelled with a reason. The version the
// officer saw goes with every action, so a batch that changed meanwhile is refused.

const ITEMS_PER_PAGE = 20;

/** The form field names of the four ticks, as the card sends them. */
const LOG_FIELDS: Record<ExternalLog, string> = {
  litigation: 'logLitigation',
  claim: 'logClaim',
  subject_access_request: 'logSubjectAccess',
  foi_request: 'logFoi',
};

const STATUS_BADGE = {
  awaiting_confirmation: 'status-pending',
  confirmed: 'status-approved',
  cancelled: 'status-withdrawn',
} as const;

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fact(term: string, value: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

type Said = { kind: 'ok' | 'error'; text: string } | null;

/** The batch opened: its facts, a page of its records, and what the officer may do with it. */
function batchDetail(
  rms: Rms,
  shown: TabBatch,
  said: Said,
  page: number,
  redraw: (shown: TabBatch, said: Said, page: number) => void,
  acted: (result: Result<BatchResponse>) => void,
): HTMLElement {
  const { batch } = shown;
  const headingId = uid('batch');
  const c = batch.counts;
  const items = [...batch.items].sort(
    (a, b) => Number(a.passed) - Number(b.passed) || a.recordId.localeCompare(b.recordId),
  );
  const pages = Math.max(1, Math.ceil(items.length / ITEMS_PER_PAGE));
  const filter = batch.filter;
  const scope =
    'recordIds' in filter
      ? `${plural(filter.recordIds.length, 'record')} chosen by id`
      : `${filter.classId ? (batch.items.find((i) => i.recordClass === filter.classId)?.classTitle ?? 'One class') : 'Every class'}, retention ended by ${formatDate(filter.dueBy)}`;
  const path = `/api/tab/rms/batches/${encodeURIComponent(batch.id)}`;
  const forms = [
    ...(batch.can.canConfirm
      ? [
          actionForm({
            label: 'Confirm destruction',
            style: 'danger',
            intro:
              'Check the logs held outside this app for these records and tick each: a record named in any of them must not be destroyed. Every check runs again now, so a record put on hold or taken out of the office meanwhile is kept.',
            controls: () => [
              checkGroup(
                'Logs held outside this app',
                EXTERNAL_LOGS.map((log) =>
                  checkControl(`${capitalised(EXTERNAL_LOG_LABELS[log])}: I checked it for these records`, {
                    name: LOG_FIELDS[log],
                  }),
                ),
              ),
              selectControl('Method', { name: 'method' }, [
                h('option', { value: '' }, "Each record's own method, by its format (as listed)"),
                ...DESTRUCTION_METHODS.map((m) => h('option', { value: m }, DESTRUCTION_METHOD_LABELS[m])),
              ]),
              textControl("Contractor's certificate reference (if outsourced)", {
                name: 'certificateRef',
                maxlength: 100,
              }),
            ],
            submit: 'Destroy the records that pass',
            send: (v) => rms.api.post<BatchResponse>(`${path}/confirm`, { ...v, version: batch.version }),
            done: acted,
          }),
        ]
      : []),
    ...(batch.can.canCancel
      ? [
          actionForm({
            label: 'Cancel the batch',
            style: 'secondary',
            controls: () => [areaControl('Why is the batch cancelled?', { name: 'reason', required: true })],
            submit: 'Cancel the batch',
            send: (v) => rms.api.post<BatchResponse>(`${path}/cancel`, { ...v, version: batch.version }),
            done: acted,
          }),
        ]
      : []),
  ];
  const facts = [
    fact('Chosen by', `${batch.createdBy.name}, ${when(batch.createdAt)}`),
    fact('Scope', scope),
    fact('Records', `${c.records} (${c.passing} pass, ${c.blocked} blocked)`),
  ];
  if (batch.confirmedBy)
    facts.push(fact('Confirmed', `${batch.confirmedBy.name}, ${when(batch.confirmedAt)}`));
  if (batch.logChecks) {
    const ticked = EXTERNAL_LOGS.filter((l) => batch.logChecks!.ticks[l]).length;
    facts.push(
      fact(
        'Logs checked',
        `${ticked} of ${EXTERNAL_LOGS.length} outside logs, by ${batch.logChecks.checkedBy.name}`,
      ),
    );
  }
  if (batch.certificateRef) facts.push(fact('Certificate', batch.certificateRef));
  const notice = said ? outcome(said.kind, said.text) : null;
  return h(
    'article',
    { class: 'batch', 'aria-labelledby': headingId, 'data-id': batch.id },
    h(
      'div',
      { class: 'item-head' },
      h('h3', { id: headingId, tabindex: -1 }, `Destruction batch ${batch.reference}`),
      h(
        'div',
        { class: 'badges' },
        h('span', { class: `badge ${STATUS_BADGE[batch.status]}` }, batch.statusLabel),
      ),
    ),
    notice,
    h('p', { class: 'summary' }, shown.statusLine),
    h('dl', { class: 'facts' }, facts),
    shown.nextStep ? h('p', { class: 'next-step' }, shown.nextStep) : null,
    table(
      `Its records (page ${page} of ${pages}${c.blocked && batch.status === 'awaiting_confirmation' ? ', blocked first' : ''})`,
      ['Record', 'Case', 'Class', 'Format and method', 'Outcome'],
      items.slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE).map((i) => {
        const method = batch.status === 'confirmed' ? (batch.method ?? i.proposedMethod) : i.proposedMethod;
        const outcomeText =
          i.outcome === 'destroyed'
            ? 'Destroyed'
            : i.passed
              ? 'Passes every check'
              : `${batch.status === 'awaiting_confirmation' ? 'Blocked' : 'Kept'}: ${i.reasons.join(' ')}`;
        return [
          `${i.title} (${i.recordId})`,
          i.caseRef,
          i.classTitle,
          `${i.format}: ${method ? DESTRUCTION_METHOD_LABELS[method] : 'no method fits its format'}`,
          outcomeText,
        ];
      }),
    ),
    pager(page, pages, (p) => redraw(shown, null, p), `Batch ${batch.reference} records`),
    shown.certificate
      ? h(
          'p',
          {},
          h(
            'a',
            { href: shown.certificate.url, download: shown.certificate.fileName },
            `Certificate of destruction (PDF): ${shown.certificate.fileName}`,
          ),
        )
      : null,
    actionForms(forms, headingId),
  );
}

/** What a new batch would hold, with Create. */
function previewPanel(
  data: BatchPreviewResponse,
  create: (button: HTMLButtonElement, error: HTMLElement) => void,
): HTMLElement {
  const { preview } = data;
  const headingId = uid('preview');
  const error = formError();
  const createButton = h('button', { type: 'button', class: 'btn primary' }, 'Create the batch');
  createButton.disabled = preview.records === 0;
  createButton.addEventListener('click', () => create(createButton, error));
  const leftOut = [
    preview.inOpenBatches
      ? `${plural(preview.inOpenBatches, 'record')} due ${preview.inOpenBatches === 1 ? 'is' : 'are'} left out: in a batch waiting for confirmation.`
      : '',
    preview.waitingForReview
      ? `${plural(preview.waitingForReview, 'record')} of reviewed classes ${preview.waitingForReview === 1 ? 'waits' : 'wait'} for a review decision (see above) and ${preview.waitingForReview === 1 ? 'is' : 'are'} not due until one says destroy.`
      : '',
  ].filter(Boolean);
  return h(
    'article',
    { class: 'preview', 'aria-labelledby': headingId },
    h('h3', { id: headingId, tabindex: -1 }, 'New destruction batch: preview'),
    h('p', { class: 'summary', 'data-testid': 'preview-summary' }, data.summary),
    preview.notice ? h('p', { class: 'notice' }, preview.notice) : null,
    h(
      'dl',
      { class: 'facts' },
      fact('Record class', preview.scope.classTitle ?? 'Every class'),
      fact('Retention ended by', formatDate(preview.scope.dueBy)),
    ),
    preview.groups.length
      ? table(
          'What would go in, by class and month',
          ['Record class', 'Month retention ended', 'Records', 'Blocked'],
          preview.groups.map((g) => [
            g.classTitle,
            g.month ? monthLabel(g.month, 'long') : 'Unknown',
            String(g.count),
            String(g.blocked),
          ]),
          [2, 3],
        )
      : null,
    data.blockedBecause.length
      ? h(
          'div',
          {},
          h('h4', {}, 'Blocked'),
          h(
            'ul',
            {},
            data.blockedBecause.map((b) => h('li', {}, b)),
          ),
        )
      : null,
    preview.blockedRecords.length
      ? table(
          preview.blocked > preview.blockedRecords.length
            ? `The first ${preview.blockedRecords.length} of ${preview.blocked} blocked records`
            : 'Blocked records',
          ['Record', 'Case', 'Class', 'Why'],
          preview.blockedRecords.map((b) => [
            `${b.title} (${b.recordId})`,
            b.caseRef,
            b.classTitle,
            b.reasons.join(' '),
          ]),
        )
      : null,
    leftOut.length
      ? h(
          'ul',
          { class: 'hint' },
          leftOut.map((l) => h('li', {}, l)),
        )
      : null,
    error,
    h('div', { class: 'actions' }, createButton),
  );
}

export function batchesSection(rms: Rms): { el: HTMLElement; ready: Promise<void> } {
  const cls = selectControl('Record class', { name: 'classId' }, rms.classOptions('Every record class'));
  const dueBy = dateControl('Retention ended by', { name: 'dueBy', value: rms.today, required: true });
  const previewError = formError();
  const newBatch = h(
    'form',
    { class: 'filters', 'aria-label': 'A new destruction batch' },
    cls.el,
    dueBy.el,
    h('button', { type: 'submit', class: 'btn primary' }, 'Preview a batch'),
  );
  const previewArea = h('div', { class: 'preview-area' });
  const list = h('div', { class: 'batch-list' });
  const detail = h('div', { class: 'batch-detail' });
  const { el } = section(
    'Destruction batches',
    h(
      'p',
      { class: 'hint' },
      'Preview what a new batch would hold, then create it; another Records Management officer checks it, ticks the logs held outside this app and confirms.',
    ),
    newBatch,
    previewError,
    previewArea,
    list,
    detail,
  );

  const drawDetail = (shown: TabBatch, said: Said, page = 1, focus = true) => {
    const acted = (result: Result<BatchResponse>) => {
      if (result.ok) {
        drawDetail(result.data, { kind: 'ok', text: result.data.notice });
        rms.refresh('batches', 'due', 'register');
      } else if (result.body.batch) {
        drawDetail(result.body.batch, { kind: 'error', text: result.error });
        rms.refresh('batches');
      } else {
        fill(detail, outcome('error', result.error));
        detail.querySelector<HTMLElement>('[data-outcome]')?.focus();
      }
    };
    fill(
      detail,
      batchDetail(rms, shown, said, page, (s, n, p) => drawDetail(s, n, p, false), acted),
    );
    if (!focus) return;
    (detail.querySelector<HTMLElement>('[data-outcome]') ?? detail.querySelector<HTMLElement>('h3'))?.focus();
  };

  const open = async (id: string, button: HTMLButtonElement) => {
    button.disabled = true;
    const result = await rms.api.get<BatchResponse>(`/api/tab/rms/batches/${encodeURIComponent(id)}`);
    button.disabled = false;
    if (result.ok) drawDetail(result.data, null);
    else {
      fill(detail, outcome('error', result.error));
      detail.querySelector<HTMLElement>('[data-outcome]')?.focus();
    }
  };

  const drawList = async (): Promise<void> => {
    list.setAttribute('aria-busy', 'true');
    const result = await rms.api.get<BatchesResponse>('/api/tab/rms/batches');
    list.removeAttribute('aria-busy');
    if (!result.ok) {
      fill(list, loadFailed(result.error));
      return;
    }
    const batches = result.data.batches;
    fill(
      list,
      batches.length
        ? table(
            'Destruction batches, newest first',
            [
              'Batch',
              'Status',
              'Records',
              'Passing checks',
              'Blocked',
              'Destroyed',
              'Created',
              'Confirmed',
              '',
            ],
            batches.map((b) => {
              const button = h(
                'button',
                { type: 'button', class: 'btn secondary', 'aria-label': `Open batch ${b.reference}` },
                'Open',
              );
              button.addEventListener('click', () => void open(b.id, button));
              return [
                b.reference,
                b.statusLabel,
                String(b.counts.records),
                String(b.counts.passing),
                String(b.counts.blocked),
                String(b.counts.destroyed),
                `${when(b.createdAt)} by ${b.createdBy.name}`,
                b.confirmedBy ? `${when(b.confirmedAt)} by ${b.confirmedBy.name}` : '—',
                button,
              ];
            }),
            [2, 3, 4, 5],
          )
        : h('p', { class: 'empty' }, 'There are no destruction batches yet. Preview one above.'),
    );
  };

  newBatch.addEventListener('submit', (event) => {
    event.preventDefault();
    const scope = { classId: cls.input.value, dueBy: dueBy.input.value };
    void submitting(newBatch, previewError, () =>
      rms.api.post<BatchPreviewResponse>('/api/tab/rms/batches/preview', scope),
    ).then((result) => {
      if (!result.ok) {
        if (previewError.hidden) fill(previewArea, outcome('error', result.error));
        return;
      }
      const create = (button: HTMLButtonElement, error: HTMLElement) => {
        void submitting(button.parentElement!, error, () =>
          rms.api.post<BatchResponse>('/api/tab/rms/batches', {
            ...scope,
            expected: result.data.preview.records,
          }),
        ).then((created) => {
          if (!created.ok) {
            if (error.hidden) fill(previewArea, outcome('error', created.error));
            return;
          }
          previewArea.replaceChildren();
          drawDetail(created.data, { kind: 'ok', text: created.data.notice });
          void drawList();
          rms.refresh('due');
        });
      };
      fill(previewArea, previewPanel(result.data, create));
      previewArea.querySelector<HTMLElement>('h3')?.focus();
    });
  });

  rms.on('batches', () => void drawList());
  return { el, ready: drawList() };
}
