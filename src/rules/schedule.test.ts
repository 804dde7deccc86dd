import { describe, expect, it } from 'vitest';
import {
  DATE_FIELD_LABELS,
  DATE_FIELDS,
  defaultSchedule,
  findClass,
  parseSchedule,
  ScheduleError,
  type Basis,
  type RecordClass,
  type RetentionRule,
  type Schedule,
} from './index.js';

const CLASS_IDS = [
  'looked-after-child',
  'care-leaver',
  'adoption',
  'adoption-no-order',
  'prospective-adopter',
  'foster-carer-approved',
  'connected-person-temporary',
  'foster-applicant-refused-withdrawn',
  'childrens-home-child',
  'childrens-home-other',
  'child-protection',
  'child-in-need',
  'early-help',
  'supervision-order',
  'private-fostering',
  'court-report-private-law',
  'special-guardianship',
  'secure-accommodation',
  'disabled-children-short-breaks',
  'youth-justice',
  'allegation-against-staff',
  'lado',
  'complaint',
  'safeguarding-practice-review',
] as const;

function classOf(schedule: Schedule, id: string): RecordClass {
  const cls = findClass(schedule, id);
  if (!cls) throw new Error(`class ${id} is not in the schedule`);
  return cls;
}

function ruleOf(schedule: Schedule, classId: string, index: number): RetentionRule {
  const rule = classOf(schedule, classId).rules[index];
  if (!rule) throw new Error(`class ${classId} has no rule #${index}`);
  return rule;
}

/** A deep copy of the shipped schedule with one thing broken. */
function broken(breakIt: (schedule: Schedule) => void): unknown {
  const copy = structuredClone(defaultSchedule);
  breakIt(copy);
  return copy;
}

function scheduleError(data: unknown): ScheduleError {
  try {
    parseSchedule(data);
  } catch (error) {
    if (error instanceof ScheduleError) return error;
    throw error;
  }
  throw new Error('parseSchedule accepted a broken schedule');
}

