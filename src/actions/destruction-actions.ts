import { z } from 'zod';
import type { IsoDate, LogChecks, Refusal } from '../rules/index.js';
import { id, integer, line, readInput, reason, toggle } from './inputs.js';
import { today, type Clock } from '../services/clock.js';
import type { DestructionService } from '../services/destruction.js';
import { destroyed } from '../sentences/destruction.js';
import { refused, unreadable, type ActionResult, type Shown } from './results.js';

// The destruction cards' actions: what is due, a new batch previewed and then created, a batch
// shown (a page at a time), confirmed with the outside logs ticked, or cancelled.

export interface DestructionActionDeps {
  destruction: DestructionService;
  clock: Clock;
  /** Sends the notifications a change queued (the officers asked to confirm, the one who chose). */
  notify: () => void;
}

/** Which records: by class and the date their retention ended, or one record. */
export interface RecordChoice {
  classId?: string;
  dueBy?: IsoDate;
  recordId?: string;
}

/** Records a due list, a batch card or the review list shows at a time. */
export const RECORDS_PER_PAGE = 10;

const page = integer(1, 100_000).optional();
const dueData = z.object({ classId: line(100), dueBy: line(20), page });
const createData = dueData.extend({
  /** How many records the preview showed, to say so when the batch holds a different number. */
  expected: integer(0, 100_000).optional(),
});
const batchRef = { batchId: id(), version: integer(0, 1_000_000) };
const confirmData = z.object({
  ...batchRef,
  /** One method for every record, or '' for each record's own (by its format). */
  method: line(60),
  certificateRef: line(200),
  logLitigation: toggle,
  logClaim: toggle,
  logSubjectAccess: toggle,
  logFoi: toggle,
});
const cancelData = z.object({ ...batchRef, reason: reason(2000) });
const showData = z.object({ id: id(), page });
const MISSING_BATCH = 'The batch or the version seen could not be read. Nothing was changed.';
const UNREADABLE_FILTER = 'The filter could not be read.';

function filterOf(
  data: unknown,
): { ok: true; choice: RecordChoice; page: number; expected?: number } | { ok: false; message: string } {
  const parsed = readInput(createData, data, UNREADABLE_FILTER);
  if (!parsed.ok) return parsed;
  const { classId, dueBy, page, expected } = parsed.data;
  // A date that is not one is refused by the service, in a sentence; it is never dropped unseen.
  return {
    ok: true,
    choice: { classId: classId || undefined, dueBy: dueBy || undefined },
    page: page ?? 1,
    expected,
  };
}

/** Records due for destruction, by class and month, a page of them at a time. */
export async function dueList(
  deps: DestructionActionDeps,
  actorId: string,
  choice: RecordChoice,
  page = 1,
): Promise<Shown> {
  const classId = choice.classId ?? '';
  const due = await deps.destruction.due(actorId, {
    classId: classId || undefined,
    dueBy: choice.dueBy,
    page,
    pageSize: RECORDS_PER_PAGE,
  });
  return due.ok ? { show: 'due', due, classId } : refused(due);
}

/** What a new batch of the records chosen would hold: nothing is created, nobody is asked. */
export async function previewBatch(
  deps: DestructionActionDeps,
  actorId: string,
  choice: RecordChoice,
): Promise<Shown> {
  const preview = await deps.destruction.previewBatch(actorId, {
    filter: { classId: choice.classId || undefined, dueBy: choice.dueBy ?? today(deps.clock) },
  });
  return preview.ok ? { show: 'batch_preview', preview } : refused(preview);
}

/** A new batch of the records chosen, each checked; the other officers are asked to confirm it. */
export async function createBatch(
  deps: DestructionActionDeps,
  actorId: string,
  choice: RecordChoice,
  expected?: number,
): Promise<Shown> {
  const review = await deps.destruction.createBatch(actorId, {
    recordIds: choice.recordId ? [choice.recordId] : undefined,
    filter: choice.recordId ? undefined : { classId: choice.classId || undefined, dueBy: choice.dueBy },
  });
  if (!review.ok) return refused(review);
  deps.notify();
  const records = review.batch.counts.records;
  const changed =
    expected !== undefined && expected !== records
      ? `The preview showed ${expected} record(s); the batch holds ${records}, as what is due changed in between.`
      : '';
  return {
    show: 'batch',
    batch: review.batch,
    notice: [review.notice ?? '', changed].filter(Boolean).join(' '),
  };
}

/** One batch, by id or reference, at a page of its records. */
export async function showBatch(
  deps: DestructionActionDeps,
  actorId: string,
  batchId: string,
  page = 1,
): Promise<Shown> {
  const found = await deps.destruction.getBatch(actorId, batchId);
  if (found.ok) return { show: 'batch', batch: found.batch, notice: '', page };
  if (found.code === 'not_found') return { show: 'message', title: 'Not found', lines: [found.message] };
  return refused(found, 'Not shown');
}

/** The batch as it is now with why the action failed, or only the refusal to someone who may not see it. */
async function notDone(
  deps: DestructionActionDeps,
  actorId: string,
  batchId: string,
  refusal: Refusal,
): Promise<Shown> {
  const current = await deps.destruction.getBatch(actorId, batchId);
  return current.ok
    ? { show: 'batch', batch: current.batch, notice: refusal.message, refusal }
    : refused(refusal);
}

export function dueFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const f = filterOf(data);
    if (!f.ok) return unreadable(f.message);
    return dueList(deps, actorId, f.choice, f.page);
  };
}

export function previewBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const f = filterOf(data);
    if (!f.ok) return unreadable(f.message);
    return previewBatch(deps, actorId, f.choice);
  };
}

export function createBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const f = filterOf(data);
    if (!f.ok) return unreadable(f.message);
    return createBatch(
      deps,
      actorId,
      { ...f.choice, dueBy: f.choice.dueBy ?? today(deps.clock) },
      f.expected,
    );
  };
}

export function showBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(showData, data, MISSING_BATCH);
    if (!parsed.ok) return unreadable(parsed.message);
    return showBatch(deps, actorId, parsed.data.id, parsed.data.page ?? 1);
  };
}

export function confirmBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(confirmData, data, MISSING_BATCH);
    if (!parsed.ok) return unreadable(parsed.message);
    const { batchId, version, method, certificateRef } = parsed.data;
    const logChecks: LogChecks = {
      litigation: parsed.data.logLitigation,
      claim: parsed.data.logClaim,
      subject_access_request: parsed.data.logSubjectAccess,
      foi_request: parsed.data.logFoi,
    };
    const result = await deps.destruction.confirm(actorId, batchId, {
      method: method || null,
      certificateRef: certificateRef || null,
      logChecks,
      expectedVersion: version,
    });
    if (!result.ok) return notDone(deps, actorId, batchId, result);
    deps.notify();
    return { show: 'batch', batch: result.batch, notice: destroyed(result) };
  };
}

export function cancelBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(cancelData, data, MISSING_BATCH);
    if (!parsed.ok) return unreadable(parsed.message);
    const { batchId, version, reason } = parsed.data;
    const result = await deps.destruction.cancel(actorId, batchId, reason, version);
    if (!result.ok) return notDone(deps, actorId, batchId, result);
    deps.notify();
    return { show: 'batch', batch: result.batch, notice: '' };
  };
}
