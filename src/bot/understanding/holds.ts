import type { IsoDate } from '../../rules/dates.js';
import type { HoldType } from '../../rules/holds.js';
import { findReason } from './clauses.js';
import { findPeriods, type Span } from './dates.js';

/**
 * What a message says about a hold: its type, when a request was received, and why a hold is
 * placed or released.
 */

/** Words naming each type of hold. "Legal hold" names no type: any hold is a legal hold. */
const HOLD_TYPE_WORDS: readonly (readonly [HoldType, RegExp])[] = [
  ['subject_access_request', /\b(?:d?sars?|subject[\s-]+access(?:\s+requests?)?)\b/i],
  ['foi_request', /\b(?:foia?s?|eirs?|freedom\s+of\s+information)\b/i],
  [
    'litigation',
    /\b(?:litigation|litigating|litigated|lawsuits?|legal\s+(?:action|proceedings)|civil\s+proceedings|court\s+(?:case|action)|sued|suing|sue)\b/i,
  ],
  ['claim', /\b(?:claims?|compensation|personal\s+injury)\b/i],
  [
    'inquiry',
    /\b(?:inquiry|inquiries|iicsa|inquest|coroner'?s?|(?<!(?:\bs|section|sec)\.?\s?47\s)enquiry)\b/i,
  ],
  [
    'other',
    /\b(?:other\s+(?:type\s+of\s+)?hold|hold\s+type\s*:?\s*other|type\s*:?\s*other|police\s+investigation|ombudsman|audit)\b/i,
  ],
];

/** Hold reference prefixes that say the type, for "lift hold LIT-2026-01". */
const PREFIX_TYPES: readonly (readonly [RegExp, HoldType])[] = [
  [/^(?:LIT|LITIG|LH)\b/i, 'litigation'],
  [/^D?SAR\b/i, 'subject_access_request'],
  [/^(?:FOIA?|EIR)\b/i, 'foi_request'],
  [/^INQ\b/i, 'inquiry'],
  [/^(?:CLM|CLAIM)\b/i, 'claim'],
];

function typeOfReference(holdReference: string | undefined): HoldType | undefined {
  return holdReference ? PREFIX_TYPES.find(([prefix]) => prefix.test(holdReference))?.[1] : undefined;
}

/**
 * The type of hold named in the message: the first type named, or else the one a hold
 * reference's prefix says ("LIT-2026-01" is litigation); with `referenceFirst`, the prefix
 * decides before the words.
 */
export function findHoldType(
  text: string,
  holdReference?: string,
  { referenceFirst = false }: { referenceFirst?: boolean } = {},
): HoldType | undefined {
  const byReference = typeOfReference(holdReference);
  if (referenceFirst && byReference) return byReference;
  let best: { type: HoldType; index: number } | undefined;
  for (const [type, pattern] of HOLD_TYPE_WORDS) {
    const m = pattern.exec(text);
    if (m && (!best || m.index < best.index)) best = { type, index: m.index };
  }
  return best?.type ?? byReference;
}

const RECEIVED_CUE =
  /\b(?:received|receipt|rec'?d|arrived|came\s+in|come\s+in|submitted|made|dated|logged|got\s+(?:it|one|a\s+\w+(?:\s+\w+)?))\b(?:\s+\w+){0,3}?\s*(?:on|of|at)?\s*(?:the\s+)?$/i;

/**
 * The day a request behind a hold was received ("received 3 November", "SAR dated 03/11"): a
 * date after a word such as "received", or, for a subject access or FOI request, any date.
 * Read as on or before today.
 */
export function findReceivedOn(
  text: string,
  today: IsoDate,
  masks: readonly Span[],
  holdType: HoldType | undefined,
): IsoDate | undefined {
  const periods = findPeriods(text, today, masks, 'past').filter((p) => p.start === p.end);
  const cued = periods.find((p) => RECEIVED_CUE.test(text.slice(Math.max(0, p.index - 40), p.index)));
  if (cued) return cued.start;
  if (holdType === 'subject_access_request' || holdType === 'foi_request') return periods[0]?.start;
  return undefined;
}

/** A clause about the hold itself, a reference or a date rather than a reason. */
const HOLD_INSTRUCTION =
  /\b(?:holds?|place|placing|put|putting|add|apply|lift|lifting|release|releasing|remove|removing|cancel|end|take|drop|clear|freeze|unfreeze|stop|prevent|preserve|keep|mark|flag|log|create|new|don't|do\s+not|please|ref|reference|received|receipt|dated)\b/i;

/**
 * Why a hold is placed or released: the words after "because", "as", "since" or "due to", or
 * the comma-separated clause that is neither the instruction nor a reference or date
 * ("lift hold LIT-2026-01, the claim was settled").
 */
export function findHoldReason(text: string): string | undefined {
  const reason = findReason(text, HOLD_INSTRUCTION);
  if (!reason || /^(?:on|under|a|an|the)?\s*(?:legal\s+)?hold\b/i.test(reason)) return undefined;
  return reason;
}
