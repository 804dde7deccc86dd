import { beforeAll, describe, expect, it } from 'vitest';
import phrases from '../../src/bot/understanding/phrases.json' with { type: 'json' };
import { createUnderstanding, type Understanding } from '../../src/bot/understanding/index.js';
import { matchRecordClasses, type ClassMatch } from '../../src/rules/class-match.js';
import { classesInUse, defaultSchedule } from '../../src/rules/schedule.js';
import data from './retention-classes.heldout.json' with { type: 'json' };

interface ClassCase {
  text: string;
  class: string;
}
interface AmbiguousCase {
  text: string;
  classes: string[];
}

const cases: readonly ClassCase[] = data.cases;
const ambiguous: readonly AmbiguousCase[] = data.ambiguous;
const REQUIRED_ACCURACY = 0.95;
/** As the bot's answer does: matches within a point of the best are offered as a choice. */
const NEAR = 1;

let understanding: Understanding;
beforeAll(async () => {
  understanding = await createUnderstanding();
});

/** Understands the question as the bot does, then matches the class words to the schedule. */
function resolve(text: string): { intent: string; matches: ClassMatch[]; near: string[] } {
  const got = understanding.understand(text, data.today);
  const matches = matchRecordClasses(defaultSchedule, got.entities.recordClassQuery ?? text);
  const top = matches[0]?.score ?? 0;
  const near = matches.filter((m) => m.score >= top - NEAR).map((m) => m.recordClass.id);
  return { intent: got.intent, matches, near };
}

function describeMatches(matches: readonly ClassMatch[]): string {
  return (
    matches
      .slice(0, 3)
      .map((m) => `${m.recordClass.id} ${m.score}`)
      .join(', ') || 'no match'
  );
}

describe('retention class questions (held out)', () => {
  it('are well formed, cover every class, and are not training phrases', () => {
    // Every class records may be given now (a replaced class is no answer to a question).
    const ids = classesInUse(defaultSchedule).map((c) => c.id);
    const training = new Set(Object.values(phrases).flatMap((list) => list.map((p) => p.toLowerCase())));
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => !ids.includes(c.class)).map((c) => c.class)).toEqual([]);
    expect(new Set(cases.map((c) => c.class))).toEqual(new Set(ids));
    expect(ambiguous.flatMap((c) => c.classes).filter((id) => !ids.includes(id))).toEqual([]);
    const all = [...cases.map((c) => c.text), ...ambiguous.map((c) => c.text)];
    expect(all.filter((t) => training.has(t.toLowerCase()))).toEqual([]);
    expect(all.filter((t) => /\d{6,}/.test(t))).toEqual([]);
  });

  it(`are understood as retention.class and resolve to the right class, at least ${REQUIRED_ACCURACY}`, () => {
    const wrong = cases
      .map((c) => ({ c, got: resolve(c.text) }))
      .filter(
        ({ c, got }) => got.intent !== 'retention.class' || got.near.length !== 1 || got.near[0] !== c.class,
      )
      .map(
        ({ c, got }) =>
          `${JSON.stringify(c.text)}: expected ${c.class}, got ${got.intent} → ${describeMatches(got.matches)}`,
      );
    const accuracy = 1 - wrong.length / cases.length;
    expect(accuracy, `accuracy ${accuracy.toFixed(3)}; wrong:\n${wrong.join('\n')}`).toBeGreaterThanOrEqual(
      REQUIRED_ACCURACY,
    );
  });

  it('offer a choice of two near-equal classes when the question is too vague', () => {
    for (const c of ambiguous) {
      const got = resolve(c.text);
      expect(got.intent, c.text).toBe('retention.class');
      expect([...got.near].sort(), `${c.text}: ${describeMatches(got.matches)}`).toEqual(
        [...c.classes].sort(),
      );
    }
  });
});
