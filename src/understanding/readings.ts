import type { IsoDate } from '../rules/dates.js';
import { HOLD_TYPE_LABELS } from '../rules/holds.js';
import { procedureSection } from '../rules/procedure.js';
import type { Role } from '../rules/roles.js';
import { sayDate, sayDayMonthYear, sayMonth } from './calendar.js';
import { listDates, receivedDate, removalDates, singleDate, type DatesFor } from './date-roles.js';
import type { Extracted } from './entities.js';
import { reportsReturn } from './intent.js';
import { allowedFor, INTENT_KINDS, type Intent } from './intents.js';
import { answerQuestion, type TopicScore } from './procedure/retrieve.js';
import { CLASS_NAMES, recordClassEntity } from './record-classes.js';
import type {
  Capability,
  Doubt,
  Entities,
  EntityName,
  FilterName,
  Found,
  Filters,
  ProcedureAnswer,
  Reading,
} from './types.js';

/** The entities that matter for each intent; anything else the message says is left out. */
const RELEVANT: Readonly<Record<Intent, readonly EntityName[]>> = {
  'removal.request': [
    'caseRef',
    'otherCaseRefs',
    'recordId',
    'personName',
    'purpose',
    'destination',
    'reason',
  ],
  'removal.list_mine': ['caseRef', 'recordId'],
  'removal.mark_returned': ['caseRef', 'otherCaseRefs', 'recordId', 'personName'],
  'removal.withdraw': ['caseRef', 'recordId', 'reason'],
  'approvals.pending': ['personName', 'caseRef'],
  'removal.decide': ['personName', 'caseRef', 'decision', 'reason'],
  'removal.cancel': ['personName', 'caseRef', 'reason'],
  'acting.set': ['personName'],
  'acting.clear': ['personName'],
  'retention.class': ['recordClass', 'diedAtAge'],
  'retention.case': ['caseRef', 'recordId'],
  'policy.question': ['caseRef'],
  'holds.place': ['caseRef', 'recordId', 'holdType', 'holdReference', 'recordClass', 'reason'],
  'holds.list': ['caseRef', 'recordId', 'holdType', 'holdReference', 'recordClass'],
  'holds.release': ['holdReference', 'caseRef', 'recordId', 'holdType', 'recordClass', 'reason'],
  'destruction.due': ['recordClass'],
  'destruction.batch': ['recordClass'],
  'destruction.batches': ['batchRef'],
  'destruction.confirm': ['batchRef'],
  'review.list': ['recordClass', 'caseRef', 'recordId'],
  'review.decide': ['caseRef', 'recordId', 'reviewDecision', 'reason'],
  'register.query': ['caseRef', 'recordId', 'batchRef', 'recordClass'],
  'register.export': ['exportFormat', 'caseRef', 'recordId', 'batchRef', 'recordClass'],
  help: [],
  None: [],
};

const FILTERED: Readonly<Partial<Record<Intent, readonly FilterName[]>>> = {
  'destruction.due': ['recordClass', 'month', 'dueBy'],
  'destruction.batch': ['recordClass', 'month', 'dueBy'],
  'review.list': ['recordClass', 'month', 'dueBy', 'caseRef', 'recordId'],
  'register.query': ['month', 'caseRef', 'recordId', 'batchRef', 'recordClass'],
  'register.export': ['month', 'caseRef', 'recordId', 'batchRef', 'recordClass'],
  'holds.list': ['holdType', 'caseRef', 'recordId', 'recordClass'],
  'approvals.pending': ['personName', 'caseRef'],
  'removal.cancel': ['personName', 'caseRef'],
};

/** The sentence of `text` that holds the words at `at`. */
function sentenceAt(text: string, at: number): string {
  for (const m of text.matchAll(/[^.!?\n]+[.!?\n]*/g))
    if (at >= m.index && at < m.index + m[0].length) return m[0];
  return text;
}

/**
 * The cases a reading is about, the main one first: a request is for the case asked for, not
 * one reported back in the same message ("2054477 back. can I now have 2010559 for thurs").
 */
function casesFor(x: Extracted, intent: Intent): readonly Found<string>[] {
  if (intent !== 'removal.request' || x.caseRefs.length < 2) return x.caseRefs;
  const asked = x.caseRefs.filter((c) => !reportsReturn(sentenceAt(x.text, c.from!.start)));
  return asked.length ? asked : x.caseRefs;
}

