import { app, authentication } from '@microsoft/teams-js';

/** The Teams themes the tab follows; `default` is light. */
export type Theme = 'default' | 'dark' | 'contrast';

export interface HostSession {
  /** True inside Teams (or a host that plays its part); false when opened directly in a browser. */
  inTeams: boolean;
  /** A fresh SSO token for each API call (teams-js caches it); null outside Teams. */
  token(): Promise<string | null>;
}

const INIT_TIMEOUT_MS = 15_000;

export function applyTheme(theme: string | undefined): void {
  const known: Theme = theme === 'dark' || theme === 'contrast' ? theme : 'default';
  document.documentElement.dataset.theme = known;
}

const BROWSER_THEME_QUERIES = ['(prefers-contrast: more)', '(prefers-color-scheme: dark)'] as const;

/** Outside Teams: the browser's own settings, more contrast first, then dark or light. */
function browserTheme(): Theme {
  const matches = (query: string) => window.matchMedia?.(query).matches ?? false;
  if (matches('(prefers-contrast: more)')) return 'contrast';
  return matches('(prefers-color-scheme: dark)') ? 'dark' : 'default';
}

/** Follows the browser's theme, now and when the person changes it. */
function followBrowserTheme(): void {
  applyTheme(browserTheme());
  for (const query of BROWSER_THEME_QUERIES)
    window.matchMedia?.(query).addEventListener('change', () => applyTheme(browserTheme()));
}

function framed(): boolean {
  try {
    return window.parent !== window || !!window.opener;
  } catch {
    return true;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error(`${what} timed out`)), ms);
    promise.then(
      (value) => {
        window.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        window.clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Connects to the Teams host: initialises teams-js, follows the theme from the context (and its
 * changes) and hands out SSO tokens. Opened directly in a browser (no parent window), it does not
 * try, and the page runs outside Teams, in the browser's theme (light, dark or more contrast).
 */
export async function connect(): Promise<HostSession> {
  const outside: HostSession = { inTeams: false, token: () => Promise.resolve(null) };
  if (!framed()) {
    followBrowserTheme();
    return outside;
  }
  try {
    await withTimeout(app.initialize(), INIT_TIMEOUT_MS, 'Teams initialisation');
  } catch {
    followBrowserTheme();
    return outside;
  }
  try {
    const context = await withTimeout(app.getContext(), INIT_TIMEOUT_MS, 'Teams context');
    applyTheme(context.app.theme);
  } catch {
    applyTheme('default');
  }
  app.registerOnThemeChangeHandler((theme) => applyTheme(theme));
  return {
    inTeams: true,
    token: () => authentication.getAuthToken(),
  };
}

/** Tells Teams the tab has loaded (hides its loading indicator). */
export function loaded(session: HostSession): void {
  if (!session.inTeams) return;
  app.notifySuccess().catch(() => undefined);
}
