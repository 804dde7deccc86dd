import { beforeAll, describe, expect, it } from 'vitest';
import phrases from '../../src/bot/understanding/phrases.json' with { type: 'json' };
import {
  createUnderstanding,
  INTENTS,
  isIntent,
  type Entities,
  type Understanding,
} from '../../src/bot/understanding/index.js';
import heldout from './heldout.json' with { type: 'json' };

interface HeldOutCase {
  text: string;
  intent: string;
  entities?: Record<string, unknown>;
}

const cases: readonly HeldOutCase[] = heldout.cases;
const REQUIRED_ACCURACY = 0.95;

let understanding: Understanding;
beforeAll(async () => {
  understanding = await createUnderstanding();
});

describe('held-out phrasings', () => {
  it('are well formed, cover every intent, and are not training phrases', () => {
    const training = new Set(
      Object.values(phrases).flatMap((list) => list.map((p) => p.trim().toLowerCase())),
    );
    expect(cases.length).toBeGreaterThanOrEqual(120);
    expect(cases.filter((c) => !isIntent(c.intent)).map((c) => c.intent)).toEqual([]);
    expect(new Set(cases.map((c) => c.intent))).toEqual(new Set(INTENTS));
    expect(cases.filter((c) => training.has(c.text.trim().toLowerCase())).map((c) => c.text)).toEqual([]);
  });

  it(`are classified with accuracy of at least ${REQUIRED_ACCURACY}`, () => {
    const misclassified = cases
      .map((c) => ({ c, got: understanding.understand(c.text, heldout.today) }))
      .filter(({ c, got }) => got.intent !== c.intent)
      .map(
        ({ c, got }) =>
          `${JSON.stringify(c.text)}: expected ${c.intent}, got ${got.intent} (${got.score.toFixed(2)})`,
      );
    const accuracy = 1 - misclassified.length / cases.length;
    expect(
      accuracy,
      `accuracy ${accuracy.toFixed(3)}; misclassified:\n${misclassified.join('\n')}`,
    ).toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
  });

  it('give the expected entities when the intent is right', () => {
    const checks = cases.flatMap((c) => {
      const got = understanding.understand(c.text, heldout.today);
      if (got.intent !== c.intent) return [];
      return Object.entries(c.entities ?? {}).map(([name, expected]) => ({
        ok: got.entities[name as keyof Entities] === expected,
        line: `${JSON.stringify(c.text)}: ${name} expected ${JSON.stringify(expected)}, got ${JSON.stringify(got.entities[name as keyof Entities])}`,
      }));
    });
    const wrong = checks.filter((c) => !c.ok).map((c) => c.line);
    expect(checks.length).toBeGreaterThan(80);
    expect(1 - wrong.length / checks.length, `wrong entities:\n${wrong.join('\n')}`).toBeGreaterThanOrEqual(
      REQUIRED_ACCURACY,
    );
  });
});
