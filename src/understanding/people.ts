import type { Found } from './types.js';

/**
 * A colleague's first name, found only where the wording points to a person: "Sam's request",
 * "Priya is covering", "tell Tom", "yes to Chris", "approved - Rosa 2031187", "Nina as my
 * deputy". A name is a capitalised word that is not a day, a month, an abbreviation or an
 * ordinary word starting a sentence. A name in lower case is read only where a name must go
 * ("sam's request", "stop tom covering", "approve alex 2016634"). Names are returned as written.
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
  easter xmas next last
  records record file files case cases paperwork bundle bundles papers notes team manager
  managers council court courts hearing meeting conference panel office admin legal police
  family families child children childs mum dad nan gran parent parents carer carers foster
  social worker workers staff everyone someone anyone nobody colleague colleagues livelink teams
  outlook bot assistant retention policy procedure adoption fostering review school nursery centre
  home house great fine good new old urgent important quick then now so and or but
  batch register hold holds approval approvals cover acting deputy leave holiday annual year week
  month day days weeks months`
    .split(/\s+/)
    .filter(Boolean),
);

/** Everyday words that may sit where a name goes, written in lower case ("stop the", "ask admin"). */
const COMMON = new Set(
  `about after again against all almost already also always another any anybody anyone anything
  around asap back bad because before being below best better between both but by came come
  coming day days done down during each early either else end enough even ever every everybody
  everyone first for from further gone got half hello here hers herself himself how however
  immediately instead into itself just last late later least less like little lot lots many
  maybe more most much must myself near never next nobody none nothing now off once one only
  other others otherwise out over own perhaps quickly quite rather really same second several
  should since sick so some somebody someone something soon still such sure than that the
  then there therefore these thing things this those though through thus till today together
  too under until up upon us very via was way ways well were what whatever when where which
  while who whole why with within without yet you admin legal duty police reception finance
  hr it everything team manager sw tm hos iro ssw pa mine yours ours theirs work home`
    .split(/\s+/)
    .filter(Boolean),
);

const SUBJECT_VERBS =
  "until|till|til|is|isn't|will|won't|can|could|would|should|must|has|hasn't|have|needs|need|to|was|does|doesn't|cover|covers|covering|approve|approves|approving|acting|deputising|deputizing|signing|bring|brings|return|returns|asked|requested|wants|returned|brought|dropped|handed|has|had";
const OBJECT_VERBS =
  'off|tell|ask|asking|get|let|remind|chase|make|set|set up|put|appoint|add|give|nominate|take|stop|from|with|by|cc|email|message|phone|call|instruct|recall|revoke|cancel|approve|decline|reject|refuse|authorise|authorize';
const PLACE_WORDS =
  'family|centre|center|council|court|road|street|school|house|hospital|station|office|team';

interface Pattern {
  readonly pattern: RegExp;
  /** Reads a lower-case name (only where a name must go). */
  readonly lowerCase: boolean;
}

