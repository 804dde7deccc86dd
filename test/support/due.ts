import { sql, type Kysely } from 'kysely';
import { dueMonth, dueRecords, type DueFilter } from '../../src/store/destruction.js';
import type { Database } from '../../src/store/schema.js';

/**
 * Due records by class and month, counted from the records themselves: what "what is due" reads
 * from its kept counts (store/due-counts.ts) must equal this.
 */
export async function countDueRecords(
  db: Kysely<Database>,
  filter: DueFilter,
): Promise<{ record_class: string; month: string; n: number }[]> {
  const rows = await dueRecords(db, filter)
    .select(['record_class', dueMonth.as('month'), sql<number | string>`count(*)`.as('n')])
    .groupBy(['record_class', dueMonth])
    .orderBy(dueMonth)
    .orderBy('record_class')
    .execute();
  return rows.map((r) => ({ record_class: r.record_class, month: r.month, n: Number(r.n) }));
}
