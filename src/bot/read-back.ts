import { formatDayDate, type IsoDate } from '../rules/index.js';
import type { Doubt, EntityName, Found, Reading } from '../understanding/index.js';

// Saying back what was read from a message, and from which words, so a person can check it
// before anything is sent: never a silently wrong date.

/** One line of "What I read from your message". */
export interface ReadLine {
  title: string;
  value: string;
}

/** `value`, then the words it came from ("Home working, from “wfh”"), or why it was assumed. */
export function withSource(shown: string, found: Found<unknown>): string {
  if (found.from) {
    const words = found.from.text.trim();
    return words.toLowerCase() === shown.toLowerCase() ? shown : `${shown}, from “${words}”`;
  }
  return found.implied ? `${shown}: ${found.implied}` : shown;
}

/** The entities a doubt was raised about. */
export function doubted(reading: Reading): ReadonlySet<EntityName> {
  return new Set(reading.doubts.map((d) => d.entity));
}

/** A date as read, or a pointer to the question about it when it is in doubt. */
export function dateLine(
  title: string,
  found: Found<IsoDate> | undefined,
  inDoubt: boolean,
): ReadLine | null {
  if (inDoubt)
    return {
      title,
      value: found ? `${formatDayDate(found.value)}? Please check: see below` : 'Please choose: see below',
    };
  return found ? { title, value: withSource(formatDayDate(found.value), found) } : null;
}

/** A value as read, when there is one. */
export function valueLine<T>(
  title: string,
  found: Found<T> | undefined,
  shown?: (value: T) => string,
): ReadLine | null {
  return found ? { title, value: withSource(shown ? shown(found.value) : String(found.value), found) } : null;
}

/** The lines that are there. */
export function lines(...all: (ReadLine | null)[]): ReadLine[] {
  return all.filter((l): l is ReadLine => l !== null);
}

/** The questions to ask about dates in doubt. */
export function questions(doubts: readonly Doubt[]): string[] {
  return [...new Set(doubts.map((d) => d.question))];
}
