import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readConfig } from '../config.js';
import { loadOwnDataSchedule, loadSchedule } from '../schedule-file.js';
import { openReadyStore, type Store } from '../store/index.js';
import { REPO_ROOT } from '../repo-root.js';
import { parseHead, type ChainHead } from '../store/audit-head.js';
import { COVERED_TABLE_NAMES, pluralOf } from '../store/audit-rows.js';
import { verifyAudit, type AuditReport } from '../store/audit-verify.js';
import { recomputeRetention } from '../store/inventory.js';
import { importInventory, type ImportResult } from '../imports/inventory-import.js';
import { importStaff } from '../imports/staff-import.js';
import { caseRetention } from '../services/case-retention.js';
import { formatDate, londonDate, parseDate, type IsoDate, type Schedule } from '../rules/index.js';
import { progressPrinter } from './progress.js';
import { directorySyncFor, type SyncResult } from '../directory/sync.js';
import { systemClock } from '../services/clock.js';
import { PurgeService, type PurgeReport } from '../services/purge.js';
import { SubjectAccessService, type SubjectAccessSubject } from '../services/subject-access.js';
import {
  subjectAccessFileName,
  subjectAccessJson,
  subjectAccessXlsx,
} from '../exports/subject-access-export.js';
import { describeOwnDataRetention, kindSpec, OWN_DATA_KIND_IDS } from '../rules/index.js';
import type { LeaveReason } from '../directory/plan.js';

/** Who the command line acts as in the audit log. */
const CLI_ACTOR = 'cli';
const DEMO_DIR = path.join(REPO_ROOT, 'demo');
const MAX_ERRORS_SHOWN = 50;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

async function withStore<T>(
  io: Io,
  fn: (store: Store, schedule: Schedule) => Promise<T>,
  { verifying = false } = {},
): Promise<T> {
  const config = readConfig();
  const schedule = loadSchedule(config.scheduleFile);
  const store = await openReadyStore(config.databaseUrl, schedule, {
    audit: { key: config.audit.key, headFile: config.audit.headFile },
    ownerUrl: config.databaseOwnerUrl,
    verifying,
    onRecompute: (p) =>
      io.err(`Retention schedule changed: recomputed ${p.checked.toLocaleString('en-GB')} records…`),
  });
  try {
    return await fn(store, schedule);
  } finally {
    await store.close();
  }
}

function reportImport(
  io: Io,
  what: string,
  file: string,
  result: ImportResult,
  skipInvalid: boolean,
): boolean {
  for (const e of result.errors.slice(0, MAX_ERRORS_SHOWN)) io.err(`  line ${e.line}: ${e.message}`);
  if (result.errors.length > MAX_ERRORS_SHOWN)
    io.err(`  … and ${result.errors.length - MAX_ERRORS_SHOWN} more bad rows`);
  if (result.errors.length && !skipInvalid) {
    io.err(
      `${path.basename(file)}: ${result.errors.length} bad row(s) of ${result.rows}; nothing was imported. Fix them, or use --skip-invalid to import only the good rows.`,
    );
    return false;
  }
  const skipped = result.errors.length ? `, skipped ${result.errors.length} bad row(s) (listed above)` : '';
  const cases = what === 'inventory' ? ` across ${result.cases.toLocaleString('en-GB')} case(s)` : '';
  const left = result.left
    ? `; ${result.left} marked as having left (their Teams conversation references removed)`
    : '';
  const recomputed = result.recomputed
    ? `; ${result.recomputed} other record(s) recomputed for changed case dates`
    : '';
  io.out(
    `${path.basename(file)}: imported ${result.imported.toLocaleString('en-GB')} ${what} row(s)${cases}${skipped}${recomputed}${left}.`,
  );
  return true;
}

