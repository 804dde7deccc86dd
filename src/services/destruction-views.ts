import {
  BATCH_STATUS_LABELS,
  type BatchAbilities,
  caseDateRange,
  type CaseDates,
  type RetentionBasis,
  DESTRUCTION_METHOD_LABELS,
  isDestructionMethod,
  type BatchStatus,
  type DateField,
  type DestructionCheck,
  type DestructionMethod,
  type IsoDate,
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
}

export interface BatchItemView {
  recordId: string;
  caseRef: string;
  recordClass: string;
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
}

export interface BatchView extends BatchSummary {
  items: BatchItemView[];
  /** What the officer it was read for may do with it now (the rules decide). */
  can: BatchAbilities;
}

/** One entry of the destruction register (research section (c)). */
export interface RegisterEntry {
  id: string;
  batchId: string;
  batchReference: string | null;
  recordId: string;
  recordClass: string;
  caseRef: string;
  format: string;
  earliestDate: IsoDate | null;
  latestDate: IsoDate | null;
  scheduleVersion: string;
  ruleId: string | null;
  period: string;
  triggerField: DateField | null;
  triggerDate: IsoDate | null;
  retentionEndedOn: IsoDate | null;
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
}

export type BatchRow = Database['destruction_batches'];
export type RegisterRow = Database['destruction_register'] & { batch_reference: string | null };

export function personRef(id: string, people: Map<string, StaffMember>): PersonRef {
  return { id, name: people.get(id)?.name ?? 'Someone no longer in the directory' };
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
    createdBy: personRef(row.created_by, people),
    createdAt: row.created_at,
    method,
    methodLabel: row.method ? methodLabel(row.method) : null,
    certificateRef: row.certificate_ref,
    confirmedBy: row.confirmed_by ? personRef(row.confirmed_by, people) : null,
    confirmedAt: row.confirmed_at,
    cancelledBy: row.cancelled_by ? personRef(row.cancelled_by, people) : null,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
    counts,
  };
}

export function toRegisterEntry(row: RegisterRow, people: Map<string, StaffMember>): RegisterEntry {
  return {
    id: row.id,
    batchId: row.batch_id,
    batchReference: row.batch_reference,
    recordId: row.record_id,
    recordClass: row.record_class,
    caseRef: row.case_ref,
    format: row.format,
    earliestDate: row.earliest_date,
    latestDate: row.latest_date,
    scheduleVersion: row.schedule_version,
    ruleId: row.rule_id,
    period: row.period,
    triggerField: row.trigger_field as DateField | null,
    triggerDate: row.trigger_date,
    retentionEndedOn: row.retention_ended_on,
    checks: JSON.parse(row.checks) as RegisterEntry['checks'],
    authorisedBy: personRef(row.authorised_by, people),
    authorisedAt: row.authorised_at,
    destroyedBy: personRef(row.destroyed_by, people),
    destroyedOn: row.destroyed_on,
    method: row.method,
    methodLabel: methodLabel(row.method),
    certificateRef: row.certificate_ref,
    quantity: Number(row.quantity),
    createdAt: row.created_at,
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
  destroyedBy: string;
  destroyedOn: IsoDate;
  method: DestructionMethod;
  certificateRef: string;
  at: string;
}): Database['destruction_register'] {
  const range = caseDateRange(input.dates);
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
    trigger_field: input.basis.trigger?.field ?? null,
    trigger_date: input.basis.trigger?.date ?? null,
    retention_ended_on: input.basis.endsOn,
    checks: JSON.stringify(input.checks),
    authorised_by: input.batch.created_by,
    authorised_at: input.batch.created_at,
    destroyed_by: input.destroyedBy,
    destroyed_on: input.destroyedOn,
    method: input.method,
    certificate_ref: input.certificateRef,
    quantity: 1,
    created_at: input.at,
  };
}
