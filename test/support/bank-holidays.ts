import type { IsoDate } from '../../src/rules/index.js';

/**
 * England and Wales bank holidays 2026-2028 as GOV.UK publishes them (substitute days
 * included), typed from https://www.gov.uk/bank-holidays as the test oracle. The service's
 * calendar comes from the date-holidays package; test/holds/working-days.test.ts checks that it
 * gives these same days.
 */
export const GOV_UK_ENGLAND_AND_WALES: readonly IsoDate[] = [
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
  '2028-01-03',
  '2028-04-14',
  '2028-04-17',
  '2028-05-01',
  '2028-05-29',
  '2028-08-28',
  '2028-12-25',
  '2028-12-26',
];
