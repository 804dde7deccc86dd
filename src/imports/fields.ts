import { z } from 'zod';
import { formatDate, parseDate, type IsoDate } from '../rules/index.js';

/** What an identifier may contain. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

/** Control characters that free text may not contain (tab, line feed and carriage return may). */
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Identifiers from other systems: letters, digits and a few separators. */
export function identifier(max: number) {
  return z
    .string()
    .min(1, 'is empty')
    .max(max, `is longer than ${max} characters`)
    .regex(IDENTIFIER, 'may only contain letters, digits and . _ : / -');
}

export function text(max: number) {
  return z
    .string()
    .min(1, 'is empty')
    .max(max, `is longer than ${max} characters`)
    .refine((s) => !CONTROL_CHARACTERS.test(s), 'contains control characters');
}

/** An optional date, `YYYY-MM-DD` or `DD/MM/YYYY`, not after `today`. Empty means unknown. */
export function optionalDate(today: IsoDate) {
  return z.string().transform((value, ctx): IsoDate | null => {
    if (value === '') return null;
    const date = parseDate(value);
    if (!date) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a date (use YYYY-MM-DD or DD/MM/YYYY)` });
      return z.NEVER;
    }
    if (date > today) {
      ctx.addIssue({ code: 'custom', message: `${formatDate(date)} is in the future` });
      return z.NEVER;
    }
    return date;
  });
}

/** "record_id is empty; format must be electronic, paper or mixed" from a zod error. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')} ${i.message}` : i.message)).join('; ');
}
