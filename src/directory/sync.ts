import { randomUUID } from 'node:crypto';
import type { Role } from '../rules/index.js';
import { today, type Clock } from '../services/clock.js';
import type { Store } from '../store/connection.js';
import { unlessRunningElsewhere } from '../store/dialect.js';
import { directorySyncState, loadDirectoryUsers, loadStaffStates } from '../store/directory.js';
import { applyDirectoryPlan, ConcurrentSyncError, type Consequences } from './apply.js';
import type { DirectorySettings } from './config.js';
import { createCredential } from './credentials.js';
import { GraphDirectory, GraphDirectoryError, type UsersRead } from './graph.js';
import { mergeUsers, planDirectory, type DirectoryPlan, type NameAndEmail } from './plan.js';

export interface SyncProgress {
  phase: 'reading users' | 'reading roles' | 'looking up people' | 'applying';
  pages?: number;
  users?: number;
}

export interface SyncOptions {
  trigger: 'cli' | 'schedule';
  /** Work out and report everything, change nothing. */
  dryRun?: boolean;
  /** Overrides the settings' limit on leavers for this run. */
  maxLeavers?: number;
  onProgress?: (p: SyncProgress) => void;
}

export type SyncFailure =
  | { kind: GraphDirectoryError['kind']; message: string }
  | { kind: 'refused'; message: string; problems: string[] }
  | { kind: 'concurrent'; message: string }
  | { kind: 'busy'; message: string };

export interface SyncResult {
  ok: boolean;
  dryRun: boolean;
  /** A full read of Entra ID, or the changes since the last sync. */
  read: 'full' | 'changes' | null;
  pages: number;
  /** Users the read reported. */
  usersRead: number;
  plan: DirectoryPlan | null;
  /** What followed for requests and authorisations (what would, in a dry run). */
  consequences: Consequences | null;
  failure: SyncFailure | null;
  /** Names of the people the result mentions, for the command line (never for logs). */
  names: Map<string, string>;
}

/** Thrown to roll a dry run's transaction back after working out its consequences. */
class DryRun extends Error {
  constructor(readonly consequences: Consequences) {
    super('dry run');
  }
}

const LOCK = 'case_records_assistant.directory_sync';

/**
 * Synchronises the staff directory with Microsoft Entra ID: reads users and managers (the delta
 * query, from where the last sync stopped), the role groups and app roles, works out who is
 * staff, and applies it all in one transaction, or nothing. On PostgreSQL one instance syncs at
 * a time (an advisory lock); another that tries meanwhile skips its turn.
 */
export class DirectorySync {
  private running = false;

  constructor(
    private readonly store: Store,
    private readonly graph: GraphDirectory,
    private readonly clock: Clock,
    private readonly settings: Pick<DirectorySettings, 'roleGroups' | 'appRolesAppId' | 'maxLeavers'>,
  ) {}

  async run(options: SyncOptions): Promise<SyncResult> {
    if (this.running) return this.busy(options);
    this.running = true;
    try {
      return await unlessRunningElsewhere(
        this.store.db,
        LOCK,
        () => this.runLocked(options),
        () => this.busy(options),
      );
    } finally {
      this.running = false;
    }
  }

  private busy(options: SyncOptions): SyncResult {
    return this.result(options, {
      failure: { kind: 'busy', message: 'Another directory sync is running; this one did nothing.' },
    });
  }

  private result(options: SyncOptions, fields: Partial<SyncResult>): SyncResult {
    return {
      ok: false,
      dryRun: options.dryRun ?? false,
      read: null,
      pages: 0,
      usersRead: 0,
      plan: null,
      consequences: null,
      failure: null,
      names: new Map(),
      ...fields,
    };
  }

  private async readRoles(): Promise<Map<Role, Set<string>>> {
    const holders = new Map<Role, Set<string>>();
    const add = (role: Role, ids: Iterable<string>) => {
      const set = holders.get(role) ?? new Set<string>();
      for (const id of ids) set.add(id);
      holders.set(role, set);
    };
    for (const [role, groups] of Object.entries(this.settings.roleGroups) as [Role, string[]][]) {
      for (const group of groups) add(role, await this.graph.groupMembers(group));
    }
    if (this.settings.appRolesAppId) {
      for (const [role, ids] of await this.graph.appRoleHolders(this.settings.appRolesAppId)) add(role, ids);
    }
    return holders;
  }

