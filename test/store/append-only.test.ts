import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/store/audit.js';
import type { Store } from '../../src/store/index.js';
import type { Database } from '../../src/store/schema.js';
import { countRows, forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';

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

forEachDialect((dialect) => {
  let dbs: TestDatabases;
  let store: Store;

  beforeAll(async () => {
    dbs = testDatabases(dialect);
    store = await dbs.open('append-only');
    await store.db.insertInto('destruction_register').values(registerRow).execute();
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
});
