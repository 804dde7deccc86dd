import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

// Vitest global set-up: starts a throwaway PostgreSQL cluster on a loopback port for the store
// tests, and stops and removes it when the run ends. PG_TESTS=off skips it (the tests then run on
// SQLite only); TEST_DATABASE_URL_PG=postgres://… uses a server you already have instead (its role
// needs CREATEDB: every test suite gets a database of its own).

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * A role with CREATEDB on the test cluster, connected to a database of its own; each suite
     * creates its databases from there. Null when PostgreSQL tests are off.
     */
    TEST_DATABASE_URL_PG: string | null;
    /**
     * A login role with no rights of its own on the test cluster, to run the application as while
     * `TEST_DATABASE_URL_PG`'s role owns the tables. Null when PostgreSQL tests are off or the
     * server is one you gave.
     */
    TEST_APP_ROLE_PG: string | null;
  }
}

const ROLE = 'cra_test';
const APP_ROLE = 'cra_app';
const DIR_PREFIX = 'cra-pg-';
/** Marks a cluster directory with the id of the process that made it, to clear up after a crash. */
const OWNER_FILE = 'owner.pid';

/** Server settings for a disposable cluster: nothing needs to survive a crash, so skip the syncs. */
const SERVER_OPTIONS = [
  '-c listen_addresses=127.0.0.1',
  '-c fsync=off',
  '-c synchronous_commit=off',
  '-c full_page_writes=off',
  '-c wal_level=minimal',
  '-c max_wal_senders=0',
  '-c max_wal_size=256MB',
  '-c max_connections=200',
  '-c shared_buffers=32MB',
];

function pgTestsOff(): boolean {
  return process.env.PG_TESTS === 'off';
}

/** The folder holding initdb, pg_ctl and postgres: PG_BIN, else PostgreSQL 15's, else the newest. */
function findPgBin(): string | null {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  candidates.push('/usr/lib/postgresql/15/bin');
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(root, v, 'bin')));
  }
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim());
  } catch {
    // No pg_config on the PATH.
  }
  return (
    candidates.find((dir) =>
      ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b))),
    ) ?? null
  );
}

/**
 * Where clusters live: PG_TEST_DIR if set, else in memory (/dev/shm) when it has room, since
 * creating a database per test is several times quicker there than on a busy disk, else the
 * temp folder.
 */
function clusterParent(): string {
  if (process.env.PG_TEST_DIR) return process.env.PG_TEST_DIR;
  const shm = '/dev/shm';
  try {
    fs.accessSync(shm, fs.constants.W_OK);
    const { bavail, bsize } = fs.statfsSync(shm);
    if (bavail * bsize >= 2 * 1024 ** 3) return shm;
  } catch {
    // No /dev/shm here.
  }
  return os.tmpdir();
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Runs a PostgreSQL program; as the `postgres` user when we are root (the server refuses root). */
function runPg(bin: string, program: string, args: string[], timeoutMs = 60_000): string {
  const exe = path.join(bin, program);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8', timeout: timeoutMs, cwd: os.tmpdir() });
  if (result.error) throw new Error(`${program} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `${program} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

function postgresIds(): { uid: number; gid: number } {
  const read = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: read('-u'), gid: read('-g') };
  } catch {
    throw new Error(
      'The PostgreSQL tests run the server as the "postgres" user (it refuses to run as root), but there is no such user. Install the postgresql-15 package, or run with PG_TESTS=off.',
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function stopCluster(bin: string, dir: string): void {
  const data = path.join(dir, 'data');
  if (fs.existsSync(path.join(data, 'postmaster.pid'))) {
    try {
      runPg(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop'], 30_000);
    } catch {
      // Already stopped, or its server is gone: the folder goes anyway.
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Clusters left behind by a run that was killed before its teardown. */
function removeAbandoned(bin: string): void {
  const parent = clusterParent();
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(parent, name);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) stopCluster(bin, dir);
  }
}

async function waitUntilReady(url: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(
    `The test PostgreSQL server did not accept connections within 30 s: ${String(last)}\n${tail(logFile)}`,
  );
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

interface Cluster {
  adminUrl: string;
  stop: () => void;
}

async function startCluster(bin: string): Promise<Cluster> {
  // As root the server runs as `postgres`, which must own its folder; otherwise as ourselves.
  const owner = isRoot() ? postgresIds() : null;
  removeAbandoned(bin);
  const dir = fs.mkdtempSync(path.join(clusterParent(), DIR_PREFIX));
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  const stop = () => stopCluster(bin, dir);
  // If the run dies without its teardown, at least a normal exit takes the server with it.
  process.once('exit', stop);
  try {
    // C collation: text sorts bytewise, as on SQLite. No fsync while creating the files.
    runPg(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '-N']);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [`-p ${port}`, `-k ${dir}`, ...SERVER_OPTIONS].join(' ');
      try {
        runPg(bin, 'pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '30', 'start']);
        break;
      } catch (error) {
        // Another process may have taken the port between our check and the server's bind.
        if (attempt >= 3) throw new Error(`${(error as Error).message}\n${tail(log)}`, { cause: error });
      }
    }
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitUntilReady(adminUrl, log);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${ROLE} LOGIN CREATEDB`);
      await admin.query(`CREATE DATABASE ${ROLE} OWNER ${ROLE}`);
      await admin.query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    } finally {
      await admin.end();
    }
    return { adminUrl: `postgres://${ROLE}@127.0.0.1:${port}/${ROLE}`, stop };
  } catch (error) {
    stop();
    process.removeListener('exit', stop);
    throw error;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (pgTestsOff()) {
    project.provide('TEST_DATABASE_URL_PG', null);
    project.provide('TEST_APP_ROLE_PG', null);
    return undefined;
  }
  const external = process.env.TEST_DATABASE_URL_PG;
  if (external) {
    project.provide('TEST_DATABASE_URL_PG', external);
    project.provide('TEST_APP_ROLE_PG', null);
    return undefined;
  }
  const bin = findPgBin();
  if (!bin) {
    throw new Error(
      'The store tests also run on PostgreSQL, but no PostgreSQL server binaries were found (looked for initdb, pg_ctl and postgres in PG_BIN, /usr/lib/postgresql/<version>/bin and pg_config --bindir). Install them (apt-get install postgresql-15), point PG_BIN at them, or run with PG_TESTS=off to test on SQLite only.',
    );
  }
  const started = Date.now();
  const cluster = await startCluster(bin);
  if (process.env.PG_TESTS_VERBOSE) {
    console.log(`Test PostgreSQL cluster ready in ${Date.now() - started} ms: ${cluster.adminUrl}`);
  }
  project.provide('TEST_DATABASE_URL_PG', cluster.adminUrl);
  project.provide('TEST_APP_ROLE_PG', APP_ROLE);
  return () => {
    process.removeListener('exit', cluster.stop);
    cluster.stop();
  };
}
