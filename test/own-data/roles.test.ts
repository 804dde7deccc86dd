import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultOwnDataSchedule } from '../../src/rules/index.js';
import { PurgeService } from '../../src/services/purge.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import {
  countRows,
  makeTempDir,
  removeTempDir,
  testDatabases,
  type TestDatabases,
} from '../support/temp-store.js';
import { openOwnDataFixture, type OwnDataFixture } from './fixture.js';

// The purge as the application's own PostgreSQL role, which may not delete a row of the audit log
// or of request history: it removes expired ones only through the owner's function, and only the
// ones its own audit entry, written in the same transaction, names.

const appRole = inject('TEST_APP_ROLE_PG');

describe.runIf(appRole !== null)('PostgreSQL: the purge as the application’s role', () => {
  let dbs: TestDatabases;
  let dir: string;
  let fx: OwnDataFixture;

  beforeAll(async () => {
    dbs = testDatabases('postgres');
    dir = makeTempDir('cra-purge-roles-');
    const ownerUrl = await dbs.newUrl('purge_roles');
    const url = new URL(ownerUrl);
    url.username = appRole!;
    fx = await openOwnDataFixture(dbs, dir, 'purge-roles', { url: url.href, ownerUrl });
  });

  afterAll(async () => {
    await fx?.store.close();
    await dbs.cleanup();
    removeTempDir(dir);
  });

  it('purges what has expired, and the log verifies', async () => {
    expect(
      (await sql<{ role: string }>`SELECT current_user AS role`.execute(fx.store.db)).rows[0]?.role,
    ).toBe(appRole);
    const outcome = await new PurgeService(fx.store.db, fx.clock, defaultOwnDataSchedule).run({
      actorId: 'cli',
    });
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.ok && outcome.report.total).toBeGreaterThan(0);
    expect(await verifyAudit(fx.store.db)).toMatchObject({ ok: true, rows: { problemCount: 0 } });
  });

  it('cannot delete audit entries or history itself, nor through the owner’s function without a purge entry of its own', async () => {
    const db = fx.store.db;
    const before = await countRows(db, 'audit_log');
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM authorisation_history`.execute(db)).rejects.toThrow(/permission denied/);
    // Naming a row and calling the function, with the last purge entry written by another transaction.
    const last = await db
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('purge_authorisations')
          .values({ table_name: 'audit_log', row_key: '1', seq: Number(last.seq) })
          .execute();
        await sql`SELECT purge_authorised_rows('audit_log')`.execute(trx);
      }),
    ).rejects.toThrow(/audit_log is append-only: DELETE refused/);
    await expect(sql`SELECT purge_authorised_rows('destruction_register')`.execute(db)).rejects.toThrow(
      /the purge removes no rows from destruction_register/,
    );
    expect(await countRows(db, 'audit_log')).toBe(before);
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
  });
});
