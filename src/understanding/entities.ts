import type { Purpose } from '../rules/authorisation.js';
import type { IsoDate } from '../rules/dates.js';
import type { HoldType } from '../rules/holds.js';
import { cueText } from './cue-text.js';
import { readDates, type DatesRead } from './dates.js';
import { findPersonNames } from './people.js';
import { findRecordClasses, type ClassMatch } from './record-classes.js';
import { findBatchRefs, findCaseRefs, findHoldReferences, findRecordIds } from './references.js';
import type { Span } from './text.js';
import type { Evidence, Found, ReviewDecision } from './types.js';
import { wordsOf, type Word } from './words.js';

/** Everything read from a message before its intent is decided. */
export interface Extracted {
  /** The message (cleaned); all offsets refer to it. */
  readonly text: string;
  /** The message as the intent cues read it (see cue-text.ts). */
  readonly cue: string;
  readonly words: readonly Word[];
  readonly caseRefs: readonly Found<string>[];
  readonly recordIds: readonly Found<string>[];
  readonly batchRefs: readonly Found<string>[];
  readonly holdReferences: readonly Found<string>[];
  readonly people: readonly Found<string>[];
  readonly dates: DatesRead;
  readonly classes: readonly ClassMatch[];
  readonly holdType?: Found<HoldType>;
  readonly exportFormat?: Found<'csv' | 'xlsx'>;
  readonly decision?: Found<'approve' | 'decline'>;
  readonly reviewDecision?: Found<ReviewDecision>;
  readonly destination?: Found<string>;
  readonly purpose?: Found<Purpose>;
  /** Why: after "because", "as", "since"... or else a clause after a comma. */
  readonly reason?: Found<string>;
  /** Why, only after "because", "as", "since", "due to" (a removal's other clauses are dates and places). */
  readonly because?: Found<string>;
  readonly diedAtAge?: Found<number>;
}

function at(text: string, start: number, end: number): Evidence {
  return { start, end, text: text.slice(start, end) };
}

function firstMatch<T>(text: string, list: readonly (readonly [RegExp, T])[]): Found<T> | undefined {
  let best: Found<T> | undefined;
  for (const [pattern, value] of list) {
    const m = pattern.exec(text);
    if (m && (!best || m.index < best.from!.start))
      best = { value, from: at(text, m.index, m.index + m[0].length) };
  }
  return best;
}

