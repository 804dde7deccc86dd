import { addYears, ageOn, formatDate, type IsoDate } from './dates.js';
import {
  DATE_FIELD_LABELS,
  findClass,
  type DateField,
  type PeriodEnd,
  type RecordClass,
  type RetentionRule,
  type RuleCondition,
  type Schedule,
} from './schedule.js';

/** The dates of a case that retention is counted from; a missing date is unknown. */
export type CaseDates = Partial<Record<DateField, IsoDate | null>>;

export const RETENTION_STATUSES = ['retained', 'due', 'held', 'destroyed', 'incomplete'] as const;
export type RetentionStatus = (typeof RETENTION_STATUSES)[number];

/** When a record's retention ends, before today, holds or destruction are considered. */
export type RetentionEnd =
  | { kind: 'ends'; endsOn: IsoDate; rule: RetentionRule; trigger: { field: DateField; date: IsoDate } }
  | { kind: 'permanent'; rule: RetentionRule }
  | { kind: 'incomplete'; missing: DateField[]; rule: RetentionRule | null };

export interface RetentionAnswer {
  classId: string;
  classTitle: string | null;
  status: RetentionStatus;
  /** The date retention ends (the record is due from that day); null if permanent or unknown. */
  endsOn: IsoDate | null;
  permanent: boolean;
  ruleId: string | null;
  ruleLabel: string | null;
  /** The dates that are needed but unknown (status `incomplete`). */
  missing: DateField[];
  citation: string | null;
  /** Plain-English reasoning, one sentence a line. */
  explanation: string[];
}

export interface HoldSummary {
  type: string;
  reference: string;
}

export interface RecordState {
  recordClass: string;
  dates: CaseDates;
  /** Date of destruction, if the record has been destroyed. */
  destroyedOn?: IsoDate | null;
  /** Holds in force on the record or its case. */
  activeHolds?: readonly HoldSummary[];
}

type ConditionOutcome = { met: boolean } | { missing: DateField[] };

function evaluateCondition(condition: RuleCondition, dates: CaseDates): ConditionOutcome {
  if ('diedBeforeAge' in condition) {
    const death = dates.dateOfDeath;
    if (!death) return { met: false };
    const birth = dates.dateOfBirth;
    if (!birth) return { missing: ['dateOfBirth'] };
    return { met: ageOn(birth, death) < condition.diedBeforeAge };
  }
  const value = dates[condition.date];
  if (!value) return { missing: [condition.date] };
  if ('before' in condition) return { met: value < condition.before };
  return { met: value >= condition.onOrAfter };
}

function periodEnds(rule: RetentionRule): PeriodEnd[] {
  const end = rule.end;
  if ('latestOf' in end) return end.latestOf;
  if ('from' in end) return [end];
  return [];
}

/** Which rule applies to a record of this class and when its retention ends. Needs no clock. */
export function retentionEnd(cls: RecordClass, dates: CaseDates): RetentionEnd {
  for (const rule of cls.rules) {
    const missing: DateField[] = [];
    let applies = true;
    for (const condition of rule.when ?? []) {
      const outcome = evaluateCondition(condition, dates);
      if ('missing' in outcome) missing.push(...outcome.missing);
      else if (!outcome.met) applies = false;
    }
    if (missing.length) return { kind: 'incomplete', missing, rule: null };
    if (!applies) continue;

    if ('permanent' in rule.end) return { kind: 'permanent', rule };
    const parts = periodEnds(rule);
    const unknown = parts.filter((p) => !dates[p.from]).map((p) => p.from);
    if (unknown.length) return { kind: 'incomplete', missing: unknown, rule };
    let best: { endsOn: IsoDate; field: DateField; date: IsoDate } | null = null;
    for (const p of parts) {
      const date = dates[p.from]!;
      const endsOn = addYears(date, p.years);
      if (!best || endsOn > best.endsOn) best = { endsOn, field: p.from, date };
    }
    return { kind: 'ends', endsOn: best!.endsOn, rule, trigger: { field: best!.field, date: best!.date } };
  }
  // Unreachable for a validated schedule: its last rule has no conditions.
  return { kind: 'incomplete', missing: [], rule: null };
}

