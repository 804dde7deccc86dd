import type { Result } from './api.js';
import { h, uid, type Attrs } from './dom.js';

// Form fields with their labels and hints, the outcome of an action as people read it, and a form
// sent to the API: its buttons off while it is on its way, and the server's sentence shown in the
// form (and given the focus) when it is refused. The server checks everything: a form here only
// collects what the officer typed.

export interface Control<E extends HTMLElement> {
  /** The label, the control and its hint, to place in a form. */
  el: HTMLElement;
  input: E;
  /** Other inputs inside `el` (a group of ticks under one legend). */
  also?: Input[];
}

function labelled<E extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
  label: string,
  input: E,
  hint?: string,
): Control<E> {
  input.id ||= uid('field');
  const hintEl = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  const wide = input instanceof HTMLTextAreaElement || (input instanceof HTMLSelectElement && input.multiple);
  return {
    el: h(
      'div',
      { class: wide ? 'field wide' : 'field' },
      h('label', { for: input.id }, label),
      input,
      hintEl,
    ),
    input,
  };
}

/** A one-line text (or date, or number) input. */
export function textControl(label: string, attrs: Attrs, hint?: string): Control<HTMLInputElement> {
  return labelled(label, h('input', { type: 'text', autocomplete: 'off', ...attrs }), hint);
}

/** A date input (YYYY-MM-DD, as the API takes it). */
export function dateControl(label: string, attrs: Attrs, hint?: string): Control<HTMLInputElement> {
  return labelled(label, h('input', { type: 'date', ...attrs }), hint);
}

export function areaControl(label: string, attrs: Attrs, hint?: string): Control<HTMLTextAreaElement> {
  return labelled(label, h('textarea', { rows: 3, maxlength: 2000, ...attrs }), hint);
}

export function selectControl(
  label: string,
  attrs: Attrs,
  options: HTMLOptionElement[],
  hint?: string,
): Control<HTMLSelectElement> {
  return labelled(label, h('select', attrs, options), hint);
}

/** A checkbox with its label after it. */
export function checkControl(label: string, attrs: Attrs): Control<HTMLInputElement> {
  const input = h('input', { type: 'checkbox', id: uid('check'), ...attrs });
  return { el: h('div', { class: 'check' }, input, h('label', { for: input.id }, label)), input };
}

/** Ticks under one legend, as one control. */
export function checkGroup(legend: string, checks: Control<HTMLInputElement>[]): Control<HTMLInputElement> {
  const [first, ...rest] = checks;
  if (!first) throw new Error('A group of ticks needs at least one.');
  return {
    el: h(
      'fieldset',
      { class: 'checks' },
      h('legend', {}, legend),
      checks.map((c) => c.el),
    ),
    input: first.input,
    also: rest.map((c) => c.input),
  };
}

/**
 * What came of an action, as the officer reads it: a status message when it was done, an alert
 * when not. It can take the focus, so the keyboard is where the news is.
 */
export function outcome(kind: 'ok' | 'error', text: string): HTMLElement {
  return h(
    'p',
    { class: `notice ${kind}`, role: kind === 'ok' ? 'status' : 'alert', tabindex: -1, 'data-outcome': kind },
    text,
  );
}

/** A refusal that means what was typed must change (not that the item did): shown in the form. */
export function isInputProblem(result: { status: number }): boolean {
  return result.status === 400 || result.status === 422;
}

/** Where a form says why it was not accepted: empty and hidden until then. */
export function formError(): HTMLElement {
  const el = h('p', { class: 'notice error', role: 'alert', tabindex: -1 });
  el.hidden = true;
  return el;
}

export function showFormError(el: HTMLElement, text: string): void {
  el.textContent = text;
  el.hidden = false;
  el.focus();
}

/**
 * Sends a form's action: its buttons are off and the form busy while it goes; a refusal about what
 * was typed is shown in `error` (with the focus), anything else is the caller's to show.
 */
