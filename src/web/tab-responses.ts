import type { RemovalActionResult } from '../actions/results.js';
import type { ActionResponse, ApiError } from '../tab/api-types.js';

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
    case 'stale':
    case 'wrong_state':
      return 409;
    case 'reason_missing':
    case 'reason_too_long':
    case 'return_date_passed':
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
