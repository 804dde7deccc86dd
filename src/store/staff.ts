import type { Kysely } from 'kysely';
import { ROLES, type IsoDate, type ManagerRelationship, type Role } from '../rules/index.js';
import type { Database, StaffRow } from './schema.js';

export interface StaffMember {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  lineManagerId: string | null;
}

export function toStaffMember(row: StaffRow): StaffMember {
  return {
    id: row.aad_object_id,
    name: row.display_name,
    email: row.email,
    roles: row.roles.split(';').filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    lineManagerId: row.line_manager_id,
  };
}

export async function getStaff(db: Kysely<Database>, id: string): Promise<StaffMember | undefined> {
  const row = await db
    .selectFrom('staff')
    .selectAll()
    .where('aad_object_id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row ? toStaffMember(row) : undefined;
}

export async function getStaffMany(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, StaffMember>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('staff').selectAll().where('aad_object_id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.aad_object_id, toStaffMember(r)]));
}

/** People whose line manager is `managerId`. */
export async function listReports(db: Kysely<Database>, managerId: string): Promise<StaffMember[]> {
  const rows = await db
    .selectFrom('staff')
    .selectAll()
    .where('line_manager_id', '=', managerId)
    .orderBy('display_name')
    .execute();
  return rows.map(toStaffMember);
}

/** Staff whose display name starts with `firstName` (a word), among `within` when given. */
export async function findByFirstName(
  db: Kysely<Database>,
  firstName: string,
  within?: readonly string[],
): Promise<StaffMember[]> {
  const name = firstName.trim();
  if (!name) return [];
  let query = db.selectFrom('staff').selectAll();
  if (within) {
    if (!within.length) return [];
    query = query.where('aad_object_id', 'in', within);
  }
  const rows = await query.execute();
  const wanted = name.toLowerCase();
  return rows
    .map(toStaffMember)
    .filter((s) => s.name.toLowerCase() === wanted || s.name.toLowerCase().split(/\s+/)[0] === wanted);
}

/** Who is acting for `managerId` on `today`. */
export async function actingManagerIds(
  db: Kysely<Database>,
  managerId: string,
  today: IsoDate,
): Promise<string[]> {
  const rows = await db
    .selectFrom('acting_managers')
    .select('acting_manager_id')
    .where('manager_id', '=', managerId)
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.acting_manager_id);
}

/** The managers `actingId` is covering on `today`. */
export async function managersCoveredBy(
  db: Kysely<Database>,
  actingId: string,
  today: IsoDate,
): Promise<string[]> {
  const rows = await db
    .selectFrom('acting_managers')
    .select('manager_id')
    .where('acting_manager_id', '=', actingId)
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.manager_id);
}

/** The requester's line manager and anyone acting for that manager today. */
export async function relationshipOf(
  db: Kysely<Database>,
  requesterId: string,
  today: IsoDate,
): Promise<ManagerRelationship> {
  const requester = await getStaff(db, requesterId);
  const lineManagerId = requester?.lineManagerId ?? null;
  return {
    lineManagerId,
    actingManagerIds: lineManagerId ? await actingManagerIds(db, lineManagerId, today) : [],
  };
}
