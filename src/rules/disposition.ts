import { MAX_REASON_LENGTH } from './authorisation.js';
import { addYears, formatDate, type IsoDate } from './dates.js';
import { refuse, type Refusal } from './refusal.js';
import type { RetentionAnswer } from './retention.js';

// Disposition review: at the end of retention a record whose end action is review (and any
// record the Records Management Service chooses to look at again) gets a recorded decision:
// destroy, keep for more years with a new review date, transfer to the archives, or keep
// permanently (research (b) 8 and 9; DESIGN "Disposition").

export const DISPOSITION_DECISIONS = ['destroy', 'keep', 'transfer', 'permanent'] as const;
export type DispositionDecision = (typeof DISPOSITION_DECISIONS)[number];

export const DISPOSITION_DECISION_LABELS: Record<DispositionDecision, string> = {
  destroy: 'Destroy',
  keep: 'Keep for longer, then review again',
  transfer: 'Transfer to the archives',
  permanent: 'Keep permanently',
};

/** The most years one decision can keep a record before it is reviewed again. */
export const MAX_KEEP_YEARS = 100;
const MAX_ACCESSION = 100;
const MAX_ARCHIVE = 200;
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const CONTROL = /[\u0000-\u001f]/;

/** A decision as it stands on a record, with the name of who made it (kept with the decision). */
export interface DispositionState {
  id: string;
  decision: DispositionDecision;
  decidedOn: IsoDate;
  decidedByName: string;
  decidedByRole: string;
  reason: string;
  /** A keep decision's next review date. */
  reviewOn: IsoDate | null;
  /** A transfer's accession reference and the archive. */
  accessionRef: string | null;
  archive: string | null;
}

/** The decision in one sentence: "Kept until review on 1 May 2031 by decision of Rita Records on …: reason." */
export function describeDisposition(d: DispositionState): string {
  const by = `${d.decidedByName} on ${formatDate(d.decidedOn)}`;
  switch (d.decision) {
    case 'destroy':
      return `Reviewed: ${by} decided to destroy it (${d.reason}).`;
    case 'keep':
      return `Reviewed: ${by} decided to keep it until a review on ${formatDate(d.reviewOn!)} (${d.reason}).`;
    case 'transfer':
      return `Reviewed: ${by} decided to transfer it to ${d.archive ?? 'the archives'}, accession ${d.accessionRef} (${d.reason}).`;
    case 'permanent':
      return `Reviewed: ${by} decided to keep it permanently (${d.reason}).`;
  }
}

export interface DecisionInput {
  decision: string;
  reason: string;
  /** For keep: how many more years before the next review. */
  keepYears?: number | null;
  /** For transfer: the archive's accession reference, and the archive. */
  accessionRef?: string | null;
  archive?: string | null;
}

export interface CheckedDecision {
  decision: DispositionDecision;
  reason: string;
  reviewOn: IsoDate | null;
  keepYears: number | null;
  accessionRef: string | null;
  archive: string | null;
}

/** Checks a decision as entered; the refusal says what is missing. Nothing is stored here. */
export function checkDecision(
  input: DecisionInput,
  today: IsoDate,
): { ok: true; decision: CheckedDecision } | Refusal {
  if (!(DISPOSITION_DECISIONS as readonly string[]).includes(input.decision)) {
    return refuse(
      'bad_decision',
      `Choose a decision: ${DISPOSITION_DECISIONS.map((d) => DISPOSITION_DECISION_LABELS[d].toLowerCase()).join(', ')}.`,
    );
  }
  const decision = input.decision as DispositionDecision;
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason)
    return refuse('reason_required', 'Give the reason for the decision: it is recorded in the register.');
  if (reason.length > MAX_REASON_LENGTH) {
    return refuse('reason_too_long', `Keep the reason to ${MAX_REASON_LENGTH} characters or fewer.`);
  }
  const base = { decision, reason, reviewOn: null, keepYears: null, accessionRef: null, archive: null };
  switch (decision) {
    case 'keep': {
      const years = input.keepYears;
      if (typeof years !== 'number' || !Number.isInteger(years) || years < 1 || years > MAX_KEEP_YEARS) {
        return refuse(
          'bad_keep_years',
          `How many more years should it be kept? A whole number from 1 to ${MAX_KEEP_YEARS}.`,
        );
      }
      return { ok: true, decision: { ...base, keepYears: years, reviewOn: addYears(today, years) } };
    }
    case 'transfer': {
      const accessionRef = typeof input.accessionRef === 'string' ? input.accessionRef.trim() : '';
      const archive = typeof input.archive === 'string' ? input.archive.trim() : '';
      if (!accessionRef) {
        return refuse('accession_required', 'Give the archive’s accession reference for the transfer.');
      }
      if (accessionRef.length > MAX_ACCESSION || CONTROL.test(accessionRef)) {
        return refuse(
          'bad_accession',
          `The accession reference must be plain text of ${MAX_ACCESSION} characters or fewer.`,
        );
      }
      if (archive.length > MAX_ARCHIVE || CONTROL.test(archive)) {
        return refuse(
          'bad_archive',
          `The archive’s name must be plain text of ${MAX_ARCHIVE} characters or fewer.`,
        );
      }
      return { ok: true, decision: { ...base, accessionRef, archive: archive || null } };
    }
    case 'destroy':
    case 'permanent':
      return { ok: true, decision: base };
  }
}

/** What the review needs to know about a record to say whether a decision can be made now. */
export interface ReviewCandidate {
  recordId: string;
  retentionEndsOn: IsoDate | null;
  permanent: boolean;
  destroyedOn: IsoDate | null;
  transferredOn: IsoDate | null;
}

/**
 * Why no decision can be recorded on a record today, or null when one can: it must still be
 * held by the service and its retention must have ended (a later decision replaces an earlier).
 */
export function reviewRefusal(record: ReviewCandidate, today: IsoDate): string | null {
  if (record.destroyedOn) return `${record.recordId} was destroyed on ${formatDate(record.destroyedOn)}.`;
  if (record.transferredOn) {
    return `${record.recordId} was transferred to the archives on ${formatDate(record.transferredOn)}.`;
  }
  if (record.permanent) return `${record.recordId} is kept permanently under the retention schedule.`;
  if (!record.retentionEndsOn) {
    return `The end of ${record.recordId}’s retention cannot be worked out: its case’s dates are incomplete.`;
  }
  if (record.retentionEndsOn > today) {
    return `${record.recordId}’s retention has not ended: it ends on ${formatDate(record.retentionEndsOn)}.`;
  }
  return null;
}

/**
 * A retention answer with the record's latest review decision: a decision to keep (until its
 * review date), keep permanently or transfer means the record is kept, not due.
 */
export function withDisposition(
  answer: RetentionAnswer,
  decision: DispositionState | null,
  today: IsoDate,
): RetentionAnswer {
  if (!decision || answer.status === 'destroyed') return answer;
  let status = answer.status;
  if (status === 'due') {
    const kept =
      decision.decision === 'permanent' ||
      decision.decision === 'transfer' ||
      (decision.decision === 'keep' && decision.reviewOn !== null && decision.reviewOn > today);
    if (kept) status = 'retained';
  }
  return {
    ...answer,
    status,
    permanent: answer.permanent || decision.decision === 'permanent',
    explanation: [...answer.explanation, describeDisposition(decision)],
  };
}
