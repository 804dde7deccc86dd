// Every Adaptive Card the product sends, one builder each; the templates are in the top-level
// cards/ folder. Cards show what they are given: who may do what comes with the data (`can`),
// decided by the rules; the sentences people read come from src/sentences/.
import { classAnswerCard, classChoiceCard, unknownClassCard } from './answers.js';
import { clarificationCard } from './clarification.js';
import { batchCard, batchListCard, batchPreviewCard, dueCard, registerCard } from './destruction.js';
import { helpCard } from './help.js';
import { blanketHoldFormCard, holdFormCard, holdsListCard } from './holds.js';
import { messageCard } from './message.js';
import { procedureAnswerCard, procedureTopicsCard } from './procedure.js';
import { authorisationListCard, recallCard, removalFormCard, removalStatusCard } from './removal.js';
import { caseRetentionCard } from './retention.js';
import { reviewCard, reviewDecidedCard, reviewDecisionCard } from './review.js';

export type { CardJson } from './render.js';
export * from './answers.js';
export * from './clarification.js';
export * from './destruction.js';
export * from './help.js';
export * from './holds.js';
export * from './message.js';
export * from './procedure.js';
export * from './removal.js';
export * from './retention.js';
export * from './review.js';

/** Every card builder, by name: the card tests validate and snapshot each one. */
export const CARD_BUILDERS = {
  removalFormCard,
  removalStatusCard,
  recallCard,
  authorisationListCard,
  messageCard,
  helpCard,
  classAnswerCard,
  classChoiceCard,
  unknownClassCard,
  procedureAnswerCard,
  procedureTopicsCard,
  clarificationCard,
  caseRetentionCard,
  holdFormCard,
  blanketHoldFormCard,
  holdsListCard,
  dueCard,
  batchPreviewCard,
  batchCard,
  batchListCard,
  registerCard,
  reviewCard,
  reviewDecisionCard,
  reviewDecidedCard,
} as const;
