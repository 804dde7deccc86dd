import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { sqliteUrl } from './temp-store.js';

function databaseUrlOf(database: string): string {
  return /^(sqlite:|postgres(ql)?:\/\/)/.test(database) ? database : sqliteUrl(database);
}

/**
 * Where the command line keeps the audit chain head for a test database: beside a SQLite file, in
 * the temp folder for a PostgreSQL database (never the repository's data/ folder).
 */
export function headFileFor(database: string): string {
  const url = databaseUrlOf(database);
  if (url.startsWith('sqlite:')) return `${url.slice('sqlite:'.length)}.audit-head.json`;
  return path.join(os.tmpdir(), `cra-${new URL(url).pathname.slice(1)}.audit-head.json`);
}

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
  /** Everything written, stdout then stderr, one line each. */
  text: string;
}

/**
 * Runs the CLI in-process against `database` (a DATABASE_URL, or the path of a SQLite file),
 * capturing what it writes. Sets DATABASE_URL and AUDIT_HEAD_FILE for the call only and leaves `process.exitCode` as
 * it found it (undefined).
 */
export async function runCli(database: string, args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = {
    url: process.env.DATABASE_URL,
    schedule: process.env.RETENTION_SCHEDULE_FILE,
    head: process.env.AUDIT_HEAD_FILE,
  };
  process.env.DATABASE_URL = databaseUrlOf(database);
  process.env.AUDIT_HEAD_FILE = headFileFor(database);
  delete process.env.RETENTION_SCHEDULE_FILE;
  try {
    const code = await main(['node', 'cli', ...args], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out, err, text: [...out, ...err].join('\n') };
  } finally {
    process.exitCode = undefined;
    restore('DATABASE_URL', saved.url);
    restore('RETENTION_SCHEDULE_FILE', saved.schedule);
    restore('AUDIT_HEAD_FILE', saved.head);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
