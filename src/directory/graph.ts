import {
  Client,
  GraphClientError,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { ROLES, type Role } from '../rules/index.js';

// Reading the directory from Microsoft Graph: users and their managers through the delta query,
// the members of security groups, and the app role assignments of the Teams app's registration.
// The official Graph client does the requests, with its retry handler for throttling.

/** What went wrong talking to Graph, in the words an administrator acts on. */
export type GraphFailureKind =
  'auth' | 'permission' | 'not_found' | 'throttled' | 'unavailable' | 'reset' | 'bad_response';

export class GraphDirectoryError extends Error {
  override name = 'GraphDirectoryError';
  constructor(
    readonly kind: GraphFailureKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export interface GraphOptions {
  /** Where Graph is: `https://graph.microsoft.com/v1.0`, or a fake on loopback in tests. */
  baseUrl: string;
  /** How often a throttled (429) or unavailable (503, 504) request is tried again. */
  maxRetries?: number;
  /** The longest Retry-After the sync waits for; asked to wait longer, it stops and says so. */
  maxRetryAfterSeconds?: number;
  /** How long one attempt may take. */
  timeoutSeconds?: number;
  /** Pages after which a paged read stops as broken (a link that never ends). */
  maxPages?: number;
}

/** One user as the delta query reports them: only what it says (absent fields are unchanged). */
export interface UserChange {
  id: string;
  /** Deleted in Entra ID (restorable or not). */
  removed: boolean;
  enabled?: boolean;
  /** False for guests. */
  member?: boolean;
  /** Undefined: the manager did not change; null: no manager. */
  managerId?: string | null;
  name?: string | null;
  email?: string | null;
}

export interface UsersRead {
  changes: UserChange[];
  /** Where the next sync starts. */
  deltaLink: string;
  /** Whether this was a full read (every current user), not changes since the last one. */
  full: boolean;
  pages: number;
}

export interface ReadProgress {
  pages: number;
  users: number;
}

const removedSchema = z.object({ reason: z.string() });
const deltaUserSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  userType: z.string().nullish(),
  'manager@delta': z
    .array(z.object({ id: z.string().min(1), '@removed': removedSchema.optional() }))
    .nullish(),
  '@removed': removedSchema.optional(),
});
const directoryObjectSchema = z.object({ id: z.string().min(1) });
const appRoleAssignmentSchema = z.object({
  appRoleId: z.string(),
  principalId: z.string().min(1),
  principalType: z.string().nullish(),
});
const servicePrincipalSchema = z.object({
  id: z.string().min(1),
  appRoles: z
    .array(z.object({ id: z.string(), value: z.string().nullish(), isEnabled: z.boolean().nullish() }))
    .default([]),
});
const userSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
});
const pageSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});

/** The properties the sync asks for: `manager` in $select is how the delta query tracks managers. */
export const USER_SELECT = [
  'id',
  'displayName',
  'mail',
  'userPrincipalName',
  'accountEnabled',
  'userType',
  'manager',
] as const;

function toChange(raw: z.output<typeof deltaUserSchema>): UserChange {
  const id = raw.id.toLowerCase();
  if (raw['@removed']) return { id, removed: true };
  const change: UserChange = { id, removed: false };
  if (typeof raw.accountEnabled === 'boolean') change.enabled = raw.accountEnabled;
  if (raw.userType !== undefined) change.member = raw.userType !== 'Guest';
  if (raw.displayName !== undefined) change.name = raw.displayName;
  if (raw.mail !== undefined || raw.userPrincipalName !== undefined) {
    change.email = raw.mail || raw.userPrincipalName || null;
  }
  const managers = raw['manager@delta'];
  if (managers !== undefined) {
    // The manager the annotation names; an entry marked @removed takes the manager away.
    const current = (managers ?? []).filter((m) => !m['@removed']);
    change.managerId = current.length ? current[current.length - 1]!.id.toLowerCase() : null;
  }
  return change;
}