export async function submitting<T>(
  form: HTMLElement,
  error: HTMLElement,
  call: () => Promise<Result<T>>,
): Promise<Result<T>> {
  const buttons = Array.from(form.querySelectorAll('button'));
  buttons.forEach((b) => (b.disabled = true));
  form.setAttribute('aria-busy', 'true');
  error.hidden = true;
  const result = await call();
  form.removeAttribute('aria-busy');
  buttons.forEach((b) => (b.disabled = false));
  if (!result.ok && isInputProblem(result)) showFormError(error, result.error);
  return result;
}

export type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** What a form's controls hold, by name: text, a tick, or the choices of a multiple choice (comma-separated). */
export type Values = Record<string, string | boolean>;

export function valuesOf(controls: readonly Control<Input>[]): Values {
  const values: Values = {};
  for (const input of controls.flatMap((c) => [c.input, ...(c.also ?? [])])) {
    if (!input.name) continue;
    if (input instanceof HTMLInputElement && input.type === 'checkbox') values[input.name] = input.checked;
    else if (input instanceof HTMLSelectElement && input.multiple)
      values[input.name] = Array.from(input.selectedOptions, (o) => o.value).join(',');
    else values[input.name] = input.value;
  }
  return values;
}

/** An action on an item that asks for something first (a reason, dates, ticks) in a form of its own. */
export interface ActionForm<T> {
  /** The button that opens the form. */
  label: string;
  style: 'primary' | 'secondary' | 'danger';
  /** What the form says before its fields, if anything. */
  intro?: string;
  /** The form's fields, made each time it opens. */
  controls: () => Control<Input>[];
  /** The button that sends it. */
  submit: string;
  send: (values: Values) => Promise<Result<T>>;
  /** What came of it, unless the form itself shows why it was refused (what was typed). */
  done: (result: Result<T>) => void;
}

/** An action form ready to open: what it asks, and how it runs once sent. */
export interface OpenableForm {
  label: string;
  style: ActionForm<unknown>['style'];
  intro?: string;
  controls: () => Control<Input>[];
  submit: string;
  run: (values: Values, form: HTMLElement, error: HTMLElement) => Promise<void>;
}

export function actionForm<T>(spec: ActionForm<T>): OpenableForm {
  return {
    label: spec.label,
    style: spec.style,
    intro: spec.intro,
    controls: spec.controls,
    submit: spec.submit,
    run: async (values, form, error) => {
      const result = await submitting(form, error, () => spec.send(values));
      if (result.ok || !isInputProblem(result)) spec.done(result);
    },
  };
}

/**
 * The buttons of an item's actions (each described by the item's heading), and the form each
 * opens in their place: Back closes it and gives the focus back to its button.
 */
export function actionForms(forms: readonly OpenableForm[], describedBy: string): HTMLElement {
  const buttons = h('div', { class: 'actions' });
  const area = h('div', { class: 'action-form' });
  for (const spec of forms) {
    const opener = h(
      'button',
      { type: 'button', class: `btn ${spec.style}`, 'aria-describedby': describedBy },
      spec.label,
    );
    opener.addEventListener('click', () => {
      const controls = spec.controls();
      const error = formError();
      const back = h('button', { type: 'button', class: 'btn secondary' }, 'Back');
      const form = h(
        'form',
        { class: 'reason-form', novalidate: true, 'aria-label': spec.label },
        spec.intro ? h('p', { class: 'hint' }, spec.intro) : null,
        controls.map((c) => c.el),
        error,
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { type: 'submit', class: `btn ${spec.style === 'danger' ? 'danger' : 'primary'}` },
            spec.submit,
          ),
          back,
        ),
      );
      back.addEventListener('click', () => {
        area.replaceChildren();
        buttons.hidden = false;
        opener.focus();
      });
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void spec.run(valuesOf(controls), form, error);
      });
      area.replaceChildren(form);
      buttons.hidden = true;
      (controls[0]?.input ?? form.querySelector('button'))?.focus();
    });
    buttons.append(opener);
  }
  if (!forms.length) buttons.hidden = true;
  return h('div', {}, buttons, area);
}
