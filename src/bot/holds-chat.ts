import { holdReleased, placeHold } from '../actions/hold-actions.js';
import { refused, type Shown } from '../actions/results.js';
import type { HoldType, IsoDate } from '../rules/index.js';
import type { HoldService } from '../services/holds.js';

/** What the chat understood about a hold. */
export interface HoldEntities {
  caseRef?: string;
  recordId?: string;
  holdType?: HoldType;
  holdReference?: string;
  receivedOn?: IsoDate;
  reason?: string;
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

/** Holds asked for in chat by the Records Management Service; the hold cards' buttons are in actions/. */
export class HoldsChat {
  constructor(private readonly holds: HoldService) {}

  /** Places the hold at once when everything needed was said; otherwise the form, filled in. */
  async place(actorId: string, e: HoldEntities): Promise<Shown> {
    const denied = await this.holds.checkPlace(actorId);
    if (denied) return refused(denied);
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

  async list(actorId: string, e: HoldEntities): Promise<Shown> {
    const found = await this.matching(actorId, e);
    if (!found.ok) return refused(found, 'Not shown');
    const scope = e.recordId ? ` on record ${e.recordId}` : e.caseRef ? ` on case ${e.caseRef}` : '';
    return {
      show: 'holds',
      title: `Holds in force${scope}`,
      holds: found.holds,
      canRelease: true,
      emptyText: `No holds are in force${scope}. Say "place a litigation hold on case 1234567" to place one.`,
    };
  }

  /** An officer's holds work now: how many are in force; nothing for anyone else. */
  async work(actorId: string): Promise<string[]> {
    const found = await this.holds.list(actorId, { active: true, limit: 500 });
    if (!found.ok) return [];
    const count = found.holds.length;
    return [`${count >= 500 ? 'At least 500' : count} hold(s) in force.`];
  }

  /** Releases the one hold meant, when it is clear and a reason is given; otherwise the choices. */
  async release(actorId: string, e: HoldEntities): Promise<Shown> {
    const found = await this.matching(actorId, e);
    if (!found.ok) return refused(found);
    const holds = found.holds;
    if (holds.length === 1 && e.reason) {
      const result = await this.holds.release(actorId, holds[0]!.id, e.reason);
      if (!result.ok)
        return { show: 'message', title: 'Not released', lines: [result.message], style: 'attention' };
      return holdReleased(result.hold);
    }
    return {
      show: 'holds',
      title: holds.length
        ? 'Which hold? Press Release on it and give the reason.'
        : 'No matching hold in force',
      holds,
      canRelease: true,
      emptyText: 'Say "show holds" to see every hold in force.',
    };
  }
}
