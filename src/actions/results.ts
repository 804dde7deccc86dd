import type { IsoDate, Refusal, RequestProblem } from '../rules/index.js';
import type {
  BatchPreview,
  BatchSummary,
  BatchView,
  DueList,
  RegisterEntry,
} from '../services/destruction.js';
import type { DecisionCover, DecisionView, ReviewList } from '../services/disposition.js';
import type { BlanketHoldView, HoldView } from '../services/holds.js';
import type { AuthorisationView, RemovalFormContext, RemovalRequestInput } from '../services/removal.js';

// What a card action (or a chat request) comes to, as data: what to show the person, never how.
// The bot turns a result into a card (src/bot/result-cards.ts) and an invoke response; the tab API
// turns the results of the removal actions into its JSON (src/web/tab-responses.ts).

/** The action's data could not be read: nothing was done (HTTP 400 for the client). */
export interface Unreadable {
  show: 'unreadable';
  message: string;
}

/** A refusal that shows nothing of the item it was about. */
export interface RefusalShown {
  show: 'refusal';
  title: string;
  refusal: Refusal;
}

/** A short message: a "not found", an answer, a confirmation. */
export interface MessageShown {
  show: 'message';
  title: string;
  lines: string[];
  style?: 'default' | 'attention';
}

/** A removal authorisation the person may see, as it is now, and what came of their action. */
export interface AuthorisationShown {
  show: 'authorisation';
  authorisation: AuthorisationView;
  /** Why the action was not taken; null when it was (or nothing was asked). */
  refusal: Refusal | null;
  /** The same action by the same person had already been applied (a double click). */
  repeated: boolean;
  /** What the person who acted is told once it is done (the tab shows it; the card shows the state). */
  done: string | null;
  /** A line for the card itself, such as "Sent. I will tell you when your line manager decides." */
  notice: string | null;
  /** The person acted from the card they pressed, which now shows this request: keep it up to date. */
  acted: boolean;
}

/** The removal form again, with what was typed and every problem to fix. */
export interface RemovalFormShown {
  show: 'removal_form';
  form: RemovalFormContext;
  values: RemovalRequestInput;
  problems: RequestProblem[];
  /** A form filled from a chat message: what was read, from which words. */
  read?: { title: string; value: string }[];
  /** A form filled from a chat message: the questions about dates in doubt. */
  doubts?: string[];
}

/** The fields of the hold form, as typed or understood. */
export interface HoldFormValues {
  caseRef: string;
  recordId: string;
  type: string;
  reference: string;
  reason: string;
  sarReceivedOn: string;
}

export interface HoldFormShown {
  show: 'hold_form';
  values: HoldFormValues;
  /** Why the hold was not placed, or empty. */
  problem: string;
  /** The refusal the problem comes from, when the hold was not placed. */
  refusal?: Refusal;
}

/** The fields of the form for a hold on whole classes of records, as typed or understood. */
export interface BlanketHoldFormValues {
  type: string;
  name: string;
  reference: string;
  reason: string;
  startsOn: string;
  endsOn: string;
  /** Class ids, comma-separated (as a multi-select choice set gives them). */
  classes: string;
}

export interface BlanketHoldFormShown {
  show: 'blanket_hold_form';
  values: BlanketHoldFormValues;
  /** Why the hold was not placed, or empty. */
  problem: string;
  /** The refusal the problem comes from, when the hold was not placed. */
  refusal?: Refusal;
}

/**
 * Holds on cases and records, and holds on whole classes. One hold in force alone is shown with
 * what can be done to it (release; a subject access request's extension and stopped clock); in a
 * list each opens on its own.
 */
export interface HoldsShown {
  show: 'holds';
  title: string;
  holds: HoldView[];
  /** Holds on whole classes of records (a public inquiry's moratorium, an FOI request). */
  blanket?: BlanketHoldView[];
  /** Offer Release on the holds still in force. */
  canRelease: boolean;
  emptyText: string;
  notice?: string;
  noticeStyle?: 'good' | 'attention';
  /** Why the action on the hold shown was not taken (the notice says it too). */
  refusal?: Refusal;
}

export interface DueShown {
  show: 'due';
  due: DueList;
  /** The class the list is narrowed to, or ''. */
  classId: string;
}

export interface BatchShown {
  show: 'batch';
  batch: BatchView;
  notice: string;
  /** The page of its records shown (10 a page); 1 when omitted. */
  page?: number;
  /** Why the action on the batch was not taken (the notice says it too). */
  refusal?: Refusal;
}

/** What a new batch would hold, before anything is created. */
export interface BatchPreviewShown {
  show: 'batch_preview';
  preview: BatchPreview;
}

/**
 * The records a review decision is for: named by id, or every record waiting for review in a
 * scope (a class or every class, one case or every case, whose retention ended by `dueBy`).
 */
export type ReviewSelection = { recordIds: string[] } | { classId: string; caseRef: string; dueBy: IsoDate };

/** The fields of the decision form, as typed or understood. */
export interface DecisionValues {
  decision: string;
  reason: string;
  keepYears: string;
  accessionRef: string;
  archive: string;
}

/** Records waiting for a review decision, by class and month, a page at a time. */
export interface ReviewShown {
  show: 'review';
  review: ReviewList;
  notice?: string;
}

/** A decision to confirm before it is recorded: what it covers, and the decision as entered. */
export interface ReviewFormShown {
  show: 'review_form';
  selection: ReviewSelection;
  cover: DecisionCover;
  values: DecisionValues;
  /** Why it was not recorded, or empty. */
  problem: string;
  /** The refusal the problem comes from, when the decision was not recorded. */
  refusal?: Refusal;
  /** A form filled from a chat message: what was read, from which words. */
  read?: { title: string; value: string }[];
}

/** A review decision just recorded. */
export interface ReviewDecidedShown {
  show: 'review_decided';
  decisions: DecisionView[];
  notice: string;
}

export interface BatchesShown {
  show: 'batches';
  batches: BatchSummary[];
}

export interface RegisterShown {
  show: 'register';
  title: string;
  entries: RegisterEntry[];
  total: number;
  /** Offer the whole register as CSV and Excel downloads. */
  downloads: boolean;
}

/** What the removal action buttons (and the tab's actions) come to. */
export type RemovalActionResult = Unreadable | RefusalShown | AuthorisationShown;

export type ActionResult =
  | RemovalActionResult
  | MessageShown
  | RemovalFormShown
  | HoldFormShown
  | BlanketHoldFormShown
  | HoldsShown
  | DueShown
  | BatchPreviewShown
  | BatchShown
  | BatchesShown
  | RegisterShown
  | ReviewShown
  | ReviewFormShown
  | ReviewDecidedShown;

/** A result that shows something (everything but unreadable input). */
export type Shown = Exclude<ActionResult, Unreadable>;

export function unreadable(message: string): Unreadable {
  return { show: 'unreadable', message };
}

/** A refusal that shows nothing of the item it was about. */
export function refused(refusal: Refusal, title = 'Not done'): RefusalShown {
  return { show: 'refusal', title, refusal };
}
