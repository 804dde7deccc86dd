import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { ActionResult } from '../actions/results.js';
import type { CardJson } from '../cards/index.js';
import type { ResultCards } from './result-cards.js';

export function cardResponse(card: CardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

export function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text as unknown as Record<string, unknown>,
  };
}

export function errorResponse(
  statusCode: 400 | 403 | 500,
  code: string,
  message: string,
): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}

/** The invoke response for what a card action came to: the card to show, or 400 for unreadable data. */
export async function invokeResponse(
  result: ActionResult,
  cards: ResultCards,
  actorId: string,
): Promise<AdaptiveCardInvokeResponse> {
  if (result.show === 'unreadable') return errorResponse(400, 'BadRequest', result.message);
  return cardResponse(await cards.card(result, actorId));
}
