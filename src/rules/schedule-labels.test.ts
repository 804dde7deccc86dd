import { describe, expect, it } from 'vitest';
import { basisSentence, classesInUse, defaultSchedule, findClass, type Basis } from './index.js';

// Each class's label: statutory, statutory guidance, case law or local; to be confirmed or not.
const LABELS: Record<string, [Basis, boolean]> = {
  'looked-after-child': ['statutory', false],
  'care-leaver': ['local', true],
  adoption: ['statutory', false],
  'adoption-no-order': ['statutory-guidance', true],
  'prospective-adopter': ['local', true],
  'prospective-adopter-approved': ['local', true],
  'prospective-adopter-withdrawn-refused': ['local', true],
  'foster-carer-approved': ['statutory', false],
  'connected-person-temporary': ['statutory', false],
  'foster-applicant-refused-withdrawn': ['statutory', false],
  'childrens-home-child': ['statutory', false],
  // Regulation 37 sets the period; the figure itself is not yet confirmed.
  'childrens-home-other': ['statutory', true],
  uasc: ['statutory', false],
  'child-protection': ['case-law', true],
  'child-in-need': ['local', true],
  'early-help': ['local', true],
  'missing-children': ['local', true],
  'sen-ehcp': ['local', true],
  'supervision-order': ['local', true],
  'private-fostering': ['local', true],
  'court-report-private-law': ['local', true],
  'child-arrangements': ['local', true],
  'special-guardianship': ['local', true],
  'secure-accommodation': ['local', true],
  'disabled-children-short-breaks': ['local', true],
  'youth-justice': ['local', true],
  'youth-justice-sexual-offences': ['local', true],
  'allegation-against-staff': ['statutory-guidance', true],
  lado: ['local', true],
  'lado-unfounded-malicious': ['local', true],
  'lado-advice-only': ['local', true],
  complaint: ['local', true],
  'safeguarding-practice-review': ['local', true],
};

describe('labels that are true', () => {
  it('cover every class', () => {
    expect(defaultSchedule.classes.map((c) => c.id).sort()).toEqual(Object.keys(LABELS).sort());
  });

  it.each(Object.entries(LABELS))('%s is %j', (id, [basis, toBeConfirmed]) => {
    const cls = findClass(defaultSchedule, id)!;
    expect([cls.basis, cls.toBeConfirmed]).toEqual([basis, toBeConfirmed]);
    const sentence = basisSentence(cls);
    if (basis === 'local') expect(sentence).toContain('The council’s own choice');
    else expect(sentence).not.toContain('own choice');
    expect(sentence.includes('to be confirmed')).toBe(toBeConfirmed);
  });

  it('cites the pre-2005 adoption rule for what it is: secondary sources, the 1983 text not checked', () => {
    const rule = findClass(defaultSchedule, 'adoption')!.rules.find(
      (r) => r.id === 'order-before-2005-12-30',
    )!;
    expect(rule.citation).toContain('Adoption Agencies Regulations 1983');
    expect(rule.citation).toContain('secondary sources');
    expect(rule.citation).toContain('not checked');
  });

  it('offers every class but the replaced one for new records, each with the words staff use', () => {
    const inUse = classesInUse(defaultSchedule).map((c) => c.id);
    expect(inUse).not.toContain('prospective-adopter');
    expect(findClass(defaultSchedule, 'prospective-adopter')!.replacedBy).toEqual([
      'prospective-adopter-approved',
      'prospective-adopter-withdrawn-refused',
    ]);
    for (const id of [
      'uasc',
      'child-arrangements',
      'missing-children',
      'sen-ehcp',
      'lado',
      'lado-unfounded-malicious',
      'lado-advice-only',
      'youth-justice-sexual-offences',
      'prospective-adopter-approved',
      'prospective-adopter-withdrawn-refused',
    ]) {
      expect(inUse).toContain(id);
      expect(findClass(defaultSchedule, id)!.aliases.length).toBeGreaterThanOrEqual(5);
    }
  });
});
