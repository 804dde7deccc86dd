import { formatDate } from '../rules/dates.js';
import { BLANKET_HOLD_TYPES, HOLD_TYPE_LABELS, HOLD_TYPES } from '../rules/holds.js';
import type { Result } from './api.js';
import type { ApiError, HoldActionResponse, HoldsResponse } from './api-types.js';
import { fill, h, plural, uid, type Child } from './dom.js';
import {
  actionForm,
  actionForms,
  areaControl,
  dateControl,
  formError,
  outcome,
  selectControl,
  submitting,
  textControl,
  valuesOf,
  type Control,
  type Input,
} from './forms.js';
import { loadFailed, section, when, type Rms } from './rms-parts.js';

// Holds, for Records Management: those in force on cases and records and on whole classes, each
// with what can be done to it (release with a reason; a subject access request's extension and
// stopped clock), and the forms to place them. Every action goes to the server, which checks the
// officer and the hold as it is now; the lists are then drawn again from the server.

type HoldView = HoldsResponse['holds'][number];
type BlanketHoldView = HoldsResponse['blanket'][number];

/** The hold just acted on, as it is now, and what the officer is told about it. */
interface Acted {
  id: string;
  hold: HoldView | null;
  blanketHold: BlanketHoldView | null;
  kind: 'ok' | 'error';
  text: string;
}

function actedFrom(result: Result<HoldActionResponse>, fallbackId: string): Acted {
  if (result.ok) {
    const { title, notice, hold, blanketHold } = result.data;
    return {
      id: hold?.id ?? blanketHold?.id ?? fallbackId,
      hold,
      blanketHold,
      kind: 'ok',
      text: notice ? `${title}. ${notice}` : `${title}.`,
    };
  }
  const body: ApiError = result.body;
  return {
    id: fallbackId,
    hold: body.hold ?? null,
    blanketHold: body.blanketHold ?? null,
    kind: 'error',
    text: result.error,
  };
}

