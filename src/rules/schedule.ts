import { z } from 'zod';
import { isIsoDate } from './dates.js';
import defaultScheduleData from './retention-schedule.json' with { type: 'json' };

/** The case dates that retention can be counted from, as the inventory holds them. */
export const DATE_FIELDS = [
  'dateOfBirth',
  'dateOfDeath',
  'closedOn',
  'adoptionOrderOn',
  'approvalEndedOn',
  'lastContactOn',
] as const;
export type DateField = (typeof DATE_FIELDS)[number];

/** How each date is named to people. */
export const DATE_FIELD_LABELS: Record<DateField, string> = {
  dateOfBirth: 'date of birth',
  dateOfDeath: 'date of death',
  closedOn: 'case closure date',
  adoptionOrderOn: 'adoption order date',
  approvalEndedOn: 'date approval or placement ended (or the application was refused or withdrawn)',
  lastContactOn: 'last contact date',
};

export const BASES = ['statutory', 'statutory-guidance', 'case-law', 'local'] as const;
export type Basis = (typeof BASES)[number];
export const END_ACTIONS = ['review', 'destroy', 'permanent-preservation'] as const;
export type EndAction = (typeof END_ACTIONS)[number];

const isoDate = z.string().refine(isIsoDate, { message: 'must be a date written YYYY-MM-DD' });
const dateField = z.enum(DATE_FIELDS);

const yearsEnd = z.strictObject({
  from: dateField,
  years: z.number().int().min(0).max(200),
});
/** The person's State Pension age, worked out from their date of birth (rules/pension-age.ts). */
const pensionAgeEnd = z.strictObject({
  from: z.literal('dateOfBirth'),
  until: z.literal('state-pension-age'),
});
const periodEnd = z.union([yearsEnd, pensionAgeEnd]);
// One union of every shape (not a union inside a union), so a bad end is matched to its closest shape.
const endSchema = z.union([
  yearsEnd,
  pensionAgeEnd,
  z.strictObject({ latestOf: z.array(periodEnd).min(2) }),
  z.strictObject({ permanent: z.literal(true) }),
]);

const conditionSchema = z.union([
  z.strictObject({ diedBeforeAge: z.number().int().min(1).max(130) }),
  z.strictObject({ date: dateField, before: isoDate }),
  z.strictObject({ date: dateField, onOrAfter: isoDate }),
  /** Whether the date is recorded at all: never "missing". */
  z.strictObject({ date: dateField, known: z.boolean() }),
]);

const classId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case words joined by hyphens');

/**
 * "Kept with" another class of the same child (case): when the case also has a record of one of
 * `classes`, this record is kept at least as long as that one, for the schedule's `reason`.
 */
const keptWithSchema = z.strictObject({
  classes: z.array(classId).min(1),
  reason: z.string().min(1),
});

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case words joined by hyphens'),
  label: z.string().min(1),
  citation: z.string().min(1).optional(),
  when: z.array(conditionSchema).min(1).optional(),
  end: endSchema,
});

const classSchema = z
  .strictObject({
    id: classId,
    title: z.string().min(1),
    aliases: z.array(z.string().min(1)).min(1),
    trigger: z.string().min(1),
    period: z.string().min(1),
    basis: z.enum(BASES),
    toBeConfirmed: z.boolean(),
    actionAtEnd: z.enum(END_ACTIONS),
    authority: z.strictObject({ citation: z.string().min(1), source: z.url().optional() }),
    rules: z.array(ruleSchema).min(1),
    keptWith: z.array(keptWithSchema).min(1).optional(),
    /**
     * A class that is no longer used: its records must be reclassified as one of these. Its rules
     * give the longest of the readings, so a record waiting to be reclassified loses nothing.
     */
    replacedBy: z.array(classId).min(1).optional(),
  })
  .superRefine((cls, ctx) => {
    if (cls.basis !== 'statutory' && !cls.toBeConfirmed) {
      ctx.addIssue({
        code: 'custom',
        path: ['toBeConfirmed'],
        message:
          'must be true for a period that is not statutory (to be confirmed by the Records Management Service)',
      });
    }
    const last = cls.rules[cls.rules.length - 1];
    if (last?.when) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', cls.rules.length - 1, 'when'],
        message: 'the last rule must apply without conditions, so every record has a rule',
      });
    }
    const ids = new Set<string>();
    cls.rules.forEach((rule, i) => {
      if (ids.has(rule.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${rule.id}"` });
      ids.add(rule.id);
    });
  });

