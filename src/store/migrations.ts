import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './connection.js';
import type { Database } from './schema.js';

/** Tables whose rows are never updated or deleted: the database itself refuses. */
export const APPEND_ONLY_TABLES = ['audit_log', 'destruction_register'] as const;

async function appendOnly(db: Kysely<unknown>, dialect: Dialect, table: string): Promise<void> {
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
           BEGIN SELECT RAISE(ABORT, '${table} is append-only: ${op} refused'); END`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
       FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
       FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()`,
    )
    .execute(db);
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
      for (const table of APPEND_ONLY_TABLES) await appendOnly(db, dialect, table);
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

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_messaging': messaging,
    '0003_destruction_batches': destructionBatches,
    '0006_directory_sync': directorySync,
  };
}

/**
 * Brings the schema up to date. On PostgreSQL Kysely's migrator runs the migrations in one
 * transaction under an advisory lock, so instances that start together do not race (and
 * `openReadyStore` serialises start-up as a whole).
 */
export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations(dialect)) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${message}`, { cause: error });
  }
}