  private async runLocked(options: SyncOptions): Promise<SyncResult> {
    const db = this.store.db;
    const progress = options.onProgress ?? (() => undefined);
    let read: UsersRead | null = null;
    try {
      const start = await directorySyncState(db);
      read = await this.graph.readUsers(start.deltaLink, (p) => progress({ phase: 'reading users', ...p }));
      progress({ phase: 'reading roles' });
      const roleHolders = await this.readRoles();

      const previous = await loadDirectoryUsers(db);
      const merged = mergeUsers(previous, read);
      const names = new Map<string, NameAndEmail>(merged.names);
      const maxLeavers = options.maxLeavers ?? this.settings.maxLeavers;
      const planFrom = async () =>
        planDirectory({
          users: merged.users,
          roleHolders,
          staff: await loadStaffStates(db),
          names,
          today: today(this.clock),
          maxLeavers,
        });
      let plan = await planFrom();
      if (!plan.problems.length && plan.missingNames.length) {
        progress({ phase: 'looking up people', users: plan.missingNames.length });
        for (const id of plan.missingNames) {
          const user = await this.graph.user(id);
          names.set(id, { name: user?.name ?? null, email: user?.email ?? null });
        }
        plan = await planFrom();
      }
      const base = {
        read: read.full ? ('full' as const) : ('changes' as const),
        pages: read.pages,
        usersRead: read.changes.length,
        plan,
        names: await this.namesOf(plan, names),
      };
      if (plan.problems.length) {
        return this.result(options, {
          ...base,
          failure: {
            kind: 'refused',
            message: `The directory sync found ${plan.problems.length} problem(s) in Microsoft Entra ID and changed nothing.`,
            problems: plan.problems,
          },
        });
      }

      progress({ phase: 'applying' });
      const runId = randomUUID();
      const input = {
        plan,
        users: merged.changed.map((id) => merged.users.get(id)!),
        deltaLink: read.deltaLink,
        generation: start.generation,
        runId,
        trigger: options.trigger,
        full: read.full,
        at: this.clock.now().toISOString(),
        today: today(this.clock),
      };
      let consequences: Consequences;
      try {
        consequences = await db.transaction().execute(async (trx) => {
          const done = await applyDirectoryPlan(trx, input);
          if (options.dryRun) throw new DryRun(done);
          return done;
        });
      } catch (error) {
        if (!(error instanceof DryRun)) throw error;
        consequences = error.consequences;
      }
      return this.result(options, { ...base, ok: true, consequences });
    } catch (error) {
      if (error instanceof GraphDirectoryError) {
        return this.result(options, {
          read: read ? (read.full ? 'full' : 'changes') : null,
          failure: { kind: error.kind, message: `${error.message} Nothing was changed.` },
        });
      }
      if (error instanceof ConcurrentSyncError) {
        return this.result(options, { failure: { kind: 'concurrent', message: error.message } });
      }
      throw error;
    }
  }

  /** The names of everyone the plan mentions, as the directory will have them (or had them). */
  private async namesOf(plan: DirectoryPlan, fresh: Map<string, NameAndEmail>): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const staff = await loadStaffStates(this.store.db);
    staff.forEach((s) => names.set(s.id, s.name));
    fresh.forEach((n, id) => {
      if (n.name) names.set(id, n.name);
    });
    plan.rows.forEach((r) => names.set(r.id, r.name));
    return names;
  }
}

/** The directory sync the settings describe: Graph at their address, signed in as they say. */
export function directorySyncFor(store: Store, settings: DirectorySettings, clock: Clock): DirectorySync {
  const graph = new GraphDirectory(createCredential(settings.auth), { baseUrl: settings.graphBaseUrl });
  return new DirectorySync(store, graph, clock, settings);
}
