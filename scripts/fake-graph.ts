// `npm run fake-graph`: the demo council's Microsoft Entra ID, served by a fake Microsoft Graph on
// this machine, to point the directory sync at. Press Enter to make the next change happen in
// the tenant (a mover, then a leaver) and watch the bot and the tab follow. Ctrl-C stops it.
import { createInterface } from 'node:readline';
import { FakeGraph } from '../test/support/fake-graph.js';
import { DEMO_CHANGES, demoGraphSettings, seedDemoTenant } from './demo-tenant.js';

const port = Number(process.env.FAKE_GRAPH_PORT ?? 5980);

async function run(): Promise<void> {
  const graph = new FakeGraph();
  seedDemoTenant(graph);
  graph.pageSize = 5;
  graph.onRequest = (r) =>
    process.stderr.write(
      `  graph: ${r.method} ${r.path.length > 90 ? `${r.path.slice(0, 90)}…` : r.path} → ${r.status}\n`,
    );
  try {
    await graph.start(port);
  } catch (error) {
    throw new Error(
      `Could not listen on port ${port} (${(error as Error).message}): set FAKE_GRAPH_PORT to use another.`,
      { cause: error },
    );
  }
  const env = { ...demoGraphSettings(graph.url), DIRECTORY_SYNC_MINUTES: '1' };
  const exports = Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' \\\n  ');
  process.stdout.write(
    [
      '',
      `The demo council's Microsoft Entra ID is served at ${graph.url} (a fake Microsoft Graph, this machine only).`,
      `It has the demo directory's people and managers, role groups, Lee Grant (a case worker only Entra knows),`,
      'a guest and a shared mailbox. In another terminal, point the sync at it:',
      '',
      `  export ${exports}`,
      '  npm run cli -- sync-directory --dry-run   # what the sync would change',
      '  npm run cli -- sync-directory             # change it',
      '  npm run demo                              # or: the bot and playgrounds, syncing every minute',
      '',
      'Press Enter to make the next change in Entra ID:',
      ...DEMO_CHANGES.map((c, i) => `  ${i + 1}. ${c.title}`),
      '',
    ].join('\n'),
  );

  let next = 0;
  const input = createInterface({ input: process.stdin });
  input.on('line', () => {
    const change = DEMO_CHANGES[next];
    if (!change) {
      process.stdout.write('Every change has been made. Ctrl-C stops the fake Graph.\n');
      return;
    }
    change.apply(graph);
    next += 1;
    process.stdout.write(
      `Done in Entra ID: ${change.title}. Run the sync (or wait for the server's) to see it in the bot and the tab.\n`,
    );
  });
  const stop = () => {
    input.close();
    graph.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
