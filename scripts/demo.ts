// `npm run demo`: loads the demo directory and inventory, starts the bot in local mode, and opens
// one Microsoft 365 Agents Playground for each demo persona (case worker, line manager, two Records
// Management officers: a destruction batch is confirmed by another officer than the one who chose
// it), all talking to the same bot. Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createApp } from '../src/app.js';
import { main as cli } from '../src/cli/main.js';
import { readConfig } from '../src/config.js';
import { REPO_ROOT } from '../src/repo-root.js';
import { DEMO_PERSONAS, DEMO_STAFF } from './demo-directory.js';

const children: ChildProcess[] = [];

async function run(): Promise<void> {
  const loaded = await cli(['node', 'case-records', 'load-demo']);
  if (loaded !== 0) throw new Error('The demo data could not be loaded.');

  // The tab, opened in a plain browser, starts as one demo person; its persona picker switches.
  const tabPerson = DEMO_STAFF.find(
    (p) => p.name.split(' ')[0]!.toLowerCase() === (process.env.DEMO_TAB_AS ?? 'sam').toLowerCase(),
  );
  if (!tabPerson)
    throw new Error(
      `DEMO_TAB_AS must be a demo first name: ${DEMO_STAFF.map((p) => p.name.split(' ')[0]).join(', ')}.`,
    );
  // The demo runs in local mode, asked for by name: no authentication, loopback only.
  process.env.LOCAL_MODE = 'true';
  process.env.TAB_DEV_IDENTITY ??= tabPerson.id;
  const config = readConfig();
  const app = await createApp(config);
  const port = await app.listen();
  const endpoint = `http://127.0.0.1:${port}/api/messages`;

  const playground = path.join(REPO_ROOT, 'node_modules', '.bin', 'agentsplayground');
  for (const persona of DEMO_PERSONAS) {
    const child = spawn(
      playground,
      ['start', '-e', endpoint, '-c', 'msteams', '--dt', '-p', String(persona.port)],
      {
        env: {
          ...process.env,
          M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(REPO_ROOT, 'playground', `${persona.key}.yml`),
          // Do not try to open a browser (there may be none); the URLs are printed below.
          TEAMSAPPTESTER_BROWSER: 'none',
          M365_AGENTS_PLAYGROUND_LOGFILE: path.join(REPO_ROOT, 'data', `playground-${persona.key}.log`),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.on('exit', (code) => {
      if (code) {
        process.stderr.write(
          `The playground for ${persona.name} stopped (exit ${code}); see data/playground-${persona.key}.log\n`,
        );
      }
    });
    children.push(child);
  }

  const lines = [
    '',
    `Case Records Assistant is running in local mode at ${endpoint} (database ${app.store.location}).`,
    'Open a playground in your browser, one per person (a playground shows what arrives while it is open; what was sent before arrives as you open it):',
    ...DEMO_PERSONAS.map((p) => `  ${p.name.padEnd(13)} ${p.role.padEnd(34)} http://127.0.0.1:${p.port}/`),
    '',
    'Try, as Sam: "I need to take the file for case 1234567 home tonight to finish the court report, back Friday".',
    'Then, as Priya: approve the card that arrives (or say "any approvals waiting for me?").',
    `The personal tab: http://127.0.0.1:${port}/tab/index.html (it starts as ${tabPerson.name}; choose someone else under "Act as").`,
    ...(config.directory?.syncMinutes
      ? [
          `The staff directory syncs from ${config.directory.graphBaseUrl} every ${config.directory.syncMinutes} minute(s), the first time in 10 seconds.`,
        ]
      : []),
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));

  const stop = () => {
    children.forEach((c) => c.kill('SIGTERM'));
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

run().catch((error: unknown) => {
  children.forEach((c) => c.kill('SIGTERM'));
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
