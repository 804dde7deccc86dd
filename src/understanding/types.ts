import type { Purpose } from '../rules/authorisation.js';
import type { IsoDate } from '../rules/dates.js';
import type { HoldType } from '../rules/holds.js';
import type { SectionId } from '../rules/procedure.js';
import type { Role } from '../rules/roles.js';
import type { Intent, IntentKind } from './intents.js';

/** A calendar month, `YYYY-MM`. */
export type IsoMonth = string;

/** Where in the message something was read: offsets into `Understanding.text`, and the words. */
export interface Evidence {
  readonly start: number;
  /** One past the last character. */
  readonly end: number;
  readonly text: string;
}

/**
 * A value read from the message, with the words it came from. A value no words gave (the out
 * date of "back Friday" is today) has no `from`, and says why it was assumed in `implied`.
 */
export interface Found<T> {
  readonly value: T;
  readonly from?: Evidence;
  readonly implied?: string;
}

/** A Records Management review decision on a record whose retention has ended. */
export interface ReviewDecision {
  readonly action: 'destroy' | 'keep' | 'transfer' | 'permanent';
  /** `keep`: for how many more years. */
  readonly years?: number;
}

/** Everything a message may say, each with its evidence. Only what was read is present. */
export interface Entities {
  /** A 7-digit case reference (6 to 10 digits accepted), digits only. */
  readonly caseRef?: Found<string>;
  /** Further case references, when the message names more than one. */
  readonly otherCaseRefs?: readonly Found<string>[];
  /** An inventory record id in capitals ("LL-400109"). */
  readonly recordId?: Found<string>;
  /** A destruction batch reference ("DB-2026-0003"). */
  readonly batchRef?: Found<string>;
  /** A hold's own reference as written ("LIT-2026-04", "SAR/2026/44"). */
  readonly holdReference?: Found<string>;
  readonly holdType?: Found<HoldType>;
  /** A colleague's first name as written ("Sam" in "Sam's request"). */
  readonly personName?: Found<string>;
  /** removal.request: the day the records leave. */
  readonly outOn?: Found<IsoDate>;
  /** removal.request: the day they come back. */
  readonly returnOn?: Found<IsoDate>;
  /** removal.cancel: the earlier return date a manager names. */
  readonly returnBy?: Found<IsoDate>;
  /** acting.set: the last day of cover. */
  readonly until?: Found<IsoDate>;
  /** destruction.due / destruction.batch: the last day retention may end. */
  readonly dueBy?: Found<IsoDate>;
  /** register.query / destruction.due: a named month. */
  readonly month?: Found<IsoMonth>;
  /** holds.place: when the request behind the hold was received (on or before today). */
  readonly receivedOn?: Found<IsoDate>;
  /**
   * Record class ids from the lexicon, best first; more than one when the words fit several
   * equally ("foster records": approved carers and refused or withdrawn applicants).
   */
  readonly recordClass?: Found<readonly string[]>;
  /** removal.decide */
  readonly decision?: Found<'approve' | 'decline'>;
  /** review.decide */
  readonly reviewDecision?: Found<ReviewDecision>;
  /** removal.request: why, as the product's purposes go. */
  readonly purpose?: Found<Purpose>;
  /** removal.request: where the records go, in the words used ("home", "core group meeting"). */
  readonly destination?: Found<string>;
  /** A reason given for a recall, a withdrawal, a hold or its release, or a decline. */
  readonly reason?: Found<string>;
  /** register.export */
  readonly exportFormat?: Found<'csv' | 'xlsx'>;
  /** retention.class: the age at death in "if the child died at 12". */
  readonly diedAtAge?: Found<number>;
}

export type EntityName = keyof Entities;

export type DoubtKind =
  /** "fri 11th" when the 11th is a Thursday. */
  | 'weekday-mismatch'
  /** A date before today where a future one is expected. */
  | 'past-date'
  /** The return date comes before the out date. */
  | 'return-before-out'
  /** Words that look like a date but could not be read ("31/02", "the 32nd", "thrusdy"). */
  | 'unreadable-date'
  /** "next Tuesday" said early in the week: this coming Tuesday or the one after? */
  | 'ambiguous-next'
  /** A date that was assumed from vague words ("first thing" on a Friday, "back Monday" on a Monday). */
  | 'assumed-date'
  /** Several dates could be the one meant (a list of days and no return marker). */
  | 'ambiguous-dates';