async function runImport(
  io: Io,
  kind: 'staff' | 'inventory',
  file: string,
  skipInvalid: boolean,
): Promise<boolean> {
  return withStore(io, async (store, schedule) => {
    const options = {
      skipInvalid,
      today: londonDate(new Date()),
      now: () => new Date(),
      actorId: CLI_ACTOR,
      onProgress: progressPrinter(path.basename(file)),
    };
    const result =
      kind === 'staff'
        ? await importStaff(store.db, file, options)
        : await importInventory(store.db, schedule, file, options);
    return reportImport(io, kind, file, result, skipInvalid);
  });
}

const LEAVE_REASONS: Record<LeaveReason, string> = {
  deleted: 'deleted in Entra ID',
  disabled: 'account disabled in Entra ID',
  guest: 'now a guest in Entra ID',
  out_of_scope: 'no longer in a role group, and manages nobody who is',
  not_in_entra: 'not in Entra ID',
};

/** What a directory sync did (or would do), for whoever runs it: names and ids. */
function reportSync(io: Io, result: SyncResult): void {
  const plan = result.plan!;
  const c = result.consequences!;
  const who = (id: string | null) => (id ? `${result.names.get(id) ?? 'someone unknown'} (${id})` : 'nobody');
  const list = (label: string, lines: string[]) => {
    if (!lines.length) return;
    io.out(`  ${label}:`);
    for (const line of lines.slice(0, MAX_ERRORS_SHOWN)) io.out(`    ${line}`);
    if (lines.length > MAX_ERRORS_SHOWN) io.out(`    … and ${lines.length - MAX_ERRORS_SHOWN} more`);
  };
  const dry = result.dryRun;
  io.out(
    `${dry ? 'Dry run, nothing was changed: ' : ''}Directory sync from Microsoft Graph (${result.read === 'full' ? 'full read' : 'changes since the last sync'}, ${result.usersRead.toLocaleString('en-GB')} user(s) in ${result.pages} page(s)): ${plan.staff.toLocaleString('en-GB')} staff.`,
  );
  list(dry ? 'would join' : 'joined', plan.joined.map(who));
  list(dry ? 'would come back' : 'came back', plan.rejoined.map(who));
  list(dry ? 'would change name, address or roles' : 'changed name, address or roles', plan.updated.map(who));
  list(
    dry ? 'would have a new line manager' : 'have a new line manager',
    plan.moved.map((m) => `${who(m.id)}: ${who(m.from)} → ${who(m.to)}`),
  );
  list(
    dry ? 'would leave' : 'left',
    plan.left.map((l) => `${who(l.id)}: ${LEAVE_REASONS[l.reason]}`),
  );
  if (!plan.rows.length && !c.coversEnded) io.out(`  No change to the staff directory.`);
  io.out(
    `  Requests and authorisations: ${c.rerouted} re-routed, ${c.withdrawn} withdrawn, ${c.flagged} flagged to Records Management; ${c.coversEnded} cover(s) ended; ${c.notices} notification(s) ${dry ? 'to send' : 'queued'}.`,
  );
  if (c.referencesRemoved)
    io.out(
      `  Teams conversation references of people who left: ${c.referencesRemoved} ${dry ? 'to remove' : 'removed'}.`,
    );
}

/** What a purge removes, one table at a time, as a person counts it. */
const PURGED_ROWS: Record<string, [string, string]> = {
  removal_authorisations: ['request', 'requests'],
  authorisation_history: ['history line', 'history lines'],
  outbox: ['notification', 'notifications'],
  card_messages: ['card message', 'card messages'],
  batch_card_messages: ['batch card message', 'batch card messages'],
  holds: ['hold', 'holds'],
  blanket_holds: ['hold on whole classes', 'holds on whole classes'],
  acting_managers: ['cover', 'covers'],
  processed_activities: ['handled activity', 'handled activities'],
  conversation_references: ['conversation reference', 'conversation references'],
  audit_log: ['audit entry', 'audit entries'],
};

