import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  checkDecision,
  classTitle,
  defaultSchedule,
  DISPOSITION_DECISION_LABELS,
  DISPOSITION_DECISIONS,
  findClass,
  formatDate,
  isIsoDate,
  personAtTheTime,
  refuse,
  requireRecordsManagement,
  retentionBasis,
  reviewRefusal,
  ruleLabel,
  type CheckedDecision,
  type DecisionInput,
  type DispositionDecision,
  type IsoDate,
  type PersonAtTheTime,
  type Refusal,
  type Schedule,
} from '../rules/index.js';
import { chunk } from '../chunk.js';
import { appendAudit } from '../store/audit.js';
import { countWaitingForReview, heldAndOut, loadRecordFacts, type DueFilter } from '../store/destruction.js';
import {
  countDecisions,
  decisionRows,
  reviewGroupsQuery,
  reviewRecordIds,
  reviewRecordsQuery,
  type DecisionFilter,
} from '../store/disposition.js';
import type { Database, DispositionDecisionRow, RecordRow } from '../store/schema.js';
import { getStaff } from '../store/staff.js';
import { today, type Clock } from './clock.js';

// Disposition review: what waits for a decision at the end of retention, decisions recorded per
// record or per group (each audited, each kept for good), and the register of decisions,
// transfers to the archives among them (research (c)). Only the Records Management Service.

/** The most records one decision covers: a morning's review, small enough to check. */
export const MAX_DECISION_RECORDS = 500;

const REVIEW_PAGE = { default: 20, max: 100 };
/** Records a decision's confirmation shows (the rest are counted). */
const COVER_SHOWN = 10;
const DECISION_PAGE = { default: 50, max: 1000 };

export interface ReviewOptions {
  classId?: string;
  /** One case's records, or one record. */
  caseRef?: string;
  recordId?: string;
  /** Records whose retention (or review date) ended on or before this date; today when omitted. */
  dueBy?: IsoDate;
  page?: number;
  pageSize?: number;
}

export interface ReviewItem {
  recordId: string;
  caseRef: string;
  recordClass: string;
  classTitle: string;
  title: string;
  format: string;
  /** Null only for a record named by id whose retention end cannot be worked out. */
  retentionEndsOn: IsoDate | null;
  /** The class of the record of the same child it is kept with, when that gives the period. */
  keptWith: string | null;
  /** Set when an earlier decision kept it until this review. */
  reviewOn: IsoDate | null;
  held: boolean;
  out: boolean;
}

export interface ReviewList {
  ok: true;
  dueBy: IsoDate;
  /** The scope asked for (null: every class, every case). */
  classId: string | null;
  caseRef: string | null;
  recordId: string | null;
  total: number;
  groups: { classId: string; classTitle: string; month: string; count: number }[];
  records: ReviewItem[];
  page: number;
  pages: number;
  pageSize: number;
}

/** The records a decision is for: by id, or every record waiting for review by a filter. */
export interface DecisionSelection {
  recordIds?: string[];
  filter?: { classId?: string; dueBy?: IsoDate; caseRef?: string };
}

/** What a decision would cover, shown before it is recorded: counted by class, and the first records. */
export interface DecisionCover {
  ok: true;
  total: number;
  /**
   * How many of them wait for a decision now: all of a scope's; of records named by id, those
   * not decided since (a decision to keep whose review date has passed waits again).
   */
  waiting: number;
  groups: { classId: string; classTitle: string; count: number }[];
  records: ReviewItem[];
}

export interface DecisionView {
  id: string;
  groupId: string;
  recordId: string;
  caseRef: string;
  recordClass: string;
  /** The class as people name it. */
  classTitle: string;
  decision: DispositionDecision;
  decisionLabel: string;
  reason: string;
  keepYears: number | null;
  reviewOn: IsoDate | null;
  accessionRef: string | null;
  archive: string | null;
  retentionEndedOn: IsoDate | null;
  scheduleVersion: string;
  ruleId: string | null;
  /** The rule as people name it; null with no rule. */
  ruleLabel: string | null;
  keptWith: string | null;
  /** That class as people name it. */
  keptWithTitle: string | null;
  /** Who decided, with their name and role at the time. */
  decidedBy: PersonAtTheTime;
  decidedOn: IsoDate;
  decidedAt: string;
}

