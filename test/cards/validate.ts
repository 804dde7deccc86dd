import { AdaptiveCard, SerializationContext, Versions } from 'adaptivecards';
import type { CardJson } from '../../src/cards/index.js';

/**
 * Every problem the Adaptive Cards SDK finds in a card read as schema 1.5 (unknown elements and
 * actions, bad property values, duplicate or missing input ids), plus a version other than 1.5
 * and template expressions left unbound. Empty when the card is valid.
 */
export function cardProblems(json: CardJson): string[] {
  const problems: string[] = [];
  if (json.type !== 'AdaptiveCard') problems.push(`type is ${String(json.type)}, not AdaptiveCard`);
  if (json.version !== '1.5') problems.push(`version is ${String(json.version)}, not 1.5`);
  const unbound = JSON.stringify(json).match(/\$\{[^}]*\}/g);
  if (unbound) problems.push(`unbound template expressions: ${unbound.join(', ')}`);
  const card = new AdaptiveCard();
  const context = new SerializationContext(Versions.v1_5);
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}
