// The expressions inside a card template's `${…}`, parsed once and turned into plain functions.
// They mean what the Adaptive Cards templating language (adaptive-expressions) says they mean,
// for the part of it our cards use: paths into the data (`caseRef`, `open.verb`, `$data`, `$root.x`,
// `$index`), string and number literals, `true`/`false`/`null`, `!`, unary `-` and `+`, `+ -`,
// `== != < <= > >=`, `&& ||`, parentheses, and `count(…)`. Anything else is refused when the
// template is compiled, with the expression named, so a card can never render differently from
// what the language says. The tests check both the parse (against the library's own) and the
// output (byte for byte) on every card.

/** What an expression is evaluated against. */
export interface Scope {
  readonly root: unknown;
  readonly data: unknown;
  readonly index: number | undefined;
}

/**
 * A compiled expression. `substitute`: a path with no value gives the text `${path}` (as the
 * templating language does when it fills in a card) instead of undefined. Throws
 * `ExpressionFailure` where the language reports an error.
 */
export type Evaluate = (scope: Scope, substitute: boolean) => unknown;

export interface CompiledExpression {
  evaluate: Evaluate;
  /** A literal (`'x'`, `1`): the templating language treats `"${'x'}"` as text, not a value. */
  constant: boolean;
  /** The expression as the templating language writes it back (in a card, for one that fails). */
  text: string;
}

/** An error the templating language reports when it evaluates an expression. */
export class ExpressionFailure extends Error {
  override name = 'ExpressionFailure';
}

/** A template the compiler refuses, with why. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

// ---------------------------------------------------------------------------------------------
// Parsing, with the precedence of the language's grammar (tightest first): unary ! - +;
// * / %; + -; == != <>; &; < <= > >=; &&; ||.

type Node =
  | { kind: 'constant'; value: string | number | boolean | null | undefined }
  | { kind: 'path'; base: '$data' | '$root' | '$index' | 'data'; parts: string[] }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'not'; operand: Node };

type Token =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'id' | 'op'; value: string };

const WHITESPACE = new Set([' ', '\t', '\ufeff', '\u00a0', '\r', '\n']);
const OPERATORS = [
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '&&',
  '||',
  '=>',
  '??',
  '!',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '&',
  '(',
  ')',
  '.',
  ',',
  '[',
  ']',
  '{',
  '}',
  '?',
  ':',
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const c = source[at]!;
    if (WHITESPACE.has(c)) {
      at += 1;
      continue;
    }
    const number = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(at));
    if (number) {
      tokens.push({ type: 'number', value: parseFloat(number[0]) });
      at += number[0].length;
      continue;
    }
    const id = /^(@@|[a-zA-Z_#@$%])[a-zA-Z0-9_]*/.exec(source.slice(at));
    if (id) {
      tokens.push({ type: 'id', value: id[0] });
      at += id[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = source.indexOf(c, at + 1);
      if (end === -1) throw new TemplateError(`an unfinished string in \${${source}}`);
      tokens.push({ type: 'string', value: source.slice(at + 1, end) });
      at = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, at));
    if (!op) throw new TemplateError(`"${c}" in \${${source}}`);
    tokens.push({ type: 'op', value: op });
    at += op.length;
  }
  return tokens;
}

/** Binary operators by precedence level, loosest first (those not in SUPPORTED_BINARY are refused). */
const LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['<', '<=', '>', '>='],
  ['&'],
  ['==', '!=', '<>'],
  ['+', '-'],
  ['*', '/', '%'],
  ['^'],
];
const SUPPORTED_BINARY = new Set(['||', '&&', '<', '<=', '>', '>=', '==', '!=', '+', '-']);
const FUNCTIONS = new Set(['count']);

