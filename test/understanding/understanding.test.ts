import { beforeAll, describe, expect, it } from 'vitest';
import {
  createUnderstanding,
  MAX_INPUT_LENGTH,
  type Understanding,
} from '../../src/bot/understanding/index.js';

const THURSDAY = '2026-11-26';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await createUnderstanding();
});

function understand(text: string, today = THURSDAY) {
  return understanding.understand(text, today);
}

describe('removal requests', () => {
  it('reads the case, dates, purpose, destination and justification', () => {
    const got = understand(
      'I need to take the file for case 1234567 home tonight to finish the court report, back Friday',
    );
    expect(got.intent).toBe('removal.request');
    expect(got.command).toBe(false);
    expect(got.entities).toMatchObject({
      caseRef: '1234567',
      outOn: '2026-11-26',
      returnOn: '2026-11-27',
      purpose: 'home_working',
      destination: 'home',
    });
    expect(got.entities.justification).toContain('court report');
  });

  it("reads a colleague's name, the out date and a meeting", () => {
    const got = understand("can I take Jo's records to the core group meeting tomorrow?");
    expect(got.intent).toBe('removal.request');
    expect(got.entities).toMatchObject({
      personName: 'Jo',
      outOn: '2026-11-27',
      purpose: 'meeting',
      destination: 'core group meeting',
    });
  });

  it('reads 03/12 and 3 December as 3 December', () => {
    expect(understand('can I take the file home on 03/12').entities.outOn).toBe('2026-12-03');
    expect(understand('can I take the file home on 3 December').entities.outOn).toBe('2026-12-03');
  });

  it('takes the out date as today when only a return date is given', () => {
    expect(understand('can I take the bundle home until Monday').entities).toMatchObject({
      outOn: '2026-11-26',
      returnOn: '2026-11-30',
    });
  });

  it('reads a range as out and return dates', () => {
    expect(understand('can I have the records at home from Monday to Wednesday').entities).toMatchObject({
      outOn: '2026-11-30',
      returnOn: '2026-12-02',
    });
  });

  it('decides the purpose by destination first', () => {
    expect(
      understand('can I take the bundle to court on Monday to prepare the court statement').entities,
    ).toMatchObject({
      purpose: 'court',
      destination: 'court',
    });
    expect(understand('can I take the file home to prepare for the strategy meeting').entities.purpose).toBe(
      'home_working',
    );
    expect(understand('can I take the file to Stevenage family centre on Friday').entities).toMatchObject({
      destination: 'Stevenage family centre',
      purpose: 'other',
    });
    expect(understand('I need to take the records out for the court hearing tomorrow').entities.purpose).toBe(
      'court',
    );
  });

  it('does not take a year or a date as a case reference', () => {
    expect(understand('can I take the file home on 3 December 2026').entities.caseRef).toBeUndefined();
    expect(understand('can I take the records for 1234567 home on 03/12/2026').entities.caseRef).toBe(
      '1234567',
    );
  });
});

describe('other intents', () => {
  it('cancels an authorisation with a reason', () => {
    const got = understand("cancel Sam's authorisation for 1234567, the case is going to court");
    expect(got.intent).toBe('removal.cancel');
    expect(got.entities).toMatchObject({
      personName: 'Sam',
      caseRef: '1234567',
      reason: 'the case is going to court',
    });
  });

  it('sets cover until a date, in the next year when the date has passed this year', () => {
    const got = understand('Priya is covering my approvals until 12 January');
    expect(got.intent).toBe('acting.set');
    expect(got.entities).toMatchObject({ personName: 'Priya', until: '2027-01-12' });
  });

  it('reads a retention question about a class of records', () => {
    const got = understand('what about LAC records if the child died at 12?');
    expect(got.intent).toBe('retention.class');
    expect(got.entities).toEqual({ recordClassQuery: 'LAC records', diedAtAge: 12 });
    expect(understand('how long do we keep adoption records?').entities.recordClassQuery).toBe(
      'adoption records',
    );
    expect(understand('retention for foster carer files?').entities.recordClassQuery).toBe(
      'foster carer files',
    );
    expect(understand('when can a child protection file be destroyed?').entities.recordClassQuery).toBe(
      'child protection file',
    );
  });

  it('tells a case retention question from a class one by the case reference', () => {
    expect(understand('when will 1234567 be destroyed')).toMatchObject({
      intent: 'retention.case',
      entities: { caseRef: '1234567' },
    });
    expect(understand('is case 2000137 due for destruction').entities.caseRef).toBe('2000137');
  });

  it('answers None to out-of-domain text', () => {
    for (const text of ["what's the weather", 'tell me a joke', 'order pizza', 'zebra quantum marmalade']) {
      expect(understand(text).intent, text).toBe('None');
    }
  });
});

