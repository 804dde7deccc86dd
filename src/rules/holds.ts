import { addDays, addMonths, daysBetween, formatDate, isIsoDate, type IsoDate } from './dates.js';
import { MAX_REASON_LENGTH } from './authorisation.js';
import { refuse, type Refusal } from './refusal.js';
import { onOrNextWorkingDay, type WorkingDayCalendar } from './working-days.js';

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

/** Why destroying a held record would be unlawful, per hold type, for answers and certificates. */
export const HOLD_TYPE_LAW: Record<HoldType, string | null> = {
  litigation: null,
  claim: null,
  subject_access_request:
    'destroying information to stop it being disclosed after a subject access request is an offence (Data Protection Act 2018 s.173)',
  foi_request:
    'destroying a record to stop it being disclosed after a freedom of information request is an offence (Freedom of Information Act 2000 s.77)',
  inquiry: 'a public inquiry can require documents to be kept (Inquiries Act 2005 s.21)',
  other: null,
};

// ---------------------------------------------------------------------------------------------
// Subject access requests: the deadline as the ICO counts it (research (b) 3).

/** A stretch of time when the clock stopped, waiting for identity or clarification. */
export interface SarPause {
  from: IsoDate;
  /** The day the identity or clarification arrived; null while still waited for. */
  to: IsoDate | null;
}

export interface SarClock {
  receivedOn: IsoDate;
  pauses: readonly SarPause[];
}

export interface SarDeadlines {
  /** The day the clock starts: receipt, or the day identity arrived when it was asked for at once. */
  clockStartsOn: IsoDate;
  /** Calendar days the clock was stopped after it started (added to the deadline). */
  pausedDays: number;
  /** The clock is stopped now: the deadlines assume it restarts today and will move. */
  pausedSince: IsoDate | null;
  respondBy: IsoDate;
  extendedRespondBy: IsoDate;
}

/**
 * The response deadlines of a subject access request (UK GDPR Art 12(3); ICO guidance): the
 * corresponding calendar date one month after the clock starts (or three, extended), the month's
 * last day when it has no such date, moved to the next working day when it falls on a weekend or
 * a bank holiday. A pause that begins on the day of receipt (identity or clarification asked for
 * at once) starts the clock when it ends; a later pause adds its days. An open pause counts to
 * `today`, so the deadline it gives is the earliest it can be.
 */
export function subjectAccessDeadlines(
  sar: SarClock,
  calendar: WorkingDayCalendar,
  today: IsoDate,
): SarDeadlines {
  const pauses = [...sar.pauses].sort((a, b) => a.from.localeCompare(b.from));
  let clockStartsOn = sar.receivedOn;
  let pausedDays = 0;
  let pausedSince: IsoDate | null = null;
  for (const pause of pauses) {
    const end = pause.to ?? (today > pause.from ? today : pause.from);
    if (pause.to === null) pausedSince = pause.from;
    if (pause.from <= clockStartsOn) {
      if (end > clockStartsOn) clockStartsOn = end;
    } else {
      pausedDays += Math.max(0, daysBetween(pause.from, end));
    }
  }
  const due = (months: number) =>
    onOrNextWorkingDay(addDays(addMonths(clockStartsOn, months), pausedDays), calendar);
  return { clockStartsOn, pausedDays, pausedSince, respondBy: due(1), extendedRespondBy: due(3) };
}

/**
 * Whether a subject access request may be extended by two months now: the requester must be
 * told, with the reason, within the first month (research (b) 3).
 */
export function checkSarExtension(
  sar: SarClock & { extended: boolean },
  input: { toldOn: string; reason: string },
  calendar: WorkingDayCalendar,
  today: IsoDate,
): { ok: true; toldOn: IsoDate; reason: string } | Refusal {
  if (sar.extended) return refuse('already_extended', 'This request’s deadline is already extended.');
  const reason = input.reason.trim();
  if (!reason) {
    return refuse(
      'reason_required',
      'Say why the request needs more time (it is complex, or the person made several requests): the requester must be told the reason.',
    );
  }
  if (reason.length > MAX_REASON_LENGTH) {
    return refuse('reason_too_long', `Keep the reason to ${MAX_REASON_LENGTH} characters or fewer.`);
  }
  if (!isIsoDate(input.toldOn)) {
    return refuse('told_on_missing', 'On what date was the requester told about the extension?');
  }
  const toldOn = input.toldOn;
  if (toldOn > today) return refuse('told_on_future', 'The date the requester was told is in the future.');
  if (toldOn < sar.receivedOn) {
    return refuse('told_on_early', 'The requester cannot have been told before the request was received.');
  }
  const { respondBy } = subjectAccessDeadlines(sar, calendar, today);
  if (toldOn > respondBy) {
    return refuse(
      'extension_too_late',
      `The requester was told on ${formatDate(toldOn)}, after the first month ended on ${formatDate(respondBy)}: the deadline can no longer be extended.`,
    );
  }
  return { ok: true, toldOn, reason };
}

