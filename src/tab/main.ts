import { ROLE_LABELS } from '../rules/roles.js';
import { Api } from './api.js';
import type { Me } from './api-types.js';
import { fill, h } from './dom.js';
import { retentionView } from './retention.js';
import { rmsView } from './rms.js';
import { connect, loaded } from './teams.js';
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

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const session = await connect();
  const api = new Api(session);
  const me = await api.get<Me>('/api/tab/me');
  if (!me.ok) {
    const outside = !session.inTeams && me.status === 401;
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
            ? 'Open this tab in Microsoft Teams: it signs you in with your Teams account. (A development identity is not switched on for this server.)'
            : me.error,
        ),
      ),
    );
    document.body.dataset.state = 'refused';
    loaded(session);
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
