import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  abilities,
  ACTION_TARGETS,
  addDays,
  isOverdue,
  isIsoDate,
  PURPOSE_LABELS,
  PURPOSES,
  STATUS_LABELS,
  teamGroup,
  transition,
  validateRemovalRequest,
  type AuthorisationAbilities,
  type AuthorisationAction,
  type AuthorisationStatus,
  type IsoDate,
  type Purpose,
  hasRole,
  NOT_SET_UP,
  refuse,
  type Refusal,
  type RequestProblem,
  type ManagerRelationship,
  type NotificationKind,
  type TeamGroup,
  workViews,
} from '../rules/index.js';
import { chunk } from '../chunk.js';
import { appendAudit } from '../store/audit.js';
import { lockingRows } from '../store/dialect.js';
import { prepared } from '../store/prepared.js';
import { enqueue, type NewNotification } from '../store/outbox.js';
import type { AuthorisationRow, Database } from '../store/schema.js';
import {
  actingManagerIds,
  getStaff,
  getStaffMany,
  listReports,
  managersCoveredBy,
  relationshipOf,
  type StaffMember,
} from '../store/staff.js';
import type { CaseLookups } from './case-lookups.js';
import { today, type Clock } from './clock.js';

export interface PersonRef {
  id: string;
  name: string;
}

/** An authorisation as cards, lists and the tab show it. */
export interface AuthorisationView {
  id: string;
  caseRef: string;
  requester: PersonRef;
  /** Empty means the whole case file. */
  records: { id: string; title: string }[];
  purpose: Purpose;
  purposeLabel: string;
  destination: string;
  outOn: IsoDate;
  returnOn: IsoDate;
  justification: string;
  status: AuthorisationStatus;
  statusLabel: string;
  overdue: boolean;
  version: number;
  decidedBy: PersonRef | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  /** Who may decide: the requester's line manager and anyone acting for them today. */
  approvers: PersonRef[];
  /** What the person it was read for may do with it now (the rules decide). */
  can: AuthorisationAbilities;
}

/** A read for a person: the authorisation, or why they may not see it. */
export type Viewed =
  { ok: true; authorisation: AuthorisationView } | { ok: false; refusal: Refusal; caseRef: string | null };

/** What the removal form shows about the case asked for: its records, and who will be asked. */
export interface RemovalFormContext {
  caseRef: string;
  /** The requester's line manager, who will be asked to agree. */
  managerName: string | null;
  /** A case reference was given and the inventory does not hold it. */
  caseUnknown: boolean;
  /** The case's records that are not destroyed (the first 50), to choose from. */
  records: { id: string; title: string }[];
}

export interface RemovalRequestInput {
  caseRef: string;
  recordIds: string[];
  purpose: string | null;
  destination: string;
  outOn: string | null;
  returnOn: string | null;
  justification: string;
  acknowledged: boolean;
  unknownCaseConfirmed: boolean;
}

export type RequestOutcome =
  | { ok: true; authorisation: AuthorisationView }
  /** The form to show again: null when the requester is not in the staff directory. */
  | { ok: false; problems: RequestProblem[]; form: RemovalFormContext | null };

/** `authorisation` is the item as it is now; after a refusal, only when the actor may see it. */
export type ActionOutcome =
  | { ok: true; authorisation: AuthorisationView; repeated: boolean }
  | { ok: false; refusal: Refusal; authorisation: AuthorisationView | null };

export interface TeamOverview {
  pending: AuthorisationView[];
  overdue: AuthorisationView[];
  /** Approved (or asked back) and the out date has come: the records are out of the office. */
  outNow: AuthorisationView[];
  /** Approved to leave on a later day. */
  leavingLater: AuthorisationView[];
  /** How many people's requests the manager decides (their reports and those they cover for). */
  members: number;
  /** A line manager, or someone covering for one today: the team view applies. */
  teamView: boolean;
}

const NOT_FOUND = 'That request no longer exists, or the link is wrong.';
const NOT_VISIBLE = 'Only the requester and their line manager can see this request.';
const NOT_IN_DIRECTORY = NOT_SET_UP;

export interface RemovalSettings {
  /** Longest authorisation, in days from out to return. */
  maxDays: number;
  /** The limit on case lookups: a form naming a case shows the case's records, so it counts as one. */
  lookups?: CaseLookups;
}

