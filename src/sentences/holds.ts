import { formatDate } from '../rules/index.js';
import type { HoldView } from '../services/holds.js';

// What an officer reads about a subject access request's deadline when they change it, written
// once: the extension and the clock stopped and restarted.

/** The deadline as it stands now. */
function respondBy(hold: HoldView): string {
  const sar = hold.sar;
  if (!sar) return '';
  return formatDate(sar.extended ? sar.extendedRespondBy : sar.respondBy);
}

/** What the officer who extended a subject access request's deadline is told. */
export function sarExtended(hold: HoldView): string {
  return `Extended by two months: respond by ${respondBy(hold)}. The requester was told on ${formatDate(hold.sar?.extension?.toldOn ?? '')}.`;
}

/** What the officer who stopped a subject access request's clock is told. */
export function sarClockStopped(hold: HoldView): string {
  return `The clock is stopped from ${formatDate(hold.sar?.pausedSince ?? '')} until what is awaited arrives: restart it then. Until it restarts, the deadline moves on a day each day (${respondBy(hold)} if it restarted today).`;
}

/** What the officer who restarted a subject access request's clock is told. */
export function sarClockRestarted(hold: HoldView): string {
  return `The clock is running again: respond by ${respondBy(hold)}.`;
}

/** What holds are for, said wherever holds are listed or placed: every kind the law requires. */
export const HOLDS_STOP_DESTRUCTION =
  'A hold stops records being destroyed while litigation, a claim, a subject access request, an FOI request or an inquiry needs them.';
