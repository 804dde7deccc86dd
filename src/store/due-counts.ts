import { sql, type Kysely } from 'kysely';
import type { Dialect } from './connection.js';
import { dueMonth, dueRecords, dueUnderReview, type DueFilter } from './destruction.js';
import type { Database } from './schema.js';

// "What is due for destruction", counted by class and month, kept up to date by the database
// itself: triggers on `records` add and take away from `due_counts` in the same transaction as
// every change to a record (the import, a recompute after the schedule changed, a destruction, a
// review decision, a transfer, or anything else that writes the table), so the counts can never
// drift from the records. Holds do not enter into it: a held record is still due, shown as held.
//
// What is kept: the records that are due as soon as their retention has ended, with no review
// date of their own (a decision to keep a record until a review date is rare): not destroyed, not
// transferred, and destroyed at the end of retention or decided to be destroyed. The summary for a
// due-by date is the kept counts of the months before its month, with that month's records up to
// the date and the records under a review date read from the index (both a handful).

/**
 * Whether a record (`row`: NEW or OLD in a trigger, or a table alias) is in the kept counts: the
 * condition of `dueRecords` (store/destruction.ts) that does not depend on the due-by date, for
 * records without a review date.
 */
function kept(row: string): string {
  return `(${row}.destroyed_on IS NULL AND ${row}.transferred_on IS NULL AND ${row}.review_on IS NULL
    AND ${row}.retention_ends_on IS NOT NULL
    AND ((${row}.retention_action = 'destroy' AND (${row}.disposition IS NULL OR ${row}.disposition = 'keep'))
      OR ${row}.disposition = 'destroy'))`;
}

/** The month a record's retention ended, as the summary groups it: YYYY-MM. */
function monthOf(row: string): string {
  return `substr(${row}.retention_ends_on, 1, 7)`;
}

/** The columns whose change can move a record in or out of the counts, or between them. */
const COUNTED_COLUMNS = [
  'record_class',
  'retention_ends_on',
  'retention_action',
  'disposition',
  'review_on',
  'destroyed_on',
  'transferred_on',
];

/** The statements that make the table and its triggers, and count the records already there. */
export function dueCountsSchema(dialect: Dialect): string[] {
  const table = `CREATE TABLE due_counts (
    record_class text NOT NULL,
    month text NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (month, record_class))`;
  // The few records under a review date, found without reading the due index's many entries.
  const reviewIndex = `CREATE INDEX records_review_idx ON records (review_on)
    WHERE review_on IS NOT NULL AND destroyed_on IS NULL AND transferred_on IS NULL`;
  // A page of due records in the order shown (longest past the end of retention, then by id),
  // read off the index from its start rather than sorting every due record for the first twenty.
  const pageIndex = `CREATE INDEX records_due_page_idx ON records (retention_ends_on, record_id)
    WHERE destroyed_on IS NULL AND transferred_on IS NULL`;
  const fill = `INSERT INTO due_counts (record_class, month, n)
    SELECT record_class, ${monthOf('r')}, count(*) FROM records r WHERE ${kept('r')}
    GROUP BY record_class, ${monthOf('r')}`;
  if (dialect === 'sqlite') {
    const add = (row: string) => `INSERT INTO due_counts (record_class, month, n)
      SELECT ${row}.record_class, ${monthOf(row)}, 1 WHERE ${kept(row)}
      ON CONFLICT (record_class, month) DO UPDATE SET n = n + 1;`;
    const take = (row: string) => `UPDATE due_counts SET n = n - 1
      WHERE ${kept(row)} AND record_class = ${row}.record_class AND month = ${monthOf(row)};`;
    return [
      table,
      reviewIndex,
      pageIndex,
      `CREATE TRIGGER records_due_counts_insert AFTER INSERT ON records WHEN ${kept('NEW')}
        BEGIN ${add('NEW')} END`,
      `CREATE TRIGGER records_due_counts_delete AFTER DELETE ON records WHEN ${kept('OLD')}
        BEGIN ${take('OLD')} END`,
      `CREATE TRIGGER records_due_counts_update AFTER UPDATE OF ${COUNTED_COLUMNS.join(', ')} ON records
        WHEN ${kept('OLD')} OR ${kept('NEW')}
        BEGIN ${take('OLD')} ${add('NEW')} END`,
      fill,
    ];
  }
  // PostgreSQL: once per statement, from the rows it changed (an import's batch of a thousand
  // rows is one upsert of its counts, not a thousand). Counts are taken and added in key order,
  // so statements changing the same counts at once wait for each other and never deadlock.
  const take = `FOR c IN SELECT o.record_class, ${monthOf('o')} AS month, count(*) AS n
      FROM old_rows o WHERE ${kept('o')} GROUP BY 1, 2 ORDER BY 1, 2 LOOP
      UPDATE due_counts SET n = due_counts.n - c.n WHERE record_class = c.record_class AND month = c.month;
    END LOOP;`;
  const add = `INSERT INTO due_counts (record_class, month, n)
      SELECT w.record_class, ${monthOf('w')}, count(*) FROM new_rows w WHERE ${kept('w')}
      GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (record_class, month) DO UPDATE SET n = due_counts.n + EXCLUDED.n;`;
  return [
    table,
    reviewIndex,
    pageIndex,
    `CREATE FUNCTION records_due_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE c record;
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN ${take} END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN ${add} END IF;
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER records_due_counts_insert AFTER INSERT ON records
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_due_counts()`,
    `CREATE TRIGGER records_due_counts_update AFTER UPDATE ON records
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_due_counts()`,
    `CREATE TRIGGER records_due_counts_delete AFTER DELETE ON records
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION records_due_counts()`,
    fill,
  ];
}

