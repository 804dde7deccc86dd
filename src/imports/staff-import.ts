import path from 'node:path';
import type { Kysely } from 'kysely';
import { checkStaffEntries, STAFF_COLUMNS, type StaffFields } from '../directory/checks.js';
import type { Database } from '../store/schema.js';
import { appendAudit } from '../store/audit.js';
import { chunk } from '../chunk.js';
import { resetDirectorySync } from '../store/directory.js';
import { forgetConversations } from '../store/conversations.js';
import { isRowError, readCsv, type RowError } from './csv.js';
import { checkedResult, type ImportOptions, type ImportResult } from './inventory-import.js';
import { londonDate, parseDate, type IsoDate } from '../rules/index.js';

export { STAFF_COLUMNS };

/**
 * Columns a staff file may have besides the required ones: `left_on`, the date someone left
 * (YYYY-MM-DD or DD/MM/YYYY). A row with it marks a leaver: their row stays with that date and no
 * roles, so their name stays on what they did, and where the bot reached them in Teams goes.
 */
export const STAFF_OPTIONAL_COLUMNS = ['left_on'] as const;

/**
 * Imports the staff directory CSV. Every row is checked (including that each line manager is in
 * the file or already in the directory, and that nobody manages themselves through others)
 * before anything is written. Everyone in the file is current staff, including someone who had
 * left and is back, unless their row gives the date they left (`left_on`): then they are kept as
 * a leaver, with no roles, and their Teams conversation references go in the same transaction. A
 * directory sync from Entra ID after an import reads every user again.
 */
export async function importStaff(
  db: Kysely<Database>,
  file: string,
  options: Omit<ImportOptions, 'today'>,
): Promise<ImportResult> {
  const errors: RowError[] = [];
  const items: { key: number; fields: StaffFields }[] = [];
  const leftOn = new Map<number, IsoDate>();
  const today = londonDate(options.now());
  let rows = 0;
  for await (const item of readCsv(
    file,
    STAFF_COLUMNS,
    (p) => options.onProgress?.({ ...p, phase: 'checking' }),
    { optional: STAFF_OPTIONAL_COLUMNS },
  )) {
    rows += 1;
    if (isRowError(item)) {
      errors.push(item);
      continue;
    }
    const left = item.values.left_on?.trim() ?? '';
    if (left) {
      const date = parseDate(left);
      if (!date) {
        errors.push({
          line: item.line,
          message: `left_on "${left}" is not a date: use YYYY-MM-DD or DD/MM/YYYY`,
        });
        continue;
      }
      if (date > today) {
        errors.push({ line: item.line, message: `left_on ${date} is in the future` });
        continue;
      }
      leftOn.set(item.line, date);
    }
    items.push({ key: item.line, fields: item.values as StaffFields });
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
  const leavers = valid.filter(({ key }) => leftOn.has(key)).map(({ entry }) => entry.id);
  await db.transaction().execute(async (trx) => {
    for (const part of chunk(valid, 500)) {
      await trx
        .insertInto('staff')
        .values(
          part.map(({ key, entry }) => ({
            aad_object_id: entry.id,
            display_name: entry.name,
            email: entry.email,
            // A leaver keeps their row and name, and no roles: every query for a role leaves them out.
            roles: leftOn.has(key) ? '' : entry.roles.join(';'),
            line_manager_id: entry.managerId,
            updated_at: at,
            left_on: leftOn.get(key) ?? null,
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
    if (leavers.length) await forgetConversations(trx, leavers);
    await appendAudit(trx, {
      at,
      actorId: options.actorId,
      action: 'staff.imported',
      entityType: 'staff',
      entityId: path.basename(file),
      details: {
        rows,
        imported: result.imported,
        skipped: result.skipped,
        ...(leavers.length ? { left: leavers } : {}),
      },
      covers: valid.map(({ entry }) => ({ table: 'staff', key: [entry.id] })),
    });
  });
  return leavers.length ? { ...result, left: leavers.length } : result;
}
