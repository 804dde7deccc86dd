import { describe, expect, it } from 'vitest';
import { classesInUse, defaultSchedule } from '../../../src/rules/schedule.js';
import { CLASS_IDS } from '../../../src/understanding/index.js';
import { findRecordClasses } from '../../../src/understanding/record-classes.js';

function classes(text: string): string[] {
  const found = findRecordClasses(text);
  const best = found[0]?.score;
  return found.filter((f) => f.score === best).map((f) => f.id);
}

describe('record classes from what staff call them', () => {
  it.each([
    ['how long do we keep CP records', ['child-protection']],
    ['hw long do we keep cp files', ['child-protection']],
    ['section 47 enquiries', ['child-protection']],
    ['s.47 and strat minutes', ['child-protection']],
    ['LAC files', ['looked-after-child']],
    ['s20 case files', ['looked-after-child']],
    ['looked-after children', ['looked-after-child']],
    ['children placed in our residential homes', ['childrens-home-child']],
    ['kinship carers', ['connected-person-temporary']],
    ['reg 24 temporary approval', ['connected-person-temporary']],
    ['people who withdrew from becoming foster carers', ['foster-applicant-refused-withdrawn']],
    ['the adoption fell through, no order', ['adoption-no-order']],
    ['prospective adopters who pulled out', ['prospective-adopter-withdrawn-refused']],
    ['LADO referral found to be malicious', ['lado-unfounded-malicious']],
    ['youth offending sexual offences', ['youth-justice-sexual-offences']],
    ['C&A files', ['child-arrangements']],
    ['16+ team', ['care-leaver']],
    ['fire drill records in the children’s home', ['childrens-home-other']],
    ['return home interviews', ['missing-children']],
    ['serious case review', ['safeguarding-practice-review']],
    ['EH records', ['early-help']],
  ])('%s', (text, expected) => {
    expect(classes(text)).toEqual(expected);
  });

  it.each([
    ['adoptoin records', ['adoption']],
    // Children's home records alone may be a child's or the home's own: both, as for the right spelling.
    ['chidlrens home records', ['childrens-home-child', 'childrens-home-other']],
    ['chidlrens home daily logs', ['childrens-home-child']],
    ['child protetcion', ['child-protection']],
    ['speical guardianship', ['special-guardianship']],
    ['privte fostering', ['private-fostering']],
  ])('tolerates typos: %s', (text, expected) => {
    expect(classes(text)).toEqual(expected);
  });

  it.each([
    ['foster records', ['foster-carer-approved', 'foster-applicant-refused-withdrawn']],
    ["children's home records", ['childrens-home-child', 'childrens-home-other']],
    // Prospective adopters without saying approved, or withdrew or refused: both (decision 12).
    [
      'prospective adopter records',
      ['prospective-adopter-approved', 'prospective-adopter-withdrawn-refused'],
    ],
    ['adopter files', ['prospective-adopter-approved', 'prospective-adopter-withdrawn-refused']],
    ['adopter assessments', ['prospective-adopter-approved', 'prospective-adopter-withdrawn-refused']],
  ])('returns every class the words fit equally: %s', (text, expected) => {
    expect(classes(text)).toEqual(expected);
  });

  it.each([
    ['approved adopter files', ['prospective-adopter-approved']],
    ['PARs for adopters who got approved', ['prospective-adopter-approved']],
    ['files on adopters who withdrew', ['prospective-adopter-withdrawn-refused']],
    ['the fire drill log at the childrens home', ['childrens-home-other']],
    ['a childs case record from the secure childrens home', ['childrens-home-child']],
  ])('the words that say which one decide: %s', (text, expected) => {
    expect(classes(text)).toEqual(expected);
  });

  it('ignores a term after a negation', () => {
    expect(classes('s47 minutes where the child never came into care')).toEqual(['child-protection']);
  });

  it('takes no real word for a typo of a class term: "start a batch" names no class ("strat" does)', () => {
    expect(classes('start a batch')).toEqual([]);
    expect(classes('start a destruction batch')).toEqual([]);
    expect(classes('strat minutes')).toEqual(['child-protection']);
  });

  it('reads "so" and "eh" as classes only in capitals', () => {
    expect(classes('so how long do we keep them')).toEqual([]);
    expect(classes('SO files')).toEqual(['supervision-order']);
  });

  it('says which words named the class', () => {
    const [found] = findRecordClasses('how long do we keep the resi daily logs');
    expect(found).toMatchObject({ id: 'childrens-home-child', from: { text: 'daily logs' } });
  });

  it('names exactly the classes records may be given in the schedule: every one, and no other', () => {
    expect([...CLASS_IDS].sort()).toEqual(
      classesInUse(defaultSchedule)
        .map((c) => c.id)
        .sort(),
    );
    expect(new Set(CLASS_IDS).size).toBe(CLASS_IDS.length);
  });

  it('never resolves to a replaced class, but to the classes that replace it', () => {
    const replaced = defaultSchedule.classes.filter((c) => c.replacedBy);
    expect(replaced.map((c) => c.id)).toEqual(['prospective-adopter']);
    for (const cls of replaced) {
      expect(CLASS_IDS).not.toContain(cls.id);
      for (const id of cls.replacedBy!) expect(CLASS_IDS).toContain(id);
    }
  });
});
