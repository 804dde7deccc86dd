export const ROLES = ['case_worker', 'line_manager', 'records_management'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  case_worker: 'case worker',
  line_manager: 'line manager',
  records_management: 'Records Management officer',
};

/** Who is acting, as the authenticated activity or token says, with roles from the staff directory. */
export interface Actor {
  id: string;
  roles: readonly Role[];
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role);
}
