import setup from '../test/support/postgres.js';
import { createPgDatabase } from '../test/support/instances.js';

/**
 * Runs `work` with a way to make fresh PostgreSQL databases: on TEST_DATABASE_URL_PG if set, else
 * on a throwaway cluster started (and removed) exactly as the tests' global set-up does it.
 * Returns false, without running `work`, when PostgreSQL is off or not installed.
 */
export async function withPostgres(
  work: (newDatabase: (label: string) => Promise<string>) => Promise<void>,
): Promise<boolean> {
  let adminUrl: string | null = null;
  const project = {
    provide: (_key: string, value: string | null) => {
      adminUrl = value;
    },
  };
  let teardown: (() => void) | undefined;
  try {
    teardown = await setup(project as unknown as Parameters<typeof setup>[0]);
  } catch (error) {
    // No server binaries here: say why, and run the rest.
    process.stderr.write(`${(error as Error).message}\n`);
    return false;
  }
  try {
    if (!adminUrl) return false;
    const admin: string = adminUrl;
    await work((label) => createPgDatabase(admin, label));
    return true;
  } finally {
    teardown?.();
  }
}
