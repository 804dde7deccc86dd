import { compileTemplate, type CompiledTemplate } from './template.js';

export type CardJson = Record<string, unknown>;

/** Each template from `cards/`, compiled the first time it is bound (once per process). */
const compiled = new WeakMap<object, CompiledTemplate>();

/** Binds a template from `cards/` to data. Templates are never edited by handlers. */
export function bind(template: object, data: object): CardJson {
  let render = compiled.get(template);
  if (!render) {
    render = compileTemplate(template);
    compiled.set(template, render);
  }
  return render(data) as CardJson;
}
