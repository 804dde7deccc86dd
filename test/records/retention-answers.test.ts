import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basisSentence,
  classesInUse,
  defaultSchedule,
  procedureSection,
  type RecordClass,
  type SectionId,
} from '../../src/rules/index.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { textOf, type BotHarness, type Person } from '../support/bot-harness.js';
import { lastCard, startBot, textBlocks } from './helpers.js';

// Issue 4, item 1: retention questions in staff words, answered over HTTP from the schedule.

/** One question per record class, in the words (abbreviations, typos) staff use. */
const QUESTIONS: Record<string, string> = {
  'looked-after-child': 'how long do we keep LAC records?',
  'care-leaver': 'how long do we keep care leaver files?',
  adoption: 'how long do we keep adopton records?',
  'adoption-no-order': 'how long do we keep an adoption file where no adoption order was made?',
  'prospective-adopter-approved': 'how long do we keep approved adopter files?',
  'prospective-adopter-withdrawn-refused': 'how long do we keep files on adopters who withdrew?',
  uasc: 'how long do we keep UASC records?',
  'child-arrangements': 'how long do we keep residence order files?',
  'missing-children': 'how long do we keep missing children records?',
  'sen-ehcp': 'how long do we keep EHCP records?',
  'lado-unfounded-malicious': 'how long do we keep a malicious allegation on the LADO file?',
  'lado-advice-only': 'how long do we keep LADO advice only consultations?',
  'youth-justice-sexual-offences': 'how long do we keep YOT records of a sexual offence?',
  'foster-carer-approved': 'how long do we keep approved foster carer files?',
  'connected-person-temporary': 'retention for kinship carer records?',
  'foster-applicant-refused-withdrawn': 'how long do we keep a refused foster applicant file?',
  'childrens-home-child': 'how long do we keep a childs case record from the secure childrens home?',
  'childrens-home-other': 'how long do we keep the fire drill log at the childrens home?',
  'child-protection': 'how long do we keep CP files?',
  'child-in-need': 'how long do we keep CIN records?',
  'early-help': 'how long are early help records kept?',
  'supervision-order': 'how long do we keep supervision order records?',
  'private-fostering': 'how long do we keep private fostering files?',
  'court-report-private-law': 'how long do we keep section 7 reports?',
  'special-guardianship': 'how long do we keep SGO files?',
  'secure-accommodation': 'how long do we keep secure accomodation records?',
  'disabled-children-short-breaks': 'how long do we keep short breaks records for disabled children?',
  'youth-justice': 'how long do we keep YOT files?',
  'allegation-against-staff': 'how long do we keep an allegation against staff on the personnel file?',
  lado: 'how long are LADO referrals kept?',
  complaint: 'how long do we keep complaints?',
  'safeguarding-practice-review': 'how long do we keep serious case reviews?',
};

/** The regulation each statutory class must cite (research notes, section a). */
const STATUTORY: Record<string, string> = {
  'looked-after-child': 'SI 2010/959',
  'childrens-home-child': 'SI 2015/541',
  adoption: 'SI 2005/888',
  'foster-carer-approved': 'SI 2011/581',
  'connected-person-temporary': 'SI 2011/581',
  'foster-applicant-refused-withdrawn': 'SI 2011/581',
  uasc: 'SI 2010/959',
};

const AT_THE_END: Record<RecordClass['actionAtEnd'], RegExp> = {
  review: /Reviewed by the Records Management Service/,
  destroy: /Destroyed by the Records Management Service, after the pre-destruction checks/,
  'permanent-preservation': /Kept permanently/,
};

const TO_BE_CONFIRMED = 'to be confirmed by the Records Management Service';
const OWN_CHOICE = 'council’s own choice';

