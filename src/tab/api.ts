import { DEV_IDENTITY_HEADER, type ApiError } from './api-types.js';
import type { HostSession } from './teams.js';

export type Result<T> = { ok: true; data: T } | { ok: false; status: number; error: string; body: ApiError };

/**
 * Calls the tab API with a fresh Teams SSO token; outside Teams, in local mode, as the person
 * chosen in the persona picker (`persona`, an aadObjectId), if any.
 */
export class Api {
  constructor(
    private readonly session: HostSession,
    private readonly persona: string | null = null,
  ) {}

  private async headers(): Promise<Record<string, string> | string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (!this.session.inTeams) {
      if (this.persona) headers[DEV_IDENTITY_HEADER] = this.persona;
      return headers;
    }
    try {
      const token = await this.session.token();
      if (token) headers.authorization = `Bearer ${token}`;
    } catch (error) {
      return `Teams could not sign you in to the tab (${error instanceof Error ? error.message : String(error)}). Reload the tab, or sign out of Teams and back in.`;
    }
    return headers;
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Result<T>> {
    const headers = await this.headers();
    if (typeof headers === 'string')
      return { ok: false, status: 401, error: headers, body: { error: headers } };
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch {
      const error = 'The Case Records service could not be reached. Check your connection and try again.';
      return { ok: false, status: 0, error, body: { error } };
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      json = null;
    }
    if (response.ok) return { ok: true, data: json as T };
    const problem =
      json && typeof json === 'object' && typeof (json as ApiError).error === 'string'
        ? (json as ApiError)
        : { error: `The request failed (HTTP ${response.status}). Please try again.` };
    return { ok: false, status: response.status, error: problem.error, body: problem };
  }

  get<T>(path: string): Promise<Result<T>> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<Result<T>> {
    return this.request<T>('POST', path, body);
  }
}
