// Local mode only: outside Teams there is no sign-in, so the page acts as a person of the staff
// directory chosen here, and remembers the choice in this browser. The server offers the list,
// and accepts the choice, only in local mode.
import { ROLE_LABELS } from '../rules/roles.js';
import type { Persona, PersonasResponse } from './api-types.js';
import { h, uid } from './dom.js';

const STORAGE_KEY = 'case-records:persona';

/** The people to choose from, and who is chosen now (null: nobody yet). */
export interface Personas extends PersonasResponse {
  current: string | null;
}

function stored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage switched off: the choice lasts until the page is reloaded
  }
}

/** Whom to act as: the choice remembered in this browser, else the server's initial persona. */
export function initialPersona(list: PersonasResponse): string | null {
  const known = (id: string | null) => (id && list.people.some((p) => p.id === id) ? id : null);
  return known(stored()) ?? known(list.initial);
}

export function rememberPersona(id: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, id);
  } catch {
    // storage switched off: nothing to remember it in
  }
}

function describe(p: Persona): string {
  const roles = p.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'no role';
  return `${p.name} (${roles})`;
}

/** A labelled list of the directory's people; `onChoose` gets the id chosen. */
export function personaPicker(personas: Personas, onChoose: (id: string) => void): HTMLElement {
  const id = uid('persona');
  const select = h(
    'select',
    { id, name: 'persona', 'data-testid': 'persona-picker' },
    personas.current ? null : h('option', { value: '', selected: true, disabled: true }, 'Choose a person…'),
    personas.people.map((p) =>
      h('option', { value: p.id, selected: p.id === personas.current }, describe(p)),
    ),
  );
  select.addEventListener('change', () => {
    if (select.value) onChoose(select.value);
  });
  return h('div', { class: 'persona' }, h('label', { for: id }, 'Act as'), select);
}
