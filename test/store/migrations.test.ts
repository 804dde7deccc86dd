import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventory } from '../../src/imports/inventory-import.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { openStore, type Dialect } from '../../src/store/connection.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import type { RecomputeProgress } from '../../src/store/inventory.js';
import { APPEND_ONLY_TABLES, migrations } from '../../src/store/migrations.js';
import type { Database } from '../../src/store/schema.js';
import { inventoryRow, writeInventory } from '../support/csv.js';
import {
  forEachDialect,
  makeTempDir,
  openTestStore,
  removeTempDir,
  sqliteUrl,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

const EXPECTED_TABLES = [
  'acting_managers',
  'audit_log',
  'authorisation_history',
  'batch_card_messages',
  'blanket_holds',
  'case_lookups',
  'cases',
  'conversation_references',
  'destruction_batches',
  'destruction_register',
  'directory_users',
  'disposition_decisions',
  'due_counts',
  'holds',
  'records',
  'removal_authorisations',
  'settings',
  'staff',
];

const RACE_RECORDS = 3000;

/** The triggers that keep the counts of what is due for destruction (0010_due_counts). */
const DUE_COUNT_TRIGGERS = ['insert', 'update', 'delete'].map((event) => `records_due_counts_${event}`);

/**
 * The triggers that make the append-only tables refuse changes, by dialect, and those that keep
 * the due counts.
 */
const EXPECTED_TRIGGERS: Record<Dialect, string[]> = {
  // SQLite: one per refused statement (SQLite has no TRUNCATE), and one refusing REPLACE.
  sqlite: [
    ...APPEND_ONLY_TABLES.flatMap((t) => [`${t}_no_delete`, `${t}_no_replace`, `${t}_no_update`]),
    ...DUE_COUNT_TRIGGERS,
  ].sort(),
  // PostgreSQL: a row trigger for UPDATE and DELETE, a statement trigger for TRUNCATE.
  postgres: [
    ...APPEND_ONLY_TABLES.flatMap((t) => [`${t}_append_only`, `${t}_no_truncate`]),
    ...DUE_COUNT_TRIGGERS,
  ].sort(),
};

/** The schema as the database's own catalogue describes it. */
async function catalogue(db: Kysely<Database>, dialect: Dialect) {
  if (dialect === 'sqlite') {
    const objects = await sql<{ type: string; name: string }>`
      SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
    const of = (type: string) => objects.rows.filter((o) => o.type === type).map((o) => o.name);
    return { tables: of('table'), triggers: of('trigger').sort(), indexes: of('index') };
  }
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const triggers = await sql<{ name: string }>`
    SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`.execute(db);
  const indexes = await sql<{ name: string }>`
    SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()`.execute(db);
  return {
    tables: tables.rows.map((r) => r.name),
    triggers: triggers.rows.map((r) => r.name).sort(),
    indexes: indexes.rows.map((r) => r.name),
  };
}

/** The tables whose DELETE trigger lets the purge through (and nothing else). */
async function purgeGuarded(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`
          SELECT tbl_name AS name FROM sqlite_master
          WHERE type = 'trigger' AND sql LIKE '%purge_authorisations%' ORDER BY tbl_name`.execute(db)
      : await sql<{ name: string }>`
          SELECT c.relname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE NOT t.tgisinternal AND pg_get_triggerdef(t.oid) LIKE '%guard_append_only_change%'
          ORDER BY c.relname`.execute(db);
  return rows.map((r) => r.name);
}

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.rows.map((r) => r.name);
}

forEachDialect((dialect) => {
  let dbs: TestDatabases;

  beforeAll(() => {
    dbs = testDatabases(dialect);
  });

  afterAll(async () => {
    await dbs.cleanup();
  });

  describe('openReadyStore on a new database', () => {
    it('creates every table, index and append-only trigger', async () => {
      const store = await dbs.open('fresh');
      try {
        expect(store.dialect).toBe(dialect);
        const { tables, triggers, indexes } = await catalogue(store.db, dialect);
        for (const table of EXPECTED_TABLES) expect(tables).toContain(table);
        // Kysely's own bookkeeping tables.
        expect(tables).toContain('kysely_migration');

        expect([...APPEND_ONLY_TABLES].sort()).toEqual([
          'audit_log',
          'authorisation_history',
          'destruction_register',
          'disposition_decisions',
        ]);
        expect(triggers).toEqual(EXPECTED_TRIGGERS[dialect]);
        expect(await purgeGuarded(store.db, dialect)).toEqual(['audit_log', 'authorisation_history']);

        expect(indexes).toEqual(
          expect.arrayContaining([
            'records_case_idx',
            'records_due_idx',
            'audit_entity_idx',
            'holds_case_idx',
            'case_lookups_by_actor',
          ]),
        );

        const names = await appliedMigrations(store.db);
        expect(names[0]).toBe('0001_initial');
        expect(new Set(names).size).toBe(names.length);
      } finally {
        await store.close();
      }
    });

    it('records the schedule fingerprint in settings', async () => {
      const store = await dbs.open('settings');
      try {
        const rows = await store.db.selectFrom('settings').selectAll().execute();
        expect(rows).toHaveLength(1);
        expect(rows[0]?.key).toBe('retention_schedule');
        expect(rows[0]?.value.startsWith(`${defaultSchedule.version}:`)).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('can be opened again: migrations are idempotent and data survives', async () => {
      const url = await dbs.newUrl('twice');
      const first = await openReadyStore(url, defaultSchedule);
      let applied: string[];
      try {
        applied = await appliedMigrations(first.db);
        await first.db.insertInto('settings').values({ key: 'marker', value: 'kept' }).execute();
      } finally {
        await first.close();
      }

      const second = await openReadyStore(url, defaultSchedule);
      try {
        const marker = await second.db
          .selectFrom('settings')
          .select('value')
          .where('key', '=', 'marker')
          .executeTakeFirst();
        expect(marker?.value).toBe('kept');
        expect(await appliedMigrations(second.db)).toEqual(applied);
        expect((await catalogue(second.db, dialect)).triggers).toEqual(EXPECTED_TRIGGERS[dialect]);
      } finally {
        await second.close();
      }
    });

    it('takes a migration added after a later one already ran (0005_disposition after 0006_directory_sync)', async () => {
      const url = await dbs.newUrl('unordered');
      const every = migrations(dialect);
      // 0010_due_counts reads the columns 0005 adds: a database that had not taken 0005 had not
      // taken it either.
      const { '0005_disposition': _added, '0010_due_counts': _later, ...ranBefore } = every;
      const before = await openStore(url);
      try {
        const migrator = new Migrator({
          db: before.db,
          provider: { getMigrations: () => Promise.resolve(ranBefore) },
        });
        const { error } = await migrator.migrateToLatest();
        expect(error).toBeUndefined();
        expect(await appliedMigrations(before.db)).not.toContain('0005_disposition');
        expect(await appliedMigrations(before.db)).toContain('0006_directory_sync');
      } finally {
        await before.close();
      }
      const store = await openReadyStore(url, defaultSchedule);
      try {
        expect(await appliedMigrations(store.db)).toEqual(Object.keys(every).sort());
        const { tables } = await catalogue(store.db, dialect);
        for (const table of EXPECTED_TABLES) expect(tables).toContain(table);
        expect(await store.db.selectFrom('disposition_decisions').selectAll().execute()).toEqual([]);
        expect(await store.db.selectFrom('staff').select('left_on').execute()).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('takes 0004_tamper_evidence after 0005_disposition, 0006_directory_sync and 0009_own_data ran: every protection, the decisions refusing REPLACE too', async () => {
      const url = await dbs.newUrl('tamper-late');
      const every = migrations(dialect);
      const { '0004_tamper_evidence': _added, ...ranBefore } = every;
      const before = await openStore(url);
      try {
        const migrator = new Migrator({
          db: before.db,
          provider: { getMigrations: () => Promise.resolve(ranBefore) },
        });
        const { error } = await migrator.migrateToLatest();
        expect(error).toBeUndefined();
        expect(await appliedMigrations(before.db)).toEqual([
          '0001_initial',
          '0002_messaging',
          '0003_destruction_batches',
          '0005_disposition',
          '0006_directory_sync',
          '0007_batch_cards',
          '0008_case_lookups',
          '0009_own_data',
          '0010_due_counts',
        ]);
      } finally {
        await before.close();
      }
      const store = await openReadyStore(url, defaultSchedule);
      try {
        expect(await appliedMigrations(store.db)).toEqual(Object.keys(every).sort());
        // The same triggers as a database that took the migrations in order, the purge's guarded
        // DELETE refusal on the audit log and request history among them.
        expect((await catalogue(store.db, dialect)).triggers).toEqual(EXPECTED_TRIGGERS[dialect]);
        expect(await purgeGuarded(store.db, dialect)).toEqual(['audit_log', 'authorisation_history']);
        const { rows } = await sql<{ key_id: string | null }>`SELECT key_id FROM audit_log`.execute(store.db);
        expect(rows).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('two stores can be open on the same database at once', async () => {
      const url = await dbs.newUrl('shared');
      const a = await openReadyStore(url, defaultSchedule);
      const b = await openReadyStore(url, defaultSchedule);
      try {
        await a.db.insertInto('settings').values({ key: 'from-a', value: '1' }).execute();
        const seen = await b.db.selectFrom('settings').select('value').where('key', '=', 'from-a').execute();
        expect(seen).toEqual([{ value: '1' }]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  describe.runIf(dialect === 'postgres')('instances starting together on PostgreSQL', () => {
    it('all start on a fresh database, and the schema is applied once', async () => {
      const url = await dbs.newUrl('race');
      const stores = await Promise.all(Array.from({ length: 4 }, () => openReadyStore(url, defaultSchedule)));
      try {
        const [first] = stores as [Store, ...Store[]];
        const names = await appliedMigrations(first.db);
        expect(names).toEqual([
          '0001_initial',
          '0002_messaging',
          '0003_destruction_batches',
          '0004_tamper_evidence',
          '0005_disposition',
          '0006_directory_sync',
          '0007_batch_cards',
          '0008_case_lookups',
          '0009_own_data',
          '0010_due_counts',
        ]);
        expect((await catalogue(first.db, dialect)).triggers).toEqual(EXPECTED_TRIGGERS.postgres);
        expect(await first.db.selectFrom('settings').selectAll().execute()).toHaveLength(1);
        for (const store of stores) {
          await store.db
            .insertInto('settings')
            .values({ key: `k-${stores.indexOf(store)}`, value: 'x' })
            .execute();
        }
        expect(await first.db.selectFrom('settings').selectAll().execute()).toHaveLength(5);
      } finally {
        for (const store of stores) await store.close();
      }
    });

    it('recompute once after a schedule change: the others find the dates current', async () => {
      const url = await dbs.newUrl('race-schedule');
      const dir = makeTempDir();
      try {
        const setup = await openReadyStore(url, defaultSchedule);
        try {
          // Enough records that a recompute takes a while: long enough for the others to start.
          const csv = writeInventory(
            dir,
            'inventory.csv',
            Array.from({ length: RACE_RECORDS }, (_, i) =>
              inventoryRow({ record_id: `R-${i}`, case_ref: `C-${i % 500}`, date_of_birth: '1950-06-15' }),
            ),
          );
          const imported = await importInventory(setup.db, defaultSchedule, csv, {
            today: '2026-11-25',
            now: () => new Date('2026-11-25T10:00:00Z'),
            actorId: 'test',
          });
          expect(imported.ok).toBe(true);
        } finally {
          await setup.close();
        }

        const schedule = structuredClone(defaultSchedule);
        schedule.version = 'race-test';
        const progress: RecomputeProgress[][] = [[], [], []];
        const stores = await Promise.all(
          progress.map((calls) => openReadyStore(url, schedule, { onRecompute: (p) => calls.push(p) })),
        );
        try {
          expect(progress.filter((calls) => calls.length > 0).map((calls) => calls.at(-1))).toEqual([
            { checked: RACE_RECORDS, changed: RACE_RECORDS },
          ]);
          const versions = await stores[0]!.db
            .selectFrom('records')
            .select('schedule_version')
            .distinct()
            .execute();
          expect(versions).toEqual([{ schedule_version: 'race-test' }]);
        } finally {
          for (const store of stores) await store.close();
        }
      } finally {
        removeTempDir(dir);
      }
    });
  });
});

describe('SQLite specifics', () => {
  let dir: string;

  beforeAll(() => {
    dir = makeTempDir();
  });

  afterAll(() => {
    removeTempDir(dir);
  });

  it('creates the file (and its folder) where DATABASE_URL says', async () => {
    const file = path.join(dir, 'nested', 'fresh.db');
    expect(fs.existsSync(file)).toBe(false);
    const store = await openTestStore(file);
    try {
      expect(fs.existsSync(file)).toBe(true);
      expect(store.dialect).toBe('sqlite');
      expect(store.location).toBe(file);
    } finally {
      await store.close();
    }
  });

  it('turns on WAL journal mode and foreign keys', async () => {
    const store = await openTestStore(path.join(dir, 'wal.db'));
    try {
      const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(store.db);
      expect(Number(fk.rows[0]?.foreign_keys)).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('rejects a DATABASE_URL that is neither sqlite: nor postgres://', async () => {
    await expect(openReadyStore('mysql://localhost/db', defaultSchedule)).rejects.toThrow(
      /must start with sqlite: or postgres/,
    );
  });

  it('sqliteUrl refuses relative paths (they would resolve against the repository root)', () => {
    expect(() => sqliteUrl('relative.db')).toThrow(/absolute/);
  });
});

describe.runIf(process.env.PG_TESTS !== 'off')('PostgreSQL specifics', () => {
  let dbs: TestDatabases;

  beforeAll(() => {
    dbs = testDatabases('postgres');
  });

  afterAll(async () => {
    await dbs.cleanup();
  });

  it('names the server and database as its location, never the credentials', async () => {
    const url = new URL(await dbs.newUrl('location'));
    url.password = 'secret';
    const store = await openReadyStore(url.href, defaultSchedule);
    try {
      expect(store.location).toBe(`${url.host}${url.pathname}`);
      expect(store.location).not.toContain('secret');
    } finally {
      await store.close();
    }
  });

  it('says which database could not be reached', async () => {
    const url = new URL(await dbs.newUrl('missing'));
    url.pathname = '/no_such_database';
    await expect(openReadyStore(url.href, defaultSchedule)).rejects.toThrow(/no_such_database/);
  });
});
