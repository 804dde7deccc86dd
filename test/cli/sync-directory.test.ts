import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoGraphSettings, DEMO_CHANGES, seedDemoTenant } from '../../scripts/demo-tenant.js';
import { STAFF } from '../support/bot-harness.js';
import { runCli } from '../support/cli.js';
import { FakeGraph } from '../support/fake-graph.js';
import { makeTempDir, openTestStore, removeTempDir } from '../support/temp-store.js';

// `npm run cli -- sync-directory` against the demo tenant on a fake Graph.

let dir: string;
let graph: FakeGraph;
const saved: Record<string, string | undefined> = {};

function useGraph(settings: Record<string, string>): void {
  for (const [key, value] of Object.entries(settings)) {
    saved[key] ??= process.env[key];
    process.env[key] = value;
  }
}

beforeAll(async () => {
  dir = makeTempDir();
  graph = new FakeGraph();
  await graph.start();
  seedDemoTenant(graph);
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-26T10:00:00Z') });
});

afterAll(async () => {
  vi.useRealTimers();
  await graph.stop();
  removeTempDir(dir);
});

afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
    delete saved[key];
  }
  expect(process.exitCode).toBeUndefined();
});

describe('sync-directory', () => {
  it('says how to set Graph up when it is not', async () => {
    const run = await runCli(path.join(dir, 'none.db'), ['sync-directory']);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([
      'Microsoft Graph is not set up: set GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (or a certificate or managed identity) and the role groups; see the README. Without Graph, use import-staff.',
    ]);
  });

  it('shows what a dry run would change, changes it for real, then follows a mover and a leaver', async () => {
    const file = path.join(dir, 'demo.db');
    expect((await runCli(file, ['import-staff', 'demo/staff.csv'])).code).toBe(0);
    useGraph(demoGraphSettings(graph.url));

    const dry = await runCli(file, ['sync-directory', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toEqual([
      'Dry run, nothing was changed: Directory sync from Microsoft Graph (full read, 13 user(s) in 5 page(s)): 11 staff.',
      '  would join:',
      '    Lee Grant (6f1c2a4e-0011-4b7a-9c1e-000000000011)',
      '  Requests and authorisations: 0 re-routed, 0 withdrawn, 0 flagged to Records Management; 0 cover(s) ended; 0 notification(s) to send.',
    ]);
    expect(dry.err).toEqual(['Reading users from Microsoft Graph: 3 so far…', 'Reading roles…', 'Applying…']);

    const real = await runCli(file, ['sync-directory']);
    expect(real.out[0]).toBe(
      'Directory sync from Microsoft Graph (full read, 13 user(s) in 5 page(s)): 11 staff.',
    );
    expect(real.out[1]).toBe('  joined:');

    DEMO_CHANGES.forEach((change) => change.apply(graph));
    const changes = await runCli(file, ['sync-directory']);
    expect(changes.code).toBe(0);
    expect(changes.out).toEqual([
      'Directory sync from Microsoft Graph (changes since the last sync, 2 user(s) in 1 page(s)): 10 staff.',
      '  have a new line manager:',
      `    Sam Taylor (${STAFF.sam}): Priya Shah (${STAFF.priya}) → Tom Hughes (${STAFF.tom})`,
      `    Jo Patel (${STAFF.jo}): Priya Shah (${STAFF.priya}) → Helen Carter (${STAFF.helen})`,
      `    Alex Morgan (${STAFF.alex}): Priya Shah (${STAFF.priya}) → Helen Carter (${STAFF.helen})`,
      '  left:',
      `    Priya Shah (${STAFF.priya}): account disabled in Entra ID`,
      '  Requests and authorisations: 0 re-routed, 0 withdrawn, 0 flagged to Records Management; 0 cover(s) ended; 0 notification(s) queued.',
    ]);
    const store = await openTestStore(file);
    try {
      const priya = await store.db
        .selectFrom('staff')
        .selectAll()
        .where('aad_object_id', '=', STAFF.priya)
        .executeTakeFirstOrThrow();
      expect(priya).toMatchObject({ left_on: '2026-11-26', roles: '' });
    } finally {
      await store.close();
    }

    // Every staff row the import and the syncs wrote is vouched for by the audit log; a role
    // given by hand afterwards is named.
    const verified = await runCli(file, ['verify-audit']);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain(
      'Rows checked against the audit log (11 staff directory entries): none altered, added or removed.',
    );
    const tamper = await openTestStore(file);
    try {
      await tamper.db
        .updateTable('staff')
        .set({ roles: 'records_management' })
        .where('aad_object_id', '=', STAFF.sam)
        .execute();
    } finally {
      await tamper.close();
    }
    const caught = await runCli(file, ['verify-audit']);
    expect(caught.code).toBe(1);
    expect(caught.err).toContain(
      `  - staff directory entry ${STAFF.sam} has been changed outside the application since audit entry 3 recorded it`,
    );
  });

  it('a refused sync lists the problems and exits with 1', async () => {
    const file = path.join(dir, 'loop.db');
    useGraph(demoGraphSettings(graph.url));
    graph.updateUser(STAFF.helen, { managerId: STAFF.rosa });
    try {
      const run = await runCli(file, ['sync-directory']);
      expect(run.code).toBe(1);
      expect(run.err.slice(-2)).toEqual([
        'The directory sync found 1 problem(s) in Microsoft Entra ID and changed nothing.',
        `  Management loop in Microsoft Entra ID: ${STAFF.helen} → ${STAFF.rosa} → ${STAFF.tom} → ${STAFF.helen}. Give one of them another manager.`,
      ]);
    } finally {
      graph.updateUser(STAFF.helen, { managerId: null });
    }
  });
});
