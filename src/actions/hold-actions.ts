import { z } from 'zod';
import { HOLD_TYPES } from '../rules/index.js';
import { id, line, readInput, reason } from './inputs.js';
import type { HoldService, HoldView } from '../services/holds.js';
import {
  refused,
  unreadable,
  type ActionResult,
  type HoldFormValues,
  type HoldsShown,
  type Shown,
} from './results.js';

// The hold cards' actions: place a hold from the form, release one with a reason.

export interface HoldActionDeps {
  holds: HoldService;
}

const placeData = z.object({
  caseRef: line(50),
  recordId: line(100),
  type: line(40),
  reference: line(200),
  reason: reason(2000),
  sarReceivedOn: line(40),
});
const releaseData = z.object({ holdId: id(), reason: reason(2000) });

const HOLD_PLACED_NOTICE = 'Nothing under this hold can be destroyed until it is released.';

/**
 * Places a hold as the form (or the chat) gives it; the form again with the problem when it
 * cannot be placed, and a refusal that shows nothing to anyone outside Records Management.
 */
export async function placeHold(
  deps: HoldActionDeps,
  actorId: string,
  values: HoldFormValues,
): Promise<Shown> {
  const result = await deps.holds.place(actorId, {
    caseRef: values.caseRef,
    recordId: values.recordId || null,
    type: values.type,
    reference: values.reference,
    reason: values.reason,
    sarReceivedOn: values.sarReceivedOn || null,
  });
  if (result.ok) {
    return {
      show: 'holds',
      title: 'Hold placed',
      holds: [result.hold],
      canRelease: true,
      emptyText: '',
      notice: HOLD_PLACED_NOTICE,
    };
  }
  if (result.code === 'not_records_management' || result.code === 'not_in_directory') return refused(result);
  const type = (HOLD_TYPES as readonly string[]).includes(values.type) ? values.type : '';
  return { show: 'hold_form', values: { ...values, type }, problem: result.message };
}

/** A hold just released, as its officer sees it. */
export function holdReleased(hold: HoldView): HoldsShown {
  return { show: 'holds', title: 'Hold released', holds: [hold], canRelease: false, emptyText: '' };
}

/** Releases one hold with a reason; the hold as it is now when that cannot be done. */
export async function releaseHold(
  deps: HoldActionDeps,
  actorId: string,
  holdId: string,
  reason: string,
): Promise<Shown> {
  const result = await deps.holds.release(actorId, holdId, reason);
  if (result.ok) return holdReleased(result.hold);
  const current = await deps.holds.get(actorId, holdId);
  if (!current.ok) return refused(result);
  return {
    show: 'holds',
    title: 'Hold not released',
    holds: [current.hold],
    canRelease: true,
    emptyText: '',
    notice: result.message,
    noticeStyle: 'attention',
  };
}

export function placeHoldFromCard(deps: HoldActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(placeData, data, 'The hold form could not be read. Nothing was changed.');
    if (!parsed.ok) return unreadable(parsed.message);
    return placeHold(deps, actorId, parsed.data);
  };
}

export function releaseHoldFromCard(deps: HoldActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(releaseData, data, 'This card is missing the hold it belongs to.');
    if (!parsed.ok) return unreadable(parsed.message);
    return releaseHold(deps, actorId, parsed.data.holdId, parsed.data.reason);
  };
}
