import dueTemplate from '../../cards/destruction-due.json' with { type: 'json' };
import batchTemplate from '../../cards/destruction-batch.json' with { type: 'json' };
import previewTemplate from '../../cards/destruction-preview.json' with { type: 'json' };
import registerTemplate from '../../cards/destruction-register.json' with { type: 'json' };
import { RECORDS_PER_PAGE } from '../actions/destruction-actions.js';
import { VERBS } from '../actions/verbs.js';
import {
  DESTRUCTION_METHOD_LABELS,
  DESTRUCTION_METHODS,
  describeDisposition,
  EXTERNAL_LOGS,
  formatDate,
  type Schedule,
} from '../rules/index.js';
import type {
  BatchItemView,
  BatchPreview,
  BatchSummary,
  BatchView,
  DueList,
  RegisterEntry,
} from '../services/destruction.js';
import {
  BLOCKED_BECAUSE,
  batchListLine,
  batchNextStep,
  batchStatusLine,
  previewSummary,
} from '../sentences/destruction.js';
import { itemListCard } from './list.js';
import { bind, type CardJson } from './render.js';
import { classRows, n, pagesOf } from './summary.js';

/** The classes offered in a filter, by name. */
export function classChoices(schedule: Schedule): { id: string; title: string }[] {
  return schedule.classes
    .map((c) => ({ id: c.id, title: c.title }))
    .sort((a, b) => a.title.localeCompare(b.title));
}

function flagsOf(r: { held: boolean; out: boolean }): string {
  return [r.held ? 'ON HOLD' : '', r.out ? 'OUT OF THE OFFICE' : ''].filter(Boolean).join(' · ');
}

/**
 * Records due for destruction: a line for each class (the months retention ended, how many), then
 * a page of the records, the filter, and a preview of a batch of them (nothing is created).
 */
export function dueCard(due: DueList, schedule: Schedule, classId: string, notice = ''): CardJson {
  const title = classId ? (schedule.classes.find((c) => c.id === classId)?.title ?? classId) : '';
  return bind(dueTemplate, {
    summary: due.total
      ? `${n(due.total)} record(s) whose retention ended by ${formatDate(due.dueBy)}${title ? ` in ${title}` : ''}.`
      : `Nothing is due for destruction by ${formatDate(due.dueBy)}${title ? ` in ${title}` : ''}.`,
    notice,
    ...classRows(due.groups),
    pageHeading: `Records, page ${due.page} of ${due.pages}`,
    records: due.records.map((r) => ({
      line: `${r.recordId}: ${r.title}`,
      detail: `Case ${r.caseRef} · ${r.classTitle} · retention ended ${formatDate(r.retentionEndsOn)}`,
      flags: flagsOf(r),
    })),
    page: due.page,
    pages: due.pages,
    total: due.total,
    classId,
    dueBy: due.dueBy,
    classChoices: classChoices(schedule),
  });
}

const STATUS_STYLE = { awaiting_confirmation: 'accent', confirmed: 'good', cancelled: 'default' } as const;

export interface BatchCardOptions {
  /** A signed link to the batch's certificate, once confirmed; '' for none. */
  certificateUrl: string;
  notice?: string;
  /** The page of its records to show (10 a page). */
  page?: number;
  /** Teams user ids (`29:…`) whose clients refresh the card to their own view. */
  refreshUserIds?: string[];
}

function itemOutcome(batch: BatchView, item: BatchItemView): { outcome: string; outcomeStyle: string } {
  if (item.outcome === 'destroyed') return { outcome: 'Destroyed', outcomeStyle: 'good' };
  if (!item.passed) {
    const kept = batch.status === 'awaiting_confirmation' ? 'Blocked' : 'Kept';
    return { outcome: `${kept}: ${item.reasons.join(' ')}`, outcomeStyle: 'attention' };
  }
  return { outcome: '', outcomeStyle: 'default' };
}