/**
 * Something the person must confirm before anything is done with the reading. Every date that
 * may be wrong carries one: a date is never silently wrong.
 */
export interface Doubt {
  readonly kind: DoubtKind;
  /** The entity the doubt is about (`returnOn`, `outOn`, `until`, `returnBy`...). */
  readonly entity: EntityName;
  /** The words read. */
  readonly from: Evidence;
  /** What was read from them, if anything. */
  readonly read?: IsoDate;
  /** The dates to offer instead (or as well), best first. */
  readonly options: readonly IsoDate[];
  /** The question to ask, quoting the words: "'back fri 11th': the 11th is a Thursday — …". */
  readonly question: string;
}

export type FilterName =
  'recordClass' | 'month' | 'dueBy' | 'caseRef' | 'recordId' | 'batchRef' | 'personName' | 'holdType';

/** The filters a list or batch request carries (values are in `entities`), and how to say them. */
export interface Filters {
  readonly names: readonly FilterName[];
  /** "child protection records, due by 31 December 2026": echoed in the reply. */
  readonly description: string;
}

/** A procedure answer: retrieved, never composed from the question. */
export interface ProcedureAnswer {
  /** The answer bank topic ("home-computer"). */
  readonly topic: string;
  /** The procedure section it comes from. */
  readonly section: SectionId;
  /** "1. Case Retention of Documentation" */
  readonly sectionTitle: string;
  /** A short heading for the answer ("Working on a computer at home"). */
  readonly title: string;
  /** The answer, one sentence a line. */
  readonly lines: readonly string[];
  /** The procedure's own words, verbatim. */
  readonly quote: string;
  /** Retrieval score (higher is better; above the threshold to be returned at all). */
  readonly score: number;
  /** Other sections that also match, best first (at most two). */
  readonly related: readonly { readonly section: SectionId; readonly title: string }[];
}

/** One way of reading a message. */
export interface Reading {
  readonly intent: Intent;
  readonly kind: IntentKind;
  /** 0 to 1: how sure the reading is. */
  readonly confidence: number;
  readonly entities: Entities;
  /** What must be confirmed before acting; empty when nothing is in doubt. */
  readonly doubts: readonly Doubt[];
  /** Lists, batches, the register and recalls: the filters that apply. */
  readonly filters?: Filters;
  /** policy.question: the answer, when the procedure has one. */
  readonly answer?: ProcedureAnswer;
  /** What this reading means, in a line: a button's title or a confirmation's first line. */
  readonly label: string;
  /** Whether the asker's roles allow it (a reading they may not act on is still reported). */
  readonly allowed: boolean;
}

/** Something the asker's role can do, for the "when unsure" card. */
export interface Capability {
  readonly intent: Intent;
  readonly title: string;
  /** What to type, e.g. "I need to take 1234567 home tonight, back Friday". */
  readonly example: string;
}

/** The data the "did you mean…" card needs. */
export interface Clarification {
  /** "I'm not sure what you meant by '…'. Did you mean:" */
  readonly prompt: string;
  /** Two or three readings to offer as buttons, likeliest first. */
  readonly options: readonly Reading[];
  /** What the asker's roles can do, with an example each. */
  readonly canDo: readonly Capability[];
}

/** What a message was understood to mean. */
export interface Understanding {
  /** The message as read (markup removed); every `Evidence` offset refers to it. */
  readonly text: string;
  readonly today: IsoDate;
  readonly roles: readonly Role[];
  /** The likeliest reading. */
  readonly reading: Reading;
  /** The next likeliest readings (at most two), best first; empty when the reading is clear. */
  readonly alternatives: readonly Reading[];
  /** True when the product should ask rather than act: show `clarification`. */
  readonly unsure: boolean;
  /** Present when `unsure`. */
  readonly clarification?: Clarification;
  /** `None` that was only small talk: a greeting (or goodbye), or thanks, to answer in kind. */
  readonly smallTalk?: 'greeting' | 'thanks';
}
