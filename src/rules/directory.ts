import type { AuthorisationSnapshot, Transition } from './authorisation.js';

/** The reason a request is withdrawn for, when its requester is no longer staff. */
export const REQUESTER_LEFT_REASON = 'The requester is no longer in the staff directory.';

/**
 * A request still waiting for a decision when its requester leaves the staff directory is
 * withdrawn: nobody may approve records out of the office for someone who is no longer staff.
 * Anything else is left as it is (records already out must still come back). The approvers are
 * told by the directory sync, in its own words.
 */
export function withdrawForLeaver(auth: AuthorisationSnapshot): Transition | null {
  if (auth.status !== 'pending') return null;
  return {
    ok: true,
    from: auth.status,
    status: 'withdrawn',
    version: auth.version + 1,
    reason: REQUESTER_LEFT_REASON,
    returnOn: auth.returnOn,
    events: [],
  };
}
