import type { Activity } from 'botbuilder';
import { messageCard, type CardJson } from '../cards/index.js';
import { attach } from './result-cards.js';

/** What the bot says back: text, cards, or both. */
export type Reply = Partial<Activity>;

/** A card, with a line of text above it when given. */
export function card(json: CardJson, text?: string): Reply {
  return { type: 'message', text, attachments: [attach(json)] };
}

/** A short answer: a title and lines. */
export function say(title: string, ...lines: string[]): Reply {
  return card(messageCard({ title, lines }));
}

/** Several cards in one message, under a line of text. */
export function cards(text: string, jsons: readonly CardJson[]): Reply {
  return { type: 'message', text, attachments: jsons.map(attach) };
}
