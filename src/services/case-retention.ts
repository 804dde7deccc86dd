import type { Kysely } from 'kysely';
import {
  calculateRetention,
  isOut,
  type AuthorisationStatus,
  type HoldType,
  type IsoDate,
  type RetentionAnswer,
  type Schedule,
} from '../rules/index.js';
import type { Database } from '../store/schema.js';
import { caseDates, getCase, listCaseRecords } from '../store/inventory.js';
import { today, type Clock } from './clock.js';

export interface RecordRetention {
  recordId: string;
  title: string;
  format: string;
  answer: RetentionAnswer;
  holds: { id: string; type: HoldType; reference: string; scope: 'case' | 'record' }[];
  /** The authorisation under which the record is out of the office, if any. */
  out: { authorisationId: string; returnOn: IsoDate; status: AuthorisationStatus } | null;
}

export interface CaseRetention {
  caseRef: string;
  scheduleVersion: string;
  records: RecordRetention[];
}

/**
 * The retention status of every record of a case on `today`, with active holds and whether each
 * record is out of the office. Null when the case is not in the inventory. Shows only case
 * references and record titles.
 */
export async function caseRetention(
  db: Kysely<Database>,
  schedule: Schedule,
  caseRef: string,
  today: IsoDate,
): Promise<CaseRetention | null> {
  const kase = await getCase(db, caseRef);
  if (!kase) return null;
  const [records, holds, authorisations] = await Promise.all([
    listCaseRecords(db, caseRef),
    db
      .selectFrom('holds')
      .select(['id', 'record_id', 'type', 'reference'])
      .where('case_ref', '=', caseRef)
      .where('released_at', 'is', null)
      .execute(),
    db
      .selectFrom('removal_authorisations')
      .select(['id', 'record_ids', 'return_on', 'status'])
      .where('case_ref', '=', caseRef)
      .where('status', 'in', ['approved', 'return_requested'])
      .execute(),
  ]);
  const dates = caseDates(kase);
  return {
    caseRef,
    scheduleVersion: schedule.version,
    records: records.map((record) => {
      const recordHolds = holds
        .filter((h) => h.record_id === null || h.record_id === record.record_id)
        .map((h) => ({
          id: h.id,
          type: h.type as HoldType,
          reference: h.reference,
          scope: h.record_id === null ? ('case' as const) : ('record' as const),
        }));
      const out = authorisations.find((a) => {
        const ids = JSON.parse(a.record_ids) as string[];
        return (
          isOut({ status: a.status as AuthorisationStatus }) &&
          (ids.length === 0 || ids.includes(record.record_id))
        );
      });
      return {
        recordId: record.record_id,
        title: record.title,
        format: record.format,
        answer: calculateRetention(
          schedule,
          {
            recordClass: record.record_class,
            dates,
            destroyedOn: record.destroyed_on,
            activeHolds: recordHolds,
          },
          today,
        ),
        holds: recordHolds,
        out: out
          ? { authorisationId: out.id, returnOn: out.return_on, status: out.status as AuthorisationStatus }
          : null,
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
