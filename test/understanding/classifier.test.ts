import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classifierText,
  COMMAND_ALIASES,
  COMMANDS,
  matchCommand,
  parsePhrases,
  trainModel,
} from '../../src/bot/understanding/classifier.js';
import { INTENTS } from '../../src/bot/understanding/intents.js';
import phrases from '../../src/bot/understanding/phrases.json' with { type: 'json' };
import heldout from './heldout.json' with { type: 'json' };

describe('commands', () => {
  it('fit the Teams manifest command list', () => {
    expect(COMMANDS.length).toBeLessThanOrEqual(10);
    const all = [...COMMANDS, ...COMMAND_ALIASES];
    expect(new Set(all.map((c) => c.command.toLowerCase())).size).toBe(all.length);
    for (const c of all) {
      expect(c.command.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(128);
      expect(INTENTS).toContain(c.intent);
    }
  });

  it('match the whole message only', () => {
    expect(matchCommand('HELP')?.intent).toBe('help');
    expect(matchCommand(' my   requests ')?.intent).toBe('removal.list_mine');
    expect(matchCommand('team')?.intent).toBe('approvals.pending');
    expect(matchCommand('recall')?.intent).toBe('removal.cancel');
    expect(matchCommand('help me')).toBeUndefined();
    expect(matchCommand('')).toBeUndefined();
  });
});

describe('phrases', () => {
  it('name every intent and only known intents', () => {
    expect(() => parsePhrases(phrases)).not.toThrow();
    expect(() => parsePhrases({ ...phrases, 'removal.approve': ['approve it'] })).toThrow(/unknown intent/);
    const withoutHelp = Object.fromEntries(Object.entries(phrases).filter(([intent]) => intent !== 'help'));
    expect(() => parsePhrases(withoutHelp)).toThrow(/help/);
    expect(() => parsePhrases({ ...phrases, help: [''] })).toThrow(/non-empty/);
  });

  it('are prepared so that no particular number or name is learnt', () => {
    expect(classifierText("cancel Sam's authorisation for #1234567 on 03/12, day 3")).toBe(
      "cancel colleague 's authorisation for caseref on date day num",
    );
  });
});

describe('the trained model', () => {
  it('trains quickly, in memory, and agrees with nlp.js own process()', async () => {
    const started = performance.now();
    const model = await trainModel(parsePhrases(phrases));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(model.nlp.settings.autoSave).toBe(false);
    expect(existsSync('model.nlp')).toBe(false);
    for (const { text } of heldout.cases.slice(0, 80)) {
      const prepared = classifierText(text);
      const ours = model.rank(prepared);
      const theirs = await model.nlp.process('en', prepared);
      expect(ours[0]?.intent ?? 'None', text).toBe(theirs.classifications[0]?.intent);
      expect(ours[0]?.score ?? 1, text).toBeCloseTo(theirs.classifications[0]?.score ?? 1, 9);
    }
  });

  it('answers None below the threshold', async () => {
    const strict = (await trainModel(parsePhrases(phrases), { threshold: 1.01 })).classifier;
    expect(strict.classify('show my requests').intent).toBe('None');
  });
});
