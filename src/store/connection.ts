import path from 'node:path';
import { mkdirSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { REPO_ROOT } from '../repo-root.js';
import { AuditChain, auditedDialect, DEVELOPMENT_AUDIT_KEY, type AuditSettings } from './audit.js';
import type { Database } from './schema.js';
import { withNamedStatements, withPreparedStatements } from './statement-cache.js';

export type Dialect = 'sqlite' | 'postgres';

export const DEFAULT_DATABASE_URL = 'sqlite:data/records.db';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for messages: a file path or the server's host and database. */
  location: string;
  close(): Promise<void>;
}

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

export type ParsedDatabaseUrl = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

/** `sqlite:<file>` (relative to the repository root) or `postgres://…`. */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (!file)
      throw new DatabaseUrlError('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:data/records.db');
    return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(REPO_ROOT, file) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  throw new DatabaseUrlError(
    `DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…").`,
  );
}

function openSqlite(file: string, chain: AuditChain): Store {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: auditedDialect(new SqliteDialect({ database: withPreparedStatements(database) }), chain),
  });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string, chain: AuditChain): Promise<Store> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A connection the server or the network drops must not take the process down: the query on it
  // fails (the person is told to try again) and the pool opens a new connection when next asked.
  // pg emits the socket error on the pool for an idle connection, and on the client itself for
  // one in use, where nothing else listens.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({
    dialect: auditedDialect(new PostgresDialect({ pool: withNamedStatements(pool) }), chain),
  });
  const { host, pathname } = new URL(url);
  return { db, dialect: 'postgres', location: `${host}${pathname}`, close: () => db.destroy() };
}

/** Store tests and tools that never serve anyone: the development key, no head file. */
const DEVELOPMENT_AUDIT: AuditSettings = { key: DEVELOPMENT_AUDIT_KEY, headFile: null };

/**
 * Opens the database named by a DATABASE_URL, its audit chain keyed as `audit` says (the app and
 * the command line pass the configured key and head file). Call `migrate` before use.
 */
export async function openStore(
  url: string = DEFAULT_DATABASE_URL,
  audit: AuditSettings = DEVELOPMENT_AUDIT,
): Promise<Store> {
  const parsed = parseDatabaseUrl(url);
  const chain = new AuditChain(audit);
  return parsed.dialect === 'sqlite' ? openSqlite(parsed.file, chain) : openPostgres(parsed.url, chain);
}
