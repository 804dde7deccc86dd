import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake Microsoft Graph on loopback, for the directory sync's tests and the local demo: a
// tenant's users with their managers (the delta query, with paging, delta tokens and @removed),
// security groups (transitive members), an app registration's app roles and assignments, a
// bearer token it checks, and faults on demand (throttling, outages, an expired delta token).
// The payloads have the shapes Microsoft Graph v1.0 documents.

export interface FakeUser {
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  managerId: string | null;
}

export interface FakeAppRole {
  id: string;
  value: string;
  isEnabled?: boolean;
}

export interface FakeAssignment {
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
}

export interface FakeServicePrincipal {
  id: string;
  appId: string;
  appRoles: FakeAppRole[];
  assignments: FakeAssignment[];
}

export interface Fault {
  /** Which requests: tested against the path and query after /v1.0. */
  match: RegExp;
  status: number;
  /** The Retry-After header, in seconds. */
  retryAfter?: number;
  /** How many matching requests fail; then they succeed again. Infinity: all of them. */
  times: number;
}

export interface LoggedRequest {
  method: string;
  /** Path and query after /v1.0, decoded. */
  path: string;
  authorization: string | null;
  status: number;
  /** Milliseconds since the epoch. */
  at: number;
}

interface ChangeMark {
  version: number;
  /** When the manager last changed, and who it was before. */
  managerVersion: number;
  managerFrom: string | null;
}

interface Round {
  items: Record<string, unknown>[];
  upTo: number;
}

const CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Authorization_RequestDenied',
  404: 'Request_ResourceNotFound',
  410: 'SyncStateNotFound',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken<T>(token: string): T | null {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    return null;
  }
}

