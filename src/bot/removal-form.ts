import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { removalFormCard, type CardJson, type RemovalFormData } from '../cards/index.js';
import type { IsoDate, RequestProblem } from '../rules/index.js';
import type { Database } from '../store/schema.js';
import { getStaff, type StaffMember } from '../store/staff.js';

export type FormValues = Omit<
  RemovalFormData,
  'formId' | 'managerName' | 'caseUnknown' | 'records' | 'today' | 'problems'
>;

/**
 * The removal form for `actor`, filled with `values`: the case's records to choose from, their
 * line manager's name, and any problems to fix. Used for a new request and to show it again.
 */
export async function removalForm(
  db: Kysely<Database>,
  actor: StaffMember,
  values: FormValues,
  problems: RequestProblem[],
  today: IsoDate,
): Promise<CardJson> {
  const caseRef = values.caseRef.trim();
  const kase = caseRef
    ? await db.selectFrom('cases').select('case_ref').where('case_ref', '=', caseRef).executeTakeFirst()
    : undefined;
  const records = kase
    ? await db
        .selectFrom('records')
        .select(['record_id as id', 'title'])
        .where('case_ref', '=', caseRef)
        .where('destroyed_on', 'is', null)
        .orderBy('record_id')
        .limit(50)
        .execute()
    : [];
  const manager = actor.lineManagerId ? await getStaff(db, actor.lineManagerId) : undefined;
  return removalFormCard({
    ...values,
    caseRef,
    formId: randomUUID(),
    managerName: manager?.name ?? null,
    caseUnknown: !!caseRef && !kase,
    records,
    today,
    problems,
  });
}
