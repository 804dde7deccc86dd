import type { Kysely } from 'kysely';
import { ROLES, type IsoDate, type ManagerRelationship, type Role } from '../rules/index.js';
import type { Database, StaffRow } from './schema.js';

export interface StaffMember {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  lineManagerId: string | null;
  /** The date the person left (disabled, removed or out of scope in Entra ID); null while they are staff. */
  leftOn: IsoDate | null;
}

export function toStaffMember(row: StaffRow): StaffMember {
  return {
    id: row.aad_object_id,
    name: row.display_name,
    email: row.email,
    roles: row.roles.split(';').filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    lineManagerId: row.line_manager_id,
    leftOn: row.left_on,
  };
}

/** A current member of staff: someone who has left is no longer in the directory. */
export async function getStaff(db: Kysely<Database>, id: string): Promise<StaffMember | undefined> {
  const row = await db
    .selectFrom('staff')
    .selectAll()
    .where('aad_object_id', '=', id.toLowerCase())
    .where('left_on', 'is', null)
    .executeTakeFirst();
  return row ? toStaffMember(row) : undefined;
}

/** People by id, including those who have left (their names stay on what they did). */
export async function getStaffMany(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, StaffMember>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('staff').selectAll().where('aad_object_id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.aad_object_id, toStaffMember(r)]));
}

/** Current staff, by name, at most `limit` of them. */
export async function listStaff(db: Kysely<Database>, limit: number): Promise<StaffMember[]> {
  const rows = await db
    .selectFrom('staff')
    .selectAll()
    .where('left_on', 'is', null)
    .orderBy('display_name')
    .orderBy('aad_object_id')
    .limit(limit)
    .execute();
  return rows.map(toStaffMember);
}

/**
 * People whose line manager is `managerId`: current staff, and with `includeLeavers` also those
 * who left while reporting to them (whose open authorisations the manager still oversees).
 */
export async function listReports(
  db: Kysely<Database>,
  managerId: string,
  options: { includeLeavers?: boolean } = {},
): Promise<StaffMember[]> {
  let query = db.selectFrom('staff').selectAll().where('line_manager_id', '=', managerId);
  if (!options.includeLeavers) query = query.where('left_on', 'is', null);
  const rows = await query.orderBy('display_name').execute();
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
  let query = db.selectFrom('staff').selectAll().where('left_on', 'is', null);
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

/** Who is acting for `managerId` on `today` (and is still staff). */
export async function actingManagerIds(
  db: Kysely<Database>,
  managerId: string,
  today: IsoDate,
): Promise<string[]> {
  const rows = await db
    .selectFrom('acting_managers')
    .innerJoin('staff', 'staff.aad_object_id', 'acting_managers.acting_manager_id')
    .select('acting_manager_id')
    .where('staff.left_on', 'is', null)
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

/**
 * The requester's line manager and anyone acting for that manager today. A requester who has left
 * keeps the line manager they had (moved up when that manager leaves too), who still oversees
 * their open authorisations.
 */
export async function relationshipOf(
  db: Kysely<Database>,
  requesterId: string,
  today: IsoDate,
): Promise<ManagerRelationship> {
  const requester = await db
    .selectFrom('staff')
    .select('line_manager_id')
    .where('aad_object_id', '=', requesterId.toLowerCase())
    .executeTakeFirst();
  const lineManagerId = requester?.line_manager_id ?? null;
  return {
    lineManagerId,
    actingManagerIds: lineManagerId ? await actingManagerIds(db, lineManagerId, today) : [],
  };
}
