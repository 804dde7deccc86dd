import messageTemplate from '../../cards/message.json' with { type: 'json' };
import { bind, type CardJson } from './render.js';

export interface MessageCardData {
  title: string;
  lines: string[];
  style?: 'default' | 'good' | 'attention' | 'warning' | 'accent' | 'emphasis';
  facts?: { title: string; value: string }[];
}

/** A title, a few lines and facts: answers, refusals, confirmations. */
export function messageCard(data: MessageCardData): CardJson {
  return bind(messageTemplate, { style: 'default', facts: [], ...data });
}
