import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './connection.js';
import { dueCountsSchema } from './due-counts.js';
import {
  createPurgeMachinery,
  deleteGuardName,
  deleteGuardSql,
  PURGEABLE_APPEND_ONLY,
  type PurgeableAppendOnlyTable,
} from './purge-guard.js';
import type { Database } from './schema.js';

/** The append-only tables of the first schema. */
const FIRST_APPEND_ONLY_TABLES = ['audit_log', 'destruction_register'] as const;

/**
 * Tables whose rows are never updated, deleted or replaced: the database itself refuses, and on
 * PostgreSQL the application's role may only read them and add to them.
 */
export const APPEND_ONLY_TABLES = [
  ...FIRST_APPEND_ONLY_TABLES,
  'authorisation_history',
  'disposition_decisions',
] as const;
export type AppendOnlyTable = (typeof APPEND_ONLY_TABLES)[number];

/** Each append-only table's key: an insert that would replace a row with the same key is refused. */
const APPEND_ONLY_KEYS: Record<AppendOnlyTable, readonly string[]> = {
  audit_log: ['seq'],
  destruction_register: ['id'],
  authorisation_history: ['authorisation_id', 'version'],
  disposition_decisions: ['id'],
};

/**
 * SQLite's REPLACE (INSERT OR REPLACE, REPLACE INTO) deletes the row in the way without firing
 * DELETE triggers, and an upsert updates it before any UPDATE trigger could object on some paths.
 * A BEFORE INSERT trigger sees the row still there and refuses the insert: by key, or by the hidden
 * rowid when an insert names one. (PostgreSQL has no REPLACE; its upsert and MERGE fire the UPDATE
 * trigger, which refuses.)
 */
async function refuseReplace(db: Kysely<unknown>, table: AppendOnlyTable): Promise<void> {
  const sameKey = APPEND_ONLY_KEYS[table].map((c) => `${c} = NEW.${c}`).join(' AND ');
  await sql
    .raw(
      `CREATE TRIGGER IF NOT EXISTS ${table}_no_replace BEFORE INSERT ON ${table}
       WHEN EXISTS (SELECT 1 FROM ${table} WHERE ${sameKey})
         OR (NEW.rowid > 0 AND EXISTS (SELECT 1 FROM ${table} WHERE rowid = NEW.rowid))
       BEGIN SELECT RAISE(ABORT, '${table} is append-only: REPLACE refused (a row with this key is already there)'); END`,
    )
    .execute(db);
}

/** Whether a table is there yet (a later migration may already have made it, or may not have). */
async function tableExists(db: Kysely<unknown>, table: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === table);
}

/** Whether a PostgreSQL trigger of that name is on that table. */
async function hasTrigger(db: Kysely<unknown>, table: string, name: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = ${name} AND tgrelid = to_regclass(${table})`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

/**
 * Makes `table` refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL). Only the triggers not there
 * yet are made: migration 0009 may already have put the purge's guarded DELETE trigger in place.
 */
async function appendOnly(db: Kysely<unknown>, dialect: Dialect, table: string): Promise<void> {
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER IF NOT EXISTS ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
           BEGIN SELECT RAISE(ABORT, '${table} is append-only: ${op} refused'); END`,
        )
        .execute(db);
    }
    return;
  }
  if (!(await hasTrigger(db, table, `${table}_append_only`))) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
         FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()`,
      )
      .execute(db);
  }
  if (!(await hasTrigger(db, table, `${table}_no_truncate`))) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()`,
      )
      .execute(db);
  }
}

