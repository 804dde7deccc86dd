import holdFormTemplate from '../../cards/hold-form.json' with { type: 'json' };
import blanketFormTemplate from '../../cards/blanket-hold-form.json' with { type: 'json' };
import holdsListTemplate from '../../cards/holds-list.json' with { type: 'json' };
import { formatDate, type IsoDate, type Schedule } from '../rules/index.js';
import type { BlanketHoldView, HoldView } from '../services/holds.js';
import { classChoices } from './destruction.js';
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

/** The form for a hold on whole classes of records, as typed (or understood), and why it was not placed. */
export interface BlanketHoldFormCardData {
  type: string;
  name: string;
  reference: string;
  reason: string;
  startsOn: string;
  endsOn: string;
  /** Class ids, comma-separated. */
  classes: string;
  problem: string;
}

export function blanketHoldFormCard(data: BlanketHoldFormCardData, schedule: Schedule): CardJson {
  return bind(blanketFormTemplate, { ...data, classChoices: classChoices(schedule) });
}

/** What a hold's card lets its officer do: open it from a list, or act on it when shown alone. */
interface Doing {
  open: boolean;
  inline: boolean;
  /** The latest date the forms accept. */
  today: IsoDate;
}

function sarDeadline(h: HoldView): string {
  if (!h.sar || !h.active) return '';
  const s = h.sar;
  const due = formatDate(s.extended ? s.extendedRespondBy : s.respondBy);
  const told = s.extension ? `; the requester was told on ${formatDate(s.extension.toldOn)}` : '';
  const paused = s.pausedSince
    ? ` The clock is stopped since ${formatDate(s.pausedSince)}: the deadline moves on until it restarts.`
    : '';
  return `Subject access request received ${formatDate(s.receivedOn)}: respond by ${due}${s.extended ? ` (extended by two months${told})` : ` (or ${formatDate(s.extendedRespondBy)} if extended)`}.${paused}`;
}

function holdItem(h: HoldView, doing: Doing) {
  const scope = h.recordId ? `record ${h.recordId} of case ${h.caseRef}` : `case ${h.caseRef}`;
  const placed = `Placed by ${h.placedBy} on ${formatDate(h.placedAt.slice(0, 10))}: ${h.reason}`;
  const released = h.releasedAt
    ? ` Released by ${h.releasedBy ?? 'someone'} on ${formatDate(h.releasedAt.slice(0, 10))}: ${h.releaseReason ?? ''}`
    : '';
  const sar = h.active && doing.inline ? h.sar : null;
  return {
    id: h.id,
    line: `${h.active ? '' : '(released) '}${h.typeLabel} ${h.reference}: ${scope}`,
    detail: placed + released,
    deadline: sarDeadline(h),
    open: doing.open && h.active,
    inline: doing.inline && h.active,
    canExtend: !!sar && !sar.extended,
    canPause: !!sar && !sar.pausedSince,
    canResume: !!sar?.pausedSince,
    today: doing.today,
  };
}

function blanketItem(h: BlanketHoldView, doing: Doing) {
  const classes = h.classTitles?.length ? h.classTitles.join('; ') : 'every class';
  const period = `from ${formatDate(h.startsOn)} ${h.endsOn ? `to ${formatDate(h.endsOn)}` : 'with no end set'}`;
  const state = h.releasedAt
    ? ` Released by ${h.releasedBy ?? 'someone'} on ${formatDate(h.releasedAt.slice(0, 10))}: ${h.releaseReason ?? ''}`
    : h.inForce
      ? ''
      : ' Not in force today.';
  const active = h.releasedAt === null;
  return {
    id: h.id,
    line: `${active ? '' : '(released) '}${h.typeLabel} ${h.reference}: ${h.name}`,
    detail: `Classes: ${classes}; ${period}. Placed by ${h.placedBy}: ${h.reason}.${state}`,
    open: doing.open && active,
    inline: doing.inline && active,
  };
}

export interface HoldsListOptions {
  /** Offer what can be done to the holds still in force. */
  canRelease: boolean;
  emptyText: string;
  notice?: string;
  noticeStyle?: 'good' | 'attention';
  /** Holds on whole classes of records. */
  blanket?: BlanketHoldView[];
  /** Today: no date after it is accepted (the day a requester was told, a clock stopped). */
  today: IsoDate;
}

/**
 * Holds on cases and records, then holds on whole classes. A hold in force shown alone carries
 * its forms (release; a subject access request's extension and stopped clock); in a list each
 * opens on its own card, so no two forms share a card.
 */
export function holdsListCard(title: string, holds: HoldView[], options: HoldsListOptions): CardJson {
  const blanket = options.blanket ?? [];
  const active = holds.filter((h) => h.active).length + blanket.filter((b) => b.releasedAt === null).length;
  const doing: Doing = {
    open: options.canRelease && active > 1,
    inline: options.canRelease && active === 1,
    today: options.today,
  };
  return bind(holdsListTemplate, {
    title,
    holds: holds.map((h) => holdItem(h, doing)),
    blanket: blanket.map((b) => blanketItem(b, doing)),
    emptyText: options.emptyText,
    notice: options.notice ?? '',
    noticeStyle: options.noticeStyle ?? 'good',
  });
}
