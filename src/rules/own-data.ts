import { DateTime } from 'luxon';
import { z } from 'zod';
import { addDays, addMonths, addYears, TIME_ZONE, type IsoDate } from './dates.js';
import { flattenIssues, type Issue } from './schedule.js';
import defaultOwnDataData from './own-data-schedule.json' with { type: 'json' };

// The retention schedule for the product's own data: how long it keeps the requests, holds, cover,
// notifications, conversation references and audit entries it makes while it runs the procedure.
// Like the records schedule it is data: a shipped default the council can replace with its own
// file (OWN_DATA_SCHEDULE_FILE). The kinds are the product's (the purge knows how to remove each);
// the periods and the reasons are the council's, within what the record needs.

/** How long a kind is kept: a period from its starting event, for good, or as long as what it records. */
export type Keep = { years: number } | { months: number } | { days: number } | 'permanent' | 'with-the-data';
export type Period = Extract<Keep, object>;

interface KindSpec {
  /** What a person calls it. */
  label: string;
  /** What it is made of, where it lives. */
  holds: string;
  /** The event the period counts from. */
  from: string;
  /** The only keep allowed, for kinds the product never purges (the register, decisions, batches). */
  fixed?: Keep;
  /** The shortest period allowed, where less would break the product. */
  minimum?: { days: number; why: string };
}

/** Every kind of data the product keeps, in the order the schedule lists them. */
export const OWN_DATA_KINDS = {
  'removal-requests': {
    label: 'Removal requests and authorisations',
    holds:
      'each request (case, records, purpose, destination, dates, justification, decision and reason), every line of its history, the notifications and card messages about it, and its audit entries',
    from: 'the day the request was closed: records returned, request declined or withdrawn',
  },
  holds: {
    label: 'Holds on cases and records',
    holds:
      'litigation, claim, subject access, FOI, inquiry and other holds (reference, reason, subject access clock), and their audit entries',
    from: 'the day the hold was released',
  },
  'class-holds': {
    label: 'Holds on whole classes of records',
    holds: 'inquiry moratoria and other holds on record classes, and their audit entries',
    from: 'the day the hold was released, or its last day',
  },
  'acting-manager-cover': {
    label: 'Acting manager cover',
    holds: 'who covered whose approvals and when, and its audit entries',
    from: 'the last day of the cover, or the day it was ended',
  },
  notifications: {
    label: 'Notifications sent',
    holds: 'the outbox: who was told what about which request, and when it was sent or given up',
    from: 'the day it was sent, or given up',
  },
  'handled-activities': {
    label: 'Handled Teams activities',
    holds: 'a hashed key of each message and card action Teams delivered, and the answer given',
    from: 'the day it was handled',
    minimum: { days: 1, why: 'Teams delivers an activity again when an answer is slow or lost' },
  },
  'conversation-references': {
    label: 'Conversation references',
    holds:
      'where to reach each person in Teams (their 1:1 chat with the bot) and the card messages sent there; removed at once when the person leaves or uninstalls the app',
    from: 'the day Teams said the bot could no longer reach them',
  },
  'audit-log': {
    label: 'Audit log',
    holds: 'who changed what, when and why, in the keyed chain',
    from: 'what each entry records',
    fixed: 'with-the-data',
  },
  'destruction-register': {
    label: 'Destruction register and certificates',
    holds: 'what was destroyed, under which rule, when, by whom, how, and the checks made',
    from: 'entry',
    fixed: 'permanent',
  },
  'destruction-batches': {
    label: 'Destruction batches',
    holds: 'each batch (the certificate) with its records, checks and outcome, confirmed or cancelled',
    from: 'creation',
    fixed: 'permanent',
  },
  'review-decisions': {
    label: 'Review decisions',
    holds:
      'each decision on a reviewed record: destroy, keep longer, transfer or keep permanently, with the reason',
    from: 'decision',
    fixed: 'permanent',
  },
  'staff-directory': {
    label: 'Staff directory',
    holds:
      'each person’s Entra object id, name, email, roles and line manager; leavers keep their row with the date they left and no roles',
    from: 'joining',
    fixed: 'permanent',
  },
} as const satisfies Record<string, KindSpec>;

export type OwnDataKind = keyof typeof OWN_DATA_KINDS;
export const OWN_DATA_KIND_IDS = Object.keys(OWN_DATA_KINDS) as OwnDataKind[];

/** The kinds the purge removes when their period has passed. */
export const PURGEABLE_KINDS = OWN_DATA_KIND_IDS.filter(
  (k) => !('fixed' in OWN_DATA_KINDS[k]),
) as readonly PurgeableKind[];
export type PurgeableKind = {
  [K in OwnDataKind]: (typeof OWN_DATA_KINDS)[K] extends { fixed: Keep } ? never : K;
}[OwnDataKind];

export function kindSpec(kind: OwnDataKind): KindSpec {
  return OWN_DATA_KINDS[kind];
}

const count = (max: number) => z.number().int().min(0).max(max);
const keepSchema = z.union([
  z.strictObject({ years: count(200) }),
  z.strictObject({ months: count(2400) }),
  z.strictObject({ days: count(73000) }),
  z.literal('permanent'),
  z.literal('with-the-data'),
]);

const entrySchema = z.strictObject({
  kind: z.enum(OWN_DATA_KIND_IDS as [OwnDataKind, ...OwnDataKind[]]),
  keep: keepSchema,
  /** Why this long: the record's need, the law or guidance, or the council's own choice. */
  reason: z.string().min(1),
  /** Where the period comes from, when a law or published guidance gives it. */
  authority: z.string().min(1).optional(),
});

