import type { Kysely } from 'kysely';
import { appendAudit } from '../../src/store/audit.js';
import type { Database } from '../../src/store/schema.js';

// Test staff written as the staff import writes them: the rows and, in the same transaction, an
// audit entry vouching for them, so verify-audit finds every staff row accounted for. (The import
// itself takes Entra object ids only; tests name people more readably.)

export interface TestPerson {
  id: string;
  name: string;
  roles: readonly string[];
  manager?: string | null;
  email?: string;
}

export async function seedStaff(
  db: Kysely<Database>,
  people: readonly TestPerson[],
  at: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('staff')
      .values(
        people.map((p) => ({
          aad_object_id: p.id,
          display_name: p.name,
          email: p.email ?? `${p.id}@example.test`,
          roles: p.roles.join(';'),
          line_manager_id: p.manager ?? null,
          updated_at: at,
        })),
      )
      .execute();
    await appendAudit(trx, {
      at,
      actorId: 'test',
      action: 'staff.imported',
      entityType: 'staff',
      entityId: 'test-staff',
      details: { rows: people.length, imported: people.length, skipped: 0 },
      covers: people.map((p) => ({ table: 'staff', key: [p.id] })),
    });
  });
}
