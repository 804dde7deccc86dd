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
// key and in the same order, without parsing a single expression on the way: every string is split
// and every expression parsed when the template is compiled.

/** Expands one node of the template; objects left out by `$when` (or an empty `$data`) give null. */
type Expand = (scope: Scope) => unknown;

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
 * boolean); anything else is text, an expression that fails written back as `${…}`.
 */
function compileString(source: string, where: string): { expand: Expand; single: Evaluate | null } {
  const pieces = splitString(source, where);
  const only = pieces.length === 1 ? pieces[0] : undefined;
  if (only !== undefined && typeof only !== 'string' && !only.constant) {
    const evaluate = only.evaluate;
    return { expand: (scope) => evaluate(scope, true), single: evaluate };
  }
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
      return out;
    },
    single: null,
  };
}

function compileArray(items: unknown[], where: string): Expand {
  const compiled = items.map((item, i) => compileNode(item, `${where}[${i}]`));
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

function compileObject(node: Record<string, unknown>, where: string): Expand {
  const entries = Object.keys(node)
    .filter((key) => !RESERVED.has(key))
    .map((key) => [key, compileNode(node[key], `${where}.${key}`)] as const);
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
    const { single } = compileString(whenSource, `${where}.$when`);
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
      data = compileString(dataSource, `${where}.$data`).expand;
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

function compileNode(node: unknown, where: string): Expand {
  if (typeof node === 'string') {
    if (!node.includes('${')) return () => node;
    return compileString(node, where).expand;
  }
  if (Array.isArray(node)) return compileArray(node, where);
  if (node !== null && typeof node === 'object') return compileObject(node as Record<string, unknown>, where);
  return () => node;
}

/** A compiled card template: data in, card JSON out. */
export type CompiledTemplate = (data: object) => unknown;

/** Compiles a template; throws `TemplateError` naming the place and the expression it refuses. */
export function compileTemplate(template: unknown, name = 'template'): CompiledTemplate {
  const expand = compileNode(template, name);
  return (data) => expand({ root: data, data, index: undefined });
}
