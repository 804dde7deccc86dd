import { holdReleased, placeHold, releaseBlanket } from '../actions/hold-actions.js';
import { refused, type Shown } from '../actions/results.js';
import { BLANKET_HOLD_TYPES, type HoldType, type IsoDate } from '../rules/index.js';
import type { BlanketHoldView, HoldService, HoldView } from '../services/holds.js';
import { HOLDS_STOP_DESTRUCTION } from '../sentences/holds.js';

/** What the chat understood about a hold. */
export interface HoldEntities {
  caseRef?: string;
  recordId?: string;
  holdType?: HoldType;
  holdReference?: string;
  receivedOn?: IsoDate;
  reason?: string;
  /** Record classes named: a hold on whole classes. */
  classIds?: readonly string[];
}

function formValues(e: HoldEntities) {
  return {
    caseRef: e.caseRef ?? '',
    recordId: e.recordId ?? '',
    type: e.holdType ?? '',
    reference: e.holdReference ?? '',
    reason: e.reason ?? '',
    sarReceivedOn: e.receivedOn ?? '',
  };
}

/** A hold on whole classes is meant: classes named, or an inquiry, with no case or record. */
function onClasses(e: HoldEntities): boolean {
  return !e.caseRef && !e.recordId && (!!e.classIds?.length || e.holdType === 'inquiry');
}

const lower = (s: string) => s.toLowerCase();

/** A hold on whole classes that has not ended and was not released: in force, or about to be. */
function current(h: BlanketHoldView, day: IsoDate): boolean {
  return h.releasedAt === null && (h.endsOn === null || h.endsOn >= day);
}

/**
 * Holds asked for in chat by the Records Management Service: on cases and records, and on whole
 * classes (a public inquiry's moratorium). The hold cards' buttons are in actions/.
 */
export class HoldsChat {
  constructor(
    private readonly holds: HoldService,
    private readonly today: () => IsoDate,
  ) {}

  /**
   * Places the hold at once when everything needed was said; otherwise the form, filled in. A
   * hold on whole classes always comes as its form, to check its classes and dates.
   */
  async place(actorId: string, e: HoldEntities): Promise<Shown> {
    const denied = await this.holds.checkPlace(actorId);
    if (denied) return refused(denied);
    if (onClasses(e)) {
      const type =
        e.holdType && (BLANKET_HOLD_TYPES as readonly string[]).includes(e.holdType) ? e.holdType : '';
      return {
        show: 'blanket_hold_form',
        values: {
          type,
          name: '',
          reference: e.holdReference ?? '',
          reason: e.reason ?? '',
          startsOn: this.today(),
          endsOn: '',
          classes: (e.classIds ?? []).join(','),
        },
        problem: '',
      };
    }
    const complete =
      (e.caseRef || e.recordId) &&
      e.holdType &&
      e.holdReference &&
      e.reason &&
      (e.holdType !== 'subject_access_request' || e.receivedOn);
    if (!complete) return { show: 'hold_form', values: formValues(e), problem: '' };
    return placeHold({ holds: this.holds }, actorId, formValues(e));
  }

  private matching(actorId: string, e: HoldEntities) {
    return this.holds.list(actorId, {
      caseRef: e.caseRef,
      recordId: e.recordId,
      // A reference names the hold: its type is no further filter.
      type: e.holdReference ? undefined : e.holdType,
      active: true,
      search: e.holdReference,
    });
  }

  /**
   * Holds on whole classes matching what was said: by reference or name, or by type. None when
   * a case or record was named (those are listed by their own holds).
   */
  private async matchingBlanket(actorId: string, e: HoldEntities): Promise<BlanketHoldView[]> {
    if (e.caseRef || e.recordId) return [];
    const found = await this.holds.listBlanket(actorId);
    if (!found.ok) return [];
    const day = this.today();
    return found.holds.filter(
      (h) =>
        current(h, day) &&
        (e.holdReference
          ? [h.reference, h.name].some((t) => lower(t).includes(lower(e.holdReference!)))
          : !e.holdType || h.type === e.holdType),
    );
  }

  async list(actorId: string, e: HoldEntities): Promise<Shown> {
    const found = await this.matching(actorId, e);
    if (!found.ok) return refused(found, 'Not shown');
    const blanket = await this.matchingBlanket(actorId, e);
    const scope = e.recordId ? ` on record ${e.recordId}` : e.caseRef ? ` on case ${e.caseRef}` : '';
    return {
      show: 'holds',
      title: `Holds in force${scope}`,
      holds: found.holds,
      blanket,
      canRelease: true,
      emptyText: `No holds are in force${scope}. ${HOLDS_STOP_DESTRUCTION} Say "place a litigation hold on case 1234567" to place one, or "place an inquiry hold on child protection records" for whole classes.`,
    };
  }

  /** An officer's holds work now: how many are in force; nothing for anyone else. */
  async work(actorId: string): Promise<string[]> {
    const found = await this.holds.list(actorId, { active: true, limit: 500 });
    if (!found.ok) return [];
    const count = found.holds.length;
    const classes = await this.holds.listBlanket(actorId, { inForce: true });
    const wide = classes.ok && classes.holds.length ? `; ${classes.holds.length} on whole classes` : '';
    return [`${count >= 500 ? 'At least 500' : count} hold(s) in force${wide}.`];
  }

  /** Releases the one hold meant, when it is clear and a reason is given; otherwise the choices. */
  async release(actorId: string, e: HoldEntities): Promise<Shown> {
    const found = await this.matching(actorId, e);
    if (!found.ok) return refused(found);
    const blanket = await this.matchingBlanket(actorId, e);
    const holds: HoldView[] = found.holds;
    if (holds.length + blanket.length === 1 && e.reason) {
      if (blanket.length) return releaseBlanket({ holds: this.holds }, actorId, blanket[0]!.id, e.reason);
      const result = await this.holds.release(actorId, holds[0]!.id, e.reason);
      if (!result.ok)
        return { show: 'message', title: 'Not released', lines: [result.message], style: 'attention' };
      return holdReleased(result.hold);
    }
    const count = holds.length + blanket.length;
    return {
      show: 'holds',
      title: count
        ? count === 1
          ? 'Release this hold? Press Release and give the reason.'
          : 'Which hold? Open it, then release it with the reason.'
        : 'No matching hold in force',
      holds,
      blanket,
      canRelease: true,
      emptyText: 'Say "show holds" to see every hold in force.',
    };
  }
}
