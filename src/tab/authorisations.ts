import { formatDate } from '../rules/dates.js';
import type { Api } from './api.js';
import type { ActionResponse, TabAction, TabAuthorisation } from './api-types.js';
import { announce, h, uid, type Child } from './dom.js';

/** How an item is shown: to its requester, or to a manager (whose name for it is the requester's). */
export type Perspective = 'requester' | 'manager';

/** What a person reads on an item after acting on it. */
export interface Notice {
  text: string;
  kind: 'ok' | 'error';
}

/** An action's outcome: the item as it is now, and what to tell the person. */
export interface Acted {
  authorisation: TabAuthorisation;
  notice: Notice;
}

/**
 * Lists that follow every action: `onActed` is told each outcome (to draw the lists again from
 * the server), and the item `acted` names is drawn with its notice and given focus.
 */
export interface LiveLists {
  acted: Acted | null;
  onActed: (acted: Acted) => void;
}

interface ActionSpec {
  action: TabAction;
  label: string;
  style: 'primary' | 'secondary' | 'danger';
  /** Asks for a reason first; `required` when the rules need one. */
  reason?: { label: string; required: boolean; submit: string };
}

function actionsFor(a: TabAuthorisation): ActionSpec[] {
  const specs: ActionSpec[] = [];
  const first = a.requester.name.split(' ')[0] ?? a.requester.name;
  if (a.can.canDecide) {
    specs.push({
      action: 'approve',
      label: 'Approve',
      style: 'primary',
    });
    specs.push({
      action: 'decline',
      label: 'Decline',
      style: 'secondary',
      reason: {
        label: `Reason for declining (${first} will see it)`,
        required: true,
        submit: 'Decline request',
      },
    });
  }
  if (a.can.canCancel) {
    specs.push({
      action: 'cancel',
      label: 'Cancel and request return',
      style: 'danger',
      reason: {
        label: `Reason for cancelling and asking for the records back (${first} will see it)`,
        required: true,
        submit: 'Cancel authorisation',
      },
    });
  }
  if (a.can.canMarkReturned) {
    specs.push({
      action: 'mark_returned',
      label: a.can.isRequester ? 'Mark records returned' : 'Confirm records returned',
      style: 'secondary',
    });
  }
  if (a.can.canWithdraw) {
    specs.push({
      action: 'withdraw',
      label: 'Withdraw request',
      style: 'secondary',
      reason: { label: 'Reason for withdrawing (optional)', required: false, submit: 'Withdraw request' },
    });
  }
  return specs;
}

