import { londonDate, type IsoDate } from '../rules/index.js';

/** The only way the product reads the time, so tests can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function today(clock: Clock): IsoDate {
  return londonDate(clock.now());
}
