import type { Kysely } from 'kysely';
import { holdFormCard, holdsListCard } from '../cards/holds.js';
import { messageCard, type CardJson } from '../cards/index.js';
import type { HoldType, IsoDate } from '../rules/index.js';
import type { HoldService } from '../services/holds.js';
import type { Database } from '../store/schema.js';
import { getStaff } from '../store/staff.js';

/** What the chat understood about a hold. */
export interface HoldEntities {
  caseRef?: string;
  recordId?: string;
  holdType?: HoldType;
  holdReference?: string;
  receivedOn?: IsoDate;
  reason?: string;
}

export const RMS_ONLY =
  'Only the Records Management Service can do that. If a record must be kept or destroyed, ask them.';

/** Holds in chat, for the Records Management Service. */
export class HoldsChat {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly holds: HoldService,
  ) {}

  private async isRm(actorId: string): Promise<boolean> {
    return (await getStaff(this.db, actorId))?.roles.includes('records_management') ?? false;
  }

  form(e: HoldEntities, today: IsoDate, problem = ''): CardJson {
    return holdFormCard({
      caseRef: e.caseRef ?? '',
      recordId: e.recordId ?? '',
      type: e.holdType ?? '',
      reference: e.holdReference ?? '',
      reason: e.reason ?? '',
      sarReceivedOn: e.receivedOn ?? '',
      today,
      problem,
    });
  }

  /** Places the hold at once when everything needed was said; otherwise the form, filled in. */
  async place(actorId: string, e: HoldEntities, today: IsoDate): Promise<CardJson> {
    if (!(await this.isRm(actorId)))
      return messageCard({ title: 'Not done', lines: [RMS_ONLY], style: 'attention' });
    const complete =
      (e.caseRef || e.recordId) &&
      e.holdType &&
      e.holdReference &&
      e.reason &&
      (e.holdType !== 'subject_access_request' || e.receivedOn);
    if (!complete) return this.form(e, today);
    const result = await this.holds.place(actorId, {
      caseRef: e.caseRef ?? '',
      recordId: e.recordId ?? null,
      type: e.holdType!,
      reference: e.holdReference!,
      reason: e.reason!,
      sarReceivedOn: e.receivedOn ?? null,
    });
    if (!result.ok) return this.form(e, today, result.message);
    return holdsListCard('Hold placed', [result.hold], {
      canRelease: true,
      emptyText: '',
      notice: 'Nothing under this hold can be destroyed until it is released.',
    });
  }

  async list(actorId: string, e: HoldEntities): Promise<CardJson> {
    if (!(await this.isRm(actorId)))
      return messageCard({ title: 'Not shown', lines: [RMS_ONLY], style: 'attention' });
    const holds = await this.holds.list({
      caseRef: e.caseRef,
      recordId: e.recordId,
      type: e.holdType,
      active: true,
      search: e.holdReference,
    });
    const scope = e.recordId ? ` on record ${e.recordId}` : e.caseRef ? ` on case ${e.caseRef}` : '';
    return holdsListCard(`Holds in force${scope}`, holds, {
      canRelease: true,
      emptyText: `No holds are in force${scope}. Say "place a litigation hold on case 1234567" to place one.`,
    });
  }

  /** Releases the one hold meant, when it is clear and a reason is given; otherwise the choices. */
  async release(actorId: string, e: HoldEntities): Promise<CardJson> {
    if (!(await this.isRm(actorId)))
      return messageCard({ title: 'Not done', lines: [RMS_ONLY], style: 'attention' });
    const holds = await this.holds.list({
      caseRef: e.caseRef,
      recordId: e.recordId,
      type: e.holdType,
      active: true,
      search: e.holdReference,
    });
    if (holds.length === 1 && e.reason) {
      const result = await this.holds.release(actorId, holds[0]!.id, e.reason);
      if (!result.ok)
        return messageCard({ title: 'Not released', lines: [result.message], style: 'attention' });
      return holdsListCard('Hold released', [result.hold], { canRelease: false, emptyText: '' });
    }
    return holdsListCard(
      holds.length ? 'Which hold? Press Release on it and give the reason.' : 'No matching hold in force',
      holds,
      {
        canRelease: true,
        emptyText: 'Say "show holds" to see every hold in force.',
      },
    );
  }
}