function describeBasis(cls: RecordClass): string {
  const basis = {
    statutory: 'a statutory period',
    'statutory-guidance': 'statutory guidance',
    'case-law': 'case law and the council’s own policy',
    local: 'the council’s own practice',
  }[cls.basis];
  const confirm = cls.toBeConfirmed ? ' It is to be confirmed by the Records Management Service.' : '';
  return `Authority: ${cls.authority.citation} (${basis}).${confirm}`;
}

function endActionSentence(cls: RecordClass): string {
  switch (cls.actionAtEnd) {
    case 'destroy':
      return 'At the end of the period the Records Management Service destroys it, after the pre-destruction checks.';
    case 'review':
      return 'At the end of the period the Records Management Service reviews it: destroy, keep longer, or archive.';
    case 'permanent-preservation':
      return 'It is kept permanently.';
  }
}

/**
 * The retention status of one record on `today`: when retention ends, under which rule, and why.
 * Never `due` while a date the rule needs is unknown.
 */
export function calculateRetention(schedule: Schedule, record: RecordState, today: IsoDate): RetentionAnswer {
  const cls = findClass(schedule, record.recordClass);
  const holds = record.activeHolds ?? [];
  if (!cls) {
    return {
      classId: record.recordClass,
      classTitle: null,
      status: record.destroyedOn ? 'destroyed' : holds.length ? 'held' : 'incomplete',
      endsOn: null,
      permanent: false,
      ruleId: null,
      ruleLabel: null,
      missing: [],
      citation: null,
      explanation: [
        `The record class "${record.recordClass}" is not in the retention schedule (version ${schedule.version}), so no period can be worked out.`,
      ],
    };
  }
  const end = retentionEnd(cls, record.dates);
  return describeRetention(cls, end, record, today);
}

/** Turns a computed end into a status and explanation for `today`. */
export function describeRetention(
  cls: RecordClass,
  end: RetentionEnd,
  record: Pick<RecordState, 'destroyedOn' | 'activeHolds'>,
  today: IsoDate,
): RetentionAnswer {
  const holds = record.activeHolds ?? [];
  const explanation: string[] = [`Record class: ${cls.title}. Period: ${cls.period}.`];
  let status: RetentionStatus;
  let endsOn: IsoDate | null = null;
  let rule: RetentionRule | null = null;
  let missing: DateField[] = [];

  switch (end.kind) {
    case 'ends': {
      rule = end.rule;
      endsOn = end.endsOn;
      explanation.push(
        `Rule applied: ${end.rule.label}. Counted from the ${DATE_FIELD_LABELS[end.trigger.field]}, ${formatDate(end.trigger.date)}.`,
      );
      if (endsOn > today) {
        status = 'retained';
        explanation.push(`Retention ends on ${formatDate(endsOn)}; until then the record must be kept.`);
      } else {
        status = 'due';
        explanation.push(`Retention ended on ${formatDate(endsOn)}.`);
      }
      break;
    }
    case 'permanent':
      rule = end.rule;
      status = 'retained';
      explanation.push(`Rule applied: ${end.rule.label}.`);
      break;
    case 'incomplete':
      rule = end.rule;
      missing = end.missing;
      status = 'incomplete';
      explanation.push(
        `The ${missing.map((f) => DATE_FIELD_LABELS[f]).join(' and the ')} ${missing.length > 1 ? 'are' : 'is'} not recorded, so the end of retention cannot be worked out. Add it to the case before anything is destroyed.`,
      );
      break;
  }
  explanation.push(endActionSentence(cls));
  explanation.push(describeBasis(cls));

  if (holds.length) {
    status = 'held';
    explanation.push(
      `On hold: ${holds.map((h) => `${h.type.replace(/_/g, ' ')} (${h.reference})`).join(', ')}. It cannot be destroyed while a hold is in force.`,
    );
  }
  if (record.destroyedOn) {
    status = 'destroyed';
    explanation.push(`Destroyed on ${formatDate(record.destroyedOn)}; see the destruction register.`);
  }

  return {
    classId: cls.id,
    classTitle: cls.title,
    status,
    endsOn,
    permanent: end.kind === 'permanent',
    ruleId: rule?.id ?? null,
    ruleLabel: rule?.label ?? null,
    missing,
    citation: rule?.citation ?? cls.authority.citation,
    explanation,
  };
}
