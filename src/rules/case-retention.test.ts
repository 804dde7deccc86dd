import { describe, expect, it } from 'vitest';
import {
  calculateRetention,
  caseRetentionEnds,
  defaultSchedule,
  endActionOf,
  findClass,
  parseSchedule,
  type CaseDates,
  type CaseRecordRef,
  type EndAction,
  type IsoDate,
} from './index.js';

const TODAY: IsoDate = '2026-11-26';

/** The retention of `recordId` in a case with these records (id: class) and dates. */
function ofRecord(recordId: string, records: Record<string, string>, dates: CaseDates) {
  const caseRecords: CaseRecordRef[] = Object.entries(records).map(([id, recordClass]) => ({
    recordId: id,
    recordClass,
  }));
  const recordClass = records[recordId]!;
  const answer = calculateRetention(defaultSchedule, { recordClass, recordId, caseRecords, dates }, TODAY);
  const end = caseRetentionEnds(defaultSchedule, caseRecords, dates).get(recordId)!;
  return { answer, end, action: endActionOf(defaultSchedule, findClass(defaultSchedule, recordClass)!, end) };
}

interface Row {
  name: string;
  records: Record<string, string>;
  record: string;
  dates: CaseDates;
  endsOn: IsoDate | null;
  /** The record it is kept with, or null when its own class gives the period. */
  keptWith: string | null;
  status?: string;
  action?: EndAction;
  says?: string;
}

const CP_AND_LAC = { dateOfBirth: '1975-04-01', closedOn: '1985-01-01' };

