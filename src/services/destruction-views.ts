import {
  BATCH_STATUS_LABELS,
  classTitle,
  ruleLabel,
  type BatchAbilities,
  DESTRUCTION_METHOD_LABELS,
  isDestructionMethod,
  proposedMethod,
  registerDateRange,
  registerTriggerDate,
  type BatchStatus,
  type CaseDates,
  type DateField,
  type DestructionCheck,
  type DestructionMethod,
  type DispositionState,
  type HoldTypeCheck,
  type IsoDate,
  type LogChecks,
  type PersonAtTheTime,
  type RetentionBasis,
  type Schedule,
} from '../rules/index.js';
import type { Database, RecordRow } from '../store/schema.js';
import type { StaffMember } from '../store/staff.js';
import type { PersonRef } from './removal.js';

// What the destruction workflow shows: batches, their items and register entries, as typed views
// of the rows. Only references, record titles and staff names; never a child's personal data.

export type { PersonRef };

/** A check with when it was made; `stage` says whether at review or at confirmation. */
export interface StoredCheck extends DestructionCheck {
  checkedAt: string;
  stage: 'review' | 'confirm';
}

/** How the records of a batch were chosen. */
export type BatchFilter = { recordIds: string[] } | { classId: string | null; dueBy: IsoDate };

export interface BatchCounts {
  records: number;
  /** Records that pass every check (at review; once confirmed, the records destroyed). */
  passing: number;
  blocked: number;
  destroyed: number;
}

export interface BatchSummary {
  id: string;
  reference: string;
  status: BatchStatus;
  statusLabel: string;
  version: number;
  filter: BatchFilter;
  createdBy: PersonRef;
  createdAt: string;
  method: DestructionMethod | null;
  methodLabel: string | null;
  certificateRef: string | null;
  confirmedBy: PersonRef | null;
  confirmedAt: string | null;
  cancelledBy: PersonRef | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  counts: BatchCounts;
  /** The outside logs the confirming officer ticked, with who and when (once confirmed). */
  logChecks: { ticks: LogChecks; checkedBy: PersonAtTheTime; checkedAt: string } | null;
}

export interface BatchItemView {
  recordId: string;
  caseRef: string;
  recordClass: string;
  /** The class as people name it. */
  classTitle: string;
  title: string;
  format: string;
  retentionEndsOn: IsoDate | null;
  /** Whether every check passed when the batch was reviewed. */
  eligibleAtReview: boolean;
  /** The latest checks: at confirmation once confirmed, otherwise at review. */
  checks: StoredCheck[];
  passed: boolean;
  /** The details of the checks that failed, as sentences. */
  reasons: string[];
  outcome: 'destroyed' | 'blocked' | null;
  /** The method the record's format calls for (proposed at confirmation). */
  proposedMethod: DestructionMethod | null;
}

export interface BatchView extends BatchSummary {
  items: BatchItemView[];
  /** What the officer it was read for may do with it now (the rules decide). */
  can: BatchAbilities;
  /** The officers asked to confirm it when it was created (under the two-person rule). */
  askedToConfirm: PersonRef[];
}

