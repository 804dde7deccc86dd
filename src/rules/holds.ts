import { addMonths, type IsoDate } from './dates.js';

export const HOLD_TYPES = [
  'litigation',
  'claim',
  'subject_access_request',
  'foi_request',
  'inquiry',
  'other',
] as const;
export type HoldType = (typeof HOLD_TYPES)[number];

export const HOLD_TYPE_LABELS: Record<HoldType, string> = {
  litigation: 'Litigation',
  claim: 'Claim',
  subject_access_request: 'Subject access request',
  foi_request: 'FOI request',
  inquiry: 'Inquiry',
  other: 'Other',
};

/**
 * A subject access request must be answered within one month of receipt, extendable by two
 * further months (UK GDPR Art 12(3)). A day the month lacks becomes its last day.
 */
export function subjectAccessDeadline(receivedOn: IsoDate, extended = false): IsoDate {
  return addMonths(receivedOn, extended ? 3 : 1);
}
