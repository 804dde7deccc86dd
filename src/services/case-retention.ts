import type { Kysely } from 'kysely';
import {
  blanketHoldCovers,
  calculateRetention,
  isOut,
  withDisposition,
  type AuthorisationStatus,
  type DispositionState,
  type HoldType,
  NOT_SET_UP,
  refuse,
  type IsoDate,
  type Refusal,
  type RetentionAnswer,
  type Schedule,
} from '../rules/index.js';
import type { Database } from '../store/schema.js';
import { toBlanketHold } from '../store/blanket-holds.js';
import { dispositionStates } from '../store/destruction.js';
import { caseDates, getCase, listCaseRecords } from '../store/inventory.js';
import { getStaff } from '../store/staff.js';
import type { CaseLookups, TooManyLookups } from './case-lookups.js';
import { today, type Clock } from './clock.js';

export interface RecordRetention {
  recordId: string;
  title: string;
  format: string;
  answer: RetentionAnswer;
  /** Holds in force on the record: on it, on its case, or on its whole class (`scope` class). */
  holds: { id: string; type: HoldType; reference: string; scope: 'case' | 'record' | 'class' }[];
  /** The authorisation under which the record is out of the office, if any. */
  out: { authorisationId: string; returnOn: IsoDate; status: AuthorisationStatus } | null;
  /** The Records Management Service's latest review decision, if any. */
  disposition: DispositionState | null;
}

export interface CaseRetention {
  caseRef: string;
  scheduleVersion: string;
  records: RecordRetention[];
}

/**
 * The retention status of every record of a case on `today`, looking across the child's records
 * ("kept with" rules), with the holds in force, any review decision and whether each record is
 * out of the office. Null when the case is not in the inventory. Shows only case references and
 * record titles.
 */
export async function caseRetention(
  db: Kysely<Database>,
  schedule: Schedule,
  caseRef: string,
  today: IsoDate,
): Promise<CaseRetention | null> {
  const kase = await getCase(db, caseRef);
  if (!kase) return null;
  const [records, holds, blanket, authorisations] = await Promise.all([
    listCaseRecords(db, caseRef),
    db
      .selectFrom('holds')
      .select(['id', 'record_id', 'type', 'reference'])
      .where('case_ref', '=', caseRef)
      .where('released_at', 'is', null)
      .execute(),
    db.selectFrom('blanket_holds').selectAll().where('released_at', 'is', null).execute(),
    db
      .selectFrom('removal_authorisations')
      .select(['id', 'record_ids', 'return_on', 'status'])
      .where('case_ref', '=', caseRef)
      .where('status', 'in', ['approved', 'return_requested'])
      .execute(),
  ]);
  const inForce = blanket.map((row) => ({ hold: toBlanketHold(row), id: row.id }));
  const decisions = await dispositionStates(
    db,
    records.map((r) => r.disposition_id).filter((id): id is string => !!id),
  );
  const dates = caseDates(kase);
  const caseRecords = records.map((r) => ({ recordId: r.record_id, recordClass: r.record_class }));
  return {
    caseRef,
    scheduleVersion: schedule.version,
    records: records.map((record) => {
      const recordHolds = [
        ...holds
          .filter((h) => h.record_id === null || h.record_id === record.record_id)
          .map((h) => ({
            id: h.id,
            type: h.type as HoldType,
            reference: h.reference,
            scope: h.record_id === null ? ('case' as const) : ('record' as const),
          })),
        ...inForce
          .filter(({ hold }) => blanketHoldCovers(hold, record.record_class, today))
          .map(({ hold, id }) => ({
            id,
            type: hold.type,
            reference: hold.reference,
            scope: 'class' as const,
          })),
      ];
      const out = authorisations.find((a) => {
        const ids = JSON.parse(a.record_ids) as string[];
        return (
          isOut({ status: a.status as AuthorisationStatus }) &&
          (ids.length === 0 || ids.includes(record.record_id))
        );
      });
      const disposition = record.disposition_id ? (decisions.get(record.disposition_id) ?? null) : null;
      const answer = calculateRetention(
        schedule,
        {
          recordClass: record.record_class,
          recordId: record.record_id,
          caseRecords,
          dates,
          destroyedOn: record.destroyed_on,
          activeHolds: recordHolds,
        },
        today,
      );
      return {
        recordId: record.record_id,
        title: record.title,
        format: record.format,
        answer: withDisposition(answer, disposition, today),
        holds: recordHolds,
        out: out
          ? { authorisationId: out.id, returnOn: out.return_on, status: out.status as AuthorisationStatus }
          : null,
        disposition,
      };
    }),
  };
}

/** What a retention lookup comes to: the case's retention, or why it was not looked up. */
export type CaseStatus =
  | { ok: true; retention: CaseRetention }
  | Refusal<'not_in_directory' | 'case_unknown' | 'record_unknown'>
  | TooManyLookups;

/**
 * Retention questions about a case, for members of the staff directory only: anyone else (never
 * in it, or a leaver) is refused before anything is read. Each lookup counts towards the person's
 * hourly limit, found or not, so references cannot be tried one after another. The answer names
 * case references and record titles, never a child's details.
 */
export class CaseRetentionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly schedule: Schedule,
    private readonly lookups: CaseLookups,
  ) {}

  /** The retention status today of a case, or of the case a record belongs to, for `actorId`. */
  async status(actorId: string, which: { caseRef: string } | { recordId: string }): Promise<CaseStatus> {
    if (!(await getStaff(this.db, actorId))) return refuse('not_in_directory', NOT_SET_UP);
    const limited = await this.lookups.take(actorId);
    if (limited) return limited;
    let caseRef: string;
    if ('recordId' in which) {
      const recordId = which.recordId.trim();
      const row = await this.db
        .selectFrom('records')
        .select('case_ref')
        .where('record_id', '=', recordId)
        .executeTakeFirst();
      if (!row) return refuse('record_unknown', `Record ${recordId} is not in the records inventory.`);
      caseRef = row.case_ref;
    } else caseRef = which.caseRef.trim();
    const retention = await caseRetention(this.db, this.schedule, caseRef, today(this.clock));
    if (!retention) return refuse('case_unknown', `Case ${caseRef} is not in the records inventory.`);
    return { ok: true, retention };
  }
}
