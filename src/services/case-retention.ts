import type { Kysely } from 'kysely';
import {
  blanketHoldCovers,
  calculateRetention,
  isOut,
  withDisposition,
  type AuthorisationStatus,
  type DispositionState,
  type HoldType,
  type IsoDate,
  type RetentionAnswer,
  type Schedule,
} from '../rules/index.js';
import type { Database } from '../store/schema.js';
import { toBlanketHold } from '../store/blanket-holds.js';
import { dispositionStates } from '../store/destruction.js';
import { caseDates, getCase, listCaseRecords } from '../store/inventory.js';
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

/**
 * Retention questions about a case. Any member of staff may ask (the procedure's retention
 * answers are for everyone), so the only check is that the asker was identified; the answer names
 * case references and record titles, never a child's details.
 */
export class CaseRetentionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly schedule: Schedule,
  ) {}

  /** The case's retention status today, for `actorId`; null when the inventory does not hold it. */
  async status(actorId: string, caseRef: string): Promise<CaseRetention | null> {
    if (!actorId) return null;
    return caseRetention(this.db, this.schedule, caseRef.trim(), today(this.clock));
  }

  /** The case a record belongs to, to answer a question about one record; null when it is not in the inventory. */
  async caseOfRecord(actorId: string, recordId: string): Promise<string | null> {
    if (!actorId) return null;
    const row = await this.db
      .selectFrom('records')
      .select('case_ref')
      .where('record_id', '=', recordId.trim())
      .executeTakeFirst();
    return row?.case_ref ?? null;
  }
}
