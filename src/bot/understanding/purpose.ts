import type { Purpose } from '../../rules/authorisation.js';

/**
 * Where records are going, and so why.
 *
 * The rule: the destination decides first. "Take the file home to finish the court report" is
 * home working, because the records go home; "take the bundle to court" is court. Only when no
 * destination is stated, or the one stated says nothing about the purpose ("the family centre"),
 * do keywords anywhere in the message decide, in the order home working, meeting, court (a
 * "court report" is written somewhere else, so court words count last). A destination that
 * matches none of them makes the purpose `other`; no destination and no keyword leaves it unset.
 */

const NOT_HOME_BEFORE =
  /(?:children'?s|childrens|care|foster|family|residential|nursing|group|respite|their|his|her|carer'?s|mum'?s|dad'?s|nan'?s|child'?s|a|the|secure)\s+$/i;
const NOT_HOME_AFTER =
  /^\s+(?:visits?|address|phone|number|pc|computer|laptop|printer|e-?mail|drive|office|secretary|page|manager|placement|assessment)\b/i;
const HOME = /\b(?:wfh|work(?:ing)? (?:from|at) home|home ?working|home)\b/gi;

const COURT =
  /\b(?:to|at|in|for|attend(?:ing)?)\s+(?:the\s+)?((?:family |magistrates'? |crown |county |high |youth )?court)\b(?!\s+(?:report|statement|bundle|papers|documents|order|application)\b)/gi;

const PLACE_NOUNS = new Set(
  `meeting meetings conference court hearing centre center office school college nursery hospital clinic
  surgery panel review hub base house library station visit session group forum discussion tribunal
  unit contact placement prison academy practice building hall room chambers venue cafe
  icpc rcpc pep cgm fgc mash marac tac`
    .split(/\s+/)
    .filter(Boolean),
);
/** After "for", only an event is a destination ("for the core group", not "for the weekend"). */
const EVENT_NOUNS = new Set(
  'meeting meetings conference hearing panel review visit session group discussion tribunal contact court icpc rcpc pep cgm fgc marac tac'.split(
    ' ',
  ),
);
const STOP_WORDS = new Set(
  `tomorrow today tonight on for and back until till til by this next so because as since to then
  return returning with from at in about after before please which where when i it is are was we
  but or if while during me my can could would will need take taking bring
  monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat
  sun january february march april may june july august september october november december jan
  feb mar apr jun jul aug sep sept oct nov dec week weekend morning afternoon evening night`
    .split(/\s+/)
    .filter(Boolean),
);
const DETERMINERS = /^(?:the|a|an|my|our|their|his|her|this)$/i;
const LEAD_IN = /\b(to|at|for)\s+/gi;

interface Candidate {
  readonly destination: string;
  readonly index: number;
}

function homeCandidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(HOME)) {
    const word = m[0].toLowerCase();
    if (word === 'home') {
      if (NOT_HOME_BEFORE.test(text.slice(Math.max(0, m.index - 20), m.index))) continue;
      if (NOT_HOME_AFTER.test(text.slice(m.index + m[0].length))) continue;
    }
    found.push({ destination: 'home', index: m.index });
  }
  return found;
}

function phraseCandidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(LEAD_IN)) {
    const lead = m[1]!.toLowerCase();
    const start = m.index + m[0].length;
    const words: string[] = [];
    for (const w of text.slice(start).split(/\s+/, 8)) {
      const bare = w.replace(/[,.;:!?)"]+$/, '');
      if (!bare || /\d/.test(bare) || STOP_WORDS.has(bare.toLowerCase())) break;
      if (!(words.length === 0 && DETERMINERS.test(bare))) words.push(bare);
      if (bare !== w || words.length >= 5) break;
    }
    const head = words[words.length - 1]?.toLowerCase();
    if (!head) continue;
    const nouns = lead === 'for' ? EVENT_NOUNS : PLACE_NOUNS;
    if (nouns.has(head)) found.push({ destination: words.join(' '), index: m.index });
  }
  return found;
}

/** Where the records are going, in the words used: "home", "core group meeting", "court". */
export function findDestination(text: string): string | undefined {
  const candidates = [
    ...homeCandidates(text),
    ...[...text.matchAll(COURT)].map((m) => ({ destination: m[1]!.toLowerCase(), index: m.index })),
    ...phraseCandidates(text),
  ];
  candidates.sort((a, b) => a.index - b.index);
  return candidates[0]?.destination;
}

const HOME_WORDS = /\b(?:home|wfh)\b/i;
const MEETING_WORDS =
  /\b(?:meetings?|conference|core group|strategy|review|panel|discussion|icpc|rcpc|pep|cgm|fgc|marac|tac)\b/i;
const COURT_WORDS = /\b(?:court|hearing|tribunal|magistrates|proceedings)\b/i;

function purposeOfWords(words: string): Purpose | undefined {
  if (HOME_WORDS.test(words)) return 'home_working';
  if (MEETING_WORDS.test(words)) return 'meeting';
  if (COURT_WORDS.test(words)) return 'court';
  return undefined;
}

/** Home words that do not mean the worker's home ("home visit", "children's home"). */
function withoutOtherHomes(text: string): string {
  return text.replace(HOME, (word, index: number) =>
    word.toLowerCase() === 'home' &&
    (NOT_HOME_BEFORE.test(text.slice(Math.max(0, index - 20), index)) ||
      NOT_HOME_AFTER.test(text.slice(index + word.length)))
      ? ' '.repeat(word.length)
      : word,
  );
}

/** The purpose of a removal, deciding by destination first (see the rule above). */
export function findPurpose(text: string, destination: string | undefined): Purpose | undefined {
  const byDestination = destination ? purposeOfWords(destination) : undefined;
  if (byDestination) return byDestination;
  const byKeywords = purposeOfWords(withoutOtherHomes(text));
  if (byKeywords) return byKeywords;
  return destination ? 'other' : undefined;
}
