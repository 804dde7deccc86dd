import {
  sql,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { IsoDate, PurgeableKind } from '../rules/index.js';
import { chunk } from '../chunk.js';
import { appendPurgeEntry } from './audit.js';
import { keyOf, type CoveredTable, type RowDigests } from './audit-rows.js';
import { activeBlanketHolds, lockBlanketHoldsShared } from './blanket-holds.js';
import { isPostgres, lockingRows } from './dialect.js';
import type { PurgeableAppendOnlyTable } from './purge-guard.js';
import type { Database } from './schema.js';

// What the purge removes, kind by kind, one batch per transaction. Each batch finds what has
// expired and is not needed (under a hold, decided under cover still kept, …), locks what a hold
// placed at the same moment would lock and looks again, appends the audit entry that records the
// removal (before removing anything: the database lets rows of the append-only tables go only as
// that entry names them), then removes exactly that, checking the counts.

/** When a kind's data expires: events before `instant` (stored instants) or `date` (stored dates). */
export interface Cutoff {
  date: IsoDate;
  instant: string;
}

export interface BatchContext {
  kind: PurgeableKind;
  cutoff: Cutoff;
  today: IsoDate;
  /** Rows of the kind's main table removed at most in one batch. */
  limit: number;
  at: string;
  actorId: string;
  /** Goes into the purge entry's details: the period, the schedule version. */
  details: Record<string, unknown>;
}

/** What one batch removed: rows by table (the audit entries under `audit_log`), and its purge entry. */
export interface BatchResult {
  removed: Record<string, number>;
  entrySeq: number;
}

/** Classes held today by holds on whole classes: none, every class, or these. */
type ClassScope = 'none' | 'all' | readonly string[];

async function classesHeld(db: Kysely<Database>, today: IsoDate): Promise<ClassScope> {
  const inForce = (await activeBlanketHolds(db)).filter(
    (h) => !h.released && today >= h.startsOn && (h.endsOn === null || today <= h.endsOn),
  );
  if (inForce.some((h) => h.classes === null)) return 'all';
  const classes = [...new Set(inForce.flatMap((h) => h.classes ?? []))];
  return classes.length ? classes : 'none';
}

/**
 * The case `column` names is under a hold in force: a hold on the case or on one of its records,
 * or a hold on a whole class one of its records is in.
 */
function caseHeld(column: RawBuilder<unknown>, scope: ClassScope): RawBuilder<SqlBool> {
  const onCase = sql`EXISTS (SELECT 1 FROM holds hh WHERE hh.case_ref = ${column} AND hh.released_at IS NULL)`;
  if (scope === 'none') return sql<SqlBool>`(${onCase})`;
  const classes =
    scope === 'all' ? sql`` : sql` AND rr.record_class IN (${sql.join(scope.map((c) => sql`${c}`))})`;
  return sql<SqlBool>`(${onCase} OR EXISTS (SELECT 1 FROM records rr WHERE rr.case_ref = ${column}${classes}))`;
}

/**
 * Waits for anything placing a hold on these cases (or on whole classes) to finish, and makes one
 * that starts later wait for this batch: a hold and the purge lock the same rows, in the same
 * order, as a hold and a destruction do.
 */
async function lockCases(trx: Transaction<Database>, caseRefs: readonly string[]): Promise<void> {
  await lockBlanketHoldsShared(trx);
  for (const refs of chunk([...new Set(caseRefs)].sort(), 500)) {
    await lockingRows(
      trx,
      trx.selectFrom('records').select('record_id').where('case_ref', 'in', refs).orderBy('record_id'),
    ).execute();
  }
}

/** Audit entries about these entities whose covered rows all go too (or that cover none). */
async function entriesAbout(
  trx: Transaction<Database>,
  entityType: string,
  ids: readonly string[],
  removing: Partial<Record<CoveredTable, ReadonlySet<string>>>,
): Promise<{ seq: number; hash: string }[]> {
  const found: { seq: number; hash: string }[] = [];
  for (const part of chunk([...ids], 500)) {
    const rows = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash', 'row_digests'])
      .where('entity_type', '=', entityType)
      .where('entity_id', 'in', part)
      .execute();
    for (const row of rows) {
      const digests = row.row_digests ? (JSON.parse(row.row_digests) as RowDigests) : {};
      const allGoing = (Object.entries(digests) as [CoveredTable, Record<string, string>][]).every(
        ([table, keys]) => Object.keys(keys).every((k) => removing[table]?.has(k)),
      );
      if (allGoing) found.push({ seq: Number(row.seq), hash: row.hash });
    }
  }
  return found.sort((a, b) => a.seq - b.seq);
}

/** Names the rows of an append-only table the purge entry `seq` removes. */
async function authorise(
  trx: Transaction<Database>,
  seq: number,
  table: PurgeableAppendOnlyTable,
  keys: readonly string[],
): Promise<void> {
  for (const part of chunk([...keys], 500)) {
    await trx
      .insertInto('purge_authorisations')
      .values(part.map((row_key) => ({ table_name: table, row_key, seq })))
      .execute();
  }
}

/**
 * Removes the rows of an append-only table the purge has named: on PostgreSQL through the function
 * that runs as the tables' owner (the application's role may not delete them itself), on SQLite
 * directly. Either way the table's trigger checks each row against the names and the purge entry.
 */
async function deleteAuthorised(
  trx: Transaction<Database>,
  table: PurgeableAppendOnlyTable,
): Promise<number> {
  if (isPostgres(trx)) {
    const { rows } = await sql<{ n: string | number }>`SELECT purge_authorised_rows(${table}) AS n`.execute(
      trx,
    );
    return Number(rows[0]?.n ?? 0);
  }
  const result =
    table === 'audit_log'
      ? await sql`DELETE FROM audit_log WHERE seq IN (
          SELECT CAST(row_key AS INTEGER) FROM purge_authorisations WHERE table_name = 'audit_log')`.execute(
          trx,
        )
      : await sql`DELETE FROM authorisation_history
          WHERE authorisation_id IN (
              SELECT substr(row_key, 1, instr(row_key, '/') - 1) FROM purge_authorisations
              WHERE table_name = 'authorisation_history')
            AND authorisation_id || '/' || version IN (
              SELECT row_key FROM purge_authorisations WHERE table_name = 'authorisation_history')`.execute(
          trx,
        );
  return Number(result.numAffectedRows ?? 0);
}

/** Deletes the rows of `table` whose `column` is one of `values`; returns how many went. */
async function deleteIn(
  trx: Transaction<Database>,
  table:
    | 'removal_authorisations'
    | 'holds'
    | 'blanket_holds'
    | 'acting_managers'
    | 'outbox'
    | 'card_messages'
    | 'batch_card_messages'
    | 'processed_activities'
    | 'conversation_references',
  column: 'id' | 'authorisation_id' | 'activity_key' | 'aad_object_id' | 'recipient_id',
  values: readonly string[],
): Promise<number> {
  let n = 0;
  for (const part of chunk([...values], 500)) {
    const result =
      await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(column)} IN (${sql.join(part)})`.execute(trx);
    n += Number(result.numAffectedRows ?? 0);
  }
  return n;
}

async function countIn(
  trx: Transaction<Database>,
  table: 'outbox' | 'card_messages' | 'batch_card_messages',
  column: 'authorisation_id' | 'recipient_id',
  ids: readonly string[],
): Promise<number> {
  let n = 0;
  for (const part of chunk([...ids], 500)) {
    const { rows } = await sql<{
      n: string | number;
    }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} IN (${sql.join(part)})`.execute(
      trx,
    );
    n += Number(rows[0]?.n ?? 0);
  }
  return n;
}