function allEntities(x: Extracted, intent: Intent): Entities {
  const [caseRef, ...otherCaseRefs] = casesFor(x, intent);
  const recordClass = recordClassEntity(x.classes);
  return {
    ...(caseRef ? { caseRef } : {}),
    ...(otherCaseRefs.length ? { otherCaseRefs } : {}),
    ...(x.recordIds[0] ? { recordId: x.recordIds[0] } : {}),
    ...(x.batchRefs[0] ? { batchRef: x.batchRefs[0] } : {}),
    ...(x.holdReferences[0] ? { holdReference: x.holdReferences[0] } : {}),
    ...(x.people[0] ? { personName: x.people[0] } : {}),
    ...(recordClass ? { recordClass } : {}),
    ...(x.holdType ? { holdType: x.holdType } : {}),
    ...(x.exportFormat ? { exportFormat: x.exportFormat } : {}),
    ...(x.decision ? { decision: x.decision } : {}),
    ...(x.reviewDecision ? { reviewDecision: x.reviewDecision } : {}),
    ...(x.destination ? { destination: x.destination } : {}),
    ...(x.purpose ? { purpose: x.purpose } : {}),
    ...(intent === 'removal.request'
      ? x.because
        ? { reason: x.because }
        : {}
      : x.reason
        ? { reason: x.reason }
        : {}),
    ...(x.diedAtAge ? { diedAtAge: x.diedAtAge } : {}),
  };
}

function datesFor(intent: Intent, x: Extracted, today: IsoDate): DatesFor {
  const { mentions, unreadable } = x.dates;
  switch (intent) {
    case 'removal.request':
      return removalDates(mentions, unreadable, x.text, today);
    case 'removal.cancel':
      return singleDate('returnBy', mentions, unreadable, x.text, today);
    case 'acting.set':
      return singleDate('until', mentions, unreadable, x.text, today);
    case 'destruction.due':
    case 'destruction.batch':
    case 'review.list':
      return listDates(mentions, x.text, today);
    case 'register.query':
    case 'register.export':
      return listDates(mentions, x.text, today, { past: true });
    case 'holds.place':
      return receivedDate(mentions, x.text, today);
    default:
      return { entities: {}, doubts: [] };
  }
}

function describeFilters(intent: Intent, e: Entities): Filters | undefined {
  const names = (FILTERED[intent] ?? []).filter((n) => e[n] !== undefined);
  if (!names.length) return undefined;
  const parts: string[] = [];
  for (const name of names) {
    switch (name) {
      case 'recordClass':
        parts.push(e.recordClass!.value.map((id) => CLASS_NAMES.get(id) ?? id).join(' or '));
        break;
      case 'month':
        parts.push(`${intent.startsWith('register') ? 'destroyed in' : 'in'} ${sayMonth(e.month!.value)}`);
        break;
      case 'dueBy':
        parts.push(`due by ${sayDayMonthYear(e.dueBy!.value)}`);
        break;
      case 'caseRef':
        parts.push(`case ${e.caseRef!.value}`);
        break;
      case 'recordId':
        parts.push(`record ${e.recordId!.value}`);
        break;
      case 'batchRef':
        parts.push(`batch ${e.batchRef!.value}`);
        break;
      case 'personName':
        parts.push(`${e.personName!.value}'s`);
        break;
      case 'holdType':
        parts.push(`${HOLD_TYPE_LABELS[e.holdType!.value].toLowerCase()} holds`);
        break;
    }
  }
  return { names, description: parts.join(', ') };
}

function caseWords(e: Entities): string {
  if (e.caseRef) return `case ${e.caseRef.value}`;
  if (e.recordId) return `record ${e.recordId.value}`;
  return 'a case';
}

