import { describe, expect, it } from 'vitest';
import { matchPolicy, POLICY_FACTS, policyFact, type PolicyFact } from './index.js';

const topOf = (question: string): PolicyFact | undefined => matchPolicy(question)[0]?.fact;

describe('matchPolicy', () => {
  it.each<{ question: string; top: string; verdict: PolicyFact['verdict'] }>([
    { question: 'can I save this to a memory stick?', top: 'P4', verdict: 'no' },
    { question: 'MEMORY STICK!!!', top: 'P4', verdict: 'no' },
    { question: 'Can I put it on a USB?', top: 'P4', verdict: 'no' },
    { question: 'who destroys records?', top: 'D2', verdict: 'no' },
    { question: 'can I shred old notes', top: 'D2', verdict: 'no' },
    { question: 'can I take the file home for a meeting', top: 'P5', verdict: 'only-if' },
    { question: 'can I work from home with the file', top: 'P5', verdict: 'only-if' },
    { question: 'what happens if I breach this', top: 'P7', verdict: 'fact' },
    { question: 'Do my notes belong to me?', top: 'P1', verdict: 'fact' },
    { question: 'Where do I upload a scanned letter?', top: 'P2', verdict: 'fact' },
    { question: 'Can my manager cancel my authorisation?', top: 'P6', verdict: 'fact' },
    { question: 'How long do we keep adoption records?', top: 'D1', verdict: 'fact' },
    { question: 'is there a legal hold on this?', top: 'D3', verdict: 'fact' },
    { question: 'Where is the register of destroyed records?', top: 'D4', verdict: 'fact' },
  ])('"$question" → $top ($verdict)', ({ question, top, verdict }) => {
    const fact = topOf(question);
    expect(fact?.id).toBe(top);
    expect(fact?.verdict).toBe(verdict);
  });

  it('answers "can I keep a copy on my laptop?" with P3 or P4, both a no', () => {
    const matches = matchPolicy('can I keep a copy on my laptop?');
    expect(['P3', 'P4']).toContain(matches[0]?.fact.id);
    expect(matches[0]?.fact.verdict).toBe('no');
    expect(matches.map((m) => m.fact.id)).toEqual(expect.arrayContaining(['P3', 'P4']));
  });

  it.each(['tell me a joke', '', '   ', '???', 'stick', 'what is the weather in Exeter'])(
    'finds nothing for "%s"',
    (question) => {
      expect(matchPolicy(question)).toEqual([]);
    },
  );

  it('scores longer phrases higher and sorts best first', () => {
    const matches = matchPolicy('Can I print at home?');
    expect(matches.map((m) => [m.fact.id, m.score])).toEqual([
      ['P4', 3],
      ['P3', 2],
    ]);
  });

  it('needs every word of a phrase', () => {
    expect(matchPolicy('memory').map((m) => m.fact.id)).toEqual([]);
    expect(matchPolicy('memory stick').map((m) => m.fact.id)).toEqual(['P4']);
  });

  it('ignores apostrophes and punctuation', () => {
    expect(topOf("I'm WFH, can I email home the file?")?.id).toBe('P4');
    expect(matchPolicy("I'm WFH").map((m) => m.fact.id)).toEqual(['P5']);
  });

  it('breaks ties by fact id', () => {
    const facts: PolicyFact[] = [
      { id: 'B', section: 's', verdict: 'fact', summary: 'b', answer: 'b', keywords: ['apple'] },
      { id: 'A', section: 's', verdict: 'fact', summary: 'a', answer: 'a', keywords: ['apple'] },
    ];
    expect(matchPolicy('an apple', facts).map((m) => m.fact.id)).toEqual(['A', 'B']);
  });

  it('uses the facts it is given', () => {
    const facts: PolicyFact[] = [
      { id: 'X1', section: 's', verdict: 'no', summary: 'x', answer: 'x', keywords: ['fax machine'] },
    ];
    expect(matchPolicy('can I use the fax machine', facts)).toEqual([{ fact: facts[0], score: 2 }]);
    expect(matchPolicy('can I save this to a memory stick?', facts)).toEqual([]);
  });
});

describe('POLICY_FACTS and policyFact', () => {
  it('holds the procedure rules P1–P7 and D1–D4', () => {
    expect(POLICY_FACTS.map((f) => f.id)).toEqual([
      'P1',
      'P2',
      'P3',
      'P4',
      'P5',
      'P6',
      'P7',
      'D1',
      'D2',
      'D3',
      'D4',
    ]);
  });

  it.each(POLICY_FACTS.map((fact) => ({ id: fact.id, fact })))('$id is complete', ({ fact }) => {
    expect(fact.section).toMatch(/^Section [12], /);
    expect(fact.summary.trim()).not.toBe('');
    expect(fact.answer.trim()).not.toBe('');
    expect(fact.keywords.length).toBeGreaterThan(0);
    expect(matchPolicy(fact.keywords[0] ?? '').map((m) => m.fact.id)).toContain(fact.id);
  });

  it.each<{ id: string; verdict: PolicyFact['verdict'] }>([
    { id: 'P3', verdict: 'no' },
    { id: 'P4', verdict: 'no' },
    { id: 'P5', verdict: 'only-if' },
    { id: 'D2', verdict: 'no' },
  ])('$id says $verdict', ({ id, verdict }) => {
    expect(policyFact(id)?.verdict).toBe(verdict);
  });

  it('finds nothing for an unknown id', () => {
    expect(policyFact('P9')).toBeUndefined();
    expect(policyFact('p4')).toBeUndefined();
  });
});