function fact(term: string, value: Child): Child[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function badge(active: boolean): HTMLElement {
  return h(
    'span',
    { class: `badge ${active ? 'retention-held' : 'status-withdrawn'}` },
    active ? 'In force' : 'Released',
  );
}

/** A hold's card: what it holds and why, its deadlines, and the actions on it. */
function holdItem(rms: Rms, hold: HoldView, acted: Acted | null, onActed: (a: Acted) => void): HTMLElement {
  const headingId = uid('hold');
  const path = `/api/tab/rms/holds/${encodeURIComponent(hold.id)}`;
  const post = (action: string, values: Record<string, unknown>) =>
    rms.api.post<HoldActionResponse>(`${path}/${action}`, values);
  const done = (result: Result<HoldActionResponse>) => onActed(actedFrom(result, hold.id));
  const sar = hold.sar;
  const forms = hold.active
    ? [
        actionForm({
          label: 'Release',
          style: 'secondary',
          controls: () => [areaControl('Why is the hold released?', { name: 'reason', required: true })],
          submit: 'Release the hold',
          send: (v) => post('release', v),
          done,
        }),
        ...(sar && !sar.extended
          ? [
              actionForm({
                label: 'Extend by two months',
                style: 'secondary',
                intro:
                  'For a complex request, or several from the same person. The requester must be told, with the reason, within the first month.',
                controls: () => [
                  dateControl('The day the requester was told', { name: 'toldOn', max: rms.today }),
                  areaControl('Why more time is needed (as told to the requester)', {
                    name: 'extensionReason',
                  }),
                ],
                submit: 'Extend the deadline',
                send: (v) => post('extend', v),
                done,
              }),
            ]
          : []),
        ...(sar && !sar.pausedSince
          ? [
              actionForm({
                label: 'Stop the clock',
                style: 'secondary',
                intro: 'While proof of identity, or what the request covers, is awaited.',
                controls: () => [
                  dateControl('Stopped from (the day it was asked for)', {
                    name: 'stoppedFrom',
                    value: rms.today,
                    max: rms.today,
                  }),
                  areaControl('What is awaited', { name: 'awaiting' }),
                ],
                submit: 'Stop the clock',
                send: (v) => post('stop-clock', v),
                done,
              }),
            ]
          : []),
        ...(sar?.pausedSince
          ? [
              actionForm({
                label: 'Restart the clock',
                style: 'secondary',
                controls: () => [
                  dateControl('The day what was awaited arrived', {
                    name: 'arrivedOn',
                    value: rms.today,
                    max: rms.today,
                  }),
                ],
                submit: 'Restart the clock',
                send: (v) => post('restart-clock', v),
                done,
              }),
            ]
          : []),
      ]
    : [];
  const heading = h('h3', { id: headingId, tabindex: -1 }, `${hold.typeLabel} hold ${hold.reference}`);
  const notice = acted ? outcome(acted.kind, acted.text) : null;
  return h(
    'li',
    { class: 'item', 'data-id': hold.id },
    h(
      'article',
      { 'aria-labelledby': headingId },
      h('div', { class: 'item-head' }, heading, h('div', { class: 'badges' }, badge(hold.active))),
      h(
        'dl',
        { class: 'facts' },
        fact('Case', hold.caseRef),
        fact('Record', hold.recordId ?? 'The whole case'),
        fact('Reason', hold.reason),
        fact('Placed', `${when(hold.placedAt)} by ${hold.placedBy}`),
        hold.releasedAt
          ? fact(
              'Released',
              `${when(hold.releasedAt)} by ${hold.releasedBy ?? ''}: ${hold.releaseReason ?? ''}`,
            )
          : null,
        sar ? fact('Received', formatDate(sar.receivedOn)) : null,
        sar
          ? fact(
              'Respond by',
              sar.extended
                ? `${formatDate(sar.extendedRespondBy)} (extended; the requester was told on ${formatDate(sar.extension?.toldOn ?? '')})`
                : `${formatDate(sar.respondBy)} (or ${formatDate(sar.extendedRespondBy)} if extended)`,
            )
          : null,
        sar?.pausedSince
          ? fact(
              'Clock stopped',
              `since ${formatDate(sar.pausedSince)}: the deadline moves on a day each day`,
            )
          : null,
      ),
      notice,
      actionForms(forms, headingId),
    ),
  );
}

/** A hold on whole classes: which, from when to when, and Release. */
function blanketItem(
  rms: Rms,
  hold: BlanketHoldView,
  acted: Acted | null,
  onActed: (a: Acted) => void,
): HTMLElement {
  const headingId = uid('blanket');
  const forms =
    hold.releasedAt === null
      ? [
          actionForm({
            label: 'Release',
            style: 'secondary',
            controls: () => [areaControl('Why is the hold released?', { name: 'reason', required: true })],
            submit: 'Release the hold',
            send: (v) =>
              rms.api.post<HoldActionResponse>(
                `/api/tab/rms/blanket-holds/${encodeURIComponent(hold.id)}/release`,
                v,
              ),
            done: (result) => onActed(actedFrom(result, hold.id)),
          }),
        ]
      : [];
  return h(
    'li',
    { class: 'item', 'data-id': hold.id },
    h(
      'article',
      { 'aria-labelledby': headingId },
      h(
        'div',
        { class: 'item-head' },
        h('h3', { id: headingId, tabindex: -1 }, `${hold.typeLabel} hold ${hold.reference}: ${hold.name}`),
        h('div', { class: 'badges' }, badge(hold.inForce)),
      ),
      h(
        'dl',
        { class: 'facts' },
        fact('Classes', hold.classTitles ? hold.classTitles.join('; ') : 'Every class'),
        fact(
          'In force',
          hold.endsOn
            ? `${formatDate(hold.startsOn)} to ${formatDate(hold.endsOn)}`
            : `from ${formatDate(hold.startsOn)}, with no end set`,
        ),
        fact('Reason', hold.reason),
        fact('Placed', `${when(hold.placedAt)} by ${hold.placedBy}`),
        hold.releasedAt
          ? fact(
              'Released',
              `${when(hold.releasedAt)} by ${hold.releasedBy ?? ''}: ${hold.releaseReason ?? ''}`,
            )
          : null,
      ),
      acted ? outcome(acted.kind, acted.text) : null,
      actionForms(forms, headingId),
    ),
  );
}

function list(title: string, items: HTMLElement[], empty: string): HTMLElement {
  const id = uid('holds');
  return h(
    'section',
    { class: 'subgroup', 'aria-labelledby': id },
    h('h3', { id }, title, ' ', h('span', { class: 'count' }, `(${items.length})`)),
    items.length ? h('ul', { class: 'items' }, items) : h('p', { class: 'empty' }, empty),
  );
}

/** A form to place a hold, opened from the section's toolbar; `placed` is told what came of it. */
function placeForm(
  title: string,
  controls: Control<Input>[],
  send: (values: Record<string, unknown>) => Promise<Result<HoldActionResponse>>,
  placed: (a: Acted) => void,
  close: () => void,
): HTMLFormElement {
  const error = formError();
  const cancel = h('button', { type: 'button', class: 'btn secondary' }, 'Close');
  cancel.addEventListener('click', close);
  const form = h(
    'form',
    { class: 'place-form', novalidate: true, 'aria-label': title },
    h('h3', {}, title),
    h(
      'div',
      { class: 'filters' },
      controls.map((c) => c.el),
    ),
    error,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'btn primary' }, 'Place the hold'),
      cancel,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(form, error, () => send(valuesOf(controls))).then((result) => {
      if (result.ok) placed(actedFrom(result, ''));
    });
  });
  return form;
}

