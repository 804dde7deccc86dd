/** What a message asks for. `None` is anything outside the bot's domain. */
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
  'help',
  'None',
] as const;

export type Intent = (typeof INTENTS)[number];

const KNOWN: ReadonlySet<string> = new Set(INTENTS);

export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && KNOWN.has(value);
}
