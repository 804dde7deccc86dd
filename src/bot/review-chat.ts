import { reviewForm, reviewList, type ReviewActionDeps } from '../actions/review-actions.js';
import type { DecisionValues, ReviewSelection, Shown } from '../actions/results.js';
import { DISPOSITION_DECISION_LABELS, type IsoDate } from '../rules/index.js';
import type { Reading } from '../understanding/index.js';

/** What the chat understood about the records a review is for. */
export interface ReviewScopeRead {
  classId?: string;
  caseRef?: string;
  recordId?: string;
  dueBy?: IsoDate;
}

/**
 * Disposition review asked for in chat by the Records Management Service (the services refuse
 * anyone else): the review list, and a decision read from a message, shown on its form to
 * confirm. Nothing is recorded from the words alone; the review cards' buttons are in actions/.
 */
export class ReviewChat {
  constructor(private readonly deps: ReviewActionDeps) {}

  /** An officer's review work now, a line; nothing for anyone else. */
  async work(actorId: string): Promise<string[]> {
    const review = await this.deps.disposition.reviewList(actorId, { pageSize: 1 });
    if (!review.ok || !review.total) return [];
    return [`${review.total.toLocaleString('en-GB')} record(s) are waiting for a review decision.`];
  }

  list(actorId: string, scope: ReviewScopeRead): Promise<Shown> {
    return reviewList(this.deps, actorId, scope);
  }

  /**
   * A decision read from a message ("keep LL-400167 for 5 more years, still in proceedings"): the
   * form filled in with what was read, for the records named (a record, or a case's records
   * waiting for review), to check and record. With no records named, the review list to choose from.
   */
  async decide(actorId: string, reading: Reading, scope: ReviewScopeRead, day: IsoDate): Promise<Shown> {
    const e = reading.entities;
    const decision = e.reviewDecision?.value;
    const selection: ReviewSelection | null = scope.recordId
      ? { recordIds: [scope.recordId] }
      : scope.caseRef || scope.classId
        ? { classId: scope.classId ?? '', caseRef: scope.caseRef ?? '', dueBy: scope.dueBy ?? day }
        : null;
    if (!selection) {
      const list = await this.list(actorId, scope);
      return list.show === 'review'
        ? {
            ...list,
            notice:
              'Which records? Press Decide on a record, or Decide for all on the list. Nothing has been recorded.',
          }
        : list;
    }
    const values: DecisionValues = {
      decision: decision?.action ?? '',
      reason: e.reason?.value ?? '',
      keepYears: decision?.years !== undefined ? String(decision.years) : '',
      accessionRef: '',
      archive: '',
    };
    const read = [
      ...(decision
        ? [
            {
              title: 'Decision',
              value: `${DISPOSITION_DECISION_LABELS[decision.action]}${decision.years ? ` (${decision.years} more years)` : ''}${e.reviewDecision?.from ? `, from “${e.reviewDecision.from.text}”` : ''}`,
            },
          ]
        : []),
      ...(e.reason?.from ? [{ title: 'Reason', value: `from “${e.reason.from.text}”` }] : []),
    ];
    return reviewForm(this.deps, actorId, selection, values, { read });
  }
}
