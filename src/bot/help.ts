import { helpCard, type CardJson } from '../cards/index.js';

export function helpFor(intro: string): CardJson {
  return helpCard({
    title: 'Case Records Assistant',
    intro,
    examples: [
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
    ],
  });
}