export interface DueGroupRow {
  record_class: string;
  month: string;
  n: number;
}

/** The kept counts of the months before the due-by date's, in the summary's order (the key's). */
export function keptDueCounts(db: Kysely<Database>, filter: DueFilter) {
  let query = db
    .selectFrom('due_counts')
    .select(['record_class', 'month', 'n'])
    .where('month', '<', filter.dueBy.slice(0, 7))
    .where('n', '>', 0);
  if (filter.classId) query = query.where('record_class', '=', filter.classId);
  return query.orderBy('month').orderBy('record_class');
}

/** The due-by date's month, up to the date, from the due index: the records the counts keep. */
export function dueInMonthOf(db: Kysely<Database>, filter: DueFilter) {
  return dueRecords(db, filter)
    .where('review_on', 'is', null)
    .where('retention_ends_on', '>=', `${filter.dueBy.slice(0, 7)}-01`)
    .select(['record_class', sql<number | string>`count(*)`.as('n')])
    .groupBy('record_class');
}

/**
 * Due records by class and the month their retention ended, oldest month first: the kept counts
 * of the months before the due-by date's, that month's records up to the date, and the records
 * under a review date, added together; what counting every due record would give.
 */
export async function dueGroups(db: Kysely<Database>, filter: DueFilter): Promise<DueGroupRow[]> {
  const month = filter.dueBy.slice(0, 7);
  const [kept, thisMonth, reviewed] = await Promise.all([
    keptDueCounts(db, filter).execute(),
    dueInMonthOf(db, filter).execute(),
    dueUnderReview(db, filter)
      .select(['record_class', dueMonth.as('month'), sql<number | string>`count(*)`.as('n')])
      .groupBy(['record_class', dueMonth])
      .execute(),
  ]);
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const groups: DueGroupRow[] = kept.map((r) => ({
    record_class: r.record_class,
    month: r.month,
    n: Number(r.n),
  }));
  // The records under review dates (a few) are added to the kept counts of their months.
  if (reviewed.length) {
    const at = new Map(groups.map((g, i) => [`${g.month} ${g.record_class}`, i]));
    for (const r of reviewed) {
      const i = at.get(`${r.month} ${r.record_class}`);
      if (i === undefined) groups.push({ record_class: r.record_class, month: r.month, n: Number(r.n) });
      else groups[i]!.n += Number(r.n);
    }
    groups.sort((a, b) => order(a.month, b.month) || order(a.record_class, b.record_class));
  }
  // The due-by month comes after every kept month: its groups (from this month's records, and
  // any under a review date) go last, by class.
  const inMonth = new Map<string, DueGroupRow>();
  const earlier: DueGroupRow[] = [];
  for (const g of groups) {
    if (g.month < month) earlier.push(g);
    else inMonth.set(g.record_class, g);
  }
  for (const r of thisMonth) {
    const known = inMonth.get(r.record_class);
    if (known) known.n += Number(r.n);
    else inMonth.set(r.record_class, { record_class: r.record_class, month, n: Number(r.n) });
  }
  return [...earlier, ...[...inMonth.values()].sort((a, b) => order(a.record_class, b.record_class))];
}
