import path from 'node:path';
import type { Kysely } from 'kysely';
import { checkStaffEntries, STAFF_COLUMNS, type StaffFields } from '../directory/checks.js';
import type { Database } from '../store/schema.js';
import { appendAudit } from '../store/audit.js';
import { chunk } from '../chunk.js';
import { resetDirectorySync } from '../store/directory.js';
import { isRowError, readCsv, type RowError } from './csv.js';
import { checkedResult, type ImportOptions, type ImportResult } from './inventory-import.js';

export { STAFF_COLUMNS };

/**
 * Imports the staff directory CSV. Every row is checked (including that each line manager is in
 * the file or already in the directory, and that nobody manages themselves through others)
 * before anything is written. Everyone in the file is current staff, including someone who had
 * left and is back. A directory sync from Entra ID after an import reads every user again.
 */
export async function importStaff(
  db: Kysely<Database>,
  file: string,
  options: Omit<ImportOptions, 'today'>,
): Promise<ImportResult> {
  const errors: RowError[] = [];
  const items: { key: number; fields: StaffFields }[] = [];
  let rows = 0;
  for await (const item of readCsv(file, STAFF_COLUMNS, (p) =>
    options.onProgress?.({ ...p, phase: 'checking' }),
  )) {
    rows += 1;
    if (isRowError(item)) errors.push(item);
    else items.push({ key: item.line, fields: item.values as StaffFields });
  }
  // The people in the directory now, with their line managers, for the checks that look beyond
  // the file: a line manager must be in the file or current staff, and no loops.
  const existing = new Map(
    (
      await db
        .selectFrom('staff')
        .select(['aad_object_id', 'line_manager_id'])
        .where('left_on', 'is', null)
        .execute()
    ).map((r) => [r.aad_object_id, r.line_manager_id]),
  );
  const checked = checkStaffEntries(items, { where: (line) => `line ${line}`, existing });
  errors.push(...checked.errors.map((e) => ({ line: e.key, message: e.message })));
  const valid = checked.valid;
  errors.sort((a, b) => a.line - b.line);

  const result = checkedResult(rows, errors);
  if (errors.length && !options.skipInvalid) return { ...result, skipped: rows };
  const at = options.now().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const part of chunk(valid, 500)) {
      await trx
        .insertInto('staff')
        .values(
          part.map(({ entry }) => ({
            aad_object_id: entry.id,
            display_name: entry.name,
            email: entry.email,
            roles: entry.roles.join(';'),
            line_manager_id: entry.managerId,
            updated_at: at,
            left_on: null,
          })),
        )
        .onConflict((oc) =>
          oc.column('aad_object_id').doUpdateSet((eb) => ({
            display_name: eb.ref('excluded.display_name'),
            email: eb.ref('excluded.email'),
            roles: eb.ref('excluded.roles'),
            line_manager_id: eb.ref('excluded.line_manager_id'),
            updated_at: eb.ref('excluded.updated_at'),
            left_on: eb.ref('excluded.left_on'),
          })),
        )
        .execute();
      result.imported += part.length;
    }
    await resetDirectorySync(trx);
    await appendAudit(trx, {
      at,
      actorId: options.actorId,
      action: 'staff.imported',
      entityType: 'staff',
      entityId: path.basename(file),
      details: { rows, imported: result.imported, skipped: result.skipped },
      covers: valid.map(({ entry }) => ({ table: 'staff', key: [entry.id] })),
    });
  });
  return result;
}
