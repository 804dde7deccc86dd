import type { Purpose } from '../../rules/authorisation.js';
import type { IsoDate } from '../../rules/dates.js';
import { findCaseRefs } from './case-ref.js';
import { findDiedAtAge, findJustification, findReason, findRecordClassQuery } from './clauses.js';
import { findDates, type DateMention, type Span } from './dates.js';
import type { Intent } from './intents.js';
import { findPersonName } from './people.js';
import { findDestination, findPurpose } from './purpose.js';

/** What a message says beyond its intent. Only what was found is present. */
export interface Entities {
  /** The first case reference written ("case 1234567", "#1234567", "1234567"). */
  caseRef?: string;
  /** removal.request: the day the records leave the office. */
  outOn?: IsoDate;
  /** removal.request: the day they come back. */
  returnOn?: IsoDate;
  /** acting.set: the last day of cover. */
  until?: IsoDate;
  /** removal.request */
  purpose?: Purpose;
  /** removal.request: where the records go, in the words used ("home", "core group meeting"). */
  destination?: string;
  /** A colleague's (or child's) first name as written: "Jo" in "Jo's records". */
  personName?: string;
  /** removal.cancel and removal.withdraw: why. */
  reason?: string;
  /** removal.request: why the records are needed ("to finish the court report"). */
  justification?: string;
  /** retention.class: the words naming the kind of record ("adoption records"). */
  recordClassQuery?: string;
  /** retention.class: the age at death in "if the child died at 12". */
  diedAtAge?: number;
}

const AGE =
  /\b(?:died\s+(?:at|aged|age|at\s+age|at\s+the\s+age\s+of)|aged?)\s+\d{1,3}\b|\b\d{1,3}\s*(?:years?|yrs?)\s+old\b/gi;

/** Case references and ages, which the date parser must not read as dates or times. */
function notDates(text: string): Span[] {
  const spans: Span[] = findCaseRefs(text).map(({ index, length }) => ({ index, length }));
  for (const m of text.matchAll(AGE)) spans.push({ index: m.index, length: m[0].length });
  return spans;
}

/**
 * The dates of a removal. A date after "back", "until", "till", "return" or "bring it back"
 * is the return date; the first other date is the out date ("tonight", "tomorrow", "from
 * Monday"); a range "Monday to Wednesday" gives both; a second date with no cue is the
 * return date. Only a return date given: out today.
 */
function removalDates(
  mentions: readonly DateMention[],
  today: IsoDate,
): Pick<Entities, 'outOn' | 'returnOn'> {
  let outOn: IsoDate | undefined;
  let returnOn: IsoDate | undefined;
  for (const m of mentions) {
    if (m.end) {
      outOn ??= m.date;
      returnOn ??= m.end;
    } else if (m.cue === 'return') returnOn ??= m.date;
    else if (!outOn) outOn = m.date;
    else returnOn ??= m.date;
  }
  if (!outOn && returnOn) outOn = today;
  return { ...(outOn ? { outOn } : {}), ...(returnOn ? { returnOn } : {}) };
}

/** The last day of cover: after "until"/"till"/"to", the end of a range, or else the last date not after "from". */
function coverUntil(mentions: readonly DateMention[]): IsoDate | undefined {
  for (const m of mentions) {
    if (m.end) return m.end;
    if (m.cue === 'return') return m.date;
  }
  return mentions.filter((m) => m.cue !== 'from').at(-1)?.date;
}

const WITH_PERSON: ReadonlySet<Intent> = new Set<Intent>([
  'removal.request',
  'removal.list_mine',
  'removal.mark_returned',
  'removal.withdraw',
  'removal.cancel',
  'approvals.pending',
  'acting.set',
  'acting.clear',
]);

/** Reads the entities that matter for `intent` from cleaned message text. */
export function extractEntities(text: string, intent: Intent, today: IsoDate): Entities {
  const entities: Entities = {};
  const caseRef = findCaseRefs(text)[0]?.value;
  if (caseRef) entities.caseRef = caseRef;
  if (WITH_PERSON.has(intent)) {
    const personName = findPersonName(text);
    if (personName) entities.personName = personName;
  }
  switch (intent) {
    case 'removal.request': {
      Object.assign(entities, removalDates(findDates(text, today, notDates(text)), today));
      const destination = findDestination(text);
      const purpose = findPurpose(text, destination);
      const justification = findJustification(text);
      if (destination) entities.destination = destination;
      if (purpose) entities.purpose = purpose;
      if (justification) entities.justification = justification;
      break;
    }
    case 'acting.set': {
      const until = coverUntil(findDates(text, today, notDates(text)));
      if (until) entities.until = until;
      break;
    }
    case 'removal.cancel':
    case 'removal.withdraw': {
      const reason = findReason(text);
      if (reason) entities.reason = reason;
      break;
    }
    case 'retention.class': {
      const recordClassQuery = findRecordClassQuery(text);
      const diedAtAge = findDiedAtAge(text);
      if (recordClassQuery) entities.recordClassQuery = recordClassQuery;
      if (diedAtAge !== undefined) entities.diedAtAge = diedAtAge;
      break;
    }
    default:
      break;
  }
  return entities;
}
