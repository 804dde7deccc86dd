import { createApp } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { OwnDataScheduleError, ScheduleError } from './rules/index.js';

/** `npm run serve`: the bot on PORT (default 3978), with the database from DATABASE_URL. */
async function main(): Promise<void> {
  const config = readConfig();
  const app = await createApp(config);
  const port = await app.listen();
  if (config.localMode) {
    process.stderr.write(
      [
        '',
        '  LOCAL MODE (LOCAL_MODE=true): /api/messages accepts unauthenticated requests.',
        `  This is for the Agents Playground, the demo and tests only; it listens on ${config.host} only.`,
        '',
      ].join('\n'),
    );
  }
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  process.stderr.write(
    `Case Records Assistant listening on http://${host.includes(':') ? `[${host}]` : host}:${port}/api/messages (database ${app.store.location})\n`,
  );
  if (config.purge.minutes) {
    process.stderr.write(`Own data: what has expired is purged every ${config.purge.minutes} minute(s).\n`);
  }
  if (config.directory?.syncMinutes) {
    process.stderr.write(
      `Staff directory: synced from Microsoft Entra ID (${config.directory.graphBaseUrl}) every ${config.directory.syncMinutes} minute(s).\n`,
    );
  }
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof ScheduleError || error instanceof OwnDataScheduleError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