function itemMethod(batch: BatchView, item: BatchItemView): string {
  const method = batch.status === 'confirmed' ? (batch.method ?? item.proposedMethod) : item.proposedMethod;
  return method ? DESTRUCTION_METHOD_LABELS[method] : 'no method fits its format';
}

/**
 * A destruction batch as the officer it was read for sees it: a line for each class, its records
 * a page at a time (blocked first) with each one's method by its format, who must confirm it and
 * who was asked, and the buttons the rules allow them (`batch.can`): the confirming officer ticks
 * the four logs held outside the app. Refreshes to the current state for the people listed.
 */
export function batchCard(batch: BatchView, options: BatchCardOptions): CardJson {
  const c = batch.counts;
  const items = [...batch.items].sort(
    (a, b) => Number(a.passed) - Number(b.passed) || a.recordId.localeCompare(b.recordId),
  );
  const pages = pagesOf(items.length, RECORDS_PER_PAGE);
  const page = Math.min(Math.max(1, options.page ?? 1), pages);
  const groups = new Map<
    string,
    { classId: string; classTitle: string; month: string; count: number; blocked: number }
  >();
  for (const i of batch.items) {
    const month = (i.retentionEndsOn ?? '').slice(0, 7);
    const key = `${i.recordClass} ${month}`;
    const g = groups.get(key) ?? {
      classId: i.recordClass,
      classTitle: i.classTitle,
      month,
      count: 0,
      blocked: 0,
    };
    g.count += 1;
    if (!i.passed) g.blocked += 1;
    groups.set(key, g);
  }
  const filter = batch.filter;
  const scope =
    'recordIds' in filter
      ? `${n(filter.recordIds.length)} record(s) chosen by id`
      : `${filter.classId ? (batch.items.find((i) => i.recordClass === filter.classId)?.classTitle ?? filter.classId) : 'Every class'}, due by ${formatDate(filter.dueBy)}`;
  const facts = [
    { title: 'Chosen by', value: `${batch.createdBy.name}, ${formatDate(batch.createdAt.slice(0, 10))}` },
    { title: 'Scope', value: scope },
    { title: 'Records', value: `${n(c.records)} (${n(c.passing)} pass, ${n(c.blocked)} blocked)` },
  ];
  if (batch.confirmedAt)
    facts.push({
      title: 'Confirmed',
      value: `${batch.confirmedBy?.name ?? ''}, ${formatDate(batch.confirmedAt.slice(0, 10))}`,
    });
  if (batch.logChecks)
    facts.push({
      title: 'Logs checked',
      value: `${EXTERNAL_LOGS.filter((l) => batch.logChecks!.ticks[l]).length} of ${EXTERNAL_LOGS.length} outside logs, by ${batch.logChecks.checkedBy.name}`,
    });
  if (batch.certificateRef) facts.push({ title: 'Certificate', value: batch.certificateRef });
  return bind(batchTemplate, {
    id: batch.id,
    version: batch.version,
    reference: batch.reference,
    refreshUserIds: options.refreshUserIds ?? [],
    statusLine: batchStatusLine(batch),
    statusStyle: STATUS_STYLE[batch.status],
    notice: options.notice ?? '',
    nextStep: batchNextStep(batch),
    facts,
    ...classRows([...groups.values()]),
    pageHeading: `Records, page ${page} of ${pages}${c.blocked && batch.status === 'awaiting_confirmation' ? ' (blocked first)' : ''}`,
    records: items.slice((page - 1) * RECORDS_PER_PAGE, page * RECORDS_PER_PAGE).map((i) => ({
      line: `${i.recordId}: ${i.title} (case ${i.caseRef})`,
      detail: `${i.classTitle} · ${i.format}: ${itemMethod(batch, i)}`,
      ...itemOutcome(batch, i),
    })),
    page,
    pages,
    methods: DESTRUCTION_METHODS.map((m) => ({ value: m, title: DESTRUCTION_METHOD_LABELS[m] })),
    canConfirm: batch.can.canConfirm,
    canCancel: batch.can.canCancel,
    certificateUrl: options.certificateUrl,
  });
}

