import { markdownKeys, restore, unescapeMarkdown, type Place } from './markdown.js';
import {
  compileExpression,
  TemplateError,
  type CompiledExpression,
  type Evaluate,
  type Scope,
} from './template-expressions.js';

// A card template (Adaptive Cards templating: `${…}` in strings, `$data` to repeat or rescope an
// element, `$when` to leave it out) compiled once into a function from data to card JSON. The
// output is what the templating library's `new Template(t).expand({ $root: data })` gives, key for
// key and in the same order, followed by markdown.ts's `restore` (the data comes escaped; strings
// are put back where markdown is not rendered), without parsing a single expression on the way:
// every string is split, every expression parsed and every place known when it is compiled.

/** Expands one node of the template; objects left out by `$when` (or an empty `$data`) give null. */
type Expand = (scope: Scope) => unknown;

/**
 * Where a node of the card lands: in a place that renders markdown or not, and whether it is in a
 * FactSet's facts (whose titles and values render it). The data comes with its strings escaped
 * (markdown.ts); what lands where markdown is not rendered is put back as it was.
 */
interface Placement {
  place: Place;
  isFact: boolean;
}

const ROOT: Placement = { place: 'plain', isFact: false };

/** Keys the templating language reserves: they never reach the card. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

function fail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The text of a value put into a string, as the library's `value.toString()` gives it (a list's
 * items joined by commas, `[object Object]` for an object); null fails, as it does there.
 */
function text(value: unknown): string {
  if (value === null || value === undefined)
    throw new TypeError(
      `Cannot read properties of ${value === null ? 'null' : 'undefined'} (reading 'toString')`,
    );
  return (value as { toString(): string }).toString();
}

