// The tab API's JSON, shared by the server (src/web/tab-api.ts) and the page (src/tab/). Types
// only: nothing here runs, so the browser bundle takes no server code with it.
import type {
  ActionKind,
  AuthorisationAbilities,
  DateField,
  RetentionAnswer,
  Role,
  Schedule,
  WorkViews,
} from '../rules/index.js';
import type { CaseRetention } from '../services/case-retention.js';
import type {
  BatchPreview,
  BatchSummary,
  BatchView,
  DueGroup,
  DueRecord,
  RegisterEntry,
} from '../services/destruction.js';
import type { DecisionView, ReviewList } from '../services/disposition.js';
import type { BlanketHoldView, HoldView } from '../services/holds.js';
import type { AuthorisationView } from '../services/removal.js';

/**
 * The header the page sends, outside Teams and in local mode only, with the aadObjectId of the
 * person it acts as (chosen in the persona picker). The server refuses it unless in local mode.
 */
export const DEV_IDENTITY_HEADER = 'x-dev-identity';

/** Local mode only: the people the tab may act as outside Teams (404 otherwise). */
export const PERSONAS_PATH = '/api/tab/dev/personas';

export interface Persona {
  id: string;
  name: string;
  roles: Role[];
}

export interface PersonasResponse {
  people: Persona[];
  /** Whom to act as until the person chooses (TAB_DEV_IDENTITY); null when not set. */
  initial: string | null;
}

/** Every refusal and failure: one sentence for people, and a code for the page. */
export interface ApiError {
  error: string;
  code?: string;
  /** The item as it is now, when the refusal is about one the caller may see. */
  authorisation?: TabAuthorisation;
  hold?: HoldView;
  blanketHold?: BlanketHoldView;
  batch?: TabBatch;
}

export interface Me {
  id: string;
  name: string;
  roles: Role[];
  /** How the caller was identified: the Teams SSO token, or the local development identity. */
  identity: 'sso' | 'development';
  /** Today in Europe/London, as the server counts it. */
  today: string;
  /** Which views apply: a line manager (or someone covering for one), Records Management. */
  views: WorkViews;
}

/** What the caller may do with an item now (the rules decide); the server decides again on every action. */
export type Abilities = AuthorisationAbilities;

/** An authorisation as the caller sees it, with what they may do with it (`can`). */
export type TabAuthorisation = AuthorisationView;

export interface MineResponse {
  open: TabAuthorisation[];
  closed: TabAuthorisation[];
}

export interface TeamResponse {
  pending: TabAuthorisation[];
  overdue: TabAuthorisation[];
  /** Approved (or asked back) and the out date has come. */
  outNow: TabAuthorisation[];
  /** Approved to leave on a later day. */
  leavingLater: TabAuthorisation[];
}

/** The actions the tab offers: the rules' actions on an authorisation, run by the card's handlers. */
export const TAB_ACTIONS = [
  'approve',
  'decline',
  'cancel',
  'mark_returned',
  'withdraw',
] as const satisfies readonly ActionKind[];
export type TabAction = (typeof TAB_ACTIONS)[number];

export interface ActionRequest {
  action: TabAction;
  /** The version of the item the page showed. */
  version: number;
  reason?: string;
}

export interface ActionResponse {
  authorisation: TabAuthorisation;
  /** The same action by the same person had already been applied (a double click). */
  repeated: boolean;
  /** What the person is told now it is done. */
  notice: string;
}

/** The retention schedule in force, with how each case date is named to people. */
export type ScheduleResponse = Schedule & { dateFieldLabels: Record<DateField, string> };

export interface CalculateRequest {
  classId: string;
  /** The case dates known, `YYYY-MM-DD`; missing or empty for unknown. */
  dates: Partial<Record<DateField, string | null>>;
}

export interface CalculateResponse {
  answer: RetentionAnswer;
  today: string;
}

export type CaseRetentionResponse = CaseRetention & { today: string };

export interface DueResponse {
  dueBy: string;
  total: number;
  groups: DueGroup[];
  records: DueRecord[];
  page: number;
  pages: number;
}

export interface HoldsResponse {
  /** Holds on cases and records. */
  holds: HoldView[];
  /** Holds on whole classes of records (a public inquiry's moratorium, an FOI request). */
  blanket: BlanketHoldView[];
}

/**
 * What an action on a hold came to (placed, released, a subject access request's extension or
 * clock): what the officer is told, and the hold as it is now.
 */
export interface HoldActionResponse {
  title: string;
  notice: string;
  hold: HoldView | null;
  blanketHold: BlanketHoldView | null;
}

export interface BatchesResponse {
  batches: BatchSummary[];
}

/** A destruction batch as the caller sees it, with what they may do (`batch.can`) and read. */
export interface TabBatch {
  batch: BatchView;
  /** Its state in one sentence. */
  statusLine: string;
  /** What the caller does next (wait for another officer, or check, tick and confirm); '' for nothing. */
  nextStep: string;
  /** Its certificate of destruction once confirmed (a short-lived signed link). */
  certificate: ExportLinkResponse | null;
}

/** A batch after an action on it (or opened), with what the officer is told. */
export interface BatchResponse extends TabBatch {
  notice: string;
}

/** What a new batch would hold: nothing is created until the officer creates it. */
export interface BatchPreviewResponse {
  preview: Omit<BatchPreview, 'ok'>;
  /** The preview in one sentence. */
  summary: string;
  /** Why records are blocked, a line for each failed check with how many it stops. */
  blockedBecause: string[];
}

/** Records waiting for a review decision, by class and month, a page at a time. */
export type ReviewResponse = Omit<ReviewList, 'ok'>;

/** A review decision just recorded, one per record, with what the officer is told. */
export interface ReviewDecidedResponse {
  decisions: DecisionView[];
  notice: string;
}

export interface RegisterResponse {
  total: number;
  entries: RegisterEntry[];
  page: number;
  pages: number;
}

/** Subject access: a case reference, or a person's staff id or email. */
export interface SubjectAccessRequest {
  case?: string;
  person?: string;
}

/** What the product holds about a case or a person, in counts, with links to the files. */
export interface SubjectAccessResponse {
  /** "Case 1234567", "Sam Taylor (sam.taylor@…)". */
  subject: string;
  nothingHeld: boolean;
  sections: { id: string; title: string; about: string; rows: number }[];
  /** Staff the report names. */
  people: number;
  notes: string[];
  /** Short-lived signed links to the files (the report is compiled, and audited, again for each). */
  downloads: { json: ExportLinkResponse; xlsx: ExportLinkResponse };
}

export interface ExportLinkResponse {
  /** A short-lived signed link (relative to the tab's origin) that downloads the file. */
  url: string;
  fileName: string;
}
