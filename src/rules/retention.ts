import { addYears, ageOn, formatDate, type IsoDate } from './dates.js';
import { statePensionDate } from './pension-age.js';
import {
  basisSentence,
  DATE_FIELD_LABELS,
  END_ACTION_STRENGTH,
  findClass,
  type DateField,
  type EndAction,
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

/**
 * Another record of the same child whose retention this record follows (research (b) 1): a child
 * protection record of a child later looked after is kept with the looked after child record.
 */
export interface KeptWith {
  classId: string;
  classTitle: string;
  /** A record of that class in the case (the first by id); null when only classes are known. */
  recordId: string | null;
  /** The schedule's words for why, e.g. "If the child later became looked after, …". */
  reason: string;
  /** The authority of the rule that now applies. */
  citation: string;
}

/** When a record's retention ends, before today, holds or destruction are considered. */
export type RetentionEnd =
  | {
      kind: 'ends';
      endsOn: IsoDate;
      rule: RetentionRule;
      trigger: { field: DateField; date: IsoDate };
      keptWith?: KeptWith;
    }
  | { kind: 'permanent'; rule: RetentionRule; keptWith?: KeptWith }
  | { kind: 'incomplete'; missing: DateField[]; rule: RetentionRule | null; keptWith?: KeptWith };

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
  /** The record of the same child this record is kept with, when that gives the longer period. */
  keptWith: KeptWith | null;
  /** What happens when retention ends: the class's own action, or a stronger one it is kept with. */
  endAction: EndAction | null;
  /** Plain-English reasoning, one sentence a line. */
  explanation: string[];
}

export interface HoldSummary {
  type: string;
  reference: string;
}

/** A record of a case, as the case-wide calculation needs it. */
export interface CaseRecordRef {
  recordId: string;
  recordClass: string;
}

export interface RecordState {
  recordClass: string;
  dates: CaseDates;
  /** This record's id and every record of its case (itself included), for "kept with" rules. */
  recordId?: string;
  caseRecords?: readonly CaseRecordRef[];
  /** Date of destruction, if the record has been destroyed. */
  destroyedOn?: IsoDate | null;
  /** Holds in force on the record or its case. */
  activeHolds?: readonly HoldSummary[];
}

/**
 * How a 29 February birthday is read in a common year. The law is unsettled: `late` counts the
 * anniversary on 1 March (as periods are counted, so they never end early), `early` on
 * 28 February. Where the two give different rules, the longer retention is taken.
 */
type LeapReading = 'late' | 'early';

