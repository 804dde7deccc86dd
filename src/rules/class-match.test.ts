import { describe, expect, it } from 'vitest';
import { matchRecordClasses } from './class-match.js';
import { defaultSchedule, type Schedule } from './schedule.js';

const top = (question: string, schedule: Schedule = defaultSchedule) =>
  matchRecordClasses(schedule, question)[0]?.recordClass.id;

/** The classes within a point of the best, as the bot offers them. */
const near = (question: string, schedule: Schedule = defaultSchedule) => {
  const matches = matchRecordClasses(schedule, question);
  const best = matches[0]?.score ?? 0;
  return matches
    .filter((m) => m.score >= best - 1)
    .map((m) => m.recordClass.id)
    .sort();
};

/** A schedule of two classes (copies of real ones) with the given aliases. */
function twoClasses(a: string[], b: string[]): Schedule {
  const [first, second] = defaultSchedule.classes;
  return {
    ...defaultSchedule,
    classes: [
      { ...structuredClone(first!), id: 'class-a', title: 'Alpha', aliases: a },
      { ...structuredClone(second!), id: 'class-b', title: 'Beta', aliases: b },
    ],
  };
}

describe('matchRecordClasses', () => {
  it('finds nothing in an empty question, or one that names no class', () => {
    expect(matchRecordClasses(defaultSchedule, '')).toEqual([]);
    expect(matchRecordClasses(defaultSchedule, 'how long do we keep the records?')).toEqual([]);
    expect(matchRecordClasses(defaultSchedule, 'what is the weather')).toEqual([]);
  });

  it('reads abbreviations, plurals, apostrophes and "children" as "child"', () => {
    expect(top('LAC records')).toBe('looked-after-child');
    expect(top('LACs')).toBe('looked-after-child');
    expect(top('CPs')).toBe('child-protection');
    expect(top('SGOs')).toBe('special-guardianship');
    expect(top("looked after children's files")).toBe('looked-after-child');
    expect(top('children in need')).toBe('child-in-need');
    expect(top('files for kids in care')).toBe('looked-after-child');
    expect(top('young people leaving care')).toBe('care-leaver');
  });

  it('reads "section 47", "s47", "s.47" and "sec 47" alike', () => {
    for (const q of ['section 47 records', 's47 records', 's.47 records', 'sec 47 records', 'S 47'])
      expect(top(q), q).toBe('child-protection');
    expect(top('reg 24 assessments')).toBe('connected-person-temporary');
    expect(top('regulation 24')).toBe('connected-person-temporary');
  });

  it('forgives a typo in a longer word, but prefers the word written exactly', () => {
    expect(top('adopton records')).toBe('adoption');
    expect(top('fostr carer')).toBe('foster-carer-approved');
    expect(top('special gaurdianship')).toBe('special-guardianship');
    expect(top('erly help')).toBe('early-help');
    // "adopted" is one letter from "adopter", but an alias of adoption exactly.
    expect(near('adopted child')).toEqual(['adoption']);
    // Typos do not change the first letter: "foster" is not "roster".
    expect(near('foster carer')).toEqual(['foster-carer-approved']);
    // Short words must be exact: "care" is not "carer".
    expect(matchRecordClasses(twoClasses(['carer'], ['x-ray']), 'care')).toEqual([]);
  });

  it('counts an everyday abbreviation only when written in capitals', () => {
    expect(top('SO files')).toBe('supervision-order');
    expect(top('so how long for these files')).toBeUndefined();
    expect(top('EH records')).toBe('early-help');
    expect(top('eh, what about those')).toBeUndefined();
  });

  it('prefers an alias written together, in order, to its words scattered', () => {
    const schedule = twoClasses(['child in need'], ['need']);
    const [together] = matchRecordClasses(schedule, 'child in need records');
    const scattered = matchRecordClasses(schedule, 'in the records of a child we need').find(
      (m) => m.recordClass.id === 'class-a',
    );
    expect(together?.recordClass.id).toBe('class-a');
    expect(together!.score).toBeGreaterThan(scattered!.score);
    // Common words alone, scattered, are not enough.
    expect(top('records for a child placed in residential care')).toBe('childrens-home-child');
  });

  it('scores a class by the question words its aliases cover together', () => {
    expect(near('fire drill records in the children’s home')).toEqual(['childrens-home-other']);
    expect(near('staff rotas from the children’s home')).toEqual(['childrens-home-other']);
    expect(near('adoption files where no order was made')).toEqual(['adoption-no-order']);
    expect(near('private fostering assessments')).toEqual(['private-fostering']);
    expect(near('LADO referrals')).toEqual(['lado']);
  });

  it('treats words in brackets as optional, which makes vague questions match two classes equally', () => {
    const schedule = twoClasses(['foster carer', 'foster'], ['foster (applicant)']);
    expect(near('foster records', schedule)).toEqual(['class-a', 'class-b']);
    expect(near('foster applicant', schedule)).toEqual(['class-b']);
    expect(near('foster carer', schedule)).toEqual(['class-a']);
    expect(near('foster records')).toEqual(['foster-applicant-refused-withdrawn', 'foster-carer-approved']);
    expect(near('fostering files')).toEqual(['foster-applicant-refused-withdrawn', 'foster-carer-approved']);
    expect(near('allegation records')).toEqual(['allegation-against-staff', 'lado']);
    expect(near("children's home records")).toEqual(['childrens-home-child', 'childrens-home-other']);
  });

  it('matches titles (without their bracketed notes) and ids too', () => {
    expect(top('Approved foster carer case record and register entry')).toBe('foster-carer-approved');
    expect(top('childrens-home-other')).toBe('childrens-home-other');
  });

  it('is pure: the same answer every time, and the schedule is not changed', () => {
    const before = structuredClone(defaultSchedule);
    const first = matchRecordClasses(defaultSchedule, 'how long do we keep CP files');
    expect(matchRecordClasses(defaultSchedule, 'how long do we keep CP files')).toEqual(first);
    expect(defaultSchedule).toEqual(before);
  });
});
