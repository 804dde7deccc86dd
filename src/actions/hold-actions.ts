import { z } from 'zod';
import { BLANKET_HOLD_TYPES, HOLD_TYPES, type Refusal } from '../rules/index.js';
import { sarClockRestarted, sarClockStopped, sarExtended } from '../sentences/holds.js';
import type { BlanketHoldView, HoldService, HoldView } from '../services/holds.js';
import { id, line, readInput, reason, text } from './inputs.js';
import {
  refused,
  unreadable,
  type ActionResult,
  type BlanketHoldFormValues,
  type HoldFormValues,
  type HoldsShown,
  type Shown,
} from './results.js';

// The hold cards' actions: place a hold from the form, release one with a reason, open one; a
// subject access request's extension (with the day the requester was told) and its clock stopped
// and restarted; holds on whole classes of records placed and released.

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
const holdId = id();
const releaseData = z.object({ holdId, reason: reason(2000) });
const showData = z.object({ holdId });
const extendData = z.object({ holdId, toldOn: line(20), extensionReason: reason(2000) });
const pauseData = z.object({ holdId, stoppedFrom: line(20), awaiting: text(2000) });
const resumeData = z.object({ holdId, arrivedOn: line(20) });
const blanketData = z.object({
  type: line(40),
  name: line(300),
  reference: line(200),
  reason: reason(2000),
  startsOn: line(20),
  endsOn: line(20),
  classes: text(20_000),
});
const MISSING_HOLD = 'The hold or what was typed for it could not be read. Nothing was changed.';

const HOLD_PLACED_NOTICE = 'Nothing under this hold can be destroyed until it is released.';
const BLANKET_PLACED_NOTICE =
  'No record of the classes it covers can be destroyed while it is in force: destruction batches leave them out.';

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
  return { show: 'hold_form', values: { ...values, type }, problem: result.message, refusal: result };
}

/** A hold just released, as its officer sees it. */
export function holdReleased(hold: HoldView): HoldsShown {
  return { show: 'holds', title: 'Hold released', holds: [hold], canRelease: false, emptyText: '' };
}

/** One hold with what can be done to it, and a line about what just happened (or why not). */
function oneHold(hold: HoldView, title: string, notice = '', noticeStyle?: 'good' | 'attention'): HoldsShown {
  return { show: 'holds', title, holds: [hold], canRelease: true, emptyText: '', notice, noticeStyle };
}

function oneBlanket(
  hold: BlanketHoldView,
  title: string,
  notice = '',
  noticeStyle?: 'good' | 'attention',
): HoldsShown {
  return {
    show: 'holds',
    title,
    holds: [],
    blanket: [hold],
    canRelease: true,
    emptyText: '',
    notice,
    noticeStyle,
  };
}

/** One hold, as it is now, to act on. */
export async function showHold(deps: HoldActionDeps, actorId: string, id: string): Promise<Shown> {
  const found = await deps.holds.get(actorId, id);
  return found.ok
    ? oneHold(found.hold, `${found.hold.typeLabel} hold ${found.hold.reference}`)
    : refused(found, 'Not shown');
}

/** A change to a subject access request's clock or deadline; the hold as it is now when refused. */
async function changeSar(
  deps: HoldActionDeps,
  actorId: string,
  id: string,
  change: () => Promise<{ ok: true; hold: HoldView } | Refusal>,
  done: (hold: HoldView) => string,
): Promise<Shown> {
  const result = await change();
  if (result.ok)
    return oneHold(result.hold, `${result.hold.typeLabel} hold ${result.hold.reference}`, done(result.hold));
  const current = await deps.holds.get(actorId, id);
  if (!current.ok) return refused(result);
  return { ...oneHold(current.hold, 'Not changed', result.message, 'attention'), refusal: result };
}

/** One hold on whole classes, as it is now, to act on. */
export async function showBlanket(deps: HoldActionDeps, actorId: string, id: string): Promise<Shown> {
  const found = await deps.holds.getBlanket(actorId, id);
  return found.ok
    ? oneBlanket(found.hold, `Hold on whole classes: ${found.hold.name}`)
    : refused(found, 'Not shown');
}

