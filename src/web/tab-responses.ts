import type { ActionResult, RemovalActionResult } from '../actions/results.js';
import { VERBS, type Verb } from '../actions/verbs.js';
import type { Refusal } from '../rules/index.js';
import type { BatchView } from '../services/destruction.js';
import {
  BLOCKED_BECAUSE,
  batchCancelled,
  batchCreated,
  batchStatusLine,
  previewSummary,
} from '../sentences/destruction.js';
import type {
  ActionResponse,
  ApiError,
  BatchPreviewResponse,
  BatchResponse,
  HoldActionResponse,
  ReviewDecidedResponse,
  ReviewResponse,
  TabBatch,
} from '../tab/api-types.js';

/** A tab API answer: an HTTP status and its JSON. */
export interface Reply {
  status: number;
  body: unknown;
  /** Response headers beyond the usual ones (Retry-After on a 429). */
  headers?: Readonly<Record<string, string>>;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const fail = (status: number, error: string, extra: Omit<ApiError, 'error'> = {}): Reply => ({
  status,
  body: { error, ...extra } satisfies ApiError,
});

/** HTTP status for a refusal code of the rules and services. */
export function statusOf(code: string): number {
  switch (code) {
    case 'not_in_directory':
    case 'own_request':
    case 'not_line_manager':
    case 'not_your_request':
    case 'not_records_management':
      return 403;
    case 'not_found':
    case 'case_unknown':
    case 'record_unknown':
      return 404;
    case 'too_many_lookups':
      return 429;
    case 'two_person_rule':
      return 403;
    // The item changed since the caller saw it: nothing was done.
    case 'stale':
    case 'wrong_state':
    case 'not_awaiting_confirmation':
    case 'already_released':
    case 'already_extended':
    case 'already_paused':
    case 'not_paused':
    case 'not_sar':
      return 409;
    case 'reason_missing':
    case 'reason_required':
    case 'reason_too_long':
    case 'return_date_passed':
    case 'logs_not_checked':
    case 'method_does_not_fit_format':
      return 422;
    default:
      return 400;
  }
}

/**
 * The tab API's answer to what an action on a removal authorisation came to (the same handlers
 * as the card's buttons): the item as it is now with what the person is told, or the refusal
 * with its status code, showing the item only to someone who may see it.
 */
export function removalActionReply(result: RemovalActionResult): Reply {
  switch (result.show) {
    case 'unreadable':
      return fail(400, result.message, { code: 'bad_request' });
    case 'refusal':
      return fail(statusOf(result.refusal.code), result.refusal.message, { code: result.refusal.code });
    case 'authorisation': {
      const a = result.authorisation;
      if (result.refusal) {
        return fail(statusOf(result.refusal.code), result.refusal.message, {
          code: result.refusal.code,
          authorisation: a,
        });
      }
      return ok({
        authorisation: a,
        repeated: result.repeated,
        notice: result.done ?? '',
      } satisfies ActionResponse);
    }
  }
}

/** A refusal as the tab's answer, with the item it was about as it is now (when the caller may see it). */
function refusedWith(refusal: Refusal, item: Omit<ApiError, 'error' | 'code'> = {}): Reply {
  return fail(statusOf(refusal.code), refusal.message, { code: refusal.code, ...item });
}

/**
 * The tab API's answer to what a Records Management action came to (the same handlers as the
 * cards' buttons): the hold, batch or decisions as they are now with what the officer is told,
 * or the refusal with its status code; `tabBatch` adds what the tab shows of a batch, and `verb`
 * says what the officer did, for what they are told.
 */
export function rmsActionReply(
  verb: Verb,
  result: ActionResult,
  tabBatch: (batch: BatchView) => TabBatch,
): Reply {
  switch (result.show) {
    case 'unreadable':
      return fail(400, result.message, { code: 'bad_request' });
    case 'refusal':
      return refusedWith(result.refusal);
    case 'holds': {
      const hold = result.holds[0] ?? null;
      const blanketHold = result.blanket?.[0] ?? null;
      if (result.refusal) {
        return refusedWith(result.refusal, {
          ...(hold ? { hold } : {}),
          ...(blanketHold ? { blanketHold } : {}),
        });
      }
      return ok({
        title: result.title,
        notice: result.notice ?? '',
        hold,
        blanketHold,
      } satisfies HoldActionResponse);
    }
    case 'hold_form':
    case 'blanket_hold_form':
    case 'review_form':
      // A form comes back only with what stopped the action.
      return result.refusal
        ? refusedWith(result.refusal)
        : fail(422, result.problem || 'Nothing was done.', { code: 'not_done' });
    case 'batch_preview': {
      const { ok: _ok, ...preview } = result.preview;
      return ok({
        preview,
        summary: previewSummary(preview),
        blockedBecause: preview.blockedBy.map((b) => `${b.count} record(s): ${BLOCKED_BECAUSE[b.check]}`),
      } satisfies BatchPreviewResponse);
    }
    case 'batch': {
      const batch = tabBatch(result.batch);
      if (result.refusal) return refusedWith(result.refusal, { batch });
      const done =
        verb === VERBS.batchCreate
          ? batchCreated(result.batch)
          : verb === VERBS.batchCancel
            ? batchCancelled(result.batch)
            : '';
      return ok({
        ...batch,
        notice: [done, result.notice].filter(Boolean).join(' ') || batchStatusLine(result.batch),
      } satisfies BatchResponse);
    }
    case 'review': {
      const { ok: _ok, ...review } = result.review;
      return ok(review satisfies ReviewResponse);
    }
    case 'review_decided':
      return ok({ decisions: result.decisions, notice: result.notice } satisfies ReviewDecidedResponse);
    case 'message':
      return result.style === 'attention'
        ? fail(409, result.lines.join(' '), { code: 'not_done' })
        : ok({ title: result.title, notice: result.lines.join(' ') });
    case 'authorisation':
    case 'removal_form':
    case 'due':
    case 'batches':
    case 'register':
      throw new Error(`A Records Management action came to "${result.show}", which the tab does not show.`);
  }
}
