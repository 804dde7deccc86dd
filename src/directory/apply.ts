import type { Transaction } from 'kysely';
import { withdrawForLeaver, type AuthorisationStatus } from '../rules/index.js';
import { chunk } from '../chunk.js';
import { appendAudit } from '../store/audit.js';
import type { CoveredRef } from '../store/audit-rows.js';
import { lockingRows } from '../store/dialect.js';
import {
  directorySyncState,
  saveDirectorySyncState,
  saveDirectoryUsers,
  saveStaffStates,
} from '../store/directory.js';
import { enqueue, type NewNotification } from '../store/outbox.js';
import { forgetConversations } from '../store/conversations.js';
import type { AuthorisationRow, Database } from '../store/schema.js';
import { actingManagerIds } from '../store/staff.js';
import type { DirectoryEvent, DirectoryNoticePayload } from './notices.js';
import type { DirectoryPlan, DirectoryUser, Move } from './plan.js';

/** Who the directory sync acts as in the audit log and the history of a request. */
export const DIRECTORY_ACTOR = 'directory-sync';

const OPEN: AuthorisationStatus[] = ['pending', 'approved', 'return_requested'];

export class ConcurrentSyncError extends Error {
  override name = 'ConcurrentSyncError';
  constructor() {
    super(
      'Another directory sync was applied while this one was reading Microsoft Graph. Nothing was changed; run it again.',
    );
  }
}

export interface ApplyInput {
  plan: DirectoryPlan;
  /** Entra ID users whose stored state changes. */
  users: readonly DirectoryUser[];
  deltaLink: string;
  /** The sync generation the plan was made from: a different one means another sync got there first. */
  generation: number;
  runId: string;
  trigger: 'cli' | 'schedule';
  full: boolean;
  at: string;
  today: string;
}

/** What a sync did to requests, authorisations and cover. */
export interface Consequences {
  /** Undecided requests now going to another manager, and open authorisations now overseen by one. */
  rerouted: number;
  /** Undecided requests of people who left. */
  withdrawn: number;
  /** Authorisations and requests flagged to Records Management. */
  flagged: number;
  coversEnded: number;
  notices: number;
  /** Conversation references of people who left, removed (their names stay on what they did). */
  referencesRemoved: number;
}

/**
 * Writes a planned sync in the caller's transaction: Entra ID's users as now seen, the staff
 * directory, where the next read starts, and what follows for requests and authorisations (each
 * audited, with the notices queued in the same transaction).
 */
