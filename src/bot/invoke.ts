import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { z } from 'zod';
import type { CardJson } from '../cards/index.js';

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

/** Card data carries an id, a verb's version and typed inputs: nothing else is trusted. */
export const actionData = z.object({
  authorisationId: z.string().min(1).max(64),
  version: z.coerce.number().int().min(0).max(1_000_000),
  reason: z.string().max(5000).optional(),
});

const toggle = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === 'true');
const text = (max: number) =>
  z
    .string()
    .max(max, `is longer than ${max} characters`)
    .optional()
    .transform((v) => v ?? '');

/** The removal form's inputs. Lengths beyond these are refused before anything else runs. */
export const removalFormData = z.object({
  caseRef: text(50),
  recordIds: text(5000),
  purpose: text(40),
  destination: text(2000),
  outOn: text(40),
  returnOn: text(40),
  justification: text(5000),
  acknowledged: toggle,
  unknownCaseConfirmed: toggle,
});
export type RemovalFormData = z.output<typeof removalFormData>;
