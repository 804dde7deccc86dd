import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import type {
  SqliteDatabase as KyselySqliteDatabase,
  PostgresCursor,
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryResult,
} from 'kysely';
import type { Pool, PoolClient } from 'pg';

// Statements prepared once. Kysely hands each query's SQL to the driver as text, and both drivers
// would have the database parse and plan it again every time. Here each distinct statement is
// prepared once per connection and kept, so a turn's queries run statements already prepared:
// - SQLite (one connection): better-sqlite3 statements, the most recently used kept;
// - PostgreSQL: named statements, which pg prepares on a connection the first time it runs each
//   name there and then only binds and executes.

/** How many statements are kept: far more than the distinct queries of every path of the app. */
export const STATEMENTS_KEPT = 500;

/** The SQLite connection as Kysely sees it, handing out statements prepared once. */
export function withPreparedStatements(
  database: SqliteDatabase,
  kept = STATEMENTS_KEPT,
): KyselySqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (sql) => {
      const known = statements.get(sql);
      // A statement still being read row by row (a streamed query) cannot run again meanwhile.
      if (known && !known.busy) {
        statements.delete(sql);
        statements.set(sql, known);
        return known;
      }
      const statement = database.prepare(sql);
      if (known) return statement;
      statements.set(sql, statement);
      if (statements.size > kept) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}

/**
 * Statements PostgreSQL can prepare: one data statement with parameters (one without goes as a
 * simple query, which may hold several statements, as the migrations' do).
 */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/** What the server says when a prepared statement's result columns changed under it (a migration). */
function resultTypeChanged(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('must not change result type');
}

/** The PostgreSQL pool as Kysely sees it: each data statement named, so prepared once per connection. */
export function withNamedStatements(pool: Pool, kept = STATEMENTS_KEPT): PostgresPool {
  const names = new Map<string, string>();
  const unnamed = new Set<string>();
  let made = 0;
  const nameFor = (sql: string): string | undefined => {
    const known = names.get(sql);
    if (known || names.size >= kept || unnamed.has(sql) || !PREPARABLE.test(sql)) return known;
    made += 1;
    const name = `cra_${made}`;
    names.set(sql, name);
    return name;
  };
  const run = async <R>(
    client: PoolClient,
    sql: string,
    parameters: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> => {
    const name = parameters.length ? nameFor(sql) : undefined;
    try {
      const result = await client.query({ text: sql, values: [...parameters], ...(name ? { name } : {}) });
      return result as unknown as PostgresQueryResult<R>;
    } catch (error) {
      // The statement's columns changed (another instance migrated): this query fails, as any
      // query can; from now on the statement goes unnamed, so the next one is planned afresh.
      if (name && resultTypeChanged(error)) {
        names.delete(sql);
        unnamed.add(sql);
      }
      throw error;
    }
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      const wrapped: PostgresPoolClient = {
        query: ((query: string | PostgresCursor<unknown>, parameters?: ReadonlyArray<unknown>) =>
          typeof query === 'string'
            ? run(client, query, parameters ?? [])
            : client.query(query as never)) as PostgresPoolClient['query'],
        release: (destroy) => client.release(destroy),
      };
      return wrapped;
    },
    end: () => pool.end(),
  };
}