function labelOf(
  intent: Intent,
  e: Entities,
  filters: Filters | undefined,
  answer: ProcedureAnswer | undefined,
  today: IsoDate,
): string {
  const whose = e.personName ? `${e.personName.value}'s` : 'the';
  const filtered = filters ? ` (${filters.description})` : '';
  switch (intent) {
    case 'removal.request': {
      const dates =
        e.outOn && e.returnOn
          ? `, ${sayDate(e.outOn.value, today)} to ${sayDate(e.returnOn.value, today)}`
          : e.returnOn
            ? `, back ${sayDate(e.returnOn.value, today)}`
            : e.outOn
              ? `, from ${sayDate(e.outOn.value, today)}`
              : '';
      return `Ask to take ${caseWords(e)} out of the office${dates}`;
    }
    case 'removal.list_mine':
      return 'Show your requests and the records you have out';
    case 'removal.mark_returned':
      return `Record that ${caseWords(e)} is back in the office`;
    case 'removal.withdraw':
      return `Withdraw your request${e.caseRef ? ` for case ${e.caseRef.value}` : ''}`;
    case 'approvals.pending':
      return `Show the requests waiting for your decision${filtered}`;
    case 'removal.decide':
      return `${e.decision?.value === 'decline' ? 'Decline' : 'Approve'} ${whose} request${e.caseRef ? ` for case ${e.caseRef.value}` : ''}`;
    case 'removal.cancel':
      return `Cancel ${whose} authorisation${e.caseRef ? ` for case ${e.caseRef.value}` : ''} and ask for the records back${e.returnBy ? ` by ${sayDate(e.returnBy.value, today)}` : ''}`;
    case 'acting.set':
      return `Have ${e.personName?.value ?? 'a colleague'} cover your approvals${e.until ? ` until ${sayDate(e.until.value, today)}` : ''}`;
    case 'acting.clear':
      return 'End the cover for your approvals';
    case 'retention.class':
      return e.recordClass
        ? `How long ${e.recordClass.value.map((id) => CLASS_NAMES.get(id) ?? id).join(' or ')} are kept`
        : 'How long a kind of record is kept';
    case 'retention.case':
      return `The retention status of ${caseWords(e)}`;
    case 'policy.question':
      return answer ? `The procedure: ${answer.title} (${answer.section})` : 'A question about the procedure';
    case 'holds.place':
      return `Place ${e.holdType ? `a ${HOLD_TYPE_LABELS[e.holdType.value].toLowerCase()}` : 'a'} hold on ${caseWords(e)}`;
    case 'holds.list':
      return `Show holds${filtered}`;
    case 'holds.release':
      return `Release ${e.holdReference ? `hold ${e.holdReference.value}` : `the hold on ${caseWords(e)}`}`;
    case 'destruction.due':
      return `Show records due for destruction${filtered}`;
    case 'destruction.batch':
      return `Start a destruction batch${filtered}`;
    case 'destruction.batches':
      return e.batchRef ? `Show destruction batch ${e.batchRef.value}` : 'Show destruction batches';
    case 'destruction.confirm':
      return `Confirm destruction batch ${e.batchRef?.value ?? ''}`.trim();
    case 'review.list':
      return `Show records waiting for a review decision${filtered}`;
    case 'review.decide': {
      const d = e.reviewDecision?.value;
      const what =
        d?.action === 'keep'
          ? `keep ${d.years ?? 1} more year${d.years === 1 ? '' : 's'}`
          : d?.action === 'transfer'
            ? 'transfer to the archives'
            : d?.action === 'permanent'
              ? 'keep permanently'
              : 'destroy';
      return `Record a review decision for ${caseWords(e)}: ${what}`;
    }
    case 'register.query':
      return `Show the destruction register${filtered}`;
    case 'register.export':
      return `Export the destruction register${e.exportFormat ? ` (${e.exportFormat.value === 'csv' ? 'CSV' : 'Excel'})` : ''}${filtered}`;
    case 'help':
      return 'Show what I can do';
    case 'None':
      return 'Outside what I can help with';
  }
}

export interface ReadingInput {
  readonly intent: Intent;
  readonly confidence: number;
  readonly roles: readonly Role[];
  readonly today: IsoDate;
  readonly topics: readonly TopicScore[];
}

/** The reading of a message as one intent: its entities and their dates, doubts, filters, answer and label. */
export function buildReading(x: Extracted, input: ReadingInput): Reading {
  const { intent, today } = input;
  const all = allEntities(x, intent);
  // A decision's reason is asked for, and kept, only when declining.
  if (intent === 'removal.decide' && all.decision?.value !== 'decline')
    delete (all as { reason?: unknown }).reason;
  const entities: Record<string, unknown> = {};
  for (const name of RELEVANT[intent]) if (all[name] !== undefined) entities[name] = all[name];
  const dates = datesFor(intent, x, today);
  Object.assign(entities, dates.entities);
  const e = entities as Entities;
  const doubts: Doubt[] = [...dates.doubts];
  const filters = describeFilters(intent, e);
  const answer = intent === 'policy.question' ? answerQuestion(x.text, input.topics) : undefined;
  return {
    intent,
    kind: INTENT_KINDS[intent],
    confidence: Math.round(input.confidence * 100) / 100,
    entities: e,
    doubts,
    ...(filters ? { filters } : {}),
    ...(answer ? { answer } : {}),
    label: labelOf(intent, e, filters, answer, today),
    allowed: allowedFor(intent, input.roles),
  };
}

