import {
  createBatch,
  dueList,
  type DestructionActionDeps,
  type RecordChoice,
} from '../actions/destruction-actions.js';
import { refused, type Shown } from '../actions/results.js';
import type { IsoDate } from '../rules/index.js';

export interface DestructionEntities {
  recordClassQuery?: string;
  classId?: string;
  dueBy?: IsoDate;
  recordId?: string;
  caseRef?: string;
  batchRef?: string;
}

/**
 * What is due, destruction batches and the register, asked for in chat by the Records Management
 * Service (the services refuse anyone else); the destruction cards' buttons are in actions/.
 */
export class DestructionChat {
  constructor(private readonly deps: DestructionActionDeps) {}

  due(actorId: string, choice: RecordChoice): Promise<Shown> {
    return dueList(this.deps, actorId, choice);
  }

  createBatch(actorId: string, choice: RecordChoice): Promise<Shown> {
    return createBatch(this.deps, actorId, choice);
  }

  async batches(actorId: string): Promise<Shown> {
    const list = await this.deps.destruction.listBatches(actorId, { limit: 20 });
    return list.ok ? { show: 'batches', batches: list.batches } : refused(list, 'Not shown');
  }

  async register(actorId: string, e: DestructionEntities): Promise<Shown> {
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
      page: 1,
      pageSize: 10,
    });
    if (!page.ok) return refused(page, 'Not shown');
    const scope = e.batchRef ? ` for batch ${e.batchRef}` : e.caseRef ? ` for case ${e.caseRef}` : '';
    return {
      show: 'register',
      title: `Destruction register${scope}`,
      entries: page.entries,
      total: page.total,
      downloads: true,
    };
  }
}
