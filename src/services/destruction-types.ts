import type { DestructionCheckId, IsoDate, LogChecks, Schedule } from '../rules/index.js';
import type { BatchView, RegisterEntry } from './destruction-views.js';

// What the destruction service takes and gives back.

export interface DestructionSettings {
  /** When on, the officer who created a batch cannot confirm it. */
  twoPersonRule: boolean;
  /** The retention schedule in force; the shipped default when omitted. */
  schedule?: Schedule;
}

export interface DueOptions {
  classId?: string;
  /** Records whose retention ended on or before this date; today when omitted. */
  dueBy?: IsoDate;
  page?: number;
  pageSize?: number;
}

export interface DueGroup {
  classId: string;
  classTitle: string;
  /** The month retention ended, `YYYY-MM`. */
  month: string;
  count: number;
}

export interface DueRecord {
  recordId: string;
  caseRef: string;
  recordClass: string;
  /** The class as people name it. */
  classTitle: string;
  title: string;
  format: string;
  retentionEndsOn: IsoDate;
  /** A hold is in force on the record or its case. */
  held: boolean;
  /** Out of the office on an authorisation. */
  out: boolean;
}

export interface DueList {
  ok: true;
  dueBy: IsoDate;
  total: number;
  groups: DueGroup[];
  records: DueRecord[];
  page: number;
  pages: number;
  pageSize: number;
}

export interface BatchSelection {
  recordIds?: string[];
  filter?: { classId?: string; dueBy?: IsoDate };
}

/** A record a new batch would hold that fails a check, and why. */
export interface PreviewBlocked {
  recordId: string;
  caseRef: string;
  title: string;
  classTitle: string;
  reasons: string[];
}

/**
 * What a new batch would hold if created now, before anything is created or anyone is asked: by
 * class and month, what is blocked and why, and the scope asked for.
 */
export interface BatchPreview {
  ok: true;
  /** The scope asked for: a class (or every class), and the date retention ended by. */
  scope: { classId: string | null; classTitle: string | null; dueBy: IsoDate };
  /** Records that would go in (at most a batch's worth), how many pass every check, how many not. */
  records: number;
  passing: number;
  blocked: number;
  /** By class and the month retention ended, oldest month first. */
  groups: { classId: string; classTitle: string; month: string; count: number; blocked: number }[];
  /** Each failed check, with how many records it stops. */
  blockedBy: { check: DestructionCheckId; label: string; count: number }[];
  /** The first blocked records, with their reasons. */
  blockedRecords: PreviewBlocked[];
  /** Due records in the scope left out because they are in a batch waiting for confirmation. */
  inOpenBatches: number;
  /** Records in the scope whose class is reviewed and that wait for a review decision. */
  waitingForReview: number;
  /** Something to know about the selection (more due than a batch can hold), or null. */
  notice: string | null;
}

export interface BatchReview {
  ok: true;
  batch: BatchView;
  /** Something the officer should know about the selection (e.g. more were due than fit). */
  notice: string | null;
}

export interface ConfirmInput {
  /**
   * One method for every record (it must suit each record's format), or empty: each record's
   * format chooses (paper: shredding; electronic: secure deletion; mixed: both).
   */
  method?: string | null;
  /** A method for particular records, by record id; it must suit the record's format. */
  methods?: Record<string, string> | null;
  /** The confirming officer's ticks: the outside litigation, claims, SAR and FOI logs were checked. */
  logChecks?: LogChecks | null;
  /** A contractor's certificate, if outsourced; the batch reference when omitted. */
  certificateRef?: string | null;
  expectedVersion: number;
}

export interface ConfirmResult {
  ok: true;
  batch: BatchView;
  destroyed: { recordId: string; registerId: string }[];
  blocked: { recordId: string; reasons: string[] }[];
}

export interface RegisterQuery {
  recordId?: string;
  caseRef?: string;
  /** A batch id or reference (`DB-2026-0001`). */
  batchId?: string;
  /** Destroyed on or after. */
  from?: IsoDate;
  /** Destroyed on or before. */
  to?: IsoDate;
  page?: number;
  pageSize?: number;
}

export interface RegisterPage {
  ok: true;
  total: number;
  entries: RegisterEntry[];
  page: number;
  pages: number;
  pageSize: number;
}
