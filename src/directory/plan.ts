import { ROLES, type IsoDate, type Role } from '../rules/index.js';
import { checkStaffEntries, managementLoop, type StaffFields } from './checks.js';
import type { DirectoryUser, StaffState } from '../store/directory.js';
import type { UserChange } from './graph.js';

export type { DirectoryUser, StaffState };

// What a sync changes, worked out without I/O: Entra ID's users merged with what the last sync
// knew, who is staff with which roles and line manager, and how that differs from the directory.

export interface NameAndEmail {
  name: string | null;
  email: string | null;
}

export type LeaveReason = 'deleted' | 'disabled' | 'guest' | 'out_of_scope' | 'not_in_entra';

export interface Move {
  id: string;
  from: string | null;
  to: string | null;
}

export interface DirectoryPlan {
  /** Why nothing may be applied; empty when the plan is good. */
  problems: string[];
  /** People who are staff but whose name and address the sync does not have: look them up, plan again. */
  missingNames: string[];
  /** The rows to write: everyone who joins, comes back, changes or leaves. */
  rows: StaffState[];
  joined: string[];
  rejoined: string[];
  /** Name, address or roles changed. */
  updated: string[];
  /** A new line manager, for current staff and for leavers (whose open authorisations follow). */
  moved: Move[];
  left: { id: string; reason: LeaveReason }[];
  /** Current staff after the sync. */
  staff: number;
}

export interface MergedUsers {
  users: Map<string, DirectoryUser>;
  /** Users whose stored state changes. */
  changed: string[];
  /** Names and addresses this read gave. */
  names: Map<string, NameAndEmail>;
}

function isActive(u: DirectoryUser | undefined): boolean {
  return !!u && !u.removed && u.enabled && u.member;
}

/**
 * Entra ID's users after a read: the previous state with the read's changes (a full read also
 * removes whoever it did not list). When Entra drops a user's link to a manager who is leaving,
 * the link is kept, so their requests can go to the manager's manager.
 */
export function mergeUsers(
  previous: ReadonlyMap<string, DirectoryUser>,
  read: { changes: readonly UserChange[]; full: boolean },
): MergedUsers {
  const users = new Map<string, DirectoryUser>();
  previous.forEach((u, id) => users.set(id, { ...u }));
  const names = new Map<string, NameAndEmail>();
  if (read.full) {
    const listed = new Set(read.changes.map((c) => c.id));
    users.forEach((u, id) => {
      if (!listed.has(id)) u.removed = true;
    });
  }
  const cleared = new Map<string, string>();
  for (const change of read.changes) {
    const before = users.get(change.id);
    const user: DirectoryUser = before
      ? { ...before }
      : { id: change.id, managerId: null, enabled: true, member: true, removed: false };
    if (change.removed) {
      user.removed = true;
    } else {
      user.removed = false;
      if (change.enabled !== undefined) user.enabled = change.enabled;
      if (change.member !== undefined) user.member = change.member;
      if (change.managerId !== undefined) {
        if (change.managerId === null && user.managerId) cleared.set(user.id, user.managerId);
        else cleared.delete(user.id);
        user.managerId = change.managerId;
      }
      if (change.name !== undefined || change.email !== undefined) {
        const known = names.get(change.id);
        names.set(change.id, {
          name: change.name !== undefined ? change.name : (known?.name ?? null),
          email: change.email !== undefined ? change.email : (known?.email ?? null),
        });
      }
    }
    users.set(change.id, user);
  }
  for (const [id, manager] of cleared) {
    if (!isActive(users.get(manager))) users.get(id)!.managerId = manager;
  }
  const changed = [...users.values()]
    .filter((u) => {
      const p = previous.get(u.id);
      return (
        !p ||
        p.managerId !== u.managerId ||
        p.enabled !== u.enabled ||
        p.member !== u.member ||
        p.removed !== u.removed
      );
    })
    .map((u) => u.id);
  return { users, changed, names };
}

export interface PlanInput {
  users: ReadonlyMap<string, DirectoryUser>;
  /** Who holds each role through a group or an app role (any object id; only active users count). */
  roleHolders: ReadonlyMap<Role, ReadonlySet<string>>;
  /** The directory now, leavers included. */
  staff: ReadonlyMap<string, StaffState>;
  names: ReadonlyMap<string, NameAndEmail>;
  today: IsoDate;
  maxLeavers: number;
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}

/**
 * Who is staff after the sync: everyone active who holds a role, and the managers above them.
 * Each person's line manager is the first active manager up their chain in Entra ID (so when a
 * manager leaves, their reports go to the manager's manager); anyone with reports is a line manager.
 */
