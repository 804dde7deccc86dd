import { afterEach, describe, expect, it } from 'vitest';
import { understand } from '../../../src/understanding/index.js';

// Node applies a change to process.env.TZ at once; vitest runs each test file in its own
// process, so changing it here affects no other file.
const original = process.env.TZ;
afterEach(() => {
  if (original === undefined) delete process.env.TZ;
  else process.env.TZ = original;
});

function dates(text: string, today: string): [string | undefined, string | undefined] {
  const e = understand(text, { today, roles: ['case_worker'] }).reading.entities;
  return [e.outOn?.value, e.returnOn?.value];
}

describe('dates do not depend on the time zone the process runs in', () => {
  it.each(['Europe/London', 'UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])(
    '%s',
    (zone) => {
      process.env.TZ = zone;
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone);
      expect(dates('2003417 home tonight, back tomorrow', '2026-11-26')).toEqual([
        '2026-11-26',
        '2026-11-27',
      ]);
      expect(dates('2003417 home tonight, back fri', '2026-11-26')).toEqual(['2026-11-26', '2026-11-27']);
      expect(dates('2003417 out tomorrow back 3/12', '2026-03-28')).toEqual(['2026-03-29', '2026-12-03']);
      expect(dates('2003417 out today back fri 30th', '2026-10-25')).toEqual(['2026-10-25', '2026-10-30']);
      expect(dates('2003417 out 31/12 back 4th jan', '2026-12-30')).toEqual(['2026-12-31', '2027-01-04']);
    },
  );
});
