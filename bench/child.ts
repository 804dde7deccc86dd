import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { REPO_ROOT } from '../src/repo-root.js';

// The benchmark runs each bot, and each import, in a process of its own, so that its CPU time and
// memory are its own and not the load driver's. Parent and child talk over Node's IPC channel:
// the child says `ready` (with its port, if it serves), then answers calls by name.

type Methods = Record<string, (params: unknown) => Promise<unknown>>;

interface Call {
  id: number;
  method: string;
  params: unknown;
}

export interface ChildStats {
  /** Peak resident set size of the child, in MB (`process.resourceUsage().maxRSS`). */
  maxRssMb: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

function stats(): ChildStats {
  const usage = process.resourceUsage();
  return {
    maxRssMb: Math.round(usage.maxRSS / 1024),
    cpuUserMs: Math.round(usage.userCPUTime / 1000),
    cpuSystemMs: Math.round(usage.systemCPUTime / 1000),
  };
}

/** In a child: starts serving, tells the parent, and answers its calls until told to stop. */
export async function serveChild(options: {
  listen?: () => Promise<number>;
  close?: () => Promise<void>;
  methods?: Methods;
}): Promise<void> {
  const send = (message: unknown) => process.send?.(message);
  const port = options.listen ? await options.listen() : 0;
  process.on('message', (message: Call) => {
    const { id, method, params } = message;
    const run = async () => {
      if (method === 'stop') {
        await options.close?.();
        return stats();
      }
      if (method === 'stats') return stats();
      const handler = options.methods?.[method];
      if (!handler) throw new Error(`unknown method ${method}`);
      return handler(params);
    };
    run().then(
      (result) => {
        send({ id, result });
        if (method === 'stop') setImmediate(() => process.exit(0));
      },
      (error: unknown) =>
        send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  // An orphan (the benchmark was stopped) ends itself.
  process.on('disconnect', () => process.exit(1));
  send({ ready: true, port });
}

/** How to run a child's TypeScript: through tsx, or as a bundle built by `bundle` (plain Node). */
export type Runner = { kind: 'tsx' } | { kind: 'node'; file: string };

/**
 * Builds a child into one file run by plain Node, as the product runs from its compiled build
 * (`npm run build`, then `npm start` or the command-line tool): under tsx a process starts some
 * 50 MB larger and compiles every file as it loads, which is tsx's cost, not the code's. Packages
 * stay outside the bundle and load from node_modules.
 */
export async function bundle(entry: URL, name: string): Promise<Runner> {
  // Beside the compiled build, one folder below the repository's root as src/ is, so the code
  // finds the repository's files (demo data, the built tab) where it does from src/ and dist/.
  const outDir = path.join(REPO_ROOT, 'dist');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `bench-${name}.mjs`);
  await build({
    entryPoints: [fileURLToPath(entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return { kind: 'node', file };
}

/** In the parent: a child process that serves calls. */
export class Child {
  private calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  port = 0;

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
  ) {}

  static async start(
    name: string,
    file: URL,
    options: {
      env?: Record<string, string>;
      runner?: Runner;
      args?: string[];
      /** Node options for the child (as `npm start` gives the bot its heap limit). */
      nodeOptions?: string[];
      profileDir?: string | null;
    } = {},
  ): Promise<Child> {
    const runner = options.runner ?? { kind: 'tsx' };
    const modulePath = runner.kind === 'tsx' ? fileURLToPath(file) : runner.file;
    // restify 11 warns once about a deprecated Node API (DEP0111); nothing to act on here.
    const execArgv = ['--disable-warning=DEP0111', ...(options.nodeOptions ?? [])];
    if (runner.kind === 'tsx') execArgv.push('--import', import.meta.resolve('tsx'));
    // One folder a child: tsx's loader thread writes a profile of its own beside the main one.
    if (options.profileDir)
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.join(options.profileDir, name)}`);
    const proc = fork(modulePath, options.args ?? [], {
      execArgv,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child = new Child(name, proc);
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`${name} exited with ${code} before it was ready`));
      proc.once('exit', onExit);
      proc.on(
        'message',
        (message: { ready?: boolean; port?: number; id?: number; result?: unknown; error?: string }) => {
          if (message.ready) {
            child.port = message.port ?? 0;
            proc.off('exit', onExit);
            resolve();
            return;
          }
          const call = message.id === undefined ? undefined : child.calls.get(message.id);
          if (!call) return;
          child.calls.delete(message.id!);
          if (message.error !== undefined) call.reject(new Error(`${name}: ${message.error}`));
          else call.resolve(message.result);
        },
      );
    });
    proc.on('exit', (code) => {
      for (const call of child.calls.values()) call.reject(new Error(`${name} exited with ${code}`));
      child.calls.clear();
    });
    return child;
  }

  /** Calls `method` in the child; fails if no answer comes within `timeoutMs`. */
  call<T>(method: string, params: unknown = null, timeoutMs = 15 * 60_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.calls.delete(id);
        reject(new Error(`${this.name}: no answer to ${method} within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const settle =
        <V>(f: (v: V) => void) =>
        (v: V) => {
          clearTimeout(timer);
          f(v);
        };
      this.calls.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject) });
      this.process.send({ id, method, params });
    });
  }

  /** Stops the child and returns its CPU time and peak memory. */
  async stop(): Promise<ChildStats> {
    const exited = new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) resolve();
      else this.process.once('exit', () => resolve());
    });
    const result = await this.call<ChildStats>('stop');
    await exited;
    return result;
  }

  /** Ends the child at once (after a failure). */
  kill(): void {
    if (this.process.exitCode === null) this.process.kill('SIGKILL');
  }
}
