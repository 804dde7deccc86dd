import { addMonths, addYears, type IsoDate } from './dates.js';

// State Pension age in Great Britain, from the date of birth: Pensions Act 1995 Schedule 4
// paragraph 1 as amended by the Pensions Act 2007 (s.13, Sch 3: the rise to 68), the Pensions
// Act 2011 (s.1: the rise to 66) and the Pensions Act 2014 (s.26: the rise to 67). Each period of
// birthdays includes its first and last day. The tables are the law's; docs/decisions/0013 cites
// them. Before 6 December 1953 women reached it earlier than men; the product does not know a
// person's sex, so it takes the men's age, the later one (doubtful dates take the longer reading).

/** Pensions Act 2011 s.1, table 2: the day reached, by birthday. */
const RISE_TO_66: readonly (readonly [IsoDate, IsoDate, IsoDate])[] = [
  ['1953-12-06', '1954-01-05', '2019-03-06'],
  ['1954-01-06', '1954-02-05', '2019-05-06'],
  ['1954-02-06', '1954-03-05', '2019-07-06'],
  ['1954-03-06', '1954-04-05', '2019-09-06'],
  ['1954-04-06', '1954-05-05', '2019-11-06'],
  ['1954-05-06', '1954-06-05', '2020-01-06'],
  ['1954-06-06', '1954-07-05', '2020-03-06'],
  ['1954-07-06', '1954-08-05', '2020-05-06'],
  ['1954-08-06', '1954-09-05', '2020-07-06'],
  ['1954-09-06', '1954-10-05', '2020-09-06'],
];

/** Pensions Act 2014 s.26, table 3: 66 years and this many months, by birthday. */
const RISE_TO_67: readonly (readonly [IsoDate, IsoDate, number])[] = [
  ['1960-04-06', '1960-05-05', 1],
  ['1960-05-06', '1960-06-05', 2],
  ['1960-06-06', '1960-07-05', 3],
  ['1960-07-06', '1960-08-05', 4],
  ['1960-08-06', '1960-09-05', 5],
  ['1960-09-06', '1960-10-05', 6],
  ['1960-10-06', '1960-11-05', 7],
  ['1960-11-06', '1960-12-05', 8],
  ['1960-12-06', '1961-01-05', 9],
  ['1961-01-06', '1961-02-05', 10],
  ['1961-02-06', '1961-03-05', 11],
];

/** Pensions Act 2007 Sch 3, table 4: the day reached, by birthday. */
const RISE_TO_68: readonly (readonly [IsoDate, IsoDate, IsoDate])[] = [
  ['1977-04-06', '1977-05-05', '2044-05-06'],
  ['1977-05-06', '1977-06-05', '2044-07-06'],
  ['1977-06-06', '1977-07-05', '2044-09-06'],
  ['1977-07-06', '1977-08-05', '2044-11-06'],
  ['1977-08-06', '1977-09-05', '2045-01-06'],
  ['1977-09-06', '1977-10-05', '2045-03-06'],
  ['1977-10-06', '1977-11-05', '2045-05-06'],
  ['1977-11-06', '1977-12-05', '2045-07-06'],
  ['1977-12-06', '1978-01-05', '2045-09-06'],
  ['1978-01-06', '1978-02-05', '2045-11-06'],
  ['1978-02-06', '1978-03-05', '2046-01-06'],
  ['1978-03-06', '1978-04-05', '2046-03-06'],
];

function inPeriod<T>(rows: readonly (readonly [IsoDate, IsoDate, T])[], date: IsoDate): T | undefined {
  return rows.find(([from, to]) => date >= from && date <= to)?.[2];
}

/**
 * The day a person born on `dateOfBirth` reaches State Pension age. Where the law says "66 years
 * and N months" and the month lacks the day, it is the month's last day (Pensions Act 1995
 * Sch 4 para 1(7A)); a 29 February birthday falls on 1 March in a common year.
 */
export function statePensionDate(dateOfBirth: IsoDate): IsoDate {
  if (dateOfBirth < '1953-12-06') return addYears(dateOfBirth, 65);
  const to66 = inPeriod(RISE_TO_66, dateOfBirth);
  if (to66) return to66;
  if (dateOfBirth < '1960-04-06') return addYears(dateOfBirth, 66);
  const months = inPeriod(RISE_TO_67, dateOfBirth);
  if (months !== undefined) return addMonths(addYears(dateOfBirth, 66), months);
  if (dateOfBirth < '1977-04-06') return addYears(dateOfBirth, 67);
  return inPeriod(RISE_TO_68, dateOfBirth) ?? addYears(dateOfBirth, 68);
}
