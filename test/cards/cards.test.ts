import { describe, expect, it } from 'vitest';
import { CARD_BUILDERS } from '../../src/cards/index.js';
import { CARD_EXAMPLES } from './examples.js';
import { cardProblems } from './validate.js';

// Every card the product sends, in every view a person can have of it: valid Adaptive Cards 1.5
// as the SDK reads them, and unchanged unless the snapshot is updated on purpose.

describe('the card validator', () => {
  it('finds what the SDK refuses: unknown elements, bad values, duplicate ids, wrong version, unbound data', () => {
    const problems = cardProblems({
      type: 'AdaptiveCard',
      version: '1.6',
      body: [
        { type: 'Gallery' },
        { type: 'Container', style: 'sparkly', items: [] },
        { type: 'Input.Text', id: 'reason' },
        { type: 'Input.Text', id: 'reason' },
        { type: 'TextBlock', text: '${name}' },
      ],
      actions: [{ type: 'Action.Teleport' }],
    });
    expect(problems).toEqual([
      'version is 1.6, not 1.5',
      'unbound template expressions: ${name}',
      'parse: Unknown element type "Gallery". Fallback will be used if present.',
      'parse: Invalid value "sparkly" for property "style".',
      'parse: Unknown action type "Action.Teleport". Fallback will be used if present.',
      'validate: Duplicate Id "reason".',
    ]);
  });
});

describe.each(Object.keys(CARD_BUILDERS) as (keyof typeof CARD_BUILDERS)[])('%s', (builder) => {
  it('has an example of every view', () => {
    expect(CARD_EXAMPLES[builder].length).toBeGreaterThan(0);
  });

  it.each(CARD_EXAMPLES[builder].map((e) => [e.view, e] as const))('%s', (_view, example) => {
    const card = example.card();
    expect(cardProblems(card)).toEqual([]);
    expect(card).toMatchSnapshot();
  });
});
