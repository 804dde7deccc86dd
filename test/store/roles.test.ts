import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { defaultSchedule } from '../../src/rules/index.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { roleCanBypassAppendOnly } from '../../src/store/roles.js';
import { AUDIT_TEST_KEY, openAuditFixture, type AuditFixture } from '../support/audit-fixture.js';
import { TEST_SECRETS } from '../support/bot-harness.js';
import { makeTempDir, removeTempDir, testDatabases, type TestDatabases } from '../support/temp-store.js';

// PostgreSQL roles: the tables belong to the owner, who migrates (DATABASE_OWNER_URL); the
// application runs as a role of its own that can do its work and nothing that would undo the
// append-only protections. Run against the throwaway test cluster, as its own roles.

const appRole = inject('TEST_APP_ROLE_PG');

describe.runIf(appRole !== null)('PostgreSQL: the application’s role and the owner’s', () => {
  let dbs: TestDatabases;
  let dir: string;
  let ownerUrl: string;
  let appUrl: string;
  let fx: AuditFixture;

  beforeAll(async () => {
    dbs = testDatabases('postgres');
    dir = makeTempDir('cra-roles-');
    ownerUrl = await dbs.newUrl('roles');
    const url = new URL(ownerUrl);
    url.username = appRole!;
    appUrl = url.href;
    // Everything the fixture does (imports, requests, decisions, holds, batches, destruction), as
    // the application's role, on a schema the owner migrated.
    fx = await openAuditFixture(dbs, dir, 'roles', { url: appUrl, ownerUrl });
  });

  afterAll(async () => {
    await fx?.store.close();
    await dbs.cleanup();
    removeTempDir(dir);
  });

  it('the application’s role does all its work, and the log verifies', async () => {
    expect(fx.store.location).toContain('/t_roles_');
    expect(
      (await sql<{ role: string }>`SELECT current_user AS role`.execute(fx.store.db)).rows[0]?.role,
    ).toBe(appRole);
    expect(await roleCanBypassAppendOnly(fx.store.db)).toBeNull();
    expect(await verifyAudit(fx.store.db)).toMatchObject({ ok: true, chain: null });
  });

  it('the application’s role keeps what the directory sync needs between runs', async () => {
    const db = fx.store.db;
    await db
      .insertInto('directory_users')
      .values({
        id: 'u-1',
        manager_id: null,
        account_enabled: 1,
        member: 1,
        removed_at: null,
        updated_at: '2026-11-25T10:00:00.000Z',
      })
      .execute();
    await db.updateTable('directory_users').set({ removed_at: '2026-11-26T10:00:00.000Z' }).execute();
    await db.deleteFrom('directory_users').where('id', '=', 'u-1').execute();
    expect(await db.selectFrom('directory_users').selectAll().execute()).toEqual([]);
  });

  it.each([
    ['switch off the triggers', 'ALTER TABLE audit_log DISABLE TRIGGER USER', /must be owner/],
    ['switch off every trigger', 'ALTER TABLE destruction_register DISABLE TRIGGER ALL', /must be owner/],
    ['drop a trigger', 'DROP TRIGGER audit_log_append_only ON audit_log', /must be owner/],
    ['delete audit entries', 'DELETE FROM audit_log', /permission denied/],
    ['update the register', "UPDATE destruction_register SET method = 'recycled'", /permission denied/],
    ['truncate the history', 'TRUNCATE authorisation_history', /permission denied/],
    [
      'change a review decision',
      "UPDATE disposition_decisions SET decision = 'destroy'",
      /permission denied/,
    ],
    ['delete review decisions', 'DELETE FROM disposition_decisions', /permission denied/],
    ['truncate the review decisions', 'TRUNCATE disposition_decisions', /permission denied/],
    [
      'upsert over a register entry',
      `INSERT INTO destruction_register SELECT * FROM destruction_register LIMIT 1
       ON CONFLICT (id) DO UPDATE SET method = 'recycled'`,
      /permission denied/,
    ],
    ['alter a table', 'ALTER TABLE audit_log ADD COLUMN note text', /must be owner/],
    ['drop a table', 'DROP TABLE destruction_register', /must be owner/],
    ['create a table', 'CREATE TABLE shadow (id int)', /permission denied/],
    [
      'replace the trigger function',
      'CREATE OR REPLACE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
      /must be owner|permission denied/,
    ],
  ])('it cannot %s', async (_label, statement, refusal) => {
    const before = await verifyAudit(fx.store.db);
    await expect(sql.raw(statement).execute(fx.store.db)).rejects.toThrow(refusal);
    expect(await verifyAudit(fx.store.db)).toEqual(before);
  });

  it('a new start as the application migrates as the owner and keeps every right in place', async () => {
    const again = await openReadyStore(appUrl, defaultSchedule, {
      audit: {
        key: AUDIT_TEST_KEY,
        headFile: fx.headFile,
      },
      ownerUrl,
    });
    try {
      expect(await roleCanBypassAppendOnly(again.db)).toBeNull();
      expect(await verifyAudit(again.db)).toMatchObject({ ok: true });
    } finally {
      await again.close();
    }
  });

  describe('in production', () => {
    const production = (databaseUrl: string, owner?: string) =>
      readConfig({
        NODE_ENV: 'production',
        MicrosoftAppId: '99999999-8888-4777-8666-555555555555',
        MicrosoftAppPassword: 'secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
        PUBLIC_BASE_URL: 'https://records.council.example',
        DATABASE_URL: databaseUrl,
        ...(owner ? { DATABASE_OWNER_URL: owner } : {}),
        AUDIT_HEAD_FILE: `${dir}/${new URL(databaseUrl).pathname.slice(1)}-head.json`,
        ...TEST_SECRETS,
      });
    const options = { log: pino({ level: 'silent' }), schedule: defaultSchedule, timers: false };

    it('refuses to run as a role that owns the tables', async () => {
      const url = await dbs.newUrl('owner-runs');
      await expect(createApp(production(url), options)).rejects.toThrow(
        /DATABASE_URL: the database role "cra_test" owns the tables .* DATABASE_OWNER_URL/,
      );
    });

    it('starts as the application’s role, migrating as the owner', async () => {
      const url = await dbs.newUrl('app-runs');
      const app = new URL(url);
      app.username = appRole!;
      const started = await createApp(production(app.href, url), options);
      const store: Store = started.store;
      try {
        expect(await roleCanBypassAppendOnly(store.db)).toBeNull();
      } finally {
        await started.close();
      }
    });
  });
});