/** Adds the Graph token to requests for the configured Graph, and refuses to send it anywhere else. */
class BearerToken implements Middleware {
  private next: Middleware | null = null;
  constructor(
    private readonly provider: AuthenticationProvider,
    private readonly origin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url).origin !== this.origin) {
      throw clientError('bad_response', `Refusing to send the Graph token to ${new URL(url).origin}.`);
    }
    let token: string;
    try {
      token = await this.provider.getAccessToken();
    } catch (error) {
      throw clientError(
        'auth',
        `Could not get a token for Microsoft Graph: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
    context.options = {
      ...context.options,
      headers: { ...(context.options?.headers as Record<string, string>), Authorization: `Bearer ${token}` },
    };
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Gives each attempt a time limit, and turns a network failure into a message that says where. */
class Network implements Middleware {
  private next: Middleware | null = null;
  constructor(
    private readonly timeoutSeconds: number,
    private readonly origin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutSeconds * 1000) };
    try {
      await this.next!.execute(context);
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      const why =
        e.name === 'TimeoutError'
          ? `no answer within ${this.timeoutSeconds} s`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      throw clientError('unavailable', `Could not reach Microsoft Graph at ${this.origin}: ${why}.`);
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function clientError(kind: GraphFailureKind, message: string): GraphClientError {
  const error = new GraphClientError(message);
  error.customError = { kind };
  return error;
}

function retryAfterSeconds(response: Response | undefined): number | null {
  const header = response?.headers.get('retry-after');
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Microsoft Graph, for the directory sync. */
export class GraphDirectory {
  private readonly client: Client;
  private readonly base: string;
  private readonly maxRetries: number;
  private readonly maxRetryAfter: number;
  private readonly maxPages: number;
  /** The last Retry-After Graph asked for that was longer than the sync waits. */
  private refusedWait: number | null = null;

  constructor(credential: TokenCredential, options: GraphOptions) {
    const base = new URL(options.baseUrl);
    this.base = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.maxRetries = options.maxRetries ?? 5;
    this.maxRetryAfter = options.maxRetryAfterSeconds ?? 120;
    this.maxPages = options.maxPages ?? 100_000;
    const auth = new TokenCredentialAuthenticationProvider(credential, {
      scopes: [`${base.origin}/.default`],
    });
    const retry = new RetryHandler(
      new RetryHandlerOptions(1, this.maxRetries, (_delay, _attempt, _request, _options, response) => {
        const wait = retryAfterSeconds(response);
        if (wait !== null && wait > this.maxRetryAfter) {
          this.refusedWait = wait;
          return false;
        }
        return true;
      }),
    );
    this.client = Client.initWithMiddleware({
      baseUrl: base.origin,
      defaultVersion: base.pathname.replace(/^\/+|\/+$/g, ''),
      middleware: [
        new BearerToken(auth, base.origin),
        retry,
        new Network(options.timeoutSeconds ?? 100, base.origin),
        new HTTPMessageHandler(),
      ],
    });
  }

  /** A link Graph gave (next page, delta), as a path under the configured Graph; refused if elsewhere. */
  private pathOf(link: string): string {
    if (!link.startsWith(`${this.base}/`)) {
      throw new GraphDirectoryError(
        'bad_response',
        `Microsoft Graph sent a link outside ${this.base} (${new URL(link, this.base).origin}): not followed.`,
      );
    }
    return link.slice(this.base.length);
  }

  private async get(path: string, what: string): Promise<unknown> {
    this.refusedWait = null;
    try {
      return (await this.client.api(path).get()) as unknown;
    } catch (error) {
      throw this.failure(error, what);
    }
  }

  private failure(error: unknown, what: string): GraphDirectoryError {
    if (error instanceof GraphDirectoryError) return error;
    if (error instanceof GraphClientError) {
      const kind = (error.customError as { kind?: GraphFailureKind } | undefined)?.kind ?? 'bad_response';
      return new GraphDirectoryError(kind, error.message);
    }
    const status = error instanceof GraphError ? error.statusCode : null;
    const code = error instanceof GraphError && error.code ? ` ${error.code}` : '';
    const said = error instanceof Error && error.message ? `: ${error.message}` : '';
    const answer = `${status ?? 'error'}${code}${said}`;
    switch (status) {
      case 401:
        return new GraphDirectoryError(
          'auth',
          `Microsoft Graph refused the sync's credentials reading ${what} (${answer}). Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and the client secret, certificate or managed identity.`,
          status,
        );
      case 403:
        return new GraphDirectoryError(
          'permission',
          `Microsoft Graph refused access to ${what} (${answer}). The app needs the application permissions User.Read.All and GroupMember.Read.All (and Application.Read.All for app roles), with admin consent.`,
          status,
        );
      case 404:
        return new GraphDirectoryError(
          'not_found',
          `${what[0]!.toUpperCase()}${what.slice(1)} was not found in Microsoft Entra ID (${answer}): check the object id in the settings.`,
          status,
        );
      case 410:
        return new GraphDirectoryError(
          'reset',
          `Microsoft Graph asked for a full read again (${answer}).`,
          status,
        );
      case 429:
      case 503:
      case 504:
        return new GraphDirectoryError(
          'throttled',
          this.refusedWait !== null
            ? `Microsoft Graph is busy (${answer}) and asked to wait ${this.refusedWait} s, longer than the ${this.maxRetryAfter} s the sync waits.`
            : `Microsoft Graph is busy (${answer}) and still was after ${this.maxRetries} more tries.`,
          status,
        );
      default:
        return new GraphDirectoryError(
          'bad_response',
          `Microsoft Graph could not give ${what} (${answer}).`,
          status,
        );
    }
  }

  /** Every page of a collection, following @odata.nextLink; the last page's @odata.deltaLink, if any. */
  private async readPages(
    first: string,
    what: string,
    onPage: (values: unknown[]) => void,
  ): Promise<{ pages: number; deltaLink: string | null }> {
    let path: string | null = first;
    let pages = 0;
    const seen = new Set<string>();
    while (path !== null) {
      if (seen.has(path) || pages >= this.maxPages) {
        throw new GraphDirectoryError('bad_response', `Microsoft Graph's pages of ${what} do not end.`);
      }
      seen.add(path);
      const parsed = pageSchema.safeParse(await this.get(path, what));
      if (!parsed.success) {
        throw new GraphDirectoryError(
          'bad_response',
          `Microsoft Graph sent a page of ${what} that is not a list.`,
        );
      }
      pages += 1;
      onPage(parsed.data.value);
      const next = parsed.data['@odata.nextLink'];
      if (next) {
        path = this.pathOf(next);
        continue;
      }
      const delta = parsed.data['@odata.deltaLink'];
      if (delta) this.pathOf(delta);
      return { pages, deltaLink: delta ?? null };
    }
    return { pages, deltaLink: null };
  }

  /**
   * Users and their managers: every user (a full read) when `deltaLink` is null, or what changed
   * since the read that gave it. A link Graph no longer accepts (410 Gone) starts a full read.
   */
  async readUsers(deltaLink: string | null, onProgress?: (p: ReadProgress) => void): Promise<UsersRead> {
    const start = deltaLink ? this.pathOf(deltaLink) : `/users/delta?$select=${USER_SELECT.join(',')}`;
    const changes: UserChange[] = [];
    let pages = 0;
    try {
      const read = await this.readPages(start, 'the users (delta query)', (values) => {
        for (const value of values) {
          const parsed = deltaUserSchema.safeParse(value);
          if (!parsed.success) {
            throw new GraphDirectoryError(
              'bad_response',
              `Microsoft Graph sent a user the sync cannot read (${parsed.error.issues[0]?.path.join('.') ?? '?'}: ${parsed.error.issues[0]?.message ?? '?'}).`,
            );
          }
          changes.push(toChange(parsed.data));
        }
        pages += 1;
        onProgress?.({ pages, users: changes.length });
      });
      if (!read.deltaLink) {
        throw new GraphDirectoryError(
          'bad_response',
          'Microsoft Graph ended the users (delta query) without a delta link.',
        );
      }
      return { changes, deltaLink: read.deltaLink, full: deltaLink === null, pages: read.pages };
    } catch (error) {
      if (deltaLink && error instanceof GraphDirectoryError && error.kind === 'reset') {
        return this.readUsers(null, onProgress);
      }
      throw error;
    }
  }

  /** The ids of a group's members, nested groups included (users, and any other object). */
  async groupMembers(groupId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    const what = `group ${groupId}`;
    await this.readPages(
      `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id&$top=999`,
      what,
      (values) => {
        for (const value of values) {
          const parsed = directoryObjectSchema.safeParse(value);
          if (!parsed.success) {
            throw new GraphDirectoryError(
              'bad_response',
              `Microsoft Graph sent a member of ${what} without an id.`,
            );
          }
          ids.add(parsed.data.id.toLowerCase());
        }
      },
    );
    return ids;
  }

  /**
   * Who holds each product role through the app roles of the app registration `appId` (a role's
   * value is the role's name, e.g. `records_management`), with groups expanded to their members.
   */
  async appRoleHolders(appId: string): Promise<Map<Role, Set<string>>> {
    const what = `the service principal of app ${appId}`;
    const sp = servicePrincipalSchema.safeParse(
      await this.get(`/servicePrincipals(appId='${encodeURIComponent(appId)}')?$select=id,appRoles`, what),
    );
    if (!sp.success) {
      throw new GraphDirectoryError('bad_response', `Microsoft Graph sent ${what} without its app roles.`);
    }
    const roleOf = new Map<string, Role>();
    for (const appRole of sp.data.appRoles) {
      if (appRole.isEnabled !== false && (ROLES as readonly string[]).includes(appRole.value ?? '')) {
        roleOf.set(appRole.id, appRole.value as Role);
      }
    }
    const assignments: z.output<typeof appRoleAssignmentSchema>[] = [];
    await this.readPages(
      `/servicePrincipals/${encodeURIComponent(sp.data.id)}/appRoleAssignedTo?$top=999`,
      `the app role assignments of app ${appId}`,
      (values) => {
        for (const value of values) {
          const parsed = appRoleAssignmentSchema.safeParse(value);
          if (!parsed.success) {
            throw new GraphDirectoryError(
              'bad_response',
              `Microsoft Graph sent an app role assignment the sync cannot read.`,
            );
          }
          assignments.push(parsed.data);
        }
      },
    );
    const holders = new Map<Role, Set<string>>();
    const groups = new Map<string, Set<string>>();
    for (const a of assignments) {
      const role = roleOf.get(a.appRoleId);
      if (!role) continue;
      const set = holders.get(role) ?? new Set<string>();
      holders.set(role, set);
      if (a.principalType === 'Group') {
        const members = groups.get(a.principalId) ?? (await this.groupMembers(a.principalId));
        groups.set(a.principalId, members);
        members.forEach((m) => set.add(m));
      } else if (a.principalType === 'User') {
        set.add(a.principalId.toLowerCase());
      }
    }
    return holders;
  }

  /** One user's name and address, for someone the sync needs but the delta read did not include. */
  async user(id: string): Promise<{ id: string; name: string | null; email: string | null } | null> {
    try {
      const parsed = userSchema.safeParse(
        await this.get(
          `/users/${encodeURIComponent(id)}?$select=id,displayName,mail,userPrincipalName`,
          `user ${id}`,
        ),
      );
      if (!parsed.success)
        throw new GraphDirectoryError('bad_response', `Microsoft Graph sent user ${id} without an id.`);
      return {
        id: parsed.data.id.toLowerCase(),
        name: parsed.data.displayName ?? null,
        email: parsed.data.mail || parsed.data.userPrincipalName || null,
      };
    } catch (error) {
      if (error instanceof GraphDirectoryError && error.kind === 'not_found') return null;
      throw error;
    }
  }
}