/** A string holding `${…}`: its text pieces and expressions, in order. */
function splitString(source: string, where: string): (string | CompiledExpression)[] {
  if (/[\\`]/.test(source))
    throw new TemplateError(`${where}: a backslash or backquote in a string with \${…} is not supported`);
  const pieces: (string | CompiledExpression)[] = [];
  let at = 0;
  while (at < source.length) {
    const start = source.indexOf('${', at);
    if (start === -1) {
      pieces.push(source.slice(at));
      break;
    }
    if (start > at) pieces.push(source.slice(at, start));
    let end = start + 2;
    let quote: string | null = null;
    for (; end < source.length; end++) {
      const c = source[end]!;
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '}') break;
      else if (c === '{' || c === '\n' || c === '\r')
        throw new TemplateError(`${where}: "${c}" inside \${…} is not supported`);
    }
    if (end >= source.length) throw new TemplateError(`${where}: \${ without its closing }`);
    const body = source.slice(start + 2, end);
    try {
      pieces.push(compileExpression(body));
    } catch (error) {
      throw new TemplateError(`${where}: ${fail(error)}`);
    }
    at = end + 1;
  }
  return pieces;
}

/**
 * A string holding `${…}`: one expression alone keeps its value's type (a list, a number, a
 * boolean); anything else is text, an expression that fails written back as `${…}`. What it gives
 * is put where `at` says (null: as it is, for `$data`).
 */
function compileString(
  source: string,
  where: string,
  at: Placement | null,
): { expand: Expand; single: Evaluate | null } {
  const pieces = splitString(source, where);
  const only = pieces.length === 1 ? pieces[0] : undefined;
  if (only !== undefined && typeof only !== 'string' && !only.constant) {
    const evaluate = only.evaluate;
    if (!at) return { expand: (scope) => evaluate(scope, true), single: evaluate };
    const { place, isFact } = at;
    return {
      expand: (scope) => {
        const value = evaluate(scope, true);
        if (typeof value === 'string') return place === 'markdown' ? value : unescapeMarkdown(value);
        return restore(value, place, isFact);
      },
      single: evaluate,
    };
  }
  const plain = at?.place === 'plain';
  const parts = pieces.map((piece): Expand => {
    if (typeof piece === 'string') return () => piece;
    const { evaluate, text: written } = piece;
    return (scope) => {
      let value: unknown;
      try {
        value = evaluate(scope, true);
      } catch {
        return `\${${written}}`;
      }
      return text(value);
    };
  });
  return {
    expand: (scope) => {
      let out = '';
      for (const part of parts) out += part(scope) as string;
      return plain ? unescapeMarkdown(out) : out;
    },
    single: null,
  };
}

function compileArray(items: unknown[], where: string, at: Placement): Expand {
  const itemsAt: Placement = { place: 'plain', isFact: at.isFact };
  const compiled = items.map((item, i) => compileNode(item, `${where}[${i}]`, itemsAt));
  return (scope) => {
    const out: unknown[] = [];
    for (const item of compiled) {
      const value = item(scope);
      if (value === null) continue;
      if (Array.isArray(value)) for (const v of value) out.push(v);
      else out.push(value);
    }
    return out;
  };
}

/** Whether a value from the template itself holds an expression anywhere. */
function holdsExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (Array.isArray(value)) return value.some(holdsExpression);
  if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
  return false;
}

/** Where each property of an element lands, by the element's type (as markdown.ts `restore` has it). */
function placements(node: Record<string, unknown>, where: string, at: Placement): (key: string) => Placement {
  const type = node.type;
  if (type !== undefined && (typeof type !== 'string' || type.includes('${')))
    throw new TemplateError(`${where}.type: an element's type is written in the template, not bound`);
  const rendered = markdownKeys(node, at.isFact);
  return (key) =>
    type === 'FactSet' && key === 'facts'
      ? { place: 'plain', isFact: true }
      : { place: rendered.includes(key) ? 'markdown' : 'plain', isFact: false };
}

function compileObject(node: Record<string, unknown>, where: string, at: Placement): Expand {
  const placeOf = placements(node, where, at);
  const entries = Object.keys(node)
    .filter((key) => !RESERVED.has(key))
    .map((key) => [key, compileNode(node[key], `${where}.${key}`, placeOf(key))] as const);
  const build = (scope: Scope) => {
    const out: Record<string, unknown> = {};
    for (const [key, expand] of entries) {
      const value = expand(scope);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };

  // `$when`: an expression that must give true (anything else, or a failure, leaves the element
  // out); a value that is not an expression leaves it out when truthy.
  const whenSource = node.$when;
  let when: ((scope: Scope) => boolean) | null = null;
  if (typeof whenSource === 'string' && whenSource.includes('${')) {
    const { single } = compileString(whenSource, `${where}.$when`, null);
    if (single) {
      when = (scope) => {
        try {
          return single(scope, false) === true;
        } catch {
          return false;
        }
      };
    } else when = () => false;
  } else if (whenSource) when = () => false;

  // `$data`: the element once per item of a list (none for an empty list), or once rescoped.
  const dataSource = node.$data;
  let data: Expand | null = null;
  if (dataSource !== undefined) {
    if (typeof dataSource === 'string' && dataSource.includes('${'))
      data = compileString(dataSource, `${where}.$data`, null).expand;
    else if (holdsExpression(dataSource))
      throw new TemplateError(`${where}.$data: expressions inside a literal $data are not supported`);
    else data = () => dataSource;
  }

  if (!data && !when) return build;
  return (scope) => {
    const contexts = data ? data(scope) : undefined;
    const list = Array.isArray(contexts);
    const items: unknown[] = list ? contexts : [contexts];
    const out: Record<string, unknown>[] = [];
    let current = scope.data;
    let index = scope.index;
    for (let i = 0; i < items.length; i++) {
      if (list) index = i;
      if (items[i] !== undefined) current = items[i];
      const inner: Scope =
        current === scope.data && index === scope.index ? scope : { root: scope.root, data: current, index };
      if (when && !when(inner)) continue;
      out.push(build(inner));
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

function compileNode(node: unknown, where: string, at: Placement): Expand {
  if (typeof node === 'string') {
    // Strings are put back with their backslashes taken out where markdown is not rendered.
    if (node.includes('\\')) throw new TemplateError(`${where}: templates hold no backslashes of their own`);
    if (!node.includes('${')) return () => node;
    return compileString(node, where, at).expand;
  }
  if (Array.isArray(node)) return compileArray(node, where, at);
  if (node !== null && typeof node === 'object')
    return compileObject(node as Record<string, unknown>, where, at);
  return () => node;
}

/** A compiled card template: data in, card JSON out. */
export type CompiledTemplate = (data: object) => unknown;

/** Compiles a template; throws `TemplateError` naming the place and the expression it refuses. */
export function compileTemplate(template: unknown, name = 'template'): CompiledTemplate {
  const expand = compileNode(template, name, ROOT);
  return (data) => expand({ root: data, data, index: undefined });
}