/** A planned removal: what goes, and how to remove it once the purge entry is there. */
interface Plan {
  removedRows: Partial<Record<CoveredTable, string[]>>;
  removedEntries: { seq: number; hash: string }[];
  /** Rows of each table that go (the audit entries counted under audit_log). */
  expected: Record<string, number>;
  remove(trx: Transaction<Database>, seq: number): Promise<Record<string, number>>;
}

/** Appends the purge entry, removes what the plan says, and checks every count. */
async function carryOut(trx: Transaction<Database>, context: BatchContext, plan: Plan): Promise<BatchResult> {
  const entry = await appendPurgeEntry(trx, {
    at: context.at,
    actorId: context.actorId,
    kind: context.kind,
    details: { kind: context.kind, cutoff: context.cutoff.date, ...context.details, rows: plan.expected },
    removedRows: plan.removedRows,
    removedEntries: plan.removedEntries,
  });
  const seq = Number(entry.seq);
  if (plan.removedEntries.length) {
    await authorise(
      trx,
      seq,
      'audit_log',
      plan.removedEntries.map((e) => String(e.seq)),
    );
  }
  const removed = await plan.remove(trx, seq);
  if (plan.removedEntries.length) removed.audit_log = await deleteAuthorised(trx, 'audit_log');
  await trx.deleteFrom('purge_authorisations').where('seq', '=', seq).execute();
  for (const [table, n] of Object.entries(plan.expected)) {
    if ((removed[table] ?? 0) !== n) {
      throw new Error(
        `Purge of ${context.kind}: expected to remove ${n} row(s) of ${table}, removed ${removed[table] ?? 0}; nothing was removed.`,
      );
    }
  }
  return { removed, entrySeq: seq };
}

