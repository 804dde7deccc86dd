// Adaptive Cards render markdown in a TextBlock's text and in a FactSet's titles and values. What
// a card is given to show (a destination, a reason, a record title, a name) is text, never
// markdown: a destination of "[Approve here](https://…)" must read as typed, not as a live link.
// So every string in the data is escaped before it is bound, and put back as it was wherever
// markdown is not rendered (inputs' values, action data, URLs, titles of buttons and choices),
// where an escape would change what is sent back or opened. Done for every card: `bind`
// (render.ts) escapes the data, and the compiled template (template.ts) knows from the template
// which places render markdown and puts back what lands anywhere else.

/** ASCII punctuation that starts or ends markdown anywhere in a line (emphasis, links, code, HTML). */
const INLINE = /[\\`*_~[\]<>|]/g;
/** What starts a block at the beginning of a line: a heading or a list item (a quote's > is above). */
const LINE_START = /^([ \t]*)(#{1,6}|[-+]|\d{1,9}[.)])(?=[ \t]|$)/gm;

/** Text that markdown shows exactly as written: each markdown character escaped with a backslash. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE, '\\$&')
    .replace(LINE_START, (_whole, indent: string, marker: string) =>
      marker.length === 1 ? `${indent}\\${marker}` : `${indent}${marker.slice(0, -1)}\\${marker.slice(-1)}`,
    );
}

/** Undoes `escapeMarkdown` exactly (it puts a backslash before characters only, and doubles backslashes). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\s\S])/g, '$1');
}

/** The data a card is given, every string in it escaped (a copy; the data is not changed). */
export function escapeData(value: unknown): unknown {
  if (typeof value === 'string') return escapeMarkdown(value);
  if (Array.isArray(value)) return value.map(escapeData);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeData(v)]));
  return value;
}

/** Where a string sits: rendered as markdown, or taken as it is (sent back, opened, shown plain). */
export type Place = 'markdown' | 'plain';

/** Which properties of an element render markdown: a TextBlock's text, a fact's title and value. */
export function markdownKeys(element: Record<string, unknown>, isFact: boolean): readonly string[] {
  if (isFact) return ['title', 'value'];
  return element.type === 'TextBlock' ? ['text'] : [];
}

/** The card's strings, unescaped wherever markdown is not rendered. */
export function restore(node: unknown, place: Place = 'plain', isFact = false): unknown {
  if (typeof node === 'string') return place === 'markdown' ? node : unescapeMarkdown(node);
  if (Array.isArray(node)) return node.map((item) => restore(item, 'plain', isFact));
  if (!node || typeof node !== 'object') return node;
  const element = node as Record<string, unknown>;
  const rendered = markdownKeys(element, isFact);
  return Object.fromEntries(
    Object.entries(element).map(([key, value]) => [
      key,
      element.type === 'FactSet' && key === 'facts'
        ? restore(value, 'plain', true)
        : restore(value, rendered.includes(key) ? 'markdown' : 'plain'),
    ]),
  );
}
