import type { ImportProgress } from '../imports/inventory-import.js';

/**
 * Progress lines on stderr for long work: nothing for work that finishes within a second, then
 * at most a line a second, and a final line.
 */
export function progressPrinter(
  label: string,
  write = (line: string) => process.stderr.write(line),
): (p: ImportProgress) => void {
  const start = Date.now();
  let last = start;
  let printed = false;
  return (p) => {
    const now = Date.now();
    const done = p.bytesRead >= p.totalBytes;
    if (now - last < 1000 && !(done && printed)) return;
    last = now;
    printed = true;
    const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 100;
    write(`${label}: ${p.phase} ${p.rows.toLocaleString('en-GB')} rows (${pct}%)\n`);
  };
}
