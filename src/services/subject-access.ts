import type { Kysely, Transaction } from 'kysely';
import { refuse, requireRecordsManagement, type Refusal } from '../rules/index.js';
import { chunk } from '../chunk.js';
import { appendAudit } from '../store/audit.js';
import type { Database } from '../store/schema.js';
import { getStaff, getStaffMany } from '../store/staff.js';
import type { Clock } from './clock.js';

// Subject access to the product's own data: everything it holds about one case, or about one
// member of staff, gathered for Information Governance to review before anything is disclosed.
// Nothing about other cases; of other people, only what the record needs (the names of staff who
// acted on the case, or the ids of requests and cases a person acted on).

export type SubjectAccessSubject = { kind: 'case'; caseRef: string } | { kind: 'person'; idOrEmail: string };

/** A value of a row: text, a number, nothing, or (parsed from stored JSON) a list or object. */
export type Cell = string | number | null | readonly unknown[] | Record<string, unknown>;
export type SectionRow = Record<string, Cell>;

/** One kind of data the product holds about the subject, as rows. */
export interface Section {
  id: string;
  title: string;
  /** What the rows are, and what is left out of them. */
  about: string;
  rows: SectionRow[];
}

export interface SubjectAccessReport {
  product: 'Case Records Assistant';
  subject:
    | { kind: 'case'; caseRef: string }
    | { kind: 'person'; id: string | null; name: string | null; email: string | null; asked: string };
  compiledAt: string;
  compiledBy: { id: string; name: string | null; via: 'tab' | 'command line' };
  /** True when the product holds nothing about the subject. */
  nothingHeld: boolean;
  /** What the report includes, and why some things are not in it. */
  notes: string[];
  sections: Section[];
  /** The staff the report names, by id: their names, which is all of them it gives. */
  people: { id: string; name: string }[];
}

export type SubjectAccessOutcome = { ok: true; report: SubjectAccessReport } | Refusal;

/** Case references as the inventory and the tab take them. */
export const CASE_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/-]{0,39}$/;

const ASK = 'Ask Information Governance, who answer subject access requests.';

/** Who the command line acts as in the audit log. */
export const COMMAND_LINE_ACTOR = 'cli';

const CASE_NOTES = [
  'Everything the Case Records Assistant holds about this case: the case dates and records from the inventory, removal requests with every line of their history, holds on the case or its records, review decisions, the case’s records in destruction batches, destruction register entries, the audit entries about these, and the notifications queued about its requests.',
  'Staff who acted on the case are named (their names and ids only, listed under People); nothing else about them is included. Nothing about any other case is included: a destruction batch that also held other cases’ records shows only this case’s records.',
  'Not included: holds on whole classes of records (they are about classes, not this case), the conversations of the staff notified (where their Teams chat is), handled Teams activities (kept a day, under a hashed key that names no case), and the application log (case references, no details; kept by the hosting service).',
  'The product purges its own data as its own-data schedule says: data it no longer holds is not here, and the audit log records each purge.',
];

const PERSON_NOTES = [
  'Everything the Case Records Assistant holds about this member of staff: their staff directory entry, what the directory sync keeps of their Entra ID account, acting-manager cover given or taken, the removal requests they made (with every line of their history), what they did on other people’s requests, holds, review decisions, destruction batches and register entries they made or confirmed (with their name and role at the time), the audit entries they made or that are about them, the notifications queued for them, and where the bot reaches them in Teams.',
  'Of other people’s requests and of cases, only the references and what this person did are included (case references and request ids, the decisions and reasons they gave); the content of requests they did not make is not.',
  'Audit entries made by others that mention this person (a directory sync that recorded them joining or leaving, for instance) are listed with the fields that name them, not their whole content.',
  'Not included: handled Teams activities (kept a day under a hashed key), and the application log (ids and case references only; kept by the hosting service).',
];

function json(text: string | null): Cell {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Cell;
  } catch {
    return text;
  }
}

function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** The paths in `value` where `needle` appears (a JSON value's fields and list items). */
function mentions(value: unknown, needle: string, path = ''): string[] {
  if (typeof value === 'string') return value.toLowerCase().includes(needle) ? [path || '(value)'] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => mentions(v, needle, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => mentions(v, needle, path ? `${path}.${k}` : k));
  }
  return [];
}

/**
 * Subject access to what the product holds, for a Records Management officer in the tab and for
 * Information Governance on the command line. Each report is audited.
 */
