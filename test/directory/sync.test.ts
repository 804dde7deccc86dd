import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryNotices, type DirectoryNoticePayload } from '../../src/directory/notices.js';
import type { SyncOptions } from '../../src/directory/sync.js';
import { importStaff } from '../../src/imports/staff-import.js';
import { queueReminders } from '../../src/services/reminders.js';
import { RemovalService, type RemovalRequestInput } from '../../src/services/removal.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { toldOfDirectoryChange } from '../../src/sentences/directory.js';
import type { Store } from '../../src/store/index.js';
import { getStaff } from '../../src/store/staff.js';
import { DEMO_GROUPS, LEE_GRANT, seedDemoTenant } from '../../scripts/demo-tenant.js';
import { STAFF, TestClock } from '../support/bot-harness.js';
import { DEMO_SYNC_SETTINGS, demoSync } from '../support/demo-sync.js';
import { FakeGraph } from '../support/fake-graph.js';
import { forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';

// The directory sync end to end against a fake Graph on loopback, on SQLite and PostgreSQL:
// what it changes in the directory, and what follows for requests and authorisations.

forEachDialect((dialect) => {
  let dbs: TestDatabases;
  let store: Store;
  let graph: FakeGraph;
  let clock: TestClock;
  let removals: RemovalService;

  beforeAll(() => {
    dbs = testDatabases(dialect);
  });
  afterAll(() => dbs.cleanup());

  beforeEach(async () => {
    store = await dbs.open('directory');
    graph = new FakeGraph();
    await graph.start();
    seedDemoTenant(graph);
    clock = new TestClock(new Date('2026-11-26T09:00:00Z'));
    removals = new RemovalService(store.db, clock, { maxDays: 14 });
    await importStaff(store.db, path.join(REPO_ROOT, 'demo/staff.csv'), {
      now: () => clock.now(),
      actorId: 'test',
    });
  });

  afterEach(async () => {
    await graph.stop();
    await store.close();
  });

  function directory(options: { token?: string; maxRetries?: number } = {}, settings = DEMO_SYNC_SETTINGS) {
    return demoSync(store, graph.url, clock, { ...options, maxRetries: options.maxRetries ?? 2, settings });
  }

  const sync = (options: Partial<SyncOptions> = {}) => directory().run({ trigger: 'cli', ...options });

  /** A staff row, by demo first name or by id. */
  async function staffRow(person: string) {
    const id = person in STAFF ? STAFF[person as keyof typeof STAFF] : person;
    return store.db.selectFrom('staff').selectAll().where('aad_object_id', '=', id).executeTakeFirst();
  }

  /** Everything a sync may write, to show that one changed nothing. */
  async function everything() {
    const db = store.db;
    return {
      staff: await db.selectFrom('staff').selectAll().orderBy('aad_object_id').execute(),
      users: await db.selectFrom('directory_users').selectAll().orderBy('id').execute(),
      settings: await db.selectFrom('settings').selectAll().orderBy('key').execute(),
      authorisations: await db.selectFrom('removal_authorisations').selectAll().orderBy('id').execute(),
      history: await db.selectFrom('authorisation_history').selectAll().orderBy('authorisation_id').execute(),
      audit: await db.selectFrom('audit_log').select('seq').orderBy('seq').execute(),
      outbox: await db.selectFrom('outbox').select('id').orderBy('id').execute(),
      cover: await db.selectFrom('acting_managers').selectAll().orderBy('id').execute(),
    };
  }

  async function request(person: keyof typeof STAFF, fields: Partial<RemovalRequestInput> = {}) {
    const outcome = await removals.request(STAFF[person], {
      caseRef: '1234567',
      recordIds: [],
      purpose: 'home_working',
      destination: 'Home',
      outOn: '2026-11-26',
      returnOn: '2026-11-30',
      justification: 'To finish the court report',
      acknowledged: true,
      unknownCaseConfirmed: true,
      ...fields,
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    return outcome.authorisation;
  }

  /** The authorisation as `person` sees it; they must be allowed to. */
  async function viewAs(person: keyof typeof STAFF, id: string) {
    const viewed = await removals.view(STAFF[person], id);
    if (!viewed.ok) throw new Error(viewed.refusal.message);
    return viewed.authorisation;
  }

  /** `person` approves, at the version the request is at now (whether or not they may see it). */
  async function approve(person: keyof typeof STAFF, id: string) {
    const { version } = await store.db
      .selectFrom('removal_authorisations')
      .select('version')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return removals.act(STAFF[person], id, { kind: 'approve' }, Number(version));
  }

  /** What the recipient of a queued directory notice is told, as the dispatcher sends it. */
  async function told(authorisationId: string | null, recipientId: string, payload: string) {
    const notice = await new DirectoryNotices(store.db).forNotification(
      authorisationId,
      recipientId,
      payload,
    );
    return notice ? toldOfDirectoryChange(notice) : null;
  }

  /** Directory notices queued, as [recipient, event] pairs, with their sentences. */
  async function notices(authorisationId?: string) {
    let query = store.db.selectFrom('outbox').selectAll().where('kind', '=', 'directory.notice');
    if (authorisationId) query = query.where('authorisation_id', '=', authorisationId);
    const rows = await query.execute();
    const name = Object.fromEntries(Object.entries(STAFF).map(([k, v]) => [v, k]));
    const all = await Promise.all(
      rows.map(async (r) => ({
        to: name[r.recipient_id] ?? r.recipient_id,
        event: (JSON.parse(r.payload) as DirectoryNoticePayload).event,
        text: await told(r.authorisation_id, r.recipient_id, r.payload),
      })),
    );
    return all.sort((a, b) => a.event.localeCompare(b.event) || a.to.localeCompare(b.to));
  }

  describe('the first sync', () => {
    it('keeps the demo directory as it is, adds who only Entra knows, and remembers where it stopped', async () => {
      const before = await store.db.selectFrom('staff').selectAll().orderBy('aad_object_id').execute();
      const progress: string[] = [];
      const result = await sync({ onProgress: (p) => progress.push(p.phase) });
      expect(result.failure).toBeNull();
      expect(result).toMatchObject({ ok: true, read: 'full', pages: 5, usersRead: 13 });
      expect(progress).toContain('reading users');
      expect(progress.at(-1)).toBe('applying');
      expect(result.plan).toMatchObject({
        joined: [LEE_GRANT.id],
        updated: [],
        moved: [],
        left: [],
        staff: 11,
      });
      expect(result.consequences).toEqual({
        rerouted: 0,
        withdrawn: 0,
        flagged: 0,
        coversEnded: 0,
        notices: 0,
        referencesRemoved: 0,
      });

      const after = await store.db.selectFrom('staff').selectAll().orderBy('aad_object_id').execute();
      expect(after.filter((r) => r.aad_object_id !== LEE_GRANT.id)).toEqual(before);
      expect(await staffRow(LEE_GRANT.id)).toMatchObject({
        display_name: 'Lee Grant',
        email: 'lee.grant@council.example',
        roles: 'case_worker',
        line_manager_id: STAFF.rosa,
        left_on: null,
      });
      // Roles: case workers and Records Management from groups (nested too), line managers from reports.
      expect(await staffRow('rosa')).toMatchObject({ roles: 'case_worker;line_manager' });
      expect(await staffRow('helen')).toMatchObject({ roles: 'line_manager', line_manager_id: null });
      // The guest and the disabled shared mailbox are not staff.
      expect(await store.db.selectFrom('staff').select('aad_object_id').execute()).toHaveLength(11);
      expect(await store.db.selectFrom('directory_users').select('id').execute()).toHaveLength(13);

      const audit = await store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'directory.synced')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actor_id).toBe('directory-sync');
      expect(JSON.parse(audit[0]!.details)).toMatchObject({
        trigger: 'cli',
        read: 'full',
        joined: [LEE_GRANT.id],
      });

      // The next sync starts from the delta link and reads only what changed: nothing.
      const calls = graph.requests.length;
      const again = await sync();
      expect(again).toMatchObject({ ok: true, read: 'changes', usersRead: 0 });
      expect(graph.requests[calls]!.path).toMatch(/^\/users\/delta\?\$deltatoken=/);
      expect(
        await store.db
          .selectFrom('audit_log')
          .select('seq')
          .where('action', '=', 'directory.synced')
          .execute(),
      ).toHaveLength(1);
    });

    it('after a CSV import the next sync reads everyone again, and Entra wins', async () => {
      await sync();
      graph.updateUser(STAFF.sam, { managerId: STAFF.tom });
      expect((await sync()).read).toBe('changes');
      await importStaff(store.db, path.join(REPO_ROOT, 'demo/staff.csv'), {
        now: () => clock.now(),
        actorId: 'test',
      });
      expect(await staffRow('sam')).toMatchObject({ line_manager_id: STAFF.priya });
      const result = await sync();
      expect(result.read).toBe('full');
      expect(result.plan?.moved).toEqual([{ id: STAFF.sam, from: STAFF.priya, to: STAFF.tom }]);
      expect(await staffRow('sam')).toMatchObject({ line_manager_id: STAFF.tom });
    });

    it('someone without a manager is staff with no line manager, and is told so when they ask', async () => {
      const kit = '6f1c2a4e-0012-4b7a-9c1e-000000000012';
      graph.addUser({ id: kit, displayName: 'Kit Moreno' });
      graph.setGroup(DEMO_GROUPS.teamB, [...graph.groups.get(DEMO_GROUPS.teamB)!, kit]);
      const result = await sync();
      expect(result.plan?.joined).toEqual([LEE_GRANT.id, kit].sort());
      expect(await staffRow(kit)).toMatchObject({ roles: 'case_worker', line_manager_id: null });
      const outcome = await removals.request(kit, {
        caseRef: '1234567',
        recordIds: [],
        purpose: 'home_working',
        destination: 'Home',
        outOn: '2026-11-26',
        returnOn: '2026-11-30',
        justification: 'Court report',
        acknowledged: true,
        unknownCaseConfirmed: true,
      });
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.problems.map((p) => p.code)).toContain('no_line_manager');
    });

    it('roles can come from the app roles of the Teams app registration', async () => {
      const appId = '9b2e5a10-0000-4000-8000-0000000000a1';
      graph.servicePrincipals.push({
        id: '9b2e5a10-0000-4000-8000-0000000000b1',
        appId,
        appRoles: [{ id: '9b2e5a10-0000-4000-8000-0000000000c1', value: 'records_management' }],
        assignments: [
          {
            appRoleId: '9b2e5a10-0000-4000-8000-0000000000c1',
            principalId: STAFF.tom,
            principalType: 'User',
          },
        ],
      });
      const result = await directory(
        {},
        {
          ...DEMO_SYNC_SETTINGS,
          roleGroups: { case_worker: [DEMO_GROUPS.caseWorkers] },
          appRolesAppId: appId,
        },
      ).run({ trigger: 'cli' });
      expect(result.ok).toBe(true);
      expect(await staffRow('tom')).toMatchObject({ roles: 'line_manager;records_management' });
      // Morgan and Dana held Records Management only through the group, which is no longer read.
      expect(result.plan?.left.map((l) => l.id).sort()).toEqual([STAFF.dana, STAFF.morgan].sort());
      expect(await staffRow('morgan')).toMatchObject({ roles: '', left_on: '2026-11-26' });
    });
  });

  describe('refusals: nothing is applied', () => {
    it('a manager loop is refused with a clear message; fixed in Entra, the next sync applies it', async () => {
      await sync();
      const before = await everything();
      graph.updateUser(STAFF.helen, { managerId: STAFF.sam });
      graph.updateUser(STAFF.jo, { displayName: 'Jo Patel-Hughes' });
      const refused = await sync();
      expect(refused.ok).toBe(false);
      expect(refused.failure).toEqual({
        kind: 'refused',
        message: 'The directory sync found 1 problem(s) in Microsoft Entra ID and changed nothing.',
        problems: [
          `Management loop in Microsoft Entra ID: ${STAFF.helen} → ${STAFF.sam} → ${STAFF.priya} → ${STAFF.helen}. Give one of them another manager.`,
        ],
      });
      expect(await everything()).toEqual(before);

      graph.updateUser(STAFF.helen, { managerId: null });
      const fixed = await sync();
      expect(fixed.ok).toBe(true);
      expect(fixed.plan?.updated).toEqual([STAFF.jo]);
      expect(await staffRow('jo')).toMatchObject({ display_name: 'Jo Patel-Hughes' });
    });

    it('a refused token (401) changes nothing and says what to check', async () => {
      const before = await everything();
      const result = await directory({ token: 'expired' }).run({ trigger: 'cli' });
      expect(result.failure?.kind).toBe('auth');
      expect(result.failure?.message).toMatch(
        /^Microsoft Graph refused the sync's credentials .* Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and the client secret, certificate or managed identity\. Nothing was changed\.$/,
      );
      expect(await everything()).toEqual(before);
    });

    it('a page that fails after the retries changes nothing, even after earlier pages were read', async () => {
      await sync();
      graph.updateUser(STAFF.sam, { managerId: STAFF.tom });
      graph.pageSize = 1;
      graph.updateUser(STAFF.jo, { displayName: 'Jo Patel-Hughes' });
      const before = await everything();
      graph.fail({ match: /^\/users\/delta\?\$skiptoken=/, status: 503, retryAfter: 0, times: Infinity });
      const result = await sync();
      expect(result.failure?.kind).toBe('throttled');
      expect(result.failure?.message).toMatch(/still was after 2 more tries\. Nothing was changed\.$/);
      expect(
        graph.requests.some((r) => r.path.startsWith('/users/delta?$deltatoken=') && r.status === 200),
      ).toBe(true);
      expect(await everything()).toEqual(before);

      graph.clearFaults();
      const later = await sync();
      expect(later.plan?.moved).toEqual([{ id: STAFF.sam, from: STAFF.priya, to: STAFF.tom }]);
    });

    it('429 then success: the sync waits and carries on', async () => {
      graph.fail({ match: /^\/groups\//, status: 429, retryAfter: 1, times: 1 });
      const result = await sync();
      expect(result.ok).toBe(true);
      expect(graph.requests.filter((r) => r.status === 429)).toHaveLength(1);
    });

    it('more leavers than allowed stops the sync (a wrong group id must not empty the directory)', async () => {
      await sync();
      const before = await everything();
      graph.setGroup(DEMO_GROUPS.caseWorkers, []);
      const result = await directory({}, { ...DEMO_SYNC_SETTINGS, maxLeavers: 3 }).run({ trigger: 'cli' });
      expect(result.failure?.kind).toBe('refused');
      expect(result.failure && 'problems' in result.failure && result.failure.problems).toEqual([
        '8 people would leave the staff directory, more than the 3 a sync may remove (DIRECTORY_MAX_LEAVERS). Check the group and app role settings; if this is right, run the sync once with a higher limit.',
      ]);
      expect(await everything()).toEqual(before);
      const allowed = await directory({}, { ...DEMO_SYNC_SETTINGS, maxLeavers: 3 }).run({
        trigger: 'cli',
        maxLeavers: 10,
      });
      expect(allowed.plan?.left).toHaveLength(8);
    });

    it('a dry run works out everything and changes nothing', async () => {
      await sync();
      await request('sam');
      graph.updateUser(STAFF.sam, { managerId: STAFF.tom });
      const before = await everything();
      const dry = await sync({ dryRun: true });
      expect(dry).toMatchObject({ ok: true, dryRun: true });
      expect(dry.plan?.moved).toEqual([{ id: STAFF.sam, from: STAFF.priya, to: STAFF.tom }]);
      expect(dry.consequences).toMatchObject({ rerouted: 1, withdrawn: 0, flagged: 0 });
      expect(dry.names.get(STAFF.tom)).toBe('Tom Hughes');
      expect(await everything()).toEqual(before);
      const real = await sync();
      expect(real.consequences).toEqual(dry.consequences);
    });
  });

  describe('movers and leavers', () => {
    it('a mover’s undecided request goes to the new manager, and everyone concerned is told', async () => {
      await sync();
      const a = await request('sam');
      graph.updateUser(STAFF.sam, { managerId: STAFF.tom });
      const result = await sync();
      expect(result.plan?.moved).toEqual([{ id: STAFF.sam, from: STAFF.priya, to: STAFF.tom }]);
      // Three notices, and the approval card for Tom.
      expect(result.consequences).toMatchObject({ rerouted: 1, notices: 4 });
      expect(await staffRow('sam')).toMatchObject({ line_manager_id: STAFF.tom });

      expect(await notices(a.id)).toEqual([
        {
          to: 'sam',
          event: 'rerouted',
          text: "Your line manager is now Tom Hughes, so your request for case 1234567 now waits for Tom Hughes's decision instead of Priya Shah's.",
        },
        {
          to: 'priya',
          event: 'rerouted_away',
          text: 'Sam Taylor no longer reports to you, so their request for case 1234567 now goes to Tom Hughes. Nothing more is needed from you.',
        },
        {
          to: 'tom',
          event: 'rerouted_to_you',
          text: 'Sam Taylor now reports to you. Their request for case 1234567, which was waiting for Priya Shah, is now yours to decide.',
        },
      ]);
      const cards = await store.db
        .selectFrom('outbox')
        .select(['recipient_id', 'kind'])
        .where('authorisation_id', '=', a.id)
        .where('kind', 'in', ['removal.approval_request', 'card.refresh'])
        .orderBy('kind')
        .orderBy('recipient_id')
        .execute();
      expect(cards).toEqual([
        { recipient_id: 'directory-sync', kind: 'card.refresh' },
        { recipient_id: STAFF.priya, kind: 'removal.approval_request' },
        { recipient_id: STAFF.tom, kind: 'removal.approval_request' },
      ]);
      const audit = await store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity_id', '=', a.id)
        .where('action', '=', 'removal.rerouted')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(audit.details)).toMatchObject({
        from: STAFF.priya,
        to: STAFF.tom,
        cause: 'moved',
        status: 'pending',
      });

      // Only the new manager decides now.
      const byPriya = await approve('priya', a.id);
      expect(byPriya.ok).toBe(false);
      expect(!byPriya.ok && byPriya.refusal.code).toBe('not_line_manager');
      expect((await approve('tom', a.id)).ok).toBe(true);
    });

    it('a disabled manager leaves with their history: requests go to their manager, records out are flagged', async () => {
      await sync();
      const waiting = await request('sam');
      const out = await request('jo', { caseRef: '1600229' });
      expect((await approve('priya', out.id)).ok).toBe(true);
      expect((await removals.setActing(STAFF.priya, STAFF.tom, '2026-12-20')).ok).toBe(true);

      graph.updateUser(STAFF.priya, { accountEnabled: false });
      const result = await sync();
      expect(result.plan?.left).toEqual([{ id: STAFF.priya, reason: 'disabled' }]);
      expect(result.plan?.moved.map((m) => [m.id, m.from, m.to]).sort()).toEqual(
        [
          [STAFF.sam, STAFF.priya, STAFF.helen],
          [STAFF.jo, STAFF.priya, STAFF.helen],
          [STAFF.alex, STAFF.priya, STAFF.helen],
        ].sort(),
      );
      expect(result.consequences).toMatchObject({ rerouted: 2, withdrawn: 0, flagged: 1, coversEnded: 1 });

      // Priya keeps her row, and her name on what she did; she is no longer staff.
      expect(await staffRow('priya')).toMatchObject({
        display_name: 'Priya Shah',
        roles: '',
        left_on: '2026-11-26',
        line_manager_id: STAFF.helen,
      });
      expect(await getStaff(store.db, STAFF.priya)).toBeUndefined();
      expect((await viewAs('jo', out.id)).decidedBy).toEqual({ id: STAFF.priya, name: 'Priya Shah' });
      expect(
        (await store.db.selectFrom('acting_managers').selectAll().executeTakeFirstOrThrow()).revoked_at,
      ).toBe('2026-11-26T09:00:00.000Z');

      expect(await notices(waiting.id)).toEqual([
        {
          to: 'sam',
          event: 'rerouted',
          text: 'Priya Shah is no longer in the staff directory, so your request for case 1234567 now goes to Helen Carter.',
        },
        {
          to: 'helen',
          event: 'rerouted_to_you',
          text: "Priya Shah is no longer in the staff directory. Sam Taylor's request for case 1234567 was waiting for them and now comes to you to decide.",
        },
      ]);
      expect(await notices(out.id)).toEqual([
        {
          to: 'dana',
          event: 'manager_left_records_out',
          text: "Priya Shah, Jo Patel's line manager, is no longer in the staff directory, while the records for case 1600229 are out of the office on Jo Patel's authorisation (due back 30 November 2026). Helen Carter now oversees it.",
        },
        { to: 'morgan', event: 'manager_left_records_out', text: expect.any(String) as string },
        {
          to: 'helen',
          event: 'records_out_now_yours',
          text: "Priya Shah is no longer in the staff directory, so you now oversee Jo Patel's authorisation for case 1600229: the records are out of the office until 30 November 2026. You can cancel it or confirm their return.",
        },
      ]);
      // Helen decides Sam's request, and can ask for Jo's records back.
      expect((await approve('helen', waiting.id)).ok).toBe(true);
      const view = await viewAs('helen', out.id);
      const cancel = await removals.act(
        STAFF.helen,
        out.id,
        { kind: 'cancel', reason: 'Priya has left' },
        view.version,
      );
      expect(cancel.ok).toBe(true);
      expect((await removals.team(STAFF.helen)).outNow.map((a) => a.id)).toContain(out.id);
      // The staff rows the syncs wrote and the cover they ended are vouched for by the log.
      expect(await verifyAudit(store.db)).toMatchObject({ ok: true, rows: { problemCount: 0 } });
    });

    it('a requester who leaves: an undecided request is withdrawn, records still out are flagged', async () => {
      await sync();
      const waiting = await request('alex');
      const out = await request('chris', { caseRef: '1600229' });
      expect((await approve('tom', out.id)).ok).toBe(true);

      graph.updateUser(STAFF.alex, { accountEnabled: false });
      graph.deleteUser(STAFF.chris);
      const result = await sync();
      expect(result.plan?.left).toEqual(
        expect.arrayContaining([
          { id: STAFF.alex, reason: 'disabled' },
          { id: STAFF.chris, reason: 'deleted' },
        ]),
      );
      expect(result.consequences).toMatchObject({ withdrawn: 1, flagged: 1 });

      const withdrawn = await viewAs('priya', waiting.id);
      expect(withdrawn).toMatchObject({
        status: 'withdrawn',
        version: 2,
        reason: 'The requester is no longer in the staff directory.',
        requester: { name: 'Alex Morgan' },
      });
      expect(
        (
          await store.db
            .selectFrom('authorisation_history')
            .selectAll()
            .where('authorisation_id', '=', waiting.id)
            .where('version', '=', 2)
            .executeTakeFirstOrThrow()
        ).actor_id,
      ).toBe('directory-sync');
      expect(await notices(waiting.id)).toEqual([
        {
          to: 'priya',
          event: 'withdrawn_requester_left',
          text: 'Alex Morgan is no longer in the staff directory, so their request for case 1234567 was withdrawn. Nothing more is needed from you.',
        },
      ]);
      expect((await notices(out.id)).map((n) => [n.to, n.event])).toEqual([
        ['dana', 'requester_left_records_out'],
        ['morgan', 'requester_left_records_out'],
        ['tom', 'requester_left_records_out'],
      ]);
      // Overdue: Tom is reminded; Chris, who can no longer be reached, is not.
      clock.set('2026-12-02T09:00:00Z');
      await queueReminders(store.db, clock, { pendingReminderHours: 24 });
      const reminders = await store.db
        .selectFrom('outbox')
        .select(['kind', 'recipient_id'])
        .where('authorisation_id', '=', out.id)
        .where('kind', 'like', 'reminder.%')
        .execute();
      expect(reminders).toEqual([{ kind: 'reminder.overdue_escalated', recipient_id: STAFF.tom }]);

      // Tom still oversees the records out with Chris, and can confirm they are back.
      const view = await viewAs('tom', out.id);
      expect(view.approvers.map((p) => p.id)).toEqual([STAFF.tom]);
      expect((await removals.act(STAFF.tom, out.id, { kind: 'mark_returned' }, view.version)).ok).toBe(true);
      // The staff rows, the withdrawn request and its history line are vouched for by the log.
      expect(await verifyAudit(store.db)).toMatchObject({ ok: true, rows: { problemCount: 0 } });
    });

    it('a manager deleted in Entra: their reports go to the manager’s manager', async () => {
      await sync();
      const a = await request('chris');
      graph.deleteUser(STAFF.tom);
      const result = await sync();
      expect(result.plan?.left).toEqual([{ id: STAFF.tom, reason: 'deleted' }]);
      expect(await staffRow('chris')).toMatchObject({ line_manager_id: STAFF.helen });
      expect(await staffRow('rosa')).toMatchObject({ line_manager_id: STAFF.helen });
      expect((await notices(a.id)).map((n) => [n.to, n.event])).toEqual([
        ['chris', 'rerouted'],
        ['helen', 'rerouted_to_you'],
      ]);
    });

    it('someone taken out of the role groups, with no reports, leaves; put back, they return', async () => {
      await sync();
      graph.setGroup(
        DEMO_GROUPS.caseWorkers,
        graph.groups.get(DEMO_GROUPS.caseWorkers)!.filter((id) => id !== STAFF.jo),
      );
      expect((await sync()).plan?.left).toEqual([{ id: STAFF.jo, reason: 'out_of_scope' }]);
      graph.setGroup(DEMO_GROUPS.caseWorkers, [...graph.groups.get(DEMO_GROUPS.caseWorkers)!, STAFF.jo]);
      const back = await sync();
      expect(back.plan?.rejoined).toEqual([STAFF.jo]);
      expect(await staffRow('jo')).toMatchObject({
        left_on: null,
        roles: 'case_worker',
        line_manager_id: STAFF.priya,
      });
    });
  });

  if (dialect === 'postgres') {
    it('on several instances, one syncs at a time; the other skips its turn', async () => {
      const other = demoSync(store, graph.url, clock);
      graph.fail({ match: /^\/groups\//, status: 429, retryAfter: 1, times: 1 });
      const [a, b] = await Promise.all([sync(), other.run({ trigger: 'schedule' })]);
      const results = [a, b].sort((x, y) => Number(x.ok) - Number(y.ok));
      expect(results[0]!.failure).toEqual({
        kind: 'busy',
        message: 'Another directory sync is running; this one did nothing.',
      });
      expect(results[1]!.ok).toBe(true);
      expect(
        await store.db
          .selectFrom('audit_log')
          .select('seq')
          .where('action', '=', 'directory.synced')
          .execute(),
      ).toHaveLength(1);
    });
  }
});