const scheduleSchema = z
  .strictObject({
    version: z.string().min(1),
    title: z.string().min(1),
    effectiveFrom: isoDate,
    classes: z.array(classSchema).min(1),
  })
  .superRefine((schedule, ctx) => {
    const seen = new Set<string>();
    schedule.classes.forEach((cls, i) => {
      if (seen.has(cls.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['classes', i, 'id'],
          message: `duplicate class id "${cls.id}"`,
        });
      }
      seen.add(cls.id);
    });
    const ids = new Set(schedule.classes.map((c) => c.id));
    schedule.classes.forEach((cls, i) => {
      cls.keptWith?.forEach((group, g) =>
        group.classes.forEach((other, k) => {
          if (other === cls.id || !ids.has(other)) {
            ctx.addIssue({
              code: 'custom',
              path: ['classes', i, 'keptWith', g, 'classes', k],
              message:
                other === cls.id
                  ? 'a class cannot be kept with itself'
                  : `"${other}" is not a class in this schedule`,
            });
          }
        }),
      );
      cls.replacedBy?.forEach((other, k) => {
        if (other === cls.id || !ids.has(other)) {
          ctx.addIssue({
            code: 'custom',
            path: ['classes', i, 'replacedBy', k],
            message: `"${other}" is not another class in this schedule`,
          });
        }
      });
    });
  });

export type Schedule = z.infer<typeof scheduleSchema>;
export type RecordClass = z.infer<typeof classSchema>;
export type RetentionRule = z.infer<typeof ruleSchema>;
export type RuleEnd = z.infer<typeof endSchema>;
export type PeriodEnd = z.infer<typeof periodEnd>;
export type KeptWithRule = z.infer<typeof keptWithSchema>;
export type RuleCondition = z.infer<typeof conditionSchema>;

/** A schedule that failed validation; the message names the class and the field. */
export class ScheduleError extends Error {
  constructor(readonly problems: string[]) {
    super(`The retention schedule is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScheduleError';
  }
}

function describePath(data: unknown, path: PropertyKey[]): string {
  const [first, index, ...rest] = path;
  if (first === 'classes' && typeof index === 'number') {
    const classes = (data as { classes?: unknown[] } | null)?.classes;
    const entry = Array.isArray(classes) ? (classes[index] as { id?: unknown } | undefined) : undefined;
    const name = typeof entry?.id === 'string' ? `class "${entry.id}"` : `class #${index + 1}`;
    return rest.length ? `${name}, field ${rest.map(String).join('.')}` : name;
  }
  return path.length ? `field ${path.map(String).join('.')}` : 'schedule';
}

export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
}

/**
 * Where a value matches none of a union's shapes, the reasons of the shape it came closest to
 * (fewest problems), so the message names the field rather than just "Invalid input".
 */
export function flattenIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
    return flattenIssues(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  });
}

/** Validates schedule data; throws ScheduleError naming every bad entry and field. */
export function parseSchedule(data: unknown): Schedule {
  const result = scheduleSchema.safeParse(data);
  if (result.success) return result.data;
  throw new ScheduleError(
    flattenIssues(result.error.issues as readonly Issue[]).map(
      (i) => `${describePath(data, i.path)}: ${i.message}`,
    ),
  );
}

/** The schedule shipped with the product. */
export const defaultSchedule: Schedule = parseSchedule(defaultScheduleData);

export function findClass(schedule: Schedule, id: string): RecordClass | undefined {
  return schedule.classes.find((c) => c.id === id);
}

/** A class as people name it: its title, or the id itself when the schedule no longer has it. */
export function classTitle(schedule: Schedule, id: string): string {
  return findClass(schedule, id)?.title ?? id;
}

/**
 * A rule as people name it ("75th anniversary of the child's birth"): its label in the first of
 * `classIds` that has it (a record kept with another class follows that class's rule), or the id
 * itself when the schedule no longer has it.
 */
export function ruleLabel(schedule: Schedule, ruleId: string, ...classIds: (string | null)[]): string {
  for (const id of classIds) {
    const rule = id ? findClass(schedule, id)?.rules.find((r) => r.id === ruleId) : undefined;
    if (rule) return rule.label;
  }
  return ruleId;
}

/** The classes records may be given now: every class not replaced by others. */
export function classesInUse(schedule: Schedule): RecordClass[] {
  return schedule.classes.filter((c) => !c.replacedBy);
}

/** How each basis is named to people. Only a local period is "the council's own choice". */
export const BASIS_PHRASES: Record<Basis, string> = {
  statutory: 'set by law',
  'statutory-guidance': 'statutory guidance the council must follow',
  'case-law': 'the council’s own policy, upheld in the courts',
  local: 'the council’s own choice: no law sets this period',
};

/** What a class's period rests on, and whether it is still to be confirmed, as sentences. */
export function basisSentence(cls: RecordClass): string {
  const phrase = BASIS_PHRASES[cls.basis];
  const confirm = cls.toBeConfirmed ? ' It is to be confirmed by the Records Management Service.' : '';
  return `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}.${confirm}`;
}

/** How strongly an end action keeps a record: a record kept with another takes the stronger. */
export const END_ACTION_STRENGTH: Record<EndAction, number> = {
  destroy: 0,
  review: 1,
  'permanent-preservation': 2,
};