export class SubjectAccessService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Null when `actorId` may see subject access reports; otherwise why not. */
  async check(actorId: string): Promise<Refusal | null> {
    return requireRecordsManagement(
      await getStaff(this.db, actorId),
      'see everything the product holds about a case or a person',
      ASK,
    );
  }

  /** A report for a Records Management officer (the tab): checked, compiled, audited. */
  async report(
    actorId: string,
    subject: SubjectAccessSubject,
    purpose: { format?: string } = {},
  ): Promise<SubjectAccessOutcome> {
    const denied = await this.check(actorId);
    if (denied) return denied;
    return this.compile(actorId, 'tab', subject, purpose.format);
  }

  /**
   * A report for the command line, which runs with the database's own settings on the server (as
   * the imports do): compiled and audited as the command line.
   */
  async reportForCommandLine(subject: SubjectAccessSubject): Promise<SubjectAccessOutcome> {
    return this.compile(COMMAND_LINE_ACTOR, 'command line', subject, 'json+xlsx');
  }

  private async compile(
    actorId: string,
    via: 'tab' | 'command line',
    subject: SubjectAccessSubject,
    format: string | undefined,
  ): Promise<SubjectAccessOutcome> {
    if (subject.kind === 'case') {
      const caseRef = subject.caseRef.trim();
      if (!CASE_REF_PATTERN.test(caseRef))
        return refuse('bad_case_ref', 'Give a case reference: letters and digits, such as 1234567.');
    } else {
      const asked = subject.idOrEmail.trim();
      if (!asked || asked.length > 320 || /\s/.test(asked))
        return refuse(
          'bad_person',
          'Give the person’s staff id (their Entra object id) or their email address.',
        );
    }
    const at = this.clock.now().toISOString();
    const actor = actorId === COMMAND_LINE_ACTOR ? null : await getStaff(this.db, actorId);
    const report = await this.db.transaction().execute(async (trx) => {
      const built =
        subject.kind === 'case'
          ? await this.caseReport(trx, subject.caseRef.trim())
          : await this.personReport(trx, subject.idOrEmail.trim());
      const full: SubjectAccessReport = {
        product: 'Case Records Assistant',
        compiledAt: at,
        compiledBy: { id: actorId, name: actor?.name ?? null, via },
        ...built,
      };
      const about =
        full.subject.kind === 'case'
          ? `case:${full.subject.caseRef}`
          : `person:${full.subject.id ?? full.subject.asked}`;
      await appendAudit(trx, {
        at,
        actorId,
        action: 'subject_access.reported',
        entityType: 'subject_access',
        entityId: about,
        details: {
          via,
          ...(format ? { format } : {}),
          rows: Object.fromEntries(full.sections.map((s) => [s.id, s.rows.length])),
        },
      });
      return full;
    });
    return { ok: true, report };
  }

  /** Names for the ids a report mentions; ids not in the directory keep no name. */
  private async people(
    trx: Transaction<Database>,
    ids: Iterable<string | null>,
  ): Promise<{ id: string; name: string }[]> {
    const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
    const found = new Map<string, string>();
    for (const part of chunk(wanted, 500)) {
      for (const [id, person] of await getStaffMany(trx, part)) found.set(id, person.name);
    }
    return [...found].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  private async caseReport(
    trx: Transaction<Database>,
    caseRef: string,
  ): Promise<Omit<SubjectAccessReport, 'product' | 'compiledAt' | 'compiledBy'>> {
    const kase = await trx.selectFrom('cases').selectAll().where('case_ref', '=', caseRef).execute();
    const records = await trx
      .selectFrom('records')
      .select([
        'record_id',
        'record_class',
        'title',
        'format',
        'location',
        'retention_ends_on',
        'retention_rule',
        'retention_action',
        'retention_kept_with',
        'retention_missing',
        'disposition',
        'review_on',
        'destroyed_on',
        'transferred_on',
        'schedule_version',
        'updated_at',
      ])
      .where('case_ref', '=', caseRef)
      .orderBy('record_id')
      .execute();
    const recordIds = records.map((r) => r.record_id);
    const requests = await trx
      .selectFrom('removal_authorisations')
      .selectAll()
      .where('case_ref', '=', caseRef)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const requestIds = requests.map((r) => r.id);
    const history = requestIds.length
      ? await trx
          .selectFrom('authorisation_history')
          .selectAll()
          .where('authorisation_id', 'in', requestIds)
          .orderBy('authorisation_id')
          .orderBy('version')
          .execute()
      : [];
    const holds = await trx
      .selectFrom('holds')
      .selectAll()
      .where('case_ref', '=', caseRef)
      .orderBy('placed_at')
      .orderBy('id')
      .execute();
    const decisions = await trx
      .selectFrom('disposition_decisions')
      .selectAll()
      .where('case_ref', '=', caseRef)
      .orderBy('decided_at')
      .orderBy('id')
      .execute();
    const register = await trx
      .selectFrom('destruction_register')
      .selectAll()
      .where('case_ref', '=', caseRef)
      .orderBy('destroyed_on')
      .orderBy('id')
      .execute();
    const batchItems = recordIds.length
      ? await trx
          .selectFrom('destruction_batch_items as i')
          .innerJoin('destruction_batches as b', 'b.id', 'i.batch_id')
          .select([
            'b.reference',
            'b.status',
            'b.created_by',
            'b.created_at',
            'b.confirmed_by',
            'b.confirmed_at',
            'b.cancelled_by',
            'b.cancelled_at',
            'b.cancel_reason',
            'i.record_id',
            'i.eligible',
            'i.checks',
            'i.outcome',
          ])
          .where('i.record_id', 'in', recordIds)
          .orderBy('b.created_at')
          .orderBy('i.record_id')
          .execute()
      : [];
    const holdIds = holds.map((h) => h.id);
    const audit = await this.auditAbout(trx, [
      ['removal_authorisation', requestIds],
      ['hold', holdIds],
      ['record', recordIds],
      ['subject_access', [`case:${caseRef}`]],
    ]);
    const outbox = requestIds.length
      ? await trx
          .selectFrom('outbox')
          .select([
            'authorisation_id',
            'recipient_id',
            'kind',
            'payload',
            'due_at',
            'created_at',
            'sent_at',
            'failed_at',
          ])
          .where('authorisation_id', 'in', requestIds)
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      : [];
    const cards = requestIds.length
      ? await trx
          .selectFrom('card_messages')
          .select(['authorisation_id', 'recipient_id', 'created_at'])
          .where('authorisation_id', 'in', requestIds)
          .orderBy('created_at')
          .execute()
      : [];

    const sections: Section[] = [
      {
        id: 'case',
        title: 'Case',
        about: 'The case dates the inventory holds, from which retention is counted.',
        rows: kase.map((c) => ({ ...c })),
      },
      {
        id: 'records',
        title: 'Records',
        about: 'The case’s records in the inventory, with where retention stands for each.',
        rows: records.map((r) => ({ ...r })),
      },
      {
        id: 'removal_requests',
        title: 'Removal requests',
        about: 'Requests to take the case’s records out of the office, with the decision and reason.',
        rows: requests.map((r) => ({ ...r, record_ids: json(r.record_ids), version: num(r.version) })),
      },
      {
        id: 'request_history',
        title: 'Request history',
        about: 'Every change to each request: from and to which state, who, when and why.',
        rows: history.map((h) => ({ ...h, version: num(h.version) })),
      },
      {
        id: 'holds',
        title: 'Holds',
        about:
          'Holds on the case or its records (litigation, claims, subject access, FOI, inquiries), placed and released with reasons.',
        rows: holds.map((h) => ({ ...h, sar_extended: num(h.sar_extended), sar_pauses: json(h.sar_pauses) })),
      },
      {
        id: 'review_decisions',
        title: 'Review decisions',
        about:
          'Decisions on the case’s reviewed records, with who made them (name and role at the time) and why.',
        rows: decisions.map((d) => ({ ...d, keep_years: num(d.keep_years) })),
      },
      {
        id: 'destruction_batches',
        title: 'Destruction batches',
        about:
          'The case’s records in destruction batches, with the checks made and the outcome (other cases’ records in the same batches are left out).',
        rows: batchItems.map((i) => ({ ...i, eligible: num(i.eligible), checks: json(i.checks) })),
      },
      {
        id: 'destruction_register',
        title: 'Destruction register',
        about: 'Register entries for the case’s destroyed records.',
        rows: register.map((e) => ({
          ...e,
          quantity: num(e.quantity),
          checks: json(e.checks),
          hold_checks: json(e.hold_checks),
          review_decision: json(e.review_decision),
        })),
      },
      {
        id: 'audit_entries',
        title: 'Audit entries',
        about:
          'Audit entries about the case’s requests, holds and records, and earlier subject access reports on it.',
        rows: audit,
      },
      {
        id: 'notifications',
        title: 'Notifications',
        about: 'Notifications queued about the case’s requests: to whom, what kind, and when sent.',
        rows: outbox.map((o) => ({ ...o, payload: json(o.payload) })),
      },
      {
        id: 'card_messages',
        title: 'Card messages',
        about:
          'Cards about the case’s requests sent to people’s Teams chats (who and when; not where their chat is).',
        rows: cards.map((c) => ({ ...c })),
      },
    ];
    const named = [
      ...requests.flatMap((r) => [r.requester_id, r.decided_by]),
      ...history.map((h) => h.actor_id),
      ...holds.flatMap((h) => [h.placed_by, h.released_by]),
      ...decisions.map((d) => d.decided_by),
      ...register.flatMap((e) => [e.authorised_by, e.destroyed_by]),
      ...batchItems.flatMap((i) => [i.created_by, i.confirmed_by, i.cancelled_by]),
      ...audit.map((a) => a.actor_id as string),
      ...outbox.map((o) => o.recipient_id),
      ...cards.map((c) => c.recipient_id),
    ];
    return {
      subject: { kind: 'case', caseRef },
      nothingHeld: sections.every((s) => !s.rows.length),
      notes: CASE_NOTES,
      sections,
      people: await this.people(trx, named),
    };
  }

  /** Audit entries about these entities, whole (they are about the subject). */
  private async auditAbout(
    trx: Transaction<Database>,
    entities: readonly (readonly [string, readonly string[]])[],
  ): Promise<SectionRow[]> {
    const rows: SectionRow[] = [];
    for (const [type, ids] of entities) {
      for (const part of chunk([...ids], 500)) {
        const found = await trx
          .selectFrom('audit_log')
          .select(['seq', 'at', 'actor_id', 'action', 'entity_type', 'entity_id', 'details'])
          .where('entity_type', '=', type)
          .where('entity_id', 'in', part)
          .execute();
        rows.push(...found.map((a) => ({ ...a, seq: Number(a.seq), details: json(a.details) })));
      }
    }
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  private async personReport(
    trx: Transaction<Database>,
    asked: string,
  ): Promise<Omit<SubjectAccessReport, 'product' | 'compiledAt' | 'compiledBy'>> {
    const lower = asked.toLowerCase();
    const staff = await trx
      .selectFrom('staff')
      .selectAll()
      .where((eb) => eb.or([eb('aad_object_id', '=', lower), eb(eb.fn('lower', ['email']), '=', lower)]))
      .orderBy('aad_object_id')
      .execute();
    const person = staff[0] ?? null;
    const id = person?.aad_object_id ?? (asked.includes('@') ? null : lower);
    const by = <T>(work: (id: string) => Promise<T[]>): Promise<T[]> => (id ? work(id) : Promise.resolve([]));

    const directory = await by((i) =>
      trx.selectFrom('directory_users').selectAll().where('id', '=', i).execute(),
    );
    const covers = await by((i) =>
      trx
        .selectFrom('acting_managers')
        .selectAll()
        .where((eb) => eb.or([eb('manager_id', '=', i), eb('acting_manager_id', '=', i)]))
        .orderBy('created_at')
        .execute(),
    );
    const made = await by((i) =>
      trx
        .selectFrom('removal_authorisations')
        .selectAll()
        .where('requester_id', '=', i)
        .orderBy('created_at')
        .execute(),
    );
    const madeIds = made.map((r) => r.id);
    const history = await by((i) =>
      trx
        .selectFrom('authorisation_history as h')
        .innerJoin('removal_authorisations as r', 'r.id', 'h.authorisation_id')
        .select([
          'h.authorisation_id',
          'r.case_ref',
          'h.version',
          'h.from_status',
          'h.to_status',
          'h.actor_id',
          'h.reason',
          'h.at',
        ])
        .where((eb) => eb.or([eb('h.actor_id', '=', i), eb('r.requester_id', '=', i)]))
        .orderBy('h.at')
        .orderBy('h.authorisation_id')
        .orderBy('h.version')
        .execute(),
    );
    const decided = await by((i) =>
      trx
        .selectFrom('removal_authorisations')
        .select(['id', 'case_ref', 'status', 'out_on', 'return_on', 'decided_by', 'decided_at', 'reason'])
        .where('decided_by', '=', i)
        .where('requester_id', '!=', i)
        .orderBy('decided_at')
        .execute(),
    );
    const holds = await by((i) =>
      trx
        .selectFrom('holds')
        .select([
          'id',
          'case_ref',
          'record_id',
          'type',
          'reference',
          'reason',
          'placed_by',
          'placed_at',
          'released_by',
          'released_at',
          'release_reason',
        ])
        .where((eb) => eb.or([eb('placed_by', '=', i), eb('released_by', '=', i)]))
        .orderBy('placed_at')
        .execute(),
    );
    const classHolds = await by((i) =>
      trx
        .selectFrom('blanket_holds')
        .selectAll()
        .where((eb) => eb.or([eb('placed_by', '=', i), eb('released_by', '=', i)]))
        .orderBy('placed_at')
        .execute(),
    );
    const decisions = await by((i) =>
      trx
        .selectFrom('disposition_decisions')
        .select([
          'id',
          'record_id',
          'case_ref',
          'record_class',
          'decision',
          'reason',
          'keep_years',
          'review_on',
          'decided_by',
          'decided_by_name',
          'decided_by_role',
          'decided_at',
        ])
        .where('decided_by', '=', i)
        .orderBy('decided_at')
        .execute(),
    );
    const batches = await by((i) =>
      trx
        .selectFrom('destruction_batches')
        .select([
          'id',
          'reference',
          'status',
          'created_by',
          'created_by_name',
          'created_by_role',
          'created_at',
          'confirmed_by',
          'confirmed_by_name',
          'confirmed_by_role',
          'confirmed_at',
          'cancelled_by',
          'cancelled_at',
          'cancel_reason',
          'log_checks',
        ])
        .where((eb) =>
          eb.or([eb('created_by', '=', i), eb('confirmed_by', '=', i), eb('cancelled_by', '=', i)]),
        )
        .orderBy('created_at')
        .execute(),
    );
    const register = await by((i) =>
      trx
        .selectFrom('destruction_register')
        .select([
          'id',
          'record_id',
          'case_ref',
          'destroyed_on',
          'method',
          'certificate_ref',
          'authorised_by',
          'authorised_by_name',
          'authorised_by_role',
          'authorised_at',
          'destroyed_by',
          'destroyed_by_name',
          'destroyed_by_role',
        ])
        .where((eb) => eb.or([eb('authorised_by', '=', i), eb('destroyed_by', '=', i)]))
        .orderBy('destroyed_on')
        .execute(),
    );
    const audit: SectionRow[] = [];
    if (id) {
      const own = await trx
        .selectFrom('audit_log')
        .select(['seq', 'at', 'actor_id', 'action', 'entity_type', 'entity_id', 'details'])
        .where((eb) =>
          eb.or([
            eb('actor_id', '=', id),
            eb('entity_id', '=', id),
            eb('entity_id', '=', `person:${id}`),
            ...(covers.length
              ? [
                  eb.and([
                    eb('entity_type', '=', 'acting_manager'),
                    eb(
                      'entity_id',
                      'in',
                      covers.map((c) => c.id),
                    ),
                  ]),
                ]
              : []),
            ...(madeIds.length
              ? [eb.and([eb('entity_type', '=', 'removal_authorisation'), eb('entity_id', 'in', madeIds)])]
              : []),
          ]),
        )
        .orderBy('seq')
        .execute();
      audit.push(...own.map((a) => ({ ...a, seq: Number(a.seq), details: json(a.details) })));
      const seen = new Set(own.map((a) => Number(a.seq)));
      const others = await trx
        .selectFrom('audit_log')
        .select(['seq', 'at', 'actor_id', 'action', 'entity_type', 'entity_id', 'details'])
        .where('details', 'like', `%${id.replace(/[\\%_]/g, '')}%`)
        .orderBy('seq')
        .execute();
      for (const a of others) {
        if (seen.has(Number(a.seq))) continue;
        const found = mentions(json(a.details), id);
        if (!found.length) continue;
        audit.push({
          seq: Number(a.seq),
          at: a.at,
          actor_id: a.actor_id,
          action: a.action,
          entity_type: a.entity_type,
          entity_id: a.entity_id,
          mentioned_in: found,
        });
      }
      audit.sort((a, b) => Number(a.seq) - Number(b.seq));
    }
    const outbox = await by((i) =>
      trx
        .selectFrom('outbox')
        .select(['authorisation_id', 'kind', 'payload', 'due_at', 'created_at', 'sent_at', 'failed_at'])
        .where('recipient_id', '=', i)
        .orderBy('created_at')
        .execute(),
    );
    const conversation = await by((i) =>
      trx.selectFrom('conversation_references').selectAll().where('aad_object_id', '=', i).execute(),
    );
    const cards = await by((i) =>
      trx
        .selectFrom('card_messages')
        .selectAll()
        .where('recipient_id', '=', i)
        .orderBy('created_at')
        .execute(),
    );

    const sections: Section[] = [
      {
        id: 'staff_directory',
        title: 'Staff directory',
        about:
          'Their entry in the staff directory (from the CSV import or Microsoft Entra ID): name, email, roles, line manager, and when they left.',
        rows: staff.map((s) => ({ ...s })),
      },
      {
        id: 'entra_id',
        title: 'Entra ID account',
        about: 'What the directory sync keeps of their Entra ID account between syncs (no name or address).',
        rows: directory.map((d) => ({
          ...d,
          account_enabled: num(d.account_enabled),
          member: num(d.member),
        })),
      },
      {
        id: 'acting_manager_cover',
        title: 'Acting manager cover',
        about: 'Cover they gave (as line manager) or took (as acting manager).',
        rows: covers.map((c) => ({ ...c })),
      },
      {
        id: 'removal_requests_made',
        title: 'Removal requests made',
        about: 'Requests they made to take case records out of the office.',
        rows: made.map((r) => ({ ...r, record_ids: json(r.record_ids), version: num(r.version) })),
      },
      {
        id: 'request_history',
        title: 'Request history',
        about: 'Every change to their own requests, and every change they made to other people’s.',
        rows: history.map((h) => ({ ...h, version: num(h.version) })),
      },
      {
        id: 'requests_decided',
        title: 'Requests decided',
        about:
          'Other people’s requests they decided: the request and case references, the dates, and their decision and reason.',
        rows: decided.map((r) => ({ ...r })),
      },
      {
        id: 'holds',
        title: 'Holds',
        about: 'Holds on cases and records they placed or released, with the reasons they gave.',
        rows: holds.map((h) => ({ ...h })),
      },
      {
        id: 'class_holds',
        title: 'Holds on whole classes',
        about: 'Holds on whole classes of records they placed or released.',
        rows: classHolds.map((h) => ({ ...h, classes: json(h.classes) })),
      },
      {
        id: 'review_decisions',
        title: 'Review decisions',
        about: 'Review decisions they made, with their name and role at the time.',
        rows: decisions.map((d) => ({ ...d, keep_years: num(d.keep_years) })),
      },
      {
        id: 'destruction_batches',
        title: 'Destruction batches',
        about: 'Batches they created, confirmed or cancelled, with their name and role at the time.',
        rows: batches.map((b) => ({ ...b, log_checks: json(b.log_checks) })),
      },
      {
        id: 'destruction_register',
        title: 'Destruction register',
        about: 'Register entries they authorised or confirmed, with their name and role at the time.',
        rows: register.map((e) => ({ ...e })),
      },
      {
        id: 'audit_entries',
        title: 'Audit entries',
        about:
          'Audit entries they made or that are about them (whole), and entries by others that mention them (the fields that do).',
        rows: audit,
      },
      {
        id: 'notifications',
        title: 'Notifications',
        about: 'Notifications queued for them: what kind, about which request, and when sent.',
        rows: outbox.map((o) => ({ ...o, payload: json(o.payload) })),
      },
      {
        id: 'conversation_reference',
        title: 'Teams conversation',
        about:
          'Where the bot reaches them in Teams (their 1:1 chat), kept until they leave or uninstall the app.',
        rows: conversation.map((c) => ({ ...c, reference: json(c.reference) })),
      },
      {
        id: 'card_messages',
        title: 'Card messages',
        about: 'Cards sent to their Teams chat, by request.',
        rows: cards.map((c) => ({ ...c })),
      },
    ];
    const named = [
      person?.line_manager_id ?? null,
      ...covers.flatMap((c) => [c.manager_id, c.acting_manager_id]),
      ...made.map((r) => r.decided_by),
      ...history.map((h) => h.actor_id),
      ...(id ? [id] : []),
    ];
    return {
      subject: {
        kind: 'person',
        id: person?.aad_object_id ?? null,
        name: person?.display_name ?? null,
        email: person?.email ?? null,
        asked,
      },
      nothingHeld: sections.every((s) => !s.rows.length),
      notes: PERSON_NOTES,
      sections,
      people: await this.people(trx, named),
    };
  }
}
