import { sql, type Kysely } from 'kysely';
import { APPEND_ONLY_TABLES } from './migrations.js';
import type { Database } from './schema.js';

// PostgreSQL roles. The tables belong to an owner role, which alone migrates the schema
// (DATABASE_OWNER_URL); the application connects as a role of its own (DATABASE_URL) that may read
// and write rows but never alter a table, switch off its triggers, truncate it, or update or delete
// a row of an append-only table (the purge removes expired rows of two of them through a function
// that runs as the owner and deletes only what the purge's own audit entry names). SQLite has no
// roles: there, whoever can write the file can do anything, and the keyed audit chain shows it.

/** The role a connection acts as. */
export async function currentRole(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ role: string }>`SELECT current_user AS role`.execute(db);
  return rows[0]!.role;
}

/**
 * As the owner, after migrating: gives the application's role what it needs on every table of the
 * schema and nothing more. Only grants and narrow revokes, so instances already running with the
 * role never lose a right they use while another starts.
 */
export async function grantAppRole(owner: Kysely<Database>, appRole: string): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`.execute(owner);
  const role = sql.id(appRole);
  const appendOnly = new Set<string>(APPEND_ONLY_TABLES);
  for (const { name } of rows) {
    const table = sql.table(name);
    if (appendOnly.has(name)) {
      await sql`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${table} FROM ${role}`.execute(owner);
      await sql`GRANT SELECT, INSERT ON ${table} TO ${role}`.execute(owner);
    } else if (name.startsWith('kysely_migration')) {
      // The migrator's own tables: the application only looks whether migrations are due.
      await sql`REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${table} FROM ${role}`.execute(
        owner,
      );
      await sql`GRANT SELECT ON ${table} TO ${role}`.execute(owner);
    } else {
      await sql`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ${table} FROM ${role}`.execute(owner);
      await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${role}`.execute(owner);
    }
  }
  // The purge removes rows of the audit log and request history only through this function, which
  // runs as the owner and deletes only the rows the purge's own audit entry names (purge-guard.ts).
  const { rows: purge } = await sql<{ fn: string | null }>`
    SELECT to_regprocedure('purge_authorised_rows(text)')::text AS fn`.execute(owner);
  if (purge[0]?.fn)
    await sql`GRANT EXECUTE ON FUNCTION purge_authorised_rows(text) TO ${role}`.execute(owner);
}

/**
 * Why the connection's role could undo the append-only protections (it owns the tables, or is a
 * superuser), or null when it cannot.
 */
export async function roleCanBypassAppendOnly(db: Kysely<Database>): Promise<string | null> {
  const { rows } = await sql<{ role: string; superuser: boolean; owner: boolean; table_owner: string }>`
    SELECT current_user AS role, r.rolsuper AS superuser,
           pg_has_role(current_user, c.relowner, 'MEMBER') AS owner,
           pg_get_userbyid(c.relowner) AS table_owner
    FROM pg_class c JOIN pg_roles r ON r.rolname = current_user
    WHERE c.oid = to_regclass('audit_log')`.execute(db);
  const row = rows[0];
  if (!row) return null;
  if (row.superuser) return `the database role "${row.role}" is a superuser`;
  if (row.owner)
    return `the database role "${row.role}" owns the tables (or is a member of "${row.table_owner}", which does)`;
  return null;
}