export async function applyDirectoryPlan(
  trx: Transaction<Database>,
  input: ApplyInput,
): Promise<Consequences> {
  const { plan, at, today, runId } = input;
  const state = await directorySyncState(trx);
  if (state.generation !== input.generation) throw new ConcurrentSyncError();

  const leftIds = new Set(plan.left.map((l) => l.id));
  const moveOf = new Map(plan.moved.map((m) => [m.id, m]));

  // Lock the open authorisations this touches before anything else (and before the audit log's
  // lock), in id order, as decisions lock them: a decision racing the sync waits, or goes first.
  const open = await trx
    .selectFrom('removal_authorisations')
    .select(['id', 'requester_id', 'decided_by'])
    .where('status', 'in', OPEN)
    .execute();
  const affectedIds = open
    .filter(
      (a) =>
        leftIds.has(a.requester_id) ||
        moveOf.has(a.requester_id) ||
        (a.decided_by && leftIds.has(a.decided_by)),
    )
    .map((a) => a.id)
    .sort();
  const affected: AuthorisationRow[] = [];
  for (const ids of chunk(affectedIds, 500)) {
    const query = trx.selectFrom('removal_authorisations').selectAll().where('id', 'in', ids).orderBy('id');
    affected.push(...(await lockingRows(trx, query).execute()));
  }
  const managerBefore = new Map<string, string | null>();
  const requesters = [...new Set(affected.map((a) => a.requester_id))];
  for (const ids of chunk(requesters, 500)) {
    const rows = await trx
      .selectFrom('staff')
      .select(['aad_object_id', 'line_manager_id'])
      .where('aad_object_id', 'in', ids)
      .execute();
    rows.forEach((r) => managerBefore.set(r.aad_object_id, r.line_manager_id));
  }

  await saveDirectoryUsers(trx, input.users, at);
  await saveStaffStates(trx, plan.rows, at);
  await saveDirectorySyncState(trx, { deltaLink: input.deltaLink, generation: state.generation + 1 });

  const result: Consequences = {
    rerouted: 0,
    withdrawn: 0,
    flagged: 0,
    coversEnded: 0,
    notices: 0,
    referencesRemoved: 0,
  };
  // Where the bot reached people who left goes with them (their name stays on what they did).
  if (leftIds.size) result.referencesRemoved = await forgetConversations(trx, [...leftIds]);

  // Cover given by or to someone who left ends with them.
  if (leftIds.size) {
    const left = [...leftIds];
    const covers = [];
    for (const ids of chunk(left, 500)) {
      covers.push(
        ...(await trx
          .selectFrom('acting_managers')
          .select(['id', 'manager_id', 'acting_manager_id'])
          .where('revoked_at', 'is', null)
          .where('ends_on', '>=', today)
          .where((eb) => eb.or([eb('manager_id', 'in', ids), eb('acting_manager_id', 'in', ids)]))
          .execute()),
      );
    }
    for (const cover of [...new Map(covers.map((c) => [c.id, c])).values()]) {
      await trx.updateTable('acting_managers').set({ revoked_at: at }).where('id', '=', cover.id).execute();
      await appendAudit(trx, {
        at,
        actorId: DIRECTORY_ACTOR,
        action: 'acting_manager.ended',
        entityType: 'acting_manager',
        entityId: cover.id,
        details: {
          reason: 'left_staff_directory',
          managerId: cover.manager_id,
          actingManagerId: cover.acting_manager_id,
        },
        covers: [{ table: 'acting_managers', key: [cover.id] }],
      });
      result.coversEnded += 1;
    }
  }

  const officers = (
    await trx
      .selectFrom('staff')
      .select('aad_object_id')
      .where('left_on', 'is', null)
      .where('roles', 'like', '%records_management%')
      .orderBy('aad_object_id')
      .execute()
  ).map((r) => r.aad_object_id);
  const approversOf = async (manager: string | null) =>
    manager && !leftIds.has(manager) ? [manager, ...(await actingManagerIds(trx, manager, today))] : [];

  const notices: NewNotification[] = [];
  const tell = (
    recipients: readonly (string | null)[],
    a: AuthorisationRow,
    event: DirectoryEvent,
    payload: Omit<DirectoryNoticePayload, 'event' | 'requesterId'>,
  ) => {
    for (const to of new Set(recipients)) {
      if (!to || leftIds.has(to)) continue;
      notices.push({
        dedupeKey: `directory:${runId}:${event}:${a.id}:${to}`,
        recipientId: to,
        kind: 'directory.notice',
        authorisationId: a.id,
        payload: { event, requesterId: a.requester_id, ...payload },
        dueAt: at,
      });
    }
  };
  const refreshCards = (a: AuthorisationRow) =>
    notices.push({
      dedupeKey: `card.refresh:${a.id}:directory:${runId}`,
      recipientId: DIRECTORY_ACTOR,
      kind: 'card.refresh',
      authorisationId: a.id,
      dueAt: at,
    });
  const audit = (
    a: AuthorisationRow,
    action: string,
    details: Record<string, unknown>,
    covers: readonly CoveredRef[] = [],
  ) =>
    appendAudit(trx, {
      at,
      actorId: DIRECTORY_ACTOR,
      action,
      entityType: 'removal_authorisation',
      entityId: a.id,
      details: { runId, status: a.status, ...details },
      covers,
    });
  const causeOf = (move: Move) => (move.from && leftIds.has(move.from) ? 'manager_left' : 'moved');

  for (const a of affected) {
    const requesterLeft = leftIds.has(a.requester_id);
    const move = moveOf.get(a.requester_id);
    const before = managerBefore.get(a.requester_id) ?? null;
    const now = move ? move.to : before;
    const out = a.status !== 'pending';

    if (requesterLeft && !out) {
      const outcome = withdrawForLeaver({
        requesterId: a.requester_id,
        status: a.status as AuthorisationStatus,
        version: Number(a.version),
        outOn: a.out_on,
        returnOn: a.return_on,
      })!;
      await trx
        .updateTable('removal_authorisations')
        .set({ status: outcome.status, version: outcome.version, reason: outcome.reason, updated_at: at })
        .where('id', '=', a.id)
        .execute();
      await trx
        .insertInto('authorisation_history')
        .values({
          authorisation_id: a.id,
          version: outcome.version,
          from_status: outcome.from,
          to_status: outcome.status,
          actor_id: DIRECTORY_ACTOR,
          reason: outcome.reason,
          at,
        })
        .execute();
      await audit(
        a,
        'removal.withdrawn',
        {
          from: outcome.from,
          to: outcome.status,
          version: outcome.version,
          reason: outcome.reason,
          cause: 'requester_left',
        },
        [
          { table: 'removal_authorisations', key: [a.id] },
          { table: 'authorisation_history', key: [a.id, outcome.version] },
        ],
      );
      tell(await approversOf(before), a, 'withdrawn_requester_left', { fromId: before, toId: now });
      refreshCards(a);
      result.withdrawn += 1;
    } else if (requesterLeft) {
      await audit(a, 'removal.flagged', { cause: 'requester_left', managerId: now });
      tell([...officers, ...(await approversOf(now))], a, 'requester_left_records_out', {
        fromId: before,
        toId: now,
      });
      result.flagged += 1;
    } else if (move && !out) {
      const cause = causeOf(move);
      await audit(a, 'removal.rerouted', { from: move.from, to: move.to, cause });
      if (move.to) {
        const approvers = await approversOf(move.to);
        const previous = (await approversOf(move.from)).filter((id) => !approvers.includes(id));
        tell([a.requester_id], a, 'rerouted', { fromId: move.from, toId: move.to, cause });
        tell(previous, a, 'rerouted_away', { fromId: move.from, toId: move.to, cause });
        tell(approvers, a, 'rerouted_to_you', { fromId: move.from, toId: move.to, cause });
        for (const to of approvers) {
          notices.push({
            dedupeKey: `approval_request:${a.id}:${to}:directory:${runId}`,
            recipientId: to,
            kind: 'removal.approval_request',
            authorisationId: a.id,
            dueAt: at,
          });
        }
      } else {
        tell([a.requester_id], a, 'no_manager', { fromId: move.from, toId: null, cause });
        tell(officers, a, 'no_manager_flag', { fromId: move.from, toId: null, cause });
        result.flagged += 1;
      }
      refreshCards(a);
      result.rerouted += 1;
    } else if (move) {
      const cause = causeOf(move);
      await audit(a, 'removal.rerouted', { from: move.from, to: move.to, cause });
      if (cause === 'manager_left' || !move.to) {
        tell(officers, a, 'manager_left_records_out', { fromId: move.from, toId: move.to, cause });
        result.flagged += 1;
      }
      tell(await approversOf(move.to), a, 'records_out_now_yours', {
        fromId: move.from,
        toId: move.to,
        cause,
      });
      refreshCards(a);
      result.rerouted += 1;
    } else if (out && a.decided_by && leftIds.has(a.decided_by)) {
      await audit(a, 'removal.flagged', { cause: 'approver_left', approverId: a.decided_by });
      tell(officers, a, 'approver_left', { fromId: a.decided_by, toId: now });
      result.flagged += 1;
    }
  }

  await enqueue(trx, notices, at);
  result.notices = notices.filter((n) => n.kind !== 'card.refresh').length;

  const changed =
    plan.rows.length + result.coversEnded + result.rerouted + result.withdrawn + result.flagged > 0;
  if (changed) {
    await appendAudit(trx, {
      at,
      actorId: DIRECTORY_ACTOR,
      action: 'directory.synced',
      entityType: 'staff',
      entityId: runId,
      details: {
        trigger: input.trigger,
        read: input.full ? 'full' : 'changes',
        staff: plan.staff,
        joined: plan.joined,
        rejoined: plan.rejoined,
        updated: plan.updated,
        moved: plan.moved,
        left: plan.left,
        ...result,
      },
      covers: plan.rows.map((row) => ({ table: 'staff', key: [row.id] })),
    });
  }
  return result;
}