export class FakeGraph {
  /** The bearer token it accepts. */
  token = 'fake-graph-token';
  /** Objects a page: small, so tests see several pages. */
  pageSize = 3;
  readonly users = new Map<string, FakeUser>();
  /** Group id to member ids (users or groups). */
  readonly groups = new Map<string, string[]>();
  readonly servicePrincipals: FakeServicePrincipal[] = [];
  readonly requests: LoggedRequest[] = [];
  private readonly faults: Fault[] = [];
  private server: Server | null = null;
  private version = 0;
  private readonly marks = new Map<string, ChangeMark>();
  private readonly deleted = new Map<string, { version: number; permanent: boolean }>();
  private readonly rounds = new Map<string, Round>();
  /** Delta tokens from before this version are refused (410 Gone). */
  private validFrom = 0;
  /** Tokens from another run of the fake are refused too, as expired. */
  private readonly epoch = randomUUID();
  /** Called for every request, after it is answered. */
  onRequest: ((request: LoggedRequest) => void) | null = null;
  url = '';

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1.0`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // --- The tenant ----------------------------------------------------------------------------

  private mark(id: string, managerFrom?: string | null): void {
    this.version += 1;
    const before = this.marks.get(id);
    const managerChanged = managerFrom !== undefined;
    this.marks.set(id, {
      version: this.version,
      managerVersion: managerChanged ? this.version : (before?.managerVersion ?? 0),
      managerFrom: managerChanged ? managerFrom : (before?.managerFrom ?? null),
    });
  }

  addUser(user: Partial<FakeUser> & { id: string; displayName: string }): FakeUser {
    const full: FakeUser = {
      mail: `${user.displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@council.example`,
      userPrincipalName: `${user.displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@council.example`,
      accountEnabled: true,
      userType: 'Member',
      managerId: null,
      ...user,
    };
    this.users.set(full.id, full);
    this.deleted.delete(full.id);
    this.mark(full.id, full.managerId ? null : undefined);
    return full;
  }

  updateUser(id: string, patch: Partial<Omit<FakeUser, 'id'>>): void {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    const managerFrom =
      'managerId' in patch && patch.managerId !== user.managerId ? user.managerId : undefined;
    Object.assign(user, patch);
    this.mark(id, managerFrom);
  }

  /** Deletes a user; like Entra ID, their reports lose them as manager. */
  deleteUser(id: string, permanent = false): void {
    if (!this.users.delete(id)) throw new Error(`no user ${id}`);
    this.version += 1;
    this.deleted.set(id, { version: this.version, permanent });
    this.marks.delete(id);
    for (const u of this.users.values()) if (u.managerId === id) this.updateUser(u.id, { managerId: null });
  }

  setGroup(id: string, members: string[]): void {
    this.groups.set(id, members);
  }

  /** Makes every delta token given so far invalid (410 Gone), as after a tenant's maintenance. */
  expireDeltaTokens(): void {
    this.validFrom = this.version + 1;
    this.version += 1;
  }

  fail(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests whose path matches. */
  requested(match: RegExp): LoggedRequest[] {
    return this.requests.filter((r) => match.test(r.path));
  }

  // --- HTTP ----------------------------------------------------------------------------------

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private error(
    res: ServerResponse,
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    const id = randomUUID();
    this.send(
      res,
      status,
      {
        error: {
          code: CODES[status] ?? 'UnknownError',
          message,
          innerError: {
            date: new Date().toISOString().slice(0, 19),
            'request-id': id,
            'client-request-id': id,
          },
        },
      },
      headers,
    );
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/, '')) + decodeURIComponent(url.search);
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization ?? null,
      status: 200,
      at: Date.now(),
    };
    this.requests.push(entry);
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
      entry.status = status;
      this.send(res, status, body, headers);
      this.onRequest?.(entry);
    };
    const fail = (status: number, message: string, headers?: Record<string, string>) => {
      entry.status = status;
      this.error(res, status, message, headers);
      this.onRequest?.(entry);
    };

    const auth = req.headers.authorization;
    if (!auth) return fail(401, 'Access token is empty.');
    if (auth !== `Bearer ${this.token}`)
      return fail(401, 'Access token validation failure. Invalid audience.');
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(path));
    if (fault) {
      fault.times -= 1;
      return fail(
        fault.status,
        fault.status === 429 ? 'Too many requests. Please try again later.' : 'The service is not available.',
        fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
      );
    }
    if (req.method !== 'GET') return fail(405, 'Only GET is served here.');

    const p = url.pathname.replace(/^\/v1\.0/, '');
    const q = url.searchParams;
    let m: RegExpMatchArray | null;
    if (p === '/users/delta') return this.delta(q, reply, fail);
    if ((m = p.match(/^\/users\/([^/]+)$/))) {
      const user = this.users.get(decodeURIComponent(m[1]!).toLowerCase());
      if (!user) {
        return fail(
          404,
          `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`,
        );
      }
      return reply(200, this.userJson(user, (q.get('$select') ?? 'id').split(',')));
    }
    if ((m = p.match(/^\/groups\/([^/]+)\/transitiveMembers$/)))
      return this.members(decodeURIComponent(m[1]!), q, reply, fail);
    if ((m = decodeURIComponent(p).match(/^\/servicePrincipals\(appId='([^']+)'\)$/))) {
      const sp = this.servicePrincipals.find((s) => s.appId === m![1]);
      if (!sp) return fail(404, `Resource 'appId=${m[1]}' does not exist.`);
      return reply(200, {
        '@odata.context': `${this.url}/$metadata#servicePrincipals(id,appRoles)/$entity`,
        id: sp.id,
        appRoles: sp.appRoles.map((r) => ({
          allowedMemberTypes: ['User'],
          description: r.value,
          displayName: r.value,
          id: r.id,
          isEnabled: r.isEnabled ?? true,
          origin: 'Application',
          value: r.value,
        })),
      });
    }
    if ((m = p.match(/^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/))) {
      const sp = this.servicePrincipals.find((s) => s.id === m![1]);
      if (!sp) return fail(404, `Resource '${m[1]}' does not exist.`);
      const items = sp.assignments.map((a, i) => ({
        id: `assignment-${i}`,
        deletedDateTime: null,
        appRoleId: a.appRoleId,
        createdDateTime: '2026-01-05T09:00:00Z',
        principalDisplayName: this.users.get(a.principalId)?.displayName ?? 'Group',
        principalId: a.principalId,
        principalType: a.principalType,
        resourceDisplayName: 'Case Records Assistant',
        resourceId: sp.id,
      }));
      return this.paged(items, `/servicePrincipals/${sp.id}/appRoleAssignedTo`, q, reply);
    }
    return fail(404, `Resource not found for the segment '${p}'.`);
  }

  private paged(
    items: Record<string, unknown>[],
    path: string,
    q: URLSearchParams,
    reply: (status: number, body: unknown) => void,
  ): void {
    const offset = Number(q.get('$skiptoken') ?? 0);
    const page = items.slice(offset, offset + this.pageSize);
    const body: Record<string, unknown> = {
      '@odata.context': `${this.url}/$metadata#directoryObjects`,
      value: page,
    };
    if (offset + this.pageSize < items.length) {
      body['@odata.nextLink'] = `${this.url}${path}?$skiptoken=${offset + this.pageSize}`;
    }
    reply(200, body);
  }

  private members(
    groupId: string,
    q: URLSearchParams,
    reply: (status: number, body: unknown) => void,
    fail: (status: number, message: string) => void,
  ): void {
    if (!this.groups.has(groupId)) {
      return fail(
        404,
        `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    const seen = new Set<string>();
    const items: Record<string, unknown>[] = [];
    const walk = (id: string) => {
      for (const member of this.groups.get(id) ?? []) {
        if (seen.has(member)) continue;
        seen.add(member);
        const isGroup = this.groups.has(member);
        items.push({
          '@odata.type': isGroup ? '#microsoft.graph.group' : '#microsoft.graph.user',
          id: member,
        });
        if (isGroup) walk(member);
      }
    };
    walk(groupId);
    this.paged(items, `/groups/${groupId}/transitiveMembers`, q, reply);
  }

  private userJson(user: FakeUser, select: readonly string[]): Record<string, unknown> {
    const all: Record<string, unknown> = {
      displayName: user.displayName,
      mail: user.mail,
      userPrincipalName: user.userPrincipalName,
      accountEnabled: user.accountEnabled,
      userType: user.userType,
      id: user.id,
    };
    const out: Record<string, unknown> = {};
    for (const key of ['id', ...select]) if (key in all) out[key] = all[key];
    return out;
  }

  private deltaItem(
    user: FakeUser,
    select: readonly string[],
    withManager: boolean,
    managerFrom?: string | null,
  ) {
    const item = this.userJson(user, select);
    if (withManager && select.includes('manager')) {
      if (user.managerId)
        item['manager@delta'] = [{ '@odata.type': '#microsoft.graph.user', id: user.managerId }];
      else if (managerFrom) {
        item['manager@delta'] = [
          { '@odata.type': '#microsoft.graph.user', id: managerFrom, '@removed': { reason: 'deleted' } },
        ];
      }
    }
    return item;
  }

  private delta(
    q: URLSearchParams,
    reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
    fail: (status: number, message: string, headers?: Record<string, string>) => void,
  ): void {
    const skip = q.get('$skiptoken');
    if (skip) {
      const [roundId, offset] = skip.split('.');
      const round = this.rounds.get(roundId ?? '');
      if (!round) return fail(400, 'The skip token is not valid.');
      return this.deltaPage(roundId!, round, Number(offset), reply);
    }
    if (q.has('$expand') || q.has('$top') || q.has('$orderby')) {
      return fail(400, '$expand, $top and $orderby are not supported by the delta query.');
    }
    const deltaToken = q.get('$deltatoken');
    let items: Record<string, unknown>[];
    if (deltaToken) {
      const state = decodeToken<{ since: number; select: string[]; epoch: string }>(deltaToken);
      if (!state) return fail(400, 'The delta token is not valid.');
      if (state.since < this.validFrom || state.epoch !== this.epoch) {
        return fail(410, 'The delta token has expired: start again with a full read.', {
          location: `${this.url}/users/delta?$deltatoken=`,
        });
      }
      items = [];
      for (const [id, mark] of this.marks) {
        if (mark.version <= state.since) continue;
        const user = this.users.get(id)!;
        items.push(this.deltaItem(user, state.select, mark.managerVersion > state.since, mark.managerFrom));
      }
      for (const [id, gone] of this.deleted) {
        if (gone.version > state.since) {
          items.push({ id, '@removed': { reason: gone.permanent ? 'deleted' : 'changed' } });
        }
      }
      this.startRound(items, state.select, reply);
      return;
    }
    const select = (q.get('$select') ?? 'displayName,mail,userPrincipalName').split(',');
    items = [...this.users.values()].map((u) => this.deltaItem(u, select, true));
    this.startRound(items, select, reply);
  }

  private startRound(
    items: Record<string, unknown>[],
    select: string[],
    reply: (status: number, body: unknown) => void,
  ): void {
    const roundId = randomUUID().replace(/-/g, '');
    const round = { items, upTo: this.version, select };
    this.rounds.set(roundId, round);
    this.deltaPage(roundId, round, 0, reply);
  }

  private deltaPage(
    roundId: string,
    round: Round & { select?: string[] },
    offset: number,
    reply: (status: number, body: unknown) => void,
  ): void {
    const page = round.items.slice(offset, offset + this.pageSize);
    const body: Record<string, unknown> = { '@odata.context': `${this.url}/$metadata#users`, value: page };
    if (offset + this.pageSize < round.items.length) {
      body['@odata.nextLink'] = `${this.url}/users/delta?$skiptoken=${roundId}.${offset + this.pageSize}`;
    } else {
      body['@odata.deltaLink'] =
        `${this.url}/users/delta?$deltatoken=${encodeToken({ since: round.upTo, select: round.select ?? [], epoch: this.epoch })}`;
    }
    reply(200, body);
  }
}