export interface DecisionResult {
  ok: true;
  groupId: string;
  decisions: DecisionView[];
}

export interface DecisionQuery extends DecisionFilter {
  page?: number;
  pageSize?: number;
}

export interface DecisionPage {
  ok: true;
  total: number;
  decisions: DecisionView[];
  page: number;
  pages: number;
  pageSize: number;
}

function pageOf(
  page: number | undefined,
  pageSize: number | undefined,
  limits: { default: number; max: number },
): { page: number; pageSize: number } | Refusal {
  const p = page ?? 1;
  const size = pageSize ?? limits.default;
  if (!Number.isInteger(p) || p < 1) return refuse('bad_page', 'The page must be a whole number from 1.');
  if (!Number.isInteger(size) || size < 1)
    return refuse('bad_page_size', 'The page size must be a whole number from 1.');
  return { page: p, pageSize: Math.min(size, limits.max) };
}

export function toDecisionView(row: DispositionDecisionRow, schedule: Schedule): DecisionView {
  const decision = row.decision as DispositionDecision;
  return {
    id: row.id,
    groupId: row.group_id,
    recordId: row.record_id,
    caseRef: row.case_ref,
    recordClass: row.record_class,
    classTitle: classTitle(schedule, row.record_class),
    decision,
    decisionLabel: DISPOSITION_DECISION_LABELS[decision] ?? row.decision,
    reason: row.reason,
    keepYears: row.keep_years === null ? null : Number(row.keep_years),
    reviewOn: row.review_on,
    accessionRef: row.accession_ref,
    archive: row.archive,
    retentionEndedOn: row.retention_ended_on,
    scheduleVersion: row.schedule_version,
    ruleId: row.rule_id,
    ruleLabel: row.rule_id ? ruleLabel(schedule, row.rule_id, row.kept_with, row.record_class) : null,
    keptWith: row.kept_with,
    keptWithTitle: row.kept_with ? classTitle(schedule, row.kept_with) : null,
    decidedBy: { id: row.decided_by, name: row.decided_by_name, role: row.decided_by_role },
    decidedOn: row.decided_on,
    decidedAt: row.decided_at,
  };
}