describe('relative dates around the clock changes', () => {
  it('counts tomorrow from the day the clocks go forward', () => {
    expect(understand('can I take the file home tomorrow', '2026-03-29').entities.outOn).toBe('2026-03-30');
  });

  it('counts today and Friday from the day the clocks go back', () => {
    expect(understand('can I take the file home tonight, back Friday', '2026-10-25').entities).toMatchObject({
      outOn: '2026-10-25',
      returnOn: '2026-10-30',
    });
  });
});

describe('typed commands and odd input', () => {
  it('matches typed commands exactly, ignoring case and spaces', () => {
    expect(understand('  My Requests ')).toMatchObject({
      intent: 'removal.list_mine',
      command: true,
      score: 1,
    });
    expect(understand('/help')).toMatchObject({ intent: 'help', command: true });
    expect(understand('retention')).toMatchObject({ intent: 'retention.class', command: true });
    expect(understand('my requests please').command).toBe(false);
  });

  it('strips the bot mention and HTML', () => {
    const got = understand('<at>Case Records</at>&nbsp;<p>my <b>requests</b></p>');
    expect(got).toMatchObject({ intent: 'removal.list_mine', command: true });
    expect(understand('<at>Case Records Assistant</at> help')).toMatchObject({
      intent: 'help',
      command: true,
    });
  });

  it('keeps the name from a mention of a colleague', () => {
    const got = understand("cancel <at>Sam Jones</at>'s authorisation for 1234567");
    expect(got.intent).toBe('removal.cancel');
    expect(got.entities.personName).toBe('Sam');
  });

  it('meets an empty message with help', () => {
    expect(understand('')).toMatchObject({ intent: 'help', command: false, entities: {} });
    expect(understand('   <at>Case Records</at>  ')).toMatchObject({ intent: 'help' });
    expect(understand(undefined as unknown as string).intent).toBe('help');
  });

  it('reads only the start of a huge message, quickly', () => {
    const huge = `can I take the file for 1234567 home tonight ${'and some more words '.repeat(50_000)}`;
    const started = performance.now();
    const got = understand(huge);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(got.intent).toBe('removal.request');
    expect(got.entities.caseRef).toBe('1234567');
    expect(() => understand('<'.repeat(100_000))).not.toThrow();
    expect(() => understand('<at>'.repeat(50_000))).not.toThrow();
    expect(() => understand('9'.repeat(MAX_INPUT_LENGTH * 3))).not.toThrow();
  });

  it('refuses a today that is not a calendar date', () => {
    expect(() => understand('help', '26/11/2026')).toThrow(RangeError);
  });

  it('gives the same answers however calls interleave', async () => {
    const texts = [
      'show my requests',
      "cancel Sam's authorisation for 1234567",
      'can I take the file home tomorrow',
    ];
    const alone = texts.map((t) => understand(t));
    const together = await Promise.all(
      [...texts, ...texts].reverse().map(async (t, i) => {
        await new Promise((resolve) => setTimeout(resolve, i % 3));
        return { t, got: understand(t) };
      }),
    );
    for (const { t, got } of together) expect(got).toEqual(alone[texts.indexOf(t)]);
  });
});
