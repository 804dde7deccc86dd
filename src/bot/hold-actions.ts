import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { z } from 'zod';
import { holdsListCard } from '../cards/holds.js';
import { messageCard, VERBS } from '../cards/index.js';
import { HOLD_TYPES, type HoldType } from '../rules/index.js';
import { today, type Clock } from '../services/clock.js';
import type { HoldService } from '../services/holds.js';
import type { HoldsChat } from './holds-chat.js';
import { cardResponse, errorResponse } from './invoke.js';
import type { VerbHandlers } from './card-actions.js';

const text = (max: number) =>
  z
    .string()
    .max(max, `is longer than ${max} characters`)
    .optional()
    .transform((v) => v?.trim() ?? '');

const placeData = z.object({
  caseRef: text(50),
  recordId: text(100),
  type: text(40),
  reference: text(200),
  reason: text(2000),
  sarReceivedOn: text(40),
});
const releaseData = z.object({ holdId: z.string().min(1).max(64), reason: text(2000) });

/** The hold card buttons: place from the form, release with a reason. */
export function holdActions(holds: HoldService, chat: HoldsChat, clock: Clock): VerbHandlers {
  return {
    [VERBS.holdPlace]: async (actorId, data): Promise<AdaptiveCardInvokeResponse> => {
      const parsed = placeData.safeParse(data);
      if (!parsed.success) return errorResponse(400, 'BadRequest', 'The hold form could not be read.');
      const form = parsed.data;
      const result = await holds.place(actorId, {
        ...form,
        recordId: form.recordId || null,
        sarReceivedOn: form.sarReceivedOn || null,
      });
      if (!result.ok) {
        if (result.code === 'not_records_management')
          return cardResponse(
            messageCard({ title: 'Not done', lines: [result.message], style: 'attention' }),
          );
        const type = (HOLD_TYPES as readonly string[]).includes(form.type)
          ? (form.type as HoldType)
          : undefined;
        return cardResponse(
          chat.form(
            {
              caseRef: form.caseRef,
              recordId: form.recordId,
              holdType: type,
              holdReference: form.reference,
              reason: form.reason,
              receivedOn: form.sarReceivedOn,
            },
            today(clock),
            result.message,
          ),
        );
      }
      return cardResponse(
        holdsListCard('Hold placed', [result.hold], {
          canRelease: true,
          emptyText: '',
          notice: 'Nothing under this hold can be destroyed until it is released.',
        }),
      );
    },
    [VERBS.holdRelease]: async (actorId, data): Promise<AdaptiveCardInvokeResponse> => {
      const parsed = releaseData.safeParse(data);
      if (!parsed.success)
        return errorResponse(400, 'BadRequest', 'This card is missing the hold it belongs to.');
      const result = await holds.release(actorId, parsed.data.holdId, parsed.data.reason);
      if (!result.ok) {
        const current = await holds.get(parsed.data.holdId);
        const canSee = result.code !== 'not_records_management';
        return cardResponse(
          current && canSee
            ? holdsListCard('Hold not released', [current], {
                canRelease: true,
                emptyText: '',
                notice: result.message,
                noticeStyle: 'attention',
              })
            : messageCard({ title: 'Not done', lines: [result.message], style: 'attention' }),
        );
      }
      return cardResponse(
        holdsListCard('Hold released', [result.hold], { canRelease: false, emptyText: '' }),
      );
    },
  };
}