function caseHoldControls(rms: Rms): Control<Input>[] {
  const type = selectControl(
    'Type',
    { name: 'type' },
    HOLD_TYPES.map((t) => h('option', { value: t }, HOLD_TYPE_LABELS[t])),
  );
  const received = dateControl(
    'Date the request was received',
    { name: 'sarReceivedOn', max: rms.today },
    'Subject access requests: the response deadline counts from it.',
  );
  const showReceived = () => (received.el.hidden = type.input.value !== 'subject_access_request');
  type.input.addEventListener('change', showReceived);
  showReceived();
  return [
    textControl('Case reference', { name: 'caseRef', required: true, maxlength: 40 }),
    textControl('Record (leave empty for the whole case)', { name: 'recordId', maxlength: 100 }),
    type,
    textControl('Reference (claim, request or inquiry)', {
      name: 'reference',
      required: true,
      maxlength: 100,
    }),
    received,
    areaControl('Reason', { name: 'reason', required: true }),
  ];
}

function blanketControls(rms: Rms): Control<Input>[] {
  const classes = selectControl(
    'Classes held',
    { name: 'classes', multiple: true, size: 8 },
    rms.classOptions(),
    'Choose none to hold every class. Hold Ctrl (or Cmd) to choose more than one.',
  );
  return [
    selectControl(
      'Type',
      { name: 'type' },
      BLANKET_HOLD_TYPES.map((t) => h('option', { value: t }, HOLD_TYPE_LABELS[t])),
    ),
    textControl('The inquiry or request', { name: 'name', required: true, maxlength: 200 }),
    textControl('Reference', { name: 'reference', required: true, maxlength: 100 }),
    dateControl('First day', { name: 'startsOn', value: rms.today }),
    dateControl('Last day (empty while open-ended)', { name: 'endsOn' }),
    classes,
    areaControl('Reason', { name: 'reason', required: true }),
  ];
}

/** The section: holds in force, the forms to place them, each drawn again after every action. */
export function holdsSection(rms: Rms): { el: HTMLElement; ready: Promise<void> } {
  const forms = h('div', { class: 'section-forms' });
  const placeCase = h('button', { type: 'button', class: 'btn primary' }, 'Place a hold');
  const placeBlanket = h(
    'button',
    { type: 'button', class: 'btn secondary' },
    'Place a hold on whole classes',
  );
  const { el, body } = section(
    'Holds in force',
    h('div', { class: 'toolbar start' }, placeCase, placeBlanket),
    forms,
  );

  let drawn = 0;
  const draw = async (acted: Acted | null): Promise<void> => {
    drawn += 1;
    const mine = drawn;
    body.setAttribute('aria-busy', 'true');
    const result = await rms.api.get<HoldsResponse>('/api/tab/rms/holds?status=active');
    if (mine !== drawn) return;
    body.removeAttribute('aria-busy');
    if (!result.ok) {
      fill(body, acted ? outcome(acted.kind, acted.text) : null, loadFailed(result.error));
      return;
    }
    const onActed = (next: Acted) => {
      void draw(next);
      if (next.kind === 'ok') rms.refresh('due', 'review');
    };
    const { holds, blanket } = result.data;
    const actedFor = (id: string) => (acted?.id === id ? acted : null);
    const listed = holds.some((x) => x.id === acted?.id) || blanket.some((x) => x.id === acted?.id);
    const changed: HTMLElement[] = [];
    if (acted && !listed) {
      if (acted.hold) changed.push(holdItem(rms, acted.hold, acted, onActed));
      else if (acted.blanketHold) changed.push(blanketItem(rms, acted.blanketHold, acted, onActed));
    }
    fill(
      body,
      acted && !listed && !changed.length ? outcome(acted.kind, acted.text) : null,
      changed.length ? list('Changed just now', changed, '') : null,
      list(
        'On cases and records',
        holds.map((x) => holdItem(rms, x, actedFor(x.id), onActed)),
        'No hold is in force on a case or record.',
      ),
      list(
        'On whole classes of records',
        blanket.map((x) => blanketItem(rms, x, actedFor(x.id), onActed)),
        'No hold is in force on a whole class of records.',
      ),
      h(
        'p',
        { class: 'hint' },
        `${plural(holds.length + blanket.length, 'hold')} in force: held records cannot be destroyed.`,
      ),
    );
    if (acted) body.querySelector<HTMLElement>('[data-outcome]')?.focus();
  };

  const open = (opener: HTMLButtonElement, title: string, controls: Control<Input>[], path: string) => {
    const close = () => {
      forms.replaceChildren();
      opener.focus();
    };
    const form = placeForm(
      title,
      controls,
      (values) => rms.api.post<HoldActionResponse>(path, values),
      (acted) => {
        forms.replaceChildren();
        void draw(acted);
        rms.refresh('due', 'review');
      },
      close,
    );
    forms.replaceChildren(form);
    controls[0]?.input.focus();
  };
  placeCase.addEventListener('click', () =>
    open(placeCase, 'Place a hold on a case or record', caseHoldControls(rms), '/api/tab/rms/holds'),
  );
  placeBlanket.addEventListener('click', () =>
    open(
      placeBlanket,
      'Place a hold on whole classes of records',
      blanketControls(rms),
      '/api/tab/rms/blanket-holds',
    ),
  );
  rms.on('holds', () => void draw(null));
  return { el, ready: draw(null) };
}
