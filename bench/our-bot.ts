// Our bot for the benchmark: the real composition root (createApp) in local mode, logging off, on
// a fresh database with the demo staff directory and inventory, as the bot tests run it. Run as a
// child process; it tells its parent its port over IPC, and makes pending removal requests on
// request so that every approve the load driver sends finds a fresh one.
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { importInventory } from '../src/imports/inventory-import.js';
import { importStaff } from '../src/imports/staff-import.js';
import { addDays, defaultSchedule } from '../src/rules/index.js';
import { systemClock, today } from '../src/services/clock.js';
import { RemovalService } from '../src/services/removal.js';
import { REPO_ROOT } from '../src/repo-root.js';
import { serveChild } from './child.js';
import { STAFF } from './people.js';

const config = readConfig({
  LOCAL_MODE: 'true',
  DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '',
  AUDIT_HEAD_FILE: process.env.BENCH_AUDIT_HEAD_FILE,
  TEAMS_SERVICE_URL: process.env.BENCH_CONNECTOR_URL ?? '',
  LOG_LEVEL: 'silent',
  // One person sends every removal request of a run (6,560 in a complete one): the hourly limit on
  // case lookups is set as high as it goes, so every turn is answered with the form, not the limit.
  CASE_LOOKUPS_PER_HOUR: '10000',
});
const app = await createApp(config, {
  log: pino({ level: 'silent' }),
  schedule: defaultSchedule,
  // The reminder sweep runs every minute in production; off here so it cannot land in a run.
  timers: false,
});
const load = { today: today(systemClock), now: () => new Date(), actorId: 'bench' };
await importStaff(app.store.db, path.join(REPO_ROOT, 'demo/staff.csv'), load);
await importInventory(app.store.db, defaultSchedule, path.join(REPO_ROOT, 'demo/inventory.csv'), load);
const removals = new RemovalService(app.store.db, systemClock, { maxDays: config.removal.maxDays });

/**
 * Makes `count` pending removal requests by Priya's case workers, over the demo cases, through the
 * service as the form would. Their approval cards count as delivered (the outbox rows are marked
 * sent), so that the runs measure the approvals and not a backlog of cards being sent.
 */
async function prepareApprovals(params: unknown): Promise<string[]> {
  const { count } = params as { count: number };
  const cases = await app.store.db.selectFrom('cases').select('case_ref').orderBy('case_ref').execute();
  const requesters = [STAFF.sam, STAFF.jo, STAFF.alex];
  const day = today(systemClock);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const outcome = await removals.request(requesters[i % requesters.length]!, {
      caseRef: cases[i % cases.length]!.case_ref,
      recordIds: [],
      purpose: 'home_working',
      destination: 'Home',
      outOn: day,
      returnOn: addDays(day, 1),
      justification: 'To finish the court report',
      acknowledged: true,
      unknownCaseConfirmed: false,
    });
    if (!outcome.ok) throw new Error(`request not made: ${JSON.stringify(outcome.problems)}`);
    ids.push(outcome.authorisation.id);
  }
  await app.store.db
    .updateTable('outbox')
    .set({ sent_at: new Date().toISOString() })
    .where('kind', '=', 'removal.approval_request')
    .where('sent_at', 'is', null)
    .execute();
  return ids;
}

/**
 * Sends what the turns of a run queued (notifications, card updates) before the next measurement
 * starts, so that work is counted against this bot's run and never runs beside another's.
 */
async function settle(): Promise<number> {
  let sent = 0;
  for (;;) {
    const handled = await app.dispatcher.runOnce();
    if (!handled) return sent;
    sent += handled;
  }
}

await serveChild({
  listen: () => app.listen(0),
  close: () => app.close(),
  methods: { prepareApprovals, settle },
});
