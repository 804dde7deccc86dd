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

const periodEnd = z.strictObject({
  from: dateField,
  years: z.number().int().min(0).max(200),
});
const endSchema = z.union([
  periodEnd,
  z.strictObject({ latestOf: z.array(periodEnd).min(2) }),
  z.strictObject({ permanent: z.literal(true) }),
]);

const conditionSchema = z.union([
  z.strictObject({ diedBeforeAge: z.number().int().min(1).max(130) }),
  z.strictObject({ date: dateField, before: isoDate }),
  z.strictObject({ date: dateField, onOrAfter: isoDate }),
]);

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case words joined by hyphens'),
  label: z.string().min(1),
  citation: z.string().min(1).optional(),
  when: z.array(conditionSchema).min(1).optional(),
  end: endSchema,
});

const classSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case words joined by hyphens'),
    title: z.string().min(1),
    aliases: z.array(z.string().min(1)).min(1),
    trigger: z.string().min(1),
    period: z.string().min(1),
    basis: z.enum(BASES),
    toBeConfirmed: z.boolean(),
    actionAtEnd: z.enum(END_ACTIONS),
    authority: z.strictObject({ citation: z.string().min(1), source: z.url().optional() }),
    rules: z.array(ruleSchema).min(1),
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
  });

export type Schedule = z.infer<typeof scheduleSchema>;
export type RecordClass = z.infer<typeof classSchema>;
export type RetentionRule = z.infer<typeof ruleSchema>;
export type RuleEnd = z.infer<typeof endSchema>;
export type PeriodEnd = z.infer<typeof periodEnd>;
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

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
}

/**
 * Where a value matches none of a union's shapes, the reasons of the shape it came closest to
 * (fewest problems), so the message names the field rather than just "Invalid input".
 */
function flattenIssues(issues: readonly Issue[]): Issue[] {
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
