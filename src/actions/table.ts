import type { ActionKind } from '../rules/index.js';
import type { Clock } from '../services/clock.js';
import type { DestructionService } from '../services/destruction.js';
import type { DispositionService } from '../services/disposition.js';
import type { HoldService } from '../services/holds.js';
import type { RemovalService } from '../services/removal.js';
import {
  cancelBatchFromCard,
  confirmBatchFromCard,
  createBatchFromCard,
  dueFromCard,
  previewBatchFromCard,
  showBatchFromCard,
} from './destruction-actions.js';
import {
  extendSarFromCard,
  pauseSarFromCard,
  placeBlanketFromCard,
  placeHoldFromCard,
  releaseBlanketFromCard,
  releaseHoldFromCard,
  resumeSarFromCard,
  showBlanketFromCard,
  showHoldFromCard,
} from './hold-actions.js';
import { decideFromCard, reviewFormFromCard, reviewListFromCard } from './review-actions.js';
import { actOnRemoval, showRemoval, submitRemoval } from './removal-actions.js';
import { unreadable, type ActionResult, type RemovalActionResult } from './results.js';
import { REMOVAL_ACTION_VERBS, VERBS, type RemovalActionVerb, type Verb } from './verbs.js';

/**
 * A card action's handler: the actor (from the activity or the tab's token, never from the card)
 * and the card's data, which it reads and checks itself. It returns what to show, not how.
 */
export type VerbHandler<R extends ActionResult = ActionResult> = (
  actorId: string,
  data: unknown,
) => Promise<R>;

/** One handler for every verb, bot and tab alike: a verb without a handler does not compile. */
export type VerbTable = {
  readonly [V in Verb]: VerbHandler<V extends RemovalActionVerb ? RemovalActionResult : ActionResult>;
};

export interface ActionDeps {
  removals: RemovalService;
  holds: HoldService;
  destruction: DestructionService;
  disposition: DispositionService;
  clock: Clock;
  /** Sends the notifications a change queued. */
  notify: () => void;
}

export function verbTable(deps: ActionDeps): VerbTable {
  return {
    [VERBS.submit]: submitRemoval(deps),
    [VERBS.approve]: actOnRemoval('approve', deps),
    [VERBS.decline]: actOnRemoval('decline', deps),
    [VERBS.cancel]: actOnRemoval('cancel', deps),
    [VERBS.returned]: actOnRemoval('mark_returned', deps),
    [VERBS.withdraw]: actOnRemoval('withdraw', deps),
    [VERBS.refresh]: showRemoval(deps),
    [VERBS.show]: showRemoval(deps),
    [VERBS.holdPlace]: placeHoldFromCard(deps),
    [VERBS.holdRelease]: releaseHoldFromCard(deps),
    [VERBS.holdShow]: showHoldFromCard(deps),
    [VERBS.sarExtend]: extendSarFromCard(deps),
    [VERBS.sarPause]: pauseSarFromCard(deps),
    [VERBS.sarResume]: resumeSarFromCard(deps),
    [VERBS.blanketPlace]: placeBlanketFromCard(deps),
    [VERBS.blanketRelease]: releaseBlanketFromCard(deps),
    [VERBS.blanketShow]: showBlanketFromCard(deps),
    [VERBS.due]: dueFromCard(deps),
    [VERBS.batchPreview]: previewBatchFromCard(deps),
    [VERBS.batchCreate]: createBatchFromCard(deps),
    [VERBS.batchConfirm]: confirmBatchFromCard(deps),
    [VERBS.batchCancel]: cancelBatchFromCard(deps),
    [VERBS.batchShow]: showBatchFromCard(deps),
    [VERBS.review]: reviewListFromCard(deps),
    [VERBS.reviewForm]: reviewFormFromCard(deps),
    [VERBS.reviewDecide]: decideFromCard(deps),
  };
}

/**
 * Runs card actions by verb. A verb is looked up among the table's own entries only, so a name
 * that is not a verb (`toString`, `__proto__`, `constructor`, …) is refused like any unknown one.
 */
export class Actions {
  private readonly handlers: ReadonlyMap<string, VerbHandler>;

  constructor(private readonly table: VerbTable) {
    this.handlers = new Map<string, VerbHandler>(Object.entries(table));
  }

  /** The verbs handled. */
  verbs(): string[] {
    return [...this.handlers.keys()];
  }

  async run(verb: string, actorId: string, data: unknown): Promise<ActionResult> {
    const handler = this.handlers.get(verb);
    if (!handler) return unreadable(`Unknown action "${verb.slice(0, 60)}".`);
    return handler(actorId, data);
  }

  /** An action on a removal authorisation by its kind (the tab's buttons), through the same handlers. */
  async runRemovalAction(kind: ActionKind, actorId: string, data: unknown): Promise<RemovalActionResult> {
    return this.table[REMOVAL_ACTION_VERBS[kind]](actorId, data);
  }
}
