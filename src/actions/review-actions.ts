import { z } from 'zod';
import { refuse, type IsoDate, type Refusal } from '../rules/index.js';
import { today, type Clock } from '../services/clock.js';
import type { DecisionSelection, DispositionService } from '../services/disposition.js';
import { decisionRecorded } from '../sentences/destruction.js';
import { RECORDS_PER_PAGE } from './destruction-actions.js';
import { integer, line, readInput, reason, text } from './inputs.js';
import {
  refused,
  unreadable,
  type ActionResult,
  type DecisionValues,
  type ReviewSelection,
  type Shown,
} from './results.js';

// The review cards' actions: records waiting for a review decision, a decision per record or for
// a group shown to confirm, and the decision recorded (destroy, keep for more years with a new
// review date, transfer to the archives with an accession reference, keep permanently).

export interface ReviewActionDeps {
  disposition: DispositionService;
  clock: Clock;
}

/** What narrows the review list: a class, a case or a record, and the date retention ended by. */
export interface ReviewScope {
  classId?: string;
  caseRef?: string;
  recordId?: string;
  dueBy?: IsoDate;
}

/** Most record ids one card may name (a decision for more is made by class or case). */
const MAX_IDS = 500;

const scopeFields = {
  classId: line(100),
  caseRef: line(50),
  recordId: line(100),
  dueBy: line(20),
};
const listData = z.object({ ...scopeFields, page: integer(1, 100_000).optional() });
/** The records as a card carries them: ids (comma-separated), or a scope. */
const selectionFields = {
  ...scopeFields,
  recordIds: text(MAX_IDS * 40),
  /**
   * How many records the person saw it cover (a scope), or saw waiting for review (records by
   * id): a different number now is a view gone stale, and nothing is recorded.
   */
  expected: integer(0, 100_000).optional(),
};
const formData = z.object(selectionFields);
const decideData = z.object({
  ...selectionFields,
  decision: line(20),
  reason: reason(2000),
  keepYears: z
    .union([z.number(), line(10)])
    .optional()
    .transform((v) => (v === undefined ? '' : String(v))),
  accessionRef: line(100),
  archive: line(200),
});
const UNREADABLE_DECISION = 'The decision could not be read. Nothing was recorded.';

const NO_VALUES: DecisionValues = { decision: '', reason: '', keepYears: '', accessionRef: '', archive: '' };

/** The records waiting for review, by class and month, a page of them at a time. */
export async function reviewList(
  deps: ReviewActionDeps,
  actorId: string,
  scope: ReviewScope,
  page = 1,
): Promise<Shown> {
  const review = await deps.disposition.reviewList(actorId, {
    classId: scope.classId || undefined,
    caseRef: scope.caseRef || undefined,
    recordId: scope.recordId || undefined,
    dueBy: scope.dueBy || undefined,
    page,
    pageSize: RECORDS_PER_PAGE,
  });
  return review.ok ? { show: 'review', review } : refused(review, 'Not shown');
}

function selectionOf(
  data: { recordIds: string; classId: string; caseRef: string; recordId: string; dueBy: string },
  day: IsoDate,
): ReviewSelection {
  const ids = [data.recordIds, data.recordId]
    .join(',')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length) return { recordIds: [...new Set(ids)].slice(0, MAX_IDS) };
  return { classId: data.classId, caseRef: data.caseRef, dueBy: data.dueBy || day };
}

function serviceSelection(selection: ReviewSelection): DecisionSelection {
  return 'recordIds' in selection
    ? { recordIds: selection.recordIds }
    : {
        filter: {
          classId: selection.classId || undefined,
          caseRef: selection.caseRef || undefined,
          dueBy: selection.dueBy,
        },
      };
}

/**
 * The decision form for the records chosen, with what it covers; `values` fill it (from the
 * chat, or as typed when it comes back with a problem). Nothing is recorded.
 */
export async function reviewForm(
  deps: ReviewActionDeps,
  actorId: string,
  selection: ReviewSelection,
  values: DecisionValues = NO_VALUES,
  extra: { problem?: string; read?: { title: string; value: string }[] } = {},
): Promise<Shown> {
  const cover = await deps.disposition.covering(actorId, serviceSelection(selection));
  if (!cover.ok) return refused(cover, 'Not shown');
  if (!cover.total) {
    return {
      show: 'message',
      title: 'Nothing waiting for review',
      lines: ['No records in that scope are waiting for a review decision. Nothing was recorded.'],
    };
  }
  return { show: 'review_form', selection, cover, values, problem: extra.problem ?? '', read: extra.read };
}

/**
 * Records the decision, all or nothing; the form again with the problem when it cannot be. With
 * `expected`, the records must be as the person saw them: a scope covering that many records, or
 * that many of the records named still waiting for a decision (none decided by someone else since).
 */
export async function decide(
  deps: ReviewActionDeps,
  actorId: string,
  selection: ReviewSelection,
  values: DecisionValues,
  expected?: number,
): Promise<Shown> {
  const again = async (refusal: Refusal): Promise<Shown> => {
    const form = await reviewForm(deps, actorId, selection, values, { problem: refusal.message });
    return form.show === 'review_form' ? { ...form, refusal } : refused(refusal, 'Not recorded');
  };
  if (expected !== undefined) {
    const cover = await deps.disposition.covering(actorId, serviceSelection(selection));
    if (!cover.ok) return refused(cover, 'Not recorded');
    if (cover.waiting !== expected) return again(staleSelection(selection, cover.waiting, expected));
  }
  const years = values.keepYears === '' ? null : Number(values.keepYears);
  const result = await deps.disposition.decide(actorId, serviceSelection(selection), {
    decision: values.decision,
    reason: values.reason,
    keepYears: years,
    accessionRef: values.accessionRef || null,
    archive: values.archive || null,
  });
  if (result.ok) {
    return {
      show: 'review_decided',
      decisions: result.decisions,
      notice: decisionRecorded(result.decisions),
    };
  }
  if (result.code === 'not_records_management' || result.code === 'not_in_directory') {
    return refused(result, 'Not recorded');
  }
  return again(result);
}

/** Why a decision on records that changed since the person looked is not recorded. */
function staleSelection(selection: ReviewSelection, now: number, expected: number): Refusal {
  const message =
    'recordIds' in selection
      ? `${expected === 1 && selection.recordIds.length === 1 ? 'This record is' : 'Some of these records are'} no longer waiting for a review decision: someone may have decided since you looked. Nothing was recorded: look at the review list again.`
      : `The records waiting for review have changed since you looked: ${now} now, not ${expected}. Nothing was recorded: check them and record the decision again.`;
  return refuse('stale', message);
}

export function reviewListFromCard(deps: ReviewActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(listData, data, 'The filter could not be read.');
    if (!parsed.ok) return unreadable(parsed.message);
    return reviewList(deps, actorId, parsed.data, parsed.data.page ?? 1);
  };
}

export function reviewFormFromCard(deps: ReviewActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(formData, data, 'This card is missing the records the decision is for.');
    if (!parsed.ok) return unreadable(parsed.message);
    return reviewForm(deps, actorId, selectionOf(parsed.data, today(deps.clock)));
  };
}

export function decideFromCard(deps: ReviewActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(decideData, data, UNREADABLE_DECISION);
    if (!parsed.ok) return unreadable(parsed.message);
    const { decision, reason, keepYears, accessionRef, archive, expected } = parsed.data;
    return decide(
      deps,
      actorId,
      selectionOf(parsed.data, today(deps.clock)),
      { decision, reason, keepYears, accessionRef, archive },
      expected,
    );
  };
}
