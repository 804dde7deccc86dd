import { isOut, MAX_REASON_LENGTH, type AuthorisationStatus } from './authorisation.js';
import type { IsoDate } from './dates.js';
import type { DestructionCheckId } from './destruction.js';
import { refuse, type Refusal } from './refusal.js';
import { retentionEnd, type CaseDates } from './retention.js';
import { requireRecordsManagement, type Actor } from './roles.js';
import { DATE_FIELDS, findClass, type DateField, type Schedule } from './schedule.js';

// Destruction batches: Records Management chooses records, the checks run, a second officer
// (when the two-person rule is on) confirms, and each destroyed record goes into the register.

export const DESTRUCTION_METHODS = [
  'secure-deletion-livelink',
  'confidential-shredding',
  'secure-deletion-other',
] as const;
export type DestructionMethod = (typeof DESTRUCTION_METHODS)[number];

export const DESTRUCTION_METHOD_LABELS: Record<DestructionMethod, string> = {
  'secure-deletion-livelink': 'Secure deletion from Livelink',
  'confidential-shredding': 'Confidential shredding',
  'secure-deletion-other': 'Secure deletion from another system',
};

export function isDestructionMethod(value: unknown): value is DestructionMethod {
  return typeof value === 'string' && (DESTRUCTION_METHODS as readonly string[]).includes(value);
}

/** How each pre-destruction check is named to people (registers, certificates). */
export const DESTRUCTION_CHECK_LABELS: Record<DestructionCheckId, string> = {
  'actor-is-records-management': 'Done by the Records Management Service',
  'retention-ended': 'Retention period ended',
  'no-active-hold': 'No litigation, claim, subject access request, FOI or inquiry hold',
  'not-out-of-office': 'In the office (not out on an authorisation)',
  'not-already-destroyed': 'Not already destroyed',
};

export const BATCH_STATUSES = ['awaiting_confirmation', 'confirmed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = {
  awaiting_confirmation: 'waiting for confirmation',
  confirmed: 'confirmed (its records have been destroyed)',
  cancelled: 'cancelled',
};

/** The most records one batch may hold: enough for a morning's work, small enough to review. */
export const MAX_BATCH_RECORDS = 500;

/** Longest certificate reference accepted (a cancellation reason follows MAX_REASON_LENGTH). */
export const MAX_CERTIFICATE_REF_LENGTH = 100;

const REFERENCE = /^DB-(\d{4})-(\d{4,})$/;

/** `DB-2026-0001`: the batch's reference, also its certificate number. */
export function batchReference(year: number, sequence: number): string {
  return `DB-${String(year).padStart(4, '0')}-${String(sequence).padStart(4, '0')}`;
}

export function parseBatchReference(reference: string): { year: number; sequence: number } | null {
  const m = REFERENCE.exec(reference.trim());
  return m ? { year: Number(m[1]), sequence: Number(m[2]) } : null;
}

/** The reference after the year's latest (null when the year has none yet). */
export function nextBatchReference(year: number, latestOfYear: string | null): string {
  const latest = latestOfYear ? parseBatchReference(latestOfYear) : null;
  const sequence = latest && latest.year === year ? latest.sequence + 1 : 1;
  return batchReference(year, sequence);
}

/** The earliest and latest of the dates known for a case: the date range of its records. */
export function caseDateRange(dates: CaseDates): { earliest: IsoDate | null; latest: IsoDate | null } {
  const known = DATE_FIELDS.map((f) => dates[f]).filter((d): d is IsoDate => !!d);
  known.sort();
  return { earliest: known[0] ?? null, latest: known[known.length - 1] ?? null };
}

/** Why a record may (or may not yet) be destroyed, as the register records it. */
export interface RetentionBasis {
  scheduleVersion: string;
  /** False when the record's class is not in the schedule. */
  classKnown: boolean;
  classTitle: string | null;
  period: string | null;
  ruleId: string | null;
  endsOn: IsoDate | null;
  permanent: boolean;
  missing: DateField[];
  trigger: { field: DateField; date: IsoDate } | null;
}

/**
 * Works retention out again from the schedule and the case's current dates (research (b) 1:
 * recalculate from the trigger event before destroying), rather than trusting a stored date.
 */
export function retentionBasis(schedule: Schedule, recordClass: string, dates: CaseDates): RetentionBasis {
  const cls = findClass(schedule, recordClass);
  const base = { scheduleVersion: schedule.version, classKnown: !!cls, classTitle: cls?.title ?? null };
  if (!cls) {
    return {
      ...base,
      period: null,
      ruleId: null,
      endsOn: null,
      permanent: false,
      missing: [],
      trigger: null,
    };
  }
  const end = retentionEnd(cls, dates);
  const common = { ...base, period: cls.period, ruleId: end.rule?.id ?? null };
  switch (end.kind) {
    case 'ends':
      return { ...common, endsOn: end.endsOn, permanent: false, missing: [], trigger: end.trigger };
    case 'permanent':
      return { ...common, endsOn: null, permanent: true, missing: [], trigger: null };
    case 'incomplete':
      return { ...common, endsOn: null, permanent: false, missing: end.missing, trigger: null };
  }
}

