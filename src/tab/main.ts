import { ROLE_LABELS } from '../rules/roles.js';
import { Api } from './api.js';
import { PERSONAS_PATH, type Me, type PersonasResponse } from './api-types.js';
import { announce, fill, h } from './dom.js';
import { initialPersona, personaPicker, rememberPersona, type Personas } from './personas.js';
import { retentionView } from './retention.js';
import { rmsView } from './rms.js';
import { connect, loaded, type HostSession } from './teams.js';
import { mineView, teamView, type View } from './views.js';

interface TabSpec {
  key: string;
  label: string;
  view: View;
}

function tabsFor(me: Me): TabSpec[] {
  const tabs: TabSpec[] = [];
  if (me.views.team) tabs.push({ key: 'team', label: 'My team', view: teamView });
  if (me.views.recordsManagement) tabs.push({ key: 'rms', label: 'Records Management', view: rmsView });
  tabs.push({ key: 'mine', label: 'My requests', view: mineView });
  tabs.push({ key: 'retention', label: 'Retention lookup', view: retentionView });
  // A case worker starts on their own requests.
  if (me.roles.includes('case_worker')) {
    const mine = tabs.findIndex((t) => t.key === 'mine');
    tabs.unshift(...tabs.splice(mine, 1));
  }
  return tabs;
}

/** The ARIA tabs pattern: arrow keys, Home and End move between tabs; each panel loads on first view. */
function tabset(api: Api, me: Me, specs: TabSpec[]): HTMLElement {
  const list = h('div', { role: 'tablist', 'aria-label': 'Case Records views', class: 'tablist' });
  const panels = h('div', { class: 'panels' });
  const loadedPanels = new Set<string>();
  const tabs = specs.map((spec) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${spec.key}`,
        'aria-controls': `panel-${spec.key}`,
        'aria-selected': 'false',
        tabindex: -1,
        class: 'tab',
      },
      spec.label,
    ),
  );
  const panelEls = specs.map((spec) => {
    const panel = h('div', {
      role: 'tabpanel',
      id: `panel-${spec.key}`,
      'aria-labelledby': `tab-${spec.key}`,
      tabindex: 0,
      class: 'panel',
    });
    panel.hidden = true;
    return panel;
  });

  const select = (index: number, focus: boolean) => {
    tabs.forEach((tab, i) => {
      const on = i === index;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      panelEls[i]!.hidden = !on;
    });
    if (focus) tabs[index]!.focus();
    const spec = specs[index]!;
    if (!loadedPanels.has(spec.key)) {
      loadedPanels.add(spec.key);
      void spec.view(panelEls[index]!, api, me);
    }
  };

  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(i, false));
    tab.addEventListener('keydown', (event) => {
      const last = tabs.length - 1;
      const next =
        event.key === 'ArrowRight'
          ? (i + 1) % tabs.length
          : event.key === 'ArrowLeft'
            ? (i + last) % tabs.length
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? last
                : null;
      if (next === null) return;
      event.preventDefault();
      select(next, true);
    });
  });
  list.append(...tabs);
  panels.append(...panelEls);
  const wrapper = h('div', { class: 'tabset' }, list, panels);
  select(0, false);
  return wrapper;
}

/** Draws the tab for whoever the API says is asking; `personas` is the local-mode picker, if any. */
async function show(
  root: HTMLElement,
  session: HostSession,
  personas: Personas | null,
  choose: (id: string) => void,
): Promise<void> {
  const picker = personas ? personaPicker(personas, choose) : null;
  if (personas && !personas.current) {
    fill(
      root,
      h(
        'div',
        { class: 'dev-banner', role: 'note', 'data-testid': 'dev-banner' },
        h('strong', {}, 'Development identity. '),
        'Choose whom to act as, without Teams sign-in. This is for local development only; a server with Teams credentials never allows it.',
        picker,
      ),
    );
    document.body.dataset.state = 'choosing';
    return;
  }
  const api = new Api(session, personas?.current ?? null);
  const me = await api.get<Me>('/api/tab/me');
  if (!me.ok) {
    const outside = !session.inTeams && !personas && me.status === 401;
    fill(
      root,
      h(
        'div',
        { class: 'notice error signin', role: 'alert' },
        h('h1', {}, 'Case Records'),
        h(
          'p',
          {},
          outside
            ? 'Open this tab in Microsoft Teams: it signs you in with your Teams account. (Acting as someone without signing in is for local mode only.)'
            : me.error,
        ),
      ),
      picker,
    );
    document.body.dataset.state = 'refused';
    return;
  }
  const person = me.data;
  const roles = person.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'no role in the directory';
  fill(
    root,
    person.identity === 'development'
      ? h(
          'div',
          { class: 'dev-banner', role: 'note', 'data-testid': 'dev-banner' },
          h('strong', {}, 'Development identity. '),
          `You are acting as ${person.name} without Teams sign-in. This is for local development only; a server with Teams credentials never allows it.`,
          picker,
        )
      : null,
    h(
      'header',
      { class: 'app-header' },
      h('h1', {}, 'Case Records'),
      h(
        'p',
        { class: 'who' },
        h('span', { class: 'name' }, person.name),
        h('span', { class: 'roles' }, ` · ${roles}`),
      ),
    ),
    h('main', { id: 'main', 'aria-label': 'Case Records' }, tabset(api, person, tabsFor(person))),
  );
  document.body.dataset.state = 'ready';
}

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const session = await connect();
  // Outside Teams, in local mode only, the server lists whom the page may act as.
  const list = session.inTeams ? null : await new Api(session).get<PersonasResponse>(PERSONAS_PATH);
  const personas: Personas | null = list?.ok ? { ...list.data, current: initialPersona(list.data) } : null;
  const choose = (id: string) => {
    if (!personas) return;
    personas.current = id;
    rememberPersona(id);
    document.body.dataset.state = 'loading';
    void show(root, session, personas, choose).then(() => {
      // Keep the keyboard where it was, and say who the page now acts as.
      document.querySelector<HTMLSelectElement>('[data-testid="persona-picker"]')?.focus();
      const name = personas.people.find((p) => p.id === id)?.name;
      if (name) announce(`Now acting as ${name}.`);
    });
  };
  await show(root, session, personas, choose);
  loaded(session);
}

start().catch((error: unknown) => {
  const root = document.getElementById('app');
  if (root) {
    fill(
      root,
      h(
        'p',
        { class: 'notice error', role: 'alert' },
        `The tab could not start: ${error instanceof Error ? error.message : String(error)}. Reload it to try again.`,
      ),
    );
  }
});