/** Places a hold on whole classes of records; the form again with the problem when it cannot be. */
export async function placeBlanket(
  deps: HoldActionDeps,
  actorId: string,
  values: BlanketHoldFormValues,
): Promise<Shown> {
  const result = await deps.holds.placeBlanket(actorId, {
    type: values.type,
    name: values.name,
    reference: values.reference,
    reason: values.reason,
    startsOn: values.startsOn,
    endsOn: values.endsOn || null,
    classes: values.classes
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  });
  if (result.ok) return oneBlanket(result.hold, 'Hold placed on whole classes', BLANKET_PLACED_NOTICE);
  if (result.code === 'not_records_management' || result.code === 'not_in_directory') return refused(result);
  const type = (BLANKET_HOLD_TYPES as readonly string[]).includes(values.type) ? values.type : '';
  return {
    show: 'blanket_hold_form',
    values: { ...values, type },
    problem: result.message,
    refusal: result,
  };
}

/** Releases a hold on whole classes with a reason; the hold as it is now when that cannot be done. */
export async function releaseBlanket(
  deps: HoldActionDeps,
  actorId: string,
  id: string,
  reason: string,
): Promise<Shown> {
  const result = await deps.holds.releaseBlanket(actorId, id, reason);
  if (result.ok) return { ...oneBlanket(result.hold, 'Hold released'), canRelease: false };
  const current = await deps.holds.getBlanket(actorId, id);
  if (!current.ok) return refused(result);
  return { ...oneBlanket(current.hold, 'Hold not released', result.message, 'attention'), refusal: result };
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
  return { ...oneHold(current.hold, 'Hold not released', result.message, 'attention'), refusal: result };
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
    const parsed = readInput(releaseData, data, MISSING_HOLD);
    if (!parsed.ok) return unreadable(parsed.message);
    return releaseHold(deps, actorId, parsed.data.holdId, parsed.data.reason);
  };
}

export function showHoldFromCard(deps: HoldActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(showData, data, MISSING_HOLD);
    if (!parsed.ok) return unreadable(parsed.message);
    return showHold(deps, actorId, parsed.data.holdId);
  };
}

export function extendSarFromCard(deps: HoldActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(extendData, data, MISSING_HOLD);
    if (!parsed.ok) return unreadable(parsed.message);
    const { holdId, toldOn, extensionReason } = parsed.data;
    return changeSar(
      deps,
      actorId,
      holdId,
      () => deps.holds.extendSar(actorId, holdId, { toldOn, reason: extensionReason }),
      (h) => sarExtended(h),
    );
  };
}

export function pauseSarFromCard(deps: HoldActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(pauseData, data, MISSING_HOLD);
    if (!parsed.ok) return unreadable(parsed.message);
    const { holdId, stoppedFrom, awaiting } = parsed.data;
    return changeSar(
      deps,
      actorId,
      holdId,
      () => deps.holds.pauseSar(actorId, holdId, { from: stoppedFrom, reason: awaiting }),
      (h) => sarClockStopped(h),
    );
  };
}

export function resumeSarFromCard(deps: HoldActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(resumeData, data, MISSING_HOLD);
    if (!parsed.ok) return unreadable(parsed.message);
    const { holdId, arrivedOn } = parsed.data;
    return changeSar(
      deps,
      actorId,
      holdId,
      () => deps.holds.resumeSar(actorId, holdId, { on: arrivedOn }),
      (h) => sarClockRestarted(h),
    );
  };
}

export function placeBlanketFromCard(deps: HoldActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(blanketData, data, 'The form could not be read.');
    if (!parsed.ok) return unreadable(parsed.message);
    return placeBlanket(deps, actorId, parsed.data);
  };
}

export function showBlanketFromCard(deps: HoldActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(showData, data, MISSING_HOLD);
    if (!parsed.ok) return unreadable(parsed.message);
    return showBlanket(deps, actorId, parsed.data.holdId);
  };
}

export function releaseBlanketFromCard(deps: HoldActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(releaseData, data, MISSING_HOLD);
    if (!parsed.ok) return unreadable(parsed.message);
    return releaseBlanket(deps, actorId, parsed.data.holdId, parsed.data.reason);
  };
}
