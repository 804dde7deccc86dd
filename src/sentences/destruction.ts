import { formatDate, type DestructionCheckId } from '../rules/index.js';
import type { BatchPreview, BatchView, ConfirmResult } from '../services/destruction.js';
import type { DecisionView } from '../services/disposition.js';

// What a person reads about a destruction batch and a review decision, written once: a batch's
// status line, what the officers asked to confirm it are told, what the officer who chose it is
// told when it is confirmed or cancelled, and what the officer who acted is told.

const n = (x: number) => x.toLocaleString('en-GB');

/** The state of the batch in one sentence, as its card shows it. */
export function batchStatusLine(batch: BatchView): string {
  const c = batch.counts;
  switch (batch.status) {
    case 'awaiting_confirmation':
      return `Waiting for a second Records Management officer to confirm. ${n(c.passing)} of ${n(c.records)} record(s) pass every check.`;
    case 'confirmed':
      return c.destroyed
        ? `Confirmed by ${batch.confirmedBy?.name ?? 'an officer'}: ${n(c.destroyed)} record(s) destroyed (${batch.methodLabel ?? 'each by the method its format calls for'}), ${n(c.blocked)} kept.`
        : `Confirmed by ${batch.confirmedBy?.name ?? 'an officer'}: nothing destroyed, all ${n(c.blocked)} record(s) kept.`;
    case 'cancelled':
      return `Cancelled by ${batch.cancelledBy?.name ?? 'an officer'}: ${batch.cancelReason ?? ''}`;
  }
}

/** What an officer asked to confirm a new batch is told. */
export function askedToConfirm(batch: Pick<BatchView, 'createdBy' | 'reference'>): string {
  return `${batch.createdBy.name} has chosen destruction batch ${batch.reference}: please check it and confirm.`;
}

/** What the officer who chose a batch is told while it waits for another to confirm it, naming who was asked. */
export function awaitingAnotherOfficer(batch: Pick<BatchView, 'askedToConfirm'>): string {
  const asked = batch.askedToConfirm.map((p) => p.name);
  const who = asked.length
    ? `I have asked ${asked.length > 1 ? `${asked.slice(0, -1).join(', ')} and ${asked.at(-1)!}` : asked[0]!}.`
    : 'There is no other Records Management officer in the staff directory to ask: ask for one to be added.';
  return `A second Records Management officer must confirm this batch before anything is destroyed (the two-person rule). ${who} I will tell you when it is confirmed or cancelled.`;
}

/** What an officer who may confirm a batch is told on its card. */
export function toConfirm(batch: Pick<BatchView, 'createdBy'>): string {
  return `${batch.createdBy.name} chose this batch. Check its records, tick each log held outside this app once you have checked it, then confirm. Each record is destroyed by the method its format calls for.`;
}

/** What the officer a batch was read for does next: wait for another officer, or check, tick and confirm. */
export function batchNextStep(
  batch: Pick<BatchView, 'status' | 'can' | 'askedToConfirm' | 'createdBy'>,
): string {
  if (batch.status !== 'awaiting_confirmation') return '';
  if (batch.can.awaitsAnotherOfficer) return awaitingAnotherOfficer(batch);
  if (batch.can.canConfirm) return toConfirm(batch);
  return '';
}

/** What the officer who created a batch is told where the batch is not shown on a card of its own (the tab). */
export function batchCreated(batch: Pick<BatchView, 'reference' | 'counts'>): string {
  return `Created destruction batch ${batch.reference} of ${n(batch.counts.records)} record(s). Nothing is destroyed until it is confirmed.`;
}

/** What the officer who cancelled a batch is told where the batch is not shown on a card of its own (the tab). */
export function batchCancelled(batch: Pick<BatchView, 'reference'>): string {
  return `Cancelled destruction batch ${batch.reference}: nothing was destroyed.`;
}

