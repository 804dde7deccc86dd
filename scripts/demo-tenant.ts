import type { FakeGraph } from '../test/support/fake-graph.js';
import { DEMO_STAFF } from './demo-directory.js';

// The demo council's Microsoft Entra ID, for the fake Graph: the demo directory's people with
// the same managers, security groups for the roles, one more case worker, a guest and a shared
// mailbox (not staff), and the changes a newcomer can make happen: a mover and a leaver.

/** The fixed token the fake Graph accepts in the demo (GRAPH_DEV_TOKEN). */
export const DEMO_GRAPH_TOKEN = 'demo-graph-token';

/** The security groups whose members hold the roles (GRAPH_GROUPS_…). */
export const DEMO_GROUPS = {
  caseWorkers: '4e1d7c20-0001-4f3a-9b8e-0000000000c1',
  /** Nested in the case workers group. */
  teamB: '4e1d7c20-0002-4f3a-9b8e-0000000000c2',
  recordsManagement: '4e1d7c20-0003-4f3a-9b8e-0000000000c3',
} as const;

/** Someone only Entra ID knows about: a case worker in Rosa Lind's team. */
export const LEE_GRANT = { id: '6f1c2a4e-0011-4b7a-9c1e-000000000011', name: 'Lee Grant' } as const;

const idOf = (first: string) => DEMO_STAFF.find((p) => p.name.split(' ')[0] === first)!.id;

/** The settings that point the sync at the fake Graph at `url`. */
export function demoGraphSettings(url: string): Record<string, string> {
  return {
    GRAPH_BASE_URL: url,
    GRAPH_DEV_TOKEN: DEMO_GRAPH_TOKEN,
    GRAPH_GROUPS_CASE_WORKER: DEMO_GROUPS.caseWorkers,
    GRAPH_GROUPS_RECORDS_MANAGEMENT: DEMO_GROUPS.recordsManagement,
  };
}

/** Fills the fake Graph with the demo tenant. */
export function seedDemoTenant(graph: FakeGraph): void {
  graph.token = DEMO_GRAPH_TOKEN;
  for (const person of DEMO_STAFF) {
    const manager = person.manager ? DEMO_STAFF.find((p) => p.id.split('-')[1] === person.manager)!.id : null;
    graph.addUser({ id: person.id, displayName: person.name, managerId: manager });
  }
  graph.addUser({ id: LEE_GRANT.id, displayName: LEE_GRANT.name, managerId: idOf('Rosa') });
  graph.addUser({
    id: '6f1c2a4e-0090-4b7a-9c1e-000000000090',
    displayName: 'Visiting Auditor',
    userType: 'Guest',
    mail: null,
    userPrincipalName: 'auditor_partner.example#EXT#@council.onmicrosoft.com',
  });
  graph.addUser({
    id: '6f1c2a4e-0091-4b7a-9c1e-000000000091',
    displayName: 'Children’s Services Duty Desk',
    accountEnabled: false,
  });
  const caseWorkers = DEMO_STAFF.filter((p) => p.roles.includes('case_worker')).map((p) => p.id);
  const teamB = [idOf('Chris'), idOf('Rosa'), LEE_GRANT.id];
  graph.setGroup(DEMO_GROUPS.teamB, teamB);
  graph.setGroup(DEMO_GROUPS.caseWorkers, [
    ...caseWorkers.filter((id) => !teamB.includes(id)),
    DEMO_GROUPS.teamB,
  ]);
  graph.setGroup(
    DEMO_GROUPS.recordsManagement,
    DEMO_STAFF.filter((p) => p.roles.includes('records_management')).map((p) => p.id),
  );
}

/** What a newcomer can make happen in the demo tenant, one step at a time. */
export const DEMO_CHANGES: { title: string; apply: (graph: FakeGraph) => void }[] = [
  {
    title: 'Sam Taylor moves from Priya Shah’s team to Tom Hughes’s',
    apply: (graph) => graph.updateUser(idOf('Sam'), { managerId: idOf('Tom') }),
  },
  {
    title: 'Priya Shah leaves: her account is disabled',
    apply: (graph) => graph.updateUser(idOf('Priya'), { accountEnabled: false }),
  },
];
