import { describe, expect, it } from 'vitest';
import {
  defaultOwnDataSchedule,
  describeOwnDataRetention,
  expiryCutoff,
  OwnDataScheduleError,
  parseOwnDataSchedule,
  PURGEABLE_KINDS,
} from './own-data.js';

const copy = () => structuredClone(defaultOwnDataSchedule) as { kinds: { kind: string; keep: unknown }[] };

function problems(data: unknown): string[] {
  try {
    parseOwnDataSchedule(data);
  } catch (error) {
    if (error instanceof OwnDataScheduleError) return error.problems;
    throw error;
  }
  return [];
}

describe('the schedule for the product’s own data', () => {
  it('ships with every kind, each with a period and a reason', () => {
    expect(defaultOwnDataSchedule.kinds.map((k) => k.kind)).toEqual([
      'removal-requests',
      'holds',
      'class-holds',
      'acting-manager-cover',
      'notifications',
      'handled-activities',
      'conversation-references',
      'audit-log',
      'destruction-register',
      'destruction-batches',
      'review-decisions',
      'staff-directory',
    ]);
    expect(defaultOwnDataSchedule.kinds.every((k) => k.reason.length > 40)).toBe(true);
    expect(PURGEABLE_KINDS).toEqual([
      'removal-requests',
      'holds',
      'class-holds',
      'acting-manager-cover',
      'notifications',
      'handled-activities',
      'conversation-references',
    ]);
  });

  it('takes a council’s periods, and names each problem by kind and field', () => {
    const council = copy();
    council.kinds[0]!.keep = { years: 7 };
    council.kinds[4]!.keep = 'permanent';
    expect(parseOwnDataSchedule(council).kinds[0]!.keep).toEqual({ years: 7 });

    const bad = copy();
    bad.kinds[0]!.keep = { years: -1 };
    bad.kinds[5]!.keep = { days: 0 };
    bad.kinds[8]!.keep = { years: 10 };
    bad.kinds[1]!.keep = 'with-the-data';
    bad.kinds.splice(6, 1);
    expect(problems(bad)).toEqual([
      'kind "removal-requests", field keep.years: Too small: expected number to be >=0',
      'kind "holds", field keep: must be a period ({ "years": n }, { "months": n } or { "days": n }) or "permanent"',
      'kind "handled-activities", field keep: must be at least 1 day(s): Teams delivers an activity again when an answer is slow or lost',
      'kind "destruction-register", field keep: must be "permanent": the product keeps destruction register and certificates permanently, because the record needs them',
      'field kinds: "conversation-references" (conversation references) is missing: every kind must say how long it is kept',
    ]);
    const twice = copy();
    twice.kinds.push({ ...twice.kinds[0]! });
    expect(problems(twice)).toEqual(['kind "removal-requests", field kind: is listed twice']);
    expect(
      problems({ version: '1', title: 't', kinds: [{ kind: 'emails', keep: 'permanent', reason: 'x' }] })[0],
    ).toMatch(/^kind "emails", field kind: Invalid option/);
  });

  it('counts periods in calendar dates back from today, in London', () => {
    expect(expiryCutoff({ years: 6 }, '2026-03-10')).toEqual({
      date: '2020-03-10',
      instant: '2020-03-10T00:00:00.000Z',
    });
    // Summer time: the day starts at 23:00 UTC the day before.
    expect(expiryCutoff({ days: 30 }, '2026-07-31')).toEqual({
      date: '2026-07-01',
      instant: '2026-06-30T23:00:00.000Z',
    });
    expect(expiryCutoff({ months: 1 }, '2026-03-31')?.date).toBe('2026-02-28');
    expect(expiryCutoff('permanent', '2026-03-10')).toBeNull();
    expect(describeOwnDataRetention('holds', { years: 6 })).toBe(
      'kept 6 years from the day the hold was released',
    );
    expect(describeOwnDataRetention('conversation-references', { days: 0 })).toBe(
      'removed at the first purge after the day Teams said the bot could no longer reach them',
    );
    expect(describeOwnDataRetention('audit-log', 'with-the-data')).toBe('kept as long as what it records');
  });
});
