import type { Purpose } from '../../rules/authorisation.js';
import type { IsoDate } from '../../rules/dates.js';
import type { HoldType } from '../../rules/holds.js';
import { findCaseRefs } from './case-ref.js';
import { findDiedAtAge, findJustification, findReason, findRecordClassQuery } from './clauses.js';
import { findDates, type DateMention, type Span } from './dates.js';
import { findDestructionClassQuery, findDueBy, findExportFormat } from './destruction.js';
import { findHoldReason, findHoldType, findReceivedOn } from './holds.js';
import type { Intent } from './intents.js';
import { findPersonName } from './people.js';
import { findDestination, findPurpose } from './purpose.js';
import { findBatchRefs, findHoldReferences, findRecordIds, findReferenceSpans } from './references.js';

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
  /** removal.cancel, removal.withdraw, holds.place and holds.release: why. */
  reason?: string;
  /** removal.request: why the records are needed ("to finish the court report"). */
  justification?: string;
  /**
   * retention.class: the words naming the kind of record ("adoption records").
   * destruction.due and destruction.batch: the kind of record the request is limited to
   * ("looked after child records"), if any.
   */
  recordClassQuery?: string;
  /** retention.class: the age at death in "if the child died at 12". */
  diedAtAge?: number;
  /**
   * holds.*, register.query, retention.case: the first inventory record id written, in capitals
   * ("LL-400109", "PF-400149", or any letters-hyphen-digits id after "record").
   */
  recordId?: string;
  /** holds.place and holds.list (and holds.release when named): the type of hold. */
  holdType?: HoldType;
  /**
   * holds.place, holds.release and holds.list (to look it up): the hold's own reference as written
   * ("LIT-2026-01", "INQ-12", "SAR/2026/44"), after "ref"/"reference" or in that shape; never a
   * record id or batch ref.
   */
  holdReference?: string;
  /** holds.place: the day the request behind the hold was received, on or before today. */
  receivedOn?: IsoDate;
  /** destruction.batches and register.query: a destruction batch reference ("DB-2026-0001"). */
  batchRef?: string;
  /** register.export: the file format asked for. */
  exportFormat?: 'csv' | 'xlsx';
  /**
   * destruction.due and destruction.batch: the last day retention may end for a record to count
   * ("before 2024" → 2023-12-31, "by 31 March" → that day, "this month" → its last day).
   */
  dueBy?: IsoDate;
}

const AGE =
  /\b(?:died\s+(?:at|aged|age|at\s+age|at\s+the\s+age\s+of)|aged?)\s+\d{1,3}\b|\b\d{1,3}\s*(?:years?|yrs?)\s+old\b/gi;

/** Case references, ages and other references, which the date parser must not read as dates or times. */
function notDates(text: string): Span[] {
  const spans: Span[] = [...findCaseRefs(text), ...findReferenceSpans(text)].map(({ index, length }) => ({
    index,
    length,
  }));
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

const WITH_RECORD_ID: ReadonlySet<Intent> = new Set<Intent>([
  'holds.place',
  'holds.list',
  'holds.release',
  'register.query',
  'retention.case',
]);

/**
 * The hold's type, reference and reason. Placing a hold, the reason often names the type ("as
 * the family are bringing a claim"); releasing one, it seldom does ("lift hold LIT-2026-01, the
 * claim was settled" releases a litigation hold), so there the reference's prefix and the words
 * outside the reason decide first, and the reason only when they say nothing.
 */
function holdEntities(text: string, intent: Intent): Entities {
  const entities: Entities = {};
  const found = findHoldReferences(text)[0];
  const holdReference = found?.value;
  const reason = intent === 'holds.list' ? undefined : findHoldReason(text);
  const holdType =
    intent === 'holds.release'
      ? (findHoldType(reason ? text.replace(reason, ' ') : text, holdReference, { referenceFirst: true }) ??
        findHoldType(text))
      : intent === 'holds.list'
        ? // Looking a hold up by its reference ("show hold LIT-2026-31"): the words may narrow it
          // by type, but not a type guessed from the reference itself.
          findHoldType(found ? text.slice(0, found.index) + text.slice(found.index + found.length) : text)
        : findHoldType(text, holdReference);
  if (holdType) entities.holdType = holdType;
  if (holdReference) entities.holdReference = holdReference;
  if (reason) entities.reason = reason;
  return entities;
}

/** Reads the entities that matter for `intent` from cleaned message text. */
export function extractEntities(text: string, intent: Intent, today: IsoDate): Entities {
  const entities: Entities = {};
  const caseRef = findCaseRefs(text)[0]?.value;
  if (caseRef) entities.caseRef = caseRef;
  if (WITH_PERSON.has(intent)) {
    const personName = findPersonName(text);
    if (personName) entities.personName = personName;
  }
  if (WITH_RECORD_ID.has(intent)) {
    const recordId = findRecordIds(text)[0]?.value;
    if (recordId) entities.recordId = recordId;
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
    case 'holds.place': {
      Object.assign(entities, holdEntities(text, intent));
      const receivedOn = findReceivedOn(text, today, notDates(text), entities.holdType);
      if (receivedOn) entities.receivedOn = receivedOn;
      break;
    }
    case 'holds.list':
    case 'holds.release':
      Object.assign(entities, holdEntities(text, intent));
      break;
    case 'destruction.due':
    case 'destruction.batch': {
      const masks = notDates(text);
      const dueBy = findDueBy(text, today, masks);
      const recordClassQuery = findDestructionClassQuery(text, today, masks);
      if (dueBy) entities.dueBy = dueBy;
      if (recordClassQuery) entities.recordClassQuery = recordClassQuery;
      break;
    }
    case 'destruction.batches':
    case 'register.query': {
      const batchRef = findBatchRefs(text)[0]?.value;
      if (batchRef) entities.batchRef = batchRef;
      break;
    }
    case 'register.export': {
      const exportFormat = findExportFormat(text);
      if (exportFormat) entities.exportFormat = exportFormat;
      break;
    }
    default:
      break;
  }
  return entities;
}