/**
 * What a new batch would hold, before anything is created: the scope asked for, a line for each
 * class, what is blocked and why, what is left out, and an explicit Create.
 */
export function batchPreviewCard(preview: BatchPreview): CardJson {
  const shownBlocked = preview.blockedRecords.length;
  return bind(previewTemplate, {
    scope: [
      { title: 'Record class', value: preview.scope.classTitle ?? 'Every class' },
      { title: 'Retention ended by', value: formatDate(preview.scope.dueBy) },
    ],
    summary: previewSummary(preview),
    notice: preview.notice ?? '',
    ...classRows(preview.groups),
    blockedBy: preview.blockedBy.map((b) => `${n(b.count)} record(s): ${BLOCKED_BECAUSE[b.check]}`),
    blockedRecords: preview.blockedRecords.map((b) => ({
      line: `${b.recordId}: ${b.title} (case ${b.caseRef}) · ${b.classTitle}`,
      reasons: b.reasons.join(' '),
    })),
    moreBlocked:
      preview.blocked > shownBlocked
        ? `And ${n(preview.blocked - shownBlocked)} more blocked record(s).`
        : '',
    leftOut: [
      preview.inOpenBatches
        ? `${n(preview.inOpenBatches)} record(s) due are left out: they are in a batch waiting for confirmation.`
        : '',
      preview.waitingForReview
        ? `${n(preview.waitingForReview)} record(s) of reviewed classes wait for a review decision and are not due until one says destroy: say "what needs review?".`
        : '',
    ].filter(Boolean),
    records: preview.records,
    classId: preview.scope.classId ?? '',
    dueBy: preview.scope.dueBy,
  });
}

/** Batches waiting for confirmation, then the recent ones; pressing one opens its card. */
export function batchListCard(batches: BatchSummary[]): CardJson {
  const item = (b: BatchSummary) => ({
    ...batchListLine(b),
    open: { verb: VERBS.batchShow, data: { id: b.id } },
  });
  return itemListCard(
    'Destruction batches',
    [
      {
        heading: 'Waiting for confirmation',
        items: batches.filter((b) => b.status === 'awaiting_confirmation').map(item),
      },
      { heading: 'Recent', items: batches.filter((b) => b.status !== 'awaiting_confirmation').map(item) },
    ],
    'No destruction batches yet. Say "what is due for destruction?" to start one.',
  );
}

export interface RegisterLinks {
  csvUrl: string;
  xlsxUrl: string;
  /** The register of review decisions (transfers to the archives among them) as CSV. */
  decisionsCsvUrl?: string;
}

/** Entries of the destruction register, by the names people use, with the exports. */
export function registerCard(
  title: string,
  entries: RegisterEntry[],
  total: number,
  links: RegisterLinks,
): CardJson {
  return bind(registerTemplate, {
    title,
    summary: total
      ? `${n(total)} entr${total === 1 ? 'y' : 'ies'}${total > entries.length ? `; the latest ${n(entries.length)} shown` : ''}.`
      : 'No entries.',
    entries: entries.map((e) => ({
      line: `${e.recordId} (case ${e.caseRef}): destroyed ${formatDate(e.destroyedOn)}`,
      detail: [
        `${e.classTitle}; ${e.methodLabel}; batch ${e.batchReference ?? e.batchId}`,
        `authorised by ${e.authorisedBy.name}, confirmed by ${e.destroyedBy.name}`,
        `retention ended ${e.retentionEndedOn ? formatDate(e.retentionEndedOn) : 'unknown'} (${e.ruleLabel ?? e.period}${e.keptWithTitle ? `, kept with the ${e.keptWithTitle.toLowerCase()}` : ''})`,
      ].join('; '),
      decision: e.reviewDecision ? describeDisposition(e.reviewDecision) : '',
    })),
    csvUrl: links.csvUrl,
    xlsxUrl: links.xlsxUrl,
    decisionsCsvUrl: links.decisionsCsvUrl ?? '',
  });
}
