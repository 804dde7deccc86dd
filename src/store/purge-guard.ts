import { sql, type Kysely } from 'kysely';

// How the purge may remove rows of the append-only tables, and nothing else may. The database
// refuses every DELETE on the audit log and on request history unless the row is named in
// `purge_authorisations` by the audit entry that records the purge, and that entry is the last of
// the chain (on PostgreSQL also: written in the same transaction). The purge appends that entry
// first, names the rows, removes them and clears the names before it commits, so outside a purge
// no authorisation exists and an ad-hoc DELETE is refused as before. On PostgreSQL the
// application's role has no DELETE right on these tables at all: it removes the named rows through
// `purge_authorised_rows`, a function that runs as the tables' owner and deletes only named rows,
// each of which the trigger checks again. The entry itself carries, under the audit key, the hash
// of every entry and the key of every row it removes, which is what lets verify-audit accept those
// removals and only those: a forged authorisation still leaves rows missing that no keyed entry
// accounts for.

/** The audit action of a purge (the triggers look for it). */
export const PURGE_ACTION = 'data.purged';
/** The entity type of purge entries (`audit_log`'s index starts with it). */
export const PURGE_ENTITY = 'purge';

/** The append-only tables the purge removes rows from, each with the columns of its key. */
export const PURGEABLE_APPEND_ONLY = {
  audit_log: ['seq'],
  authorisation_history: ['authorisation_id', 'version'],
} as const;
export type PurgeableAppendOnlyTable = keyof typeof PURGEABLE_APPEND_ONLY;

export function isPurgeable(table: string): table is PurgeableAppendOnlyTable {
  return Object.hasOwn(PURGEABLE_APPEND_ONLY, table);
}

/** Creates the table the purge names rows in, and on PostgreSQL the functions that check and delete. */
export async function createPurgeMachinery(
  db: Kysely<unknown>,
  dialect: 'sqlite' | 'postgres',
): Promise<void> {
  await db.schema
    .createTable('purge_authorisations')
    .ifNotExists()
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('row_key', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('purge_authorisations_pk', ['table_name', 'row_key'])
    .execute();
  if (dialect !== 'postgres') return;
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION guard_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         v_key text;
       BEGIN
         IF TG_OP = 'DELETE' THEN
           SELECT string_agg(to_jsonb(OLD) ->> k, '/' ORDER BY i) INTO v_key
             FROM unnest(TG_ARGV) WITH ORDINALITY AS a(k, i);
           IF EXISTS (
             SELECT 1 FROM purge_authorisations p JOIN audit_log e ON e.seq = p.seq
             WHERE p.table_name = TG_TABLE_NAME AND p.row_key = v_key
               AND e.action = '${PURGE_ACTION}'
               AND e.seq = (SELECT max(seq) FROM audit_log)
               AND e.xmin::text::bigint = txid_current() % 4294967296
           ) THEN
             RETURN OLD;
           END IF;
         END IF;
         RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
       END $$`,
    )
    .execute(db);
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const schema = `"${rows[0]!.schema.replace(/"/g, '""')}"`;
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION purge_authorised_rows(target text) RETURNS bigint
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${schema}, pg_temp AS $$
       DECLARE
         removed bigint;
       BEGIN
         IF target = 'audit_log' THEN
           DELETE FROM audit_log WHERE seq IN (
             SELECT row_key::bigint FROM purge_authorisations WHERE table_name = 'audit_log');
         ELSIF target = 'authorisation_history' THEN
           DELETE FROM authorisation_history h
           WHERE h.authorisation_id IN (
               SELECT split_part(row_key, '/', 1) FROM purge_authorisations
               WHERE table_name = 'authorisation_history')
             AND EXISTS (
               SELECT 1 FROM purge_authorisations p
               WHERE p.table_name = 'authorisation_history'
                 AND p.row_key = h.authorisation_id || '/' || h.version::text);
         ELSE
           RAISE EXCEPTION 'the purge removes no rows from %', target;
         END IF;
         GET DIAGNOSTICS removed = ROW_COUNT;
         RETURN removed;
       END $$`,
    )
    .execute(db);
  await sql.raw(`REVOKE ALL ON FUNCTION purge_authorised_rows(text) FROM PUBLIC`).execute(db);
}

/** SQLite: the row's key as the purge names it, from the trigger's OLD row. */
function sqliteKey(table: PurgeableAppendOnlyTable): string {
  return PURGEABLE_APPEND_ONLY[table].map((c) => `CAST(OLD.${c} AS TEXT)`).join(` || '/' || `);
}

/** The trigger that refuses DELETE on `table` unless the purge has named the row, by dialect. */
export function deleteGuardSql(table: PurgeableAppendOnlyTable, dialect: 'sqlite' | 'postgres'): string {
  if (dialect === 'sqlite') {
    return `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
      WHEN NOT EXISTS (
        SELECT 1 FROM purge_authorisations p JOIN audit_log e ON e.seq = p.seq
        WHERE p.table_name = '${table}' AND p.row_key = ${sqliteKey(table)}
          AND e.action = '${PURGE_ACTION}'
          AND e.seq = (SELECT max(seq) FROM audit_log))
      BEGIN SELECT RAISE(ABORT, '${table} is append-only: DELETE refused'); END`;
  }
  const args = PURGEABLE_APPEND_ONLY[table].map((c) => `'${c}'`).join(', ');
  return `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION guard_append_only_change(${args})`;
}

/** The name of the trigger `deleteGuardSql` makes (it replaces the plain refusal of the same name). */
export function deleteGuardName(table: PurgeableAppendOnlyTable, dialect: 'sqlite' | 'postgres'): string {
  return dialect === 'sqlite' ? `${table}_no_delete` : `${table}_append_only`;
}
