import { describe, expect, it } from 'vitest';
import { CARD_BUILDERS, type CardJson } from '../../src/cards/index.js';
import { CARD_EXAMPLES } from './examples.js';
import {
  CONTAINER_STYLES,
  FONT_SIZES,
  TEAMS_THEMES,
  TEXT_COLOURS,
  type ContainerStyle,
  type HostTheme,
  type TextColour,
} from './teams-colours.js';

// Every piece of text on every card, in every view a person can have of it, drawn in Teams' light
// and dark colours on the background of the container it sits in: WCAG AA, 4.5:1 (3:1 for large
// text). So "warning" (yellow) text, "good" (light green) text on white and "attention" (red)
// text on dark grey never reach a card; a status is shown by a styled container with bold text,
// whose words say what the colour says.

interface Text {
  text: string;
  colour: TextColour;
  subtle: boolean;
  size: keyof typeof FONT_SIZES;
  bold: boolean;
  container: ContainerStyle;
}

/** Container types whose `style` sets the background of what they hold. */
const CONTAINERS = new Set(['Container', 'Column', 'ColumnSet', 'Table', 'TableCell']);

function lower<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  return (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

function textRun(node: Record<string, unknown>, container: ContainerStyle): Text {
  return {
    text: typeof node.text === 'string' ? node.text : '',
    colour: lower(node.color, TEXT_COLOURS, 'default'),
    subtle: node.isSubtle === true,
    size: lower(node.size, Object.keys(FONT_SIZES) as (keyof typeof FONT_SIZES)[], 'default'),
    bold: lower(node.weight, ['bolder', 'default', 'lighter'], 'default') === 'bolder',
    container,
  };
}

/** All the text of a card, with its colour and the container style it is drawn on. */
export function textsOf(card: CardJson, theme: HostTheme): Text[] {
  const found: Text[] = [];
  const walk = (node: unknown, container: ContainerStyle): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, container));
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    let here = container;
    if (typeof n.type === 'string' && CONTAINERS.has(n.type) && typeof n.style === 'string')
      here = lower(n.style, CONTAINER_STYLES, container);
    if (n.type === 'TextBlock' || n.type === 'TextRun') found.push(textRun(n, here));
    if (n.type === 'FactSet') {
      for (const fact of (n.facts as { title?: string; value?: string }[] | undefined) ?? []) {
        found.push({ ...textRun({ text: fact.title }, here), bold: true });
        found.push(textRun({ text: fact.value }, here));
      }
    }
    if (typeof n.label === 'string') found.push(textRun({ text: n.label }, here));
    for (const [key, value] of Object.entries(n)) {
      if (key === 'refresh') continue;
      // The card an Action.ShowCard opens is drawn in the host's show-card style.
      if (n.type === 'Action.ShowCard' && key === 'card') walk(value, theme.showCardStyle);
      else walk(value, here);
    }
  };
  walk(card.body, 'default');
  walk(card.actions, 'default');
  return found;
}

function rgba(hex: string): [number, number, number, number] {
  const h = hex.replace('#', '');
  const [a, rgb] = h.length === 8 ? [parseInt(h.slice(0, 2), 16) / 255, h.slice(2)] : [1, h];
  return [0, 2, 4].map((i) => parseInt(rgb.slice(i, i + 2), 16)).concat(a) as [
    number,
    number,
    number,
    number,
  ];
}

function luminance([r, g, b]: number[]): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

/** The contrast of `fg` (possibly translucent) drawn on `bg`. */
export function contrast(fg: string, bg: string): number {
  const back = rgba(bg);
  const [r, g, b, a] = rgba(fg);
  const drawn = [r, g, b].map((c, i) => c * a + back[i]! * (1 - a));
  const [hi, lo] = [luminance(drawn), luminance(back)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

function problems(card: CardJson): string[] {
  const found: string[] = [];
  for (const theme of TEAMS_THEMES) {
    for (const t of textsOf(card, theme)) {
      const box = theme.containers[t.container];
      const colour = box.foreground[t.colour][t.subtle ? 'subtle' : 'default'];
      const ratio = contrast(colour, box.background);
      const large = FONT_SIZES[t.size] >= 24;
      if (ratio < (large ? 3 : 4.5)) {
        found.push(
          `${theme.name}: "${t.text.slice(0, 40)}" in ${t.colour}${t.subtle ? ' (subtle)' : ''} on the ${t.container} background is ${ratio.toFixed(2)}:1`,
        );
      }
    }
  }
  return found;
}

describe('the contrast check', () => {
  it('measures as WCAG does: black on white is 21:1, and Teams’ yellow on white fails', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#f8d22a', '#ffffff')).toBeLessThan(1.6);
  });

  it('finds coloured text that is hard to read, also in a show-card; bold text in a styled container passes', () => {
    const card: CardJson = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'INCOMPLETE', color: 'Warning', weight: 'Bolder' },
        { type: 'TextBlock', text: 'RETAINED', color: 'good' },
        { type: 'TextBlock', text: 'HELD', color: 'attention' },
        {
          type: 'Container',
          style: 'good',
          items: [{ type: 'TextBlock', text: 'Approved', weight: 'Bolder' }],
        },
      ],
      actions: [
        {
          type: 'Action.ShowCard',
          title: 'Why?',
          card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'why', color: 'good' }] },
        },
      ],
    };
    expect(problems(card)).toEqual([
      'light: "INCOMPLETE" in warning on the default background is 1.47:1',
      'light: "RETAINED" in good on the default background is 2.07:1',
      'light: "why" in good on the emphasis background is 1.95:1',
      'dark: "HELD" in attention on the default background is 3.24:1',
    ]);
  });
});

describe.each(Object.keys(CARD_BUILDERS) as (keyof typeof CARD_BUILDERS)[])(
  '%s is readable in Teams’ light and dark themes',
  (builder) => {
    it.each(CARD_EXAMPLES[builder].map((e) => [e.view, e] as const))('%s', (_view, example) => {
      const card = example.card();
      expect(textsOf(card, TEAMS_THEMES[0]!).length).toBeGreaterThan(0);
      expect(problems(card)).toEqual([]);
    });
  },
);