const CLOSED = ['returned', 'declined', 'withdrawn'] as const;

// What has expired, kind by kind, before what is still needed is set apart: the purge removes the
// rows that are not needed, and what remains is counted as kept.

const requestExpired = (cutoff: Cutoff) => (eb: ExpressionBuilder<Database, 'removal_authorisations'>) =>
  eb.and([eb('status', 'in', CLOSED), eb('updated_at', '<', cutoff.instant)]);

const holdExpired = (cutoff: Cutoff) => (eb: ExpressionBuilder<Database, 'holds'>) =>
  eb.and([eb('released_at', 'is not', null), eb('released_at', '<', cutoff.instant)]);

const coverExpired = (cutoff: Cutoff) => (eb: ExpressionBuilder<Database, 'acting_managers'>) =>
  eb.or([
    eb('ends_on', '<', cutoff.date),
    eb.and([eb('revoked_at', 'is not', null), eb('revoked_at', '<', cutoff.instant)]),
  ]);

const notificationExpired = (cutoff: Cutoff) => (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.or([
    eb.and([eb('sent_at', 'is not', null), eb('sent_at', '<', cutoff.instant)]),
    eb.and([
      eb('sent_at', 'is', null),
      eb('failed_at', 'is not', null),
      eb('failed_at', '<', cutoff.instant),
    ]),
  ]);

/**
 * Picks the rows `pick` finds on cases not under a hold, locks their cases, and picks again among
 * them (a hold placed meanwhile keeps its case's rows); the ids of the rows that go.
 */
async function pickOnUnheldCases(
  trx: Transaction<Database>,
  c: BatchContext,
  pick: (scope: ClassScope, among?: readonly string[]) => Promise<{ id: string; case_ref: string }[]>,
): Promise<string[]> {
  const first = await pick(await classesHeld(trx, c.today));
  if (!first.length) return [];
  await lockCases(
    trx,
    first.map((r) => r.case_ref),
  );
  const chosen = await pick(
    await classesHeld(trx, c.today),
    first.map((r) => r.id),
  );
  return chosen.map((r) => r.id);
}

/** A plan removing rows of one table by id, with the audit entries about them. */
async function rowsWithEntries(
  trx: Transaction<Database>,
  table: 'holds' | 'blanket_holds' | 'acting_managers',
  entityType: string,
  ids: string[],
): Promise<Plan> {
  const entries = await entriesAbout(trx, entityType, ids, { [table]: new Set(ids) });
  return {
    removedRows: { [table]: ids },
    removedEntries: entries,
    expected: { [table]: ids.length, audit_log: entries.length },
    async remove(t) {
      return { [table]: await deleteIn(t, table, 'id', ids) };
    },
  };
}

/** A plan removing rows no audit entry covers, by `column`. */
function rowsOnly(
  table: 'outbox' | 'processed_activities',
  column: 'id' | 'activity_key',
  keys: readonly string[],
): Plan {
  return {
    removedRows: {},
    removedEntries: [],
    expected: { [table]: keys.length },
    async remove(t) {
      return { [table]: await deleteIn(t, table, column, keys) };
    },
  };
}

async function removalRequests(trx: Transaction<Database>, c: BatchContext): Promise<Plan | null> {
  const ids = await pickOnUnheldCases(trx, c, (scope, among) => {
    let query = trx
      .selectFrom('removal_authorisations')
      .select(['id', 'case_ref'])
      .where(requestExpired(c.cutoff))
      .where((eb) => eb.not(caseHeld(sql.ref('removal_authorisations.case_ref'), scope)));
    if (among) query = query.where('id', 'in', among);
    return query.orderBy('updated_at').orderBy('id').limit(c.limit).execute();
  });
  if (!ids.length) return null;
  const history: string[] = [];
  for (const part of chunk(ids, 500)) {
    const rows = await trx
      .selectFrom('authorisation_history')
      .select(['authorisation_id', 'version'])
      .where('authorisation_id', 'in', part)
      .execute();
    history.push(...rows.map((r) => keyOf([r.authorisation_id, Number(r.version)])));
  }
  const entries = await entriesAbout(trx, 'removal_authorisation', ids, {
    removal_authorisations: new Set(ids),
    authorisation_history: new Set(history),
  });
  return {
    removedRows: { removal_authorisations: ids, authorisation_history: history },
    removedEntries: entries,
    expected: {
      removal_authorisations: ids.length,
      authorisation_history: history.length,
      outbox: await countIn(trx, 'outbox', 'authorisation_id', ids),
      card_messages: await countIn(trx, 'card_messages', 'authorisation_id', ids),
      audit_log: entries.length,
    },
    async remove(t, seq) {
      await authorise(t, seq, 'authorisation_history', history);
      const removed: Record<string, number> = {};
      removed.authorisation_history = history.length ? await deleteAuthorised(t, 'authorisation_history') : 0;
      removed.outbox = await deleteIn(t, 'outbox', 'authorisation_id', ids);
      removed.card_messages = await deleteIn(t, 'card_messages', 'authorisation_id', ids);
      removed.removal_authorisations = await deleteIn(t, 'removal_authorisations', 'id', ids);
      return removed;
    },
  };
}

async function caseHolds(trx: Transaction<Database>, c: BatchContext): Promise<Plan | null> {
  const ids = await pickOnUnheldCases(trx, c, (scope, among) => {
    let query = trx
      .selectFrom('holds')
      .select(['id', 'case_ref'])
      .where(holdExpired(c.cutoff))
      .where((eb) => eb.not(caseHeld(sql.ref('holds.case_ref'), scope)));
    if (among) query = query.where('id', 'in', among);
    return query.orderBy('released_at').orderBy('id').limit(c.limit).execute();
  });
  return ids.length ? rowsWithEntries(trx, 'holds', 'hold', ids) : null;
}

async function classHolds(trx: Transaction<Database>, c: BatchContext): Promise<Plan | null> {
  const chosen = await trx
    .selectFrom('blanket_holds')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('released_at', 'is not', null), eb('released_at', '<', c.cutoff.instant)]),
        eb.and([
          eb('released_at', 'is', null),
          eb('ends_on', 'is not', null),
          eb('ends_on', '<', c.cutoff.date),
        ]),
      ]),
    )
    .orderBy('id')
    .limit(c.limit)
    .execute();
  const ids = chosen.map((r) => r.id);
  return ids.length ? rowsWithEntries(trx, 'blanket_holds', 'blanket_hold', ids) : null;
}

