import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { describe, expect, it, vi } from 'vitest';
import { escapeData, restore } from '../../src/cards/markdown.js';
import { compileExpression, TemplateError } from '../../src/cards/template-expressions.js';
import { compileTemplate } from '../../src/cards/template.js';
import type * as Render from '../../src/cards/render.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import { CARD_EXAMPLES } from './examples.js';

// Cards are rendered by templates compiled once into functions (src/cards/template.ts). What they
// give must be what the Adaptive Cards templating library gives for the same template and data,
// with markdown escaped as markdown.ts says, byte for byte (key order included, which the snapshots
// do not see): checked here on every card example, on every template file, and on the corners of
// the language the compiler takes on.

const bound = vi.hoisted(() => [] as { template: object; data: object }[]);
vi.mock('../../src/cards/render.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Render>();
  return {
    ...actual,
    bind: (template: Render.CardJson, data: object) => {
      bound.push({ template, data });
      return actual.bind(template, data);
    },
  };
});

/**
 * The library's expansion of the data with its strings escaped, then put back where markdown is
 * not rendered (as cards were bound before they were compiled), as JSON text, or that it threw.
 */
function library(template: unknown, data: object): string {
  try {
    return JSON.stringify(restore(new ACData.Template(template).expand({ $root: escapeData(data) })));
  } catch {
    return 'threw';
  }
}

function ours(template: unknown, data: object): string {
  try {
    return JSON.stringify(compileTemplate(template)(escapeData(data) as object));
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    return 'threw';
  }
}

const CARD_DIR = path.join(REPO_ROOT, 'cards');
const TEMPLATE_FILES = readdirSync(CARD_DIR).filter((f) => f.endsWith('.json'));

function expressionsIn(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(/\$\{([^}]*)\}/g)) into.add(m[1]!);
  else if (Array.isArray(value)) for (const v of value) expressionsIn(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) expressionsIn(v, into);
  return into;
}

