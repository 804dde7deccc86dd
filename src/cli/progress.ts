import type { ImportProgress } from '../imports/inventory-import.js';

/**
 * Progress lines on stderr for long work: nothing for work that finishes within a second, then
 * a line every two seconds and one when each phase completes.
 */
export function progressPrinter(
  label: string,
  write = (line: string) => void process.stderr.write(line),
): (p: ImportProgress) => void {
  const start = Date.now();
  let last = start;
  let printed = false;
  let finished = '';
  return (p) => {
    const now = Date.now();
    const done = p.bytesRead >= p.totalBytes;
    if (done ? finished === p.phase || !printed : now - last < (printed ? 2000 : 1000)) return;
    if (done) finished = p.phase;
    last = now;
    printed = true;
    const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 100;
    write(`${label}: ${p.phase} ${p.rows.toLocaleString('en-GB')} rows (${pct}%)\n`);
  };
}