async function cover(trx: Transaction<Database>, c: BatchContext): Promise<Plan | null> {
  const chosen = await trx
    .selectFrom('acting_managers')
    .select('id')
    .where(coverExpired(c.cutoff))
    // Kept while a request the acting manager decided during the cover is kept.
    .where(
      (eb) =>
        sql<SqlBool>`NOT EXISTS (SELECT 1 FROM removal_authorisations r
          WHERE r.decided_by = ${eb.ref('acting_managers.acting_manager_id')}
            AND substr(r.decided_at, 1, 10) >= ${eb.ref('acting_managers.starts_on')}
            AND substr(r.decided_at, 1, 10) <= ${eb.ref('acting_managers.ends_on')})`,
    )
    .orderBy('id')
    .limit(c.limit)
    .execute();
  const ids = chosen.map((r) => r.id);
  return ids.length ? rowsWithEntries(trx, 'acting_managers', 'acting_manager', ids) : null;
}

async function notifications(trx: Transaction<Database>, c: BatchContext): Promise<Plan | null> {
  const scope = await classesHeld(trx, c.today);
  const chosen = await trx
    .selectFrom('outbox')
    .select('id')
    .where(notificationExpired(c.cutoff))
    // Kept while the request it is about is on a case under a hold.
    .where(
      (eb) =>
        sql<SqlBool>`NOT EXISTS (SELECT 1 FROM removal_authorisations r
          WHERE r.id = ${eb.ref('outbox.authorisation_id')} AND ${caseHeld(sql.ref('r.case_ref'), scope)})`,
    )
    .orderBy('id')
    .limit(c.limit)
    .execute();
  const ids = chosen.map((r) => r.id);
  return ids.length ? rowsOnly('outbox', 'id', ids) : null;
}

