import { formatDate, type IsoDate } from './dates.js';
import { describeDisposition, type DispositionState } from './disposition.js';
import { HOLD_TYPE_LABELS, type HoldType } from './holds.js';
import { DATE_FIELD_LABELS, type DateField, type EndAction } from './schedule.js';
import { hasRole, type Actor } from './roles.js';

export const DESTRUCTION_CHECKS = [
  'actor-is-records-management',
  'retention-ended',
  'review-decision',
  'no-active-hold',
  'not-out-of-office',
  'not-already-destroyed',
] as const;
export type DestructionCheckId = (typeof DESTRUCTION_CHECKS)[number];

export interface DestructionCheck {
  id: DestructionCheckId;
  passed: boolean;
  detail: string;
}

export interface DestructionCandidate {
  /** When retention ends, as computed and stored for the record. */
  retentionEndsOn: IsoDate | null;
  permanent: boolean;
  missing: readonly DateField[];
  /** Holds in force on the record, its case, or its whole class (a blanket hold has a name). */
  activeHolds: readonly { type: HoldType; reference: string; name?: string }[];
  /** An authorisation under which the records are out of the office, if any. */
  outOnAuthorisation: { id: string; returnOn: IsoDate } | null;
  destroyedOn: IsoDate | null;
  /** What the schedule says happens at the end of retention (with any class it is kept with). */
  endAction: EndAction | null;
  /** The Records Management Service's latest decision on the record, if any. */
  disposition: DispositionState | null;
}

export interface DestructionEligibility {
  eligible: boolean;
  checks: DestructionCheck[];
}

/**
 * Every pre-destruction check for one record, each with its result, so that a register entry
 * can say what was checked. Eligible only when all pass (procedure section 2).
 */
export function checkDestruction(
  candidate: DestructionCandidate,
  actor: Actor,
  today: IsoDate,
): DestructionEligibility {
  const checks: DestructionCheck[] = [];
  const rm = hasRole(actor, 'records_management');
  checks.push({
    id: 'actor-is-records-management',
    passed: rm,
    detail: rm
      ? 'Done by the Records Management Service.'
      : 'Only the Records Management Service destroys records.',
  });

  let retention: DestructionCheck;
  if (candidate.permanent) {
    retention = { id: 'retention-ended', passed: false, detail: 'This record is kept permanently.' };
  } else if (!candidate.retentionEndsOn) {
    const missing = candidate.missing.map((f) => DATE_FIELD_LABELS[f]);
    const what = missing.length
      ? `: the ${missing.join(' and the ')} ${missing.length > 1 ? 'are' : 'is'} missing`
      : '';
    retention = { id: 'retention-ended', passed: false, detail: `The end of retention is unknown${what}.` };
  } else if (candidate.retentionEndsOn > today) {
    retention = {
      id: 'retention-ended',
      passed: false,
      detail: `Retention has not ended: it ends on ${formatDate(candidate.retentionEndsOn)}.`,
    };
  } else {
    retention = {
      id: 'retention-ended',
      passed: true,
      detail: `Retention ended on ${formatDate(candidate.retentionEndsOn)}.`,
    };
  }
  checks.push(retention);
  checks.push(reviewCheck(candidate, today));

  const holds = candidate.activeHolds;
  checks.push({
    id: 'no-active-hold',
    passed: holds.length === 0,
    detail: holds.length
      ? `On hold: ${holds.map((h) => `${HOLD_TYPE_LABELS[h.type]} (${h.name ? `${h.name}, ` : ''}${h.reference})`).join(', ')}.`
      : 'No litigation, claim, subject access request, FOI request, inquiry or other hold.',
  });

  const out = candidate.outOnAuthorisation;
  checks.push({
    id: 'not-out-of-office',
    passed: out === null,
    detail: out
      ? `Out of the office on authorisation ${out.id}, due back ${formatDate(out.returnOn)}.`
      : 'In the office: not out on any authorisation.',
  });

  checks.push({
    id: 'not-already-destroyed',
    passed: candidate.destroyedOn === null,
    detail: candidate.destroyedOn
      ? `Already destroyed on ${formatDate(candidate.destroyedOn)}.`
      : 'Not destroyed.',
  });

  return { eligible: checks.every((c) => c.passed), checks };
}

/**
 * A record whose end action is review is destroyed only after a Records Management officer
 * recorded a decision to destroy it; a decision to keep, transfer or keep permanently stops
 * destruction whatever the class.
 */
function reviewCheck(candidate: DestructionCandidate, today: IsoDate): DestructionCheck {
  const decision = candidate.disposition;
  const id = 'review-decision' as const;
  if (decision) {
    const said = describeDisposition(decision);
    switch (decision.decision) {
      case 'destroy':
        return { id, passed: true, detail: said };
      case 'keep':
        return decision.reviewOn && decision.reviewOn <= today && candidate.endAction === 'destroy'
          ? { id, passed: true, detail: `${said} That review date has passed.` }
          : {
              id,
              passed: false,
              detail:
                decision.reviewOn && decision.reviewOn <= today
                  ? `${said} Its review is due: record a new decision.`
                  : said,
            };
      case 'transfer':
      case 'permanent':
        return { id, passed: false, detail: said };
    }
  }
  switch (candidate.endAction) {
    case 'destroy':
      return {
        id,
        passed: true,
        detail: 'Its class is destroyed at the end of retention: no review is needed.',
      };
    case 'review':
      return {
        id,
        passed: false,
        detail:
          'Its class is reviewed at the end of retention: a Records Management officer must record a decision to destroy it first.',
      };
    case 'permanent-preservation':
      return { id, passed: false, detail: 'Its class is kept permanently.' };
    case null:
      return { id, passed: false, detail: 'Its record class is not in the retention schedule.' };
  }
}
