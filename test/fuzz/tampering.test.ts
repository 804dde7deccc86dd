import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  appendAudit,
  auditKey,
  DEVELOPMENT_AUDIT_KEY,
  keyedHash,
  legacyHash,
  type UnhashedRow,
} from '../../src/store/audit.js';
import {
  COVERED_TABLES,
  COVERED_TABLE_NAMES,
  digestOf,
  type CoveredTable,
} from '../../src/store/audit-rows.js';
import { verifyAudit, type AuditReport } from '../../src/store/audit-verify.js';
import type { Dialect } from '../../src/store/connection.js';
import { APPEND_ONLY_TABLES } from '../../src/store/migrations.js';
import type { AuditRow, Database } from '../../src/store/schema.js';
import { AUDIT_TEST_KEY, openAuditFixture, type AuditFixture } from '../support/audit-fixture.js';
import {
  forEachDialect,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';
import { Random } from './random.js';

// Tampering, generated from a fixed seed, with every table the audit log vouches for and with the
// log itself, as someone with direct access to the database would: rows altered, removed or
// forged with the protections switched off, entries rewritten, forged with a recomputed chain,
// cut short, or rolled back and written again; and, with the protections on, the statements that
// would get round them (REPLACE, upsert, UPDATE, DELETE). Each attempt runs in a transaction that
// verify-audit checks from inside and that is then rolled back, so every attempt starts from the
// same untouched database. Expectation: every attempt is refused by the database or detected by
// verify-audit; the untouched database verifies before and after.

const SEED = 20261127;
const ATTEMPTS: Record<Dialect, number> = { sqlite: 1000, postgres: 1000 };
const INTEGER_COLUMNS = new Set(['version', 'sar_extended', 'eligible', 'quantity', 'keep_years']);

type Db = Kysely<Database>;
type Row = Record<string, unknown>;

/** Thrown to roll an attempt back once it has been checked. */
class Undo extends Error {}

forEachDialect((dialect) => {
  let dbs: TestDatabases;
  let dir: string;
  let fx: AuditFixture;
  const rows = new Map<CoveredTable, Row[]>();
  let entries: AuditRow[] = [];

  beforeAll(async () => {
    dbs = testDatabases(dialect);
    dir = makeTempDir('cra-tamper-');
    fx = await openAuditFixture(dbs, dir, 'tampering');
    for (const table of COVERED_TABLE_NAMES) {
      rows.set(table, (await sql<Row>`SELECT * FROM ${sql.table(table)}`.execute(fx.store.db)).rows);
    }
    entries = await fx.store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  });

  afterAll(async () => {
    await fx?.store.close();
    await dbs.cleanup();
    removeTempDir(dir);
  });

  const r = new Random(SEED + (dialect === 'postgres' ? 1 : 0));

  /** Switches off every append-only protection, as the tables' owner could, inside `trx`. */
  async function unprotect(trx: Db): Promise<void> {
    for (const table of APPEND_ONLY_TABLES) {
      if (dialect === 'sqlite') {
        for (const op of ['update', 'delete', 'replace'])
          await sql.raw(`DROP TRIGGER IF EXISTS ${table}_no_${op}`).execute(trx);
      } else {
        await sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER USER`).execute(trx);
      }
    }
  }

  /** Picks out one row: by its key, and a batch item also by its record. */
  const whereKey = (table: CoveredTable, row: Row) =>
    sql.join(
      [...COVERED_TABLES[table].key, ...(table === 'destruction_batch_items' ? ['record_id'] : [])].map(
        (c) => sql`${sql.ref(c)} = ${row[c]}`,
      ),
      sql` AND `,
    );

  /** Another value for a column: never the one it holds. */
  function changed(column: string, value: unknown): unknown {
    if (INTEGER_COLUMNS.has(column)) return Number(value ?? 0) + 1 + r.int(5);
    const text = typeof value === 'string' ? value : '';
    const options = [`tampered-${r.int(1000)}`, '', ' ', `${text} `, 'approved', 'destroyed'];
    return r.pick(options.filter((o) => o !== value));
  }

  /** A new row like `row` under a new key, inserted: a forgery the application never made. */
  async function forge(trx: Db, table: CoveredTable, row: Row): Promise<void> {
    const copy = { ...row };
    const suffix = randomBytes(4).toString('hex');
    if (table === 'authorisation_history') copy.version = 900 + r.int(99);
    else if (table === 'destruction_batch_items') copy.record_id = `forged-${suffix}`;
    else copy[COVERED_TABLES[table].key[0]!] = `forged-${suffix}`;
    if (table === 'destruction_batches') copy.reference = `DB-FORGED-${suffix}`;
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(Object.keys(copy).map((c) => sql.ref(c)))})
      VALUES (${sql.join(Object.values(copy))})`.execute(trx);
  }

  /** Removes a row (and, for a parent, the children that would otherwise stop it). */
  async function remove(trx: Db, table: CoveredTable, row: Row): Promise<void> {
    if (table === 'removal_authorisations')
      await trx
        .deleteFrom('authorisation_history')
        .where('authorisation_id', '=', row.id as string)
        .execute();
    if (table === 'destruction_batches')
      await trx
        .deleteFrom('destruction_batch_items')
        .where('batch_id', '=', row.id as string)
        .execute();
    await sql`DELETE FROM ${sql.table(table)} WHERE ${whereKey(table, row)}`.execute(trx);
  }

  /** An entry appended on the end without the key: its hash made one of the ways a forger could. */
  async function forgeEntry(
    trx: Db,
    digests: Record<string, Record<string, string>> | null,
  ): Promise<string> {
    const last = (await trx
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst())!;
    const how = r.pick(['plain hash', 'development key', 'a key of its own', 'the real key id, another key']);
    const otherKey = auditKey(
      how === 'development key' ? DEVELOPMENT_AUDIT_KEY : randomBytes(24).toString('hex'),
    );
    const row: UnhashedRow = {
      seq: Number(last.seq) + 1,
      at: new Date().toISOString(),
      actor_id: last.actor_id,
      action: 'record.destroyed',
      entity_type: 'record',
      entity_id: 'forged',
      details: '{}',
      prev_hash: last.hash,
      key_id:
        how === 'plain hash'
          ? null
          : how === 'the real key id, another key'
            ? auditKey(AUDIT_TEST_KEY).id
            : otherKey.id,
      row_digests: digests ? JSON.stringify(digests) : null,
    };
    const hash = how === 'plain hash' ? legacyHash(row) : keyedHash(otherKey, row);
    await trx
      .insertInto('audit_log')
      .values({ ...row, hash })
      .execute();
    return how;
  }

  type Attempt = { kind: string; run: (trx: Transaction<Database>) => Promise<void> };

  /** An attempt that changes the database with the protections off; verify-audit must notice. */
  function tampering(): Attempt {
    const table = r.pick(COVERED_TABLE_NAMES);
    const row = r.pick(rows.get(table)!);
    const k = r.int(10);
    if (k < 3) {
      const spec = COVERED_TABLES[table];
      const key = new Set<string>(spec.key);
      // Columns listed from the start, and those added later (in the digest once they differ).
      const columns = [...spec.columns, ...Object.keys(spec.added ?? {})];
      const column = r.pick(columns.filter((c) => !key.has(c)));
      return {
        kind: `${table}: a column altered`,
        run: async (trx) => {
          await unprotect(trx);
          await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${changed(column, row[column])} WHERE ${whereKey(table, row)}`.execute(
            trx,
          );
        },
      };
    }
    if (k < 5) {
      return {
        kind: `${table}: a row removed`,
        run: async (trx) => {
          await unprotect(trx);
          await remove(trx, table, row);
        },
      };
    }
    if (k < 6) {
      return {
        kind: `${table}: a row forged`,
        run: async (trx) => {
          await unprotect(trx);
          await forge(trx, table, row);
        },
      };
    }
    if (k < 7) {
      return {
        kind: 'a row forged, with an entry to match on a recomputed chain',
        run: async (trx) => {
          await unprotect(trx);
          const id = `forged-${randomBytes(4).toString('hex')}`;
          const register = rows.get('destruction_register')!;
          const copy = { ...r.pick(register), id };
          await trx
            .insertInto('destruction_register')
            .values(copy as Database['destruction_register'])
            .execute();
          await forgeEntry(trx, { destruction_register: { [id]: digestOf('destruction_register', copy) } });
        },
      };
    }
    if (k < 8) {
      const entry = r.pick(entries);
      const column = r.pick([
        'at',
        'actor_id',
        'action',
        'entity_id',
        'details',
        'row_digests',
        'hash',
        'prev_hash',
        'key_id',
      ]);
      return {
        kind: 'an audit entry rewritten',
        run: async (trx) => {
          await unprotect(trx);
          const value =
            column === 'hash' || column === 'prev_hash'
              ? r.pick([randomBytes(32).toString('hex'), legacyHash(entry)])
              : column === 'key_id'
                ? r.pick([null, auditKey(DEVELOPMENT_AUDIT_KEY).id])
                : column === 'row_digests' && entry.row_digests === null
                  ? '{}'
                  : `${String(entry[column as keyof AuditRow] ?? '')}x`;
          await sql`UPDATE audit_log SET ${sql.ref(column)} = ${value} WHERE seq = ${entry.seq}`.execute(trx);
        },
      };
    }
    if (k < 9) {
      const cut = 1 + r.int(Math.min(6, entries.length - 1));
      return {
        kind: 'the chain cut short',
        run: async (trx) => {
          await unprotect(trx);
          await trx
            .deleteFrom('audit_log')
            .where('seq', '>', entries.length - cut)
            .execute();
        },
      };
    }
    const cut = 1 + r.int(4);
    const again = r.int(cut + 2);
    return {
      kind: 'the chain rolled back and written again with the key',
      run: async (trx) => {
        await unprotect(trx);
        await trx
          .deleteFrom('audit_log')
          .where('seq', '>', entries.length - cut)
          .execute();
        for (let i = 0; i < again; i++) {
          await appendAudit(trx, {
            at: new Date().toISOString(),
            actorId: 'someone',
            action: 'thing.done',
            entityType: 'thing',
            entityId: `again-${i}`,
            details: { i },
          });
        }
      },
    };
  }

  /** A statement that would get round the protections while they are on: the database refuses it. */
  function bypass(): { kind: string; statement: () => ReturnType<typeof sql> } {
    const table = r.pick(APPEND_ONLY_TABLES);
    const { key, column } = {
      audit_log: { key: ['seq'], column: 'actor_id' },
      destruction_register: { key: ['id'], column: 'method' },
      authorisation_history: { key: ['authorisation_id', 'version'], column: 'actor_id' },
      disposition_decisions: { key: ['id'], column: 'decision' },
    }[table];
    const k = r.int(4);
    const t = sql.table(table);
    if (k === 0)
      return {
        kind: `${table}: UPDATE with protections on`,
        statement: () => sql`UPDATE ${t} SET ${sql.ref(column)} = 'forged'`,
      };
    if (k === 1)
      return { kind: `${table}: DELETE with protections on`, statement: () => sql`DELETE FROM ${t}` };
    if (dialect === 'sqlite') {
      const verb = r.pick(['REPLACE INTO', 'INSERT OR REPLACE INTO']);
      return {
        kind: `${table}: ${verb} over a row`,
        statement: () => sql`${sql.raw(verb)} ${t} SELECT * FROM ${t} LIMIT 1`,
      };
    }
    return k === 2
      ? {
          kind: `${table}: upsert over a row`,
          statement: () =>
            sql`INSERT INTO ${t} SELECT * FROM ${t} LIMIT 1 ON CONFLICT (${sql.join(key.map((c) => sql.ref(c)))}) DO UPDATE SET ${sql.ref(column)} = 'forged'`,
        }
      : { kind: `${table}: TRUNCATE`, statement: () => sql`TRUNCATE ${t}` };
  }

  function detected(report: AuditReport): boolean {
    return (
      !report.ok && (report.chain !== null || report.heads.some((h) => !h.ok) || report.rows.problemCount > 0)
    );
  }

  it(`${ATTEMPTS[dialect]} tampering attempts: every one refused by the database or detected by verify-audit`, async () => {
    const db = fx.store.db;
    const before = await verifyAudit(db);
    expect(before).toMatchObject({ ok: true });
    const counts = new Map<string, { tried: number; caught: number }>();
    const missed: string[] = [];
    const count = (kind: string, caught: boolean) => {
      const c = counts.get(kind) ?? { tried: 0, caught: 0 };
      c.tried += 1;
      if (caught) c.caught += 1;
      else missed.push(kind);
      counts.set(kind, c);
    };
    const started = Date.now();
    for (let i = 0; i < ATTEMPTS[dialect]; i++) {
      if (r.chance(0.2)) {
        const { kind, statement } = bypass();
        const refused = await statement()
          .execute(db)
          .then(() => false)
          .catch((error: unknown) => /append-only|permission denied/.test(String(error)));
        count(kind, refused);
        continue;
      }
      const attempt = tampering();
      let report: AuditReport | null = null;
      await db
        .transaction()
        .execute(async (trx) => {
          await attempt.run(trx);
          report = await verifyAudit(trx);
          throw new Undo();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Undo)) throw error;
        });
      count(attempt.kind, report !== null && detected(report));
    }
    const after = await verifyAudit(db);
    const summary = [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, c]) => `${kind}: ${c.caught}/${c.tried}`);
    console.log(
      `tampering (${dialect}): ${ATTEMPTS[dialect]} attempts in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}; caught/tried by kind: ${summary.join('; ')}`,
    );
    expect(missed).toEqual([]);
    expect(after).toEqual(before);
  }, 120_000);
});