async function handledActivities(trx: Transaction<Database>, c: BatchContext): Promise<Plan | null> {
  const chosen = await trx
    .selectFrom('processed_activities')
    .select('activity_key')
    .where('created_at', '<', c.cutoff.instant)
    .orderBy('created_at')
    .limit(c.limit)
    .execute();
  const keys = chosen.map((r) => r.activity_key);
  return keys.length ? rowsOnly('processed_activities', 'activity_key', keys) : null;
}

async function conversationReferences(trx: Transaction<Database>, c: BatchContext): Promise<Plan | null> {
  const leavers = sql<SqlBool>`IN (SELECT aad_object_id FROM staff WHERE left_on IS NOT NULL)`;
  const refs = (
    await trx
      .selectFrom('conversation_references')
      .select('aad_object_id')
      .where((eb) =>
        eb.or([
          eb.and([eb('stale_at', 'is not', null), eb('stale_at', '<', c.cutoff.instant)]),
          sql<SqlBool>`aad_object_id ${leavers}`,
        ]),
      )
      .orderBy('aad_object_id')
      .limit(c.limit)
      .execute()
  ).map((r) => r.aad_object_id);
  /** Leavers a table still keeps card messages for. */
  const leaversWithCards = async (table: 'card_messages' | 'batch_card_messages') =>
    (
      await trx
        .selectFrom(table)
        .select('recipient_id')
        .distinct()
        .where(sql<SqlBool>`recipient_id ${leavers}`)
        .orderBy('recipient_id')
        .limit(c.limit)
        .execute()
    ).map((r) => r.recipient_id);
  const cardRecipients = await leaversWithCards('card_messages');
  const batchCardRecipients = await leaversWithCards('batch_card_messages');
  if (!refs.length && !cardRecipients.length && !batchCardRecipients.length) return null;
  return {
    removedRows: {},
    removedEntries: [],
    expected: {
      conversation_references: refs.length,
      card_messages: await countIn(trx, 'card_messages', 'recipient_id', cardRecipients),
      batch_card_messages: await countIn(trx, 'batch_card_messages', 'recipient_id', batchCardRecipients),
    },
    async remove(t) {
      return {
        conversation_references: await deleteIn(t, 'conversation_references', 'aad_object_id', refs),
        card_messages: await deleteIn(t, 'card_messages', 'recipient_id', cardRecipients),
        batch_card_messages: await deleteIn(t, 'batch_card_messages', 'recipient_id', batchCardRecipients),
      };
    },
  };
}

const PLANNERS: Record<PurgeableKind, (trx: Transaction<Database>, c: BatchContext) => Promise<Plan | null>> =
  {
    'removal-requests': removalRequests,
    holds: caseHolds,
    'class-holds': classHolds,
    'acting-manager-cover': cover,
    notifications,
    'handled-activities': handledActivities,
    'conversation-references': conversationReferences,
  };

/**
 * Removes one batch of expired data of `context.kind`, in the caller's transaction, with the
 * audit entry that records it; null when nothing of the kind has expired (or all of it is needed).
 */
export async function purgeBatch(
  trx: Transaction<Database>,
  context: BatchContext,
): Promise<BatchResult | null> {
  const plan = await PLANNERS[context.kind](trx, context);
  return plan ? carryOut(trx, context, plan) : null;
}

/**
 * How many rows of a kind have expired and are still kept after a purge, because they are needed:
 * requests and holds on cases under a hold, cover a kept request was decided under, notifications
 * about a held case's requests.
 */
export async function keptThoughExpired(
  db: Kysely<Database>,
  kind: PurgeableKind,
  cutoff: Cutoff,
): Promise<number> {
  const n = async (query: { executeTakeFirst(): Promise<{ n: string | number | bigint } | undefined> }) =>
    Number((await query.executeTakeFirst())?.n ?? 0);
  switch (kind) {
    case 'removal-requests':
      return n(
        db
          .selectFrom('removal_authorisations')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(requestExpired(cutoff)),
      );
    case 'holds':
      return n(
        db
          .selectFrom('holds')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(holdExpired(cutoff)),
      );
    case 'acting-manager-cover':
      return n(
        db
          .selectFrom('acting_managers')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(coverExpired(cutoff)),
      );
    case 'notifications':
      return n(
        db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(notificationExpired(cutoff)),
      );
    default:
      return 0;
  }
}