function parse(source: string): Node {
  const tokens = tokenize(source);
  let at = 0;
  const peek = () => tokens[at];
  const isOp = (value: string) => peek()?.type === 'op' && peek()!.value === value;
  const expect = (value: string) => {
    if (!isOp(value)) throw new TemplateError(`"${value}" expected in \${${source}}`);
    at += 1;
  };
  const refuse = (what: string): never => {
    throw new TemplateError(`${what} in \${${source}} is not something card templates use here`);
  };

  const binary = (level: number): Node => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const token = peek();
      if (token?.type !== 'op' || !LEVELS[level]!.includes(token.value)) return left;
      if (!SUPPORTED_BINARY.has(token.value)) refuse(`the operator ${token.value}`);
      at += 1;
      // `^` is right-associative in the grammar; it is refused above, so every operator here is left.
      left = { kind: 'binary', op: token.value, left, right: binary(level + 1) };
    }
  };
  const unary = (): Node => {
    const token = peek();
    if (token?.type === 'op' && ['!', '-', '+'].includes(token.value)) {
      at += 1;
      const operand = unary();
      if (token.value === '!') return { kind: 'not', operand };
      return { kind: 'binary', op: token.value, left: { kind: 'constant', value: 0 }, right: operand };
    }
    return primary();
  };
  const primary = (): Node => {
    const token = peek();
    if (!token) throw new TemplateError(`an expression ends too soon in \${${source}}`);
    at += 1;
    let node: Node;
    if (token.type === 'number' || token.type === 'string') node = { kind: 'constant', value: token.value };
    else if (token.type === 'op' && token.value === '(') {
      node = binary(0);
      expect(')');
    } else if (token.type === 'id') node = identifier(token.value);
    else return refuse(`"${token.value}"`);
    for (;;) {
      if (isOp('.')) {
        at += 1;
        const name = peek();
        if (name?.type !== 'id') throw new TemplateError(`a name expected after "." in \${${source}}`);
        at += 1;
        if (node.kind !== 'path') return refuse('a property of something other than a path');
        node = { ...node, parts: [...node.parts, name.value] };
      } else if (isOp('(')) {
        at += 1;
        if (node.kind !== 'path' || node.base !== 'data' || node.parts.length !== 1)
          return refuse('a call of something other than a function name');
        const name = node.parts[0]!;
        if (!FUNCTIONS.has(name)) refuse(`the function ${name}()`);
        const args: Node[] = [];
        if (!isOp(')')) {
          args.push(binary(0));
          while (isOp(',')) {
            at += 1;
            args.push(binary(0));
          }
        }
        expect(')');
        if (args.length !== 1) refuse(`${name}() with ${args.length} arguments`);
        node = { kind: 'call', name, args };
      } else if (isOp('[') || isOp('!')) {
        return refuse(`"${peek()!.value}" after a value`);
      } else return node;
    }
  };
  const identifier = (name: string): Node => {
    if (name === 'true') return { kind: 'constant', value: true };
    if (name === 'false') return { kind: 'constant', value: false };
    if (name === 'null') return { kind: 'constant', value: null };
    if (name === 'undefined') return { kind: 'constant', value: undefined };
    if (name === '$data' || name === '$root' || name === '$index')
      return { kind: 'path', base: name, parts: [] };
    if (!/^[a-zA-Z_]/.test(name)) return refuse(`the name ${name}`);
    return { kind: 'path', base: 'data', parts: [name] };
  };

  const node = binary(0);
  if (at < tokens.length) throw new TemplateError(`unexpected "${String(peek()!.value)}" in \${${source}}`);
  return node;
}

// ---------------------------------------------------------------------------------------------
// Writing an expression back as the language does (`(a != '')`, `count(x)`, `!(x)`).

function pathText(node: Extract<Node, { kind: 'path' }>): string {
  return [...(node.base === 'data' ? [] : [node.base]), ...node.parts].join('.');
}

