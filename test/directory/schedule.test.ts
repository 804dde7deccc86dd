import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorySchedule } from '../../src/directory/schedule.js';
import { importStaff } from '../../src/imports/staff-import.js';
import { REPO_ROOT } from '../../src/repo-root.js';
import type { Store } from '../../src/store/index.js';
import { DEMO_CHANGES, DEMO_GRAPH_TOKEN, seedDemoTenant } from '../../scripts/demo-tenant.js';
import { TestClock } from '../support/bot-harness.js';
import { demoSync } from '../support/demo-sync.js';
import { FakeGraph } from '../support/fake-graph.js';
import { makeTempDir, openTestStore, removeTempDir } from '../support/temp-store.js';

// The server's scheduled sync logs what it did in counts, and never a name or an address.

let dir: string;
let store: Store;
const graph = new FakeGraph();
const lines: Record<string, unknown>[] = [];
const log = pino(
  { level: 'debug', base: null },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);
let told = 0;

function schedule(token = DEMO_GRAPH_TOKEN): DirectorySchedule {
  const sync = demoSync(store, graph.url, new TestClock(new Date('2026-11-26T09:00:00Z')), { token });
  return new DirectorySchedule(sync, 60, log, () => (told += 1));
}

beforeAll(async () => {
  dir = makeTempDir();
  store = await openTestStore(path.join(dir, 'schedule.db'));
  await importStaff(store.db, path.join(REPO_ROOT, 'demo/staff.csv'), {
    now: () => new Date(),
    actorId: 'test',
  });
  await graph.start();
  seedDemoTenant(graph);
});

afterAll(async () => {
  await store.close();
  await graph.stop();
  removeTempDir(dir);
});

describe('the scheduled directory sync', () => {
  it('logs each sync in counts, with no names or addresses', async () => {
    await schedule().runOnce();
    DEMO_CHANGES[1]!.apply(graph);
    await schedule().runOnce();
    const synced = lines.filter((l) => l.msg === 'directory synced');
    expect(synced).toHaveLength(2);
    expect(synced[1]).toMatchObject({
      level: 30,
      read: 'changes',
      users: 1,
      joined: 0,
      moved: 3,
      left: 1,
      rerouted: 0,
      withdrawn: 0,
      flagged: 0,
      coversEnded: 0,
      notices: 0,
    });
    expect(typeof synced[1]!.ms).toBe('number');
    const text = JSON.stringify(lines);
    for (const personal of ['Priya', 'Shah', 'Lee Grant', '@council.example'])
      expect(text).not.toContain(personal);
    expect(told).toBe(0);
  });

  it('a sync that changes nothing says why', async () => {
    lines.length = 0;
    const result = await schedule('revoked').runOnce();
    expect(result.ok).toBe(false);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'directory sync changed nothing',
        kind: 'auth',
        error: expect.stringMatching(/^Microsoft Graph refused the sync's credentials/) as string,
      }),
    ]);
  });
});
