import type { Kysely } from 'kysely';
import { ROLES, type IsoDate, type Role } from '../rules/index.js';
import { chunk } from '../chunk.js';
import type { Database } from './schema.js';

// What the directory sync reads and writes: Entra ID's users as last seen, the staff directory
// with leavers, and where the next delta read starts.

/** What the sync keeps of an Entra ID user between runs. */
export interface DirectoryUser {
  id: string;
  managerId: string | null;
  enabled: boolean;
  member: boolean;
  removed: boolean;
}

/** A row of the staff directory. */
export interface StaffState {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  lineManagerId: string | null;
  leftOn: IsoDate | null;
}

const DELTA_LINK = 'directory.users_delta_link';
const GENERATION = 'directory.sync_generation';

export async function loadDirectoryUsers(db: Kysely<Database>): Promise<Map<string, DirectoryUser>> {
  const rows = await db.selectFrom('directory_users').selectAll().execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        managerId: r.manager_id,
        enabled: Number(r.account_enabled) === 1,
        member: Number(r.member) === 1,
        removed: r.removed_at !== null,
      },
    ]),
  );
}

/** Every row of the staff directory, leavers included. */
export async function loadStaffStates(db: Kysely<Database>): Promise<Map<string, StaffState>> {
  const rows = await db.selectFrom('staff').selectAll().execute();
  return new Map(
    rows.map((r) => [
      r.aad_object_id,
      {
        id: r.aad_object_id,
        name: r.display_name,
        email: r.email,
        roles: r.roles.split(';').filter((x): x is Role => (ROLES as readonly string[]).includes(x)),
        lineManagerId: r.line_manager_id,
        leftOn: r.left_on,
      },
    ]),
  );
}

export async function saveDirectoryUsers(
  db: Kysely<Database>,
  users: readonly DirectoryUser[],
  at: string,
): Promise<void> {
  for (const part of chunk([...users], 500)) {
    await db
      .insertInto('directory_users')
      .values(
        part.map((u) => ({
          id: u.id,
          manager_id: u.managerId,
          account_enabled: u.enabled ? 1 : 0,
          member: u.member ? 1 : 0,
          removed_at: u.removed ? at : null,
          updated_at: at,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          manager_id: eb.ref('excluded.manager_id'),
          account_enabled: eb.ref('excluded.account_enabled'),
          member: eb.ref('excluded.member'),
          // A user already gone keeps the time they went.
          removed_at: eb.fn.coalesce('directory_users.removed_at', eb.ref('excluded.removed_at')),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    const back = part.filter((u) => !u.removed).map((u) => u.id);
    if (back.length) {
      await db.updateTable('directory_users').set({ removed_at: null }).where('id', 'in', back).execute();
    }
  }
}

export async function saveStaffStates(
  db: Kysely<Database>,
  rows: readonly StaffState[],
  at: string,
): Promise<void> {
  for (const part of chunk([...rows], 500)) {
    await db
      .insertInto('staff')
      .values(
        part.map((s) => ({
          aad_object_id: s.id,
          display_name: s.name,
          email: s.email,
          roles: s.roles.join(';'),
          line_manager_id: s.lineManagerId,
          left_on: s.leftOn,
          updated_at: at,
        })),
      )
      .onConflict((oc) =>
        oc.column('aad_object_id').doUpdateSet((eb) => ({
          display_name: eb.ref('excluded.display_name'),
          email: eb.ref('excluded.email'),
          roles: eb.ref('excluded.roles'),
          line_manager_id: eb.ref('excluded.line_manager_id'),
          left_on: eb.ref('excluded.left_on'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

async function setting(db: Kysely<Database>, key: string): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

async function setSetting(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** Where the next delta read of users starts, and how many syncs have been applied. */
export async function directorySyncState(
  db: Kysely<Database>,
): Promise<{ deltaLink: string | null; generation: number }> {
  return {
    deltaLink: await setting(db, DELTA_LINK),
    generation: Number((await setting(db, GENERATION)) ?? 0),
  };
}

export async function saveDirectorySyncState(
  db: Kysely<Database>,
  state: { deltaLink: string; generation: number },
): Promise<void> {
  await setSetting(db, DELTA_LINK, state.deltaLink);
  await setSetting(db, GENERATION, String(state.generation));
}

/**
 * After the directory changed some other way (a CSV import), the next sync reads every user again
 * instead of the changes since its last read, and a sync running meanwhile changes nothing.
 */
export async function resetDirectorySync(db: Kysely<Database>): Promise<void> {
  const { generation } = await directorySyncState(db);
  await db.deleteFrom('settings').where('key', '=', DELTA_LINK).execute();
  await setSetting(db, GENERATION, String(generation + 1));
}
