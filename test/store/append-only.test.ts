import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/store/audit.js';
import type { Store } from '../../src/store/index.js';
import type { Database } from '../../src/store/schema.js';
import {
  countRows,
  execRaw,
  forEachDialect,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';

const registerRow: Database['destruction_register'] = {
  id: 'reg-1',
  batch_id: 'batch-1',
  record_id: 'LL-1',
  record_class: 'child-in-need',
  case_ref: '1000001',
  format: 'electronic',
  earliest_date: '1990-01-01',
  latest_date: '2000-01-01',
  schedule_version: '2026.1',
  rule_id: 'until-age-30',
  period: 'Until the child is 30',
  trigger_field: 'dateOfBirth',
  trigger_date: '1990-01-01',
  retention_ended_on: '2020-01-01',
  checks: '[]',
  authorised_by: 'manager',
  authorised_at: '2026-11-01T10:00:00.000Z',
  destroyed_by: 'records',
  destroyed_on: '2026-11-02',
  method: 'secure deletion',
  certificate_ref: null,
  quantity: 1,
  created_at: '2026-11-02T10:00:00.000Z',
  authorised_by_name: 'Ben Manager',
  authorised_by_role: 'Records Management officer',
  destroyed_by_name: 'Rita Records',
  destroyed_by_role: 'Records Management officer',
  hold_checks: '[]',
  review_decision: null,
  kept_with: null,
};

const authorisationRow: Database['removal_authorisations'] = {
  id: 'auth-1',
  case_ref: '1000001',
  requester_id: 'worker',
  record_ids: '[]',
  purpose: 'court',
  destination: 'Court',
  out_on: '2026-11-25',
  return_on: '2026-11-26',
  justification: 'Hearing',
  status: 'pending',
  version: 1,
  decided_by: null,
  decided_at: null,
  reason: null,
  created_at: '2026-11-25T10:00:00.000Z',
  updated_at: '2026-11-25T10:00:00.000Z',
};

const historyRow: Database['authorisation_history'] = {
  authorisation_id: 'auth-1',
  version: 1,
  from_status: null,
  to_status: 'pending',
  actor_id: 'worker',
  reason: null,
  at: '2026-11-25T10:00:00.000Z',
};

/** A register row as SQL values, in column order, for statements the typed API cannot make. */
function registerValues(row: Database['destruction_register']): string {
  return Object.values(row)
    .map((v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`))
    .join(', ');
}
const REGISTER_COLUMNS = Object.keys(registerRow).join(', ');

forEachDialect((dialect) => {
  let dbs: TestDatabases;
  let store: Store;

  beforeAll(async () => {
    dbs = testDatabases(dialect);
    store = await dbs.open('append-only');
    await store.db.insertInto('destruction_register').values(registerRow).execute();
    await store.db.insertInto('removal_authorisations').values(authorisationRow).execute();
    await store.db.insertInto('authorisation_history').values(historyRow).execute();
    await store.db.transaction().execute((trx) =>
      appendAudit(trx, {
        at: '2026-11-25T10:00:00.000Z',
        actorId: 'test',
        action: 'test.done',
        entityType: 'test',
        entityId: 'one',
        details: { n: 1 },
      }),
    );
  });

  afterAll(async () => {
    await dbs.cleanup();
  });

  describe('destruction_register is append-only', () => {
    beforeEach(async () => {
      expect(await countRows(store.db, 'destruction_register')).toBe(1);
    });

    it('accepts inserts', async () => {
      const row = await store.db
        .selectFrom('destruction_register')
        .selectAll()
        .where('id', '=', 'reg-1')
        .executeTakeFirst();
      expect(row).toEqual(registerRow);
    });

    it('refuses UPDATE and leaves the row unchanged', async () => {
      await expect(
        store.db
          .updateTable('destruction_register')
          .set({ method: 'shredded' })
          .where('id', '=', 'reg-1')
          .execute(),
      ).rejects.toThrow(/destruction_register is append-only: UPDATE refused/);
      const row = await store.db
        .selectFrom('destruction_register')
        .selectAll()
        .where('id', '=', 'reg-1')
        .executeTakeFirstOrThrow();
      expect(row).toEqual(registerRow);
    });

    it('refuses DELETE and keeps the row', async () => {
      await expect(
        store.db.deleteFrom('destruction_register').where('id', '=', 'reg-1').execute(),
      ).rejects.toThrow(/destruction_register is append-only: DELETE refused/);
      await expect(store.db.deleteFrom('destruction_register').execute()).rejects.toThrow(/append-only/);
      expect(await countRows(store.db, 'destruction_register')).toBe(1);
    });

    it('refuses raw SQL updates too, and a refused write rolls back its transaction', async () => {
      await expect(
        store.db.transaction().execute(async (trx) => {
          await trx.insertInto('settings').values({ key: 'in-trx', value: 'x' }).execute();
          await sql`UPDATE destruction_register SET quantity = 2`.execute(trx);
        }),
      ).rejects.toThrow(/append-only/);
      const setting = await store.db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', 'in-trx')
        .executeTakeFirst();
      expect(setting).toBeUndefined();
      const row = await store.db
        .selectFrom('destruction_register')
        .select('quantity')
        .executeTakeFirstOrThrow();
      expect(row.quantity).toBe(1);
    });

    it.runIf(dialect === 'postgres')('refuses TRUNCATE (PostgreSQL)', async () => {
      await expect(sql`TRUNCATE destruction_register`.execute(store.db)).rejects.toThrow(
        /destruction_register is append-only: TRUNCATE refused/,
      );
      expect(await countRows(store.db, 'destruction_register')).toBe(1);
    });
  });

  describe('audit_log is append-only', () => {
    it('refuses UPDATE and leaves the entry unchanged', async () => {
      const before = await store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '=', 1)
        .executeTakeFirstOrThrow();
      await expect(
        store.db.updateTable('audit_log').set({ details: '{"n":2}' }).where('seq', '=', 1).execute(),
      ).rejects.toThrow(/audit_log is append-only: UPDATE refused/);
      const after = await store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '=', 1)
        .executeTakeFirstOrThrow();
      expect(after).toEqual(before);
      expect(after.details).toBe('{"n":1}');
    });

    it('refuses DELETE and keeps the entry', async () => {
      await expect(store.db.deleteFrom('audit_log').where('seq', '=', 1).execute()).rejects.toThrow(
        /audit_log is append-only: DELETE refused/,
      );
      expect(await countRows(store.db, 'audit_log')).toBe(1);
    });

    it.runIf(dialect === 'postgres')('refuses TRUNCATE, even with CASCADE (PostgreSQL)', async () => {
      await expect(sql`TRUNCATE audit_log`.execute(store.db)).rejects.toThrow(
        /audit_log is append-only: TRUNCATE refused/,
      );
      await expect(sql`TRUNCATE audit_log CASCADE`.execute(store.db)).rejects.toThrow(/append-only/);
      expect(await countRows(store.db, 'audit_log')).toBe(1);
    });

    it('does not protect ordinary tables (the triggers are specific)', async () => {
      await store.db.insertInto('settings').values({ key: 'temp', value: 'a' }).execute();
      await store.db.updateTable('settings').set({ value: 'b' }).where('key', '=', 'temp').execute();
      await store.db.deleteFrom('settings').where('key', '=', 'temp').execute();
      const left = await store.db.selectFrom('settings').select('key').where('key', '=', 'temp').execute();
      expect(left).toEqual([]);
    });
  });

  describe('authorisation_history is append-only', () => {
    it('refuses UPDATE and DELETE and keeps the row', async () => {
      await expect(
        store.db.updateTable('authorisation_history').set({ actor_id: 'someone-else' }).execute(),
      ).rejects.toThrow(/authorisation_history is append-only: UPDATE refused/);
      await expect(store.db.deleteFrom('authorisation_history').execute()).rejects.toThrow(
        /authorisation_history is append-only: DELETE refused/,
      );
      expect(await store.db.selectFrom('authorisation_history').selectAll().execute()).toEqual([historyRow]);
    });

    it.runIf(dialect === 'postgres')('refuses TRUNCATE (PostgreSQL)', async () => {
      await expect(sql`TRUNCATE authorisation_history`.execute(store.db)).rejects.toThrow(
        /authorisation_history is append-only: TRUNCATE refused/,
      );
      expect(await countRows(store.db, 'authorisation_history')).toBe(1);
    });
  });

  describe('an insert over an existing row is refused (REPLACE, upsert)', () => {
    const forged = { ...registerRow, method: 'recycled' };

    async function registerUnchanged(): Promise<void> {
      expect(await store.db.selectFrom('destruction_register').selectAll().execute()).toEqual([registerRow]);
    }

    it.runIf(dialect === 'sqlite')(
      'SQLite: REPLACE INTO and INSERT OR REPLACE, which fire no DELETE trigger, are refused',
      async () => {
        for (const verb of ['REPLACE INTO', 'INSERT OR REPLACE INTO']) {
          await expect(
            execRaw(
              store.db,
              `${verb} destruction_register (${REGISTER_COLUMNS}) VALUES (${registerValues(forged)})`,
            ),
          ).rejects.toThrow(/destruction_register is append-only: REPLACE refused/);
          await registerUnchanged();
        }
        await expect(
          execRaw(
            store.db,
            `REPLACE INTO audit_log (seq, at, actor_id, action, entity_type, entity_id, details, prev_hash, hash)
             SELECT seq, at, 'forger', action, entity_type, entity_id, details, prev_hash, hash FROM audit_log WHERE seq = 1`,
          ),
        ).rejects.toThrow(/audit_log is append-only: REPLACE refused/);
        await expect(
          execRaw(
            store.db,
            `INSERT OR REPLACE INTO authorisation_history (authorisation_id, version, from_status, to_status, actor_id, reason, at)
             VALUES ('auth-1', 1, NULL, 'approved', 'forger', NULL, '2026-11-25T10:00:00.000Z')`,
          ),
        ).rejects.toThrow(/authorisation_history is append-only: REPLACE refused/);
        expect(await store.db.selectFrom('authorisation_history').selectAll().execute()).toEqual([
          historyRow,
        ]);
        expect(await store.db.selectFrom('audit_log').select('actor_id').execute()).toEqual([
          { actor_id: 'test' },
        ]);
      },
    );

    it.runIf(dialect === 'sqlite')(
      'SQLite: a REPLACE that names the hidden rowid of an existing row is refused too',
      async () => {
        const { rowid } = (
          await sql<{ rowid: number }>`SELECT rowid FROM destruction_register WHERE id = 'reg-1'`.execute(
            store.db,
          )
        ).rows[0]!;
        await expect(
          execRaw(
            store.db,
            `REPLACE INTO destruction_register (rowid, ${REGISTER_COLUMNS}) VALUES (${rowid}, ${registerValues({ ...forged, id: 'reg-forged' })})`,
          ),
        ).rejects.toThrow(/append-only: REPLACE refused/);
        await registerUnchanged();
      },
    );

    it('an upsert (ON CONFLICT DO UPDATE) is refused', async () => {
      await expect(
        store.db
          .insertInto('destruction_register')
          .values(forged)
          .onConflict((oc) => oc.column('id').doUpdateSet({ method: 'recycled' }))
          .execute(),
      ).rejects.toThrow(/destruction_register is append-only: (UPDATE|REPLACE) refused/);
      await registerUnchanged();
      await expect(
        store.db
          .insertInto('authorisation_history')
          .values({ ...historyRow, actor_id: 'forger' })
          .onConflict((oc) => oc.columns(['authorisation_id', 'version']).doUpdateSet({ actor_id: 'forger' }))
          .execute(),
      ).rejects.toThrow(/authorisation_history is append-only: (UPDATE|REPLACE) refused/);
      expect(await store.db.selectFrom('authorisation_history').selectAll().execute()).toEqual([historyRow]);
    });

    it.runIf(dialect === 'postgres')('PostgreSQL: MERGE that would update or delete is refused', async () => {
      await expect(
        sql`MERGE INTO destruction_register d USING (SELECT 'reg-1' AS id) s ON d.id = s.id
            WHEN MATCHED THEN UPDATE SET method = 'recycled'`.execute(store.db),
      ).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(
        sql`MERGE INTO destruction_register d USING (SELECT 'reg-1' AS id) s ON d.id = s.id
            WHEN MATCHED THEN DELETE`.execute(store.db),
      ).rejects.toThrow(/append-only: DELETE refused/);
      await registerUnchanged();
    });

    it('a new row with a new key is still accepted', async () => {
      await store.db
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto('destruction_register')
            .values({ ...registerRow, id: 'reg-2' })
            .execute();
          // Undo it the only way the table allows: a rolled-back transaction.
          throw new Error('roll back');
        })
        .catch((error: unknown) => expect((error as Error).message).toBe('roll back'));
      await registerUnchanged();
    });
  });
});
