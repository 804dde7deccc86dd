import formTemplate from '../../cards/removal-form.json' with { type: 'json' };
import statusTemplate from '../../cards/removal-status.json' with { type: 'json' };
import messageTemplate from '../../cards/message.json' with { type: 'json' };
import listTemplate from '../../cards/removal-list.json' with { type: 'json' };
import helpTemplate from '../../cards/help.json' with { type: 'json' };
import { formatDate, type IsoDate, type RequestProblem } from '../rules/index.js';
import type { AuthorisationView } from '../services/removal.js';
import { bind, type CardJson } from './render.js';

export type { CardJson } from './render.js';

/** Every `Action.Execute` verb the cards use; the bot routes on exactly these. */
export const VERBS = {
  submit: 'removal.submit',
  approve: 'removal.approve',
  decline: 'removal.decline',
  cancel: 'removal.cancel',
  returned: 'removal.returned',
  withdraw: 'removal.withdraw',
  refresh: 'removal.refresh',
  show: 'removal.show',
  holdPlace: 'hold.place',
  holdRelease: 'hold.release',
  due: 'destruction.due',
  batchCreate: 'destruction.batch.create',
  batchConfirm: 'destruction.batch.confirm',
  batchCancel: 'destruction.batch.cancel',
  batchShow: 'destruction.batch.show',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];

export interface RemovalFormData {
  formId: string;
  managerName: string | null;
  caseRef: string;
  caseUnknown: boolean;
  records: { id: string; title: string }[];
  recordIds: string[];
  purpose: string | null;
  destination: string;
  outOn: IsoDate | null;
  returnOn: IsoDate | null;
  justification: string;
  acknowledged: boolean;
  unknownCaseConfirmed: boolean;
  today: IsoDate;
  problems: RequestProblem[];
}

export function removalFormCard(data: RemovalFormData): CardJson {
  return bind(formTemplate, {
    ...data,
    managerLine: data.managerName
      ? `${data.managerName}, your line manager, will be asked to agree. One case per request.`
      : 'One case per request. Your line manager will be asked to agree.',
    recordIds: data.recordIds.join(','),
    purpose: data.purpose ?? '',
    outOn: data.outOn ?? '',
    returnOn: data.returnOn ?? '',
    acknowledged: String(data.acknowledged),
    unknownCaseConfirmed: String(data.unknownCaseConfirmed),
  });
}

/** What the person looking at a status card may do. */
export interface StatusViewer {
  canDecide: boolean;
  canCancel: boolean;
  canMarkReturned: boolean;
  canWithdraw: boolean;
  /** True when the viewer is the requester (the wording of "mark returned" differs). */
  isRequester: boolean;
}

const STATUS_STYLE: Record<AuthorisationView['status'], string> = {
  pending: 'accent',
  approved: 'good',
  declined: 'attention',
  withdrawn: 'default',
  return_requested: 'warning',
  returned: 'good',
};

function statusLine(a: AuthorisationView): string {
  const by = a.decidedBy ? ` by ${a.decidedBy.name}` : '';
  switch (a.status) {
    case 'pending':
      return `Waiting for ${a.approvers.map((p) => p.name).join(' or ') || 'a line manager'} to decide.`;
    case 'approved':
      return a.overdue
        ? `Approved${by}. OVERDUE: the records were due back on ${formatDate(a.returnOn)}.`
        : `Approved${by}. Back in the office by ${formatDate(a.returnOn)}.`;
    case 'declined':
      return `Declined${by}.`;
    case 'withdrawn':
      return 'Withdrawn by the requester.';
    case 'return_requested':
      return `Authorisation cancelled: the records must come back to the office${a.overdue ? ' now (overdue)' : ` by ${formatDate(a.returnOn)} at the latest`}.`;
    case 'returned':
      return 'The records are back in the office.';
  }
}

export function removalStatusCard(
  a: AuthorisationView,
  viewer: StatusViewer,
  options: { refreshUserIds: string[]; notice?: string; heading?: string },
): CardJson {
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
    justification: a.justification,
    extraFacts,
    ...viewer,
    returnedTitle: viewer.isRequester ? 'I have brought the records back' : 'Confirm the records are back',
  });
}

export interface MessageCardData {
  title: string;
  lines: string[];
  style?: 'default' | 'good' | 'attention' | 'warning' | 'accent' | 'emphasis';
  facts?: { title: string; value: string }[];
}

export function messageCard(data: MessageCardData): CardJson {
  return bind(messageTemplate, { style: 'default', facts: [], ...data });
}

export interface ListSection {
  heading: string;
  items: { id: string; line: string; detail: string }[];
}

/** A list of items in sections; pressing an item sends `openVerb` with its id. */
export function removalListCard(
  title: string,
  sections: ListSection[],
  emptyText: string,
  openVerb: Verb = VERBS.show,
): CardJson {
  return bind(listTemplate, { title, sections: sections.filter((s) => s.items.length), emptyText, openVerb });
}

export function listItem(a: AuthorisationView): ListSection['items'][number] {
  const overdue = a.overdue ? ' (OVERDUE)' : '';
  return {
    id: a.id,
    line: `Case ${a.caseRef}: ${a.statusLabel}${overdue}`,
    detail: `${a.requester.name} · ${a.purposeLabel} · ${a.destination} · ${formatDate(a.outOn)} to ${formatDate(a.returnOn)}`,
  };
}

export interface HelpData {
  title: string;
  intro: string;
  examples: { heading: string; text: string }[];
}

export function helpCard(data: HelpData): CardJson {
  return bind(helpTemplate, data);
}