/** The procedure section an answer quotes, for a caller that has only the id. */
export { procedureSection };

const CAPABILITIES: readonly (Capability & { readonly roles: readonly Role[] | 'anyone' })[] = [
  {
    intent: 'removal.request',
    title: "Ask to take a case's records out of the office",
    example: 'I need to take 1234567 home tonight for the court report, back Friday',
    roles: 'anyone',
  },
  {
    intent: 'removal.list_mine',
    title: 'Your requests and the records you have out',
    example: 'what have I got out?',
    roles: 'anyone',
  },
  {
    intent: 'removal.mark_returned',
    title: 'Tell me records are back',
    example: 'brought 1234567 back this morning',
    roles: 'anyone',
  },
  {
    intent: 'removal.withdraw',
    title: 'Withdraw a request you no longer need',
    example: "I don't need 1234567 after all, withdraw my request",
    roles: 'anyone',
  },
  {
    intent: 'retention.class',
    title: 'How long a kind of record is kept',
    example: 'how long do we keep CP records?',
    roles: 'anyone',
  },
  {
    intent: 'retention.case',
    title: "A case's retention status",
    example: 'when can 1234567 be destroyed?',
    roles: 'anyone',
  },
  {
    intent: 'policy.question',
    title: 'Questions about the procedure',
    example: 'can I use my work laptop at home?',
    roles: 'anyone',
  },
  {
    intent: 'approvals.pending',
    title: 'Requests waiting for your decision, and your team’s records out',
    example: 'anything waiting for me to sign off?',
    roles: ['line_manager'],
  },
  {
    intent: 'removal.decide',
    title: 'Approve or decline a request (I show it, with its buttons)',
    example: "approve Sam's request for 1234567",
    roles: ['line_manager'],
  },
  {
    intent: 'removal.cancel',
    title: 'Recall records, with an earlier return date if needed',
    example: "pull back Sam's file for 1234567, court on Monday",
    roles: ['line_manager'],
  },
  {
    intent: 'acting.set',
    title: 'Have someone cover your approvals',
    example: 'Saoirse is covering my approvals until the 15th',
    roles: ['line_manager'],
  },
  {
    intent: 'acting.clear',
    title: 'End the cover when you are back',
    example: "I'm back, end the cover",
    roles: ['line_manager'],
  },
  {
    intent: 'destruction.due',
    title: 'Records due for destruction, by class, month or date',
    example: 'child protection records due by 31 December',
    roles: ['records_management'],
  },
  {
    intent: 'destruction.batch',
    title: 'Start a destruction batch',
    example: 'start a batch for adoption records due this year',
    roles: ['records_management'],
  },
  {
    intent: 'destruction.batches',
    title: 'Destruction batches and their state',
    example: 'show destruction batches',
    roles: ['records_management'],
  },
  {
    intent: 'destruction.confirm',
    title: 'Confirm a batch another officer chose',
    example: 'confirm destruction batch DB-2026-0001',
    roles: ['records_management'],
  },
  {
    intent: 'holds.place',
    title: 'Place a hold (litigation, claim, subject access, FOI, inquiry)',
    example: 'put a litigation hold on 1234567',
    roles: ['records_management'],
  },
  {
    intent: 'holds.release',
    title: 'Release a hold, with the reason',
    example: 'release hold LIT-2026-04, the claim was settled',
    roles: ['records_management'],
  },
  {
    intent: 'holds.list',
    title: 'Holds in force',
    example: 'show holds on 1234567',
    roles: ['records_management'],
  },
  {
    intent: 'review.list',
    title: 'Records waiting for a review decision',
    example: 'which records need a review decision?',
    roles: ['records_management'],
  },
  {
    intent: 'register.query',
    title: 'The destruction register, by month, case, record or batch',
    example: 'register for November 2026',
    roles: ['records_management'],
  },
  {
    intent: 'register.export',
    title: 'Export the register',
    example: 'export the register as CSV',
    roles: ['records_management'],
  },
];

/** What someone with `roles` can do, with an example each (for the "when unsure" card). */
export function capabilitiesFor(roles: readonly Role[]): Capability[] {
  return CAPABILITIES.filter((c) => c.roles === 'anyone' || c.roles.some((r) => roles.includes(r))).map(
    ({ intent, title, example }) => ({ intent, title, example }),
  );
}
