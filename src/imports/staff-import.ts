import path from 'node:path';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { ROLES, type Role } from '../rules/index.js';
import type { Database } from '../store/schema.js';
import { appendAudit } from '../store/audit.js';
import { chunk } from '../chunk.js';
import { isRowError, readCsv, type RowError } from './csv.js';
import { describeIssues, text } from './fields.js';
import { checkedResult, type ImportOptions, type ImportResult } from './inventory-import.js';

export const STAFF_COLUMNS = [
  'aad_object_id',
  'display_name',
  'email',
  'roles',
  'line_manager_aad_object_id',
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const objectId = z.string().regex(GUID, 'is not a Microsoft Entra object id (a GUID)');

const rowSchema = z
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
  });
type StaffRow = z.output<typeof rowSchema>;

/**
 * Imports the staff directory CSV. Every row is checked (including that each line manager is in
 * the file or already in the directory) before anything is written.
 */
export async function importStaff(
  db: Kysely<Database>,
  file: string,
  options: Omit<ImportOptions, 'today'>,
): Promise<ImportResult> {
  const errors: RowError[] = [];
  const good: { line: number; row: StaffRow }[] = [];
  const seen = new Map<string, number>();
  let rows = 0;
  for await (const item of readCsv(file, STAFF_COLUMNS, (p) =>
    options.onProgress?.({ ...p, phase: 'checking' }),
  )) {
    rows += 1;
    if (isRowError(item)) {
      errors.push(item);
      continue;
    }
    const parsed = rowSchema.safeParse(item.values);
    if (!parsed.success) {
      errors.push({ line: item.line, message: describeIssues(parsed.error) });
      continue;
    }
    const earlier = seen.get(parsed.data.aad_object_id);
    if (earlier !== undefined) {
      errors.push({
        line: item.line,
        message: `aad_object_id ${parsed.data.aad_object_id} is already on line ${earlier}`,
      });
      continue;
    }
    seen.set(parsed.data.aad_object_id, item.line);
    good.push({ line: item.line, row: parsed.data });
  }

  // Line managers must exist: in the directory already, or on a good row of this file. A row
  // whose manager is skipped is skipped too, until nothing changes.
  const wanted = [
    ...new Set(good.map((g) => g.row.line_manager_aad_object_id).filter((id): id is string => !!id)),
  ];
  const inDirectory = new Set<string>();
  for (const ids of chunk(wanted, 500)) {
    const found = await db
      .selectFrom('staff')
      .select('aad_object_id')
      .where('aad_object_id', 'in', ids)
      .execute();
    found.forEach((f) => inDirectory.add(f.aad_object_id));
  }
  let valid = good;
  for (;;) {
    const inFile = new Set(valid.map((g) => g.row.aad_object_id));
    const next = valid.filter(({ line, row }) => {
      const manager = row.line_manager_aad_object_id;
      if (!manager || inFile.has(manager) || inDirectory.has(manager)) return true;
      errors.push({
        line,
        message: seen.has(manager)
          ? `line_manager_aad_object_id ${manager} is on a row that has errors (line ${seen.get(manager)})`
          : `line_manager_aad_object_id ${manager} is not in this file or the staff directory`,
      });
      return false;
    });
    if (next.length === valid.length) break;
    valid = next;
  }
  errors.sort((a, b) => a.line - b.line);

  const result = checkedResult(rows, errors);
  if (errors.length && !options.skipInvalid) return { ...result, skipped: rows };
  const at = options.now().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const part of chunk(valid, 500)) {
      await trx
        .insertInto('staff')
        .values(
          part.map(({ row }) => ({
            aad_object_id: row.aad_object_id,
            display_name: row.display_name,
            email: row.email,
            roles: row.roles.join(';'),
            line_manager_id: row.line_manager_aad_object_id,
            updated_at: at,
          })),
        )
        .onConflict((oc) =>
          oc.column('aad_object_id').doUpdateSet((eb) => ({
            display_name: eb.ref('excluded.display_name'),
            email: eb.ref('excluded.email'),
            roles: eb.ref('excluded.roles'),
            line_manager_id: eb.ref('excluded.line_manager_id'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      result.imported += part.length;
    }
    await appendAudit(trx, {
      at,
      actorId: options.actorId,
      action: 'staff.imported',
      entityType: 'staff',
      entityId: path.basename(file),
      details: { rows, imported: result.imported, skipped: result.skipped },
    });
  });
  return result;
}