function initial(dialect: Dialect): Migration {
  return {
    async up(db) {
      await db.schema
        .createTable('staff')
        .addColumn('aad_object_id', 'text', (c) => c.primaryKey())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('line_manager_id', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_line_manager_idx').on('staff').column('line_manager_id').execute();

      await db.schema
        .createTable('acting_managers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('manager_id', 'text', (c) => c.notNull())
        .addColumn('acting_manager_id', 'text', (c) => c.notNull())
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createIndex('acting_managers_manager_idx')
        .on('acting_managers')
        .column('manager_id')
        .execute();

      await db.schema
        .createTable('cases')
        .addColumn('case_ref', 'text', (c) => c.primaryKey())
        .addColumn('date_of_birth', 'text')
        .addColumn('date_of_death', 'text')
        .addColumn('closed_on', 'text')
        .addColumn('adoption_order_on', 'text')
        .addColumn('approval_ended_on', 'text')
        .addColumn('last_contact_on', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('records')
        .addColumn('record_id', 'text', (c) => c.primaryKey())
        .addColumn('case_ref', 'text', (c) => c.notNull().references('cases.case_ref'))
        .addColumn('record_class', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('retention_ends_on', 'text')
        .addColumn('retention_rule', 'text')
        .addColumn('retention_missing', 'text')
        .addColumn('retention_permanent', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('schedule_version', 'text', (c) => c.notNull())
        .addColumn('destroyed_on', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('records_case_idx').on('records').column('case_ref').execute();
      // "What is due": records not destroyed, by end date, then class.
      await db.schema
        .createIndex('records_due_idx')
        .on('records')
        .columns(['retention_ends_on', 'record_class'])
        .where(sql.ref('destroyed_on'), 'is', null)
        .execute();

      await db.schema
        .createTable('removal_authorisations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_ref', 'text', (c) => c.notNull())
        .addColumn('requester_id', 'text', (c) => c.notNull())
        .addColumn('record_ids', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('out_on', 'text', (c) => c.notNull())
        .addColumn('return_on', 'text', (c) => c.notNull())
        .addColumn('justification', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('removal_requester_idx')
        .on('removal_authorisations')
        .columns(['requester_id', 'status'])
        .execute();
      await db.schema
        .createIndex('removal_case_idx')
        .on('removal_authorisations')
        .columns(['case_ref', 'status'])
        .execute();

      await db.schema
        .createTable('authorisation_history')
        .addColumn('authorisation_id', 'text', (c) => c.notNull().references('removal_authorisations.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('authorisation_history_pk', ['authorisation_id', 'version'])
        .execute();

      await db.schema
        .createTable('holds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_ref', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('sar_received_on', 'text')
        .addColumn('sar_extended', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('placed_by', 'text', (c) => c.notNull())
        .addColumn('placed_at', 'text', (c) => c.notNull())
        .addColumn('released_by', 'text')
        .addColumn('released_at', 'text')
        .addColumn('release_reason', 'text')
        .execute();
      await db.schema.createIndex('holds_case_idx').on('holds').column('case_ref').execute();
      await db.schema.createIndex('holds_record_idx').on('holds').column('record_id').execute();

      await db.schema
        .createTable('destruction_register')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('record_class', 'text', (c) => c.notNull())
        .addColumn('case_ref', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('earliest_date', 'text')
        .addColumn('latest_date', 'text')
        .addColumn('schedule_version', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text')
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('trigger_field', 'text')
        .addColumn('trigger_date', 'text')
        .addColumn('retention_ended_on', 'text')
        .addColumn('checks', 'text', (c) => c.notNull())
        .addColumn('authorised_by', 'text', (c) => c.notNull())
        .addColumn('authorised_at', 'text', (c) => c.notNull())
        .addColumn('destroyed_by', 'text', (c) => c.notNull())
        .addColumn('destroyed_on', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('certificate_ref', 'text')
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('register_record_idx')
        .on('destruction_register')
        .column('record_id')
        .execute();
      await db.schema
        .createIndex('register_destroyed_idx')
        .on('destruction_register')
        .column('destroyed_on')
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_entity_idx')
        .on('audit_log')
        .columns(['entity_type', 'entity_id'])
        .execute();

      await db.schema
        .createTable('conversation_references')
        .addColumn('aad_object_id', 'text', (c) => c.primaryKey())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      if (dialect === 'postgres') {
        await sql
          .raw(
            `CREATE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$`,
          )
          .execute(db);
      }
      for (const table of FIRST_APPEND_ONLY_TABLES) await appendOnly(db, dialect, table);
    },
  };
}

/** Notifications waiting to be sent, card messages to keep up to date, activities already handled. */
const messaging: Migration = {
  async up(db) {
    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
      .addColumn('recipient_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('authorisation_id', 'text')
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('claimed_until', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sent_at', 'text')
      .addColumn('failed_at', 'text')
      .addColumn('last_error', 'text')
      .execute();
    await db.schema
      .createIndex('outbox_pending_idx')
      .on('outbox')
      .column('due_at')
      .where(sql.ref('sent_at'), 'is', null)
      .execute();

    await db.schema
      .createTable('card_messages')
      .addColumn('authorisation_id', 'text', (c) => c.notNull())
      .addColumn('recipient_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('activity_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('card_messages_pk', ['authorisation_id', 'recipient_id', 'activity_id'])
      .execute();

    await db.schema
      .createTable('processed_activities')
      .addColumn('activity_key', 'text', (c) => c.primaryKey())
      .addColumn('response', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema.alterTable('conversation_references').addColumn('user_mri', 'text').execute();
    await db.schema.alterTable('conversation_references').addColumn('stale_at', 'text').execute();
  },
};

/** Destruction batches: chosen by one Records Management officer, confirmed by another. */
const destructionBatches: Migration = {
  async up(db) {
    await db.schema
      .createTable('destruction_batches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('reference', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('filter', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('method', 'text')
      .addColumn('certificate_ref', 'text')
      .addColumn('confirmed_by', 'text')
      .addColumn('confirmed_at', 'text')
      .addColumn('cancelled_by', 'text')
      .addColumn('cancelled_at', 'text')
      .addColumn('cancel_reason', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('destruction_batch_items')
      .addColumn('batch_id', 'text', (c) => c.notNull().references('destruction_batches.id'))
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('eligible', 'integer', (c) => c.notNull())
      .addColumn('checks', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addPrimaryKeyConstraint('destruction_batch_items_pk', ['batch_id', 'record_id'])
      .execute();
    await db.schema
      .createIndex('holds_active_idx')
      .on('holds')
      .columns(['case_ref', 'released_at'])
      .execute();
  },
};

/**
 * Tamper evidence: audit entries keyed with a secret held outside the database, each recording the
 * digests of the rows it created or changed; request history append-only too; and on SQLite, no
 * REPLACE or upsert over a row of an append-only table. Entries already there keep their plain
 * hashes: the application keys the chain when it first opens the database with its key
 * (keyLegacyChain), in an entry of its own.
 *
 * It may run after 0005_disposition (a database that took that first): then the disposition
 * decisions are there already, and are refused REPLACE here; otherwise 0005 does it when it makes
 * the table.
 */
function tamperEvidence(dialect: Dialect): Migration {
  return {
    async up(db) {
      await db.schema.alterTable('audit_log').addColumn('key_id', 'text').execute();
      await db.schema.alterTable('audit_log').addColumn('row_digests', 'text').execute();
      await appendOnly(db, dialect, 'authorisation_history');
      if (dialect === 'sqlite') {
        for (const table of APPEND_ONLY_TABLES) {
          if (await tableExists(db, table)) await refuseReplace(db, table);
        }
      }
    },
  };
}

/**
 * Lawful disposition: case-wide retention (kept with another record of the child), review
 * decisions, class-wide holds, subject access clocks, and proof at destruction (who, in what
 * role, which logs were checked, each record's method).
 */
function disposition(dialect: Dialect): Migration {
  return {
    async up(db) {
      const records = [
        // The class of the record of the same child it is kept with, when that is longer.
        ['retention_kept_with', 'text'],
        // destroy | review | permanent-preservation, with any class it is kept with.
        ['retention_action', 'text'],
        // The Records Management Service's latest decision, and a keep decision's review date.
        ['disposition', 'text'],
        ['disposition_id', 'text'],
        ['review_on', 'text'],
        ['transferred_on', 'text'],
      ] as const;
      for (const [column, type] of records) {
        await db.schema.alterTable('records').addColumn(column, type).execute();
      }
      // "What is due" now also reads the end action, the decision and its review date: the index
      // carries them (and the two columns its condition tests, always null in it), so the counts
      // by class and month are read from the index alone.
      await db.schema.dropIndex('records_due_idx').execute();
      await db.schema
        .createIndex('records_due_idx')
        .on('records')
        .columns([
          'retention_ends_on',
          'record_class',
          'retention_action',
          'disposition',
          'review_on',
          'destroyed_on',
          'transferred_on',
        ])
        .where(sql.ref('destroyed_on'), 'is', null)
        .where(sql.ref('transferred_on'), 'is', null)
        .execute();

      await db.schema
        .createTable('disposition_decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('case_ref', 'text', (c) => c.notNull())
        .addColumn('record_class', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('keep_years', 'integer')
        .addColumn('review_on', 'text')
        .addColumn('accession_ref', 'text')
        .addColumn('archive', 'text')
        .addColumn('retention_ended_on', 'text')
        .addColumn('schedule_version', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text')
        .addColumn('kept_with', 'text')
        .addColumn('decided_by', 'text', (c) => c.notNull())
        .addColumn('decided_by_name', 'text', (c) => c.notNull())
        .addColumn('decided_by_role', 'text', (c) => c.notNull())
        .addColumn('decided_on', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('disposition_record_idx')
        .on('disposition_decisions')
        .column('record_id')
        .execute();
      await db.schema
        .createIndex('disposition_decided_idx')
        .on('disposition_decisions')
        .column('decided_on')
        .execute();
      await appendOnly(db, dialect, 'disposition_decisions');
      // The decisions refuse REPLACE too (when 0004_tamper_evidence ran first; otherwise it does).
      if (dialect === 'sqlite') await refuseReplace(db, 'disposition_decisions');

      await db.schema
        .createTable('blanket_holds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text')
        // JSON array of class ids; null for every class.
        .addColumn('classes', 'text')
        .addColumn('placed_by', 'text', (c) => c.notNull())
        .addColumn('placed_at', 'text', (c) => c.notNull())
        .addColumn('released_by', 'text')
        .addColumn('released_at', 'text')
        .addColumn('release_reason', 'text')
        .execute();

      await db.schema.alterTable('holds').addColumn('sar_extension_told_on', 'text').execute();
      await db.schema.alterTable('holds').addColumn('sar_extension_reason', 'text').execute();
      await db.schema
        .alterTable('holds')
        .addColumn('sar_pauses', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();

      for (const column of [
        'authorised_by_name',
        'authorised_by_role',
        'destroyed_by_name',
        'destroyed_by_role',
        // JSON: each hold type's checks (the product's holds and the outside log ticked).
        'hold_checks',
        // JSON: the review decision that allowed destruction, when the class is reviewed.
        'review_decision',
        'kept_with',
      ]) {
        await db.schema.alterTable('destruction_register').addColumn(column, 'text').execute();
      }
      for (const column of [
        'created_by_name',
        'created_by_role',
        'confirmed_by_name',
        'confirmed_by_role',
        // JSON: the logs the confirming officer ticked, with who and when.
        'log_checks',
      ]) {
        await db.schema.alterTable('destruction_batches').addColumn(column, 'text').execute();
      }

      // Stored retention now looks across each case's records: work every record out again.
      await db.deleteFrom('settings').where('key', '=', 'retention_schedule').execute();
    },
  };
}

/**
 * The staff directory from Microsoft Entra ID: leavers keep their rows (and their history) with
 * the date they left, and the sync keeps what it needs to follow Entra's changes between runs.
 */
const directorySync: Migration = {
  async up(db) {
    await db.schema.alterTable('staff').addColumn('left_on', 'text').execute();
    await db.schema
      .createTable('directory_users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('manager_id', 'text')
      .addColumn('account_enabled', 'integer', (c) => c.notNull())
      .addColumn('member', 'integer', (c) => c.notNull())
      .addColumn('removed_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/**
 * The product's own records: the purge removes what its schedule says has expired, and may remove
 * rows of the audit log and of request history only as its own audit entry names them (see
 * purge-guard.ts). Indexes for what the purge and subject access look up.
 */
function ownData(dialect: Dialect): Migration {
  return {
    async up(db) {
      await createPurgeMachinery(db, dialect);
      for (const table of Object.keys(PURGEABLE_APPEND_ONLY) as PurgeableAppendOnlyTable[]) {
        if (!(await tableExists(db, table))) continue;
        const name = deleteGuardName(table, dialect);
        await sql
          .raw(`DROP TRIGGER IF EXISTS ${name}${dialect === 'postgres' ? ` ON ${table}` : ''}`)
          .execute(db);
        await sql.raw(deleteGuardSql(table, dialect)).execute(db);
      }
      await db.schema
        .createIndex('outbox_authorisation_idx')
        .on('outbox')
        .column('authorisation_id')
        .execute();
      await db.schema.createIndex('outbox_recipient_idx').on('outbox').column('recipient_id').execute();
      await db.schema
        .createIndex('card_messages_recipient_idx')
        .on('card_messages')
        .column('recipient_id')
        .execute();
      await db.schema
        .createIndex('processed_activities_created_idx')
        .on('processed_activities')
        .column('created_at')
        .execute();
      await db.schema
        .createIndex('removal_closed_idx')
        .on('removal_authorisations')
        .columns(['status', 'updated_at'])
        .execute();
      await db.schema.createIndex('holds_released_idx').on('holds').column('released_at').execute();
      await db.schema.createIndex('audit_actor_idx').on('audit_log').column('actor_id').execute();
    },
  };
}

/**
 * Where the cards of each destruction batch were sent or pressed, so they can be brought up to
 * date when the batch is confirmed or cancelled (as card_messages does for removal requests).
 */
const batchCards: Migration = {
  async up(db) {
    await db.schema
      .createTable('batch_card_messages')
      .addColumn('batch_id', 'text', (c) => c.notNull())
      .addColumn('recipient_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('activity_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('batch_card_messages_pk', ['batch_id', 'recipient_id', 'activity_id'])
      .execute();
  },
};

/** Case lookups by person and time, for the rate limit on looking cases up (kept an hour or so). */
const caseLookups: Migration = {
  async up(db) {
    await db.schema
      .createTable('case_lookups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('case_lookups_by_actor')
      .on('case_lookups')
      .columns(['actor_id', 'at'])
      .execute();
    await db.schema.createIndex('case_lookups_by_time').on('case_lookups').column('at').execute();
  },
};

/**
 * "What is due for destruction" counted by class and month as records change: a table kept by
 * triggers on `records` (store/due-counts.ts), filled from the records already there. It reads the
 * columns 0005_disposition added, which always runs before it.
 */
function dueCounts(dialect: Dialect): Migration {
  return {
    async up(db) {
      for (const statement of dueCountsSchema(dialect)) await sql.raw(statement).execute(db);
    },
  };
}

/** Every migration, by name (the name orders them). */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_messaging': messaging,
    '0003_destruction_batches': destructionBatches,
    '0004_tamper_evidence': tamperEvidence(dialect),
    '0005_disposition': disposition(dialect),
    '0006_directory_sync': directorySync,
    '0007_batch_cards': batchCards,
    '0008_case_lookups': caseLookups,
    '0009_own_data': ownData(dialect),
    '0010_due_counts': dueCounts(dialect),
  };
}

/**
 * Brings the schema up to date. On PostgreSQL Kysely's migrator runs the migrations in one
 * transaction under an advisory lock, so instances that start together do not race (and
 * `openReadyStore` serialises start-up as a whole).
 *
 * Migrations may arrive out of order (a database that already ran a later one still takes an
 * earlier one added afterwards), so each is self-contained: it touches only what it adds and
 * depends on nothing after 0003.
 */
export async function migrate(
  db: Kysely<Database>,
  dialect: Dialect,
  /** Stop after this migration (tests of upgrades from an older schema). */
  upTo?: string,
): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations(dialect)) };
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${message}`, { cause: error });
  }
}
