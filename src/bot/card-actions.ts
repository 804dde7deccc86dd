import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { Kysely } from 'kysely';
import { messageCard, VERBS } from '../cards/index.js';
import type { AuthorisationAction } from '../rules/index.js';
import { today, type Clock } from '../services/clock.js';
import type { RemovalService } from '../services/removal.js';
import { recordCardMessage } from '../store/conversations.js';
import type { Database } from '../store/schema.js';
import { getStaff } from '../store/staff.js';
import { actionData, cardResponse, errorResponse, removalFormData } from './invoke.js';
import { removalForm } from './removal-form.js';
import { mayView, statusCardFor } from './views.js';

/** Handlers for further verbs (holds, destruction), one per verb. */
export type VerbHandlers = Record<
  string,
  (actorId: string, data: unknown, where: CardLocation) => Promise<AdaptiveCardInvokeResponse>
>;

export interface CardActionDeps {
  db: Kysely<Database>;
  clock: Clock;
  removals: RemovalService;
  notify: () => void;
  more?: VerbHandlers;
}

/** Where the card that was pressed lives, so later changes can update it. */
export interface CardLocation {
  conversationId: string;
  activityId: string | null;
}

const ACTIONS: Partial<Record<string, (reason: string | undefined) => AuthorisationAction>> = {
  [VERBS.approve]: () => ({ kind: 'approve' }),
  [VERBS.decline]: (reason) => ({ kind: 'decline', reason: reason ?? '' }),
  [VERBS.cancel]: (reason) => ({ kind: 'cancel', reason: reason ?? '' }),
  [VERBS.withdraw]: () => ({ kind: 'withdraw' }),
  [VERBS.returned]: () => ({ kind: 'mark_returned' }),
};

/**
 * Handles `Action.Execute` invokes, one handler per verb. The actor comes from the activity; the
 * card's data is only an id, a version and the inputs, and everything is checked again.
 */
export class CardActionHandler {
  constructor(private readonly deps: CardActionDeps) {}

  async handle(
    actorId: string,
    verb: string,
    data: unknown,
    where: CardLocation,
  ): Promise<AdaptiveCardInvokeResponse> {
    if (verb === VERBS.submit) return this.submit(actorId, data, where);
    if (verb === VERBS.refresh || verb === VERBS.show) return this.show(actorId, data);
    const other = Object.hasOwn(this.deps.more ?? {}, verb) ? this.deps.more![verb] : undefined;
    if (other) return other(actorId, data, where);
    const toAction = ACTIONS[verb];
    if (!toAction) return errorResponse(400, 'BadRequest', `Unknown action "${verb.slice(0, 60)}".`);
    const parsed = actionData.safeParse(data);
    if (!parsed.success)
      return errorResponse(400, 'BadRequest', 'This card is missing the request it belongs to.');
    const { authorisationId, version, reason } = parsed.data;
    const outcome = await this.deps.removals.act(actorId, authorisationId, toAction(reason), version);
    if (outcome.ok) this.deps.notify();
    const view = outcome.authorisation;
    if (!view || !mayView(view, actorId)) {
      return cardResponse(
        messageCard({
          title: 'Not changed',
          lines: [outcome.ok ? 'Done.' : outcome.refusal.message],
          style: 'attention',
        }),
      );
    }
    await this.remember(view.id, actorId, where);
    const notice = outcome.ok ? undefined : outcome.refusal.message;
    return cardResponse(await statusCardFor(this.deps.db, view, actorId, notice));
  }

  private async show(actorId: string, data: unknown): Promise<AdaptiveCardInvokeResponse> {
    const parsed = actionData.pick({ authorisationId: true }).safeParse(data);
    if (!parsed.success)
      return errorResponse(400, 'BadRequest', 'This card is missing the request it belongs to.');
    const view = await this.deps.removals.view(parsed.data.authorisationId);
    if (!view)
      return cardResponse(messageCard({ title: 'Not found', lines: ['That request no longer exists.'] }));
    if (!mayView(view, actorId)) {
      return cardResponse(
        messageCard({
          title: `Removal request for case ${view.caseRef}`,
          lines: ['Only the requester and their line manager can see this request.'],
        }),
      );
    }
    return cardResponse(await statusCardFor(this.deps.db, view, actorId));
  }

  private async submit(
    actorId: string,
    data: unknown,
    where: CardLocation,
  ): Promise<AdaptiveCardInvokeResponse> {
    const parsed = removalFormData.safeParse(data);
    if (!parsed.success) {
      return errorResponse(
        400,
        'BadRequest',
        `The form could not be read: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    const form = parsed.data;
    const input = {
      caseRef: form.caseRef,
      recordIds: form.recordIds
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      purpose: form.purpose || null,
      destination: form.destination,
      outOn: form.outOn || null,
      returnOn: form.returnOn || null,
      justification: form.justification,
      acknowledged: form.acknowledged,
      unknownCaseConfirmed: form.unknownCaseConfirmed,
    };
    const outcome = await this.deps.removals.request(actorId, input);
    if (outcome.ok) {
      this.deps.notify();
      await this.remember(outcome.authorisation.id, actorId, where);
      return cardResponse(
        await statusCardFor(
          this.deps.db,
          outcome.authorisation,
          actorId,
          'Sent. I will tell you when your line manager decides.',
        ),
      );
    }
    // Show the form again with what was typed and every problem, so nothing has to be re-entered.
    const actor = await getStaff(this.deps.db, actorId);
    if (!actor)
      return cardResponse(
        messageCard({ title: 'Not sent', lines: outcome.problems.map((p) => p.message), style: 'attention' }),
      );
    return cardResponse(
      await removalForm(
        this.deps.db,
        actor,
        { ...input, recordIds: input.recordIds },
        outcome.problems,
        today(this.deps.clock),
      ),
    );
  }

  private async remember(authorisationId: string, actorId: string, where: CardLocation): Promise<void> {
    if (!where.activityId) return;
    await recordCardMessage(
      this.deps.db,
      {
        authorisationId,
        recipientId: actorId,
        conversationId: where.conversationId,
        activityId: where.activityId,
      },
      this.deps.clock.now().toISOString(),
    );
  }
}
