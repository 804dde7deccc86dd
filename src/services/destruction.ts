import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  authorisationHolding,
  batchAbilities,
  checkBatchAction,
  confirmersToAsk,
  checkDestruction,
  checkLogAttestation,
  chooseMethods,
  classTitle,
  defaultSchedule,
  DESTRUCTION_CHECK_LABELS,
  DESTRUCTION_METHOD_LABELS,
  DESTRUCTION_METHODS,
  EXTERNAL_LOGS,
  findClass,
  formatDate,
  holdTypeChecks,
  isDestructionMethod,
  isIsoDate,
  MAX_BATCH_RECORDS,
  MAX_CERTIFICATE_REF_LENGTH,
  nextBatchReference,
  personAtTheTime,
  refuse,
  requireRecordsManagement,
  retentionBasis,
  type Actor,
  type BatchSnapshot,
  type BatchStatus,
  type DestructionCheck,
  type DestructionCheckId,
  type DestructionMethod,
  type IsoDate,
  type LogChecks,
  type PersonAtTheTime,
  type Refusal,
  type RetentionBasis,
  type Schedule,
} from '../rules/index.js';
import { chunk } from '../chunk.js';
import { appendAudit } from '../store/audit.js';
import { oneAtATime } from '../store/dialect.js';
import { dueGroups } from '../store/due-counts.js';
import {
  askedToConfirm,
  batchItems,
  batchTallies,
  countRegister,
  countWaitingForReview,
  dueForNewBatch,
  dueRecordsQuery,
  findBatch,
  heldAndOut,
  latestBatchReference,
  listBatchRows,
  loadRecordFacts,
  registerRows,
  registerRowsAfter,
  type DueFilter,
  type RegisterCursor,
  type RegisterFilter,
  type RecordFacts,
} from '../store/destruction.js';
import { enqueue } from '../store/outbox.js';
import type { Database } from '../store/schema.js';
import { getStaff, getStaffMany, toStaffMember } from '../store/staff.js';
import { today, type Clock } from './clock.js';
import {
  latestChecks,
  newRegisterRow,
  parseStoredChecks,
  personRef,
  proposedMethodOf,
  toBatchSummary,
  toRegisterEntry,
  type BatchCounts,
  type BatchFilter,
  type BatchItemView,
  type BatchRow,
  type BatchSummary,
  type BatchView,
  type RegisterEntry,
  type StoredCheck,
} from './destruction-views.js';
import type {
  BatchPreview,
  BatchReview,
  BatchSelection,
  ConfirmInput,
  ConfirmResult,
  DestructionSettings,
  DueList,
  DueOptions,
  RegisterPage,
  RegisterQuery,
} from './destruction-types.js';

export type * from './destruction-views.js';
export type * from './destruction-types.js';

interface Evaluation {
  eligible: boolean;
  checks: DestructionCheck[];
  basis: RetentionBasis | null;
}

/** What to do instead, told to someone outside Records Management who asks for its lists. */
const ASK_THEM = 'If a record must be kept or destroyed, ask them.';

const DUE_PAGE = { default: 20, max: 100 };
/** Blocked records a preview names, with their reasons (the rest are counted). */
const PREVIEW_BLOCKED = 10;
/** Register entries read at a time for an export. */
const EXPORT_PAGE = 500;
const REGISTER_PAGE = { default: 50, max: 1000 };

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

function pageOf(
  page: number | undefined,
  pageSize: number | undefined,
  limits: { default: number; max: number },
): { page: number; pageSize: number } | Refusal {
  const p = page ?? 1;
  const size = pageSize ?? limits.default;
  if (!Number.isInteger(p) || p < 1) return refuse('bad_page', 'The page must be a whole number from 1.');
  if (!Number.isInteger(size) || size < 1) {
    return refuse('bad_page_size', 'The page size must be a whole number from 1.');
  }
  return { page: p, pageSize: Math.min(size, limits.max) };
}

