import type { Api, Result } from './api.js';
import type { Me, MineResponse, TabAuthorisation, TeamResponse } from './api-types.js';
import { authorisationList, type Acted, type Perspective } from './authorisations.js';
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

/** A titled list of a view, with what to say when it is empty. */
interface ListSpec {
  title: string;
  items: TabAuthorisation[];
  empty: string;
}

interface ListsViewSpec {
  /** Names what is loading ("your requests") and what Refresh refreshes ("my requests"). */
  what: string;
  refresh: string;
  perspective: Perspective;
  load: (api: Api) => Promise<Result<ListSpec[]>>;
}

/**
 * A view made of lists of authorisations, drawn again from the server after every action, so
 * each item sits in the list it now belongs to and every count is true. The item acted on keeps
 * its notice and the focus; when it has left every list (declined, withdrawn, returned), it is
 * shown once more above them, under "Changed just now".
 */
function listsView(spec: ListsViewSpec): View {
  return async (panel, api) => {
    let drawn = 0;
    const draw = async (acted: Acted | null): Promise<void> => {
      drawn += 1;
      const mine = drawn;
      if (acted) panel.setAttribute('aria-busy', 'true');
      else loading(panel, spec.what);
      const result = await spec.load(api);
      // A later action's answer is newer than this one: it draws the lists.
      if (mine !== drawn) return;
      panel.removeAttribute('aria-busy');
      if (!result.ok) {
        if (!acted) return failed(panel, result);
        panel.prepend(
          h(
            'p',
            { class: 'notice error', role: 'alert' },
            `${result.error} The lists below may be out of date; use Refresh.`,
          ),
        );
        return;
      }
      const live = { acted, onActed: (next: Acted) => void draw(next) };
      const id = acted?.authorisation.id;
      const listed = result.data.some((list) => list.items.some((a) => a.id === id));
      fill(
        panel,
        h(
          'div',
          { class: 'toolbar' },
          refreshButton(spec.refresh, () => void draw(null)),
        ),
        acted && !listed
          ? authorisationList(api, 'Changed just now', [acted.authorisation], spec.perspective, '', live)
          : null,
        result.data.map((list) =>
          authorisationList(api, list.title, list.items, spec.perspective, list.empty, live),
        ),
      );
      if (id) panel.querySelector<HTMLElement>(`li[data-id="${CSS.escape(id)}"] h3`)?.focus();
    };
    await draw(null);
  };
}

async function lists<T>(api: Api, path: string, make: (data: T) => ListSpec[]): Promise<Result<ListSpec[]>> {
  const result = await api.get<T>(path);
  return result.ok ? { ok: true, data: make(result.data) } : result;
}

export const mineView: View = listsView({
  what: 'your requests',
  refresh: 'my requests',
  perspective: 'requester',
  load: (api) =>
    lists<MineResponse>(api, '/api/tab/requests/mine', (mine) => [
      {
        title: 'Open requests and authorisations',
        items: mine.open,
        empty: 'You have no open requests. Ask the bot in chat to take a case file out of the office.',
      },
      { title: 'Recently closed', items: mine.closed, empty: 'Nothing closed recently.' },
    ]),
});

export const teamView: View = listsView({
  what: "your team's authorisations",
  refresh: 'team',
  perspective: 'manager',
  load: (api) =>
    lists<TeamResponse>(api, '/api/tab/team', (team) => [
      { title: 'Waiting for your decision', items: team.pending, empty: 'Nothing is waiting for you.' },
      { title: 'Overdue', items: team.overdue, empty: 'Nothing is overdue.' },
      {
        title: 'Out of the office now',
        items: team.outNow,
        empty: 'No records are out of the office on an authorisation today.',
      },
      {
        title: 'Approved, leaving later',
        items: team.leavingLater,
        empty: 'No approved removals start on a later day.',
      },
    ]),
});
