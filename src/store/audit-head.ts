import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

// The audit chain's head kept outside the database: after every transaction that appends to the
// chain commits, its last entry's sequence number and hash are written to a file (atomically: a
// new file renamed over the old) and to the structured log. Someone who can rewrite the database
// cannot reach these, so a chain cut short or rolled back to an earlier state no longer matches
// the head last written. The head only moves forward.

/** The last entry of the chain: its sequence number and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface HeadRecord extends ChainHead {
  /** The audit key's id (not the key): which key the entry was made with. */
  keyId: string | null;
  writtenAt: string;
}

const HASH = /^[0-9a-f]{64}$/;

export class HeadFileError extends Error {
  override name = 'HeadFileError';
}

/** Reads a head file; null when there is none. A file that is not a head record is an error. */
export async function readHeadFile(file: string): Promise<HeadRecord | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HeadFileError(`The audit chain head file ${file} cannot be read: ${(error as Error).message}`);
  }
  try {
    const value = JSON.parse(text) as Partial<HeadRecord>;
    if (
      Number.isInteger(value.seq) &&
      (value.seq ?? 0) > 0 &&
      typeof value.hash === 'string' &&
      HASH.test(value.hash)
    ) {
      return {
        seq: value.seq!,
        hash: value.hash,
        keyId: typeof value.keyId === 'string' ? value.keyId : null,
        writtenAt: typeof value.writtenAt === 'string' ? value.writtenAt : '',
      };
    }
  } catch {
    // Reported below.
  }
  throw new HeadFileError(`The audit chain head file ${file} is not a chain head record.`);
}

/** Parses a head given on the command line or copied from the log: `seq:hash`. */
export function parseHead(text: string): ChainHead | null {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2]! } : null;
}

/**
 * Writes the head to its file, one write at a time and only ever forward: a head older than the
 * one already written (a slower transaction that committed first) is skipped.
 */
export class HeadFile {
  private written = 0;
  private wanted: HeadRecord | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Starts from the head already in the file, so a restart never writes an older one. */
  async load(): Promise<HeadRecord | null> {
    const current = await readHeadFile(this.file);
    this.written = Math.max(this.written, current?.seq ?? 0);
    return current;
  }

  write(head: HeadRecord): Promise<void> {
    if (head.seq <= this.written || (this.wanted && head.seq <= this.wanted.seq)) return this.queue;
    this.wanted = head;
    const run = this.queue.then(async () => {
      const next = this.wanted;
      if (!next || next.seq <= this.written) return;
      await writeAtomically(this.file, `${JSON.stringify(next)}\n`);
      this.written = next.seq;
    });
    // A failed write is the caller's to report; the next one still runs.
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
