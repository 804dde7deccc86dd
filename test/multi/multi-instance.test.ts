import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFailed } from 'vitest';
import { systemClock, today } from '../../src/services/clock.js';
import { DestructionService } from '../../src/services/destruction.js';
import { RemovalService } from '../../src/services/removal.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import {
  authorisationIdIn,
  createPgDatabase,
  DEMO,
  demoCaseRefs,
  dropPgDatabase,
  Fleet,
  parseInvoke,
  requestForm,
  textIn,
  waitFor,
  type HttpResult,
  type Persona,
} from '../support/instances.js';

// Two real bot processes (src/main.ts) on one PostgreSQL database, with activities spread across
// them, as behind a load balancer. Each sweeps reminders and sends notifications every second.

const adminUrl = inject('TEST_DATABASE_URL_PG');

describe.skipIf(!adminUrl)('two instances on one PostgreSQL database', () => {
  let fleet: Fleet;
  let databaseUrl: string;
  const [A, B] = [0, 1];
  const bot = (i: number) => fleet.instances[i]!;
  const removals = () => new RemovalService(fleet.store.db, systemClock, { maxDays: 14 });
  const destruction = () =>
    new DestructionService(fleet.store.db, systemClock, { twoPersonRule: true, schedule: defaultSchedule });
  /** Cases with nothing due for destruction, for requests that must not meet a destroyed record. */
  let spareCases: string[] = [];
  /** Requests the reminder tests backdated in the database: the audit log cannot vouch for them. */
  const backdated = new Set<string>();

  beforeAll(async () => {
    databaseUrl = await createPgDatabase(adminUrl!, 'multi');
    fleet = await Fleet.start({
      databaseUrl,
      instances: 2,
      env: { LOG_LEVEL: process.env.MULTI_LOG ?? 'silent' },
    });
    // Everyone has written to the bot once, as people do before they get cards.
    for (const person of Object.values(DEMO)) {
      expect((await bot(A).post(fleet.acts.message(person, 'hello'))).status).toBe(200);
    }
    const due = await destruction().due(DEMO.morgan!.aadObjectId, { pageSize: 500 });
    if (!due.ok) throw new Error(due.message);
    const dueCases = new Set(due.records.map((r) => r.caseRef));
    spareCases = demoCaseRefs().filter((c) => !dueCases.has(c) && c !== '1234567');
  });

  beforeEach(() => {
    onTestFailed(() => {
      for (const b of fleet.instances) console.log(`--- ${b.name} (pid ${b.child.pid}) ---\n${b.log()}`);
    });
  });

  afterAll(async () => {
    await fleet?.stop();
    if (databaseUrl) await dropPgDatabase(adminUrl!, databaseUrl);
  });

  /** A new removal request by `person` for `caseRef`, made through instance `i`. */
  async function request(person: Persona, caseRef: string, i = A): Promise<string> {
    const result = await bot(i).post(fleet.acts.invoke(person, 'removal.submit', requestForm(caseRef)));
    const id = authorisationIdIn(parseInvoke(result));
    if (!id) throw new Error(`request not made: ${result.status} ${result.text.slice(0, 300)}`);
    return id;
  }

  const card = (result: HttpResult) => {
    expect(result.status).toBe(200);
    const body = parseInvoke(result);
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    return textIn(body!.value);
  };

  const LABEL: Record<string, string> = {
    approved: 'approved',
    declined: 'declined',
    withdrawn: 'withdrawn',
    return_requested: 'return requested',
    returned: 'returned',
  };

  it('concurrent approve, decline, withdraw, cancel and return on the same authorisations: one outcome each, every loser is told it, the audit chain verifies', async () => {
    const at = new Date().toISOString();
    const until = today(systemClock).slice(0, 4) + '-12-31';
    // Tom covers Priya's approvals too, so two managers race as well as Priya with herself.
    expect(await removals().setActing(DEMO.priya!.aadObjectId, DEMO.tom!.aadObjectId, until)).toMatchObject({
      ok: true,
    });
    const workers = [DEMO.sam!, DEMO.jo!, DEMO.alex!];
    const ids: { id: string; requester: Persona }[] = [];
    for (let n = 0; n < 12; n++) {
      const requester = workers[n % workers.length]!;
      ids.push({ id: await request(requester, '1234567', n % 2), requester });
    }

    // Round 1, on pending requests (version 1): approve, decline, another approve, withdraw.
    const round1 = await Promise.all(
      ids.flatMap(({ id, requester }, n) => [
        bot(n % 2).post(
          fleet.acts.invoke(DEMO.priya!, 'removal.approve', { authorisationId: id, version: 1 }),
        ),
        bot((n + 1) % 2).post(
          fleet.acts.invoke(DEMO.priya!, 'removal.decline', {
            authorisationId: id,
            version: 1,
            reason: 'No',
          }),
        ),
        bot(n % 2).post(fleet.acts.invoke(DEMO.tom!, 'removal.approve', { authorisationId: id, version: 1 })),
        bot((n + 1) % 2).post(
          fleet.acts.invoke(requester, 'removal.withdraw', { authorisationId: id, version: 1 }, 'form'),
        ),
      ]),
    );
    const db = fleet.store.db;
    const approved: { id: string; requester: Persona }[] = [];
    for (const [n, { id }] of ids.entries()) {
      const row = await db
        .selectFrom('removal_authorisations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(['approved', 'declined', 'withdrawn']).toContain(row.status);
      expect(Number(row.version)).toBe(2);
      const texts = round1.slice(n * 4, n * 4 + 4).map(card);
      const losers = texts.filter((t) => t.includes('has changed since you last saw it'));
      // Exactly one press won; the three others were told what happened instead.
      expect(losers).toHaveLength(3);
      for (const t of losers) expect(t).toContain(`it is now ${LABEL[row.status]}. Nothing was changed.`);
      const history = await db
        .selectFrom('authorisation_history')
        .select(['version', 'to_status'])
        .where('authorisation_id', '=', id)
        .orderBy('version')
        .execute();
      expect(history.map((h) => [Number(h.version), h.to_status])).toEqual([
        [1, 'pending'],
        [2, row.status],
      ]);
      if (row.status === 'approved') approved.push(ids[n]!);
    }

    // Round 2, on the approved ones (version 2): Priya and Tom cancel, the requester marks returned.
    const round2 = await Promise.all(
      approved.flatMap(({ id, requester }, n) => [
        bot(n % 2).post(
          fleet.acts.invoke(DEMO.priya!, 'removal.cancel', {
            authorisationId: id,
            version: 2,
            reason: 'Court',
          }),
        ),
        bot((n + 1) % 2).post(
          fleet.acts.invoke(requester, 'removal.returned', { authorisationId: id, version: 2 }, 'form'),
        ),
        bot(n % 2).post(
          fleet.acts.invoke(DEMO.tom!, 'removal.cancel', {
            authorisationId: id,
            version: 2,
            reason: 'Needed',
          }),
        ),
      ]),
    );
    for (const [n, { id }] of approved.entries()) {
      const row = await db
        .selectFrom('removal_authorisations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(['return_requested', 'returned']).toContain(row.status);
      expect(Number(row.version)).toBe(3);
      const texts = round2.slice(n * 3, n * 3 + 3).map(card);
      const losers = texts.filter((t) => t.includes('has changed since you last saw it'));
      expect(losers).toHaveLength(2);
      for (const t of losers) expect(t).toContain(`it is now ${LABEL[row.status]}. Nothing was changed.`);
    }

    // One audit entry per change, and the news of each change only, queued once.
    for (const { id } of ids) {
      const row = await db
        .selectFrom('removal_authorisations')
        .select(['version', 'status'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const audit = await db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
      expect(audit).toHaveLength(Number(row.version));
      const news = await db
        .selectFrom('outbox')
        .select('kind')
        .where('authorisation_id', '=', id)
        .where('created_at', '>=', at)
        .where('kind', 'like', 'removal.%')
        .where('kind', '!=', 'removal.approval_request')
        .execute();
      expect(news.length).toBeGreaterThanOrEqual(1);
      expect(news.map((r) => r.kind)).toContain(`removal.${row.status}`);
    }
    expect(approved.length).toBeGreaterThan(0);
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
    expect(bot(A).alive && bot(B).alive).toBe(true);
    await removals().clearActing(DEMO.priya!.aadObjectId);
  }, 90_000);

  it('holds placed on one instance while another confirms destruction batches: nothing under a hold is destroyed', async () => {
    const service = destruction();
    const due = await service.due(DEMO.morgan!.aadObjectId, { pageSize: 500 });
    if (!due.ok) throw new Error(due.message);
    const byCase = new Map<string, string[]>();
    for (const r of due.records) byCase.set(r.caseRef, [...(byCase.get(r.caseRef) ?? []), r.recordId]);
    const cases = [...byCase.keys()].slice(0, 16);
    expect(cases.length).toBe(16);

    const confirmations: Awaited<ReturnType<DestructionService['confirm']>>[] = [];
    const holds: HttpResult[] = [];
    for (let round = 0; round < 8; round++) {
      const [held, other] = [cases[round * 2]!, cases[round * 2 + 1]!];
      const batch = await service.createBatch(DEMO.morgan!.aadObjectId, {
        recordIds: [...byCase.get(held)!, ...byCase.get(other)!],
      });
      if (!batch.ok) throw new Error(batch.message);
      // Dana confirms (through the service, with her ticks for the logs held outside the app,
      // which the chat's card does not carry) while Morgan places a hold on one of its cases on
      // an instance, the hold a little earlier or later each round.
      const lead = (round % 4) * 4;
      const [confirm, hold] = await Promise.all([
        service.confirm(DEMO.dana!.aadObjectId, batch.batch.id, {
          expectedVersion: 1,
          logChecks: { litigation: true, claim: true, subject_access_request: true, foi_request: true },
        }),
        new Promise<HttpResult>((resolve) => setTimeout(resolve, round % 2 ? lead : 0)).then(() =>
          bot((round + 1) % 2).post(
            fleet.acts.invoke(DEMO.morgan!, 'hold.place', {
              caseRef: held,
              type: 'litigation',
              reference: `CLAIM-${round}`,
              reason: 'A claim has been made about this case',
            }),
          ),
        ),
      ]);
      confirmations.push(confirm);
      holds.push(hold);
    }
    for (const c of confirmations) expect(c.ok, c.ok ? '' : c.message).toBe(true);
    for (const r of holds) card(r);
    for (const r of holds) expect(textIn(parseInvoke(r)!.value)).toContain('Hold placed');

    // The audit log is one order of events across both instances: every record destroyed in a
    // held case was destroyed before its hold was placed, never after.
    const db = fleet.store.db;
    const audit = await db
      .selectFrom('audit_log')
      .select(['seq', 'action', 'entity_id', 'details'])
      .where('action', 'in', ['hold.placed', 'record.destroyed'])
      .orderBy('seq')
      .execute();
    const holdSeq = new Map<string, number>();
    for (const a of audit) {
      if (a.action === 'hold.placed')
        holdSeq.set((JSON.parse(a.details) as { caseRef: string }).caseRef, Number(a.seq));
    }
    const records = await db
      .selectFrom('records')
      .select(['record_id', 'case_ref', 'destroyed_on'])
      .execute();
    const caseOf = new Map(records.map((r) => [r.record_id, r.case_ref]));
    let destroyedAfterHold = 0;
    let blockedByHold = 0;
    for (let round = 0; round < 8; round++) {
      const held = cases[round * 2]!;
      const placed = holdSeq.get(held)!;
      expect(placed).toBeGreaterThan(0);
      for (const a of audit.filter(
        (x) => x.action === 'record.destroyed' && caseOf.get(x.entity_id) === held,
      )) {
        if (Number(a.seq) > placed) destroyedAfterHold += 1;
      }
      const kept = records.filter((r) => r.case_ref === held && r.destroyed_on === null).length;
      if (kept) blockedByHold += 1;
      // The other case in the batch is destroyed either way.
      expect(records.filter((r) => r.case_ref === cases[round * 2 + 1] && r.destroyed_on === null)).toEqual(
        [],
      );
    }
    expect(destroyedAfterHold).toBe(0);
    // Every destroyed record is in the register once, and nothing held is in it.
    const register = await db.selectFrom('destruction_register').select('record_id').execute();
    expect(new Set(register.map((r) => r.record_id)).size).toBe(register.length);
    expect(register.length).toBe(records.filter((r) => r.destroyed_on !== null).length);
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
    // Both orders happened at least once would be nice, but timing decides; say what happened.
    console.log(`hold vs destruction: ${blockedByHold} of 8 held cases were kept by their hold`);
  }, 90_000);

  /** Reminder messages the connector received about these cases: (conversation, text) pairs. */
  const reminderSends = (cases: string[]) =>
    fleet.connector.calls
      .filter((c) => c.method === 'POST' && c.conversationId !== null)
      .map((c) => ({
        conversation: c.conversationId!,
        text: typeof c.body.text === 'string' ? c.body.text : '',
      }))
      .filter((m) => /^Reminder:|waited for a decision|are overdue/.test(m.text))
      .filter((m) => cases.some((ref) => m.text.includes(`case ${ref} `)));

  async function casesOf(ids: string[]): Promise<string[]> {
    const rows = await fleet.store.db
      .selectFrom('removal_authorisations')
      .select('case_ref')
      .where('id', 'in', ids)
      .execute();
    return rows.map((r) => r.case_ref);
  }

  /** Requests made today, then made to look old: due for every kind of reminder. */
  async function overdueRequests(count: number, via: number[]): Promise<string[]> {
    const ids: string[] = [];
    for (let n = 0; n < count; n++) {
      const requester = [DEMO.sam!, DEMO.jo!, DEMO.chris!][n % 3]!;
      const i = via[n % via.length]!;
      const id = await request(requester, spareCases.shift()!, i);
      ids.push(id);
      if (n % 2) {
        // Approved, and due back yesterday: overdue reminders to the worker and the managers.
        const manager = requester === DEMO.chris ? DEMO.tom! : DEMO.priya!;
        card(
          await bot(i).post(
            fleet.acts.invoke(manager, 'removal.approve', { authorisationId: id, version: 1 }),
          ),
        );
      }
    }
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await fleet.store.db
      .updateTable('removal_authorisations')
      .set({ created_at: threeDaysAgo, return_on: yesterday, out_on: yesterday })
      .where('id', 'in', ids)
      .execute();
    ids.forEach((id) => backdated.add(id));
    return ids;
  }

  async function reminderRows(ids: string[]) {
    return fleet.store.db
      .selectFrom('outbox')
      .selectAll()
      .where('authorisation_id', 'in', ids)
      .where('kind', 'like', 'reminder.%')
      .execute();
  }

  /** Every kind of reminder is queued for these requests, and every one queued is sent. */
  async function allRemindersSent(ids: string[]): Promise<boolean> {
    const rows = await reminderRows(ids);
    const kinds = new Set(rows.map((r) => r.kind));
    return kinds.size >= 4 && rows.every((r) => r.sent_at !== null);
  }

  it('scheduled reminders are sent exactly once while both instances sweep every second', async () => {
    const ids = await overdueRequests(6, [A, B]);
    // Pending: a reminder to Priya or Tom and an escalation to Helen; approved and now overdue:
    // one to the worker and one to the manager (and a "due back tomorrow" if a sweep came first).
    await waitFor('the reminders to be queued and sent', () => allRemindersSent(ids));
    // More sweeps on both instances find nothing more to send.
    await new Promise((r) => setTimeout(r, 2500));
    const rows = await reminderRows(ids);
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(rows.every((r) => r.sent_at !== null && Number(r.attempts) === 0)).toBe(true);
    const sends = reminderSends(await casesOf(ids));
    const keys = sends.map((s) => `${s.conversation}\n${s.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(sends).toHaveLength(rows.length);
  }, 90_000);

  it('an instance killed while it holds reminders: another sends them after its claim lapses, each once', async () => {
    // Only A runs, and the Bot Connector never answers its reminder sends.
    await bot(B).stop();
    fleet.gate.hold((method, _path, body) => {
      if (method !== 'POST') return false;
      const text = (JSON.parse(body || '{}') as { text?: unknown }).text;
      return typeof text === 'string' && /^Reminder:|waited for a decision|are overdue/.test(text);
    });
    const ids = await overdueRequests(4, [A]);
    await waitFor('A to claim reminders and start sending', async () => {
      const rows = await reminderRows(ids);
      return fleet.gate.heldCount > 0 && rows.some((r) => r.claimed_until !== null && r.sent_at === null);
    });
    await bot(A).kill();
    fleet.gate.dropHeld();
    fleet.gate.release();
    const claimed = (await reminderRows(ids)).filter((r) => r.sent_at === null && r.claimed_until !== null);
    expect(claimed.length).toBeGreaterThan(0);
    // Two minutes pass: A's claims lapse. (Time is moved on in the database rather than waited.)
    const lapsed = new Date(Date.now() - 1000).toISOString();
    await fleet.store.db
      .updateTable('outbox')
      .set({ claimed_until: lapsed })
      .where(
        'id',
        'in',
        claimed.map((r) => r.id),
      )
      .execute();
    fleet.instances[B] = await fleet.launch('B');
    await waitFor('B to send the reminders A held', () => allRemindersSent(ids));
    const rows = await reminderRows(ids);
    const sends = reminderSends(await casesOf(ids));
    expect(sends).toHaveLength(rows.length);
    const keys = sends.map((s) => `${s.conversation}\n${s.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    fleet.instances[A] = await fleet.launch('A');
  }, 90_000);

  it('a Teams retry of the same activity, delivered to both instances at once, is handled once', async () => {
    const db = fleet.store.db;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('removal_authorisations')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('requester_id', '=', DEMO.alex!.aadObjectId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    // A form submission, the one action that is not naturally idempotent.
    const submit = fleet.acts.invoke(DEMO.alex!, 'removal.submit', requestForm(spareCases.shift()));
    const [first, second] = await Promise.all([bot(A).post(submit), bot(B).post(submit)]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const id = authorisationIdIn(parseInvoke(first));
    expect(id).toBeTruthy();
    expect(authorisationIdIn(parseInvoke(second))).toBe(id);
    // And again later, on either instance: the same answer, nothing new.
    const third = await bot(B).post(submit);
    expect(parseInvoke(third)).toEqual(parseInvoke(first));
    expect(await count()).toBe(before + 1);

    // A decision retried on both: one transition.
    const approve = fleet.acts.invoke(DEMO.priya!, 'removal.approve', { authorisationId: id, version: 1 });
    const decided = await Promise.all([bot(A).post(approve), bot(B).post(approve), bot(A).post(approve)]);
    for (const r of decided) expect(card(r)).toContain('Approved by Priya Shah');
    const history = await db
      .selectFrom('authorisation_history')
      .selectAll()
      .where('authorisation_id', '=', id!)
      .execute();
    expect(history).toHaveLength(2);

    // A message retried on both: one reply.
    const message = fleet.acts.message(DEMO.alex!, 'show my requests');
    const replies = () =>
      fleet.connector
        .sentTo(fleet.acts.conversationOf(DEMO.alex!))
        .filter((c) => c.body.replyToId === message.id).length;
    const [m1, m2] = await Promise.all([bot(A).post(message), bot(B).post(message)]);
    expect([m1.status, m2.status]).toEqual([200, 200]);
    await new Promise((r) => setTimeout(r, 300));
    expect(replies()).toBe(1);
    // The chain is whole; the only rows it cannot vouch for are the requests a test above
    // backdated by writing to the database directly, as verify-audit should say.
    const report = await verifyAudit(db);
    expect(report.chain).toBeNull();
    expect(
      report.rows.problems.map((p) => /^removal request (\S+) has been changed/.exec(p)?.[1]).sort(),
    ).toEqual([...backdated].sort());
  }, 90_000);
});
