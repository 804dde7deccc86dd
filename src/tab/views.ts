import type { Api, Result } from './api.js';
import type { Me, MineResponse, TeamResponse } from './api-types.js';
import { authorisationList } from './authorisations.js';
import { fill, h } from './dom.js';

/** A panel of the tab: draws itself into `panel`, again each time it is refreshed. */
export type View = (panel: HTMLElement, api: Api, me: Me) => Promise<void>;

export function loading(panel: HTMLElement, what: string): void {
  fill(panel, h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`));
}

/** Shows a failed call's sentence in place of the panel's content. */
export function failed(panel: HTMLElement, result: Extract<Result<unknown>, { ok: false }>): void {
  fill(panel, h('p', { class: 'notice error', role: 'alert' }, result.error));
}

export function refreshButton(label: string, onClick: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'btn secondary refresh' }, `Refresh ${label}`);
  button.addEventListener('click', onClick);
  return button;
}

export const mineView: View = async (panel, api) => {
  loading(panel, 'your requests');
  const result = await api.get<MineResponse>('/api/tab/requests/mine');
  if (!result.ok) return failed(panel, result);
  fill(
    panel,
    h(
      'div',
      { class: 'toolbar' },
      refreshButton('my requests', () => void mineView(panel, api, {} as Me)),
    ),
    authorisationList(
      api,
      'Open requests and authorisations',
      result.data.open,
      'requester',
      'You have no open requests. Ask the bot in chat to take a case file out of the office.',
    ),
    authorisationList(api, 'Recently closed', result.data.closed, 'requester', 'Nothing closed recently.'),
  );
};

export const teamView: View = async (panel, api) => {
  loading(panel, "your team's authorisations");
  const result = await api.get<TeamResponse>('/api/tab/team');
  if (!result.ok) return failed(panel, result);
  const { pending, overdue, active } = result.data;
  fill(
    panel,
    h(
      'div',
      { class: 'toolbar' },
      refreshButton('team', () => void teamView(panel, api, {} as Me)),
    ),
    authorisationList(api, 'Waiting for your decision', pending, 'manager', 'Nothing is waiting for you.'),
    authorisationList(api, 'Overdue', overdue, 'manager', 'Nothing is overdue.'),
    authorisationList(
      api,
      'Out of the office now',
      active,
      'manager',
      'No records are out of the office on an authorisation.',
    ),
  );
};