const PATTERNS: readonly Pattern[] = [
  // Zoes file, approve amirs 2067396: a possessive written without its apostrophe
  {
    pattern:
      /\b(?:approve|aprove|decline|reject|refuse|cancel|recall|pull|revoke|of|for|on|to|with|from)\s+(?:back\s+)?([A-Za-z]{2,12}s)\s+(?=(?:request|removal|authorisation|authorization|file|files|records?|case|paperwork|bundle|approval|#?\d{6,10}\b))/dg,
    lowerCase: true,
  },
  // Sam's request, Sam Jones's authorisation, J's file
  { pattern: new RegExp(`\\b(${NAME}|[A-Z])${SURNAME}(?:'s|s'|')(?=[\\s,.;:!?]|$)`, 'dg'), lowerCase: false },
  // Priya is covering, Tom will approve
  { pattern: new RegExp(`\\b(${NAME})${SURNAME}\\s+(?:${SUBJECT_VERBS})\\b`, 'dg'), lowerCase: false },
  // tell Tom, ask Jo, approve Sam, get it back off Priya
  {
    pattern: new RegExp(`\\b(?:${OBJECT_VERBS})\\s+(${NAME})\\b(?!\\s+(?:${PLACE_WORDS})\\b)`, 'dgi'),
    lowerCase: false,
  },
  // delegate my approvals to Sam, hand cover over to Priya, yes to Chris
  {
    pattern: new RegExp(
      `\\b(?:approvals?|approving|authorisations?|sign(?:ing)?\\s+off|cover|over|yes|no|ok|okay|agree|agreeing|agreed|delegate(?:\\s+\\w+){0,2}|hand(?:\\s+\\w+){0,2}|pass(?:\\s+\\w+){0,2})\\s+to\\s+(${NAME})\\b`,
      'dgi',
    ),
    lowerCase: false,
  },
  // the authorisation for Chris, as ...; request from Sam
  {
    pattern: new RegExp(
      `\\b(?:for|from)\\s+(${NAME})${SURNAME}(?=\\s*(?:[,.;!?]|$)|\\s+(?:as|because|since|now|today|please|until|till|while|from|and|immediately|straight|for|on|re|about|to|\\d))`,
      'dg',
    ),
    lowerCase: false,
  },
  // recall all of Alex files, approve Sam request
  {
    pattern: new RegExp(
      `\\b(?:of|recall|pull|approve|decline|reject|refuse)\\s+(${NAME})\\s+(?=(?:file|files|request|requests|records?|removal|paperwork|bundle)\\b)`,
      'dg',
    ),
    lowerCase: false,
  },
  // can Nadia do my approvals, will Tom cover, could Priya pick up my sign-offs
  {
    pattern: new RegExp(`\\b(?:can|could|will|would|may)\\s+(${NAME})\\s+(?:please\\s+)?[a-z]{2,}\\b`, 'dg'),
    lowerCase: false,
  },
  // Tom, sorry but I need to pull back 2068140: a colleague spoken to about their records
  {
    pattern: new RegExp(
      `^\\s*(?:(?:hi|hey|hello|morning)\\s+)?(${NAME})\\s*[,:-]\\s*(?=[^.?!]{0,40}\\b(?:pull|recall|need\\s+(?:[\\w'-]+\\s+){0,3}back|cancel|approved?|declined?|cover|covering|sorry|bring\\s+(?:[\\w'-]+\\s+){0,3}back|return))`,
      'dg',
    ),
    lowerCase: false,
  },
  // Nina as my deputy, Tom as cover
  {
    pattern: new RegExp(
      `\\b(${NAME})\\s+as\\s+(?:my\\s+|the\\s+|an?\\s+)?(?:cover|deputy|acting|approver|delegate|stand-in)`,
      'dg',
    ),
    lowerCase: false,
  },
  // acting manager Priya, my deputy is Sam
  {
    pattern: new RegExp(
      `\\b(?:manager|deputy|cover|covering|approvals)\\s*(?:is|will be|:|-)?\\s*(${NAME})\\b`,
      'dgi',
    ),
    lowerCase: false,
  },
  // approved - Rosa 2031187
  { pattern: new RegExp(`\\b(${NAME})\\s+#?\\d{6,10}\\b`, 'dg'), lowerCase: false },
  // sam's request, alex's 2005139
  {
    pattern:
      /\b([a-z]{2,12})'s\s+(?=(?:request|removal|authorisation|authorization|file|files|records?|case|paperwork|bundle|approval|\d))/dg,
    lowerCase: true,
  },
  // stop tom covering, approve alex 2016634, no to jo taking...
  {
    pattern:
      /\b(?:stop|tell|ask|let|approve|decline|reject|refuse|recall|remind|chase|yes\s+to|no\s+to|ok\s+to|go\s+ahead\s+with|off|from|for)\s+([a-z]{2,12})\b(?=\s+(?:#?\d|covering|cover|acting|to\s+(?:cover|take|bring|return)|taking|for\s+\d|now|today|please|pls)|\s*[,.;!?-]|\s*$)/dg,
    lowerCase: true,
  },
  // priya doesnt need to cover, rosa will do my authorisations
  {
    pattern:
      /(?:^|[,.;!?-]\s*|\b(?:and|so|but|now)\s+)([a-z]{2,12})\s+(?=(?:doesn'?t|does\s+not|don'?t|no\s+longer|will\s+(?:do|cover|approve|take|be\s+covering)|is\s+(?:covering|acting|off|doing)|to\s+cover|covering|has\s+(?:brought|returned|got))\b)/dg,
    lowerCase: true,
  },
];

for (const { pattern } of PATTERNS)
  if (!pattern.global) throw new Error(`people.ts: ${pattern.source} must be global (g) to be read in turn`);

/** The pattern whose names carry a possessive "s" (see `withoutPossessive`). */
const POSSESSIVE_WITHOUT_APOSTROPHE = PATTERNS.findIndex((p) =>
  p.pattern.source.includes('[A-Za-z]{2,12}s)'),
);

function isName(word: string, lowerCase: boolean): boolean {
  const lower = word.toLowerCase();
  if (NOT_NAMES.has(lower)) return false;
  // "Confirming", "Checking": a verb opening the sentence, not a first name.
  if (/^[a-z]{4,}ing$/.test(lower)) return false;
  if (lowerCase && /^[a-z]{2,12}$/.test(word)) return !COMMON.has(lower);
  return /^[A-Z](?:[a-z]+(?:-[A-Z]?[a-z]+|'[A-Z][a-z]+)?)?$/.test(word);
}

/**
 * A name with a possessive "s" written without its apostrophe ("Zoes", "amirs"): the "s" goes,
 * unless the name itself ends so (James, Chris, Marcus, Thomas).
 */
function withoutPossessive(word: string): string {
  if (/(?:oe|ee|ie|o)s$/i.test(word)) return word.slice(0, -1);
  if (/(?:[aeiu]|s)s$/i.test(word)) return word;
  return word.slice(0, -1);
}

/** Every name found, in the order written. */
export function findPersonNames(text: string): Found<string>[] {
  const found = new Map<number, Found<string>>();
  for (const [index, { pattern, lowerCase }] of PATTERNS.entries()) {
    const re = new RegExp(pattern.source, pattern.flags);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const name = m[1] && index === POSSESSIVE_WITHOUT_APOSTROPHE ? withoutPossessive(m[1]) : m[1];
      if (!name || !isName(name, lowerCase)) {
        // "Confirming Callum returned": not a name here, but one may start at the next word.
        re.lastIndex = m.index + 1;
        continue;
      }
      const start = m.indices?.[1]?.[0] ?? m.index + m[0].indexOf(name);
      if (!found.has(start))
        found.set(start, { value: name, from: { start, end: start + name.length, text: name } });
    }
  }
  return [...found.values()].sort((a, b) => a.from!.start - b.from!.start);
}
