import { isOut, MAX_REASON_LENGTH, type AuthorisationStatus } from './authorisation.js';
import type { IsoDate } from './dates.js';
import type { DestructionCheckId } from './destruction.js';
import { HOLD_TYPE_LABELS, type HoldType } from './holds.js';
import { refuse, type Refusal } from './refusal.js';
import {
  caseRetentionEnds,
  endActionOf,
  retentionEnd,
  type CaseDates,
  type CaseRecordRef,
  type KeptWith,
} from './retention.js';
import { requireRecordsManagement, ROLE_LABELS, type Actor, type Role } from './roles.js';
import { DATE_FIELDS, findClass, type DateField, type EndAction, type Schedule } from './schedule.js';

// Destruction batches: Records Management chooses records, the checks run, a second officer
// (when the two-person rule is on) confirms, and each destroyed record goes into the register.

export const DESTRUCTION_METHODS = [
  'secure-deletion-livelink',
  'confidential-shredding',
  'secure-deletion-other',
  'shredding-and-secure-deletion',
] as const;
export type DestructionMethod = (typeof DESTRUCTION_METHODS)[number];

export const DESTRUCTION_METHOD_LABELS: Record<DestructionMethod, string> = {
  'secure-deletion-livelink': 'Secure deletion from Livelink',
  'confidential-shredding': 'Confidential waste: cross-cut shredding',
  'secure-deletion-other': 'Secure deletion from another system',
  'shredding-and-secure-deletion':
    'Cross-cut shredding of the paper part and secure deletion of the electronic part',
};

export function isDestructionMethod(value: unknown): value is DestructionMethod {
  return typeof value === 'string' && (DESTRUCTION_METHODS as readonly string[]).includes(value);
}

