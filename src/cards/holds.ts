import holdFormTemplate from '../../cards/hold-form.json' with { type: 'json' };
import holdsListTemplate from '../../cards/holds-list.json' with { type: 'json' };
import { formatDate, type IsoDate } from '../rules/index.js';
import type { HoldView } from '../services/holds.js';
import { bind, type CardJson } from './render.js';

/** The hold form's fields as typed (or understood from chat), and why it was not placed, if so. */
export interface HoldFormCardData {
  caseRef: string;
  recordId: string;
  type: string;
  reference: string;
  reason: string;
  sarReceivedOn: string;
  today: IsoDate;
  problem: string;
}

export function holdFormCard(data: HoldFormCardData): CardJson {
  return bind(holdFormTemplate, data);
}

function holdItem(h: HoldView, canRelease: boolean) {
  const scope = h.recordId ? `record ${h.recordId} of case ${h.caseRef}` : `case ${h.caseRef}`;
  const placed = `Placed by ${h.placedBy} on ${formatDate(h.placedAt.slice(0, 10))}: ${h.reason}`;
  const released = h.releasedAt
    ? ` Released by ${h.releasedBy ?? 'someone'} on ${formatDate(h.releasedAt.slice(0, 10))}: ${h.releaseReason ?? ''}`
    : '';
  const deadline =
    h.sar && h.active
      ? `Subject access request received ${formatDate(h.sar.receivedOn)}: respond by ${formatDate(h.sar.extended ? h.sar.extendedRespondBy : h.sar.respondBy)}${h.sar.extended ? ' (extended by two months)' : ` (or ${formatDate(h.sar.extendedRespondBy)} if extended)`}.`
      : '';
  return {
    id: h.id,
    line: `${h.active ? '' : '(released) '}${h.typeLabel} ${h.reference}: ${scope}`,
    detail: placed + released,
    deadline,
    canRelease: canRelease && h.active,
  };
}

export interface HoldsListOptions {
  /** Offer Release on the holds still in force. */
  canRelease: boolean;
  emptyText: string;
  notice?: string;
  noticeStyle?: 'good' | 'attention';
}

export function holdsListCard(title: string, holds: HoldView[], options: HoldsListOptions): CardJson {
  return bind(holdsListTemplate, {
    title,
    holds: holds.map((h) => holdItem(h, options.canRelease)),
    emptyText: options.emptyText,
    notice: options.notice ?? '',
    noticeStyle: options.noticeStyle ?? 'good',
  });
}
