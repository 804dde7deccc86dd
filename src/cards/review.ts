import reviewTemplate from '../../cards/review-list.json' with { type: 'json' };
import decisionTemplate from '../../cards/review-decision.json' with { type: 'json' };
import decidedTemplate from '../../cards/review-decided.json' with { type: 'json' };
import type { DecisionValues, ReviewSelection } from '../actions/results.js';
import {
  DISPOSITION_DECISION_LABELS,
  DISPOSITION_DECISIONS,
  formatDate,
  type Schedule,
} from '../rules/index.js';
import type { DecisionCover, DecisionView, ReviewItem, ReviewList } from '../services/disposition.js';
import { classChoices } from './destruction.js';
import { bind, type CardJson } from './render.js';
import { classRows, n } from './summary.js';

/** Decided records a confirmation names; the rest are counted. */
const DECIDED_SHOWN = 10;

function recordLine(r: ReviewItem) {
  const ended = r.retentionEndsOn
    ? `retention ended ${formatDate(r.retentionEndsOn)}`
    : 'retention end unknown';
  const review = r.reviewOn ? `; kept until a review on ${formatDate(r.reviewOn)}` : '';
  return {
    recordId: r.recordId,
    line: `${r.recordId}: ${r.title}`,
    detail: `Case ${r.caseRef} · ${r.classTitle} · ${ended}${review}`,
    flags: [r.held ? 'ON HOLD' : '', r.out ? 'OUT OF THE OFFICE' : ''].filter(Boolean).join(' · '),
  };
}

function scopeWords(
  review: Pick<ReviewList, 'classId' | 'caseRef' | 'recordId'>,
  schedule: Schedule,
): string {
  const title = review.classId
    ? (schedule.classes.find((c) => c.id === review.classId)?.title ?? review.classId)
    : '';
  return [
    title ? ` in ${title}` : '',
    review.caseRef ? ` of case ${review.caseRef}` : '',
    review.recordId ? ` (record ${review.recordId})` : '',
  ].join('');
}

/**
 * Records whose retention (or review date) has ended and that wait for a decision: a line for
 * each class, then a page of the records, each with Decide; a decision for the whole list; the
 * filter. Nothing changes until a decision is confirmed.
 */
export function reviewCard(review: ReviewList, schedule: Schedule, notice = ''): CardJson {
  const scope = scopeWords(review, schedule);
  return bind(reviewTemplate, {
    summary: review.total
      ? `${n(review.total)} record(s)${scope} whose retention or review date ended by ${formatDate(review.dueBy)} need a decision: destroy, keep for longer, transfer to the archives, or keep permanently.`
      : `Nothing${scope} is waiting for a review decision by ${formatDate(review.dueBy)}.`,
    notice,
    ...classRows(review.groups, 'Retention or review ended'),
    pageHeading: `Records, page ${review.page} of ${review.pages}`,
    records: review.records.map(recordLine),
    page: review.page,
    pages: review.pages,
    total: review.total,
    classId: review.classId ?? '',
    caseRef: review.caseRef ?? '',
    recordId: review.recordId ?? '',
    dueBy: review.dueBy,
    classChoices: classChoices(schedule),
  });
}

export interface ReviewDecisionCardData {
  selection: ReviewSelection;
  cover: DecisionCover;
  values: DecisionValues;
  problem: string;
  read?: { title: string; value: string }[];
}

/**
 * A decision to check before it is recorded: what it covers (counted by class, the first
 * records named), the decision (destroy; keep for more years; transfer to the archives, with the
 * accession reference; keep permanently) and its reason. Sent back with the problem when refused.
 */
export function reviewDecisionCard(data: ReviewDecisionCardData): CardJson {
  const { cover, selection } = data;
  const byIds = 'recordIds' in selection;
  const selectionData = byIds
    ? { recordIds: selection.recordIds.join(',') }
    : {
        classId: selection.classId,
        caseRef: selection.caseRef,
        dueBy: selection.dueBy,
        expected: cover.total,
      };
  const card = bind(decisionTemplate, {
    read: data.read ?? [],
    problem: data.problem,
    covers: byIds
      ? `For ${n(cover.total)} record(s):`
      : `For every record waiting for review${selection.caseRef ? ` in case ${selection.caseRef}` : ''} whose retention ended by ${formatDate(selection.dueBy)}: ${n(cover.total)} record(s).`,
    classes: cover.groups.map((g) => ({ title: g.classTitle, countText: n(g.count) })),
    records: cover.records.map(recordLine),
    moreRecords:
      cover.total > cover.records.length ? `And ${n(cover.total - cover.records.length)} more.` : '',
    decisions: DISPOSITION_DECISIONS.map((d) => ({ value: d, title: DISPOSITION_DECISION_LABELS[d] })),
    ...data.values,
    selection: selectionData,
    back: byIds ? { page: 1 } : { classId: selection.classId, caseRef: selection.caseRef, page: 1 },
  });
  // A number input holds a number or nothing.
  const years = Number(data.values.keepYears);
  for (const element of card.body as Record<string, unknown>[]) {
    if (element.id !== 'keepYears') continue;
    if (data.values.keepYears && Number.isFinite(years)) element.value = years;
    else delete element.value;
  }
  return card;
}

/** A decision just recorded: what, why, by whom, and the records it covers. */
export function reviewDecidedCard(decisions: readonly DecisionView[], notice: string): CardJson {
  const first = decisions[0];
  const facts = first
    ? [
        { title: 'Decision', value: first.decisionLabel },
        { title: 'Reason', value: first.reason },
        ...(first.reviewOn ? [{ title: 'Next review', value: formatDate(first.reviewOn) }] : []),
        ...(first.accessionRef
          ? [
              {
                title: 'Archive',
                value: `${first.archive ?? 'The archives'}, accession ${first.accessionRef}`,
              },
            ]
          : []),
        {
          title: 'Decided by',
          value: `${first.decidedBy.name} (${first.decidedBy.role}), ${formatDate(first.decidedOn)}`,
        },
      ]
    : [];
  const classes = [...new Set(decisions.map((d) => d.recordClass))];
  return bind(decidedTemplate, {
    notice,
    facts,
    records: decisions
      .slice(0, DECIDED_SHOWN)
      .map((d) => `${d.recordId} (case ${d.caseRef}) · ${d.classTitle}`)
      .concat(decisions.length > DECIDED_SHOWN ? [`And ${n(decisions.length - DECIDED_SHOWN)} more.`] : []),
    canBatch: first?.decision === 'destroy',
    classId: classes.length === 1 ? classes[0]! : '',
  });
}
