/**
 * What a message asks for. `None` is anything outside the bot's domain. The `holds.*`,
 * `destruction.*` and `register.*` intents are the Records Management Service's.
 */
export const INTENTS = [
  'removal.request',
  'removal.list_mine',
  'removal.mark_returned',
  'removal.withdraw',
  'approvals.pending',
  'removal.cancel',
  'acting.set',
  'acting.clear',
  'retention.class',
  'retention.case',
  'policy.question',
  'holds.place',
  'holds.list',
  'holds.release',
  'destruction.due',
  'destruction.batch',
  'destruction.batches',
  'register.query',
  'register.export',
  'help',
  'None',
] as const;

export type Intent = (typeof INTENTS)[number];

const KNOWN: ReadonlySet<string> = new Set(INTENTS);

export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && KNOWN.has(value);
}
