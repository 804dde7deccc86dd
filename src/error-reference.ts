import { randomBytes } from 'node:crypto';

/**
 * A short reference for one failure: shown to the person ("give this reference to the service
 * desk") and logged with the error as `errorRef`, so the two can be matched without either holding
 * anything internal.
 */
export function errorReference(): string {
  return randomBytes(5).toString('hex');
}

/** The sentence that carries the reference. */
export function quoting(reference: string): string {
  return `If it happens again, give the service desk this reference: ${reference}.`;
}
