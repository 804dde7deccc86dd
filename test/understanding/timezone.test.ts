import { afterEach, describe, expect, it } from 'vitest';
import { findDates } from '../../src/bot/understanding/dates.js';

// Node applies a change to process.env.TZ at once. vitest runs each test file in its own
// process (the default `forks` pool), so changing it here affects no other file.
const original = process.env.TZ;
afterEach(() => {
  if (original === undefined) delete process.env.TZ;
  else process.env.TZ = original;
});

const dates = (text: string, today: string) => findDates(text, today).map((d) => d.date);

describe('dates do not depend on the time zone the process runs in', () => {
  it.each(['Europe/London', 'UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])(
    '%s',
    (zone) => {
      process.env.TZ = zone;
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone);
      expect(dates('tonight, back tomorrow', '2026-11-26')).toEqual(['2026-11-26', '2026-11-27']);
      expect(dates('Friday', '2026-11-26')).toEqual(['2026-11-27']);
      expect(dates('tomorrow', '2026-03-29')).toEqual(['2026-03-30']);
      expect(dates('today', '2026-10-25')).toEqual(['2026-10-25']);
      expect(dates('03/12', '2026-11-26')).toEqual(['2026-12-03']);
    },
  );
});
