import { formatDate } from '../rules/index.js';
import type { BatchView, ConfirmResult } from '../services/destruction.js';

// What a person reads about a destruction batch, written once: its status line, what the
// officers asked to confirm it are told, and what the officer who acted is told.

const n = (x: number) => x.toLocaleString('en-GB');

/** The state of the batch in one sentence, as its card shows it. */
export function batchStatusLine(batch: BatchView): string {
  const c = batch.counts;
  switch (batch.status) {
    case 'awaiting_confirmation':
      return `Waiting for a second Records Management officer to confirm. ${n(c.passing)} of ${n(c.records)} record(s) pass every check.`;
    case 'confirmed':
      return `Confirmed by ${batch.confirmedBy?.name ?? 'an officer'}: ${n(c.destroyed)} record(s) destroyed (${batch.methodLabel ?? ''}), ${n(c.blocked)} kept.`;
    case 'cancelled':
      return `Cancelled by ${batch.cancelledBy?.name ?? 'an officer'}: ${batch.cancelReason ?? ''}`;
  }
}

/** What an officer asked to confirm a new batch is told. */
export function askedToConfirm(batch: Pick<BatchView, 'createdBy' | 'reference'>): string {
  return `${batch.createdBy.name} has chosen destruction batch ${batch.reference}: please check it and confirm.`;
}

/** What the officer who chose a batch is told while it waits for another to confirm it. */
export const AWAITING_ANOTHER_OFFICER =
  'Another Records Management officer must confirm this batch: I have asked them.';

/** What the officer who confirmed a batch is told. */
export function destroyed(result: Pick<ConfirmResult, 'destroyed' | 'blocked'>): string {
  const kept = result.blocked.length
    ? ` ${result.blocked.length} record(s) were kept: a check failed at confirmation.`
    : '';
  return `Destroyed ${result.destroyed.length} record(s) and entered them in the register.${kept}`;
}

/** A batch in a list: its reference and state, and who chose it when. */
export function batchListLine(
  batch: Pick<BatchView, 'reference' | 'statusLabel' | 'counts' | 'createdBy' | 'createdAt'>,
): {
  line: string;
  detail: string;
} {
  return {
    line: `${batch.reference}: ${batch.statusLabel}`,
    detail: `${batch.counts.records} record(s); chosen by ${batch.createdBy.name} on ${formatDate(batch.createdAt.slice(0, 10))}`,
  };
}

/**
 * What an officer asking for disposition reviews (the list, or a decision) is told until the
 * review list is built: the one place to change when it is.
 */
export const REVIEW_LIST_COMING = {
  title: 'The review list is coming',
  lines: [
    'Records whose retention has ended and that need a review decision (destroy, keep for longer, transfer to the archives or keep permanently) will be listed and decided here soon. Nothing has been changed.',
    'Until then, say "what is due for destruction?" to see the records whose retention has ended.',
  ],
} as const;

/** What an officer who asks to confirm a batch is told about who may confirm it. */
export function whoConfirms(batch: Pick<BatchView, 'status' | 'reference' | 'can' | 'createdBy'>): string {
  if (batch.status !== 'awaiting_confirmation')
    return `Batch ${batch.reference} is ${batch.status === 'confirmed' ? 'already confirmed' : 'cancelled'}: there is nothing to confirm.`;
  if (batch.can.canConfirm)
    return `Check the records of batch ${batch.reference} below, choose how they are destroyed, then press Confirm.`;
  if (batch.can.awaitsAnotherOfficer)
    return `You chose batch ${batch.reference}, so another Records Management officer must confirm it: I have asked them.`;
  return `Batch ${batch.reference} can be confirmed only by a Records Management officer other than ${batch.createdBy.name}, who chose it.`;
}