describe('the default schedule', () => {
  it('is valid and parses to itself', () => {
    expect(parseSchedule(structuredClone(defaultSchedule))).toEqual(defaultSchedule);
    expect(defaultSchedule.version).toBe('2026.2');
    expect(defaultSchedule.effectiveFrom).toBe('2026-11-25');
  });

  it('holds every expected class', () => {
    expect(defaultSchedule.classes.map((c) => c.id)).toEqual(expect.arrayContaining([...CLASS_IDS]));
  });

  it('has unique class ids', () => {
    const ids = defaultSchedule.classes.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never uses the same alias for two classes', () => {
    const owners = new Map<string, string>();
    const clashes: string[] = [];
    for (const cls of defaultSchedule.classes) {
      for (const alias of cls.aliases) {
        const key = alias.toLowerCase();
        const owner = owners.get(key);
        if (owner && owner !== cls.id) clashes.push(`${alias}: ${owner} and ${cls.id}`);
        owners.set(key, cls.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('counts only from date fields that have a label', () => {
    const used = defaultSchedule.classes.flatMap((c) =>
      c.rules.flatMap((r) =>
        'from' in r.end ? [r.end.from] : 'latestOf' in r.end ? r.end.latestOf.map((p) => p.from) : [],
      ),
    );
    for (const field of used) expect(DATE_FIELDS).toContain(field);
    for (const field of DATE_FIELDS) expect(DATE_FIELD_LABELS[field]).toMatch(/\S/);
  });

  it('finds nothing for an unknown class id', () => {
    expect(findClass(defaultSchedule, 'dateOfWedding')).toBeUndefined();
    expect(findClass(defaultSchedule, 'LAC')).toBeUndefined();
  });
});

describe.each(CLASS_IDS.map((id) => ({ id })))('class $id', ({ id }) => {
  const cls = classOf(defaultSchedule, id);

  it('has a title, aliases, a period and an authority citation', () => {
    expect(cls.title.trim()).not.toBe('');
    expect(cls.aliases.length).toBeGreaterThan(0);
    for (const alias of cls.aliases) expect(alias.trim()).not.toBe('');
    expect(cls.period.trim()).not.toBe('');
    expect(cls.trigger.trim()).not.toBe('');
    expect(cls.authority.citation.trim()).not.toBe('');
  });

  it('is marked to be confirmed unless it is statutory', () => {
    if (cls.basis !== 'statutory') expect(cls.toBeConfirmed).toBe(true);
  });

  it('ends with a rule that has no conditions', () => {
    expect(cls.rules.length).toBeGreaterThan(0);
    expect(cls.rules[cls.rules.length - 1]?.when).toBeUndefined();
  });
});

describe('statutory classes', () => {
  it.each<{ id: string; basis: Basis; cites: string[] }>([
    { id: 'looked-after-child', basis: 'statutory', cites: ['SI 2010/959', 'regulation 50'] },
    { id: 'childrens-home-child', basis: 'statutory', cites: ['SI 2015/541', 'regulation 36'] },
    { id: 'adoption', basis: 'statutory', cites: ['SI 2005/888', 'regulation 6'] },
    { id: 'foster-carer-approved', basis: 'statutory', cites: ['SI 2011/581', '32(1)'] },
    { id: 'connected-person-temporary', basis: 'statutory', cites: ['SI 2011/581', '32(2)'] },
    { id: 'foster-applicant-refused-withdrawn', basis: 'statutory', cites: ['SI 2011/581', '32(3)'] },
  ])('$id cites $cites and is confirmed law', ({ id, basis, cites }) => {
    const cls = classOf(defaultSchedule, id);
    expect(cls.basis).toBe(basis);
    expect(cls.toBeConfirmed).toBe(false);
    for (const text of cites) expect(cls.authority.citation).toContain(text);
  });

  it.each(['looked-after-child', 'childrens-home-child'])(
    '%s: 15 years from death if the child died before 18, else 75 years from birth',
    (id) => {
      expect(classOf(defaultSchedule, id).rules).toMatchObject([
        { when: [{ diedBeforeAge: 18 }], end: { from: 'dateOfDeath', years: 15 } },
        { end: { from: 'dateOfBirth', years: 75 } },
      ]);
    },
  );

  it('adoption: 100 years from an order on or after 30 December 2005, else 75 years', () => {
    expect(classOf(defaultSchedule, 'adoption').rules).toMatchObject([
      {
        when: [{ date: 'adoptionOrderOn', onOrAfter: '2005-12-30' }],
        end: { from: 'adoptionOrderOn', years: 100 },
      },
      { end: { from: 'adoptionOrderOn', years: 75 } },
    ]);
  });

  it.each<{ id: string; years: number }>([
    { id: 'foster-carer-approved', years: 10 },
    { id: 'connected-person-temporary', years: 10 },
    { id: 'foster-applicant-refused-withdrawn', years: 3 },
  ])('$id: $years years from approvalEndedOn', ({ id, years }) => {
    expect(classOf(defaultSchedule, id).rules).toMatchObject([{ end: { from: 'approvalEndedOn', years } }]);
  });
});

describe('parseSchedule rejects bad data, naming the class and the field', () => {
  it.each<{ name: string; breakIt: (s: Schedule) => void; mentions: string[] }>([
    {
      name: 'a local class not marked to be confirmed',
      breakIt: (s) => {
        classOf(s, 'care-leaver').toBeConfirmed = false;
      },
      mentions: ['class "care-leaver"', 'toBeConfirmed', 'must be true'],
    },
    {
      name: 'a case-law class not marked to be confirmed',
      breakIt: (s) => {
        classOf(s, 'child-protection').toBeConfirmed = false;
      },
      mentions: ['class "child-protection"', 'toBeConfirmed'],
    },
    {
      name: 'a statutory-guidance class not marked to be confirmed',
      breakIt: (s) => {
        classOf(s, 'allegation-against-staff').toBeConfirmed = false;
      },
      mentions: ['class "allegation-against-staff"', 'toBeConfirmed'],
    },
    {
      name: 'a negative number of years',
      breakIt: (s) => {
        ruleOf(s, 'looked-after-child', 1).end = { from: 'dateOfBirth', years: -1 };
      },
      mentions: ['class "looked-after-child"', 'rules.1.end.years'],
    },
    {
      name: 'more than 200 years',
      breakIt: (s) => {
        ruleOf(s, 'lado', 0).end = { from: 'dateOfBirth', years: 201 };
      },
      mentions: ['class "lado"', 'rules.0.end.years'],
    },
    {
      name: 'a fractional number of years',
      breakIt: (s) => {
        ruleOf(s, 'foster-carer-approved', 0).end = { from: 'approvalEndedOn', years: 1.5 };
      },
      mentions: ['class "foster-carer-approved"', 'rules.0.end.years', 'int'],
    },
    {
      name: 'a missing title',
      breakIt: (s) => {
        delete (classOf(s, 'adoption') as Partial<RecordClass>).title;
      },
      mentions: ['class "adoption"', 'field title'],
    },
    {
      name: 'an empty title',
      breakIt: (s) => {
        classOf(s, 'complaint').title = '';
      },
      mentions: ['class "complaint"', 'field title'],
    },
    {
      name: 'an unknown date field to count from',
      breakIt: (s) => {
        Object.assign(ruleOf(s, 'lado', 0).end, { from: 'dateOfWedding' });
      },
      mentions: ['class "lado"', 'rules.0.end.from', 'dateOfBirth'],
    },
    {
      name: 'an unknown date field in a condition',
      breakIt: (s) => {
        Object.assign(ruleOf(s, 'adoption', 0).when?.[0] ?? {}, { date: 'dateOfWedding' });
      },
      mentions: ['class "adoption"', 'rules.0.when.0.date', 'adoptionOrderOn'],
    },
    {
      name: 'duplicate class ids',
      breakIt: (s) => {
        classOf(s, 'complaint').id = 'looked-after-child';
      },
      mentions: ['class "looked-after-child"', 'field id', 'duplicate class id'],
    },
    {
      name: 'a last rule with a condition',
      breakIt: (s) => {
        ruleOf(s, 'looked-after-child', 1).when = [{ diedBeforeAge: 18 }];
      },
      mentions: ['class "looked-after-child"', 'rules.1.when', 'last rule'],
    },
    {
      name: 'a single rule with a condition',
      breakIt: (s) => {
        ruleOf(s, 'complaint', 0).when = [{ date: 'closedOn', before: '2020-01-01' }];
      },
      mentions: ['class "complaint"', 'rules.0.when'],
    },
    {
      name: 'duplicate rule ids',
      breakIt: (s) => {
        ruleOf(s, 'childrens-home-child', 1).id = 'died-before-18';
      },
      mentions: ['class "childrens-home-child"', 'rules.1.id', 'duplicate rule id'],
    },
    {
      name: 'an unknown basis',
      breakIt: (s) => {
        Object.assign(classOf(s, 'early-help'), { basis: 'rumour' });
      },
      mentions: ['class "early-help"', 'field basis'],
    },
    {
      name: 'an unknown action at the end',
      breakIt: (s) => {
        Object.assign(classOf(s, 'supervision-order'), { actionAtEnd: 'shred' });
      },
      mentions: ['class "supervision-order"', 'field actionAtEnd'],
    },
    {
      name: 'no aliases',
      breakIt: (s) => {
        classOf(s, 'adoption-no-order').aliases = [];
      },
      mentions: ['class "adoption-no-order"', 'field aliases'],
    },
    {
      name: 'an empty authority citation',
      breakIt: (s) => {
        classOf(s, 'private-fostering').authority.citation = '';
      },
      mentions: ['class "private-fostering"', 'authority.citation'],
    },
    {
      name: 'an authority source that is not a URL',
      breakIt: (s) => {
        classOf(s, 'looked-after-child').authority.source = 'the green folder';
      },
      mentions: ['class "looked-after-child"', 'authority.source'],
    },
    {
      name: 'no rules',
      breakIt: (s) => {
        classOf(s, 'special-guardianship').rules = [];
      },
      mentions: ['class "special-guardianship"', 'field rules'],
    },
    {
      name: 'an unknown key on a class',
      breakIt: (s) => {
        Object.assign(classOf(s, 'lado'), { colour: 'red' });
      },
      mentions: ['class "lado"', 'colour'],
    },
    {
      name: 'a rule id that is not lower-case words joined by hyphens',
      breakIt: (s) => {
        ruleOf(s, 'secure-accommodation', 0).id = 'Died Before 18';
      },
      mentions: ['class "secure-accommodation"', 'rules.0.id', 'lower-case'],
    },
    {
      name: 'an impossible date in a condition',
      breakIt: (s) => {
        ruleOf(s, 'adoption', 0).when = [{ date: 'adoptionOrderOn', onOrAfter: '2005-02-30' }];
      },
      mentions: ['class "adoption"', 'rules.0.when.0.onOrAfter', 'YYYY-MM-DD'],
    },
    {
      name: 'latestOf with only one period',
      breakIt: (s) => {
        ruleOf(s, 'youth-justice', 0).end = { latestOf: [{ from: 'lastContactOn', years: 5 }] };
      },
      mentions: ['class "youth-justice"', 'rules.0.end'],
    },
    {
      name: 'permanent: false',
      breakIt: (s) => {
        Object.assign(ruleOf(s, 'safeguarding-practice-review', 0).end, { permanent: false });
      },
      mentions: ['class "safeguarding-practice-review"', 'rules.0.end'],
    },
    {
      name: 'an impossible effective date',
      breakIt: (s) => {
        s.effectiveFrom = '2026-02-30';
      },
      mentions: ['field effectiveFrom', 'YYYY-MM-DD'],
    },
    {
      name: 'a class without an id (named by its position)',
      breakIt: (s) => {
        delete (s.classes[3]! as Partial<RecordClass>).id;
      },
      mentions: ['class #4', 'field id'],
    },
  ])('$name', ({ breakIt, mentions }) => {
    const error = scheduleError(broken(breakIt));
    expect(error.name).toBe('ScheduleError');
    expect(error.problems).toHaveLength(1);
    for (const text of mentions) expect(error.message).toContain(text);
  });

  it('lists every problem, not only the first', () => {
    const error = scheduleError(
      broken((s) => {
        classOf(s, 'care-leaver').toBeConfirmed = false;
        classOf(s, 'complaint').aliases = [];
      }),
    );
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('class "care-leaver", field toBeConfirmed');
    expect(error.message).toContain('class "complaint", field aliases');
  });

  it('does not change the default schedule when a copy is broken', () => {
    scheduleError(
      broken((s) => {
        classOf(s, 'looked-after-child').title = '';
      }),
    );
    expect(classOf(defaultSchedule, 'looked-after-child').title).toBe('Looked after child case record');
  });

  it.each<{ name: string; data: unknown; mentions: string }>([
    { name: 'null', data: null, mentions: 'schedule' },
    { name: 'an array', data: [], mentions: 'schedule' },
    {
      name: 'an object with no classes',
      data: { version: '1', title: 'x', effectiveFrom: '2026-01-01' },
      mentions: 'field classes',
    },
    {
      name: 'an empty class list',
      data: { version: '1', title: 'x', effectiveFrom: '2026-01-01', classes: [] },
      mentions: 'field classes',
    },
  ])('rejects $name', ({ data, mentions }) => {
    const error = scheduleError(data);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(mentions);
  });
});
