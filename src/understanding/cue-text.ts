import { Vocabulary } from './fuzzy.js';

/**
 * The message as the intent cues read it: lower case, one kind of apostrophe, "&" as "and",
 * single spaces, and misspelt words that matter to the cues written right ("retrun", "aproved",
 * "destory", "bought it back"). Offsets are not kept: cues decide the intent, entities carry the
 * evidence.
 */

const CUE_WORDS =
  `request requests requested requesting remove removal removals removing removed return returns
  returned returning approve approved approval approvals approving authorise authorised authorisation
  authorisations authorising authorize authorized authorization decline declined declining reject
  rejected withdraw withdrawn withdrawing cancel cancelled cancelling recall recalled recalling
  destroy destroyed destroying destruction retention retain retained register export exported download
  batch batches confirm confirmed review reviews reviewed release released releasing litigation claim
  subject access inquiry freeze records record files paperwork bundle manager managers covering cover
  holiday permanently permanent archive archives spreadsheet excel overdue outstanding pending waiting
  procedure process policy allowed permission brought borrow signed booked please laptop memory
  computer upload livelink disciplinary shred shredded deputise deputy acting tomorrow tonight
  schedule status happening anything something everything everyone delegate delegated annual leave
  currently collect collected transfer archive eligible expired expiring preview weather`
    .split(/\s+/)
    .filter(Boolean);

const NOT_TYPOS = new Set(
  `remote revert retail retina retains recalls reports reporter reported covers covert coverage
  release relapse reason decide declare relate related relative records recorded bought brough thought
  manage managed manager's request's approves reviews waiter whether weathers withdrew`
    .split(/\s+/)
    .filter(Boolean),
);

// Cue words are common, and many real words lie two edits from one ("reception", "retention"):
// one edit only, but for the longest words.
const VOCABULARY = new Vocabulary(CUE_WORDS, NOT_TYPOS, 11);

/** How staff shorten or spell out words the cues read one way. */
const SHORT_FORMS: readonly (readonly [RegExp, string])[] = [
  [/\bu\b/g, 'you'],
  [/\bur\b/g, 'your'],
  [/\br\b/g, 'are'],
  [/\bdo not\b/g, "don't"],
  [/\bdoes not\b/g, "doesn't"],
  [/\bdid not\b/g, "didn't"],
  [/\bwill not\b/g, "won't"],
  [/\bcan ?not\b/g, "can't"],
  [/\bis not\b/g, "isn't"],
];

export function cueText(text: string): string {
  let lower = text
    .toLowerCase()
    .replace(/\p{Extended_Pictographic}|[\uFE0F\u200D]/gu, ' ')
    .replace(/[’‘`]/g, "'")
    .replace(/&/g, ' and ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const [pattern, to] of SHORT_FORMS) lower = lower.replace(pattern, to);
  return lower.replace(/[a-z]{5,}/g, (word) => {
    if (word === 'bought') return 'brought';
    return VOCABULARY.lookup(word) ?? word;
  });
}
