import { z } from 'zod';
import { ROLES, type Role } from '../rules/index.js';
import { describeIssues, text } from '../imports/fields.js';

// The checks every staff directory entry passes, whichever source it comes from: the CSV import
// and the Microsoft Entra ID sync build the same fields and are checked here, and only here.

/** The fields of a directory entry, named as the CSV file's columns. */
export const STAFF_COLUMNS = [
  'aad_object_id',
  'display_name',
  'email',
  'roles',
  'line_manager_aad_object_id',
] as const;
export type StaffFields = Record<(typeof STAFF_COLUMNS)[number], string>;

/** A checked entry, ready to store. */
export interface StaffEntry {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  managerId: string | null;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const objectId = z.string().regex(GUID, 'is not a Microsoft Entra object id (a GUID)');

const entrySchema = z
  .object({
    aad_object_id: objectId.transform((s) => s.toLowerCase()),
    display_name: text(200),
    email: z.email({ error: 'is not an email address' }),
    roles: z.string().transform((value, ctx): Role[] => {
      const roles = value
        .split(';')
        .map((r) => r.trim())
        .filter(Boolean);
      const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (unknown.length) {
        ctx.addIssue({
          code: 'custom',
          message: `has unknown role(s) ${unknown.join(', ')}: use ${ROLES.join(', ')}, separated by ;`,
        });
        return z.NEVER;
      }
      return [...new Set(roles as Role[])];
    }),
    line_manager_aad_object_id: z
      .union([z.literal(''), objectId])
      .transform((s) => (s ? s.toLowerCase() : null)),
  })
  .superRefine((row, ctx) => {
    if (row.line_manager_aad_object_id === row.aad_object_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['line_manager_aad_object_id'],
        message: 'is the person themselves',
      });
    }
  })
  .transform((row): StaffEntry => ({
    id: row.aad_object_id,
    name: row.display_name,
    email: row.email,
    roles: row.roles,
    managerId: row.line_manager_aad_object_id,
  }));

/**
 * The management loop `start` is part of, following `managerOf` (e.g. A → B → A), or null. A
 * chain that runs into a loop without being part of it is not in one.
 */
export function managementLoop(start: string, managerOf: (id: string) => string | null): string[] | null {
  const path: string[] = [];
  const seen = new Set<string>();
  let id: string | null = start;
  while (id !== null && !seen.has(id)) {
    seen.add(id);
    path.push(id);
    id = managerOf(id);
  }
  if (id !== start) return null;
  return [...path, start];
}

export interface EntryError<K> {
  key: K;
  message: string;
}

export interface CheckedEntries<K> {
  valid: { key: K; entry: StaffEntry }[];
  errors: EntryError<K>[];
}

export interface CheckContext<K> {
  /** Where an entry came from, for messages: "line 3", "user 6f1c…". */
  where: (key: K) => string;
  /** People already in the directory, and their line managers, outside these entries. */
  existing: ReadonlyMap<string, string | null>;
}

/**
 * Checks entries one by one (ids, names, addresses, roles, a manager who is not the person) and
 * as a whole: no one twice, every line manager among the good entries or already in the
 * directory, and no management loops. An entry whose line manager is on a bad entry is bad too.
 */
export function checkStaffEntries<K>(
  items: readonly { key: K; fields: StaffFields }[],
  context: CheckContext<K>,
): CheckedEntries<K> {
  const errors: EntryError<K>[] = [];
  const seen = new Map<string, K>();
  let valid: { key: K; entry: StaffEntry }[] = [];
  for (const { key, fields } of items) {
    const parsed = entrySchema.safeParse(fields);
    if (!parsed.success) {
      errors.push({ key, message: describeIssues(parsed.error) });
      continue;
    }
    const earlier = seen.get(parsed.data.id);
    if (earlier !== undefined) {
      errors.push({
        key,
        message: `aad_object_id ${parsed.data.id} is already on ${context.where(earlier)}`,
      });
      continue;
    }
    seen.set(parsed.data.id, key);
    valid.push({ key, entry: parsed.data });
  }

  // Until nothing changes: drop entries whose manager is missing or bad, then entries in a loop.
  for (;;) {
    const before = valid.length;
    for (;;) {
      const here = new Set(valid.map((v) => v.entry.id));
      const next = valid.filter(({ key, entry }) => {
        const manager = entry.managerId;
        if (!manager || here.has(manager) || context.existing.has(manager)) return true;
        const bad = seen.get(manager);
        errors.push({
          key,
          message:
            bad !== undefined
              ? `line_manager_aad_object_id ${manager} is on a row that has errors (${context.where(bad)})`
              : `line_manager_aad_object_id ${manager} is not in this file or the staff directory`,
        });
        return false;
      });
      if (next.length === valid.length) break;
      valid = next;
    }
    const managers = new Map(context.existing);
    for (const { entry } of valid) managers.set(entry.id, entry.managerId);
    const managerOf = (id: string) => managers.get(id) ?? null;
    valid = valid.filter(({ key, entry }) => {
      const loop = managementLoop(entry.id, managerOf);
      if (!loop) return true;
      errors.push({
        key,
        message: `line_manager_aad_object_id makes a management loop: ${loop.join(' → ')}`,
      });
      return false;
    });
    if (valid.length === before) break;
  }
  return { valid, errors };
}