const HOLD_TYPES: readonly (readonly [RegExp, HoldType])[] = [
  [/\b(?:d?sars?|subject[\s-]+access(?:\s+requests?)?)\b/i, 'subject_access_request'],
  [/\b(?:foia?s?|eirs?|freedom\s+of\s+information)\b/i, 'foi_request'],
  [
    /\b(?:litigation|litigating|lawsuits?|legal\s+(?:action|proceedings|claim)|civil\s+(?:proceedings|claim|case)|court\s+(?:case|action)|sued|suing|sue)\b/i,
    'litigation',
  ],
  [/\b(?:claims?|compensation|personal\s+injury|insurance)\b/i, 'claim'],
  [/\b(?:inquiry|inquiries|iicsa|inquest|coroner'?s?|public\s+enquiry)\b/i, 'inquiry'],
  [/\b(?:police|ombudsman|audit|other\s+hold|hold\s+type\s*:?\s*other|safeguarding\s+review)\b/i, 'other'],
];
const HOLD_PREFIX_TYPES: readonly (readonly [RegExp, HoldType])[] = [
  [/^(?:LIT|LITIG|LH)\b/i, 'litigation'],
  [/^D?SAR\b/i, 'subject_access_request'],
  [/^(?:FOIA?|EIR)\b/i, 'foi_request'],
  [/^INQ\b/i, 'inquiry'],
  [/^(?:CLM|CLAIM)\b/i, 'claim'],
];

function holdTypeOf(text: string, references: readonly Found<string>[]): Found<HoldType> | undefined {
  const outside = references.reduce(
    (t, r) => t.slice(0, r.from!.start) + ' '.repeat(r.from!.end - r.from!.start) + t.slice(r.from!.end),
    text,
  );
  // A hold's own reference says what kind it is ("LIT-2026-31"), whatever the reason mentions.
  for (const ref of references) {
    const type = HOLD_PREFIX_TYPES.find(([p]) => p.test(ref.value))?.[1];
    if (type) return { value: type, from: ref.from! };
  }
  const byWords = firstMatch(outside, HOLD_TYPES);
  if (byWords) return { value: byWords.value, from: at(text, byWords.from!.start, byWords.from!.end) };
  return undefined;
}

const EXPORT_FORMATS: readonly (readonly [RegExp, 'csv' | 'xlsx'])[] = [
  [/\bcsv\b/i, 'csv'],
  [/\b(?:excel|xlsx|xls|spreadsheet|workbook)\b/i, 'xlsx'],
];

const DECISIONS: readonly (readonly [RegExp, 'approve' | 'decline'])[] = [
  [
    /\b(?:decline[ds]?|declining|reject(?:ed|s)?|rejecting|refuse[ds]?|refusing|turn(?:ing|ed)?\s+down|(?:say\s+)?no\s+to|deny|denying|denied|(?:don'?t|not|won'?t|can'?t|am\s+not|i'?m\s+not)\s+(?:approv(?:e|ing)|authoris(?:e|ing)|authoriz(?:e|ing)|agree(?:ing)?|sign(?:ing)?\s+off|happy))\b/i,
    'decline',
  ],
  [
    /\b(?:ap{1,2}rov(?:e[ds]?|ing)|authori[sz]ed?|authori[sz]ing|ok(?:ay)?|sign(?:ed)?\s+off|agreed?(?:\s+to)?|accept(?:ed)?|yes\s+to|go\s+ahead(?:\s+(?:with|for))?|grant(?:ed)?|happy\s+(?:with|for))\b/i,
    'approve',
  ],
];

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  fifteen: 15,
  twenty: 20,
  another: 1,
  'a further': 1,
  'a couple': 2,
  'a couple of': 2,
  'couple of': 2,
  'a few': 3,
};

function reviewDecisionOf(text: string): Found<ReviewDecision> | undefined {
  const keep =
    /\b(?:keep|retain|extend|hold)\b[^.;?]{0,30}?\s(?:for\s+)?(?:(another|a\s+further|further)\s+)?(\d{1,2}|a\s+couple(?:\s+of)?|couple\s+of|a\s+few|an?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty)?\s*(?:more\s+|further\s+|extra\s+)?years?\b/i.exec(
      text,
    );
  if (keep && (keep[1] || keep[2])) {
    const count = keep[2]?.toLowerCase().replace(/\s+/g, ' ');
    const years = count ? (NUMBER_WORDS[count] ?? Number(count)) : 1;
    return { value: { action: 'keep', years }, from: at(text, keep.index, keep.index + keep[0].length) };
  }
  const list: readonly (readonly [RegExp, ReviewDecision])[] = [
    [
      /\b(?:keep|retain|preserve)\w*\s+(?:[\w-]+\s+){0,3}(?:permanently|forever|for\s+ever|indefinitely)\b|\bpermanent(?:ly)?\s+preserv\w*/i,
      { action: 'permanent' },
    ],
    [
      /\b(?:transfer|send|move|pass)\w*\s+(?:[\w-]+\s+){0,3}(?:to\s+)?(?:the\s+)?(?:county\s+)?(?:archives?|record\s+office)\b/i,
      { action: 'transfer' },
    ],
    [
      /\b(?:destroy(?!ed)|shred(?!ded)|dispose\s+of|mark\s+(?:[\w-]+\s+)?for\s+destruction|approve\s+(?:the\s+)?destruction|fine\s+to\s+destroy)\w*\b/i,
      { action: 'destroy' },
    ],
  ];
  return firstMatch(text, list);
}

const HOME = /\b(?:wfh|work(?:ing)?\s+(?:from|at)\s+home|home\s?working|home)\b/gi;
const NOT_HOME_BEFORE =
  /(?:children'?s|childrens|care|foster|family|residential|nursing|group|respite|their|his|her|carer'?s|mum'?s|dad'?s|nan'?s|child'?s|a|the|secure|grandparents'?|our)\s+$/i;
const NOT_HOME_AFTER =
  /^\s+(?:visits?|address|phone|number|pc|computer|laptop|printer|e-?mail|drive|office|secretary|page|manager|placement|assessment|interview|life)\b/i;
const PLACE_NOUNS = new Set(
  `meeting meetings conference court hearing centre center office school college nursery hospital clinic
  surgery panel review hub base library station visit session group forum discussion tribunal unit
  contact prison academy practice building hall room chambers venue icpc rcpc pep cgm fgc mash marac tac
  strategy strat lac cla cin cp`
    .split(/\s+/)
    .filter(Boolean),
);
const EVENT_NOUNS = new Set(
  'meeting meetings conference hearing panel review visit session group discussion tribunal contact court icpc rcpc pep cgm fgc marac tac strategy strat'.split(
    ' ',
  ),
);
const STOPS = new Set(
  `tomorrow today tonight on for and back until till til by this next so because as since to then return
  returning with from at in about after before please which where when i it is are was we but or if while
  during me my can could would will need take taking bring the a an
  monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
  week weekend morning afternoon evening night`
    .split(/\s+/)
    .filter(Boolean),
);

function destinationOf(text: string): Found<string> | undefined {
  const candidates: Found<string>[] = [];
  for (const m of text.matchAll(HOME)) {
    if (/^home$/i.test(m[0])) {
      if (NOT_HOME_BEFORE.test(text.slice(Math.max(0, m.index - 20), m.index))) continue;
      if (NOT_HOME_AFTER.test(text.slice(m.index + m[0].length))) continue;
    }
    candidates.push({ value: 'home', from: at(text, m.index, m.index + m[0].length) });
  }
  for (const m of text.matchAll(/\b(to|at|for)\s+/gi)) {
    const lead = m[1]!.toLowerCase();
    const start = m.index + m[0].length;
    const words: { word: string; end: number }[] = [];
    const re = /[^\s,.;:!?()"]+/g;
    re.lastIndex = start;
    let w: RegExpExecArray | null;
    let previousEnd = start;
    while ((w = re.exec(text)) && words.length < 5) {
      if (w.index > previousEnd + 1) break;
      previousEnd = w.index + w[0].length;
      const bare = w[0].toLowerCase();
      if (/\d/.test(bare) || STOPS.has(bare)) {
        if (!(words.length === 0 && /^(?:the|a|an|my|our)$/.test(bare))) break;
        continue;
      }
      words.push({ word: w[0], end: w.index + w[0].length });
    }
    const head = words.at(-1)?.word.toLowerCase();
    if (!head) continue;
    const nouns = lead === 'for' ? EVENT_NOUNS : PLACE_NOUNS;
    // The last place word ends the destination ("the core group meeting").
    let last = -1;
    words.forEach((x, i) => {
      if (nouns.has(x.word.toLowerCase())) last = i;
    });
    if (last < 0) continue;
    const firstWord = text.indexOf(words[0]!.word, start);
    const end = words[last]!.end;
    candidates.push({ value: text.slice(firstWord, end), from: at(text, firstWord, end) });
  }
  candidates.sort((a, b) => a.from!.start - b.from!.start);
  return candidates[0];
}

const HOME_WORDS = /\b(?:home|wfh)\b/i;
const MEETING_WORDS =
  /\b(?:meetings?|conference|core\s+group|strategy|strat|review|panel|discussion|icpc|rcpc|pep|cgm|fgc|marac|tac|visit|session)\b/i;
const COURT_WORDS = /\b(?:court|hearing|tribunal|magistrates|proceedings|plo|bundle)\b/i;

function purposeOf(text: string, destination: Found<string> | undefined): Found<Purpose> | undefined {
  if (destination) {
    const words = destination.value;
    const value: Purpose | undefined = HOME_WORDS.test(words)
      ? 'home_working'
      : MEETING_WORDS.test(words)
        ? 'meeting'
        : COURT_WORDS.test(words)
          ? 'court'
          : undefined;
    if (value) return { value, from: destination.from! };
  }
  const list: readonly (readonly [RegExp, Purpose])[] = [
    [/\b(?:wfh|work(?:ing)?\s+(?:from|at)\s+home)\b/i, 'home_working'],
    [MEETING_WORDS, 'meeting'],
    [COURT_WORDS, 'court'],
  ];
  for (const [pattern, value] of list) {
    const m = pattern.exec(text);
    if (m) return { value, from: at(text, m.index, m.index + m[0].length) };
  }
  return destination ? { value: 'other', from: destination.from! } : undefined;
}

const AS_NOT_REASON =
  'soon|well|much|far|of|per|long|requested|agreed|discussed|planned|usual|above|below|needed|before|a matter|my|your|cover|acting|a deputy|of now|it stands';
const CONNECTIVE = new RegExp(
  `\\b(?:because(?:\\s+of)?|since|due\\s+to|given\\s+that|cos|coz|'cause|as(?!\\s+(?:${AS_NOT_REASON})\\b)|reason(?:\\s+is)?:?)\\s+`,
  'i',
);

/** A reason: the words after "because", "as", "since", "due to", or else (`clauses`) a clause after a comma. */
function reasonOf(text: string, clauses = true): Found<string> | undefined {
  const connective = CONNECTIVE.exec(text);
  if (connective) {
    const start = connective.index + connective[0].length;
    const rest = text.slice(start).split(/[;\n]|\.(?:\s|$)/)[0]!;
    const value = rest.replace(/[\s,.!?]+$/, '');
    if (value.split(/\s+/).length >= 2) return { value, from: at(text, start, start + value.length) };
  }
  if (!clauses) return undefined;
  // The clauses (between commas and dashes) that are not the instruction itself.
  const parts: { start: number; value: string }[] = [];
  const boundary = /\s*(?:[,;\n]|\s-\s|\.(?:\s|$))\s*/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = boundary.exec(text))) {
    parts.push({ start: last, value: text.slice(last, m.index) });
    last = m.index + m[0].length;
  }
  parts.push({ start: last, value: text.slice(last) });
  if (parts.length < 2) return undefined;
  for (const part of parts) {
    const value = part.value.replace(/[\s,.!?]+$/, '');
    if (
      value.split(/\s+/).length < 2 ||
      INSTRUCTION.test(value) ||
      /^(?:please|thanks|thank you|cheers|ta|pls)\b/i.test(value)
    )
      continue;
    return { value, from: at(text, part.start, part.start + value.length) };
  }
  return undefined;
}

/** A clause that is the instruction itself, or a reference or date, rather than a reason. */
const INSTRUCTION =
  /\b(?:cancel|recall|revoke|withdraw|pull|lift|release|remove|place|put|hold|approve|decline|reject|refuse|confirm|take\s+the\s+hold|keep|transfer|destroy|please|pls|authorisation|request\s+for|ref|reference|say\s+(?:no|yes)|(?:yes|no)\s+to)\b|^\s*(?:case\s+)?#?\d{6,10}\s*$|^[A-Z]{1,5}[-/]\d/i;

const DIED_AT =
  /\bdied\s+(?:at|aged|age|at\s+age|at\s+the\s+age\s+of|when\s+(?:he|she|they)\s+(?:was|were))\s+(\d{1,3})\b/i;

function diedAtAgeOf(text: string): Found<number> | undefined {
  const m = DIED_AT.exec(text);
  const age = m ? Number(m[1]) : NaN;
  return m && Number.isInteger(age) && age <= 130
    ? { value: age, from: at(text, m.index, m.index + m[0].length) }
    : undefined;
}

const AGE =
  /\b(?:aged?|died\s+at)\s+\d{1,3}\b|\b\d{1,3}\s*(?:years?|yrs?)(?:\s+old)?\b|\b\d{1,3}\s*(?:yo|y\/o)\b/gi;
const PHONE = /(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b/g;

/** Reads everything the message says, before deciding what it asks. */
export function extract(text: string, today: IsoDate): Extracted {
  const caseRefs = findCaseRefs(text);
  const recordIds = findRecordIds(text);
  const batchRefs = findBatchRefs(text);
  const holdReferences = findHoldReferences(text);
  const masks: Span[] = [...caseRefs, ...recordIds, ...batchRefs, ...holdReferences].map((f) => ({
    start: f.from!.start,
    end: f.from!.end,
  }));
  for (const m of text.matchAll(AGE)) masks.push({ start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(PHONE)) masks.push({ start: m.index, end: m.index + m[0].length });
  const words = wordsOf(text);
  const destination = destinationOf(text);
  const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
  return {
    text,
    cue: cueText(text),
    words,
    caseRefs,
    recordIds,
    batchRefs,
    holdReferences,
    people: findPersonNames(text),
    dates: readDates(text, today, masks),
    // Classes from the words outside references ("PF-400222" is a record, not private fostering).
    classes: findRecordClasses(
      text,
      words.filter((w) => !masks.some((m) => w.start >= m.start && w.start < m.end)),
    ),
    ...optional('holdType', holdTypeOf(text, holdReferences)),
    ...optional('exportFormat', firstMatch(text, EXPORT_FORMATS)),
    ...optional('decision', firstMatch(text, DECISIONS)),
    ...optional('reviewDecision', reviewDecisionOf(text)),
    ...optional('destination', destination),
    ...optional('purpose', purposeOf(text, destination)),
    ...optional('reason', reasonOf(text)),
    ...optional('because', reasonOf(text, false)),
    ...optional('diedAtAge', diedAtAgeOf(text)),
  };
}
