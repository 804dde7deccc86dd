import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { loadOwnDataSchedule } from '../../src/schedule-file.js';
import { makeTempDir, removeTempDir, sqliteUrl } from '../support/temp-store.js';

// The own-data schedule is the council's to change (OWN_DATA_SCHEDULE_FILE, JSON or YAML), checked
// at start with a message naming the kind and field; PURGE_MINUTES sets the server's purge.

describe('settings for the product’s own data', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('cra-own-settings-');
  });
  afterAll(() => removeTempDir(dir));

  const yaml = (keepRequests: string) => {
    const file = path.join(dir, `own-${Math.random().toString(36).slice(2)}.yaml`);
    const kinds = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, '../../src/rules/own-data-schedule.json'), 'utf8'),
    ) as { kinds: { kind: string }[] };
    const lines = ['version: council-1', 'title: The council’s own-data schedule', 'kinds:'];
    for (const k of kinds.kinds) {
      const keep =
        k.kind === 'removal-requests'
          ? keepRequests
          : JSON.stringify((k as unknown as { keep: unknown }).keep);
      lines.push(`  - kind: ${k.kind}`, `    keep: ${keep}`, `    reason: The council decided.`);
    }
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };

  it('reads the council’s YAML file, and refuses a bad one naming the kind and field', () => {
    expect(loadOwnDataSchedule(yaml('{ years: 7 }')).kinds[0]).toEqual({
      kind: 'removal-requests',
      keep: { years: 7 },
      reason: 'The council decided.',
    });
    expect(() => loadOwnDataSchedule(yaml('{ decades: 1 }'))).toThrow(
      /The schedule for the product's own data is not valid:\n {2}- kind "removal-requests", field keep/,
    );
    expect(() => loadOwnDataSchedule(path.join(dir, 'missing.json'))).toThrow(
      /missing\.json could not be read/,
    );
  });

  it('PURGE_MINUTES: 60 by default, 0 for none, anything else refused with its name', () => {
    expect(readConfig({}).purge.minutes).toBe(60);
    expect(readConfig({ PURGE_MINUTES: '0' }).purge.minutes).toBe(0);
    expect(() => readConfig({ PURGE_MINUTES: 'hourly' })).toThrow(/PURGE_MINUTES/);
    expect(() => readConfig({ PURGE_MINUTES: '-5' })).toThrow(/PURGE_MINUTES/);
  });

  it('the server does not start with a bad own-data schedule file, and says why', async () => {
    const config = readConfig({
      LOCAL_MODE: 'true',
      NODE_ENV: 'test',
      DATABASE_URL: sqliteUrl(path.join(dir, 'app.db')),
      AUDIT_HEAD_FILE: path.join(dir, 'head.json'),
      OWN_DATA_SCHEDULE_FILE: yaml('{ years: -2 }'),
    });
    await expect(createApp(config, { log: pino({ level: 'silent' }), timers: false })).rejects.toThrow(
      /kind "removal-requests", field keep\.years/,
    );
    expect(fs.existsSync(path.join(dir, 'app.db'))).toBe(false);
  });
});
