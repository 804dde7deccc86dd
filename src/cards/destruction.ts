import dueTemplate from '../../cards/destruction-due.json' with { type: 'json' };
import batchTemplate from '../../cards/destruction-batch.json' with { type: 'json' };
import registerTemplate from '../../cards/destruction-register.json' with { type: 'json' };
import { VERBS } from '../actions/verbs.js';
import { DESTRUCTION_METHOD_LABELS, DESTRUCTION_METHODS, formatDate, type Schedule } from '../rules/index.js';
import type { BatchSummary, BatchView, DueList, RegisterEntry } from '../services/destruction.js';
import { AWAITING_ANOTHER_OFFICER, batchListLine, batchStatusLine } from '../sentences/destruction.js';
import { itemListCard } from './list.js';
import { bind, type CardJson } from './render.js';

const n = (x: number) => x.toLocaleString('en-GB');

function monthLabel(month: string): string {
  return formatDate(`${month}-01`).replace(/^1 /, '');
}

export function dueCard(due: DueList, schedule: Schedule, classId: string, notice = ''): CardJson {
  return bind(dueTemplate, {
    summary: due.total
      ? `${n(due.total)} record(s) whose retention ended by ${formatDate(due.dueBy)}${classId ? ` in ${schedule.classes.find((c) => c.id === classId)?.title ?? classId}` : ''}, by class and the month it ended.`
      : `Nothing is due for destruction by ${formatDate(due.dueBy)}${classId ? ' in that class' : ''}.`,
    notice,
    groups: due.groups
      .slice(0, 40)
      .map((g) => ({ label: `${g.classTitle}, ${monthLabel(g.month)}`, countText: n(g.count) })),
    records: due.records.map((r) => ({
      line: `${r.recordId}: ${r.title} (case ${r.caseRef})`,
      detail: `${schedule.classes.find((c) => c.id === r.recordClass)?.title ?? r.recordClass}; retention ended ${formatDate(r.retentionEndsOn)}${r.held ? '; ON HOLD' : ''}${r.out ? '; OUT OF THE OFFICE' : ''}`,
    })),
    page: due.page,
    pages: due.pages,
    total: due.total,
    classId,
    dueBy: due.dueBy,
    classes: schedule.classes.map((c) => ({ id: c.id, title: c.title })),
  });
}

const STATUS_STYLE = { awaiting_confirmation: 'accent', confirmed: 'good', cancelled: 'default' } as const;

export interface BatchCardOptions {
  /** A signed link to the batch's certificate, once confirmed; '' for none. */
  certificateUrl: string;
  notice?: string;
}

/**
 * A destruction batch as the officer it was read for sees it: its records and checks, and the
 * buttons the rules allow them (`batch.can`). Its creator is told, while it waits, that another
 * officer must confirm it.
 */
export function batchCard(batch: BatchView, options: BatchCardOptions): CardJson {
  const c = batch.counts;
  const notice = options.notice || (batch.can.awaitsAnotherOfficer ? AWAITING_ANOTHER_OFFICER : '');
  const blocked = batch.items.filter((i) => !i.passed);
  const passing = batch.items.filter((i) => i.passed);
  const facts = [
    { title: 'Chosen by', value: `${batch.createdBy.name}, ${formatDate(batch.createdAt.slice(0, 10))}` },
    { title: 'Records', value: `${n(c.records)} (${n(c.passing)} pass, ${n(c.blocked)} blocked)` },
  ];
  if (batch.confirmedAt)
    facts.push({
      title: 'Confirmed',
      value: `${batch.confirmedBy?.name ?? ''}, ${formatDate(batch.confirmedAt.slice(0, 10))}`,
    });
  if (batch.certificateRef) facts.push({ title: 'Certificate', value: batch.certificateRef });
  return bind(batchTemplate, {
    id: batch.id,
    version: batch.version,
    reference: batch.reference,
    statusLine: batchStatusLine(batch),
    statusStyle: STATUS_STYLE[batch.status],
    notice,
    facts,
    blocked: blocked
      .slice(0, 30)
      .map((i) => ({ line: `${i.recordId}: ${i.title} (case ${i.caseRef})`, reasons: i.reasons.join(' ') })),
    passingHeading:
      batch.status === 'confirmed'
        ? `Destroyed (${n(passing.length)})`
        : `Pass every check (${n(passing.length)})`,
    passing: passing
      .slice(0, 30)
      .map((i) => `${i.recordId}: ${i.title} (case ${i.caseRef})`)
      .concat(passing.length > 30 ? [`… and ${n(passing.length - 30)} more`] : []),
    methods: DESTRUCTION_METHODS.map((m) => ({ value: m, title: DESTRUCTION_METHOD_LABELS[m] })),
    canConfirm: batch.can.canConfirm,
    canCancel: batch.can.canCancel,
    certificateUrl: options.certificateUrl,
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

export function registerCard(
  title: string,
  entries: RegisterEntry[],
  total: number,
  links: { csvUrl: string; xlsxUrl: string },
): CardJson {
  return bind(registerTemplate, {
    title,
    summary: total
      ? `${n(total)} entr${total === 1 ? 'y' : 'ies'}${total > entries.length ? `; the latest ${n(entries.length)} shown` : ''}.`
      : 'No entries.',
    entries: entries.map((e) => ({
      line: `${e.recordId} (case ${e.caseRef}): destroyed ${formatDate(e.destroyedOn)}`,
      detail: `${e.recordClass}; ${e.methodLabel}; batch ${e.batchReference ?? e.batchId}; authorised by ${e.authorisedBy.name}, confirmed by ${e.destroyedBy.name}; retention ended ${e.retentionEndedOn ? formatDate(e.retentionEndedOn) : 'unknown'} (${e.period})`,
    })),
    ...links,
  });
}
