import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../rules/index.js';
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

const text = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => v?.trim() ?? '');
const dueData = z.object({
  classId: text(100),
  dueBy: text(20),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});
const batchData = z.object({
  batchId: z.string().min(1).max(64),
  version: z.coerce.number().int().min(0),
  method: text(60),
  certificateRef: text(200),
  reason: text(2000),
});
const showData = z.object({ id: z.string().min(1).max(64) });
const MISSING_BATCH = 'This card is missing the batch it belongs to.';
const UNREADABLE_FILTER = 'The filter could not be read.';

function filterOf(data: unknown): { choice: RecordChoice; page: number } | null {
  const parsed = dueData.safeParse(data);
  if (!parsed.success) return null;
  const { classId, dueBy, page } = parsed.data;
  return {
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
    if (!f) return unreadable(UNREADABLE_FILTER);
    return dueList(deps, actorId, f.choice, f.page);
  };
}

export function createBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const f = filterOf(data);
    if (!f) return unreadable(UNREADABLE_FILTER);
    return createBatch(deps, actorId, { ...f.choice, dueBy: f.choice.dueBy ?? today(deps.clock) });
  };
}

export function showBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = showData.safeParse(data);
    if (!parsed.success) return unreadable(MISSING_BATCH);
    return showBatch(deps, actorId, parsed.data.id);
  };
}

export function confirmBatchFromCard(deps: DestructionActionDeps) {
  return async (actorId: string, data: unknown): Promise<ActionResult> => {
    const parsed = batchData.safeParse(data);
    if (!parsed.success) return unreadable(MISSING_BATCH);
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
    const parsed = batchData.safeParse(data);
    if (!parsed.success) return unreadable(MISSING_BATCH);
    const { batchId, version, reason } = parsed.data;
    const result = await deps.destruction.cancel(actorId, batchId, reason, version);
    if (!result.ok) return notDone(deps, actorId, batchId, result);
    return { show: 'batch', batch: result.batch, notice: '' };
  };
}
