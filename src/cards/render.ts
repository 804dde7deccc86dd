import * as ACData from 'adaptivecards-templating';

export type CardJson = Record<string, unknown>;

/** Binds a template from `cards/` to data. Templates are never edited by handlers. */
export function bind(template: CardJson, data: object): CardJson {
  return new ACData.Template(template).expand({ $root: data }) as CardJson;
}
