import {
  dueList,
  previewBatch,
  showBatch,
  type DestructionActionDeps,
  type RecordChoice,
} from '../actions/destruction-actions.js';
import { refused, type Shown } from '../actions/results.js';
import { addDays, addMonths, formatDate, type IsoDate } from '../rules/index.js';
import { whoConfirms } from '../sentences/destruction.js';

/** What narrows the register: one record, a case, a batch, or the month records were destroyed in. */
export interface RegisterChoice {
  recordId?: string;
  caseRef?: string;
  batchRef?: string;
  /** `YYYY-MM` */
  month?: string;
}

/** The last day of a month (`YYYY-MM`). */
export function lastDayOf(month: string): IsoDate {
  return addDays(addMonths(`${month}-01`, 1), -1);
}

const n = (x: number) => x.toLocaleString('en-GB');

/**
 * What is due, destruction batches and the register, asked for in chat by the Records Management
 * Service (the services refuse anyone else); the destruction cards' buttons are in actions/.
 */
export class DestructionChat {
  constructor(private readonly deps: DestructionActionDeps) {}

  due(actorId: string, choice: RecordChoice): Promise<Shown> {
    return dueList(this.deps, actorId, choice);
  }

  /** What a new batch would hold: the officer creates it from the preview, never from the words alone. */
  previewBatch(actorId: string, choice: RecordChoice): Promise<Shown> {
    return previewBatch(this.deps, actorId, choice);
  }

  async batches(actorId: string): Promise<Shown> {
    const list = await this.deps.destruction.listBatches(actorId, { limit: 20 });
    return list.ok ? { show: 'batches', batches: list.batches } : refused(list, 'Not shown');
  }

  /** One batch, by its reference. */
  batch(actorId: string, reference: string): Promise<Shown> {
    return showBatch(this.deps, actorId, reference);
  }

  /** "confirm DB-2026-0003": the batch's card, with Confirm for an officer who may, and who must otherwise. */
  async confirm(actorId: string, reference: string): Promise<Shown> {
    const found = await this.deps.destruction.getBatch(actorId, reference);
    if (found.ok) return { show: 'batch', batch: found.batch, notice: whoConfirms(found.batch) };
    if (found.code === 'not_found') return { show: 'message', title: 'Not found', lines: [found.message] };
    return refused(found, 'Not shown');
  }

  /** An officer's own work now, a line each; nothing for anyone else. */
  async work(actorId: string): Promise<string[]> {
    const due = await this.deps.destruction.due(actorId, { pageSize: 1 });
    if (!due.ok) return [];
    const lines = [`${n(due.total)} record(s) are due for destruction by today.`];
    const waiting = await this.deps.destruction.listBatches(actorId, {
      status: 'awaiting_confirmation',
      limit: 50,
    });
    if (waiting.ok && waiting.batches.length) {
      const theirs = waiting.batches.filter((b) => b.createdBy.id === actorId);
      const others = waiting.batches.filter((b) => b.createdBy.id !== actorId);
      if (others.length)
        lines.push(
          `Waiting for a second officer to confirm: ${others.map((b) => `${b.reference} (chosen by ${b.createdBy.name})`).join(', ')}.`,
        );
      if (theirs.length)
        lines.push(`Your batches waiting for another officer: ${theirs.map((b) => b.reference).join(', ')}.`);
    }
    return lines;
  }

  async register(actorId: string, e: RegisterChoice): Promise<Shown> {
    if (e.recordId) {
      const found = await this.deps.destruction.wasDestroyed(actorId, e.recordId);
      if (!found.ok) return refused(found, 'Not shown');
      return found.entry
        ? {
            show: 'register',
            title: `Record ${e.recordId} was destroyed`,
            entries: [found.entry],
            total: 1,
            downloads: false,
          }
        : {
            show: 'message',
            title: `Record ${e.recordId} has not been destroyed`,
            lines: ['It is not in the destruction register.'],
          };
    }
    const page = await this.deps.destruction.register(actorId, {
      caseRef: e.caseRef,
      batchId: e.batchRef,
      ...(e.month ? { from: `${e.month}-01`, to: lastDayOf(e.month) } : {}),
      page: 1,
      pageSize: 10,
    });
    if (!page.ok) return refused(page, 'Not shown');
    const scope = [
      e.batchRef ? ` for batch ${e.batchRef}` : e.caseRef ? ` for case ${e.caseRef}` : '',
      e.month ? `, destroyed in ${formatDate(`${e.month}-01`).replace(/^1 /, '')}` : '',
    ].join('');
    return {
      show: 'register',
      title: `Destruction register${scope}`,
      entries: page.entries,
      total: page.total,
      downloads: true,
    };
  }
}
