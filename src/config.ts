import { z } from 'zod';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './store/connection.js';

/** Every setting the product reads from the environment, read and checked once. */
export interface Config {
  databaseUrl: string;
  /** The council's retention schedule file; null for the shipped default. */
  scheduleFile: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .superRefine((url, ctx) => {
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  RETENTION_SCHEDULE_FILE: z.string().min(1).optional(),
});

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      `Configuration is not valid:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return Object.freeze({
    databaseUrl: parsed.data.DATABASE_URL,
    scheduleFile: parsed.data.RETENTION_SCHEDULE_FILE ?? null,
  });
}