describe('retention across a child’s records', () => {
  it.each<Row>([
    {
      name: 'the issue’s example: a CP record of a child later looked after is kept with the LAC record',
      records: { 'LL-1': 'looked-after-child', 'PF-2': 'child-protection' },
      record: 'PF-2',
      dates: CP_AND_LAC,
      endsOn: '2050-04-01',
      keptWith: 'LL-1',
      status: 'retained',
      action: 'review',
      says: 'Kept with the looked after child case record LL-1 of the same child',
    },
    {
      name: 'the LAC record itself keeps its own period',
      records: { 'LL-1': 'looked-after-child', 'PF-2': 'child-protection' },
      record: 'LL-1',
      dates: CP_AND_LAC,
      endsOn: '2050-04-01',
      keptWith: null,
    },
    {
      name: 'a CP record alone: 35 years after closure',
      records: { 'PF-2': 'child-protection' },
      record: 'PF-2',
      dates: CP_AND_LAC,
      endsOn: '2020-01-01',
      keptWith: null,
      status: 'due',
    },
    {
      name: 'a CP record of a child later adopted: 100 years from the order',
      records: { 'PF-2': 'child-protection', 'AD-3': 'adoption' },
      record: 'PF-2',
      dates: { ...CP_AND_LAC, adoptionOrderOn: '2010-06-01' },
      endsOn: '2110-06-01',
      keptWith: 'AD-3',
    },
    {
      name: 'a CP record with only a care leaver record: the child was looked after',
      records: { 'PF-2': 'child-protection', 'CL-4': 'care-leaver' },
      record: 'PF-2',
      dates: CP_AND_LAC,
      endsOn: '2050-04-01',
      keptWith: 'CL-4',
    },
    {
      name: 'the CP record is longer than the LAC record of a child who died young: its own period',
      records: { 'LL-1': 'looked-after-child', 'PF-2': 'child-protection' },
      record: 'PF-2',
      dates: { dateOfBirth: '2000-01-01', dateOfDeath: '2005-06-01', closedOn: '2005-06-01' },
      endsOn: '2040-06-01',
      keptWith: null,
    },
    {
      name: 'the LAC record’s date cannot be worked out: nor can the CP record’s',
      records: { 'LL-1': 'looked-after-child', 'PF-2': 'child-protection' },
      record: 'PF-2',
      dates: { closedOn: '1985-01-01' },
      endsOn: null,
      keptWith: 'LL-1',
      status: 'incomplete',
    },
    {
      name: 'adoption with no order, child never looked after: reviewed at closure',
      records: { 'AN-1': 'adoption-no-order' },
      record: 'AN-1',
      dates: { dateOfBirth: '2015-02-01', closedOn: '2020-03-01' },
      endsOn: '2020-03-01',
      keptWith: null,
      action: 'review',
    },
    {
      name: 'adoption with no order, child looked after: the LAC rule, 75 years from birth',
      records: { 'AN-1': 'adoption-no-order', 'LL-2': 'looked-after-child' },
      record: 'AN-1',
      dates: { dateOfBirth: '2015-02-01', closedOn: '2020-03-01' },
      endsOn: '2090-02-01',
      keptWith: 'LL-2',
    },
    {
      name: 'a supervision order record of a child later in care takes the LAC rule and its review',
      records: { 'SO-1': 'supervision-order', 'LL-2': 'looked-after-child' },
      record: 'SO-1',
      dates: { dateOfBirth: '1990-02-01' },
      endsOn: '2065-02-01',
      keptWith: 'LL-2',
      action: 'review',
    },
    {
      name: 'a supervision order record alone is destroyed at 21',
      records: { 'SO-1': 'supervision-order' },
      record: 'SO-1',
      dates: { dateOfBirth: '1990-02-01' },
      endsOn: '2011-02-01',
      keptWith: null,
      action: 'destroy',
    },
    {
      name: 'a child in need record says nothing of kept with: its own period',
      records: { 'CN-1': 'child-in-need', 'LL-2': 'looked-after-child' },
      record: 'CN-1',
      dates: { dateOfBirth: '1990-02-01' },
      endsOn: '2020-02-01',
      keptWith: null,
    },
    {
      name: 'a missing-child record with only a care leaver record: the child was looked after',
      records: { 'MC-1': 'missing-children', 'CL-2': 'care-leaver' },
      record: 'MC-1',
      dates: { dateOfBirth: '1990-02-01' },
      endsOn: '2065-02-01',
      keptWith: 'CL-2',
    },
    {
      name: 'SEN/EHCP record of a looked after child',
      records: { 'SE-1': 'sen-ehcp', 'LL-2': 'looked-after-child' },
      record: 'SE-1',
      dates: { dateOfBirth: '2001-05-05' },
      endsOn: '2076-05-05',
      keptWith: 'LL-2',
    },
  ])('$name', ({ records, record, dates, endsOn, keptWith, status, action, says }) => {
    const { answer, end, action: act } = ofRecord(record, records, dates);
    expect(answer.endsOn).toBe(endsOn);
    expect(answer.keptWith?.recordId ?? null).toBe(keptWith);
    expect(end.keptWith?.recordId ?? null).toBe(keptWith);
    if (status) expect(answer.status).toBe(status);
    if (action) {
      expect(act).toBe(action);
      expect(answer.endAction).toBe(action);
    }
    if (says) expect(answer.explanation.join('\n')).toContain(says);
  });

  it('follows links: kept with a record that is itself kept with another, naming where the period comes from', () => {
    const schedule = parseSchedule(structuredClone(defaultSchedule));
    const missing = findClass(schedule, 'missing-children')!;
    missing.keptWith = [{ classes: ['care-leaver'], reason: 'Kept with the after-care record' }];
    findClass(schedule, 'care-leaver')!.rules = [
      { id: '30-years', label: '30 years from birth', end: { from: 'dateOfBirth', years: 30 } },
    ];
    const records = [
      { recordId: 'MC-1', recordClass: 'missing-children' },
      { recordId: 'CL-2', recordClass: 'care-leaver' },
      { recordId: 'LL-3', recordClass: 'looked-after-child' },
    ];
    const end = caseRetentionEnds(schedule, records, { dateOfBirth: '1990-02-01' }).get('MC-1')!;
    expect(end).toMatchObject({
      kind: 'ends',
      endsOn: '2065-02-01',
      keptWith: {
        classId: 'looked-after-child',
        recordId: 'LL-3',
        reason: 'Kept with the after-care record',
      },
    });
  });

  it('says why, and cites the rule that now applies', () => {
    const { answer } = ofRecord(
      'PF-2',
      { 'LL-1': 'looked-after-child', 'PF-2': 'child-protection' },
      CP_AND_LAC,
    );
    expect(answer.explanation).toContain(
      "Rule applied: 75th anniversary of the child's birth (looked after child case record). Counted from the date of birth, 1 April 1975.",
    );
    expect(answer.citation).toContain('SI 2010/959');
    expect(answer.explanation.join('\n')).toContain('regulations 49 and 50');
  });
});

