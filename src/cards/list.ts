import listTemplate from '../../cards/item-list.json' with { type: 'json' };
import type { Verb } from '../actions/verbs.js';
import { bind, type CardJson } from './render.js';

/** One item of a list: two lines, and what pressing it opens. */
export interface ListItem {
  line: string;
  detail: string;
  open: { verb: Verb; data: Record<string, string> };
}

export interface ListSection {
  heading: string;
  items: ListItem[];
}

/** Items in sections under a title (empty sections left out), or `emptyText` when there are none. */
export function itemListCard(title: string, sections: ListSection[], emptyText: string): CardJson {
  return bind(listTemplate, { title, sections: sections.filter((s) => s.items.length), emptyText });
}