function ageOnReading(dateOfBirth: IsoDate, on: IsoDate, reading: LeapReading): number {
  const age = ageOn(dateOfBirth, on);
  if (reading === 'late' || !dateOfBirth.endsWith('-02-29')) return age;
  // On 28 February of a common year, the early reading has the birthday already passed.
  const next = age + 1;
  const year = Number(on.slice(0, 4));
  const common = !((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0);
  return common && on.endsWith('-02-28') && Number(dateOfBirth.slice(0, 4)) + next === year ? next : age;
}

type ConditionOutcome = { met: boolean } | { missing: DateField[] };

function evaluateCondition(
  condition: RuleCondition,
  dates: CaseDates,
  reading: LeapReading,
): ConditionOutcome {
  if ('diedBeforeAge' in condition) {
    const death = dates.dateOfDeath;
    if (!death) return { met: false };
    const birth = dates.dateOfBirth;
    if (!birth) return { missing: ['dateOfBirth'] };
    return { met: ageOnReading(birth, death, reading) < condition.diedBeforeAge };
  }
  const value = dates[condition.date];
  if ('known' in condition) return { met: !!value === condition.known };
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

function endOf(part: PeriodEnd, date: IsoDate): IsoDate {
  return 'years' in part ? addYears(date, part.years) : statePensionDate(date);
}

function ruleEnd(cls: RecordClass, dates: CaseDates, reading: LeapReading): RetentionEnd {
  for (const rule of cls.rules) {
    const missing: DateField[] = [];
    let applies = true;
    for (const condition of rule.when ?? []) {
      const outcome = evaluateCondition(condition, dates, reading);
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
      const endsOn = endOf(p, date);
      if (!best || endsOn > best.endsOn) best = { endsOn, field: p.from, date };
    }
    return { kind: 'ends', endsOn: best!.endsOn, rule, trigger: { field: best!.field, date: best!.date } };
  }
  // Unreachable for a validated schedule: its last rule has no conditions.
  return { kind: 'incomplete', missing: [], rule: null };
}

const RANK: Record<RetentionEnd['kind'], number> = { ends: 0, incomplete: 1, permanent: 2 };

/**
 * Whether `a` keeps a record longer than `b`. Permanent is longest; an end that cannot be worked
 * out may be later than any known one; otherwise the later date. A tie keeps `b`.
 */
export function keepsLonger(a: RetentionEnd, b: RetentionEnd): boolean {
  if (RANK[a.kind] !== RANK[b.kind]) return RANK[a.kind] > RANK[b.kind];
  return a.kind === 'ends' && b.kind === 'ends' && a.endsOn > b.endsOn;
}

/**
 * Which rule applies to a record of this class and when its retention ends, on its own (see
 * `caseRetentionEnds` for the rules that look at the child's other records). Needs no clock.
 * Where a 29 February birthday leaves an age in doubt, the reading that keeps longer wins.
 */
export function retentionEnd(cls: RecordClass, dates: CaseDates): RetentionEnd {
  const late = ruleEnd(cls, dates, 'late');
  if (!dates.dateOfBirth?.endsWith('-02-29') || !dates.dateOfDeath) return late;
  const early = ruleEnd(cls, dates, 'early');
  return keepsLonger(early, late) ? early : late;
}

function citationOf(cls: RecordClass, rule: RetentionRule | null): string {
  return rule?.citation ?? cls.authority.citation;
}

/**
 * The retention of each class present in a case, with "kept with" rules applied: a class kept
 * with another class of the same child takes that class's end when it is longer, through as
 * many links as the schedule has. Classes not in the schedule are left out. `recordId` is null
 * in the results; `caseRetentionEnds` names the records.
 */
export function classRetentionEnds(
  schedule: Schedule,
  classIds: Iterable<string>,
  dates: CaseDates,
): Map<string, RetentionEnd> {
  const classes = new Map<string, RecordClass>();
  for (const id of classIds) {
    const cls = findClass(schedule, id);
    if (cls) classes.set(id, cls);
  }
  const ends = new Map<string, RetentionEnd>();
  for (const [id, cls] of classes) ends.set(id, retentionEnd(cls, dates));
  const linked = [...classes.values()].filter((c) =>
    c.keptWith?.some((g) => g.classes.some((o) => classes.has(o))),
  );
  // Each pass can only lengthen an end, and there are finitely many ends: it settles.
  for (let changed = linked.length > 0; changed;) {
    changed = false;
    for (const cls of linked) {
      for (const group of cls.keptWith!) {
        for (const other of group.classes) {
          const theirs = ends.get(other);
          if (!theirs) continue;
          const source = theirs.keptWith
            ? findClass(schedule, theirs.keptWith.classId)!
            : classes.get(other)!;
          if (source.id === cls.id || !keepsLonger(theirs, ends.get(cls.id)!)) continue;
          ends.set(cls.id, {
            ...theirs,
            keptWith: {
              classId: source.id,
              classTitle: source.title,
              recordId: null,
              reason: group.reason,
              citation: theirs.keptWith?.citation ?? citationOf(source, theirs.rule),
            },
          });
          changed = true;
        }
      }
    }
  }
  return ends;
}

/**
 * Every record's retention, looking across the child's records (the case): the longest period
 * that applies, and which record it comes from.
 */
export function caseRetentionEnds(
  schedule: Schedule,
  records: readonly CaseRecordRef[],
  dates: CaseDates,
): Map<string, RetentionEnd> {
  const firstOfClass = new Map<string, string>();
  for (const r of records) {
    const first = firstOfClass.get(r.recordClass);
    if (first === undefined || r.recordId < first) firstOfClass.set(r.recordClass, r.recordId);
  }
  const byClass = classRetentionEnds(schedule, firstOfClass.keys(), dates);
  const result = new Map<string, RetentionEnd>();
  for (const r of records) {
    const end = byClass.get(r.recordClass);
    if (!end) continue;
    result.set(
      r.recordId,
      end.keptWith
        ? { ...end, keptWith: { ...end.keptWith, recordId: firstOfClass.get(end.keptWith.classId) ?? null } }
        : end,
    );
  }
  return result;
}

/** The action at the end of retention: the class's own, or the stronger one of a class it is kept with. */
export function endActionOf(schedule: Schedule, cls: RecordClass, end: RetentionEnd): EndAction {
  const partner = end.keptWith ? findClass(schedule, end.keptWith.classId) : undefined;
  if (!partner) return cls.actionAtEnd;
  return END_ACTION_STRENGTH[partner.actionAtEnd] > END_ACTION_STRENGTH[cls.actionAtEnd]
    ? partner.actionAtEnd
    : cls.actionAtEnd;
}

function endActionSentence(action: EndAction): string {
  switch (action) {
    case 'destroy':
      return 'At the end of the period the Records Management Service destroys it, after the pre-destruction checks.';
    case 'review':
      return 'At the end of the period the Records Management Service reviews it and records a decision: destroy, keep longer, transfer to the archives, or keep permanently. It is not destroyed without that decision.';
    case 'permanent-preservation':
      return 'It is kept permanently.';
  }
}

/**
 * The retention status of one record on `today`: when retention ends, under which rule, and why.
 * With the case's records (`recordId`, `caseRecords`) it applies the "kept with" rules. Never
 * `due` while a date the rule needs is unknown.
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
      keptWith: null,
      endAction: null,
      explanation: [
        `The record class "${record.recordClass}" is not in the retention schedule (version ${schedule.version}), so no period can be worked out.`,
      ],
    };
  }
  const end =
    record.recordId && record.caseRecords
      ? (caseRetentionEnds(schedule, record.caseRecords, record.dates).get(record.recordId) ??
        retentionEnd(cls, record.dates))
      : retentionEnd(cls, record.dates);
  return describeRetention(cls, end, record, today, endActionOf(schedule, cls, end));
}

/** Turns a computed end into a status and explanation for `today`. */
export function describeRetention(
  cls: RecordClass,
  end: RetentionEnd,
  record: Pick<RecordState, 'destroyedOn' | 'activeHolds'>,
  today: IsoDate,
  endAction: EndAction = cls.actionAtEnd,
): RetentionAnswer {
  const holds = record.activeHolds ?? [];
  const explanation: string[] = [`Record class: ${cls.title}. Period: ${cls.period}.`];
  if (cls.replacedBy) {
    explanation.push(
      `This class is no longer used: reclassify the record as one of ${cls.replacedBy.join(', ')}. Until then the longest of their periods applies.`,
    );
  }
  const kept = end.keptWith ?? null;
  if (kept) {
    const which = kept.recordId ? ` ${kept.recordId}` : '';
    explanation.push(
      `Kept with the ${kept.classTitle.toLowerCase()}${which} of the same child, which is kept longer: ${kept.reason}.`,
    );
  }
  const ruleOf = (rule: RetentionRule) =>
    kept ? `${rule.label} (${kept.classTitle.toLowerCase()})` : rule.label;
  let status: RetentionStatus;
  let endsOn: IsoDate | null = null;
  let rule: RetentionRule | null = null;
  let missing: DateField[] = [];

  switch (end.kind) {
    case 'ends': {
      rule = end.rule;
      endsOn = end.endsOn;
      explanation.push(
        `Rule applied: ${ruleOf(end.rule)}. Counted from the ${DATE_FIELD_LABELS[end.trigger.field]}, ${formatDate(end.trigger.date)}.`,
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
      explanation.push(`Rule applied: ${ruleOf(end.rule)}.`);
      break;
    case 'incomplete':
      rule = end.rule;
      missing = end.missing;
      status = 'incomplete';
      explanation.push(
        missing.length
          ? `The ${missing.map((f) => DATE_FIELD_LABELS[f]).join(' and the ')} ${missing.length > 1 ? 'are' : 'is'} not recorded, so the end of retention cannot be worked out. Add it to the case before anything is destroyed.`
          : 'The end of retention cannot be worked out until the record is reclassified.',
      );
      break;
  }
  explanation.push(endActionSentence(endAction));
  const citation = kept ? kept.citation : citationOf(cls, rule);
  explanation.push(
    kept ? `Authority: ${kept.citation}.` : `Authority: ${cls.authority.citation}. ${basisSentence(cls)}`,
  );

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
    citation,
    keptWith: kept,
    endAction,
    explanation,
  };
}
