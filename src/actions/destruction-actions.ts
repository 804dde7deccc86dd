import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../rules/index.js';
import { id, integer, line, readInput, reason } from './inputs.js';
import { today, type Clock } from '../services/clock.js';
import type { DestructionService } from '../services/destruction.js';
import { destroyed } from '../sentences/destruction.js';
import { refused, unreadable, type ActionResult, type Shown } from './results.js';

// The destruction cards' actions: what is due, a new batch, a batch shown, confirmed or cancelled.

export interface DestructionActionDeps {
  destruction: DestructionService;
  clock: Clock;
  /** Sends the notifications a change queued (the officers asked to confirm a batch). */
  notify: () => void;
}

/** Which records: by class and the date their retention ended, or one record. */
export interface RecordChoice {
  classId?: string;
  dueBy?: IsoDate;
  recordId?: string;
}

const dueData = z.object({
  classId: line(100),
  dueBy: line(20),
  page: integer(1, 100_000).optional(),
});
const batchData = z.object({
  batchId: id(),
  version: integer(0, 1_000_000),
  method: line(60),
  certificateRef: line(200),
  reason: reason(2000),
});
const showData = z.object({ id: id() });
const MISSING_BATCH = 'This card is missing the batch it belongs to.';
const UNREADABLE_FILTER = 'The filter could not be read.';

function filterOf(
  data: unknown,
): { ok: true; choice: RecordChoice; page: number } | { ok: false; message: string } {
  const parsed = readInput(dueData, data, UNREADABLE_FILTER);
  if (!parsed.ok) return parsed;
  const { classId, dueBy, page } = parsed.data;
  return {
    ok: true,
    choice: { classId: classId || undefined, dueBy: isIsoDate(dueBy) ? dueBy : undefined },
    page: page ?? 1,
  };
}

/** Records due for destruction, by class and month, a page at a time. */
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
  });
  return due.ok ? { show: 'due', due, classId } : refused(due);
}

/** A new batch of the records chosen, each checked; the other officers are asked to confirm it. */
export async function createBatch(
  deps: DestructionActionDeps,
  actorId: string,
  choice: RecordChoice,
): Promise<Shown> {
  const review = await deps.destruction.createBatch(actorId, {
    recordIds: choice.recordId ? [choice.recordId] : undefined,
    filter: choice.recordId ? undefined : { classId: choice.classId || undefined, dueBy: choice.dueBy },
  });
  if (!review.ok) return refused(review);
  deps.notify();
  return { show: 'batch', batch: review.batch, notice: review.notice ?? '' };
}

/** One batch, by id or reference. */
export async function showBatch(
  deps: DestructionActionDeps,
  actorId: string,
  batchId: string,
): Promise<Shown> {
  const found = await deps.destruction.getBatch(actorId, batchId);
  if (found.ok) return { show: 'batch', batch: found.batch, notice: '' };
  if (found.code === 'not_found') return { show: 'message', title: 'Not found', lines: [found.message] };
  return refused(found, 'Not shown');
}

/** The batch as it is now with why the action failed, or only the refusal to someone who may not see it. */
async function notDone(
  deps: DestructionActionDeps,
  actorId: string,
  batchId: string,
  refusal: { message: string; code: string; ok: false },
): Promise<Shown> {
  const current = await deps.destruction.getBatch(actorId, batchId);
  return current.ok ? { show: 'batch', batch: current.batch, notice: refusal.message } : refused(refusal);
}

export function dueFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const f = filterOf(data);
    if (!f.ok) return unreadable(f.message);
    return dueList(deps, actorId, f.choice, f.page);
  };
}

export function createBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const f = filterOf(data);
    if (!f.ok) return unreadable(f.message);
    return createBatch(deps, actorId, { ...f.choice, dueBy: f.choice.dueBy ?? today(deps.clock) });
  };
}

export function showBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(showData, data, MISSING_BATCH);
    if (!parsed.ok) return unreadable(parsed.message);
    return showBatch(deps, actorId, parsed.data.id);
  };
}

export function confirmBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(batchData, data, MISSING_BATCH);
    if (!parsed.ok) return unreadable(parsed.message);
    const { batchId, version, method, certificateRef } = parsed.data;
    const result = await deps.destruction.confirm(actorId, batchId, {
      method,
      certificateRef: certificateRef || null,
      expectedVersion: version,
    });
    if (!result.ok) return notDone(deps, actorId, batchId, result);
    return { show: 'batch', batch: result.batch, notice: destroyed(result) };
  };
}

export function cancelBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = readInput(batchData, data, MISSING_BATCH);
    if (!parsed.ok) return unreadable(parsed.message);
    const { batchId, version, reason } = parsed.data;
    const result = await deps.destruction.cancel(actorId, batchId, reason, version);
    if (!result.ok) return notDone(deps, actorId, batchId, result);
    return { show: 'batch', batch: result.batch, notice: '' };
  };
}
