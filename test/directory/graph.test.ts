import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StaticTokenCredential } from '../../src/directory/credentials.js';
import { GraphDirectory, GraphDirectoryError, type UserChange } from '../../src/directory/graph.js';
import { FakeGraph } from '../support/fake-graph.js';

// The Graph side of the directory sync against a fake Graph on loopback: paging, delta tokens,
// throttling, refused credentials, groups and app roles, in the payloads Graph sends.

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const GROUP = 'aaaaaaaa-0000-4000-8000-000000000001';
const NESTED = 'aaaaaaaa-0000-4000-8000-000000000002';
const APP = 'bbbbbbbb-0000-4000-8000-000000000001';

let graph: FakeGraph;

function client(options: Partial<ConstructorParameters<typeof GraphDirectory>[1]> = {}, token = graph.token) {
  return new GraphDirectory(new StaticTokenCredential(token), { baseUrl: graph.url, ...options });
}

async function failure(promise: Promise<unknown>): Promise<GraphDirectoryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphDirectoryError);
  return error as GraphDirectoryError;
}

function byId(changes: UserChange[]): Map<string, UserChange> {
  return new Map(changes.map((c) => [c.id, c]));
}

beforeAll(async () => {
  graph = new FakeGraph();
  await graph.start();
  graph.addUser({ id: id(1), displayName: 'Helen Carter' });
  graph.addUser({ id: id(2), displayName: 'Priya Shah', managerId: id(1) });
  for (let n = 3; n <= 8; n += 1)
    graph.addUser({ id: id(n), displayName: `Case Worker ${n}`, managerId: id(2) });
  graph.addUser({ id: id(9), displayName: 'Visiting Auditor', userType: 'Guest', mail: null });
  graph.setGroup(GROUP, [id(3), id(4), NESTED]);
  graph.setGroup(NESTED, [id(5), id(3)]);
  graph.servicePrincipals.push({
    id: 'cccccccc-0000-4000-8000-000000000001',
    appId: APP,
    appRoles: [
      { id: 'dddddddd-0000-4000-8000-000000000001', value: 'records_management' },
      { id: 'dddddddd-0000-4000-8000-000000000002', value: 'case_worker', isEnabled: false },
      { id: 'dddddddd-0000-4000-8000-000000000003', value: 'Reader' },
    ],
    assignments: [
      { appRoleId: 'dddddddd-0000-4000-8000-000000000001', principalId: id(6), principalType: 'User' },
      { appRoleId: 'dddddddd-0000-4000-8000-000000000001', principalId: NESTED, principalType: 'Group' },
      { appRoleId: 'dddddddd-0000-4000-8000-000000000002', principalId: id(7), principalType: 'User' },
      { appRoleId: 'dddddddd-0000-4000-8000-000000000003', principalId: id(8), principalType: 'User' },
    ],
  });
});

afterAll(() => graph.stop());

afterEach(() => {
  graph.pageSize = 3;
  graph.clearFaults();
});