function fact(term: string, value: Child): Child[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function statusBadge(a: TabAuthorisation): Child[] {
  return [
    h('span', { class: `badge status-${a.status}` }, a.statusLabel),
    a.overdue ? h('span', { class: 'badge overdue' }, 'Overdue') : null,
  ];
}

/**
 * One authorisation as a card: what, when, status and the buttons the viewer may press. An
 * action goes to the API with the version shown; the card is redrawn from the answer.
 */
export function authorisationItem(
  api: Api,
  initial: TabAuthorisation,
  perspective: Perspective,
  live: LiveLists | null = null,
): HTMLElement {
  const root = h('li', { class: 'item', 'data-id': initial.id });

  const draw = (a: TabAuthorisation, notice: Notice | null = null) => {
    const headingId = uid('item');
    const heading = h(
      'h3',
      { id: headingId, tabindex: -1 },
      perspective === 'manager' ? `${a.requester.name} · case ${a.caseRef}` : `Case ${a.caseRef}`,
      ` · ${a.purposeLabel}`,
    );
    const records = a.records.length
      ? a.records.map((r) => `${r.title} (${r.id})`).join('; ')
      : 'The whole case file';
    const facts = h(
      'dl',
      { class: 'facts' },
      perspective === 'manager' ? fact('Requested by', a.requester.name) : null,
      fact('Records', records),
      fact('Out', formatDate(a.outOn)),
      fact('Due back', h('span', { class: a.overdue ? 'overdue-text' : '' }, formatDate(a.returnOn))),
      fact('Destination', a.destination),
      fact('Why', a.justification),
      perspective === 'requester' && a.status === 'pending'
        ? fact(
            'Waiting for',
            a.approvers.map((p) => p.name).join(' or ') || 'nobody: you have no line manager',
          )
        : null,
      a.decidedBy ? fact(a.status === 'declined' ? 'Declined by' : 'Decided by', a.decidedBy.name) : null,
      a.reason ? fact('Reason', a.reason) : null,
    );

    const message = h(
      'p',
      { class: `notice ${notice?.kind ?? ''}`, role: notice?.kind === 'error' ? 'alert' : null },
      notice?.text ?? '',
    );
    if (!notice) message.hidden = true;

    const form = h('form', { class: 'reason-form', novalidate: true });
    form.hidden = true;
    const buttons = h('div', { class: 'actions' });

    const send = async (spec: ActionSpec, reason: string | undefined, controls: HTMLButtonElement[]) => {
      controls.forEach((b) => (b.disabled = true));
      root.setAttribute('aria-busy', 'true');
      const result = await api.post<ActionResponse>(
        `/api/tab/authorisations/${encodeURIComponent(a.id)}/actions`,
        {
          action: spec.action,
          version: a.version,
          ...(reason !== undefined ? { reason } : {}),
        },
      );
      root.removeAttribute('aria-busy');
      const acted: Acted = result.ok
        ? { authorisation: result.data.authorisation, notice: { text: result.data.notice, kind: 'ok' } }
        : { authorisation: result.body.authorisation ?? a, notice: { text: result.error, kind: 'error' } };
      draw(acted.authorisation, acted.notice);
      announce(acted.notice.text);
      live?.onActed(acted);
    };

    const openReason = (spec: ActionSpec, opener: HTMLButtonElement) => {
      const fieldId = uid('reason');
      const errorId = uid('reason-error');
      const field = h('textarea', {
        id: fieldId,
        name: 'reason',
        rows: 3,
        maxlength: 1000,
        required: spec.reason!.required,
        'aria-required': spec.reason!.required ? 'true' : null,
        'aria-describedby': errorId,
      });
      const error = h('p', { id: errorId, class: 'field-error' });
      const submit = h(
        'button',
        { type: 'submit', class: `btn ${spec.style === 'danger' ? 'danger' : 'primary'}` },
        spec.reason!.submit,
      );
      const back = h('button', { type: 'button', class: 'btn secondary' }, 'Back');
      back.addEventListener('click', () => {
        form.hidden = true;
        buttons.hidden = false;
        opener.focus();
      });
      form.replaceChildren(
        h('label', { for: fieldId }, spec.reason!.label),
        field,
        error,
        h('div', { class: 'actions' }, submit, back),
      );
      form.onsubmit = (event) => {
        event.preventDefault();
        const reason = field.value.trim();
        if (spec.reason!.required && !reason) {
          error.textContent = 'Please give a reason: the procedure says reasons are always given.';
          field.setAttribute('aria-invalid', 'true');
          field.focus();
          return;
        }
        void send(spec, reason || undefined, [submit, back]);
      };
      buttons.hidden = true;
      form.hidden = false;
      field.focus();
    };

    const specs = actionsFor(a);
    for (const spec of specs) {
      const button = h(
        'button',
        { type: 'button', class: `btn ${spec.style}`, 'aria-describedby': headingId },
        spec.label,
      );
      button.addEventListener('click', () => {
        if (spec.reason) openReason(spec, button);
        else void send(spec, undefined, Array.from(buttons.querySelectorAll('button')));
      });
      buttons.append(button);
    }
    if (!specs.length) buttons.hidden = true;

    root.replaceChildren(
      h(
        'article',
        { 'aria-labelledby': headingId },
        h('div', { class: 'item-head' }, heading, h('div', { class: 'badges' }, statusBadge(a))),
        facts,
        message,
        buttons,
        form,
      ),
    );
    if (notice) heading.focus();
  };

  draw(initial, live?.acted?.authorisation.id === initial.id ? live.acted.notice : null);
  return root;
}

/** A titled list of authorisations, or a sentence when there are none. */
export function authorisationList(
  api: Api,
  title: string,
  items: TabAuthorisation[],
  perspective: Perspective,
  empty: string,
  live: LiveLists | null = null,
): HTMLElement {
  const headingId = uid('list');
  return h(
    'section',
    { class: 'group', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, title, ' ', h('span', { class: 'count' }, `(${items.length})`)),
    items.length
      ? h('ul', { class: 'items' }, ...items.map((a) => authorisationItem(api, a, perspective, live)))
      : h('p', { class: 'empty' }, empty),
  );
}