function keepText(keep: Keep): string {
  return typeof keep === 'string' ? `"${keep}"` : JSON.stringify(keep);
}

const scheduleSchema = z
  .strictObject({
    version: z.string().min(1),
    title: z.string().min(1),
    kinds: z.array(entrySchema).min(1),
  })
  .superRefine((schedule, ctx) => {
    const seen = new Set<OwnDataKind>();
    schedule.kinds.forEach((entry, i) => {
      const spec: KindSpec = OWN_DATA_KINDS[entry.kind];
      if (seen.has(entry.kind)) {
        ctx.addIssue({ code: 'custom', path: ['kinds', i, 'kind'], message: 'is listed twice' });
      }
      seen.add(entry.kind);
      if (spec.fixed !== undefined && keepText(entry.keep) !== keepText(spec.fixed)) {
        ctx.addIssue({
          code: 'custom',
          path: ['kinds', i, 'keep'],
          message: `must be ${keepText(spec.fixed)}: the product keeps ${spec.label.toLowerCase()} ${describeKeep(spec.fixed)}, because the record needs them`,
        });
      }
      if (spec.fixed === undefined && entry.keep === 'with-the-data') {
        ctx.addIssue({
          code: 'custom',
          path: ['kinds', i, 'keep'],
          message: 'must be a period ({ "years": n }, { "months": n } or { "days": n }) or "permanent"',
        });
      }
      if (spec.minimum && typeof entry.keep === 'object' && daysAtLeast(entry.keep) < spec.minimum.days) {
        ctx.addIssue({
          code: 'custom',
          path: ['kinds', i, 'keep'],
          message: `must be at least ${spec.minimum.days} day(s): ${spec.minimum.why}`,
        });
      }
    });
    for (const kind of OWN_DATA_KIND_IDS) {
      if (!seen.has(kind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['kinds'],
          message: `"${kind}" (${OWN_DATA_KINDS[kind].label.toLowerCase()}) is missing: every kind must say how long it is kept`,
        });
      }
    }
  });

export type OwnDataSchedule = z.infer<typeof scheduleSchema>;
export type OwnDataEntry = OwnDataSchedule['kinds'][number];

/** The fewest days a period can be (a month as 28 days, a year as 365). */
function daysAtLeast(period: Period): number {
  if ('days' in period) return period.days;
  if ('months' in period) return period.months * 28;
  return period.years * 365;
}

export class OwnDataScheduleError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The schedule for the product's own data is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'OwnDataScheduleError';
  }
}

function describePath(data: unknown, path: PropertyKey[]): string {
  const [first, index, ...rest] = path;
  if (first === 'kinds' && typeof index === 'number') {
    const kinds = (data as { kinds?: unknown[] } | null)?.kinds;
    const entry = Array.isArray(kinds) ? (kinds[index] as { kind?: unknown } | undefined) : undefined;
    const name = typeof entry?.kind === 'string' ? `kind "${entry.kind}"` : `entry #${index + 1}`;
    return rest.length ? `${name}, field ${rest.map(String).join('.')}` : name;
  }
  return path.length ? `field ${path.map(String).join('.')}` : 'schedule';
}

/** Validates the own-data schedule; throws naming every bad entry and field. */
export function parseOwnDataSchedule(data: unknown): OwnDataSchedule {
  const result = scheduleSchema.safeParse(data);
  if (result.success) return result.data;
  throw new OwnDataScheduleError(
    flattenIssues(result.error.issues as readonly Issue[]).map(
      (i) => `${describePath(data, i.path)}: ${i.message}`,
    ),
  );
}

/** The schedule shipped with the product. */
export const defaultOwnDataSchedule: OwnDataSchedule = parseOwnDataSchedule(defaultOwnDataData);

export function entryFor(schedule: OwnDataSchedule, kind: OwnDataKind): OwnDataEntry {
  const entry = schedule.kinds.find((k) => k.kind === kind);
  if (!entry) throw new Error(`The own-data schedule has no entry for ${kind}`);
  return entry;
}

/** "6 years", "30 days", "permanently", "as long as what it records". */
function describeKeep(keep: Keep): string {
  if (keep === 'permanent') return 'permanently';
  if (keep === 'with-the-data') return 'as long as what it records';
  const [unit, n] = Object.entries(keep)[0] as [string, number];
  const one = unit.slice(0, -1);
  return `${n} ${n === 1 ? one : unit}`;
}

/**
 * "kept 6 years from the day the hold was released", "removed at the first purge after the day …",
 * "kept permanently", "kept as long as what it records".
 */
export function describeOwnDataRetention(kind: OwnDataKind, keep: Keep): string {
  if (typeof keep === 'string') return `kept ${describeKeep(keep)}`;
  const from = OWN_DATA_KINDS[kind].from;
  if (Object.values(keep)[0] === 0) return `removed at the first purge after ${from}`;
  return `kept ${describeKeep(keep)} from ${from}`;
}

/**
 * What has expired on `today` under `keep`: anything whose starting event fell before `date`
 * (a calendar date in Europe/London) or before `instant` (the start of that day in London, for
 * stored instants). Null when nothing of the kind ever expires.
 */
export function expiryCutoff(keep: Keep, today: IsoDate): { date: IsoDate; instant: string } | null {
  if (typeof keep === 'string') return null;
  const date =
    'years' in keep
      ? addYears(today, -keep.years)
      : 'months' in keep
        ? addMonths(today, -keep.months)
        : addDays(today, -keep.days);
  const instant = DateTime.fromISO(date, { zone: TIME_ZONE }).toUTC().toISO()!;
  return { date, instant };
}
