/**
 * A colleague's (or child's) first name, found only where the wording points to a person:
 * "Jo's records", "Priya is covering", "tell Tom", "delegate my approvals to Sam",
 * "the authorisation for Chris, ...". A name is a capitalised word; days, months, "I" and
 * ordinary words that start a sentence ("Please", "Records", "Cancel") are never names.
 * Names written in lower case are not recognised.
 */

const NAME = "[A-Z][a-z]+(?:-[A-Z]?[a-z]+|'[A-Z][a-z]+)?";
const SURNAME = `(?:\\s+${NAME})?`;

const NOT_NAMES = new Set(
  `
  i me my mine we us our you your he him his she her they them their it its this that these those
  a an the some any all every each no not yes ok okay please thanks thank cheers hi hello hey hiya
  morning afternoon evening dear
  what when where who whom whose why how which whether if can could would should will shall may
  might must do does did done is are was were be been being am has have had having need needs
  want wants let lets get gets got make set give take took stop end remove ask tell show list
  cancel recall revoke withdraw approve decline authorise authorize check find send bring return
  returned keep hold put mark log sign book request requesting could also just still only
  monday tuesday wednesday thursday friday saturday sunday mon tue tues wed weds thu thur thurs fri
  sat sun january february march april june july august september october november december jan
  feb mar apr jun jul aug sep sept oct nov dec today tomorrow tonight yesterday weekend christmas
  easter
  records record file files case cases paperwork bundle bundles papers notes team manager
  managers council court courts hearing meeting conference panel office admin legal police
  family families child children childs mum dad nan gran parent parents carer carers foster
  social worker workers staff everyone someone anyone nobody colleague colleagues livelink teams
  outlook bot assistant retention policy procedure adoption fostering review school nursery centre
  home house sorry great fine good new old urgent important quick also then now so and or but
  `
    .split(/\s+/)
    .filter(Boolean),
);

const SUBJECT_VERBS =
  "is|isn't|will|won't|can|could|would|should|must|has|hasn't|have|needs|need|to|was|does|doesn't|cover|covers|covering|approve|approves|approving|acting|deputising|deputizing|signing|bring|brings|return|returns";
const OBJECT_VERBS =
  'tell|ask|asking|get|let|remind|chase|need|want|make|set|set up|put|appoint|add|give|nominate|remove|take|stop|from|with|by|cc|email|message|phone|call|instruct|recall|revoke|cancel';
const PLACE_WORDS = 'family|centre|center|council|court|road|street|school|house|hospital|station|office';

const PATTERNS: readonly RegExp[] = [
  // Jo's records, Sam Jones's authorisation, J's file
  new RegExp(`\\b(${NAME}|[A-Z])${SURNAME}(?:'s|')(?=[\\s,.;:!?]|$)`, 'dg'),
  // Priya is covering, Tom will approve, Sam needs to bring
  new RegExp(`\\b(${NAME})${SURNAME}\\s+(?:${SUBJECT_VERBS})\\b`, 'dg'),
  // tell Tom, ask Jo, covered by Alex (not "from Stevenage family centre")
  new RegExp(`\\b(?:${OBJECT_VERBS})\\s+(${NAME})\\b(?!\\s+(?:${PLACE_WORDS})\\b)`, 'dgi'),
  // delegate my approvals to Sam, hand cover over to Priya
  new RegExp(
    `\\b(?:approvals?|approving|authorisations?|cover|over|delegate(?:\\s+\\w+){0,2}|hand(?:\\s+\\w+){0,2}|pass(?:\\s+\\w+){0,2})\\s+to\\s+(${NAME})\\b`,
    'dgi',
  ),
  // the authorisation for Chris, as ...
  new RegExp(
    `\\bfor\\s+(${NAME})${SURNAME}(?=\\s*(?:[,.;!?]|$)|\\s+(?:as|because|since|now|today|please|until|till|while|from|and|immediately|straight away)\\b)`,
    'dg',
  ),
  // Nina as my deputy, Tom as cover
  new RegExp(
    `\\b(${NAME})\\s+as\\s+(?:my\\s+|the\\s+|an?\\s+)?(?:cover|deputy|acting|approver|delegate|stand-in)`,
    'dg',
  ),
  // acting manager Priya, my deputy is Sam, cover for my approvals: Jo
  new RegExp(`\\b(?:manager|deputy|cover|covering|approvals)\\s*(?:is|will be|:|-)?\\s*(${NAME})\\b`, 'dgi'),
];

/** Capitalised, not all capitals (LAC, CP), not an ordinary word. */
function isName(word: string): boolean {
  if (!/^[A-Z](?:[a-z]+(?:-[A-Z]?[a-z]+|'[A-Z][a-z]+)?)?$/.test(word)) return false;
  return !NOT_NAMES.has(word.toLowerCase());
}

export interface PersonNameMatch {
  readonly name: string;
  readonly index: number;
}

/** Every name found, in the order written. */
export function findPersonNames(text: string): PersonNameMatch[] {
  const found = new Map<number, PersonNameMatch>();
  for (const pattern of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const name = m[1];
      if (!name || !isName(name)) continue;
      const index = m.indices?.[1]?.[0] ?? m.index + m[0].indexOf(name);
      if (!found.has(index)) found.set(index, { name, index });
    }
  }
  return [...found.values()].sort((a, b) => a.index - b.index);
}

/** The first name of the person the message is about, as written, if it names one. */
export function findPersonName(text: string): string | undefined {
  return findPersonNames(text)[0]?.name;
}
