import { describe, expect, it } from 'vitest';
import { defaultSchedule } from '../rules/index.js';
import { quickCheck, rowSchema } from './inventory-rows.js';

// The quick check must accept exactly the rows the schema accepts, with the same result; a row
// it turns down goes to the schema, which explains what is wrong.

const TODAY = '2026-11-25';
const schema = rowSchema(defaultSchedule, TODAY);
const quick = quickCheck(defaultSchedule, TODAY);

const GOOD: Record<string, string> = {
  record_id: 'LL-1',
  case_ref: '1000001',
  record_class: 'child-in-need',
  title: 'Case file part 1',
  format: 'electronic',
  location: 'Livelink',
  date_of_birth: '2001-02-03',
  date_of_death: '',
  closed_on: '03/02/2019',
  adoption_order_on: '',
  approval_ended_on: '',
  last_contact_on: '2020-01-01',
};

function expectAgrees(values: Record<string, string>) {
  const parsed = schema.safeParse(values);
  const row = quick(values);
  if (parsed.success) {
    if (row !== null) expect(row).toEqual(parsed.data);
  } else expect(row).toBeNull();
  return { parsed, row };
}

const VARIANTS: Record<string, string[]> = {
  record_id: ['', 'R', 'a'.repeat(100), 'a'.repeat(101), '-R1', 'R 1', 'R/1:2.3_4-5', 'Ré1', ' R1'],
  case_ref: ['', 'C', 'c'.repeat(50), 'c'.repeat(51), '.C', 'C#1'],
  record_class: ['', 'adoption', 'Adoption', 'not-a-class', ' adoption'],
  title: [
    '',
    ' ',
    't'.repeat(500),
    't'.repeat(501),
    'a\u0000b',
    'tab\there',
    'line\nbreak',
    'bell\u0007',
    'é',
  ],
  format: ['', 'paper', 'Paper', 'electronic', 'digital'],
  location: ['', 'l'.repeat(200), 'l'.repeat(201), 'x\u001fy'],
  date_of_birth: [
    '',
    '2001-02-03',
    '3/2/2001',
    '03/02/2001',
    '2001-2-3',
    '2001-02-30',
    '29/02/2000',
    '29/02/2001',
    '2026-11-25',
    '2026-11-26',
    ' 2001-02-03 ',
    'x',
    '0000-01-01',
  ],
  date_of_death: ['', '2000-01-01', '2001-02-03', '2001-02-02', '2030-01-01', '31/12/2001'],
  closed_on: ['', '2019-02-03', 'soon', '31/02/2019'],
};

describe('the quick row check agrees with the schema', () => {
  it('accepts a good row, giving what the schema gives', () => {
    const { parsed, row } = expectAgrees(GOOD);
    expect(parsed.success).toBe(true);
    expect(row).not.toBeNull();
  });

  it('on every variant of every field', () => {
    for (const [field, values] of Object.entries(VARIANTS)) {
      for (const value of values) expectAgrees({ ...GOOD, [field]: value });
    }
  });

  it('on random combinations, and it accepts the good ones', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const values = { ...GOOD };
      for (const [field, options] of Object.entries(VARIANTS)) {
        if (next() < 0.3) values[field] = options[Math.floor(next() * options.length)]!;
      }
      const { parsed, row } = expectAgrees(values);
      if (parsed.success) {
        expect(row).not.toBeNull();
        accepted += 1;
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('leaves a row with a missing or non-text field to the schema', () => {
    const { record_id: _dropped, ...rest } = GOOD;
    expect(quick(rest)).toBeNull();
    expect(quick({ ...GOOD, title: 5 as unknown as string })).toBeNull();
  });
});
