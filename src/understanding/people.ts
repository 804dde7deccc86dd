import type { Found } from './types.js';

/**
 * A colleague's first name, found only where the wording points to a person: "Sam's request",
 * "Priya is covering", "tell Tom", "cover to Saoirse", "approve for Jo", "Nina as my deputy". A
 * name is a capitalised word (a lower-case name is read only in "sam's request"-like
 * possessives before a word about requests or records); days, months, abbreviations and
 * ordinary words that start a sentence are never names.
 */

const NAME = "[A-Z][a-z]+(?:-[A-Z]?[a-z]+|'[A-Z][a-z]+)?";
const SURNAME = `(?:\\s+${NAME})?`;

const NOT_NAMES = new Set(
  `i me my mine we us our you your he him his she her they them their it its this that these those
  a an the some any all every each no not yes ok okay please thanks thank cheers hi hello hey hiya
  morning afternoon evening dear sorry
  what when where who whom whose why how which whether if can could would should will shall may
  might must do does did done is are was were be been being am has have had having need needs
  want wants let lets get gets got make set give take took stop end remove ask tell show list
  cancel recall revoke withdraw approve decline authorise authorize check find send bring return
  returned keep hold put mark log sign book request requesting also just still only pull confirm
  release lift place start create export download
  monday tuesday wednesday thursday friday saturday sunday mon tue tues wed weds thu thur thurs fri
  sat sun january february march april june july august september october november december jan
  feb mar apr jun jul aug sep sept oct nov dec today tomorrow tonight yesterday weekend christmas
  easter
  records record file files case cases paperwork bundle bundles papers notes team manager
  managers council court courts hearing meeting conference panel office admin legal police
  family families child children mum dad nan gran parent parents carer carers foster
  social worker workers staff everyone someone anyone nobody colleague colleagues livelink teams
  outlook bot assistant retention policy procedure adoption fostering review school nursery centre
  home house great fine good new old urgent important quick then now so and or but
  batch register hold holds approval approvals cover acting deputy leave holiday annual year week
  month day days weeks months`
    .split(/\s+/)
    .filter(Boolean),
);

const SUBJECT_VERBS =
  "is|isn't|will|won't|can|could|would|should|must|has|hasn't|have|needs|need|to|was|does|doesn't|cover|covers|covering|approve|approves|approving|acting|deputising|deputizing|signing|bring|brings|return|returns|asked|requested|wants";
const OBJECT_VERBS =
  'tell|ask|asking|get|let|remind|chase|make|set|set up|put|appoint|add|give|nominate|take|stop|from|with|by|cc|email|message|phone|call|instruct|recall|revoke|cancel|approve|decline|reject|refuse|authorise|authorize';
const PLACE_WORDS =
  'family|centre|center|council|court|road|street|school|house|hospital|station|office|team|house';

const PATTERNS: readonly RegExp[] = [
  // Sam's request, Sam Jones's authorisation, J's file
  new RegExp(`\\b(${NAME}|[A-Z])${SURNAME}(?:'s|s'|')(?=[\\s,.;:!?]|$)`, 'dg'),
  // Priya is covering, Tom will approve
  new RegExp(`\\b(${NAME})${SURNAME}\\s+(?:${SUBJECT_VERBS})\\b`, 'dg'),
  // tell Tom, ask Jo, approve Sam
  new RegExp(`\\b(?:${OBJECT_VERBS})\\s+(${NAME})\\b(?!\\s+(?:${PLACE_WORDS})\\b)`, 'dgi'),
  // delegate my approvals to Sam, hand cover over to Priya
  new RegExp(
    `\\b(?:approvals?|approving|authorisations?|sign(?:ing)?\\s+off|cover|over|delegate(?:\\s+\\w+){0,2}|hand(?:\\s+\\w+){0,2}|pass(?:\\s+\\w+){0,2})\\s+to\\s+(${NAME})\\b`,
    'dgi',
  ),
  // the authorisation for Chris, as ...; request from Sam
  new RegExp(
    `\\b(?:for|from)\\s+(${NAME})${SURNAME}(?=\\s*(?:[,.;!?]|$)|\\s+(?:as|because|since|now|today|please|until|till|while|from|and|immediately|straight|for|on|re|about|to)\\b)`,
    'dg',
  ),
  // Nina as my deputy, Tom as cover
  new RegExp(
    `\\b(${NAME})\\s+as\\s+(?:my\\s+|the\\s+|an?\\s+)?(?:cover|deputy|acting|approver|delegate|stand-in)`,
    'dg',
  ),
  // acting manager Priya, my deputy is Sam
  new RegExp(`\\b(?:manager|deputy|cover|covering|approvals)\\s*(?:is|will be|:|-)?\\s*(${NAME})\\b`, 'dgi'),
  // sam's request (lower case, before a word about requests or records)
  /\b([a-z]{2,12})'s\s+(?=(?:request|removal|authorisation|authorization|file|files|records?|case|paperwork|bundle|approval)\b)/dg,
];

function isName(word: string, lowerCaseAllowed: boolean): boolean {
  if (NOT_NAMES.has(word.toLowerCase())) return false;
  if (lowerCaseAllowed && /^[a-z]{2,12}$/.test(word)) return true;
  return /^[A-Z](?:[a-z]+(?:-[A-Z]?[a-z]+|'[A-Z][a-z]+)?)?$/.test(word);
}

/** Every name found, in the order written. */
export function findPersonNames(text: string): Found<string>[] {
  const found = new Map<number, Found<string>>();
  PATTERNS.forEach((pattern, i) => {
    const lowerCaseAllowed = i === PATTERNS.length - 1;
    for (const m of text.matchAll(pattern)) {
      const name = m[1];
      if (!name || !isName(name, lowerCaseAllowed)) continue;
      const start = m.indices?.[1]?.[0] ?? m.index + m[0].indexOf(name);
      const value = lowerCaseAllowed ? name[0]!.toUpperCase() + name.slice(1) : name;
      if (!found.has(start))
        found.set(start, { value, from: { start, end: start + name.length, text: name } });
    }
  });
  return [...found.values()].sort((a, b) => a.from!.start - b.from!.start);
}