export class DispositionService {
  private readonly schedule: Schedule;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    settings: { schedule?: Schedule } = {},
  ) {
    this.schedule = settings.schedule ?? defaultSchedule;
  }

  private async officer(
    actorId: string,
    doing: string,
  ): Promise<{ ok: true; person: PersonAtTheTime } | Refusal> {
    const staff = await getStaff(this.db, actorId);
    const denied = requireRecordsManagement(staff, doing);
    if (denied || !staff) return denied ?? refuse('not_in_directory', 'You are not in the staff directory.');
    return { ok: true, person: personAtTheTime(staff) };
  }

  private filterOf(
    classId: string | undefined,
    dueBy: IsoDate | undefined,
    narrower: { caseRef?: string; recordId?: string } = {},
  ): DueFilter | Refusal {
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
    return {
      dueBy: dueBy ?? today(this.clock),
      classId: cls,
      caseRef: narrower.caseRef?.trim() || null,
      recordId: narrower.recordId?.trim() || null,
    };
  }

  /** Records whose retention (or review date) has passed and that wait for a decision. */
  async reviewList(actorId: string, options: ReviewOptions = {}): Promise<ReviewList | Refusal> {
    const who = await this.officer(actorId, 'see which records are waiting for review');
    if (!who.ok) return who;
    const filter = this.filterOf(options.classId, options.dueBy, options);
    if ('ok' in filter) return filter;
    const paging = pageOf(options.page, options.pageSize, REVIEW_PAGE);
    if ('ok' in paging) return paging;
    const groups = (await reviewGroupsQuery(this.db, filter).execute()).map((g) => ({
      classId: g.record_class,
      classTitle: classTitle(this.schedule, g.record_class),
      month: g.month,
      count: Number(g.n),
    }));
    const total = groups.reduce((sum, g) => sum + g.count, 0);
    const pages = Math.max(1, Math.ceil(total / paging.pageSize));
    const page = Math.min(paging.page, pages);
    const rows = total
      ? await reviewRecordsQuery(this.db, filter, paging.pageSize, (page - 1) * paging.pageSize).execute()
      : [];
    return {
      ok: true,
      dueBy: filter.dueBy,
      classId: filter.classId ?? null,
      caseRef: filter.caseRef ?? null,
      recordId: filter.recordId ?? null,
      total,
      groups,
      records: await this.reviewItems(rows),
      page,
      pages,
      pageSize: paging.pageSize,
    };
  }

  /**
   * What a decision on `selection` would cover, to show the officer before anything is recorded:
   * the records waiting for review in a scope, or the records named (which must be in the
   * inventory), counted by class, with the first few.
   */
  async covering(actorId: string, selection: DecisionSelection): Promise<DecisionCover | Refusal> {
    const who = await this.officer(actorId, 'record review decisions');
    if (!who.ok) return who;
    if (!selection.recordIds) {
      const list = await this.reviewList(actorId, { ...selection.filter, pageSize: COVER_SHOWN });
      if (!list.ok) return list;
      const byClass = new Map<string, DecisionCover['groups'][number]>();
      for (const g of list.groups) {
        const entry = byClass.get(g.classId) ?? { classId: g.classId, classTitle: g.classTitle, count: 0 };
        entry.count += g.count;
        byClass.set(g.classId, entry);
      }
      return {
        ok: true,
        total: list.total,
        waiting: list.total,
        groups: [...byClass.values()],
        records: list.records,
      };
    }
    const chosen = await this.choose(selection);
    if (!chosen.ok) return chosen;
    const rows: RecordRow[] = [];
    for (const part of chunk(chosen.recordIds, 500)) {
      rows.push(
        ...(await this.db.selectFrom('records').selectAll().where('record_id', 'in', part).execute()),
      );
    }
    const known = new Set(rows.map((r) => r.record_id));
    const unknown = chosen.recordIds.filter((id) => !known.has(id));
    if (unknown.length) {
      return refuse('record_unknown', `Not in the inventory: ${unknown.slice(0, 10).join(', ')}.`);
    }
    rows.sort((a, b) => a.record_id.localeCompare(b.record_id));
    const byClass = new Map<string, DecisionCover['groups'][number]>();
    for (const r of rows) {
      const entry = byClass.get(r.record_class) ?? {
        classId: r.record_class,
        classTitle: classTitle(this.schedule, r.record_class),
        count: 0,
      };
      entry.count += 1;
      byClass.set(r.record_class, entry);
    }
    const waiting = await countWaitingForReview(this.db, {
      dueBy: today(this.clock),
      recordIds: chosen.recordIds,
    });
    return {
      ok: true,
      total: rows.length,
      waiting,
      groups: [...byClass.values()],
      records: await this.reviewItems(rows.slice(0, COVER_SHOWN)),
    };
  }

  /** The records as the review shows them, each with whether it is held or out today. */
  private async reviewItems(
    rows: readonly Pick<
      RecordRow,
      | 'record_id'
      | 'case_ref'
      | 'record_class'
      | 'title'
      | 'format'
      | 'retention_ends_on'
      | 'retention_kept_with'
      | 'review_on'
    >[],
  ): Promise<ReviewItem[]> {
    const flags = await heldAndOut(
      this.db,
      rows.map((r) => r.record_id),
      today(this.clock),
    );
    return rows.map((r) => ({
      recordId: r.record_id,
      caseRef: r.case_ref,
      recordClass: r.record_class,
      classTitle: classTitle(this.schedule, r.record_class),
      title: r.title,
      format: r.format,
      retentionEndsOn: r.retention_ends_on,
      keptWith: r.retention_kept_with,
      reviewOn: r.review_on,
      held: flags.get(r.record_id)?.held ?? false,
      out: flags.get(r.record_id)?.out ?? false,
    }));
  }

  private async choose(selection: DecisionSelection): Promise<{ ok: true; recordIds: string[] } | Refusal> {
    if (selection.recordIds && selection.filter) {
      return refuse('choose_one_way', 'Choose the records either by their ids or by a filter, not both.');
    }
    if (selection.recordIds) {
      const ids = [...new Set(selection.recordIds.map((id) => id.trim()).filter(Boolean))];
      if (!ids.length) return refuse('no_records', 'Choose at least one record for the decision.');
      if (ids.length > MAX_DECISION_RECORDS) {
        return refuse(
          'too_many_records',
          `One decision can cover at most ${MAX_DECISION_RECORDS} records, and ${ids.length} were chosen.`,
        );
      }
      return { ok: true, recordIds: ids.sort() };
    }
    const filter = this.filterOf(selection.filter?.classId, selection.filter?.dueBy, {
      caseRef: selection.filter?.caseRef,
    });
    if ('ok' in filter) return filter;
    const { recordIds, total } = await reviewRecordIds(this.db, filter, MAX_DECISION_RECORDS + 1);
    if (!recordIds.length) {
      return refuse('nothing_to_review', `No records are waiting for review by ${formatDate(filter.dueBy)}.`);
    }
    if (total > MAX_DECISION_RECORDS) {
      return refuse(
        'too_many_records',
        `${total} records are waiting for review, and one decision can cover at most ${MAX_DECISION_RECORDS}. Choose by class, or by a due-by date.`,
      );
    }
    return { ok: true, recordIds: recordIds.sort() };
  }

  /**
   * Records a decision on each chosen record, all or none: destroy (then it can go into a
   * destruction batch), keep for more years with a new review date, transfer to the archives
   * with an accession reference, or keep permanently. Each record's retention is worked out
   * again first and must have ended; a record is not transferred while a hold is in force.
   * Every decision is kept for good and audited in the same transaction.
   */
  async decide(
    actorId: string,
    selection: DecisionSelection,
    input: DecisionInput,
  ): Promise<DecisionResult | Refusal> {
    const who = await this.officer(actorId, 'record review decisions');
    if (!who.ok) return who;
    const day = today(this.clock);
    const checked = checkDecision(input, day);
    if (!checked.ok) return checked;
    const chosen = await this.choose(selection);
    if (!chosen.ok) return chosen;
    const groupId = randomUUID();
    const at = this.clock.now().toISOString();
    const result = await this.db
      .transaction()
      .execute((trx) =>
        this.record(trx, chosen.recordIds, checked.decision, who.person, { groupId, day, at }),
      );
    if (!result.ok) return result;
    const rows: DispositionDecisionRow[] = [];
    for (const part of chunk(result.ids, 500)) {
      rows.push(
        ...(await this.db.selectFrom('disposition_decisions').selectAll().where('id', 'in', part).execute()),
      );
    }
    rows.sort((a, b) => a.record_id.localeCompare(b.record_id));
    return { ok: true, groupId, decisions: rows.map((r) => toDecisionView(r, this.schedule)) };
  }

  private async record(
    trx: Transaction<Database>,
    recordIds: readonly string[],
    decision: CheckedDecision,
    person: PersonAtTheTime,
    at: { groupId: string; day: IsoDate; at: string },
  ): Promise<{ ok: true; ids: string[] } | Refusal> {
    // Locks the records so a destruction confirming them waits, or is waited for.
    const facts = await loadRecordFacts(trx, recordIds, { day: at.day, lock: true });
    const problems: string[] = [];
    const unknown = recordIds.filter((id) => !facts.has(id));
    if (unknown.length) problems.push(`Not in the inventory: ${unknown.slice(0, 10).join(', ')}.`);
    const rows: DispositionDecisionRow[] = [];
    for (const recordId of recordIds) {
      const f = facts.get(recordId);
      if (!f) continue;
      const basis = retentionBasis(
        this.schedule,
        { recordId, recordClass: f.record.record_class },
        f.caseRecords,
        f.dates,
      );
      const refusal = reviewRefusal(
        {
          recordId,
          retentionEndsOn: basis.endsOn,
          permanent: basis.permanent,
          destroyedOn: f.record.destroyed_on,
          transferredOn: f.record.transferred_on,
        },
        at.day,
      );
      if (refusal) {
        problems.push(refusal);
        continue;
      }
      if (decision.decision === 'transfer' && f.holds.length) {
        problems.push(
          `${recordId} is on hold (${f.holds.map((h) => h.reference).join(', ')}): it stays here until the hold is released.`,
        );
        continue;
      }
      rows.push({
        id: randomUUID(),
        group_id: at.groupId,
        record_id: recordId,
        case_ref: f.record.case_ref,
        record_class: f.record.record_class,
        decision: decision.decision,
        reason: decision.reason,
        keep_years: decision.keepYears,
        review_on: decision.reviewOn,
        accession_ref: decision.accessionRef,
        archive: decision.archive,
        retention_ended_on: basis.endsOn,
        schedule_version: basis.scheduleVersion,
        rule_id: basis.ruleId,
        kept_with: basis.keptWith?.classId ?? null,
        decided_by: person.id,
        decided_by_name: person.name,
        decided_by_role: person.role,
        decided_on: at.day,
        decided_at: at.at,
      });
    }
    if (problems.length) {
      const shown = problems.slice(0, 10).join(' ');
      return refuse(
        'not_reviewable',
        `No decision was recorded. ${shown}${problems.length > 10 ? ` And ${problems.length - 10} more.` : ''}`,
      );
    }
    for (const part of chunk(rows, 100)) await trx.insertInto('disposition_decisions').values(part).execute();
    for (const row of rows) {
      await trx
        .updateTable('records')
        .set({
          disposition: row.decision,
          disposition_id: row.id,
          review_on: row.review_on,
          transferred_on: row.decision === 'transfer' ? at.day : null,
          updated_at: at.at,
        })
        .where('record_id', '=', row.record_id)
        .execute();
      await appendAudit(trx, {
        at: at.at,
        actorId: person.id,
        action: `disposition.${row.decision}`,
        entityType: 'record',
        entityId: row.record_id,
        details: {
          decisionId: row.id,
          groupId: row.group_id,
          reason: row.reason,
          keepYears: row.keep_years,
          reviewOn: row.review_on,
          accessionRef: row.accession_ref,
          archive: row.archive,
          retentionEndedOn: row.retention_ended_on,
        },
        covers: [{ table: 'disposition_decisions', key: [row.id] }],
      });
    }
    return { ok: true, ids: rows.map((r) => r.id) };
  }

  /** The decisions made on one record, newest first. */
  async history(
    actorId: string,
    recordId: string,
  ): Promise<{ ok: true; decisions: DecisionView[] } | Refusal> {
    const who = await this.officer(actorId, 'see review decisions');
    if (!who.ok) return who;
    const rows = await decisionRows(this.db, { recordId }, 1000, 0);
    return { ok: true, decisions: rows.map((r) => toDecisionView(r, this.schedule)) };
  }

  /** The register of review decisions (transfers to the archives among them), newest first. */
  async decisions(actorId: string, query: DecisionQuery = {}): Promise<DecisionPage | Refusal> {
    const who = await this.officer(actorId, 'see review decisions');
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
    if (
      query.decision !== undefined &&
      !(DISPOSITION_DECISIONS as readonly string[]).includes(query.decision)
    ) {
      return refuse('bad_decision', `Choose a decision: ${DISPOSITION_DECISIONS.join(', ')}.`);
    }
    const paging = pageOf(query.page, query.pageSize, DECISION_PAGE);
    if ('ok' in paging) return paging;
    const total = await countDecisions(this.db, query);
    const pages = Math.max(1, Math.ceil(total / paging.pageSize));
    const page = Math.min(paging.page, pages);
    const rows = await decisionRows(this.db, query, paging.pageSize, (page - 1) * paging.pageSize);
    return {
      ok: true,
      total,
      decisions: rows.map((r) => toDecisionView(r, this.schedule)),
      page,
      pages,
      pageSize: paging.pageSize,
    };
  }
}