/** One entry of the destruction register (research section (c)). */
export interface RegisterEntry {
  id: string;
  batchId: string;
  batchReference: string | null;
  recordId: string;
  recordClass: string;
  /** The class as people name it (the id is `recordClass`). */
  classTitle: string;
  caseRef: string;
  format: string;
  /**
   * The date range of the case's records, without dates of birth or death. Entries written
   * before that rule show only the years (docs/decisions/0014).
   */
  earliestDate: string | null;
  latestDate: string | null;
  scheduleVersion: string;
  ruleId: string | null;
  /** The rule as people name it ("75th anniversary of the child's birth"); null with no rule. */
  ruleLabel: string | null;
  period: string;
  triggerField: DateField | null;
  /** The trigger date; only its year when it is a date of birth or death (docs/decisions/0014). */
  triggerDate: string | null;
  retentionEndedOn: IsoDate | null;
  /** The class of the record of the same child it was kept with, when that gave the period. */
  keptWith: string | null;
  /** That class as people name it. */
  keptWithTitle: string | null;
  checks: Omit<StoredCheck, 'stage'>[];
  authorisedBy: PersonRef;
  authorisedAt: string;
  destroyedBy: PersonRef;
  destroyedOn: IsoDate;
  method: string;
  methodLabel: string;
  certificateRef: string | null;
  quantity: number;
  createdAt: string;
  /** The people's roles at the time (null in entries written before roles were kept). */
  authorisedByRole: string | null;
  destroyedByRole: string | null;
  /** Each hold type's checks, with who checked the outside log and when (null in older entries). */
  holdChecks: HoldTypeCheck[] | null;
  /** The review decision that allowed destruction, when the class is reviewed. */
  reviewDecision: DispositionState | null;
}

export type BatchRow = Database['destruction_batches'];
export type RegisterRow = Database['destruction_register'] & { batch_reference: string | null };

/** A person by id: the name kept at the time when there is one, else the directory's. */
export function personRef(id: string, people: Map<string, StaffMember>, keptName?: string | null): PersonRef {
  return { id, name: keptName ?? people.get(id)?.name ?? 'Someone no longer in the directory' };
}

export function methodLabel(method: string): string {
  return isDestructionMethod(method) ? DESTRUCTION_METHOD_LABELS[method] : method;
}

export function parseStoredChecks(json: string): StoredCheck[] {
  return JSON.parse(json) as StoredCheck[];
}

/** The checks of the latest stage: confirmation when there is one, otherwise review. */
export function latestChecks(checks: readonly StoredCheck[]): StoredCheck[] {
  const stage = checks.some((c) => c.stage === 'confirm') ? 'confirm' : 'review';
  return checks.filter((c) => c.stage === stage);
}

export function toBatchSummary(
  row: BatchRow,
  counts: BatchCounts,
  people: Map<string, StaffMember>,
): BatchSummary {
  const status = row.status as BatchStatus;
  const method = row.method && isDestructionMethod(row.method) ? row.method : null;
  return {
    id: row.id,
    reference: row.reference,
    status,
    statusLabel: BATCH_STATUS_LABELS[status] ?? row.status,
    version: Number(row.version),
    filter: JSON.parse(row.filter) as BatchFilter,
    createdBy: personRef(row.created_by, people, row.created_by_name),
    createdAt: row.created_at,
    method,
    methodLabel: row.method ? methodLabel(row.method) : null,
    certificateRef: row.certificate_ref,
    confirmedBy: row.confirmed_by ? personRef(row.confirmed_by, people, row.confirmed_by_name) : null,
    confirmedAt: row.confirmed_at,
    cancelledBy: row.cancelled_by ? personRef(row.cancelled_by, people) : null,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
    counts,
    logChecks: row.log_checks ? (JSON.parse(row.log_checks) as BatchSummary['logChecks']) : null,
  };
}

/** Only the year of a date that may be a date of birth or death, in entries written before they were left out. */
function yearOnly(date: string | null): string | null {
  return date === null ? null : date.slice(0, 4);
}