// ---------------------------------------------------------------------------------------------
// Blanket holds: a public inquiry's moratorium, or any hold on whole classes of records.

export const BLANKET_HOLD_TYPES = ['inquiry', 'foi_request', 'litigation', 'claim', 'other'] as const;
export type BlanketHoldType = (typeof BLANKET_HOLD_TYPES)[number];

export interface BlanketHold {
  type: BlanketHoldType;
  /** The inquiry's or request's name: "Independent Inquiry into Child Sexual Abuse". */
  name: string;
  reference: string;
  startsOn: IsoDate;
  /** The last day the hold is in force; null while it has no end. */
  endsOn: IsoDate | null;
  /** The record classes it covers; null for every class. */
  classes: readonly string[] | null;
  released: boolean;
}

/** Whether a blanket hold keeps a record of `recordClass` on `day` (its first and last days included). */
export function blanketHoldCovers(hold: BlanketHold, recordClass: string, day: IsoDate): boolean {
  if (hold.released || day < hold.startsOn) return false;
  if (hold.endsOn !== null && day > hold.endsOn) return false;
  return hold.classes === null || hold.classes.includes(recordClass);
}

export interface BlanketHoldInput {
  type: string;
  name: string;
  reference: string;
  reason: string;
  startsOn: string;
  endsOn?: string | null;
  classes?: readonly string[] | null;
}

const MAX_NAME = 200;
const MAX_REFERENCE = 100;

/** Checks a new blanket hold against the schedule's classes; the refusal names what is wrong. */
export function checkBlanketHold(
  input: BlanketHoldInput,
  classIds: ReadonlySet<string>,
):
  | {
      ok: true;
      hold: Omit<BlanketHold, 'released'> & { reason: string };
    }
  | Refusal {
  if (!(BLANKET_HOLD_TYPES as readonly string[]).includes(input.type)) {
    return refuse(
      'bad_type',
      `A hold on whole classes of records is for an inquiry, an FOI request, litigation, a claim or another reason: ${BLANKET_HOLD_TYPES.map(
        (t) => HOLD_TYPE_LABELS[t],
      ).join(', ')}.`,
    );
  }
  const name = input.name.trim();
  const reference = input.reference.trim();
  const reason = input.reason.trim();
  if (!name) return refuse('name_missing', 'Name the inquiry or request the records are kept for.');
  if (!reference) return refuse('reference_missing', 'Give the hold a reference.');
  if (!reason) return refuse('reason_missing', 'Say why the records must be kept: the reason is recorded.');
  if (name.length > MAX_NAME || reference.length > MAX_REFERENCE || reason.length > MAX_REASON_LENGTH) {
    return refuse(
      'too_long',
      `Keep the name to ${MAX_NAME} characters, the reference to ${MAX_REFERENCE} and the reason to ${MAX_REASON_LENGTH}.`,
    );
  }
  if (!isIsoDate(input.startsOn)) {
    return refuse('starts_on_missing', 'When did the hold start? Write the date YYYY-MM-DD.');
  }
  const endsOn = input.endsOn ?? null;
  if (endsOn !== null && !isIsoDate(endsOn)) {
    return refuse('bad_ends_on', 'The end of the hold must be a date written YYYY-MM-DD, or left empty.');
  }
  if (endsOn !== null && endsOn < input.startsOn) {
    return refuse('ends_before_start', 'The hold ends before it starts.');
  }
  let classes: string[] | null = null;
  if (input.classes && input.classes.length) {
    classes = [...new Set(input.classes.map((c) => c.trim()).filter(Boolean))].sort();
    const unknown = classes.filter((c) => !classIds.has(c));
    if (unknown.length) {
      return refuse('unknown_class', `Not record classes in the retention schedule: ${unknown.join(', ')}.`);
    }
  }
  return {
    ok: true,
    hold: {
      type: input.type as BlanketHoldType,
      name,
      reference,
      reason,
      startsOn: input.startsOn,
      endsOn,
      classes,
    },
  };
}
