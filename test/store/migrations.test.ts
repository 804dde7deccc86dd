import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSchedule } from '../../src/rules/index.js';
import { openReadyStore } from '../../src/store/index.js';
import { APPEND_ONLY_TABLES } from '../../src/store/migrations.js';
import { makeTempDir, openTestStore, removeTempDir, sqliteUrl } from '../support/temp-store.js';

const EXPECTED_TABLES = [
  'acting_managers',
  'audit_log',
  'authorisation_history',
  'cases',
  'conversation_references',
  'destruction_register',
  'holds',
  'records',
  'removal_authorisations',
  'settings',
  'staff',
];

/** The SQLite triggers that make the append-only tables refuse UPDATE and DELETE. */
const EXPECTED_TRIGGERS = APPEND_ONLY_TABLES.flatMap((t) => [`${t}_no_delete`, `${t}_no_update`]).sort();

let dir: string;

beforeAll(() => {
  dir = makeTempDir();
});

afterAll(() => {
  removeTempDir(dir);
});

describe('openReadyStore on a new SQLite file', () => {
  it('creates the file and every table, index and append-only trigger', async () => {
    const file = path.join(dir, 'nested', 'fresh.db');
    expect(fs.existsSync(file)).toBe(false);
    const store = await openTestStore(file);
    try {
      expect(fs.existsSync(file)).toBe(true);
      expect(store.dialect).toBe('sqlite');
      expect(store.location).toBe(file);

      const objects = await sql<{ type: string; name: string }>`
        SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`.execute(store.db);
      const tables = objects.rows.filter((o) => o.type === 'table').map((o) => o.name);
      for (const table of EXPECTED_TABLES) expect(tables).toContain(table);
      // Kysely's own bookkeeping tables.
      expect(tables).toContain('kysely_migration');

      expect(APPEND_ONLY_TABLES).toEqual(expect.arrayContaining(['audit_log', 'destruction_register']));
      const triggers = objects.rows.filter((o) => o.type === 'trigger').map((o) => o.name);
      expect(triggers.sort()).toEqual(EXPECTED_TRIGGERS);

      const indexes = objects.rows.filter((o) => o.type === 'index').map((o) => o.name);
      expect(indexes).toEqual(
        expect.arrayContaining(['records_case_idx', 'records_due_idx', 'audit_entity_idx', 'holds_case_idx']),
      );

      const migrations = await sql<{ name: string }>`
        SELECT name FROM kysely_migration ORDER BY name`.execute(store.db);
      const names = migrations.rows.map((r) => r.name);
      expect(names[0]).toBe('0001_initial');
      expect(new Set(names).size).toBe(names.length);
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

  it('records the schedule fingerprint in settings', async () => {
    const store = await openTestStore(path.join(dir, 'settings.db'));
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
    const file = path.join(dir, 'twice.db');
    const first = await openTestStore(file);
    let applied: string[];
    try {
      const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(
        first.db,
      );
      applied = rows.rows.map((r) => r.name);
      await first.db.insertInto('settings').values({ key: 'marker', value: 'kept' }).execute();
    } finally {
      await first.close();
    }

    const second = await openTestStore(file);
    try {
      const marker = await second.db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', 'marker')
        .executeTakeFirst();
      expect(marker?.value).toBe('kept');
      const migrations = await sql<{ name: string }>`
        SELECT name FROM kysely_migration ORDER BY name`.execute(second.db);
      expect(migrations.rows.map((r) => r.name)).toEqual(applied);
      const triggers = await sql<{ name: string }>`
        SELECT name FROM sqlite_master WHERE type = 'trigger'`.execute(second.db);
      expect(triggers.rows).toHaveLength(EXPECTED_TRIGGERS.length);
    } finally {
      await second.close();
    }
  });

  it('two stores can be open on the same file at once', async () => {
    const file = path.join(dir, 'shared.db');
    const a = await openTestStore(file);
    const b = await openTestStore(file);
    try {
      await a.db.insertInto('settings').values({ key: 'from-a', value: '1' }).execute();
      const seen = await b.db.selectFrom('settings').select('value').where('key', '=', 'from-a').execute();
      expect(seen).toEqual([{ value: '1' }]);
    } finally {
      await a.close();
      await b.close();
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