function listIds(ids: readonly string[], max = 10): string {
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown} and ${count(ids.length - max)} more` : shown;
}

/**
 * The Records Management Service's destruction workflow: what is due, batches reviewed against
 * every pre-destruction check, confirmed (by a second officer under the two-person rule) with
 * the checks run again in the same transaction, and the append-only register.
 */
export class DestructionService {
  private readonly schedule: Schedule;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly settings: DestructionSettings,
  ) {
    this.schedule = settings.schedule ?? defaultSchedule;
  }

  private at(): string {
    return this.clock.now().toISOString();
  }

  private async rmsActor(
    actorId: string,
    doing: string,
    advice?: string,
  ): Promise<{ ok: true; actor: Actor; person: PersonAtTheTime } | Refusal> {
    const staff = await getStaff(this.db, actorId);
    const denied = requireRecordsManagement(staff, doing, advice);
    if (denied || !staff) return denied ?? refuse('not_in_directory', 'You are not in the staff directory.');
    return { ok: true, actor: { id: staff.id, roles: staff.roles }, person: personAtTheTime(staff) };
  }

  /** Null when `actorId` may download the register and batch certificates; otherwise why not. */
  async checkDownload(actorId: string): Promise<Refusal | null> {
    const who = await this.rmsActor(actorId, 'download the register and certificates', '');
    return who.ok ? null : who;
  }

  private dueFilter(classId: string | undefined, dueBy: IsoDate | undefined): DueFilter | Refusal {
    if (dueBy !== undefined && !isIsoDate(dueBy)) {
      return refuse('bad_date', 'The due-by date must be a date written YYYY-MM-DD, such as 2026-11-30.');
    }
    const cls = classId?.trim() || null;
    if (cls && !findClass(this.schedule, cls)) {
      return refuse(
        'unknown_class',
        `"${cls}" is not a record class in the retention schedule (version ${this.schedule.version}).`,
      );
    }
    return { dueBy: dueBy ?? today(this.clock), classId: cls };
  }

  /** Records due for destruction by `dueBy`, counted by class and month, and one page of them. */
  async due(actorId: string, options: DueOptions = {}): Promise<DueList | Refusal> {
    const who = await this.rmsActor(actorId, 'see which records are due for destruction');
    if (!who.ok) return who;
    const filter = this.dueFilter(options.classId, options.dueBy);
    if ('ok' in filter) return filter;
    const paging = pageOf(options.page, options.pageSize, DUE_PAGE);
    if ('ok' in paging) return paging;

    const groupRows = await dueGroups(this.db, filter);
    // Thousands of groups (a class for each month of decades) over a few dozen classes.
    const titles = new Map<string, string>();
    const titleOf = (id: string) => {
      let title = titles.get(id);
      if (title === undefined) titles.set(id, (title = findClass(this.schedule, id)?.title ?? id));
      return title;
    };
    const groups = groupRows.map((g) => ({
      classId: g.record_class,
      classTitle: titleOf(g.record_class),
      month: g.month,
      count: g.n,
    }));
    const total = groups.reduce((sum, g) => sum + g.count, 0);
    const pages = Math.max(1, Math.ceil(total / paging.pageSize));
    const page = Math.min(paging.page, pages);
    const rows = total
      ? await dueRecordsQuery(this.db, filter, paging.pageSize, (page - 1) * paging.pageSize).execute()
      : [];
    const flags = await heldAndOut(
      this.db,
      rows.map((r) => r.record_id),
      today(this.clock),
    );
    return {
      ok: true,
      dueBy: filter.dueBy,
      total,
      groups,
      records: rows.map((r) => ({
        recordId: r.record_id,
        caseRef: r.case_ref,
        recordClass: r.record_class,
        classTitle: classTitle(this.schedule, r.record_class),
        title: r.title,
        format: r.format,
        retentionEndsOn: r.retention_ends_on!,
        held: flags.get(r.record_id)?.held ?? false,
        out: flags.get(r.record_id)?.out ?? false,
      })),
      page,
      pages,
      pageSize: paging.pageSize,
    };
  }

  /** Every pre-destruction check for one record, on current data, for `actor` on `day`. */
  private evaluate(recordId: string, facts: RecordFacts | undefined, actor: Actor, day: IsoDate): Evaluation {
    if (!facts) {
      return {
        eligible: false,
        basis: null,
        checks: [
          {
            id: 'retention-ended',
            passed: false,
            detail: `Record ${recordId} is no longer in the inventory, so it cannot be checked.`,
          },
        ],
      };
    }
    const basis = retentionBasis(
      this.schedule,
      { recordId, recordClass: facts.record.record_class },
      facts.caseRecords,
      facts.dates,
    );
    const out = authorisationHolding(facts.authorisations, recordId);
    const result = checkDestruction(
      {
        retentionEndsOn: basis.endsOn,
        permanent: basis.permanent,
        missing: basis.missing,
        activeHolds: facts.holds,
        outOnAuthorisation: out ? { id: out.id, returnOn: out.returnOn } : null,
        destroyedOn: facts.record.destroyed_on,
        endAction: basis.endAction,
        disposition: facts.disposition,
      },
      actor,
      day,
    );
    const checks = basis.classKnown
      ? result.checks
      : result.checks.map((c) =>
          c.id === 'retention-ended'
            ? {
                ...c,
                detail: `The record class "${facts.record.record_class}" is not in the retention schedule (version ${basis.scheduleVersion}), so the end of retention cannot be worked out.`,
              }
            : c,
        );
    return { eligible: result.eligible, checks, basis };
  }

  private async choose(
    selection: BatchSelection,
    day: IsoDate,
  ): Promise<
    | { ok: true; recordIds: string[]; filter: BatchFilter; notice: string | null; inOpenBatches: number }
    | Refusal
  > {
    if (selection.recordIds && selection.filter) {
      return refuse('choose_one_way', 'Choose the records either by their ids or by a filter, not both.');
    }
    if (selection.recordIds) {
      const ids = [...new Set(selection.recordIds.map((id) => id.trim()).filter(Boolean))];
      if (!ids.length) return refuse('no_records', 'Choose at least one record for the batch.');
      if (ids.length > MAX_BATCH_RECORDS) {
        return refuse(
          'too_many_records',
          `A batch can hold at most ${count(MAX_BATCH_RECORDS)} records, and ${count(ids.length)} were chosen. Split them into batches of ${count(MAX_BATCH_RECORDS)} or fewer.`,
        );
      }
      const known = new Set<string>();
      for (const part of chunk(ids, 500)) {
        const rows = await this.db
          .selectFrom('records')
          .select('record_id')
          .where('record_id', 'in', part)
          .execute();
        rows.forEach((r) => known.add(r.record_id));
      }
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length) return refuse('record_unknown', `Not in the inventory: ${listIds(unknown)}.`);
      return { ok: true, recordIds: ids, filter: { recordIds: ids }, notice: null, inOpenBatches: 0 };
    }
    const filter = this.dueFilter(selection.filter?.classId, selection.filter?.dueBy ?? day);
    if ('ok' in filter) return filter;
    const { recordIds, total, inOpenBatches } = await dueForNewBatch(this.db, filter, MAX_BATCH_RECORDS);
    const what = filter.classId ? ` of the class ${classTitle(this.schedule, filter.classId)}` : '';
    const notice =
      total > recordIds.length
        ? `${count(total)} records${what} are due by ${formatDate(filter.dueBy)}, but a batch can hold at most ${count(MAX_BATCH_RECORDS)}. This batch has the ${count(recordIds.length)} longest past the end of their retention; create another batch for the rest.`
        : null;
    return {
      ok: true,
      recordIds,
      filter: { classId: filter.classId ?? null, dueBy: filter.dueBy },
      notice,
      inOpenBatches,
    };
  }

  /** Every check for each chosen record, now, as the officer choosing them. */
  private async assess(
    recordIds: readonly string[],
    actor: Actor,
    day: IsoDate,
  ): Promise<{ recordId: string; facts: RecordFacts | undefined; result: Evaluation }[]> {
    const facts = await loadRecordFacts(this.db, recordIds, { day });
    return recordIds.map((recordId) => {
      const f = facts.get(recordId);
      return { recordId, facts: f, result: this.evaluate(recordId, f, actor, day) };
    });
  }

  /**
   * What a new batch of the records chosen would hold if it were created now: counted by class
   * and month, with what is blocked and why and what is left out (records in another batch
   * waiting for confirmation, records waiting for a review decision). Nothing is created and
   * nobody is asked: the officer creates the batch from the preview.
   */
  async previewBatch(actorId: string, selection: BatchSelection = {}): Promise<BatchPreview | Refusal> {
    const who = await this.rmsActor(actorId, 'prepare a destruction batch');
    if (!who.ok) return who;
    const day = today(this.clock);
    const chosen = await this.choose(selection, day);
    if (!chosen.ok) return chosen;
    const assessed = await this.assess(chosen.recordIds, who.actor, day);
    const scope =
      'dueBy' in chosen.filter
        ? { classId: chosen.filter.classId, dueBy: chosen.filter.dueBy }
        : { classId: null, dueBy: day };
    const waitingForReview =
      'dueBy' in chosen.filter
        ? await countWaitingForReview(this.db, { dueBy: scope.dueBy, classId: scope.classId })
        : 0;
    const groups = new Map<string, BatchPreview['groups'][number]>();
    const failed = new Map<DestructionCheckId, number>();
    const blockedRecords: BatchPreview['blockedRecords'] = [];
    let passing = 0;
    for (const { recordId, facts, result } of assessed) {
      const cls = facts?.record.record_class ?? '';
      const month = (facts?.record.retention_ends_on ?? '').slice(0, 7);
      const key = `${month} ${cls}`;
      const group = groups.get(key) ?? {
        classId: cls,
        classTitle: classTitle(this.schedule, cls),
        month,
        count: 0,
        blocked: 0,
      };
      group.count += 1;
      groups.set(key, group);
      if (result.eligible) {
        passing += 1;
        continue;
      }
      group.blocked += 1;
      const reasons = result.checks.filter((c) => !c.passed);
      for (const c of reasons) failed.set(c.id, (failed.get(c.id) ?? 0) + 1);
      if (blockedRecords.length < PREVIEW_BLOCKED) {
        blockedRecords.push({
          recordId,
          caseRef: facts?.record.case_ref ?? '',
          title: facts?.record.title ?? '',
          classTitle: classTitle(this.schedule, cls),
          reasons: reasons.map((c) => c.detail),
        });
      }
    }
    return {
      ok: true,
      scope: {
        ...scope,
        classTitle: scope.classId ? classTitle(this.schedule, scope.classId) : null,
      },
      records: assessed.length,
      passing,
      blocked: assessed.length - passing,
      groups: [...groups.values()].sort(
        (a, b) => a.month.localeCompare(b.month) || a.classTitle.localeCompare(b.classTitle),
      ),
      blockedBy: [...failed].map(([check, n]) => ({
        check,
        label: DESTRUCTION_CHECK_LABELS[check],
        count: n,
      })),
      blockedRecords,
      inOpenBatches: chosen.inOpenBatches,
      waitingForReview,
      notice: chosen.notice,
    };
  }

  /**
   * A new batch of records for destruction, each checked now: the officer reviews it, then
   * (under the two-person rule) another officer confirms it. Records are chosen by id, or by
   * class and due-by date (records already in a batch waiting for confirmation are left out).
   */
  async createBatch(actorId: string, selection: BatchSelection = {}): Promise<BatchReview | Refusal> {
    const who = await this.rmsActor(actorId, 'create a destruction batch');
    if (!who.ok) return who;
    const day = today(this.clock);
    const chosen = await this.choose(selection, day);
    if (!chosen.ok) return chosen;
    if (!chosen.recordIds.length) return this.nothingDue(chosen.filter);
    const at = this.at();
    const items = (await this.assess(chosen.recordIds, who.actor, day)).map(({ recordId, result }) => {
      const checks: StoredCheck[] = result.checks.map((c) => ({ ...c, checkedAt: at, stage: 'review' }));
      return { record_id: recordId, eligible: result.eligible ? 1 : 0, checks: JSON.stringify(checks) };
    });
    const passing = items.filter((i) => i.eligible === 1).length;
    const id = randomUUID();
    const year = Number(day.slice(0, 4));
    await this.db.transaction().execute(async (trx) => {
      // One batch reference at a time, so two officers never get the same number.
      await oneAtATime(trx, 'destruction_batch_reference');
      const reference = nextBatchReference(year, await latestBatchReference(trx, year));
      await trx
        .insertInto('destruction_batches')
        .values({
          id,
          reference,
          status: 'awaiting_confirmation' satisfies BatchStatus,
          version: 1,
          filter: JSON.stringify(chosen.filter),
          created_by: who.actor.id,
          created_at: at,
          method: null,
          certificate_ref: null,
          confirmed_by: null,
          confirmed_at: null,
          cancelled_by: null,
          cancelled_at: null,
          cancel_reason: null,
          updated_at: at,
          created_by_name: who.person.name,
          created_by_role: who.person.role,
          confirmed_by_name: null,
          confirmed_by_role: null,
          log_checks: null,
        })
        .execute();
      for (const part of chunk(items, 200)) {
        await trx
          .insertInto('destruction_batch_items')
          .values(part.map((i) => ({ ...i, batch_id: id, outcome: null })))
          .execute();
      }
      await appendAudit(trx, {
        at,
        actorId: who.actor.id,
        action: 'destruction.batch_created',
        entityType: 'destruction_batch',
        entityId: id,
        details: {
          reference,
          filter: chosen.filter,
          records: items.length,
          passing,
          blocked: items.length - passing,
        },
        covers: [
          { table: 'destruction_batches', key: [id] },
          { table: 'destruction_batch_items', key: [id] },
        ],
      });
      await this.askToConfirm(
        trx,
        { reference, status: 'awaiting_confirmation', version: 1, createdBy: who.actor.id },
        id,
        at,
      );
    });
    const batch = await this.loadBatch(id, who.actor);
    return { ok: true, batch: batch!, notice: chosen.notice };
  }

  private nothingDue(filter: BatchFilter): Refusal {
    const classId = 'classId' in filter ? filter.classId : null;
    const dueBy = 'dueBy' in filter ? filter.dueBy : today(this.clock);
    const what = classId ? ` of the class ${classTitle(this.schedule, classId)}` : '';
    return refuse(
      'nothing_due',
      `No records${what} are due for destruction by ${formatDate(dueBy)}, apart from any already in a batch waiting for confirmation.`,
    );
  }

  /** Asks the officers who may confirm a new batch to do so, in the transaction that creates it. */
  private async askToConfirm(
    trx: Transaction<Database>,
    batch: BatchSnapshot,
    batchId: string,
    at: string,
  ): Promise<void> {
    const officers = (
      await trx.selectFrom('staff').selectAll().where('roles', 'like', '%records_management%').execute()
    ).map(toStaffMember);
    await enqueue(
      trx,
      confirmersToAsk(batch, officers, this.settings.twoPersonRule).map((officer) => ({
        dedupeKey: `destruction.awaiting_confirmation:${batchId}:${officer.id}`,
        recipientId: officer.id,
        kind: 'destruction.awaiting_confirmation',
        authorisationId: null,
        payload: { batchId },
        dueAt: at,
      })),
      at,
    );
  }

  /**
   * Destroys the batch's records that still pass every check. The confirming officer ticks that
   * the litigation, claims, subject access and FOI logs held outside the product were checked;
   * each record's method must suit its format. In one transaction (with the batch and record
   * rows locked on PostgreSQL, and blanket holds held still) each check runs again on current
   * data, so a hold placed a moment ago blocks its record; eligible records are marked destroyed
   * and entered in the register; the rest are reported as blocked with the reasons.
   */
  async confirm(actorId: string, batchId: string, input: ConfirmInput): Promise<ConfirmResult | Refusal> {
    const who = await this.rmsActor(actorId, 'confirm a destruction batch');
    if (!who.ok) return who;
    const actor = who.actor;
    if (input.method && !isDestructionMethod(input.method)) {
      const labels = DESTRUCTION_METHODS.map((m) => DESTRUCTION_METHOD_LABELS[m]);
      return refuse(
        'bad_method',
        `Say how the records were destroyed: ${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}; or leave it empty to use the method each record's format calls for.`,
      );
    }
    const certificate = typeof input.certificateRef === 'string' ? input.certificateRef.trim() : '';
    // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
    if (certificate.length > MAX_CERTIFICATE_REF_LENGTH || /[\u0000-\u001f]/.test(certificate)) {
      return refuse(
        'bad_certificate_ref',
        `The certificate reference must be plain text of ${MAX_CERTIFICATE_REF_LENGTH} characters or fewer.`,
      );
    }
    const day = today(this.clock);
    const at = this.at();
    type Done = { ok: true; batchId: string } & Pick<ConfirmResult, 'destroyed' | 'blocked'>;
    const result = await this.db.transaction().execute(async (trx): Promise<Done | Refusal> => {
      const batch = await findBatch(trx, batchId, { lock: true });
      if (!batch) return refuse('not_found', `There is no destruction batch ${batchId.trim().slice(0, 40)}.`);
      const allowed = checkBatchAction(
        {
          reference: batch.reference,
          status: batch.status as BatchStatus,
          version: Number(batch.version),
          createdBy: batch.created_by,
        },
        { kind: 'confirm' },
        { actor, expectedVersion: input.expectedVersion, twoPersonRule: this.settings.twoPersonRule },
      );
      if (!allowed.ok) return allowed;
      const logs = checkLogAttestation(input.logChecks);
      if (!logs.ok) return logs;
      const items = await batchItems(trx, batch.id);
      const chosen = chooseMethods(
        items
          .filter((i) => i.format !== null)
          .map((i) => ({ recordId: i.record_id, format: i.format!, location: i.location ?? '' })),
        { method: input.method, methods: input.methods },
      );
      if (!chosen.ok) return chosen;
      const ticked: LogChecks = Object.fromEntries(EXTERNAL_LOGS.map((l) => [l, true]));
      const logChecks = { ticks: ticked, checkedBy: who.person, checkedAt: at };
      const done = await this.destroyItems(trx, batch, actor, {
        methods: chosen.methods,
        certificate,
        day,
        at,
        confirmedBy: who.person,
      });
      const used = new Set(done.destroyed.map((d) => chosen.methods.get(d.recordId)));
      const method = used.size === 1 ? [...used][0]! : null;
      const updated = await trx
        .updateTable('destruction_batches')
        .set({
          status: 'confirmed' satisfies BatchStatus,
          version: Number(batch.version) + 1,
          method,
          certificate_ref: certificate || batch.reference,
          confirmed_by: actor.id,
          confirmed_at: at,
          updated_at: at,
          confirmed_by_name: who.person.name,
          confirmed_by_role: who.person.role,
          log_checks: JSON.stringify(logChecks),
        })
        .where('id', '=', batch.id)
        .where('version', '=', Number(batch.version))
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        throw new Error(`Destruction batch ${batch.reference} changed while it was being confirmed.`);
      }
      await appendAudit(trx, {
        at,
        actorId: actor.id,
        action: 'destruction.batch_confirmed',
        entityType: 'destruction_batch',
        entityId: batch.id,
        details: {
          reference: batch.reference,
          version: Number(batch.version) + 1,
          method,
          methods: Object.fromEntries(
            done.destroyed.map((d) => [d.recordId, chosen.methods.get(d.recordId)]),
          ),
          logChecks: logChecks.ticks,
          certificateRef: certificate || batch.reference,
          destroyed: done.destroyed.length,
          blocked: done.blocked.map((b) => b.recordId),
        },
        covers: [
          { table: 'destruction_batches', key: [batch.id] },
          { table: 'destruction_batch_items', key: [batch.id] },
        ],
      });
      await this.tellOfOutcome(trx, batch, 'destruction.batch_confirmed', actor.id, at);
      return { ok: true, batchId: batch.id, ...done };
    });
    if (!result.ok) return result;
    const batch = await this.loadBatch(result.batchId, actor);
    return { ok: true, batch: batch!, destroyed: result.destroyed, blocked: result.blocked };
  }

  /** The heart of confirmation, inside its transaction: check again, destroy, register, audit. */
  private async destroyItems(
    trx: Transaction<Database>,
    batch: BatchRow,
    actor: Actor,
    how: {
      methods: Map<string, DestructionMethod>;
      certificate: string;
      day: IsoDate;
      at: string;
      confirmedBy: PersonAtTheTime;
    },
  ): Promise<Pick<ConfirmResult, 'destroyed' | 'blocked'>> {
    const items = await trx
      .selectFrom('destruction_batch_items')
      .selectAll()
      .where('batch_id', '=', batch.id)
      .orderBy('record_id')
      .execute();
    const facts = await loadRecordFacts(
      trx,
      items.map((i) => i.record_id),
      { day: how.day, lock: true },
    );
    const authorisedBy = await this.creatorAtTheTime(trx, batch);
    const holdChecks = holdTypeChecks(how.confirmedBy, how.at);
    const destroyed: ConfirmResult['destroyed'] = [];
    const blocked: ConfirmResult['blocked'] = [];
    const register: Database['destruction_register'][] = [];
    for (const item of items) {
      const f = facts.get(item.record_id);
      const result = this.evaluate(item.record_id, f, actor, how.day);
      const checks = result.checks.map((c) => ({ ...c, checkedAt: how.at }));
      const stored: StoredCheck[] = [
        ...parseStoredChecks(item.checks),
        ...checks.map((c) => ({ ...c, stage: 'confirm' as const })),
      ];
      const method = how.methods.get(item.record_id);
      const destroy = result.eligible && f !== undefined && result.basis !== null && method !== undefined;
      await trx
        .updateTable('destruction_batch_items')
        .set({ outcome: destroy ? 'destroyed' : 'blocked', checks: JSON.stringify(stored) })
        .where('batch_id', '=', batch.id)
        .where('record_id', '=', item.record_id)
        .execute();
      if (!destroy) {
        blocked.push({
          recordId: item.record_id,
          reasons: result.checks.filter((c) => !c.passed).map((c) => c.detail),
        });
        continue;
      }
      const registerId = randomUUID();
      register.push(
        newRegisterRow({
          id: registerId,
          batch,
          record: f.record,
          dates: f.dates,
          basis: result.basis!,
          checks,
          authorisedBy,
          destroyedBy: how.confirmedBy,
          destroyedOn: how.day,
          method: method,
          certificateRef: how.certificate || batch.reference,
          holdChecks,
          reviewDecision: f.disposition,
          at: how.at,
        }),
      );
      destroyed.push({ recordId: item.record_id, registerId });
    }
    let marked = 0;
    for (const ids of chunk(
      destroyed.map((d) => d.recordId),
      500,
    )) {
      const updated = await trx
        .updateTable('records')
        .set({ destroyed_on: how.day, updated_at: how.at })
        .where('record_id', 'in', ids)
        .where('destroyed_on', 'is', null)
        .executeTakeFirst();
      marked += Number(updated.numUpdatedRows);
    }
    if (marked !== destroyed.length) {
      throw new Error(`Destruction batch ${batch.reference}: records changed while it was being confirmed.`);
    }
    for (const rows of chunk(register, 200)) {
      await trx.insertInto('destruction_register').values(rows).execute();
    }
    for (const d of destroyed) {
      await appendAudit(trx, {
        at: how.at,
        actorId: actor.id,
        action: 'record.destroyed',
        entityType: 'record',
        entityId: d.recordId,
        details: {
          batchId: batch.id,
          reference: batch.reference,
          registerId: d.registerId,
          method: how.methods.get(d.recordId),
        },
        covers: [{ table: 'destruction_register', key: [d.registerId] }],
      });
    }
    return { destroyed, blocked };
  }

  /**
   * In the transaction that confirms or cancels a batch: the officer who chose it is told (unless
   * they did it themselves), and every card of the batch already sent is brought up to date.
   */
  private async tellOfOutcome(
    trx: Transaction<Database>,
    batch: BatchRow,
    kind: 'destruction.batch_confirmed' | 'destruction.batch_cancelled',
    actorId: string,
    at: string,
  ): Promise<void> {
    const version = Number(batch.version) + 1;
    await enqueue(
      trx,
      [
        ...(batch.created_by === actorId
          ? []
          : [
              {
                dedupeKey: `${kind}:${batch.id}`,
                recipientId: batch.created_by,
                kind,
                authorisationId: null,
                payload: { batchId: batch.id },
                dueAt: at,
              },
            ]),
        {
          dedupeKey: `destruction.card_refresh:${batch.id}:${version}`,
          recipientId: actorId,
          kind: 'destruction.card_refresh' as const,
          authorisationId: null,
          payload: { batchId: batch.id },
          dueAt: at,
        },
      ],
      at,
    );
  }

  /** Who created the batch, as they were then (batches created before names were kept: as now). */
  private async creatorAtTheTime(trx: Transaction<Database>, batch: BatchRow): Promise<PersonAtTheTime> {
    if (batch.created_by_name && batch.created_by_role) {
      return { id: batch.created_by, name: batch.created_by_name, role: batch.created_by_role };
    }
    const staff = await getStaff(trx, batch.created_by);
    return staff
      ? personAtTheTime(staff)
      : { id: batch.created_by, name: 'Someone no longer in the directory', role: '' };
  }

  /** Cancels a batch waiting for confirmation; nothing is destroyed. A reason is required. */
  async cancel(
    actorId: string,
    batchId: string,
    reason: string,
    expectedVersion: number,
  ): Promise<{ ok: true; batch: BatchView } | Refusal> {
    const who = await this.rmsActor(actorId, 'cancel a destruction batch');
    if (!who.ok) return who;
    const why = typeof reason === 'string' ? reason.trim() : '';
    const at = this.at();
    const result = await this.db
      .transaction()
      .execute(async (trx): Promise<{ ok: true; id: string } | Refusal> => {
        const batch = await findBatch(trx, batchId, { lock: true });
        if (!batch)
          return refuse('not_found', `There is no destruction batch ${batchId.trim().slice(0, 40)}.`);
        const allowed = checkBatchAction(
          {
            reference: batch.reference,
            status: batch.status as BatchStatus,
            version: Number(batch.version),
            createdBy: batch.created_by,
          },
          { kind: 'cancel', reason: why },
          { actor: who.actor, expectedVersion, twoPersonRule: this.settings.twoPersonRule },
        );
        if (!allowed.ok) return allowed;
        await trx
          .updateTable('destruction_batches')
          .set({
            status: 'cancelled' satisfies BatchStatus,
            version: Number(batch.version) + 1,
            cancelled_by: who.actor.id,
            cancelled_at: at,
            cancel_reason: why,
            updated_at: at,
          })
          .where('id', '=', batch.id)
          .execute();
        await appendAudit(trx, {
          at,
          actorId: who.actor.id,
          action: 'destruction.batch_cancelled',
          entityType: 'destruction_batch',
          entityId: batch.id,
          details: { reference: batch.reference, version: Number(batch.version) + 1, reason: why },
          covers: [{ table: 'destruction_batches', key: [batch.id] }],
        });
        await this.tellOfOutcome(trx, batch, 'destruction.batch_cancelled', who.actor.id, at);
        return { ok: true, id: batch.id };
      });
    if (!result.ok) return result;
    return { ok: true, batch: (await this.loadBatch(result.id, who.actor))! };
  }

  /** A batch with its items and their latest checks, by id or reference, for an officer. */
  async getBatch(actorId: string, batchId: string): Promise<{ ok: true; batch: BatchView } | Refusal> {
    const who = await this.rmsActor(actorId, 'see destruction batches', ASK_THEM);
    if (!who.ok) return who;
    const batch = await this.loadBatch(batchId, who.actor);
    return batch ? { ok: true, batch } : refuse('not_found', 'No batch has that reference.');
  }

  /** A batch as `viewer` sees it (what they may do with it); null if there is none. */
  private async loadBatch(batchId: string, viewer: Actor): Promise<BatchView | null> {
    const row = await findBatch(this.db, batchId);
    if (!row) return null;
    const items = await batchItems(this.db, row.id);
    const views: BatchItemView[] = items.map((i) => {
      const checks = latestChecks(parseStoredChecks(i.checks));
      return {
        recordId: i.record_id,
        caseRef: i.case_ref ?? '',
        recordClass: i.record_class ?? '',
        classTitle: i.record_class ? classTitle(this.schedule, i.record_class) : '',
        title: i.title ?? '',
        format: i.format ?? '',
        retentionEndsOn: i.retention_ends_on ?? null,
        eligibleAtReview: Number(i.eligible) === 1,
        checks,
        passed: checks.every((c) => c.passed),
        reasons: checks.filter((c) => !c.passed).map((c) => c.detail),
        outcome: i.outcome === 'destroyed' || i.outcome === 'blocked' ? i.outcome : null,
        proposedMethod: proposedMethodOf(i),
      };
    });
    const destroyed = views.filter((v) => v.outcome === 'destroyed').length;
    const passing = row.status === 'confirmed' ? destroyed : views.filter((v) => v.passed).length;
    const counts: BatchCounts = {
      records: views.length,
      passing,
      blocked: views.length - passing,
      destroyed,
    };
    const asked = await askedToConfirm(this.db, row.id);
    const people = await getStaffMany(this.db, [...this.peopleOf([row]), ...asked]);
    const can = batchAbilities(
      {
        reference: row.reference,
        status: row.status as BatchStatus,
        version: Number(row.version),
        createdBy: row.created_by,
      },
      viewer,
      this.settings.twoPersonRule,
    );
    return {
      ...toBatchSummary(row, counts, people),
      items: views,
      can,
      askedToConfirm: asked.map((id) => personRef(id, people)),
    };
  }

  private peopleOf(rows: readonly BatchRow[]): string[] {
    return rows.flatMap((r) =>
      [r.created_by, r.confirmed_by, r.cancelled_by].filter((id): id is string => !!id),
    );
  }

  /** Batches, newest first, optionally of one status, for an officer. */
  async listBatches(
    actorId: string,
    options: { status?: BatchStatus; limit?: number } = {},
  ): Promise<{ ok: true; batches: BatchSummary[] } | Refusal> {
    const who = await this.rmsActor(actorId, 'see destruction batches', ASK_THEM);
    if (!who.ok) return who;
    const rows = await listBatchRows(this.db, options);
    if (!rows.length) return { ok: true, batches: [] };
    const tallies = await batchTallies(
      this.db,
      rows.map((r) => r.id),
    );
    const byBatch = new Map(tallies.map((t) => [t.batch_id, t]));
    const people = await getStaffMany(this.db, this.peopleOf(rows));
    const batches = rows.map((row) => {
      const t = byBatch.get(row.id);
      const records = Number(t?.records ?? 0);
      const destroyed = Number(t?.destroyed ?? 0);
      const passing = row.status === 'confirmed' ? destroyed : Number(t?.eligible ?? 0);
      return toBatchSummary(row, { records, passing, blocked: records - passing, destroyed }, people);
    });
    return { ok: true, batches };
  }

  /** Entries of the destruction register, newest first, filtered and a page at a time, for an officer. */
  async register(actorId: string, query: RegisterQuery = {}): Promise<RegisterPage | Refusal> {
    const who = await this.rmsActor(actorId, 'see the destruction register', ASK_THEM);
    if (!who.ok) return who;
    for (const [name, value] of [
      ['from', query.from],
      ['to', query.to],
    ] as const) {
      if (value !== undefined && !isIsoDate(value)) {
        return refuse(
          'bad_date',
          `The "${name}" date must be a date written YYYY-MM-DD, such as 2026-11-30.`,
        );
      }
    }
    if (query.from && query.to && query.from > query.to) {
      return refuse('bad_range', 'The "from" date is after the "to" date.');
    }
    const paging = pageOf(query.page, query.pageSize, REGISTER_PAGE);
    if ('ok' in paging) return paging;
    const total = await countRegister(this.db, query);
    const pages = Math.max(1, Math.ceil(total / paging.pageSize));
    const page = Math.min(paging.page, pages);
    const rows = await registerRows(this.db, query, paging.pageSize, (page - 1) * paging.pageSize);
    const people = await getStaffMany(
      this.db,
      rows.flatMap((r) => [r.authorised_by, r.destroyed_by]),
    );
    return {
      ok: true,
      total,
      entries: rows.map((r) => toRegisterEntry(r, people, this.schedule)),
      page,
      pages,
      pageSize: paging.pageSize,
    };
  }

  /**
   * Every entry of the register (or of one batch), newest first, for an officer: read a page at a
   * time as the caller takes them, for exports that send the register as they read it.
   */
  async registerEntries(
    actorId: string,
    filter: Pick<RegisterFilter, 'batchId'> = {},
  ): Promise<{ ok: true; entries: AsyncIterable<RegisterEntry> } | Refusal> {
    const who = await this.rmsActor(actorId, 'see the destruction register', ASK_THEM);
    if (!who.ok) return who;
    return { ok: true, entries: this.readRegister(filter) };
  }

  private async *readRegister(filter: Pick<RegisterFilter, 'batchId'>): AsyncGenerator<RegisterEntry> {
    let after: RegisterCursor | null = null;
    for (;;) {
      const rows = await registerRowsAfter(this.db, filter, after, EXPORT_PAGE);
      const people = await getStaffMany(
        this.db,
        rows.flatMap((r) => [r.authorised_by, r.destroyed_by]),
      );
      for (const row of rows) yield toRegisterEntry(row, people, this.schedule);
      // Let other requests in between pages: a long export never holds the server up.
      await new Promise((resolve) => setImmediate(resolve));
      const last = rows.at(-1);
      if (!last || rows.length < EXPORT_PAGE) return;
      after = {
        destroyedOn: last.destroyed_on,
        createdAt: last.created_at,
        recordId: last.record_id,
        id: last.id,
      };
    }
  }

  /** The register entry for a record (null if it has not been destroyed), for an officer. */
  async wasDestroyed(
    actorId: string,
    recordId: string,
  ): Promise<{ ok: true; entry: RegisterEntry | null } | Refusal> {
    const result = await this.register(actorId, { recordId, pageSize: 1 });
    return result.ok ? { ok: true, entry: result.entries[0] ?? null } : result;
  }
}