function reportPurge(io: Io, report: PurgeReport): void {
  io.out(
    `${report.dryRun ? 'Dry run, nothing was removed: what would go' : 'Purge of the product’s own data'} as on ${formatDate(report.today)} (own-data schedule ${report.scheduleVersion}):`,
  );
  for (const k of report.kinds) {
    const period = k.cutoff
      ? `${describeOwnDataRetention(k.kind, k.keep)}: expired before ${formatDate(k.cutoff)}`
      : describeOwnDataRetention(k.kind, k.keep);
    const rows = Object.entries(PURGED_ROWS)
      .filter(([table]) => k.removed[table])
      .map(([table, [one, many]]) => count(k.removed[table]!, one, many));
    const kept = k.kept
      ? `; ${count(k.kept, 'row', 'rows')} expired but kept (under a hold, or needed by what is kept)`
      : '';
    const what = !k.cutoff
      ? 'never purged'
      : rows.length
        ? `${rows.join(', ')}${report.dryRun ? '' : ' removed'}`
        : 'nothing expired';
    io.out(`  ${k.label} (${period}): ${what}${kept}.`);
  }
  const fixed = OWN_DATA_KIND_IDS.filter((kind) => !report.kinds.some((k) => k.kind === kind)).map((kind) =>
    kindSpec(kind).label.toLowerCase(),
  );
  io.out(`  Never purged: ${fixed.join(', ')}.`);
  io.out(
    report.dryRun
      ? `${count(report.total, 'row', 'rows')} would go.`
      : `${count(report.total, 'row', 'rows')} removed; each batch is recorded in the audit log (run verify-audit to check it).`,
  );
}