describe('computed periods of the classes added and split', () => {
  it.each<{ classId: string; dates: CaseDates; endsOn: IsoDate | null; missing?: string[] }>([
    {
      classId: 'prospective-adopter-approved',
      dates: { adoptionOrderOn: '2012-03-01', approvalEndedOn: '2012-03-01' },
      endsOn: '2112-03-01',
    },
    {
      classId: 'prospective-adopter-approved',
      dates: { approvalEndedOn: '2015-07-01' },
      endsOn: '2025-07-01',
    },
    { classId: 'prospective-adopter-approved', dates: {}, endsOn: null, missing: ['approvalEndedOn'] },
    {
      classId: 'prospective-adopter-withdrawn-refused',
      dates: { lastContactOn: '2023-05-05' },
      endsOn: '2025-05-05',
    },
    // The old class: the longest of both readings, so a record waiting to be reclassified loses nothing.
    {
      classId: 'prospective-adopter',
      dates: { lastContactOn: '2023-05-05' },
      endsOn: null,
      missing: ['adoptionOrderOn', 'approvalEndedOn'],
    },
    {
      classId: 'prospective-adopter',
      dates: { lastContactOn: '2023-05-05', approvalEndedOn: '2015-07-01', adoptionOrderOn: '2012-03-01' },
      endsOn: '2112-03-01',
    },
    { classId: 'uasc', dates: { dateOfBirth: '2008-09-09' }, endsOn: '2083-09-09' },
    {
      classId: 'uasc',
      dates: { dateOfBirth: '2008-09-09', dateOfDeath: '2020-01-01' },
      endsOn: '2035-01-01',
    },
    { classId: 'child-arrangements', dates: { dateOfBirth: '2001-01-15' }, endsOn: '2031-01-15' },
    { classId: 'missing-children', dates: { dateOfBirth: '2001-01-15' }, endsOn: '2031-01-15' },
    { classId: 'sen-ehcp', dates: { dateOfBirth: '2001-01-15' }, endsOn: '2032-01-15' },
    { classId: 'lado', dates: { dateOfBirth: '1960-01-01', closedOn: '2019-01-01' }, endsOn: '2060-01-01' },
    {
      classId: 'lado-unfounded-malicious',
      dates: { dateOfBirth: '1960-01-01', closedOn: '2019-01-01' },
      endsOn: '2029-01-01',
    },
    { classId: 'lado-advice-only', dates: { closedOn: '2019-01-01' }, endsOn: '2029-01-01' },
    {
      classId: 'youth-justice-sexual-offences',
      dates: { dateOfBirth: '2006-01-01', lastContactOn: '2021-06-01' },
      endsOn: '2026-06-01',
    },
    // State Pension age from the member of staff's date of birth: 66 and 4 months for 31 July 1960.
    {
      classId: 'allegation-against-staff',
      dates: { dateOfBirth: '1960-07-31', closedOn: '2015-01-01' },
      endsOn: '2026-11-30',
    },
    {
      classId: 'allegation-against-staff',
      dates: { dateOfBirth: '1977-06-10', closedOn: '2015-01-01' },
      endsOn: '2044-09-06',
    },
  ])('$classId, $dates → $endsOn', ({ classId, dates, endsOn, missing }) => {
    const answer = calculateRetention(defaultSchedule, { recordClass: classId, dates }, TODAY);
    expect(answer.endsOn).toBe(endsOn);
    if (missing) expect(answer.missing).toEqual(missing);
  });

  it('the youth justice sexual offence record is reviewed, never destroyed without a decision', () => {
    expect(findClass(defaultSchedule, 'youth-justice-sexual-offences')?.actionAtEnd).toBe('review');
    expect(findClass(defaultSchedule, 'youth-justice')?.actionAtEnd).toBe('destroy');
  });

  it('the old prospective adopter class says to reclassify', () => {
    const answer = calculateRetention(
      defaultSchedule,
      { recordClass: 'prospective-adopter', dates: { lastContactOn: '2020-01-01' } },
      TODAY,
    );
    expect(answer.status).toBe('incomplete');
    expect(answer.explanation.join('\n')).toContain(
      'reclassify the record as one of prospective-adopter-approved, prospective-adopter-withdrawn-refused',
    );
  });
});
