import { refuse, type Refusal } from './refusal.js';

export const ROLES = ['case_worker', 'line_manager', 'records_management'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  case_worker: 'case worker',
  line_manager: 'line manager',
  records_management: 'Records Management officer',
};

/**
 * What anyone outside the staff directory (never in it, or a leaver) is told when they ask about a
 * case, a record or a request, in chat, on a card or in the tab: one sentence, nothing of the case.
 */
export const NOT_SET_UP =
  'You are not in the staff directory for Case Records Assistant, so I cannot show you anything about cases, records or requests: ask your Records Management Service to set you up.';

/** Who is acting, as the authenticated activity or token says, with roles from the staff directory. */
export interface Actor {
  id: string;
  roles: readonly Role[];
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role);
}

/**
 * Refuses anyone who is not a Records Management officer (or not in the staff directory at all);
 * `doing` completes "Only the Records Management Service can …", `advice` says what to do instead.
 */
export function requireRecordsManagement(
  actor: Actor | undefined | null,
  doing: string,
  advice = 'Ask the Records Management Service if you think a record should be destroyed.',
): Refusal | null {
  if (!actor) return refuse('not_in_directory', NOT_SET_UP);
  if (hasRole(actor, 'records_management')) return null;
  return refuse(
    'not_records_management',
    `Only the Records Management Service can ${doing}.${advice ? ` ${advice}` : ''}`,
  );
}

/** The views of the work a person has: their team's requests, the Records Management queues. */
export interface WorkViews {
  /** A line manager, or someone covering for one today. */
  team: boolean;
  recordsManagement: boolean;
}

export function workViews(actor: Actor, managersCovered: number): WorkViews {
  return {
    team: hasRole(actor, 'line_manager') || managersCovered > 0,
    recordsManagement: hasRole(actor, 'records_management'),
  };
}
