import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// PostgreSQL for the benchmark. With DATABASE_URL=postgres://… the benchmark makes databases of
// its own on that server (CREATE DATABASE cra_bench_…, dropped at the end), so the URL's user
// needs CREATEDB and the database the URL names is never touched. With --pg and no such URL, it
// starts a throwaway cluster of the PostgreSQL server installed on the machine (initdb and pg_ctl
// as the postgres user, as the server refuses to run as root), and removes it at the end. Unlike
// the test suite's cluster (test/support/postgres.ts), it keeps PostgreSQL's default durability
// settings (fsync on): the figures are meant to be those of a real server.

export interface PostgresServer {
  /** A URL to connect to for CREATE DATABASE (its own data is never touched). */
  adminUrl: string;
  description: string;
  stop(): Promise<void>;
}

/** The server DATABASE_URL points at. */
export function existingServer(url: string): PostgresServer {
  return { adminUrl: url, description: `${new URL(url).host} (DATABASE_URL)`, stop: () => Promise.resolve() };
}

/** The folder holding initdb and pg_ctl: PG_BIN, else pg_config's, else the newest installed. */
function findBinaries(): string | null {
  if (process.env.PG_BIN && existsSync(path.join(process.env.PG_BIN, 'pg_ctl'))) return process.env.PG_BIN;
  const fromPath = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromPath.status === 0 && existsSync(path.join(fromPath.stdout.trim(), 'pg_ctl')))
    return fromPath.stdout.trim();
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a throwaway cluster on a free loopback port; trust authentication, default settings. */
export async function startThrowawayCluster(): Promise<PostgresServer> {
  const bin = findBinaries();
  if (!bin) {
    throw new Error(
      'No PostgreSQL server binaries found (pg_ctl). Install PostgreSQL, or set DATABASE_URL=postgres://… to a server.',
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cra-bench-pg-'));
  const data = path.join(dir, 'data');
  const run = (file: string, args: string[]) => {
    if (asRoot)
      execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    else execFileSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  if (asRoot) {
    const { uid, gid } = userIds('postgres');
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  run(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  let stopped = false;
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    description: `a throwaway local PostgreSQL ${path.basename(path.dirname(bin))} cluster (default settings)`,
    stop: () => {
      if (stopped) return Promise.resolve();
      stopped = true;
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return Promise.resolve();
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Databases made on a server for one run, dropped by `dropAll`. */
export class BenchDatabases {
  private made: string[] = [];
  private seq = 0;

  constructor(private readonly server: PostgresServer) {}

  /** A new, empty database; returns its URL. */
  async create(label: string): Promise<string> {
    const name = `cra_bench_${process.pid}_${label}_${++this.seq}`;
    await this.admin(`CREATE DATABASE ${name}`);
    this.made.push(name);
    const u = new URL(this.server.adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  }

  async drop(url: string): Promise<void> {
    const name = new URL(url).pathname.slice(1);
    await this.admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    this.made = this.made.filter((n) => n !== name);
  }

  async dropAll(): Promise<void> {
    for (const name of [...this.made]) await this.admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    this.made = [];
  }

  private async admin(statement: string): Promise<void> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: this.server.adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } catch (error) {
      if (statement.startsWith('CREATE DATABASE') && (error as { code?: string }).code === '42501') {
        throw new Error(
          'The benchmark makes its own databases on the PostgreSQL server and drops them at the end; the user in DATABASE_URL needs the CREATEDB privilege.',
          { cause: error },
        );
      }
      throw error;
    } finally {
      await client.end();
    }
  }
}