export function planDirectory(input: PlanInput): DirectoryPlan {
  const { users, staff } = input;
  const problems: string[] = [];
  const active = (id: string) => isActive(users.get(id));
  const rawManager = (id: string): string | null =>
    users.has(id) ? users.get(id)!.managerId : (staff.get(id)?.lineManagerId ?? null);

  const roles = new Map<string, Set<Role>>();
  for (const role of ROLES) {
    for (const id of input.roleHolders.get(role) ?? []) {
      if (!active(id)) continue;
      const set = roles.get(id) ?? new Set<Role>();
      set.add(role);
      roles.set(id, set);
    }
  }

  // The chain above each role holder, stopping at a loop (reported once).
  const loops = new Map<string, string[]>();
  const walked = new Set<string>();
  const scope = new Set<string>();
  const firstActiveAbove = (id: string): string | null => {
    const seen = new Set([id]);
    for (let m = rawManager(id); m !== null; m = rawManager(m)) {
      if (seen.has(m)) return null;
      seen.add(m);
      if (active(m)) return m;
    }
    return null;
  };
  for (const holder of roles.keys()) {
    scope.add(holder);
    const seen = new Set<string>();
    for (let id: string | null = holder; id !== null && !seen.has(id); id = rawManager(id)) {
      seen.add(id);
      if (active(id)) scope.add(id);
      if (walked.has(id)) continue;
      walked.add(id);
      const loop = managementLoop(id, rawManager);
      if (loop) {
        // Told from its smallest id, so the same loop always reads the same.
        const ring = loop.slice(0, -1);
        const first = ring.indexOf([...ring].sort()[0]!);
        const from = [...ring.slice(first), ...ring.slice(0, first)];
        const key = from.join(',');
        if (!loops.has(key)) loops.set(key, [...from, from[0]!]);
      }
    }
  }
  for (const loop of loops.values()) {
    problems.push(
      `Management loop in Microsoft Entra ID: ${loop.join(' → ')}. Give one of them another manager.`,
    );
  }

  const managerOf = new Map<string, string | null>();
  for (const id of scope) managerOf.set(id, loops.size ? null : firstActiveAbove(id));
  for (const manager of managerOf.values()) {
    if (manager) {
      const set = roles.get(manager) ?? new Set<Role>();
      set.add('line_manager');
      roles.set(manager, set);
    }
  }

  const missingNames: string[] = [];
  const items: { key: string; fields: StaffFields }[] = [];
  for (const id of [...scope].sort()) {
    const known = input.names.get(id);
    const before = staff.get(id);
    const name = known?.name ?? before?.name ?? null;
    const email = known?.email ?? before?.email ?? null;
    if (name === null && email === null && !known) {
      missingNames.push(id);
      continue;
    }
    items.push({
      key: id,
      fields: {
        aad_object_id: id,
        display_name: name ?? '',
        email: email ?? '',
        roles: ROLES.filter((r) => roles.get(id)?.has(r)).join(';'),
        line_manager_aad_object_id: managerOf.get(id) ?? '',
      },
    });
  }
  const checked = checkStaffEntries(items, { where: (id) => `user ${id}`, existing: new Map() });
  for (const e of checked.errors) problems.push(`User ${e.key} in Microsoft Entra ID: ${e.message}.`);

  const plan: DirectoryPlan = {
    problems,
    missingNames,
    rows: [],
    joined: [],
    rejoined: [],
    updated: [],
    moved: [],
    left: [],
    staff: scope.size,
  };
  for (const { entry } of checked.valid) {
    const before = staff.get(entry.id);
    const row: StaffState = {
      id: entry.id,
      name: entry.name,
      email: entry.email,
      roles: entry.roles,
      lineManagerId: entry.managerId,
      leftOn: null,
    };
    let changed = true;
    if (!before) plan.joined.push(entry.id);
    else if (before.leftOn) plan.rejoined.push(entry.id);
    else if (before.name !== row.name || before.email !== row.email || !sameRoles(before.roles, row.roles)) {
      plan.updated.push(entry.id);
    } else changed = before.lineManagerId !== row.lineManagerId;
    if (before && !before.leftOn && before.lineManagerId !== row.lineManagerId) {
      plan.moved.push({ id: entry.id, from: before.lineManagerId, to: row.lineManagerId });
    }
    if (changed) plan.rows.push(row);
  }

  for (const before of staff.values()) {
    if (scope.has(before.id)) continue;
    const user = users.get(before.id);
    const manager = loops.size ? before.lineManagerId : firstActiveAbove(before.id);
    if (!before.leftOn) {
      const reason: LeaveReason = !user
        ? 'not_in_entra'
        : user.removed
          ? 'deleted'
          : !user.enabled
            ? 'disabled'
            : !user.member
              ? 'guest'
              : 'out_of_scope';
      plan.left.push({ id: before.id, reason });
      plan.rows.push({ ...before, roles: [], lineManagerId: manager, leftOn: input.today });
    } else if (manager !== before.lineManagerId) {
      plan.rows.push({ ...before, lineManagerId: manager });
    } else continue;
    if (manager !== before.lineManagerId)
      plan.moved.push({ id: before.id, from: before.lineManagerId, to: manager });
  }
  if (plan.left.length > input.maxLeavers) {
    problems.push(
      `${plan.left.length} people would leave the staff directory, more than the ${input.maxLeavers} a sync may remove (DIRECTORY_MAX_LEAVERS). Check the group and app role settings; if this is right, run the sync once with a higher limit.`,
    );
  }
  return plan;
}
