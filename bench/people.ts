/** The demo staff directory's people the benchmark speaks as (demo/staff.csv). */
export const STAFF = {
  priya: '6f1c2a4e-0002-4b7a-9c1e-000000000002',
  sam: '6f1c2a4e-0004-4b7a-9c1e-000000000004',
  jo: '6f1c2a4e-0005-4b7a-9c1e-000000000005',
  alex: '6f1c2a4e-0006-4b7a-9c1e-000000000006',
  morgan: '6f1c2a4e-0009-4b7a-9c1e-000000000009',
} as const;
export type Person = keyof typeof STAFF;

export const TENANT = '11111111-2222-3333-4444-555555555555';