export function toRegisterEntry(
  row: RegisterRow,
  people: Map<string, StaffMember>,
  schedule: Schedule,
): RegisterEntry {
  // Entries written before names, roles and hold checks were kept also held the case's date of
  // birth in their date range and trigger date; the register refuses updates, so they are cut
  // to the year whenever they are read.
  const older = row.hold_checks === null;
  const personal = row.trigger_field === 'dateOfBirth' || row.trigger_field === 'dateOfDeath';
  return {
    id: row.id,
    batchId: row.batch_id,
    batchReference: row.batch_reference,
    recordId: row.record_id,
    recordClass: row.record_class,
    classTitle: classTitle(schedule, row.record_class),
    caseRef: row.case_ref,
    format: row.format,
    earliestDate: older ? yearOnly(row.earliest_date) : row.earliest_date,
    latestDate: older ? yearOnly(row.latest_date) : row.latest_date,
    scheduleVersion: row.schedule_version,
    ruleId: row.rule_id,
    ruleLabel: row.rule_id ? ruleLabel(schedule, row.rule_id, row.kept_with, row.record_class) : null,
    period: row.period,
    triggerField: row.trigger_field as DateField | null,
    triggerDate: personal ? yearOnly(row.trigger_date) : row.trigger_date,
    retentionEndedOn: row.retention_ended_on,
    keptWith: row.kept_with,
    keptWithTitle: row.kept_with ? classTitle(schedule, row.kept_with) : null,
    checks: JSON.parse(row.checks) as RegisterEntry['checks'],
    authorisedBy: personRef(row.authorised_by, people, row.authorised_by_name),
    authorisedAt: row.authorised_at,
    destroyedBy: personRef(row.destroyed_by, people, row.destroyed_by_name),
    destroyedOn: row.destroyed_on,
    method: row.method,
    methodLabel: methodLabel(row.method),
    certificateRef: row.certificate_ref,
    quantity: Number(row.quantity),
    createdAt: row.created_at,
    authorisedByRole: row.authorised_by_role,
    destroyedByRole: row.destroyed_by_role,
    holdChecks: row.hold_checks ? (JSON.parse(row.hold_checks) as HoldTypeCheck[]) : null,
    reviewDecision: row.review_decision
      ? (JSON.parse(row.review_decision) as RegisterEntry['reviewDecision'])
      : null,
  };
}

/** The register row for a record destroyed now (research section (c)); quantity is one record. */
export function newRegisterRow(input: {
  id: string;
  batch: BatchRow;
  record: Pick<RecordRow, 'record_id' | 'record_class' | 'case_ref' | 'format'>;
  dates: CaseDates;
  basis: RetentionBasis;
  checks: RegisterEntry['checks'];
  authorisedBy: PersonAtTheTime;
  destroyedBy: PersonAtTheTime;
  destroyedOn: IsoDate;
  method: DestructionMethod;
  certificateRef: string;
  holdChecks: HoldTypeCheck[];
  reviewDecision: RegisterEntry['reviewDecision'];
  at: string;
}): Database['destruction_register'] {
  const range = registerDateRange(input.dates);
  const trigger = input.basis.trigger;
  return {
    id: input.id,
    batch_id: input.batch.id,
    record_id: input.record.record_id,
    record_class: input.record.record_class,
    case_ref: input.record.case_ref,
    format: input.record.format,
    earliest_date: range.earliest,
    latest_date: range.latest,
    schedule_version: input.basis.scheduleVersion,
    rule_id: input.basis.ruleId,
    period: input.basis.period ?? '',
    trigger_field: trigger?.field ?? null,
    trigger_date: trigger ? registerTriggerDate(trigger.field, trigger.date) : null,
    retention_ended_on: input.basis.endsOn,
    checks: JSON.stringify(input.checks),
    authorised_by: input.authorisedBy.id,
    authorised_at: input.batch.created_at,
    destroyed_by: input.destroyedBy.id,
    destroyed_on: input.destroyedOn,
    method: input.method,
    certificate_ref: input.certificateRef,
    quantity: 1,
    created_at: input.at,
    authorised_by_name: input.authorisedBy.name,
    authorised_by_role: input.authorisedBy.role,
    destroyed_by_name: input.destroyedBy.name,
    destroyed_by_role: input.destroyedBy.role,
    hold_checks: JSON.stringify(input.holdChecks),
    review_decision: input.reviewDecision ? JSON.stringify(input.reviewDecision) : null,
    kept_with: input.basis.keptWith?.classId ?? null,
  };
}

/** The method a batch item's format calls for. */
export function proposedMethodOf(item: {
  format: string | null;
  location: string | null;
}): DestructionMethod | null {
  return item.format ? proposedMethod(item.format, item.location ?? '') : null;
}