function toText(node: Node): string {
  switch (node.kind) {
    case 'constant': {
      const v = node.value;
      if (v === undefined) return 'undefined';
      if (v === null) return 'null';
      if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
      return String(v);
    }
    case 'path':
      return pathText(node);
    case 'call':
      return `${node.name}(${node.args.map(toText).join(', ')})`;
    case 'binary':
      return `(${toText(node.left)} ${node.op} ${toText(node.right)})`;
    case 'not':
      return `!(${toText(node.operand)})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation, as adaptive-expressions evaluates each of these.

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && !Number.isNaN(v);
}

/** The language's truth: false, null and undefined are false; everything else is true. */
function isTrue(v: unknown): boolean {
  return typeof v === 'boolean' ? v : v != null;
}

/**
 * A property as the language reads it: none of a falsy value; an own enumerable property, its
 * name matched regardless of case.
 */
function property(instance: unknown, name: string): unknown {
  if (!instance) return undefined;
  if (instance instanceof Map) {
    const value: unknown = instance.get(name);
    if (value !== undefined) return value;
    const lower = name.toLowerCase();
    for (const key of instance.keys())
      if (String(key).toLowerCase() === lower) return instance.get(key) as unknown;
    return undefined;
  }
  const object = Object(instance) as Record<string, unknown>;
  if (Object.prototype.propertyIsEnumerable.call(object, name)) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === lower) return object[key];
  return undefined;
}

function plain(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object' && !(v instanceof Date))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
    );
  }
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const ob = b as Record<string, unknown>;
  return (
    ka.length === Object.keys(b).length &&
    ka.every(
      (k) =>
        Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], ob[k]),
    )
  );
}

function propertyCount(v: unknown): number {
  if (v == null || Array.isArray(v)) return -1;
  if (v instanceof Map) return v.size;
  if (typeof v === 'object' && !(v instanceof Date)) return Object.keys(v).length;
  return -1;
}

/** `==` as the language has it: null equals only null, lists and objects by content. */
function equals(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equals(x, b[i]));
  const ca = propertyCount(a);
  const cb = propertyCount(b);
  if (ca >= 0 && cb >= 0) return ca === cb && deepEqual(plain(a), plain(b));
  if (isNumber(a) && isNumber(b) && Math.abs(a - b) < Number.EPSILON) return true;
  return a === b;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const comparable =
    (isNumber(a) && isNumber(b)) ||
    (typeof a === 'string' && typeof b === 'string') ||
    (a instanceof Date && b instanceof Date);
  if (!comparable) throw new ExpressionFailure(`${named(a)} and ${named(b)} must be comparable.`);
  const [x, y] = [a as number, b as number];
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

/** The value of a comparison's operand; null/undefined (and failures) make the comparison false. */
const NOT_COMPARED = Symbol('notCompared');

function operand(evaluate: Evaluate, scope: Scope, nullable: boolean): unknown {
  try {
    const value = evaluate(scope, false);
    return !nullable && value == null ? NOT_COMPARED : value;
  } catch (error) {
    if (error instanceof ExpressionFailure) return NOT_COMPARED;
    throw error;
  }
}

function succeeds(evaluate: Evaluate, scope: Scope): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: evaluate(scope, false) };
  } catch (error) {
    if (error instanceof ExpressionFailure) return { ok: false };
    throw error;
  }
}

/** A value named in a failure's message. */
function named(v: unknown): string {
  return v === undefined ? 'undefined' : (JSON.stringify(v) ?? typeof v);
}

function addable(v: unknown): v is string | number | undefined {
  return typeof v === 'string' || v === undefined || isNumber(v);
}

function add(a: unknown, b: unknown): unknown {
  if (!addable(a) || !addable(b))
    throw new ExpressionFailure(`${named(addable(a) ? b : a)} is neither a number nor string`);
  if ((a === undefined && isNumber(b)) || (b === undefined && isNumber(a)))
    throw new ExpressionFailure("Operator '+' cannot be applied to a number and null.");
  if (isNumber(a) && isNumber(b)) return a + b;
  return `${a ?? ''}${b ?? ''}`;
}

function count(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (v instanceof Map) return v.size;
  if (typeof v === 'object') {
    if (v === null) throw new ExpressionFailure('count() of null.');
    return Object.keys(v).length;
  }
  throw new ExpressionFailure(`count() of ${named(v)}: it must be a string, list or object.`);
}

function compileNode(node: Node): Evaluate {
  switch (node.kind) {
    case 'constant': {
      const { value } = node;
      return () => value;
    }
    case 'path': {
      const { base, parts } = node;
      const text = pathText(node);
      const missing = `\${${text}}`;
      const start =
        base === '$index'
          ? (s: Scope) => s.index
          : base === '$root'
            ? (s: Scope) => s.root
            : (s: Scope) => s.data;
      return (scope, substitute) => {
        let value = start(scope);
        for (const part of parts) value = property(value, part);
        return value === undefined && substitute ? missing : value;
      };
    }
    case 'call': {
      const arg = compileNode(node.args[0]!);
      return (scope, substitute) => count(arg(scope, substitute));
    }
    case 'not': {
      const inner = compileNode(node.operand);
      return (scope) => {
        const result = succeeds(inner, scope);
        return result.ok ? !isTrue(result.value) : true;
      };
    }
    case 'binary': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      switch (node.op) {
        case '&&':
          return (scope) => {
            for (const side of [left, right]) {
              const result = succeeds(side, scope);
              if (!result.ok || !isTrue(result.value)) return false;
            }
            return true;
          };
        case '||':
          return (scope) => {
            for (const side of [left, right]) {
              const result = succeeds(side, scope);
              if (result.ok && isTrue(result.value)) return true;
            }
            return false;
          };
        case '==':
        case '!=': {
          const negate = node.op === '!=';
          return (scope) => {
            const a = operand(left, scope, true);
            if (a === NOT_COMPARED) return false;
            const b = operand(right, scope, true);
            if (b === NOT_COMPARED) return false;
            return equals(a, b) !== negate;
          };
        }
        case '+':
          return (scope, substitute) => add(left(scope, substitute), right(scope, substitute));
        case '-':
          return (scope, substitute) => {
            const a = left(scope, substitute);
            const b = isNumber(a) ? right(scope, substitute) : a;
            if (!isNumber(a) || !isNumber(b))
              throw new ExpressionFailure(`${named(isNumber(a) ? b : a)} is not a number.`);
            return a - b;
          };
        default: {
          const op = node.op;
          return (scope) => {
            const a = operand(left, scope, false);
            if (a === NOT_COMPARED) return false;
            const b = operand(right, scope, false);
            if (b === NOT_COMPARED) return false;
            return compare(op, a, b);
          };
        }
      }
    }
  }
}

/** Compiles the source of one `${…}`. */
export function compileExpression(source: string): CompiledExpression {
  const node = parse(source);
  return { evaluate: compileNode(node), constant: node.kind === 'constant', text: toText(node) };
}