export interface AuthorisationSummary {
  id: string;
  status: AuthorisationStatus;
  /** Empty means the whole case file. */
  recordIds: readonly string[];
  returnOn: IsoDate;
}

/** The authorisation under which a record is out of the office, if any. */
export function authorisationHolding(
  authorisations: readonly AuthorisationSummary[],
  recordId: string,
): AuthorisationSummary | null {
  return (
    authorisations.find((a) => isOut(a) && (a.recordIds.length === 0 || a.recordIds.includes(recordId))) ??
    null
  );
}

export interface BatchSnapshot {
  reference: string;
  status: BatchStatus;
  version: number;
  createdBy: string;
}

export type BatchAction = { kind: 'confirm' } | { kind: 'cancel'; reason: string };

export interface BatchActionContext {
  actor: Actor;
  expectedVersion: number;
  twoPersonRule: boolean;
}

/**
 * Whether `actor` may confirm or cancel the batch as they last saw it (`expectedVersion`). Only
 * a batch waiting for confirmation changes; under the two-person rule nobody confirms their own.
 */
export function checkBatchAction(
  batch: BatchSnapshot,
  action: BatchAction,
  ctx: BatchActionContext,
): { ok: true } | Refusal {
  const doing = action.kind === 'confirm' ? 'confirm a destruction batch' : 'cancel a destruction batch';
  const role = requireRecordsManagement(ctx.actor, doing);
  if (role) return role;
  if (ctx.expectedVersion !== batch.version) {
    return refuse(
      'stale',
      `Batch ${batch.reference} has changed since you looked at it: it is now ${BATCH_STATUS_LABELS[batch.status]}. Nothing was changed.`,
    );
  }
  if (batch.status !== 'awaiting_confirmation') {
    return refuse(
      'not_awaiting_confirmation',
      `Batch ${batch.reference} is ${BATCH_STATUS_LABELS[batch.status]}, so it cannot be ${action.kind === 'confirm' ? 'confirmed' : 'cancelled'}. Nothing was changed.`,
    );
  }
  if (action.kind === 'cancel') {
    const reason = action.reason.trim();
    if (!reason) return refuse('reason_required', 'Give a reason for cancelling the batch.');
    if (reason.length > MAX_REASON_LENGTH) {
      return refuse('reason_too_long', `Keep the reason to ${MAX_REASON_LENGTH} characters or fewer.`);
    }
    return { ok: true };
  }
  if (ctx.twoPersonRule && ctx.actor.id === batch.createdBy) {
    return refuse(
      'two_person_rule',
      `You created batch ${batch.reference}, so another Records Management officer must confirm it (the two-person rule). Nothing was destroyed.`,
    );
  }
  return { ok: true };
}

/** What a person may do with a batch now: the buttons they see on its card. */
export interface BatchAbilities {
  canConfirm: boolean;
  canCancel: boolean;
  /** The viewer chose this batch, so under the two-person rule another officer must confirm it. */
  awaitsAnotherOfficer: boolean;
}

/**
 * What `viewer` may do with the batch as it stands: the checks `checkBatchAction` makes, asked
 * without acting (a reason is still asked for when Cancel is pressed).
 */
export function batchAbilities(
  batch: BatchSnapshot,
  viewer: Actor | null | undefined,
  twoPersonRule: boolean,
): BatchAbilities {
  const may = (action: BatchAction) =>
    !!viewer &&
    checkBatchAction(batch, action, { actor: viewer, expectedVersion: batch.version, twoPersonRule }).ok;
  const canConfirm = may({ kind: 'confirm' });
  const canCancel = may({ kind: 'cancel', reason: 'a reason' });
  return {
    canConfirm,
    canCancel,
    awaitsAnotherOfficer: canCancel && !canConfirm && twoPersonRule && viewer?.id === batch.createdBy,
  };
}

/**
 * The officers to ask to confirm a new batch: under the two-person rule, every Records
 * Management officer who may confirm it (everyone but the one who chose it); otherwise nobody,
 * since its creator confirms it.
 */
export function confirmersToAsk(
  batch: BatchSnapshot,
  officers: readonly Actor[],
  twoPersonRule: boolean,
): Actor[] {
  if (!twoPersonRule) return [];
  return officers.filter((o) => batchAbilities(batch, o, twoPersonRule).canConfirm);
}