/** What a record is made of, as the inventory says. */
export const RECORD_FORMATS = ['electronic', 'paper', 'mixed'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** The methods that destroy a record of each format completely. */
export const METHODS_FOR_FORMAT: Record<RecordFormat, readonly DestructionMethod[]> = {
  paper: ['confidential-shredding'],
  electronic: ['secure-deletion-livelink', 'secure-deletion-other'],
  mixed: ['shredding-and-secure-deletion'],
};

function isRecordFormat(value: string): value is RecordFormat {
  return (RECORD_FORMATS as readonly string[]).includes(value);
}

/** The method a record's format calls for: electronic records held outside Livelink are deleted there. */
export function proposedMethod(format: string, location: string): DestructionMethod | null {
  if (!isRecordFormat(format)) return null;
  if (format === 'electronic' && !/livelink/i.test(location)) return 'secure-deletion-other';
  return METHODS_FOR_FORMAT[format][0]!;
}

/**
 * Each record's method: the one asked for that record, else the one asked for the whole batch,
 * else the one its format calls for. A method that cannot destroy a record of its format (paper
 * "deleted from Livelink") refuses the whole confirmation, naming the records.
 */
export function chooseMethods(
  items: readonly { recordId: string; format: string; location: string }[],
  asked: { method?: string | null; methods?: Readonly<Record<string, string>> | null },
): { ok: true; methods: Map<string, DestructionMethod> } | Refusal {
  const methods = new Map<string, DestructionMethod>();
  const bad: string[] = [];
  const unknown: string[] = [];
  for (const item of items) {
    const wanted =
      asked.methods?.[item.recordId] ?? (asked.method || null) ?? proposedMethod(item.format, item.location);
    if (!isDestructionMethod(wanted)) {
      unknown.push(
        wanted === null ? `${item.recordId} (format "${item.format}" has no method)` : `"${wanted}"`,
      );
      continue;
    }
    const allowed = isRecordFormat(item.format) ? METHODS_FOR_FORMAT[item.format] : [];
    if (!allowed.includes(wanted)) {
      bad.push(
        `${item.recordId} is ${item.format}, so it cannot be destroyed by ${DESTRUCTION_METHOD_LABELS[wanted].toLowerCase()}`,
      );
      continue;
    }
    methods.set(item.recordId, wanted);
  }
  if (unknown.length) {
    const labels = DESTRUCTION_METHODS.map((m) => DESTRUCTION_METHOD_LABELS[m]);
    return refuse(
      'bad_method',
      `Not a destruction method: ${[...new Set(unknown)].slice(0, 5).join(', ')}. Say how the records were destroyed: ${labels.join('; ')}. Nothing was destroyed.`,
    );
  }
  if (bad.length) {
    const shown = bad.slice(0, 5).join('; ');
    return refuse(
      'method_does_not_fit_format',
      `The method does not fit the record: ${shown}${bad.length > 5 ? `; and ${bad.length - 5} more` : ''}. Leave the method empty to use the one each record's format calls for. Nothing was destroyed.`,
    );
  }
  return { ok: true, methods };
}

// ---------------------------------------------------------------------------------------------
// Proof at destruction: the logs held outside the product (research (b) 2-4).

/** The logs the confirming officer checks, held by Legal Services and Information Governance. */
export const EXTERNAL_LOGS = ['litigation', 'claim', 'subject_access_request', 'foi_request'] as const;
export type ExternalLog = (typeof EXTERNAL_LOGS)[number];

export const EXTERNAL_LOG_LABELS: Record<ExternalLog, string> = {
  litigation: 'litigation log (Legal Services)',
  claim: 'claims log (Legal Services)',
  subject_access_request: 'subject access request log (Information Governance)',
  foi_request: 'FOI request log (Information Governance)',
};

/** The confirming officer's ticks: each log checked for the batch's records. */
export type LogChecks = Partial<Record<ExternalLog, boolean>>;

/** Every external log must be ticked before anything is destroyed; the refusal names the rest. */
export function checkLogAttestation(ticks: LogChecks | null | undefined): { ok: true } | Refusal {
  const unticked = EXTERNAL_LOGS.filter((log) => ticks?.[log] !== true);
  if (!unticked.length) return { ok: true };
  return refuse(
    'logs_not_checked',
    `Before destroying, check the logs held outside this app and tick each one: ${unticked.map((l) => EXTERNAL_LOG_LABELS[l]).join(', ')}. A record named in any of them must not be destroyed. Nothing was destroyed.`,
  );
}

/** A person as the register keeps them: the name and role at the time, not only an id. */
export interface PersonAtTheTime {
  id: string;
  name: string;
  role: string;
}

export function personAtTheTime(person: {
  id: string;
  name: string;
  roles: readonly Role[];
}): PersonAtTheTime {
  const role = person.roles.includes('records_management')
    ? ROLE_LABELS.records_management
    : person.roles.map((r) => ROLE_LABELS[r]).join(', ');
  return { id: person.id, name: person.name, role: role.charAt(0).toUpperCase() + role.slice(1) };
}

/** One hold type's checks for one record, as the register and certificate keep them. */
export interface HoldTypeCheck {
  type: HoldType;
  label: string;
  /** Holds of this type recorded in the product: none may be in force at destruction. */
  inProduct: 'none in force';
  /** The log held outside the product, when there is one for this type, and who checked it when. */
  externalLog: { log: string; checkedBy: PersonAtTheTime; checkedAt: string } | null;
}

/** Each hold type's checks at destruction: the product's holds, and the outside log ticked. */
export function holdTypeChecks(checkedBy: PersonAtTheTime, checkedAt: string): HoldTypeCheck[] {
  return (Object.keys(HOLD_TYPE_LABELS) as HoldType[]).map((type) => ({
    type,
    label: HOLD_TYPE_LABELS[type],
    inProduct: 'none in force',
    externalLog: (EXTERNAL_LOGS as readonly string[]).includes(type)
      ? { log: EXTERNAL_LOG_LABELS[type as ExternalLog], checkedBy, checkedAt }
      : null,
  }));
}

/** How each pre-destruction check is named to people (registers, certificates). */
export const DESTRUCTION_CHECK_LABELS: Record<DestructionCheckId, string> = {
  'actor-is-records-management': 'Done by the Records Management Service',
  'retention-ended': 'Retention period ended',
  'review-decision': 'Reviewed, or its class is destroyed without review',
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

/** Dates that are facts about a person rather than about the record: the register keeps only their year. */
export const PERSONAL_DATE_FIELDS: readonly DateField[] = ['dateOfBirth', 'dateOfDeath'];

/**
 * The date range of a case's records as the register keeps it: the earliest and latest of the
 * case's dates, leaving out dates of birth and death (docs/decisions/0014).
 */
export function registerDateRange(dates: CaseDates): { earliest: IsoDate | null; latest: IsoDate | null } {
  const known = DATE_FIELDS.filter((f) => !PERSONAL_DATE_FIELDS.includes(f))
    .map((f) => dates[f])
    .filter((d): d is IsoDate => !!d);
  known.sort();
  return { earliest: known[0] ?? null, latest: known[known.length - 1] ?? null };
}

/** A trigger date as the register keeps it: only the year of a date of birth or death. */
export function registerTriggerDate(field: DateField, date: IsoDate): string {
  return PERSONAL_DATE_FIELDS.includes(field) ? date.slice(0, 4) : date;
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
  /** The record of the same child it is kept with, when that gives the longer period. */
  keptWith: KeptWith | null;
  endAction: EndAction | null;
}

/**
 * Works retention out again from the schedule, the case's current dates and its other records
 * (research (b) 1: recalculate from the trigger event, and check whether the child later became
 * looked after or adopted, before destroying), rather than trusting a stored date.
 */
export function retentionBasis(
  schedule: Schedule,
  record: CaseRecordRef,
  caseRecords: readonly CaseRecordRef[],
  dates: CaseDates,
): RetentionBasis {
  const cls = findClass(schedule, record.recordClass);
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
      keptWith: null,
      endAction: null,
    };
  }
  const end =
    caseRetentionEnds(schedule, caseRecords, dates).get(record.recordId) ?? retentionEnd(cls, dates);
  const kept = end.keptWith ? findClass(schedule, end.keptWith.classId) : undefined;
  const common = {
    ...base,
    period: kept ? `${kept.period} (kept with the ${kept.title.toLowerCase()})` : cls.period,
    ruleId: end.rule?.id ?? null,
    keptWith: end.keptWith ?? null,
    endAction: endActionOf(schedule, cls, end),
  };
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