function statusLine(status: string): string {
  return status.toUpperCase().padEnd(10);
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

function printReport(io: Io, report: AuditReport, developmentKey: boolean): void {
  const key = `key id ${report.keyId}${developmentKey ? ', the built-in development key: set AUDIT_KEY for real records' : ''}`;
  const removed = report.removedEntries
    ? `; ${count(report.removedEntries, 'entry was', 'entries were')} removed by purges, each vouched for by the purge entry that recorded its hash`
    : '';
  if (report.chain) {
    io.err(
      `Audit log BROKEN at entry ${report.chain.brokenAt}: ${report.chain.problem}. ${report.entries ? `Entries 1–${report.entries} verify${removed}` : 'No entry verifies'} (${key}).`,
    );
  } else {
    const unkeyed = report.unkeyedEntries
      ? `; the first ${count(report.unkeyedEntries, 'entry', 'entries')} are from before the log was keyed, and verify by their plain hashes`
      : '';
    io.out(
      `Audit log intact: ${count(report.entries, 'entry', 'entries')}, chain verified with the audit key (${key})${unkeyed}${removed}.`,
    );
  }
  for (const head of report.heads) (head.ok ? io.out : io.err)(`Chain head ${head.source} ${head.message}.`);
  if (report.rows.checked) {
    const checked = COVERED_TABLE_NAMES.filter((t) => report.rows.checked![t]).map(
      (t) => `${report.rows.checked![t]} ${pluralOf(t)}`,
    );
    const what = checked.length ? checked.join(', ') : 'none yet';
    const purged = COVERED_TABLE_NAMES.filter((t) => report.rows.removed?.[t]).map(
      (t) => `${report.rows.removed![t]} ${pluralOf(t)}`,
    );
    const gone = purged.length ? ` (removed by purges, as the log records: ${purged.join(', ')})` : '';
    if (!report.rows.problemCount) {
      io.out(`Rows checked against the audit log (${what}): none altered, added or removed${gone}.`);
    } else {
      io.err(
        `${count(report.rows.problemCount, 'row does', 'rows do')} not match the audit log (checked: ${what}):`,
      );
      for (const problem of report.rows.problems) io.err(`  - ${problem}`);
      const more = report.rows.problemCount - report.rows.problems.length;
      if (more > 0) io.err(`  … and ${more} more`);
    }
  }
}

export function buildProgram(io: Io = consoleIo): Command {
  const program = new Command('case-records')
    .description(
      'Case Records Assistant: imports, retention status and audit checks. The database comes from DATABASE_URL (default sqlite:data/records.db).',
    )
    .showHelpAfterError()
    .exitOverride();

  program
    .command('import-staff')
    .description(
      'Import the staff directory: aad_object_id,display_name,email,roles,line_manager_aad_object_id (and optionally left_on, the date someone left)',
    )
    .argument('<file>', 'CSV file')
    .option('--skip-invalid', 'import the good rows and skip the bad ones (listed)', false)
    .action(async (file: string, opts: { skipInvalid: boolean }) => {
      if (!(await runImport(io, 'staff', file, opts.skipInvalid))) process.exitCode = 1;
    });

  program
    .command('import-inventory')
    .description(
      'Import the records inventory: record_id,case_ref,record_class,title,format,location,date_of_birth,date_of_death,closed_on,adoption_order_on,approval_ended_on,last_contact_on',
    )
    .argument('<file>', 'CSV file')
    .option('--skip-invalid', 'import the good rows and skip the bad ones (listed)', false)
    .action(async (file: string, opts: { skipInvalid: boolean }) => {
      if (!(await runImport(io, 'inventory', file, opts.skipInvalid))) process.exitCode = 1;
    });

  program
    .command('load-demo')
    .description('Load the demo staff directory and inventory (fake names and references)')
    .action(async () => {
      const staff = await runImport(io, 'staff', path.join(DEMO_DIR, 'staff.csv'), false);
      const inventory =
        staff && (await runImport(io, 'inventory', path.join(DEMO_DIR, 'inventory.csv'), false));
      if (!inventory) process.exitCode = 1;
      else io.out('Demo data loaded. Try: npm run cli -- retention 1234567');
    });

  program
    .command('retention')
    .description('Each record of a case: class, the date retention ends, status and why')
    .argument('<case_ref>', 'case reference')
    .addOption(
      new Option('--today <date>', 'work out the status as on another date (YYYY-MM-DD or DD/MM/YYYY)'),
    )
    .action(async (caseRef: string, opts: { today?: string }) => {
      let today: IsoDate = londonDate(new Date());
      if (opts.today) {
        const parsed = parseDate(opts.today);
        if (!parsed) {
          io.err(`--today "${opts.today}" is not a date: use YYYY-MM-DD or DD/MM/YYYY.`);
          process.exitCode = 2;
          return;
        }
        today = parsed;
      }
      await withStore(io, async (store, schedule) => {
        const result = await caseRetention(store.db, schedule, caseRef.trim(), today);
        if (!result) {
          io.err(`Case ${caseRef} is not in the records inventory.`);
          process.exitCode = 1;
          return;
        }
        io.out(
          `Case ${result.caseRef}: ${result.records.length} record(s), as on ${formatDate(today)} (schedule ${result.scheduleVersion})`,
        );
        for (const r of result.records) {
          const a = r.answer;
          const ends = a.permanent
            ? 'kept permanently'
            : a.endsOn
              ? `ends ${formatDate(a.endsOn)}`
              : 'end unknown';
          io.out('');
          io.out(`${statusLine(a.status)} ${r.recordId}  ${r.title} (${r.format})`);
          io.out(`           ${a.classTitle ?? a.classId}; ${ends}`);
          if (r.out)
            io.out(
              `           Out of the office on authorisation ${r.out.authorisationId}, due back ${formatDate(r.out.returnOn)}.`,
            );
          for (const line of a.explanation) io.out(`           - ${line}`);
        }
      });
    });

  program
    .command('recompute-retention')
    .description('Work out every record’s retention again from the schedule in force')
    .action(async () => {
      await withStore(io, async (store, schedule) => {
        const result = await recomputeRetention(store.db, schedule, {
          onProgress: (p) => io.err(`checked ${p.checked.toLocaleString('en-GB')} records`),
        });
        io.out(
          `Checked ${result.checked.toLocaleString('en-GB')} records; ${result.changed.toLocaleString('en-GB')} changed.`,
        );
      });
    });

  program
    .command('verify-audit')
    .description(
      'Check the audit log with the audit key, against the chain head kept outside the database, and against the rows it vouches for (register, review decisions, batches, requests and their history, holds, staff directory, cover)',
    )
    .option('--head-file <file...>', 'compare with these chain head files instead of AUDIT_HEAD_FILE')
    .option('--head <seq:hash...>', 'also compare with these chain heads, copied from the log')
    .action(async (opts: { headFile?: string[]; head?: string[] }) => {
      const heads: ChainHead[] = [];
      for (const text of opts.head ?? []) {
        const head = parseHead(text);
        if (!head) {
          io.err(`--head "${text}" is not a chain head: write it as <entry number>:<64 hex digits>.`);
          process.exitCode = 2;
          return;
        }
        heads.push(head);
      }
      const config = readConfig();
      await withStore(
        io,
        async (store) => {
          const report = await verifyAudit(store.db, {
            headFiles: opts.headFile?.map((f) => path.resolve(f)),
            heads,
          });
          printReport(io, report, config.audit.developmentKey);
          if (!report.ok) process.exitCode = 1;
        },
        { verifying: true },
      );
    });

  program
    .command('migrate')
    .description(
      'Bring the database schema up to date (on PostgreSQL as DATABASE_OWNER_URL, granting the application’s role what it needs)',
    )
    .action(async () => {
      await withStore(io, (store) => {
        io.out(`Database ${store.location} is up to date.`);
        return Promise.resolve();
      });
    });

  program
    .command('sync-directory')
    .description(
      'Bring the staff directory up to date from Microsoft Entra ID (Microsoft Graph): people, line managers, roles, leavers',
    )
    .option('--dry-run', 'work out and show what would change, and change nothing', false)
    .addOption(
      new Option(
        '--max-leavers <n>',
        'allow this many leavers in this run (default DIRECTORY_MAX_LEAVERS)',
      ).argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
        return n;
      }),
    )
    .action(async (opts: { dryRun: boolean; maxLeavers?: number }) => {
      const config = readConfig();
      if (!config.directory) {
        io.err(
          'Microsoft Graph is not set up: set GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (or a certificate or managed identity) and the role groups; see the README. Without Graph, use import-staff.',
        );
        process.exitCode = 1;
        return;
      }
      const settings = config.directory;
      await withStore(io, async (store) => {
        let lastPages = 0;
        const result = await directorySyncFor(store, settings, systemClock).run({
          trigger: 'cli',
          dryRun: opts.dryRun,
          ...(opts.maxLeavers !== undefined ? { maxLeavers: opts.maxLeavers } : {}),
          onProgress: (p) => {
            if (p.phase === 'reading users') {
              if (p.pages === 1 || (p.pages ?? 0) - lastPages >= 10) {
                lastPages = p.pages ?? 0;
                io.err(
                  `Reading users from Microsoft Graph: ${(p.users ?? 0).toLocaleString('en-GB')} so far…`,
                );
              }
            } else io.err(`${p.phase[0]!.toUpperCase()}${p.phase.slice(1)}…`);
          },
        });
        if (result.failure) {
          io.err(result.failure.message);
          if (result.failure.kind === 'refused') for (const p of result.failure.problems) io.err(`  ${p}`);
          process.exitCode = 1;
          return;
        }
        reportSync(io, result);
      });
    });

  program
    .command('purge')
    .description(
      'Remove the product’s own data whose period in the own-data schedule has passed (requests, holds, cover, notifications, handled activities, conversation references), keeping anything under a hold or needed; each batch is audited',
    )
    .option('--dry-run', 'show what would go, and remove nothing', false)
    .action(async (opts: { dryRun: boolean }) => {
      const ownData = loadOwnDataSchedule(readConfig().ownDataScheduleFile);
      await withStore(io, async (store) => {
        const outcome = await new PurgeService(store.db, systemClock, ownData).run({
          actorId: CLI_ACTOR,
          dryRun: opts.dryRun,
          onProgress: (kind, removed) =>
            io.err(`${kindSpec(kind).label}: ${removed.toLocaleString('en-GB')} row(s) so far…`),
        });
        if (!outcome.ok) {
          io.err(outcome.message);
          process.exitCode = 1;
          return;
        }
        reportPurge(io, outcome.report);
      });
    });

  program
    .command('subject-access')
    .description(
      'Write everything the product holds about a case or a member of staff (JSON and an Excel workbook) for Information Governance to review; audited',
    )
    .addOption(new Option('--case <ref>', 'a case reference').conflicts('person'))
    .addOption(new Option('--person <id or email>', 'a member of staff: Entra object id or email address'))
    .option('--out <dir>', 'the folder to write the files to', '.')
    .action(async (opts: { case?: string; person?: string; out: string }) => {
      const subject: SubjectAccessSubject | null = opts.case
        ? { kind: 'case', caseRef: opts.case }
        : opts.person
          ? { kind: 'person', idOrEmail: opts.person }
          : null;
      if (!subject) {
        io.err('Say whose data: --case <ref> or --person <staff id or email>.');
        process.exitCode = 2;
        return;
      }
      await withStore(io, async (store) => {
        const outcome = await new SubjectAccessService(store.db, systemClock).reportForCommandLine(subject);
        if (!outcome.ok) {
          io.err(outcome.message);
          process.exitCode = 2;
          return;
        }
        const report = outcome.report;
        const dir = path.resolve(opts.out);
        await mkdir(dir, { recursive: true });
        const files = [
          [subjectAccessFileName(report, 'json'), subjectAccessJson(report)],
          [subjectAccessFileName(report, 'xlsx'), await subjectAccessXlsx(report)],
        ] as const;
        for (const [name, content] of files) {
          // Readable only by whoever ran it, also when a file of the same name was there already.
          await writeFile(path.join(dir, name), content, { mode: 0o600 });
          await chmod(path.join(dir, name), 0o600);
        }
        const subjectText =
          report.subject.kind === 'case'
            ? `Case ${report.subject.caseRef}`
            : report.subject.id
              ? `${report.subject.name ?? report.subject.id} (${report.subject.id})`
              : `${report.subject.asked} (not in the staff directory)`;
        const held = report.sections
          .filter((section) => section.rows.length)
          .map((section) => `${section.title.toLowerCase()} ${section.rows.length}`);
        io.out(
          report.nothingHeld
            ? `${subjectText}: the product holds nothing about them. The files say so.`
            : `${subjectText}: ${held.join(', ')}.`,
        );
        io.out(
          `Wrote ${files.map(([name]) => path.join(dir, name)).join(' and ')} (recorded in the audit log).`,
        );
        io.out(
          'Review them before disclosing anything: they name the staff who acted, and hold what the product keeps as it keeps it.',
        );
      });
    });

  program
    .command('check-own-data-schedule')
    .description('Validate the schedule for the product’s own data (default: the one in force) and show it')
    .argument('[file]', 'JSON or YAML file')
    .action((file?: string) => {
      const ownData = loadOwnDataSchedule(file ?? readConfig().ownDataScheduleFile);
      io.out(`Own-data schedule ${ownData.version} is valid: ${ownData.kinds.length} kinds of data.`);
      for (const entry of ownData.kinds) {
        io.out(`  ${kindSpec(entry.kind).label}: ${describeOwnDataRetention(entry.kind, entry.keep)}.`);
      }
    });

  program
    .command('check-schedule')
    .description('Validate a retention schedule file (default: the one in force)')
    .argument('[file]', 'JSON or YAML schedule file')
    .action((file?: string) => {
      const schedule = loadSchedule(file ?? readConfig().scheduleFile);
      io.out(`Retention schedule ${schedule.version} is valid: ${schedule.classes.length} record classes.`);
    });

  return program;
}

export async function main(argv: string[], io: Io = consoleIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help')
      return 0;
    if (code?.startsWith('commander.')) return 2;
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv);
}
