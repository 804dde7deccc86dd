import { z } from 'zod';
import { parseDate, RECORD_FORMATS, type IsoDate, type Schedule } from '../rules/index.js';
import { CONTROL_CHARACTERS, IDENTIFIER, identifier, optionalDate, text } from './fields.js';

/** What every inventory row must be, with the messages people see for a bad one. */
export function rowSchema(schedule: Schedule, today: IsoDate) {
  const classes = new Set(schedule.classes.map((c) => c.id));
  const date = optionalDate(today);
  return z
    .object({
      record_id: identifier(100),
      case_ref: identifier(50),
      record_class: z
        .string()
        .refine((id) => classes.has(id), 'is not a record class in the retention schedule'),
      title: text(500),
      format: z.enum(RECORD_FORMATS, { error: 'must be electronic, paper or mixed' }),
      location: text(200),
      date_of_birth: date,
      date_of_death: date,
      closed_on: date,
      adoption_order_on: date,
      approval_ended_on: date,
      last_contact_on: date,
    })
    .superRefine((row, ctx) => {
      if (row.date_of_birth && row.date_of_death && row.date_of_death < row.date_of_birth) {
        ctx.addIssue({ code: 'custom', path: ['date_of_death'], message: 'is before the date of birth' });
      }
    });
}

export type InventoryRow = z.output<ReturnType<typeof rowSchema>>;

export type RowCheck = { ok: true; row: InventoryRow } | { ok: false; error: z.ZodError };

/**
 * Checks inventory rows. A row is first checked by plain code that accepts exactly what the
 * schema accepts and gives the same result; only a row it does not accept goes through the
 * schema, which then says what is wrong. Most rows of a large file are good, and the schema
 * took seconds over a million of them. (src/imports/inventory-rows.test.ts compares the two.)
 */
export function rowChecker(schedule: Schedule, today: IsoDate): (values: Record<string, string>) => RowCheck {
  const schema = rowSchema(schedule, today);
  const quick = quickCheck(schedule, today);
  return (values) => {
    const row = quick(values);
    if (row) return { ok: true, row };
    const parsed = schema.safeParse(values);
    return parsed.success ? { ok: true, row: parsed.data } : { ok: false, error: parsed.error };
  };
}

/** The plain-code check: the row as the schema gives it, or null when it is not plainly good. */
export function quickCheck(
  schedule: Schedule,
  today: IsoDate,
): (values: Record<string, string>) => InventoryRow | null {
  const classes = new Set(schedule.classes.map((c) => c.id));
  const isIdentifier = (v: unknown, max: number): v is string =>
    typeof v === 'string' && v.length >= 1 && v.length <= max && IDENTIFIER.test(v);
  const isText = (v: unknown, max: number): v is string =>
    typeof v === 'string' && v.length >= 1 && v.length <= max && !CONTROL_CHARACTERS.test(v);
  /** A date as the schema gives it; undefined when it is not a good date. */
  const date = (v: unknown): IsoDate | null | undefined => {
    if (typeof v !== 'string') return undefined;
    if (v === '') return null;
    const parsed = parseDate(v);
    return parsed && parsed <= today ? parsed : undefined;
  };
  return (values) => {
    const {
      record_id,
      case_ref,
      record_class,
      title,
      format,
      location,
      date_of_birth,
      date_of_death,
      closed_on,
      adoption_order_on,
      approval_ended_on,
      last_contact_on,
    } = values;
    if (
      !isIdentifier(record_id, 100) ||
      !isIdentifier(case_ref, 50) ||
      typeof record_class !== 'string' ||
      !classes.has(record_class) ||
      !isText(title, 500) ||
      (format !== 'electronic' && format !== 'paper' && format !== 'mixed') ||
      !isText(location, 200)
    )
      return null;
    const row: InventoryRow = {
      record_id,
      case_ref,
      record_class,
      title,
      format,
      location,
      date_of_birth: date(date_of_birth)!,
      date_of_death: date(date_of_death)!,
      closed_on: date(closed_on)!,
      adoption_order_on: date(adoption_order_on)!,
      approval_ended_on: date(approval_ended_on)!,
      last_contact_on: date(last_contact_on)!,
    };
    if (
      row.date_of_birth === undefined ||
      row.date_of_death === undefined ||
      row.closed_on === undefined ||
      row.adoption_order_on === undefined ||
      row.approval_ended_on === undefined ||
      row.last_contact_on === undefined
    )
      return null;
    if (row.date_of_birth && row.date_of_death && row.date_of_death < row.date_of_birth) return null;
    return row;
  };
}