describe('reading users with the delta query', () => {
  it('reads every user over several pages, with managers, and keeps the delta link', async () => {
    const before = graph.requests.length;
    const progress: number[] = [];
    const read = await client().readUsers(null, (p) => progress.push(p.users));
    expect(read.full).toBe(true);
    expect(read.pages).toBe(3);
    expect(progress).toEqual([3, 6, 9]);
    expect(read.deltaLink).toMatch(new RegExp(`^${graph.url}/users/delta\\?\\$deltatoken=`));
    const users = byId(read.changes);
    expect(users.size).toBe(9);
    expect(users.get(id(1))).toEqual({
      id: id(1),
      removed: false,
      enabled: true,
      member: true,
      name: 'Helen Carter',
      email: 'helen.carter@council.example',
    });
    expect(users.get(id(2))).toMatchObject({ managerId: id(1) });
    // A guest without a mailbox: the sign-in name stands in for the address.
    expect(users.get(id(9))).toMatchObject({ member: false, email: 'visiting.auditor@council.example' });

    const calls = graph.requests.slice(before);
    expect(calls[0]!.path).toBe(
      '/users/delta?$select=id,displayName,mail,userPrincipalName,accountEnabled,userType,manager',
    );
    expect(calls.slice(1).every((c) => c.path.startsWith('/users/delta?$skiptoken='))).toBe(true);
    expect(calls.every((c) => c.authorization === `Bearer ${graph.token}`)).toBe(true);
  });

  it('from a delta link reads only what changed: updates, new managers, removals', async () => {
    const first = await client().readUsers(null);
    graph.updateUser(id(3), { displayName: 'Sam Taylor-Reid' });
    graph.updateUser(id(4), { managerId: id(1) });
    graph.updateUser(id(5), { accountEnabled: false });
    graph.deleteUser(id(8));
    const read = await client().readUsers(first.deltaLink);
    expect(read.full).toBe(false);
    const changes = byId(read.changes);
    expect([...changes.keys()].sort()).toEqual([id(3), id(4), id(5), id(8)]);
    expect(changes.get(id(3))).toMatchObject({ name: 'Sam Taylor-Reid' });
    expect(changes.get(id(3))!.managerId).toBeUndefined();
    expect(changes.get(id(4))).toMatchObject({ managerId: id(1) });
    expect(changes.get(id(5))).toMatchObject({ enabled: false });
    expect(changes.get(id(8))).toEqual({ id: id(8), removed: true });

    const none = await client().readUsers(read.deltaLink);
    expect(none.changes).toEqual([]);
    graph.addUser({ id: id(8), displayName: 'Case Worker 8', managerId: id(2) });
  });

  it('a manager taken away comes as a removed manager entry: no manager', async () => {
    const first = await client().readUsers(null);
    graph.updateUser(id(7), { managerId: null });
    const read = await client().readUsers(first.deltaLink);
    expect(byId(read.changes).get(id(7))).toMatchObject({ managerId: null });
    graph.updateUser(id(7), { managerId: id(2) });
  });

  it('an expired delta link (410 Gone) starts a full read again', async () => {
    const first = await client().readUsers(null);
    graph.expireDeltaTokens();
    const read = await client().readUsers(first.deltaLink);
    expect(read.full).toBe(true);
    expect(read.changes).toHaveLength(9);
    expect(graph.requests.some((r) => r.status === 410)).toBe(true);
  });

  it('waits as long as Retry-After says on 429, then goes on', async () => {
    graph.fail({ match: /^\/users\/delta\?\$skiptoken=/, status: 429, retryAfter: 1, times: 1 });
    const read = await client().readUsers(null);
    expect(read.changes).toHaveLength(9);
    const throttled = graph.requests.findLast((r) => r.status === 429)!;
    const retry = graph.requests[graph.requests.indexOf(throttled) + 1]!;
    expect(retry.path).toBe(throttled.path);
    expect(retry.at - throttled.at).toBeGreaterThanOrEqual(950);
  });

  it('stops when asked to wait longer than it waits, and says so', async () => {
    graph.fail({ match: /^\/users\/delta/, status: 429, retryAfter: 600, times: 1 });
    const error = await failure(client({ maxRetryAfterSeconds: 30 }).readUsers(null));
    expect(error.kind).toBe('throttled');
    expect(error.message).toBe(
      'Microsoft Graph is busy (429 TooManyRequests: Too many requests. Please try again later.) and asked to wait 600 s, longer than the 30 s the sync waits.',
    );
  });

  it('a page that keeps failing fails the read, after the retries', async () => {
    graph.fail({ match: /^\/users\/delta\?\$skiptoken=/, status: 503, retryAfter: 0, times: Infinity });
    try {
      const before = graph.requests.length;
      const error = await failure(client({ maxRetries: 2 }).readUsers(null));
      expect(error.kind).toBe('throttled');
      expect(error.message).toMatch(
        /^Microsoft Graph is busy \(503 ServiceUnavailable: .*\) and still was after 2 more tries\.$/,
      );
      expect(graph.requests.slice(before).filter((r) => r.status === 503)).toHaveLength(3);
    } finally {
      graph.clearFaults();
    }
  });

  it('a refused token (401) is a clear error naming the settings', async () => {
    const error = await failure(client({}, 'wrong-token').readUsers(null));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      "Microsoft Graph refused the sync's credentials reading the users (delta query) (401 InvalidAuthenticationToken: Access token validation failure. Invalid audience.). Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and the client secret, certificate or managed identity.",
    );
  });

  it('a credential that cannot get a token says so', async () => {
    const broken = new GraphDirectory(
      {
        getToken: () =>
          Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.\nTrace ID: x')),
      },
      { baseUrl: graph.url },
    );
    const error = await failure(broken.readUsers(null));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      'Could not get a token for Microsoft Graph: AADSTS7000215: Invalid client secret provided.',
    );
  });

  it('an unreachable Graph is a clear error', async () => {
    const closed = new FakeGraph();
    await closed.start();
    await closed.stop();
    const error = await failure(
      new GraphDirectory(new StaticTokenCredential('x'), { baseUrl: closed.url }).readUsers(null),
    );
    expect(error.kind).toBe('unavailable');
    expect(error.message).toBe(
      `Could not reach Microsoft Graph at ${new URL(closed.url).origin}: ECONNREFUSED.`,
    );
  });

  it('never follows a link to another host with the token', async () => {
    const error = await failure(
      client().readUsers('https://elsewhere.example/v1.0/users/delta?$deltatoken=abc'),
    );
    expect(error.kind).toBe('bad_response');
    expect(error.message).toBe(
      `Microsoft Graph sent a link outside ${graph.url} (https://elsewhere.example): not followed.`,
    );
  });
});

describe('roles from groups and app roles', () => {
  it('lists a group’s members, nested groups included, over pages', async () => {
    graph.pageSize = 2;
    const members = await client().groupMembers(GROUP);
    expect([...members].sort()).toEqual([id(3), id(4), id(5), NESTED].sort());
  });

  it('an unknown group is named in the error', async () => {
    const missing = 'aaaaaaaa-0000-4000-8000-00000000dead';
    const error = await failure(client().groupMembers(missing));
    expect(error.kind).toBe('not_found');
    expect(error.message).toMatch(
      new RegExp(
        `^Group ${missing} was not found in Microsoft Entra ID \\(404 Request_ResourceNotFound: .*\\): check the object id in the settings\\.$`,
      ),
    );
  });

  it('reads who holds each role through the app’s app roles, groups expanded', async () => {
    const holders = await client().appRoleHolders(APP);
    expect([...holders.keys()]).toEqual(['records_management']);
    expect([...holders.get('records_management')!].sort()).toEqual([id(3), id(5), id(6)].sort());
  });

  it('looks one user up, and says when there is none', async () => {
    expect(await client().user(id(2))).toEqual({
      id: id(2),
      name: 'Priya Shah',
      email: 'priya.shah@council.example',
    });
    expect(await client().user('00000000-0000-4000-8000-0000000000ff')).toBeNull();
  });
});
