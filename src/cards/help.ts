import helpTemplate from '../../cards/help.json' with { type: 'json' };
import { bind, type CardJson } from './render.js';

const EXAMPLES = [
  {
    heading: 'Take records out of the office',
    text: '"I need to take the file for case 1234567 home tonight to finish the court report, back Friday"',
  },
  {
    heading: 'Your requests',
    text: '"show my requests", "I\'ve brought the file for 1234567 back", "withdraw my request"',
  },
  {
    heading: 'For line managers',
    text: '"any approvals waiting for me?", "cancel Sam\'s authorisation for 1234567, the case is going to court", "Priya is covering my approvals until 12 January"',
  },
  {
    heading: 'Retention and the procedure',
    text: '"how long do we keep adoption records?", "retention status of case 1234567", "can I use a memory stick at home?"',
  },
];

/** What the bot can do, with examples of what to say, after `intro`. */
export function helpCard(intro: string): CardJson {
  return bind(helpTemplate, { title: 'Case Records Assistant', intro, examples: EXAMPLES });
}
