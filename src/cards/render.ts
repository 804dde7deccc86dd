import { escapeData } from './markdown.js';
import { compileTemplate, type CompiledTemplate } from './template.js';

export type CardJson = Record<string, unknown>;

export { escapeMarkdown, unescapeMarkdown } from './markdown.js';

/** Each template from `cards/`, compiled the first time it is bound (once per process). */
const compiled = new WeakMap<object, CompiledTemplate>();

/**
 * Binds a template from `cards/` to data, every string of which is shown as text: markdown in it
 * is escaped where the card renders markdown and left as it is everywhere else (markdown.ts).
 * Templates are never edited by handlers, and hold no backslashes of their own.
 */
export function bind(template: CardJson, data: object): CardJson {
  let render = compiled.get(template);
  if (!render) {
    render = compileTemplate(template);
    compiled.set(template, render);
  }
  return render(escapeData(data) as object) as CardJson;
}
