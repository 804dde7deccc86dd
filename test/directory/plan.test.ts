import { describe, expect, it } from 'vitest';
import type { UserChange } from '../../src/directory/graph.js';
import {
  mergeUsers,
  planDirectory,
  type DirectoryUser,
  type PlanInput,
  type StaffState,
} from '../../src/directory/plan.js';
import type { Role } from '../../src/rules/index.js';

// Working out a sync without I/O: merging Entra ID's changes, and who is staff under whom.

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const user = (n: number, fields: Partial<DirectoryUser> = {}): DirectoryUser => ({
  id: id(n),
  managerId: null,
  enabled: true,
  member: true,
  removed: false,
  ...fields,
});
const users = (...list: DirectoryUser[]) => new Map(list.map((u) => [u.id, u]));
const named = (...ns: number[]) =>
  new Map(ns.map((n) => [id(n), { name: `Person ${n}`, email: `person.${n}@council.example` }]));

function input(fields: Partial<PlanInput> & Pick<PlanInput, 'users'>): PlanInput {
  return {
    roleHolders: new Map<Role, Set<string>>([['case_worker', new Set([id(3), id(4)])]]),
    staff: new Map(),
    names: named(1, 2, 3, 4, 5),
    today: '2026-11-26',
    maxLeavers: 25,
    ...fields,
  };
}

describe('mergeUsers', () => {
  const before = users(user(1), user(2, { managerId: id(1) }), user(3, { managerId: id(2) }));

  it('applies changes; absent fields stay as they were', () => {
    const changes: UserChange[] = [
      { id: id(3), removed: false, name: 'Sam', email: 'sam@council.example' },
      { id: id(2), removed: false, enabled: false },
      { id: id(4), removed: false, managerId: id(1), name: 'Jo', email: null },
    ];
    const merged = mergeUsers(before, { changes, full: false });
    expect(merged.users.get(id(3))).toEqual(user(3, { managerId: id(2) }));
    expect(merged.users.get(id(2))).toEqual(user(2, { managerId: id(1), enabled: false }));
    expect(merged.users.get(id(4))).toEqual(user(4, { managerId: id(1) }));
    expect(merged.changed.sort()).toEqual([id(2), id(4)]);
    expect(merged.names.get(id(4))).toEqual({ name: 'Jo', email: null });
  });

  it('a full read removes whoever it did not list, keeping their manager', () => {
    const merged = mergeUsers(before, {
      changes: [
        { id: id(1), removed: false },
        { id: id(3), removed: false },
      ],
      full: true,
    });
    expect(merged.users.get(id(2))).toEqual(user(2, { managerId: id(1), removed: true }));
    expect(merged.changed).toEqual([id(2)]);
  });

  it('a link to a manager who is going is kept when Entra drops it; to one who stays, it goes', () => {
    const gone = mergeUsers(before, {
      changes: [
        { id: id(3), removed: false, managerId: null },
        { id: id(2), removed: true },
      ],
      full: false,
    });
    expect(gone.users.get(id(3))?.managerId).toBe(id(2));
    const cleared = mergeUsers(before, {
      changes: [{ id: id(3), removed: false, managerId: null }],
      full: false,
    });
    expect(cleared.users.get(id(3))?.managerId).toBeNull();
  });
});

