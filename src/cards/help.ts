import helpTemplate from '../../cards/help.json' with { type: 'json' };
import type { Role } from '../rules/index.js';
import { capabilitiesFor, type Capability, type Intent } from '../understanding/index.js';
import { bind, type CardJson } from './render.js';

/** The headings of the help card, in order, and the intents under each. */
const SECTIONS: readonly { heading: string; intents: readonly Intent[] }[] = [
  {
    heading: 'Taking records out of the office',
    intents: ['removal.request', 'removal.list_mine', 'removal.mark_returned', 'removal.withdraw'],
  },
  {
    heading: 'Retention and the procedure',
    intents: ['retention.class', 'retention.case', 'policy.question'],
  },
  {
    heading: 'For line managers',
    intents: ['approvals.pending', 'removal.decide', 'removal.cancel', 'acting.set', 'acting.clear'],
  },
  {
    heading: 'For the Records Management Service',
    intents: [
      'destruction.due',
      'destruction.batch',
      'destruction.batches',
      'destruction.confirm',
      'holds.place',
      'holds.release',
      'holds.list',
      'review.list',
      'register.query',
      'register.export',
    ],
  },
];

const EVERY_ROLE: readonly Role[] = ['case_worker', 'line_manager', 'records_management'];

export interface HelpOptions {
  /** Whose help: what these roles can say (every role's when omitted, as on installation). */
  roles?: readonly Role[];
  /** The person's own work now, a line each ("2 requests wait for your decision"). */
  work?: readonly string[];
}

function sections(capabilities: readonly Capability[]) {
  return SECTIONS.map((s) => ({
    heading: s.heading,
    items: capabilities
      .filter((c) => s.intents.includes(c.intent))
      .map((c) => ({ title: c.title, example: c.example })),
  })).filter((s) => s.items.length);
}

/**
 * What the person can say, by their roles, each with an example the understanding reads as
 * that request, after `intro`; and their own work now, when given.
 */
export function helpCard(intro: string, options: HelpOptions = {}): CardJson {
  return bind(helpTemplate, {
    title: 'Case Records Assistant',
    intro,
    work: options.work ?? [],
    sections: sections(capabilitiesFor(options.roles ?? EVERY_ROLE)),
  });
}