const KIND_FOR_EVENT: Record<string, NotificationKind> = {
  'removal.approved': 'removal.approved',
  'removal.declined': 'removal.declined',
  'removal.withdrawn': 'removal.withdrawn',
  'removal.return_requested': 'removal.return_requested',
  'removal.returned': 'removal.returned',
};

// The queries of every decision and every card, built once (src/store/prepared.ts).
const authorisationById = prepared((db, v: { id: string }) =>
  db.selectFrom('removal_authorisations').selectAll().where('id', '=', v.id),
);
const lockedAuthorisation = prepared((db, v: { id: string }) =>
  lockingRows(db, db.selectFrom('removal_authorisations').selectAll().where('id', '=', v.id)),
);
const caseByRef = prepared((db, v: { caseRef: string }) =>
  db.selectFrom('cases').select('case_ref').where('case_ref', '=', v.caseRef),
);
const insertHistory = prepared(
  (
    db,
    v: {
      authorisationId: string;
      version: number;
      from: AuthorisationStatus;
      to: AuthorisationStatus;
      actorId: string;
      reason: string | null;
      at: string;
    },
  ) =>
    db.insertInto('authorisation_history').values({
      authorisation_id: v.authorisationId,
      version: v.version,
      from_status: v.from,
      to_status: v.to,
      actor_id: v.actorId,
      reason: v.reason,
      at: v.at,
    }),
);