describe('planDirectory', () => {
  it('role holders and the managers above them; a disabled manager is passed over', () => {
    const plan = planDirectory(
      input({
        users: users(
          user(1),
          user(2, { managerId: id(1), enabled: false }),
          user(3, { managerId: id(2) }),
          user(4, { managerId: id(3) }),
          user(5, { managerId: id(1) }),
        ),
      }),
    );
    expect(plan.problems).toEqual([]);
    expect(plan.joined).toEqual([id(1), id(3), id(4)]);
    const row = (n: number) => plan.rows.find((r) => r.id === id(n));
    expect(row(1)).toMatchObject({ roles: ['line_manager'], lineManagerId: null });
    expect(row(3)).toMatchObject({ roles: ['case_worker', 'line_manager'], lineManagerId: id(1) });
    expect(row(4)).toMatchObject({ roles: ['case_worker'], lineManagerId: id(3) });
    expect(plan.staff).toBe(3);
  });

  it('guests and disabled people hold no roles', () => {
    const plan = planDirectory(
      input({ users: users(user(3, { member: false }), user(4, { enabled: false })) }),
    );
    expect(plan.rows).toEqual([]);
  });

  it('a loop is a problem, told once from its smallest id', () => {
    const plan = planDirectory(
      input({
        users: users(
          user(3, { managerId: id(5) }),
          user(4, { managerId: id(3) }),
          user(5, { managerId: id(4) }),
        ),
      }),
    );
    expect(plan.problems).toEqual([
      `Management loop in Microsoft Entra ID: ${id(3)} → ${id(5)} → ${id(4)} → ${id(3)}. Give one of them another manager.`,
    ]);
  });

  it('people it has no name for are asked for; bad names and addresses are problems', () => {
    const missing = planDirectory(input({ users: users(user(3), user(4)), names: named(3) }));
    expect(missing.missingNames).toEqual([id(4)]);
    const bad = planDirectory(
      input({
        users: users(user(3), user(4)),
        names: new Map([
          [id(3), { name: null, email: 'x@council.example' }],
          [id(4), { name: 'Jo', email: 'not an address' }],
        ]),
      }),
    );
    expect(bad.problems).toEqual([
      `User ${id(3)} in Microsoft Entra ID: display_name is empty.`,
      `User ${id(4)} in Microsoft Entra ID: email is not an email address.`,
    ]);
  });

  it('leavers keep their row with the date; the manager follows them up the chain', () => {
    const staff = new Map<string, StaffState>(
      [
        {
          id: id(3),
          name: 'Sam',
          email: 's@c.example',
          roles: ['case_worker'] as Role[],
          lineManagerId: id(2),
          leftOn: null,
        },
        {
          id: id(2),
          name: 'Priya',
          email: 'p@c.example',
          roles: ['line_manager'] as Role[],
          lineManagerId: id(1),
          leftOn: null,
        },
        {
          id: id(1),
          name: 'Helen',
          email: 'h@c.example',
          roles: ['line_manager'] as Role[],
          lineManagerId: null,
          leftOn: null,
        },
        {
          id: id(9),
          name: 'Old CSV row',
          email: 'o@c.example',
          roles: ['case_worker'] as Role[],
          lineManagerId: id(2),
          leftOn: null,
        },
      ].map((s) => [s.id, s]),
    );
    const plan = planDirectory(
      input({
        users: users(user(1), user(2, { managerId: id(1), removed: true }), user(3, { managerId: id(2) })),
        roleHolders: new Map([['case_worker', new Set([id(3)])]]),
        staff,
        names: new Map(),
      }),
    );
    expect(plan.left).toEqual([
      { id: id(2), reason: 'deleted' },
      { id: id(9), reason: 'not_in_entra' },
    ]);
    expect(plan.rows.find((r) => r.id === id(2))).toEqual({
      id: id(2),
      name: 'Priya',
      email: 'p@c.example',
      roles: [],
      lineManagerId: id(1),
      leftOn: '2026-11-26',
    });
    expect(plan.moved).toEqual([
      { id: id(3), from: id(2), to: id(1) },
      { id: id(9), from: id(2), to: id(1) },
    ]);
    expect(
      planDirectory(input({ users: users(user(3)), staff, names: new Map(), maxLeavers: 2 })).problems,
    ).toEqual([
      '3 people would leave the staff directory, more than the 2 a sync may remove (DIRECTORY_MAX_LEAVERS). Check the group and app role settings; if this is right, run the sync once with a higher limit.',
    ]);
  });
});
