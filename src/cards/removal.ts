import formTemplate from '../../cards/removal-form.json' with { type: 'json' };
import recallTemplate from '../../cards/recall.json' with { type: 'json' };
import statusTemplate from '../../cards/removal-status.json' with { type: 'json' };
import { VERBS } from '../actions/verbs.js';
import { formatDate, type IsoDate, type RequestProblem } from '../rules/index.js';
import type { AuthorisationView, RemovalFormContext, RemovalRequestInput } from '../services/removal.js';
import { statusLine } from '../sentences/removal.js';
import { itemListCard, type ListItem, type ListSection } from './list.js';
import { bind, type CardJson } from './render.js';

/** The removal form: the case's records to choose from, what was typed, and the problems to fix. */
export interface RemovalFormCardData {
  /** A fresh id for each form shown, so Teams keeps the inputs of one form apart from another's. */
  formId: string;
  form: RemovalFormContext;
  values: RemovalRequestInput;
  problems: RequestProblem[];
  today: IsoDate;
  /** What was read from the person's message, and from which words ("Back by": "Friday 11 December 2026, from “back fri”"). */
  read?: { title: string; value: string }[];
  /** Questions about dates that may be wrong; those dates are left empty for the person to choose. */
  doubts?: string[];
}

export function removalFormCard({
  formId,
  form,
  values,
  problems,
  today,
  read = [],
  doubts = [],
}: RemovalFormCardData): CardJson {
  return bind(formTemplate, {
    ...values,
    read,
    doubts,
    formId,
    caseRef: form.caseRef,
    caseUnknown: form.caseUnknown,
    records: form.records,
    today,
    problems,
    managerLine: form.managerName
      ? `${form.managerName}, your line manager, will be asked to agree. One case per request.`
      : 'One case per request. Your line manager will be asked to agree.',
    recordIds: values.recordIds.join(','),
    purpose: values.purpose ?? '',
    outOn: values.outOn ?? '',
    returnOn: values.returnOn ?? '',
    acknowledged: String(values.acknowledged),
    unknownCaseConfirmed: String(values.unknownCaseConfirmed),
  });
}

const STATUS_STYLE: Record<AuthorisationView['status'], string> = {
  pending: 'accent',
  approved: 'good',
  declined: 'attention',
  withdrawn: 'default',
  return_requested: 'warning',
  returned: 'good',
};

export interface StatusCardOptions {
  /** Teams user ids (`29:…`) whose client refreshes the card to their own view. */
  refreshUserIds: string[];
  notice?: string;
  heading?: string;
}

/**
 * A removal authorisation as the person it was read for sees it: its state, and the buttons the
 * rules allow them (`a.can`).
 */
export function removalStatusCard(a: AuthorisationView, options: StatusCardOptions): CardJson {
  const extraFacts: { title: string; value: string }[] = [{ title: 'Status', value: a.statusLabel }];
  if (a.reason)
    extraFacts.push({ title: a.status === 'declined' ? 'Reason for declining' : 'Reason', value: a.reason });
  extraFacts.push({ title: 'Request id', value: a.id });
  return bind(statusTemplate, {
    id: a.id,
    version: a.version,
    refreshUserIds: options.refreshUserIds,
    heading: options.heading ?? `Removal of case records: case ${a.caseRef}`,
    statusLine: statusLine(a),
    statusStyle: a.overdue ? 'attention' : STATUS_STYLE[a.status],
    notice: options.notice ?? '',
    caseRef: a.caseRef,
    recordsText: a.records.length
      ? a.records.map((r) => `${r.title} (${r.id})`).join(', ')
      : 'The whole case file',
    requesterName: a.requester.name,
    purposeLabel: a.purposeLabel,
    destination: a.destination,
    outText: formatDate(a.outOn),
    returnText: formatDate(a.returnOn),
    returnOn: a.returnOn,
    justification: a.justification,
    extraFacts,
    canDecide: a.can.canDecide,
    canCancel: a.can.canCancel,
    canMarkReturned: a.can.canMarkReturned,
    canWithdraw: a.can.canWithdraw,
    returnedTitle: a.can.isRequester ? 'I have brought the records back' : 'Confirm the records are back',
  });
}

export interface RecallCardData {
  /** The authorisation to recall, as the manager sees it. */
  authorisation: AuthorisationView;
  /** The date to have the records back by, as read ('' when in doubt: the manager chooses). */
  returnBy: IsoDate;
  reason: string;
  today: IsoDate;
  /** What was read from the manager's message, and from which words. */
  read: { title: string; value: string }[];
  /** Questions about a date in doubt. */
  doubts: string[];
}

/**
 * A recall to check before it is sent: the authorisation, the date the records must be back by
 * (today at the earliest, never later than agreed) and the reason, both editable; sending it is
 * the authorisation's own cancel action.
 */
export function recallCard({
  authorisation: a,
  returnBy,
  reason,
  today,
  read,
  doubts,
}: RecallCardData): CardJson {
  return bind(recallTemplate, {
    id: a.id,
    version: a.version,
    heading: `Recall ${a.requester.name}'s records for case ${a.caseRef}?`,
    caseRef: a.caseRef,
    recordsText: a.records.length
      ? a.records.map((r) => `${r.title} (${r.id})`).join(', ')
      : 'The whole case file',
    requesterName: a.requester.name,
    destination: a.destination,
    returnText: formatDate(a.returnOn),
    returnOn: a.returnOn,
    canSetDate: a.returnOn >= today,
    returnBy,
    reason,
    today,
    read,
    doubts,
  });
}

function authorisationItem(a: AuthorisationView): ListItem {
  const overdue = a.overdue ? ' (OVERDUE)' : '';
  return {
    line: `Case ${a.caseRef}: ${a.statusLabel}${overdue}`,
    detail: `${a.requester.name} · ${a.purposeLabel} · ${a.destination} · ${formatDate(a.outOn)} to ${formatDate(a.returnOn)}`,
    open: { verb: VERBS.show, data: { authorisationId: a.id } },
  };
}

/** Authorisations in sections ("Open", "Overdue", …); pressing one opens its card. */
export function authorisationListCard(
  title: string,
  sections: { heading: string; items: AuthorisationView[] }[],
  emptyText: string,
): CardJson {
  const listed: ListSection[] = sections.map((s) => ({
    heading: s.heading,
    items: s.items.map(authorisationItem),
  }));
  return itemListCard(title, listed, emptyText);
}
