import { describe, expect, it } from 'vitest';
import { statePensionDate, type IsoDate } from './index.js';

// Pensions Act 1995 Sch 4 para 1 as amended (2007, 2011, 2014 Acts); the 66-and-N-months
// examples are the Pensions Act 2014 explanatory notes' own (paragraphs 124 and 125).
describe('statePensionDate', () => {
  it.each<[string, IsoDate, IsoDate]>([
    ['before 6 December 1953: 65 (the men’s age, the later reading)', '1950-01-01', '2015-01-01'],
    ['5 December 1953: still 65', '1953-12-05', '2018-12-05'],
    ['6 December 1953: first day of the 2011 table', '1953-12-06', '2019-03-06'],
    ['5 October 1954: last day of the 2011 table', '1954-10-05', '2020-09-06'],
    ['6 October 1954: 66', '1954-10-06', '2020-10-06'],
    ['5 April 1960: still 66', '1960-04-05', '2026-04-05'],
    ['15 April 1960: 66 and 1 month', '1960-04-15', '2026-05-15'],
    ['10 September 1960: 66 and 6 months', '1960-09-10', '2027-03-10'],
    ['22 January 1961: 66 and 10 months', '1961-01-22', '2027-11-22'],
    ['31 July 1960: no 31 November, so 30 November', '1960-07-31', '2026-11-30'],
    ['31 December 1960: no 31 September, so 30 September', '1960-12-31', '2027-09-30'],
    ['31 January 1961: no 31 November, so 30 November', '1961-01-31', '2027-11-30'],
    ['5 March 1961: 66 and 11 months', '1961-03-05', '2028-02-05'],
    ['6 March 1961: 67', '1961-03-06', '2028-03-06'],
    ['5 April 1977: still 67', '1977-04-05', '2044-04-05'],
    ['6 April 1977: first day of the 2007 table', '1977-04-06', '2044-05-06'],
    ['5 April 1978: last day of the 2007 table', '1978-04-05', '2046-03-06'],
    ['6 April 1978: 68', '1978-04-06', '2046-04-06'],
    ['29 February 1980: 68 on 29 February 2048, a leap year', '1980-02-29', '2048-02-29'],
    ['29 February 1956: 66 in a common year, on 1 March (the later reading)', '1956-02-29', '2022-03-01'],
  ])('%s', (_name, dateOfBirth, expected) => {
    expect(statePensionDate(dateOfBirth)).toBe(expected);
  });
});