/** Removal requests and authorisations: the case worker's and the line manager's use cases. */
export class RemovalService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly settings: RemovalSettings,
  ) {}

  private at(): string {
    return this.clock.now().toISOString();
  }

  private async read(id: string, viewerId: string): Promise<AuthorisationView | null> {
    const [row] = (await authorisationById(this.db, { id })).rows;
    if (!row) return null;
    return (await this.views([row], viewerId))[0] ?? null;
  }

  /** One authorisation for `viewerId`, who must be its requester or one of its approvers. */
  async view(viewerId: string, id: string): Promise<Viewed> {
    const a = await this.read(id, viewerId);
    if (!a) return { ok: false, refusal: refuse('not_found', NOT_FOUND), caseRef: null };
    if (!a.can.canView)
      return { ok: false, refusal: refuse('not_your_request', NOT_VISIBLE), caseRef: a.caseRef };
    return { ok: true, authorisation: a };
  }

  /**
   * The authorisation an outbox row addressed to `recipientId` is about, for the notification
   * dispatcher: the service queued it for them, so they are told of it, and `can.canView` says
   * whether the card goes with it (a manager's manager hears of a late decision, but sees no card).
   */
  async forNotification(id: string, recipientId: string): Promise<AuthorisationView | null> {
    return this.read(id, recipientId);
  }

  private async views(rows: AuthorisationRow[], viewerId: string): Promise<AuthorisationView[]> {
    const day = today(this.clock);
    const requesterIds = rows.map((r) => r.requester_id);
    const people = await getStaffMany(this.db, [
      ...requesterIds,
      ...rows.map((r) => r.decided_by).filter((id): id is string => !!id),
    ]);
    const managerIds = [
      ...new Set([...people.values()].map((p) => p.lineManagerId).filter((id): id is string => !!id)),
    ];
    const acting = new Map<string, string[]>();
    for (const m of managerIds) acting.set(m, await actingManagerIds(this.db, m, day));
    const approverPeople = await getStaffMany(this.db, [...managerIds, ...[...acting.values()].flat()]);
    const recordIds = [...new Set(rows.flatMap((r) => JSON.parse(r.record_ids) as string[]))];
    const titles = new Map<string, string>();
    for (const ids of chunk(recordIds, 500)) {
      const found = await this.db
        .selectFrom('records')
        .select(['record_id', 'title'])
        .where('record_id', 'in', ids)
        .execute();
      found.forEach((f) => titles.set(f.record_id, f.title));
    }
    const ref = (id: string, map: Map<string, StaffMember>): PersonRef => ({
      id,
      name: map.get(id)?.name ?? 'Someone no longer in the directory',
    });
    return rows.map((row) => {
      const status = row.status as AuthorisationStatus;
      const purpose = row.purpose as Purpose;
      const manager = people.get(row.requester_id)?.lineManagerId ?? null;
      const relationship: ManagerRelationship = {
        lineManagerId: manager,
        actingManagerIds: manager ? (acting.get(manager) ?? []) : [],
      };
      const approvers = manager ? [manager, ...relationship.actingManagerIds] : [];
      return {
        id: row.id,
        caseRef: row.case_ref,
        requester: ref(row.requester_id, people),
        records: (JSON.parse(row.record_ids) as string[]).map((id) => ({ id, title: titles.get(id) ?? id })),
        purpose,
        purposeLabel: PURPOSE_LABELS[purpose] ?? purpose,
        destination: row.destination,
        outOn: row.out_on,
        returnOn: row.return_on,
        justification: row.justification,
        status,
        statusLabel: STATUS_LABELS[status] ?? status,
        overdue: isOverdue({ status, returnOn: row.return_on }, day),
        version: Number(row.version),
        decidedBy: row.decided_by ? ref(row.decided_by, people) : null,
        reason: row.reason,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        approvers: approvers.map((id) => ref(id, approverPeople)),
        can: abilities({ requesterId: row.requester_id, status }, relationship, { id: viewerId }),
      };
    });
  }

  /** The case's records to choose from and the manager to be asked, for the removal form. */
  private async formContext(
    requester: StaffMember,
    caseRef: string,
    known?: boolean,
  ): Promise<RemovalFormContext> {
    const inInventory = known ?? (caseRef ? await this.caseExists(caseRef) : false);
    const records = inInventory
      ? await this.db
          .selectFrom('records')
          .select(['record_id as id', 'title'])
          .where('case_ref', '=', caseRef)
          .where('destroyed_on', 'is', null)
          .orderBy('record_id')
          .limit(50)
          .execute()
      : [];
    const manager = requester.lineManagerId ? await getStaff(this.db, requester.lineManagerId) : undefined;
    return { caseRef, managerName: manager?.name ?? null, caseUnknown: !!caseRef && !inInventory, records };
  }

  private async caseExists(caseRef: string): Promise<boolean> {
    return (await caseByRef(this.db, { caseRef })).rows.length > 0;
  }

  /**
   * What a new removal form for `actorId` shows about `caseRef`; refused when they are not in the
   * directory, or have looked up as many cases as they may this hour.
   */
  async newForm(
    actorId: string,
    caseRef: string,
  ): Promise<{ ok: true; form: RemovalFormContext } | Refusal<'not_in_directory' | 'too_many_lookups'>> {
    const actor = await getStaff(this.db, actorId);
    if (!actor) return refuse('not_in_directory', NOT_IN_DIRECTORY);
    const ref = caseRef.trim();
    const limited = ref ? await this.settings.lookups?.take(actor.id) : null;
    if (limited) return limited;
    return { ok: true, form: await this.formContext(actor, ref) };
  }

  /** A new removal request from `actorId`, checked by the rules; the approvers are told. */
  async request(actorId: string, input: RemovalRequestInput): Promise<RequestOutcome> {
    const actor = await getStaff(this.db, actorId);
    if (!actor) {
      return {
        ok: false,
        problems: [{ field: 'requester', code: 'not_in_directory', message: NOT_IN_DIRECTORY }],
        form: null,
      };
    }
    const day = today(this.clock);
    const caseRef = input.caseRef.trim();
    const limited = caseRef ? await this.settings.lookups?.take(actor.id) : null;
    if (limited)
      return {
        ok: false,
        problems: [{ field: 'caseRef', code: limited.code, message: limited.message }],
        form: null,
      };
    const caseInInventory = caseRef ? await this.caseExists(caseRef) : false;
    const recordIds = [...new Set(input.recordIds.map((r) => r.trim()).filter(Boolean))];
    const records = recordIds.length
      ? await this.db
          .selectFrom('records')
          .select(['record_id', 'case_ref', 'destroyed_on'])
          .where('record_id', 'in', recordIds)
          .execute()
      : [];
    const problems: RequestProblem[] = [];
    const unknown = recordIds.filter((id) => !records.some((r) => r.record_id === id));
    if (unknown.length) {
      problems.push({
        field: 'records',
        code: 'record_unknown',
        message: `Not in the inventory: ${unknown.join(', ')}.`,
      });
    }
    const purpose = (PURPOSES as readonly string[]).includes(input.purpose ?? '')
      ? (input.purpose as Purpose)
      : null;
    const outOn = input.outOn && isIsoDate(input.outOn) ? input.outOn : null;
    const returnOn = input.returnOn && isIsoDate(input.returnOn) ? input.returnOn : null;
    if (input.outOn && !outOn)
      problems.push({ field: 'outOn', code: 'bad_date', message: 'The out date is not a date.' });
    if (input.returnOn && !returnOn) {
      problems.push({ field: 'returnOn', code: 'bad_date', message: 'The return date is not a date.' });
    }
    problems.push(
      ...validateRemovalRequest(
        {
          caseRef,
          records: records.map((r) => ({
            recordId: r.record_id,
            caseRef: r.case_ref,
            destroyed: r.destroyed_on !== null,
          })),
          purpose,
          destination: input.destination,
          outOn,
          returnOn,
          justification: input.justification,
          acknowledged: input.acknowledged,
          unknownCaseConfirmed: input.unknownCaseConfirmed,
        },
        {
          requester: { id: actor.id, roles: actor.roles },
          lineManagerId: actor.lineManagerId,
          caseInInventory,
          today: day,
          maxDays: this.settings.maxDays,
        },
      ).filter(
        (p) =>
          !(p.code === 'out_missing' && input.outOn && !outOn) &&
          !(p.code === 'return_missing' && input.returnOn && !returnOn),
      ),
    );
    if (problems.length) {
      return { ok: false, problems, form: await this.formContext(actor, caseRef, caseInInventory) };
    }

    const id = randomUUID();
    const at = this.at();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('removal_authorisations')
        .values({
          id,
          case_ref: caseRef,
          requester_id: actor.id,
          record_ids: JSON.stringify(recordIds),
          purpose: purpose!,
          destination: input.destination.trim(),
          out_on: outOn!,
          return_on: returnOn!,
          justification: input.justification.trim(),
          status: 'pending',
          version: 1,
          decided_by: null,
          decided_at: null,
          reason: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await trx
        .insertInto('authorisation_history')
        .values({
          authorisation_id: id,
          version: 1,
          from_status: null,
          to_status: 'pending',
          actor_id: actor.id,
          reason: null,
          at,
        })
        .execute();
      await appendAudit(trx, {
        at,
        actorId: actor.id,
        action: 'removal.requested',
        entityType: 'removal_authorisation',
        entityId: id,
        details: {
          caseRef,
          records: recordIds,
          purpose,
          outOn,
          returnOn,
          caseInInventory,
        },
        covers: [
          { table: 'removal_authorisations', key: [id] },
          { table: 'authorisation_history', key: [id, 1] },
        ],
      });
      const approvers = [actor.lineManagerId!, ...(await actingManagerIds(trx, actor.lineManagerId!, day))];
      await enqueue(
        trx,
        approvers.map((to) => ({
          dedupeKey: `approval_request:${id}:${to}`,
          recipientId: to,
          kind: 'removal.approval_request',
          authorisationId: id,
          dueAt: at,
        })),
        at,
      );
    });
    return { ok: true, authorisation: (await this.read(id, actor.id))! };
  }

  /**
   * Applies a decision or change by `actorId`, who saw `expectedVersion`. The actor's
   * relationship and the current state are checked in the transaction that writes the change.
   */
  async act(
    actorId: string,
    id: string,
    action: AuthorisationAction,
    expectedVersion: number,
  ): Promise<ActionOutcome> {
    const actor = await getStaff(this.db, actorId);
    if (!actor) {
      return { ok: false, refusal: refuse('not_in_directory', NOT_IN_DIRECTORY), authorisation: null };
    }
    const day = today(this.clock);
    const at = this.at();
    const result = await this.db.transaction().execute(async (trx) => {
      const row = await this.lockRow(trx, id);
      if (!row)
        return {
          ok: false as const,
          refusal: refuse('not_found', NOT_FOUND),
        };
      const relationship = await relationshipOf(trx, row.requester_id, day);
      const outcome = transition(
        {
          requesterId: row.requester_id,
          status: row.status as AuthorisationStatus,
          version: Number(row.version),
          outOn: row.out_on,
          returnOn: row.return_on,
        },
        action,
        { actor: { id: actor.id, roles: actor.roles }, relationship, expectedVersion, today: day },
      );
      if (!outcome.ok) {
        if (outcome.code === 'stale' && (await this.isRepeat(trx, id, actor.id, action, expectedVersion))) {
          return { ok: true as const, repeated: true };
        }
        return { ok: false as const, refusal: outcome };
      }
      const decision = action.kind === 'approve' || action.kind === 'decline';
      const updated = await trx
        .updateTable('removal_authorisations')
        .set({
          status: outcome.status,
          version: outcome.version,
          updated_at: at,
          ...(decision ? { decided_by: actor.id, decided_at: at } : {}),
          ...(outcome.reason !== null && action.kind !== 'approve' ? { reason: outcome.reason } : {}),
          ...(outcome.returnOn !== row.return_on ? { return_on: outcome.returnOn } : {}),
        })
        .where('id', '=', id)
        .where('version', '=', Number(row.version))
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        return {
          ok: false as const,
          refusal: refuse(
            'stale',
            'Someone else changed this request at the same moment. Nothing was changed.',
          ),
        };
      }
      await insertHistory(trx, {
        authorisationId: id,
        version: outcome.version,
        from: outcome.from,
        to: outcome.status,
        actorId: actor.id,
        reason: outcome.reason,
        at,
      });
      await appendAudit(trx, {
        at,
        actorId: actor.id,
        action: `removal.${action.kind}`,
        entityType: 'removal_authorisation',
        entityId: id,
        details: {
          from: outcome.from,
          to: outcome.status,
          version: outcome.version,
          reason: outcome.reason,
          ...(outcome.returnOn !== row.return_on
            ? { returnOn: { from: row.return_on, to: outcome.returnOn } }
            : {}),
        },
        covers: [
          { table: 'removal_authorisations', key: [id] },
          { table: 'authorisation_history', key: [id, outcome.version] },
        ],
      });
      const notifications: NewNotification[] = [];
      for (const event of outcome.events) {
        const recipients =
          event.notify === 'requester'
            ? [row.requester_id]
            : [relationship.lineManagerId, ...relationship.actingManagerIds].filter((r): r is string => !!r);
        for (const to of recipients) {
          if (to === actor.id) continue;
          notifications.push({
            dedupeKey: `${event.type}:${id}:${outcome.version}:${to}`,
            recipientId: to,
            kind: KIND_FOR_EVENT[event.type]!,
            authorisationId: id,
            payload: { actorId: actor.id },
            dueAt: at,
          });
        }
      }
      notifications.push({
        dedupeKey: `card.refresh:${id}:${outcome.version}`,
        recipientId: actor.id,
        kind: 'card.refresh',
        authorisationId: id,
        dueAt: at,
      });
      await enqueue(trx, notifications, at);
      return { ok: true as const, repeated: false };
    });
    const view = await this.read(id, actor.id);
    if (result.ok) return { ok: true, authorisation: view!, repeated: result.repeated };
    return { ok: false, refusal: result.refusal, authorisation: view?.can.canView ? view : null };
  }

  private async lockRow(trx: Transaction<Database>, id: string): Promise<AuthorisationRow | undefined> {
    return (await lockedAuthorisation(trx, { id })).rows[0];
  }

  /** The same person pressing the same button again (a double click or a Teams retry). */
  private async isRepeat(
    trx: Transaction<Database>,
    id: string,
    actorId: string,
    action: AuthorisationAction,
    expectedVersion: number,
  ): Promise<boolean> {
    const next = await trx
      .selectFrom('authorisation_history')
      .select(['actor_id', 'to_status'])
      .where('authorisation_id', '=', id)
      .where('version', '=', expectedVersion + 1)
      .executeTakeFirst();
    return next?.actor_id === actorId && next.to_status === ACTION_TARGETS[action.kind];
  }

  /** The requester's own requests: everything open, and the most recent closed ones. */
  async listMine(
    actorId: string,
    closedLimit = 5,
  ): Promise<{ open: AuthorisationView[]; closed: AuthorisationView[] }> {
    const rows = await this.db
      .selectFrom('removal_authorisations')
      .selectAll()
      .where('requester_id', '=', actorId)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    const all = await this.views(rows, actorId);
    const open = all.filter((a) => ['pending', 'approved', 'return_requested'].includes(a.status));
    const closed = all.filter((a) => !open.includes(a)).slice(0, closedLimit);
    return { open, closed };
  }

  /** Open requests of the people `managerId` manages, or covers for today. */
  async team(managerId: string): Promise<TeamOverview> {
    const day = today(this.clock);
    const covered = await managersCoveredBy(this.db, managerId, day);
    const manager = await getStaff(this.db, managerId);
    const teamView = manager ? workViews(manager, covered.length).team : false;
    // Someone who left while reporting to them may still have records out: keep them in view.
    const people = (
      await Promise.all([managerId, ...covered].map((m) => listReports(this.db, m, { includeLeavers: true })))
    )
      .flat()
      .filter((s) => s.id !== managerId);
    const reports = people.map((s) => s.id);
    // Whose requests they decide: those still on the staff.
    const members = new Set(people.filter((s) => !s.leftOn).map((s) => s.id)).size;
    if (!reports.length) return { pending: [], overdue: [], outNow: [], leavingLater: [], members, teamView };
    const rows = await this.db
      .selectFrom('removal_authorisations')
      .selectAll()
      .where('requester_id', 'in', reports)
      .where('status', 'in', ['pending', 'approved', 'return_requested'])
      .orderBy('return_on')
      .execute();
    const views = await this.views(rows, managerId);
    const group = (g: TeamGroup) => views.filter((v) => teamGroup(v, day) === g);
    return {
      pending: group('pending'),
      overdue: group('overdue'),
      outNow: group('out_now'),
      leavingLater: group('leaving_later'),
      members,
      teamView,
    };
  }

  /** Open authorisations of a case that `viewerId` may see, to find "Sam's authorisation for 1234567". */
  async openForCase(viewerId: string, caseRef: string): Promise<AuthorisationView[]> {
    const rows = await this.db
      .selectFrom('removal_authorisations')
      .selectAll()
      .where('case_ref', '=', caseRef)
      .where('status', 'in', ['pending', 'approved', 'return_requested'])
      .execute();
    return (await this.views(rows, viewerId)).filter((a) => a.can.canView);
  }

  /**
   * Tells the requester that the approval request could not reach `approverId` (the app is not
   * installed for them), while the request still waits. Once per request and approver.
   */
  async reportApproverUnreachable(id: string, approverId: string): Promise<void> {
    const a = await this.read(id, approverId);
    if (!a || a.status !== 'pending') return;
    const approver = a.approvers.find((p) => p.id === approverId);
    const at = this.at();
    await enqueue(
      this.db,
      [
        {
          dedupeKey: `approver_unreachable:${a.id}:${approverId}`,
          recipientId: a.requester.id,
          kind: 'removal.approver_unreachable',
          authorisationId: a.id,
          payload: { approverName: approver?.name ?? 'your line manager' },
          dueAt: at,
        },
      ],
      at,
    );
  }

  /** `managerId` names `actingId` to decide for them from today until `until` (inclusive). */
  async setActing(
    managerId: string,
    actingId: string,
    until: IsoDate,
  ): Promise<{ ok: true; until: IsoDate; acting: PersonRef } | Refusal> {
    const day = today(this.clock);
    const [manager, acting] = await Promise.all([getStaff(this.db, managerId), getStaff(this.db, actingId)]);
    if (!manager || !hasRole(manager, 'line_manager')) {
      return {
        ok: false,
        code: 'not_line_manager',
        message: 'Only a line manager can name someone to cover their approvals.',
      };
    }
    if (!acting)
      return { ok: false, code: 'unknown_person', message: 'That person is not in the staff directory.' };
    if (acting.id === manager.id)
      return { ok: false, code: 'self', message: 'You cannot cover for yourself.' };
    if (until < day)
      return { ok: false, code: 'until_in_past', message: 'The end date of the cover has already passed.' };
    if (until > addDays(day, 366))
      return { ok: false, code: 'until_too_far', message: 'Cover can be set for up to a year at a time.' };
    const at = this.at();
    await this.db.transaction().execute(async (trx) => {
      const id = randomUUID();
      await trx
        .insertInto('acting_managers')
        .values({
          id,
          manager_id: manager.id,
          acting_manager_id: acting.id,
          starts_on: day,
          ends_on: until,
          created_at: at,
          revoked_at: null,
        })
        .execute();
      await appendAudit(trx, {
        at,
        actorId: manager.id,
        action: 'acting_manager.named',
        entityType: 'acting_manager',
        entityId: id,
        details: { actingManagerId: acting.id, startsOn: day, endsOn: until },
        covers: [{ table: 'acting_managers', key: [id] }],
      });
    });
    return { ok: true, until, acting: { id: acting.id, name: acting.name } };
  }

  /** Ends every cover `managerId` has in force. Returns how many were ended. */
  async clearActing(managerId: string): Promise<number> {
    const day = today(this.clock);
    const at = this.at();
    return this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('acting_managers')
        .select('id')
        .where('manager_id', '=', managerId)
        .where('ends_on', '>=', day)
        .where('revoked_at', 'is', null)
        .execute();
      for (const { id } of current) {
        await trx.updateTable('acting_managers').set({ revoked_at: at }).where('id', '=', id).execute();
        await appendAudit(trx, {
          at,
          actorId: managerId,
          action: 'acting_manager.ended',
          entityType: 'acting_manager',
          entityId: id,
          details: {},
          covers: [{ table: 'acting_managers', key: [id] }],
        });
      }
      return current.length;
    });
  }
}
