// `npm run load`: hundreds of concurrent Teams conversations against real bot processes, on
// loopback only. Each conversation is a case worker asking a question, making a removal request,
// their line manager approving or declining it, and the worker listing their requests. Runs
// against one instance on SQLite and two instances on one PostgreSQL database (a throwaway
// cluster, as the tests start it; PG_TESTS=off skips it, TEST_DATABASE_URL_PG uses a server you
// have), and prints JSON: turns per second, p50/p99 latency, errors, and lost writes (requests and
// decisions the bot acknowledged but the database does not hold). Exits 1 on any error or loss.
//
//   npm run load                                   200 conversations × 2 rounds, both set-ups
//   npm run load -- --conversations 400 --rounds 3 --only postgres --out bench/results/load.json

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAudit } from '../src/store/audit-verify.js';
import { runLoad, type LoadResult } from './load-run.js';
import { withPostgres } from './load-postgres.js';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '2' },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const conversations = Math.max(1, Math.min(2000, Number(values.conversations)));
const rounds = Math.max(1, Math.min(20, Number(values.rounds)));

const results: LoadResult[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-load-'));
try {
  if (!values.only || values.only === 'sqlite') {
    process.stderr.write(`SQLite, one instance: ${conversations} conversations × ${rounds} rounds…\n`);
    results.push(
      await runLoad({
        label: 'sqlite, 1 instance',
        databaseUrl: `sqlite:${path.join(dir, 'load.db')}`,
        instances: 1,
        conversations,
        rounds,
        verify: verifyAudit,
      }),
    );
  }
  if (!values.only || values.only === 'postgres') {
    const ran = await withPostgres(async (databaseUrl) => {
      for (const instances of [1, 2]) {
        process.stderr.write(
          `PostgreSQL, ${instances} instance(s): ${conversations} conversations × ${rounds} rounds…\n`,
        );
        results.push(
          await runLoad({
            label: `postgres, ${instances} instance${instances > 1 ? 's' : ''}`,
            databaseUrl: await databaseUrl(`load_${instances}`),
            instances,
            conversations,
            rounds,
            verify: verifyAudit,
          }),
        );
      }
    });
    if (!ran) process.stderr.write('PostgreSQL skipped (PG_TESTS=off or no server binaries).\n');
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

const report = { cpus: os.cpus().length, node: process.version, results };
const json = JSON.stringify(report, null, 2);
process.stdout.write(`${json}\n`);
if (values.out) fs.writeFileSync(values.out, `${json}\n`);
const failed = results.some((r) => r.errors > 0 || r.lostWrites > 0 || !r.auditVerified);
process.exit(failed ? 1 : 0);
