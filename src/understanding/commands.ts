import type { Intent } from './intents.js';

export interface Command {
  /** What the user types, exactly (case and surrounding spaces do not matter). */
  readonly command: string;
  readonly intent: Intent;
  /** One line for the Teams manifest's command list (at most 128 characters). */
  readonly description: string;
}

/**
 * The commands offered in the Teams manifest. Teams shows at most 10 per command list, so this
 * list stays at 10; `COMMAND_ALIASES` adds typed forms that are recognised but not advertised.
 */
export const COMMANDS = [
  { command: 'help', intent: 'help', description: 'What I can do and how to ask' },
  {
    command: 'request',
    intent: 'removal.request',
    description: "Ask to take a case's records out of the office",
  },
  {
    command: 'my requests',
    intent: 'removal.list_mine',
    description: 'Your requests and the records you have out',
  },
  {
    command: 'returned',
    intent: 'removal.mark_returned',
    description: 'Tell me you have brought records back',
  },
  { command: 'withdraw', intent: 'removal.withdraw', description: 'Withdraw a request you no longer need' },
  { command: 'approvals', intent: 'approvals.pending', description: 'Requests waiting for your approval' },
  {
    command: 'team',
    intent: 'approvals.pending',
    description: 'Records your team has out, and anything overdue',
  },
  {
    command: 'cover',
    intent: 'acting.set',
    description: 'Have a colleague cover your approvals while you are away',
  },
  { command: 'retention', intent: 'retention.class', description: 'How long a kind of record is kept' },
  { command: 'policy', intent: 'policy.question', description: 'Ask about the case records procedure' },
] as const satisfies readonly Command[];

/** Typed forms recognised exactly, beyond the advertised commands. */
export const COMMAND_ALIASES = [
  {
    command: 'recall',
    intent: 'removal.cancel',
    description: 'Cancel an authorisation and ask for the records back',
  },
  { command: 'end cover', intent: 'acting.clear', description: 'Stop a colleague covering your approvals' },
  { command: 'case retention', intent: 'retention.case', description: "A case's retention status" },
  { command: 'holds', intent: 'holds.list', description: 'Holds that stop records being destroyed' },
  { command: 'place hold', intent: 'holds.place', description: 'Put a hold on a case or record' },
  { command: 'release hold', intent: 'holds.release', description: 'Release a hold' },
  { command: 'due', intent: 'destruction.due', description: 'Records due for destruction or review' },
  {
    command: 'new batch',
    intent: 'destruction.batch',
    description: 'Start a destruction batch of the records due',
  },
  {
    command: 'batches',
    intent: 'destruction.batches',
    description: 'Destruction batches, and those waiting for your confirmation',
  },
  { command: 'register', intent: 'register.query', description: 'The register of destroyed records' },
  {
    command: 'export register',
    intent: 'register.export',
    description: 'Download the destruction register (CSV or Excel)',
  },
  { command: 'menu', intent: 'help', description: 'What I can do and how to ask' },
  { command: '?', intent: 'help', description: 'What I can do and how to ask' },
] as const satisfies readonly Command[];

function key(text: string): string {
  return text.trim().replace(/^\//, '').replace(/\s+/g, ' ').toLowerCase();
}

const BY_KEY: ReadonlyMap<string, Command> = new Map(
  [...COMMANDS, ...COMMAND_ALIASES].map((c): [string, Command] => [key(c.command), c]),
);

/** The command typed, if the whole message is one (a leading `/` is allowed). */
export function matchCommand(text: string): Command | undefined {
  return BY_KEY.get(key(text));
}
