import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { withNamedStatements, withPreparedStatements } from '../../src/store/statement-cache.js';
import {
  DIALECTS,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

// Statements are prepared once per connection and reused: on SQLite the connection keeps
// better-sqlite3 statements, on PostgreSQL data statements go as named statements.

interface Table {
  items: { id: number; label: string };
}

/** A real SQLite database whose `prepare` calls are counted. */
function countingSqlite(file: string): { database: SqliteDatabase.Database; prepared: string[] } {
  const database = new SqliteDatabase(file);
  const prepared: string[] = [];
  const prepare = database.prepare.bind(database);
  database.prepare = (source: string) => {
    prepared.push(source);
    return prepare(source);
  };
  return { database, prepared };
}

describe('SQLite statements prepared once', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => removeTempDir(dir));

  it('prepares each statement once, however often it runs', async () => {
    const { database, prepared } = countingSqlite(path.join(dir, 'once.db'));
    const db = new Kysely<Table>({
      dialect: new SqliteDialect({ database: withPreparedStatements(database) }),
    });
    await sql`CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)`.execute(db);
    for (let i = 1; i <= 5; i++)
      await db
        .insertInto('items')
        .values({ id: i, label: `item ${i}` })
        .execute();
    const labels = [];
    for (let i = 1; i <= 5; i++)
      labels.push(
        (await db.selectFrom('items').select('label').where('id', '=', i).executeTakeFirst())?.label,
      );
    expect(labels).toEqual(['item 1', 'item 2', 'item 3', 'item 4', 'item 5']);
    expect(prepared.filter((s) => s.startsWith('insert'))).toHaveLength(1);
    expect(prepared.filter((s) => s.startsWith('select'))).toHaveLength(1);
    await db.destroy();
  });

  it('hands out a fresh statement while the kept one is still being read row by row', () => {
    const { database, prepared } = countingSqlite(path.join(dir, 'busy.db'));
    database.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
      INSERT INTO items VALUES (1, 'one'), (2, 'two')`);
    const connection = withPreparedStatements(database);
    const query = 'SELECT label FROM items ORDER BY id';
    const kept = connection.prepare(query);
    const rows = kept.iterate([]);
    expect(rows.next().value).toEqual({ label: 'one' });
    const meanwhile = connection.prepare(query);
    expect(meanwhile).not.toBe(kept);
    expect(meanwhile.all([])).toEqual([{ label: 'one' }, { label: 'two' }]);
    expect(rows.next().value).toEqual({ label: 'two' });
    expect(rows.next().done).toBe(true);
    // Done reading: the kept statement is handed out again.
    expect(connection.prepare(query)).toBe(kept);
    expect(prepared).toEqual([query, query]);
    connection.close();
  });

  it('keeps the statements used most recently, up to its limit', async () => {
    const { database, prepared } = countingSqlite(path.join(dir, 'limit.db'));
    const db = new Kysely<Table>({
      dialect: new SqliteDialect({ database: withPreparedStatements(database, 2) }),
    });
    const run = (n: number) => sql`SELECT ${sql.lit(n)} AS n`.execute(db);
    for (const n of [1, 2, 1, 3, 1, 2]) await run(n);
    // 1 and 2 prepared; 1 reused; 3 pushes out 2 (1 was used since); 1 reused; 2 prepared again.
    expect(prepared).toEqual(['SELECT 1 AS n', 'SELECT 2 AS n', 'SELECT 3 AS n', 'SELECT 2 AS n']);
    await db.destroy();
  });
});

describe.runIf(DIALECTS.includes('postgres'))('PostgreSQL named statements', () => {
  let dbs: TestDatabases;
  let store: Store;
  beforeAll(async () => {
    dbs = testDatabases('postgres');
    store = await dbs.open('named');
  });
  afterAll(() => dbs.cleanup());

  it('prepares a data statement with parameters once on its connection, by name', async () => {
    const prepared = await store.db.transaction().execute(async (trx) => {
      for (const key of ['a', 'b', 'c'])
        await trx.selectFrom('settings').select('value').where('key', '=', key).execute();
      const { rows } = await sql<{ name: string; statement: string }>`
        SELECT name, statement FROM pg_prepared_statements`.execute(trx);
      return rows;
    });
    const ours = prepared.filter((p) => /"settings"/.test(p.statement) && /"key" = \$1/.test(p.statement));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.name).toMatch(/^cra_\d+$/);
  });

  it('still runs several statements without parameters as one simple query', async () => {
    await sql`CREATE TABLE extra_a (id int); CREATE TABLE extra_b (id int)`.execute(store.db);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('extra_a', 'extra_b')`.execute(store.db);
    expect(rows[0]!.n).toBe(2);
  });

  it('after a statement’s columns change under it, fails that once and then plans it afresh', async () => {
    const url = await dbs.newUrl('columns');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const db = new Kysely<Table>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
    try {
      await sql`CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)`.execute(db);
      await db.insertInto('items').values({ id: 1, label: 'one' }).execute();
      const read = () => db.selectFrom('items').selectAll().where('id', '=', 1).execute();
      expect(await read()).toEqual([{ id: 1, label: 'one' }]);
      await sql`ALTER TABLE items ADD COLUMN note text NOT NULL DEFAULT 'new'`.execute(db);
      await expect(read()).rejects.toThrow(/must not change result type/);
      expect(await read()).toEqual([{ id: 1, label: 'one', note: 'new' }]);
    } finally {
      await db.destroy();
    }
  });
});