describe('compiled card templates', () => {
  it('render every card example exactly as the templating library does', () => {
    bound.length = 0;
    for (const examples of Object.values(CARD_EXAMPLES)) for (const example of examples) example.card();
    expect(bound.length).toBeGreaterThan(50);
    for (const { template, data } of bound) expect(ours(template, data)).toBe(library(template, data));
  });

  it.each(TEMPLATE_FILES)('compile %s, reading each expression as the library parses it', (file) => {
    const template = JSON.parse(readFileSync(path.join(CARD_DIR, file), 'utf8')) as unknown;
    expect(() => compileTemplate(template, file)).not.toThrow();
    for (const source of expressionsIn(template, new Set())) {
      const parsed = ACData.Template.parseInterpolatedString(`\${${source}}`);
      expect(compileExpression(source).text).toBe(String(parsed));
    }
  });

  it('read operators with the grammar’s precedence', () => {
    const sources = [
      'a + b - c',
      'a - b + c',
      '!a && b || c',
      'a || b && c',
      'a == b && c != d',
      'a < b == c',
      'a + b > c - d',
      '-a + b',
      '+a',
      '!(a && b)',
      'count(a.b) >= 2 && $data.x <= $root.y',
      "'it' == \"q's\"",
      "x != ''",
      '$index + 1',
      '1.5 + 2',
      'true && false || null',
    ];
    for (const source of sources) {
      const parsed = ACData.Template.parseInterpolatedString(`\${${source}}`);
      expect(compileExpression(source).text, source).toBe(String(parsed));
    }
  });

  it('refuse what they do not implement, naming it', () => {
    for (const source of [
      'if(a, b, c)',
      'a * 2',
      'a[0]',
      'a ? b : c',
      '{a: 1}',
      'a & b',
      'a <> b',
      '#a',
      'a ??b',
    ])
      expect(() => compileExpression(source), source).toThrow(TemplateError);
    expect(() => compileTemplate({ text: 'a \\ ${b}' })).toThrow(/backslash/);
    expect(() => compileTemplate({ text: '${b' })).toThrow(/closing/);
    expect(() => compileTemplate({ body: [{ text: '${formatDateTime(x)}' }] }, 'card.json')).toThrow(
      'card.json.body[0].text: the function formatDateTime() in ${formatDateTime(x)} is not something card templates use here',
    );
  });

  const template = {
    type: 'AdaptiveCard',
    number: 1.5,
    flag: true,
    nothing: null,
    body: [
      { type: 'TextBlock', text: '${title}', missing: '${absent}', nested: '${a.b.c}', caseless: '${TITLE}' },
      { type: 'TextBlock', text: 'Hello ${name}, ${count(items)} items, ${absent} and ${a.b}' },
      { $data: '${items}', type: 'Item', text: '${$index}: ${label} of ${$root.title}', raw: '${$data}' },
      { $data: '${single}', type: 'Single', text: '${label}' },
      { $data: '${empty}', type: 'Never' },
      { $data: '${absent}', type: 'Absent', text: '${label}' },
      { $when: '${flagTrue}', type: 'Shown' },
      { $when: '${flagString}', type: 'Hidden, not a boolean' },
      { $when: '${absent}', type: 'Hidden, absent' },
      { $when: '${count(items) > 1}', type: 'Shown, count' },
      { $when: '${count(absent) > 0}', type: 'Hidden, count of nothing' },
      { $when: '${!absent}', type: 'Shown, not' },
      { $when: 'true', type: 'Hidden, not an expression' },
      { $when: '${title} ', type: 'Hidden, text' },
      { $when: "${number > 1 && text != ''}", type: 'Shown, and' },
      { $when: "${number > 'x'}", type: 'Hidden, incomparable' },
      { $when: '${absent || flagTrue}', type: 'Shown, or' },
      { type: 'Values', list: '${items}', n: '${number + 1}', s: '${text + number}', m: '${number - 1}' },
      { type: 'Values', concat: '${absent + 1}', sub: '${count(absent)}', eq: '${absent == null}' },
      { type: 'Text', t: '${number} ${flagTrue} ${items} ${obj}', literal: "${'x'}", one: '${1}' },
      { type: 'Text', bad: 'before ${text - 1} after', deep: '${obj == other}' },
      [[{ type: 'Nested array' }], '${items}'],
      {
        type: 'Container',
        items: [{ $data: '${groups}', type: 'Group', rows: [{ $data: '${rows}', text: '${v} in ${name}' }] }],
      },
      { card: { $when: '${false}', type: 'Dropped into null' } },
      { type: 'TextBlock', text: '${link} and *${name}*', altText: 'Plain ${link}', wrap: true },
      { type: 'TextBlock', text: '${link}', id: '${link}', $when: '${count(link) > 30}' },
      { type: 'TextBlock', text: '${tags}', lines: '${tags}' },
      {
        type: 'FactSet',
        facts: [
          { title: 'Link', value: '${link}' },
          { $data: '${facts}', title: '${title}', value: '${value}' },
        ],
      },
      { type: 'FactSet', facts: '${facts}' },
      { type: 'Action.Execute', title: '${link}', data: { link: '${link}', all: '${facts}' } },
      { type: 'Input.Text', value: '- ${name}', label: '${tags}' },
    ],
  };
  const data = {
    title: 'Card',
    name: 'Sam',
    items: [{ label: 'one' }, { label: 'two' }, 'three', undefined, { label: 'five' }],
    single: { label: 'just one' },
    empty: [],
    a: { b: { c: 'deep' } },
    flagTrue: true,
    flagString: 'true',
    number: 2,
    text: 'words',
    obj: { x: 1, y: [1, 2] },
    other: { y: [1, 2], x: 1 },
    groups: [
      { name: 'g1', rows: [{ v: 1 }, { v: 2 }] },
      { name: 'g2', rows: [] },
      { name: 'g3', rows: [{ v: 3 }] },
    ],
    link: '[Approve here](https://evil.example/approve) `code` <b>',
    tags: ['# heading', '- item', '*star*'],
    facts: [
      { title: '1. First', value: '_under_ | pipe' },
      { title: 'Plain', value: 'nothing to escape' },
    ],
  };

  it('match the library on the corners of the language: missing data, lists, $when, types', () => {
    const expected = library(template, data);
    expect(expected).not.toBe('threw');
    expect(ours(template, data)).toBe(expected);
    // And with everything missing: every path written back as `${…}`.
    expect(ours(template, {})).toBe(library(template, {}));
  });

  it('fail where the library fails', () => {
    for (const t of [{ x: '${text - 1}' }, { x: '${n > 1}' }, { x: 'a ${nil} b' }, { x: '${count(nil)}' }]) {
      const d = { text: 'words', n: 'two', nil: null };
      expect(library(t, d)).toBe('threw');
      expect(ours(t, d)).toBe('threw');
    }
  });
});
