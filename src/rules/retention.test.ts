import { describe, expect, it } from 'vitest';
import {
  calculateRetention,
  defaultSchedule,
  describeRetention,
  findClass,
  retentionEnd,
  type CaseDates,
  type DateField,
  type HoldSummary,
  type IsoDate,
  type RecordClass,
  type RecordState,
  type RetentionAnswer,
} from './index.js';

/** Calendar-day arithmetic independent of the code under test. */
function shiftDay(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function retention(
  recordClass: string,
  dates: CaseDates,
  today: IsoDate,
  extra: Pick<RecordState, 'destroyedOn' | 'activeHolds'> = {},
): RetentionAnswer {
  return calculateRetention(defaultSchedule, { recordClass, dates, ...extra }, today);
}

function classOf(id: string): RecordClass {
  const cls = findClass(defaultSchedule, id);
  if (!cls) throw new Error(`class ${id} is not in the schedule`);
  return cls;
}

const explained = (answer: RetentionAnswer): string => answer.explanation.join('\n');

const LITIGATION: HoldSummary = { type: 'litigation', reference: 'L-2026-001' };
const SAR: HoldSummary = { type: 'subject_access_request', reference: 'SAR-77' };

interface EndRow {
  name: string;
  classId: string;
  dates: CaseDates;
  endsOn: IsoDate;
  ruleId: string;
  /** The "Counted from …" sentence the explanation must contain. */
  counted: string;
}

function childRows(classId: string): EndRow[] {
  return [
    {
      name: 'alive: 75 years from birth',
      classId,
      dates: { dateOfBirth: '2010-05-20' },
      endsOn: '2085-05-20',
      ruleId: '75-years-from-birth',
      counted: 'Counted from the date of birth, 20 May 2010.',
    },
    {
      name: 'born 29 February: 75th anniversary in a common year is 1 March',
      classId,
      dates: { dateOfBirth: '2004-02-29' },
      endsOn: '2079-03-01',
      ruleId: '75-years-from-birth',
      counted: 'Counted from the date of birth, 29 February 2004.',
    },
    {
      name: 'died the day before the 18th birthday: 15 years from death',
      classId,
      dates: { dateOfBirth: '2008-06-15', dateOfDeath: '2026-06-14' },
      endsOn: '2041-06-14',
      ruleId: 'died-before-18',
      counted: 'Counted from the date of death, 14 June 2026.',
    },
    {
      name: 'died on the 18th birthday (not before 18): 75 years from birth',
      classId,
      dates: { dateOfBirth: '2008-06-15', dateOfDeath: '2026-06-15' },
      endsOn: '2083-06-15',
      ruleId: '75-years-from-birth',
      counted: 'Counted from the date of birth, 15 June 2008.',
    },
    {
      name: 'died as an adult: 75 years from birth',
      classId,
      dates: { dateOfBirth: '2008-06-15', dateOfDeath: '2030-01-01' },
      endsOn: '2083-06-15',
      ruleId: '75-years-from-birth',
      counted: 'Counted from the date of birth, 15 June 2008.',
    },
    {
      name: 'died as an infant: 15 years from death',
      classId,
      dates: { dateOfBirth: '2010-01-01', dateOfDeath: '2012-03-04' },
      endsOn: '2027-03-04',
      ruleId: 'died-before-18',
      counted: 'Counted from the date of death, 4 March 2012.',
    },
    {
      // The law is unsettled whether 28 February is the 18th birthday in a common year: the
      // reading that keeps the record longer (18 that day) wins.
      name: 'born 29 February, died 28 February of the 18th year (doubtful: taken as 18)',
      classId,
      dates: { dateOfBirth: '2004-02-29', dateOfDeath: '2022-02-28' },
      endsOn: '2079-03-01',
      ruleId: '75-years-from-birth',
      counted: 'Counted from the date of birth, 29 February 2004.',
    },
    {
      name: 'born 29 February, died 1 March of the 18th year (18 that day)',
      classId,
      dates: { dateOfBirth: '2004-02-29', dateOfDeath: '2022-03-01' },
      endsOn: '2079-03-01',
      ruleId: '75-years-from-birth',
      counted: 'Counted from the date of birth, 29 February 2004.',
    },
  ];
}

const END_ROWS: EndRow[] = [
  ...childRows('looked-after-child'),
  ...childRows('childrens-home-child'),
  {
    name: 'order on 30 December 2005 exactly: 100 years',
    classId: 'adoption',
    dates: { adoptionOrderOn: '2005-12-30' },
    endsOn: '2105-12-30',
    ruleId: 'order-on-or-after-2005-12-30',
    counted: 'Counted from the adoption order date, 30 December 2005.',
  },
  {
    name: 'order on 29 December 2005: 75 years',
    classId: 'adoption',
    dates: { adoptionOrderOn: '2005-12-29' },
    endsOn: '2080-12-29',
    ruleId: 'order-before-2005-12-30',
    counted: 'Counted from the adoption order date, 29 December 2005.',
  },
  {
    name: 'order in 2012: 100 years',
    classId: 'adoption',
    dates: { adoptionOrderOn: '2012-07-01', dateOfBirth: '2010-02-03' },
    endsOn: '2112-07-01',
    ruleId: 'order-on-or-after-2005-12-30',
    counted: 'Counted from the adoption order date, 1 July 2012.',
  },
  {
    name: 'order in 1998: 75 years',
    classId: 'adoption',
    dates: { adoptionOrderOn: '1998-03-15' },
    endsOn: '2073-03-15',
    ruleId: 'order-before-2005-12-30',
    counted: 'Counted from the adoption order date, 15 March 1998.',
  },
  {
    name: 'order on 29 February 2008: 100 years ends 29 February 2108 (a leap year)',
    classId: 'adoption',
    dates: { adoptionOrderOn: '2008-02-29' },
    endsOn: '2108-02-29',
    ruleId: 'order-on-or-after-2005-12-30',
    counted: 'Counted from the adoption order date, 29 February 2008.',
  },
  {
    name: '10 years from the end of approval',
    classId: 'foster-carer-approved',
    dates: { approvalEndedOn: '2020-04-01' },
    endsOn: '2030-04-01',
    ruleId: '10-years-from-approval-ended',
    counted: 'Counted from the date approval or placement ended',
  },
  {
    name: '10 years from the end of the placement',
    classId: 'connected-person-temporary',
    dates: { approvalEndedOn: '2021-09-30' },
    endsOn: '2031-09-30',
    ruleId: '10-years-from-placement-ended',
    counted: '30 September 2021.',
  },
  {
    name: '3 years from refusal or withdrawal',
    classId: 'foster-applicant-refused-withdrawn',
    dates: { approvalEndedOn: '2025-01-10' },
    endsOn: '2028-01-10',
    ruleId: '3-years-from-refusal-or-withdrawal',
    counted: '10 January 2025.',
  },
  {
    name: '3 years from a refusal on 29 February',
    classId: 'foster-applicant-refused-withdrawn',
    dates: { approvalEndedOn: '2024-02-29' },
    endsOn: '2027-03-01',
    ruleId: '3-years-from-refusal-or-withdrawal',
    counted: '29 February 2024.',
  },
];

describe('statutory retention periods', () => {
  describe.each(END_ROWS)('$classId, $name', (row) => {
    const ruleLabel = classOf(row.classId).rules.find((r) => r.id === row.ruleId)?.label;

    it(`ends on ${row.endsOn} under rule ${row.ruleId}`, () => {
      const answer = retention(row.classId, row.dates, '2026-12-01');
      expect(answer.endsOn).toBe(row.endsOn);
      expect(answer.ruleId).toBe(row.ruleId);
      expect(answer.ruleLabel).toBe(ruleLabel);
      expect(answer.permanent).toBe(false);
      expect(answer.missing).toEqual([]);
      expect(explained(answer)).toContain(`Rule applied: ${ruleLabel}.`);
      expect(explained(answer)).toContain(row.counted);
    });

    it.each<{ when: string; offset: number; status: RetentionAnswer['status'] }>([
      { when: 'the day before it ends', offset: -1, status: 'retained' },
      { when: 'the day it ends', offset: 0, status: 'due' },
      { when: 'the day after it ends', offset: 1, status: 'due' },
    ])('is $status on $when', ({ offset, status }) => {
      const today = shiftDay(row.endsOn, offset);
      const answer = retention(row.classId, row.dates, today);
      expect(answer.status).toBe(status);
      expect(answer.endsOn).toBe(row.endsOn);
    });
  });

  it('says when a retained record may go, and when a due record became due', () => {
    const retained = retention('looked-after-child', { dateOfBirth: '2010-05-20' }, '2085-05-19');
    expect(retained.explanation).toContain(
      'Retention ends on 20 May 2085; until then the record must be kept.',
    );
    const due = retention('looked-after-child', { dateOfBirth: '2010-05-20' }, '2085-05-20');
    expect(due.explanation).toContain('Retention ended on 20 May 2085.');
  });
});

describe('explanations cite the authority and the rule', () => {
  it.each<{ classId: string; dates: CaseDates; cites: string[]; label: string; action: string }>([
    {
      classId: 'looked-after-child',
      dates: { dateOfBirth: '2010-05-20' },
      cites: ['SI 2010/959', 'regulation 50'],
      label: "75th anniversary of the child's birth",
      action: 'reviews it',
    },
    {
      classId: 'looked-after-child',
      dates: { dateOfBirth: '2010-05-20', dateOfDeath: '2015-01-01' },
      cites: ['SI 2010/959', 'regulation 50'],
      label: '15 years from death (the child died before 18)',
      action: 'reviews it',
    },
    {
      classId: 'childrens-home-child',
      dates: { dateOfBirth: '2010-05-20' },
      cites: ['SI 2015/541', 'regulation 36'],
      label: "75 years from the child's date of birth",
      action: 'reviews it',
    },
    {
      classId: 'adoption',
      dates: { adoptionOrderOn: '2010-05-20' },
      cites: ['SI 2005/888', 'regulation 6'],
      label: '100 years from the adoption order (order made on or after 30 December 2005)',
      action: 'reviews it',
    },
    {
      classId: 'foster-carer-approved',
      dates: { approvalEndedOn: '2020-01-01' },
      cites: ['SI 2011/581', 'regulation 32(1)'],
      label: '10 years from the end of approval',
      action: 'reviews it',
    },
    {
      classId: 'connected-person-temporary',
      dates: { approvalEndedOn: '2020-01-01' },
      cites: ['SI 2011/581', 'regulation 32(2)'],
      label: '10 years from the end of the placement',
      action: 'reviews it',
    },
    {
      classId: 'foster-applicant-refused-withdrawn',
      dates: { approvalEndedOn: '2020-01-01' },
      cites: ['SI 2011/581', 'regulation 32(3)'],
      label: '3 years from refusal or withdrawal',
      action: 'destroys it, after the pre-destruction checks',
    },
  ])('$classId: $label', ({ classId, dates, cites, label, action }) => {
    const answer = retention(classId, dates, '2026-12-01');
    const text = explained(answer);
    for (const citation of cites) {
      expect(answer.citation).toContain(citation);
      expect(text).toContain(citation);
    }
    expect(text).toContain(label);
    expect(text).toContain('Set by law.');
    expect(text).toContain(action);
    expect(text).not.toContain('to be confirmed');
    expect(answer.explanation[0]).toBe(
      `Record class: ${classOf(classId).title}. Period: ${classOf(classId).period}.`,
    );
  });

  it('gives the older regime as the citation for a pre-2005 adoption, with the class authority alongside', () => {
    const answer = retention('adoption', { adoptionOrderOn: '2001-01-01' }, '2026-12-01');
    expect(answer.citation).toMatch(
      /^Adoption Agencies Regulations 1983 \(SI 1983\/1964\), the regime for adoptions before 30 December 2005\. The 75-year period is as secondary sources state it/,
    );
    expect(explained(answer)).toContain('SI 2005/888');
  });

  it('says that a non-statutory period is to be confirmed by the Records Management Service', () => {
    const answer = retention('care-leaver', { dateOfBirth: '2008-01-01' }, '2026-12-01');
    expect(answer.endsOn).toBe('2083-01-01');
    expect(explained(answer)).toContain('It is to be confirmed by the Records Management Service.');
    expect(explained(answer)).toContain('The council’s own choice: no law sets this period.');
  });
});

describe('missing dates make a record incomplete, never due', () => {
  const FAR_FUTURE = '2300-01-01';

  it.each<{ name: string; classId: string; dates: CaseDates; missing: DateField[]; says: string }>([
    {
      name: 'looked after child with no date of birth',
      classId: 'looked-after-child',
      dates: {},
      missing: ['dateOfBirth'],
      says: 'The date of birth is not recorded',
    },
    {
      name: 'looked after child with a null date of birth',
      classId: 'looked-after-child',
      dates: { dateOfBirth: null, closedOn: '2020-01-01' },
      missing: ['dateOfBirth'],
      says: 'The date of birth is not recorded',
    },
    {
      name: 'looked after child who died, with no date of birth',
      classId: 'looked-after-child',
      dates: { dateOfDeath: '2010-01-01' },
      missing: ['dateOfBirth'],
      says: 'The date of birth is not recorded',
    },
    {
      name: "children's home child who died, with no date of birth",
      classId: 'childrens-home-child',
      dates: { dateOfDeath: '2010-01-01' },
      missing: ['dateOfBirth'],
      says: 'The date of birth is not recorded',
    },
    {
      name: 'adoption with no order date',
      classId: 'adoption',
      dates: { dateOfBirth: '1990-01-01', closedOn: '2000-01-01' },
      missing: ['adoptionOrderOn'],
      says: 'The adoption order date is not recorded',
    },
    {
      name: 'approved foster carer with no end of approval',
      classId: 'foster-carer-approved',
      dates: { closedOn: '2000-01-01' },
      missing: ['approvalEndedOn'],
      says: 'is not recorded',
    },
    {
      name: 'connected person with no end of placement',
      classId: 'connected-person-temporary',
      dates: {},
      missing: ['approvalEndedOn'],
      says: 'is not recorded',
    },
    {
      name: 'refused foster applicant with no refusal date',
      classId: 'foster-applicant-refused-withdrawn',
      dates: {},
      missing: ['approvalEndedOn'],
      says: 'is not recorded',
    },
    {
      name: 'youth justice with no last contact',
      classId: 'youth-justice',
      dates: { dateOfBirth: '2000-01-01' },
      missing: ['lastContactOn'],
      says: 'The last contact date is not recorded',
    },
    {
      name: 'youth justice with neither date',
      classId: 'youth-justice',
      dates: {},
      missing: ['lastContactOn', 'dateOfBirth'],
      says: 'The last contact date and the date of birth are not recorded',
    },
    {
      name: 'allegation against staff with no date of birth',
      classId: 'allegation-against-staff',
      dates: { closedOn: '1990-01-01' },
      missing: ['dateOfBirth'],
      says: 'The date of birth is not recorded',
    },
  ])('$name', ({ classId, dates, missing, says }) => {
    const answer = retention(classId, dates, FAR_FUTURE);
    expect(answer.status).toBe('incomplete');
    expect(answer.endsOn).toBeNull();
    expect(answer.missing).toEqual(missing);
    expect(explained(answer)).toContain(says);
    expect(explained(answer)).toContain('Add it to the case before anything is destroyed.');
  });

  it.each(defaultSchedule.classes.map((c) => ({ id: c.id })))('$id with no dates is never due', ({ id }) => {
    const answer = retention(id, {}, FAR_FUTURE);
    expect(answer.status).not.toBe('due');
    expect(answer.status).toBe(answer.permanent ? 'retained' : 'incomplete');
    if (!answer.permanent) expect(answer.missing.length).toBeGreaterThan(0);
  });
});

describe('holds and destruction', () => {
  const ENDED = { dateOfBirth: '1900-01-01' } satisfies CaseDates;

  it('a hold keeps a record whose retention has ended', () => {
    const answer = retention('looked-after-child', ENDED, '2026-12-01', { activeHolds: [LITIGATION] });
    expect(answer.status).toBe('held');
    expect(answer.endsOn).toBe('1975-01-01');
    expect(explained(answer)).toContain('On hold: litigation (L-2026-001).');
  });

  it('names every hold', () => {
    const answer = retention('looked-after-child', ENDED, '2026-12-01', { activeHolds: [LITIGATION, SAR] });
    expect(answer.status).toBe('held');
    expect(explained(answer)).toContain('litigation (L-2026-001), subject access request (SAR-77)');
  });

  it('a hold on a retained record shows as held', () => {
    const answer = retention('looked-after-child', { dateOfBirth: '2010-01-01' }, '2026-12-01', {
      activeHolds: [SAR],
    });
    expect(answer.status).toBe('held');
    expect(answer.endsOn).toBe('2085-01-01');
  });

  it('a hold on an incomplete record shows as held and still lists what is missing', () => {
    const answer = retention('looked-after-child', {}, '2026-12-01', { activeHolds: [SAR] });
    expect(answer.status).toBe('held');
    expect(answer.missing).toEqual(['dateOfBirth']);
  });

  it('an empty hold list is no hold', () => {
    expect(retention('looked-after-child', ENDED, '2026-12-01', { activeHolds: [] }).status).toBe('due');
  });

  it('a destroyed record is destroyed', () => {
    const answer = retention('looked-after-child', ENDED, '2026-12-01', { destroyedOn: '2026-03-01' });
    expect(answer.status).toBe('destroyed');
    expect(explained(answer)).toContain('Destroyed on 1 March 2026; see the destruction register.');
  });

  it('destroyed wins over held', () => {
    const answer = retention('looked-after-child', ENDED, '2026-12-01', {
      destroyedOn: '2026-03-01',
      activeHolds: [LITIGATION],
    });
    expect(answer.status).toBe('destroyed');
  });

  it('destroyedOn null is not destroyed', () => {
    expect(retention('looked-after-child', ENDED, '2026-12-01', { destroyedOn: null }).status).toBe('due');
  });
});

describe('permanent preservation', () => {
  it.each(['2026-12-01', '3000-01-01'])('a safeguarding practice review is retained on %s', (today) => {
    const answer = retention('safeguarding-practice-review', {}, today);
    expect(answer).toMatchObject({
      classId: 'safeguarding-practice-review',
      status: 'retained',
      permanent: true,
      endsOn: null,
      ruleId: 'permanent',
      ruleLabel: 'Kept permanently',
      missing: [],
    });
    expect(answer.explanation).toContain('It is kept permanently.');
  });

  it('a hold on a permanent record shows as held', () => {
    const answer = retention('safeguarding-practice-review', {}, '2026-12-01', { activeHolds: [LITIGATION] });
    expect(answer.status).toBe('held');
    expect(answer.permanent).toBe(true);
  });
});

describe('an unknown record class', () => {
  it('is incomplete, and says why', () => {
    const answer = retention('wedding-album', { dateOfBirth: '1900-01-01' }, '2026-12-01');
    expect(answer).toEqual<RetentionAnswer>({
      classId: 'wedding-album',
      classTitle: null,
      status: 'incomplete',
      endsOn: null,
      permanent: false,
      ruleId: null,
      ruleLabel: null,
      missing: [],
      citation: null,
      keptWith: null,
      endAction: null,
      explanation: [
        `The record class "wedding-album" is not in the retention schedule (version ${defaultSchedule.version}), so no period can be worked out.`,
      ],
    });
  });

  it('is held when a hold is in force', () => {
    expect(retention('wedding-album', {}, '2026-12-01', { activeHolds: [LITIGATION] }).status).toBe('held');
  });

  it('is destroyed when it was destroyed', () => {
    expect(retention('wedding-album', {}, '2026-12-01', { destroyedOn: '2020-01-01' }).status).toBe(
      'destroyed',
    );
  });
});

describe('latestOf rules: the later date wins', () => {
  it.each<{
    name: string;
    classId: string;
    dates: CaseDates;
    endsOn: IsoDate;
    field: DateField;
    counted: string;
  }>([
    {
      name: '18th birthday later than 5 years after the last action',
      classId: 'youth-justice',
      dates: { dateOfBirth: '2010-05-01', lastContactOn: '2020-01-01' },
      endsOn: '2028-05-01',
      field: 'dateOfBirth',
      counted: 'Counted from the date of birth, 1 May 2010.',
    },
    {
      name: '5 years after the last action later than the 18th birthday',
      classId: 'youth-justice',
      dates: { dateOfBirth: '2005-03-10', lastContactOn: '2024-06-30' },
      endsOn: '2029-06-30',
      field: 'lastContactOn',
      counted: 'Counted from the last contact date, 30 June 2024.',
    },
    {
      name: 'both on the same day',
      classId: 'youth-justice',
      dates: { dateOfBirth: '2006-01-01', lastContactOn: '2019-01-01' },
      endsOn: '2024-01-01',
      field: 'lastContactOn',
      counted: 'Counted from the last contact date, 1 January 2019.',
    },
    {
      name: '10 years from the allegation later than retirement age',
      classId: 'allegation-against-staff',
      dates: { dateOfBirth: '1960-04-01', closedOn: '2020-01-01' },
      endsOn: '2030-01-01',
      field: 'closedOn',
      counted: 'Counted from the case closure date, 1 January 2020.',
    },
    {
      // Born after 5 April 1978: State Pension age is 68 (Pensions Act 2007), not a fixed 67.
      name: 'State Pension age later than 10 years from the allegation',
      classId: 'allegation-against-staff',
      dates: { dateOfBirth: '1980-04-01', closedOn: '2020-01-01' },
      endsOn: '2048-04-01',
      field: 'dateOfBirth',
      counted: 'Counted from the date of birth, 1 April 1980.',
    },
  ])('$classId: $name', ({ classId, dates, endsOn, field, counted }) => {
    const answer = retention(classId, dates, '2026-12-01');
    expect(answer.endsOn).toBe(endsOn);
    expect(explained(answer)).toContain(counted);
    const end = retentionEnd(classOf(classId), dates);
    expect(end).toMatchObject({ kind: 'ends', endsOn, trigger: { field, date: dates[field] } });
  });
});

describe('retentionEnd and describeRetention', () => {
  it('retentionEnd needs no clock', () => {
    expect(retentionEnd(classOf('adoption'), { adoptionOrderOn: '2006-01-01' })).toMatchObject({
      kind: 'ends',
      endsOn: '2106-01-01',
      rule: { id: 'order-on-or-after-2005-12-30' },
      trigger: { field: 'adoptionOrderOn', date: '2006-01-01' },
    });
    expect(retentionEnd(classOf('safeguarding-practice-review'), {})).toMatchObject({ kind: 'permanent' });
    expect(retentionEnd(classOf('looked-after-child'), { dateOfDeath: '2010-01-01' })).toEqual({
      kind: 'incomplete',
      missing: ['dateOfBirth'],
      rule: null,
    });
  });

  it('describeRetention gives the same answer as calculateRetention', () => {
    const cls = classOf('foster-carer-approved');
    const dates = { approvalEndedOn: '2015-06-01' };
    const described = describeRetention(cls, retentionEnd(cls, dates), {}, '2026-12-01');
    expect(described).toEqual(retention('foster-carer-approved', dates, '2026-12-01'));
    expect(described.status).toBe('due');
  });
});