describe('retention answers in chat', () => {
  let bot: BotHarness;
  let before: Record<string, number>;
  beforeAll(async () => {
    bot = await startBot();
    before = await bot.stateCounts();
  });
  afterAll(async () => {
    // Questions change nothing, and the audit chain is untouched.
    expect(await bot.stateCounts()).toEqual(before);
    expect(await verifyAudit(bot.app.store.db)).toMatchObject({ ok: true });
    await bot.stop();
  });

  const ask = async (text: string, person: Person = 'sam') => lastCard(await bot.say(person, text));

  // The replaced prospective adopter class is no answer to a question (decision 12).
  const inUse = classesInUse(defaultSchedule);

  it('has a question for every one of the 32 record classes in use', () => {
    expect(inUse).toHaveLength(32);
    expect(Object.keys(QUESTIONS).sort()).toEqual(inUse.map((c) => c.id).sort());
  });

  it.each(inUse.map((cls) => ({ id: cls.id, cls, question: QUESTIONS[cls.id]! })))(
    '$id: $question',
    async ({ cls, question }) => {
      const card = await ask(question);
      const text = textOf(card);
      // One answer, for this class: not a choice, not the help card.
      expect(textBlocks(card)[0]).toBe(`How long we keep: ${cls.title}`);
      expect(text).toContain(cls.period);
      expect(text).toContain(cls.trigger);
      expect(text).toMatch(AT_THE_END[cls.actionAtEnd]);
      expect(text).toContain(cls.authority.citation);
      const regulation = STATUTORY[cls.id];
      if (regulation) {
        expect(cls.basis).toBe('statutory');
        expect(text).toContain(regulation);
        expect(text).not.toContain(TO_BE_CONFIRMED);
      }
      if (cls.basis === 'local') expect(cls.toBeConfirmed).toBe(true);
      // What the period rests on, in the rules' one sentence: only a local period is the council's choice.
      expect(text).toContain(basisSentence(cls));
      if (cls.basis === 'local') expect(text).toContain(OWN_CHOICE);
      else expect(text).not.toContain(OWN_CHOICE);
      if (cls.toBeConfirmed) expect(text).toContain(TO_BE_CONFIRMED);
      else expect(text).not.toContain(TO_BE_CONFIRMED);
    },
  );

  it('statutory classes are exactly the seven with a regulation, and a manager gets the same answer', async () => {
    expect(
      defaultSchedule.classes
        .filter((c) => c.basis === 'statutory' && !c.toBeConfirmed)
        .map((c) => c.id)
        .sort(),
    ).toEqual(Object.keys(STATUTORY).sort());
    expect(textOf(await ask('how long do we keep LAC records?', 'priya'))).toEqual(
      textOf(await ask('how long do we keep LAC records?', 'sam')),
    );
  });

  it('a looked after child who died at 12: 15 years from death', async () => {
    const text = textOf(await ask('what about LAC records if the child died at 12?'));
    expect(text).toContain('How long we keep: Looked after child case record');
    expect(text).toContain('For a child who died at 12: 15 years from death');
    expect(text).toContain('SI 2010/959');
    const adult = textOf(await ask('what about LAC records if the young person died at 19?'));
    expect(adult).toContain('not covered by the "died before 18" rule');
  });

  it.each([
    {
      question: 'how long do we keep foster records?',
      classes: ['foster-carer-approved', 'foster-applicant-refused-withdrawn'],
    },
    {
      question: "how long do we keep children's home records",
      classes: ['childrens-home-child', 'childrens-home-other'],
    },
    {
      question: 'how long do we keep prospective adopter records?',
      classes: ['prospective-adopter-approved', 'prospective-adopter-withdrawn-refused'],
    },
  ])('an ambiguous question gets a short choice, not a guess: $question', async ({ question, classes }) => {
    const card = await ask(question);
    const lines = textBlocks(card);
    expect(lines[0]).toBe('Which of these do you mean?');
    const offered = defaultSchedule.classes.filter((c) => lines.some((l) => l.includes(c.title)));
    expect(offered.map((c) => c.id).sort()).toEqual([...classes].sort());
    // No period is given for either: that would be a guess.
    for (const id of classes) {
      const cls = defaultSchedule.classes.find((c) => c.id === id)!;
      expect(textOf(card)).not.toContain(cls.period);
      expect(textOf(card)).not.toContain(cls.authority.citation);
    }
  });

  it.each<{ question: string; sections: SectionId[] }>([
    { question: 'can I keep a copy on my laptop?', sections: ['P3', 'P4'] },
    { question: 'can I use a memory stick at home?', sections: ['P4'] },
    { question: 'who destroys records?', sections: ['D2'] },
  ])(
    'procedure question $question is answered from the procedure, quoting and naming its section',
    async ({ question, sections }) => {
      const text = textOf(await ask(question));
      const quoted = sections.find((id) => text.includes(procedureSection(id).text));
      expect(quoted, text).toBeDefined();
      expect(text).toContain(`Case Retention and Destruction of Records, section ${quoted!}`);
    },
  );

  it('the memory stick answer names memory sticks, and the destroy answer names the service', async () => {
    expect(textOf(await ask('can I use a memory stick at home?'))).toMatch(/memory stick/i);
    const who = textOf(await ask('who destroys records?'));
    expect(who).toContain('2. Destruction of Files');
    expect(who).toContain('Records Management Service');
  });
});
