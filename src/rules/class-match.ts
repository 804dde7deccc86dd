import type { RecordClass, Schedule } from './schedule.js';

/** Words that say nothing about which class is meant. */
const STOP = new Set(
  'a an and the of for to do we keep kept how long is are what about when can be file files record records case cases retention retain period destroyed destroy destruction child children s our you i my on in at if it'.split(
    ' ',
  ),
);

function normalise(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^a-z0-9.]+/)
    .map((w) => w.replace(/\.+$/, ''))
    .filter((w) => w && !STOP.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/** Levenshtein distance, capped: enough to forgive a typo in a word. */
function distance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

function wordMatches(asked: string, known: string): boolean {
  if (asked === known) return true;
  if (asked.length < 5 || known.length < 5) return false;
  return distance(asked, known, asked.length >= 8 ? 2 : 1) <= (asked.length >= 8 ? 2 : 1);
}

export interface ClassMatch {
  recordClass: RecordClass;
  score: number;
}

/**
 * The record classes a question is about, best first: every word of an alias (or the title)
 * must appear, allowing a typo in longer words and plurals; longer aliases score more.
 */
export function matchRecordClasses(schedule: Schedule, question: string): ClassMatch[] {
  const asked = normalise(question);
  if (!asked.length) return [];
  const matches: ClassMatch[] = [];
  for (const cls of schedule.classes) {
    let score = 0;
    for (const phrase of [...cls.aliases, cls.title, cls.id.replace(/-/g, ' ')]) {
      const words = normalise(phrase);
      if (!words.length) continue;
      if (words.every((w) => asked.some((a) => wordMatches(a, w))))
        score = Math.max(score, words.length * 10 + words.join('').length / 10);
    }
    if (score > 0) matches.push({ recordClass: cls, score });
  }
  return matches.sort((a, b) => b.score - a.score);
}