/** What the officer who chose a batch is told when another officer confirms or cancels it. */
export function toldOfBatchOutcome(
  batch: Pick<BatchView, 'status' | 'reference' | 'confirmedBy' | 'cancelledBy' | 'cancelReason' | 'counts'>,
): string {
  if (batch.status === 'cancelled')
    return `${batch.cancelledBy?.name ?? 'Another officer'} cancelled destruction batch ${batch.reference}, which you chose: ${batch.cancelReason ?? ''}. Nothing was destroyed.`;
  const who = `${batch.confirmedBy?.name ?? 'Another officer'} confirmed destruction batch ${batch.reference}, which you chose:`;
  if (!batch.counts.destroyed)
    return `${who} nothing was destroyed, as every record failed a check at confirmation.`;
  const kept = batch.counts.blocked
    ? ` ${n(batch.counts.blocked)} record(s) were kept: a check failed at confirmation.`
    : '';
  return `${who} ${n(batch.counts.destroyed)} record(s) destroyed and entered in the register.${kept}`;
}

/** What the officer who confirmed a batch is told. */
export function destroyed(result: Pick<ConfirmResult, 'destroyed' | 'blocked'>): string {
  const kept = result.blocked.length
    ? ` ${result.blocked.length} record(s) were kept: a check failed at confirmation.`
    : '';
  if (!result.destroyed.length)
    return 'Nothing was destroyed: every record failed a check at confirmation. Each record says why.';
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

/** Why records are kept out of destruction, by the check they fail, as a preview counts them. */
export const BLOCKED_BECAUSE: Record<DestructionCheckId, string> = {
  'actor-is-records-management': 'not chosen by the Records Management Service',
  'retention-ended': 'retention has not ended, or cannot be worked out',
  'review-decision': 'reviewed class, and no decision to destroy',
  'no-active-hold': 'on hold (litigation, claim, subject access, FOI or inquiry)',
  'not-out-of-office': 'out of the office on an authorisation',
  'not-already-destroyed': 'already destroyed',
};

/** The preview of a new batch in one sentence: what would go in, and whether it can be created. */
export function previewSummary(preview: Pick<BatchPreview, 'records' | 'passing' | 'blocked'>): string {
  if (!preview.records) return 'No record in this scope can go into a new batch. Nothing has been created.';
  return `A new batch would hold ${n(preview.records)} record(s): ${n(preview.passing)} pass every check, ${n(preview.blocked)} are blocked. Nothing has been created yet: check it, then press Create the batch.`;
}

/** What the officer who recorded a review decision is told. */
export function decisionRecorded(decisions: readonly DecisionView[]): string {
  const first = decisions[0];
  if (!first) return 'No decision was recorded.';
  const count = `${n(decisions.length)} record(s)`;
  switch (first.decision) {
    case 'destroy':
      return `Recorded: destroy ${count}. They are now due for destruction and can go into a destruction batch.`;
    case 'keep':
      return `Recorded: keep ${count} for ${first.keepYears ?? ''} more year(s), until a review on ${formatDate(first.reviewOn!)}.`;
    case 'transfer':
      return `Recorded: transfer ${count} to ${first.archive ?? 'the archives'}, accession ${first.accessionRef ?? ''}.`;
    case 'permanent':
      return `Recorded: keep ${count} permanently.`;
  }
}

/**
 * What an officer who asks to confirm a batch is told when its card's own next step does not
 * say it: that it is no longer waiting, or who else must confirm it.
 */
export function whoConfirms(batch: Pick<BatchView, 'status' | 'reference' | 'can' | 'createdBy'>): string {
  if (batch.status !== 'awaiting_confirmation')
    return `Batch ${batch.reference} is ${batch.status === 'confirmed' ? 'already confirmed' : 'cancelled'}: there is nothing to confirm.`;
  if (batch.can.canConfirm || batch.can.awaitsAnotherOfficer) return '';
  return `Batch ${batch.reference} can be confirmed only by a Records Management officer other than ${batch.createdBy.name}, who chose it.`;
}
