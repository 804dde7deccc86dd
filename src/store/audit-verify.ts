import type { Kysely } from 'kysely';
import {
  chainOf,
  GENESIS_HASH,
  keyedHash,
  legacyHash,
  REMOVED,
  removedEntries,
  type AuditKey,
} from './audit.js';
import { readHeadFile, type ChainHead, type HeadRecord } from './audit-head.js';
import {
  allDigests,
  COVERED_TABLE_NAMES,
  labelOf,
  type CoveredTable,
  type RowDigests,
} from './audit-rows.js';
import { isPostgres } from './dialect.js';
import type { Database } from './schema.js';

// verify-audit: the whole audit log checked with the audit key, against the chain head kept
// outside the database, and against the rows it vouches for.

export interface VerifyOptions {
  /** Head files to compare the chain with; default the store's own (AUDIT_HEAD_FILE). */
  headFiles?: readonly string[];
  /** Heads copied from the log (`seq:hash`), compared as head files are. */
  heads?: readonly ChainHead[];
  onProgress?: (checked: number) => void;
}

export interface ChainBreak {
  /** The first entry that does not verify. */
  brokenAt: number;
  problem: string;
}

export interface HeadCheck {
  /** Where the head came from: a file, or "the log". */
  source: string;
  ok: boolean;
  message: string;
}

export interface AuditReport {
  ok: boolean;
  /** The id of the key the chain was checked with. */
  keyId: string;
  /** The number of the last entry that verifies: every entry up to it is there and verifies, or was removed by a purge that recorded it. */
  entries: number;
  /** Of those, the entries purges removed, each vouched for by the purge entry that recorded its hash. */
  removedEntries: number;
  /** Of those, the ones from before the chain was keyed (plain SHA-256). */
  unkeyedEntries: number;
  /** The last entry that verifies. */
  lastHash: string;
  chain: ChainBreak | null;
  heads: HeadCheck[];
  rows: {
    /** Rows checked, by table; null when the chain is broken and the rows were not checked. */
    checked: Record<CoveredTable, number> | null;
    /** Rows purges removed as the log records, by table (none of them is there). */
    removed: Record<CoveredTable, number> | null;
    /** What is wrong, the first 50. */
    problems: string[];
    problemCount: number;
  };
  /** Other findings that do not make the log fail (entries after the last head written). */
  notes: string[];
}

const PAGE = 5000;
const MAX_LISTED = 50;

interface Expected {
  digest: string;
  seq: number;
}

interface ChainWalk {
  /** The last entry walked. */
  entries: number;
  /** Entries removed by purges, passed over on the purge entries' word. */
  removed: number;
  unkeyed: number;
  lastHash: string;
  broken: ChainBreak | null;
  expected: Map<CoveredTable, Map<string, Expected>>;
  /** Hashes of the entries the heads name. */
  hashAt: Map<number, string>;
}

async function walkChain(
  db: Kysely<Database>,
  key: AuditKey,
  wanted: ReadonlySet<number>,
  onProgress?: (checked: number) => void,
): Promise<ChainWalk> {
  const walk: ChainWalk = {
    entries: 0,
    removed: 0,
    unkeyed: 0,
    lastHash: GENESIS_HASH,
    broken: null,
    expected: new Map(),
    hashAt: new Map(),
  };
  // Entries purges removed, as the purge entries made with this key recorded them. A purge entry
  // is itself checked in its place in the chain; one that is not there or does not verify breaks it.
  const purged = await removedEntries(db, key);
  let keyedSeen = false;
  const breakAt = (brokenAt: number, problem: string) => {
    walk.broken = { brokenAt, problem };
  };
  /** Passes over entries a purge removed, up to `seq`; false when one is missing without a purge's word. */
  const bridge = (seq: number): boolean => {
    while (walk.entries + 1 < seq) {
      const next = walk.entries + 1;
      const gone = purged.get(next);
      if (!gone || gone.by <= next) {
        breakAt(next, `entry ${next} is missing`);
        return false;
      }
      if (wanted.has(next)) walk.hashAt.set(next, gone.hash);
      walk.entries = next;
      walk.lastHash = gone.hash;
      walk.removed += 1;
    }
    return true;
  };
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', walk.entries)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of page) {
      const seq = Number(row.seq);
      if (!bridge(seq)) return walk;
      if (row.prev_hash !== walk.lastHash) {
        breakAt(seq, `entry ${seq} does not follow entry ${seq - 1}: its previous-hash link is wrong`);
        return walk;
      }
      const unhashed = { ...row, seq };
      if (row.key_id === null) {
        if (keyedSeen) {
          breakAt(
            seq,
            `entry ${seq} is not keyed, yet comes after keyed entries: the application did not write it`,
          );
          return walk;
        }
        if (legacyHash(unhashed) !== row.hash) {
          breakAt(seq, `entry ${seq} has been altered: its contents do not match its hash`);
          return walk;
        }
        walk.unkeyed += 1;
      } else {
        if (row.key_id !== key.id) {
          breakAt(
            seq,
            `entry ${seq} was not made with this audit key (it names key id ${row.key_id}; AUDIT_KEY here has key id ${key.id}): a forgery, or the wrong AUDIT_KEY`,
          );
          return walk;
        }
        if (keyedHash(key, unhashed) !== row.hash) {
          breakAt(
            seq,
            `entry ${seq} has been altered or forged: its contents do not match its HMAC under the audit key`,
          );
          return walk;
        }
        keyedSeen = true;
        if (row.row_digests) {
          const digests = JSON.parse(row.row_digests) as RowDigests;
          for (const [table, rows] of Object.entries(digests) as [CoveredTable, Record<string, string>][]) {
            let map = walk.expected.get(table);
            if (!map) walk.expected.set(table, (map = new Map<string, Expected>()));
            for (const [k, digest] of Object.entries(rows)) map.set(k, { digest, seq });
          }
        }
      }
      if (wanted.has(seq)) walk.hashAt.set(seq, row.hash);
      walk.entries = seq;
      walk.lastHash = row.hash;
    }
    onProgress?.(walk.entries);
    if (page.length < PAGE) break;
  }
  if (walk.entries > 0 && !keyedSeen) {
    breakAt(
      walk.entries,
      'no entry is keyed: the log has never been opened with an audit key (start the application, or run any other command, with AUDIT_KEY to key it)',
    );
  }
  return walk;
}

async function checkRows(
  db: Kysely<Database>,
  expected: ChainWalk['expected'],
): Promise<{
  checked: Record<CoveredTable, number>;
  removed: Record<CoveredTable, number>;
  problems: string[];
}> {
  const checked = {} as Record<CoveredTable, number>;
  const removed = {} as Record<CoveredTable, number>;
  const problems: string[] = [];
  for (const table of COVERED_TABLE_NAMES) {
    const label = labelOf(table);
    const want = expected.get(table) ?? new Map<string, Expected>();
    const seen = new Set<string>();
    checked[table] = 0;
    removed[table] = 0;
    for await (const { key, digest } of allDigests(db, table)) {
      checked[table] += 1;
      seen.add(key);
      const recorded = want.get(key);
      if (!recorded)
        problems.push(`${label} ${key} is not in the audit log: it was added outside the application`);
      else if (recorded.digest === REMOVED)
        problems.push(
          `${label} ${key} is there, though audit entry ${recorded.seq} recorded that a purge removed it: it was put back outside the application`,
        );
      else if (recorded.digest !== digest)
        problems.push(
          `${label} ${key} has been changed outside the application since audit entry ${recorded.seq} recorded it`,
        );
    }
    for (const [key, recorded] of want) {
      if (seen.has(key)) continue;
      if (recorded.digest === REMOVED) removed[table] += 1;
      else
        problems.push(`${label} ${key} is missing: audit entry ${recorded.seq} recorded it, and it is gone`);
    }
  }
  return { checked, removed, problems };
}

function checkHead(source: string, head: ChainHead & { writtenAt?: string }, walk: ChainWalk): HeadCheck {
  const when = head.writtenAt ? ` (written ${head.writtenAt})` : '';
  const there = walk.hashAt.get(head.seq);
  if (there === head.hash) {
    return {
      source,
      ok: true,
      message:
        walk.entries > head.seq
          ? `holds entry ${head.seq}${when}; ${walk.entries - head.seq} entries follow it (written by another instance, or since)`
          : `matches the chain head, entry ${head.seq}${when}`,
    };
  }
  if (walk.broken && head.seq >= walk.broken.brokenAt) {
    return { source, ok: false, message: `names entry ${head.seq}${when}, after the break: not checked` };
  }
  return {
    source,
    ok: false,
    message:
      head.seq > walk.entries
        ? `names entry ${head.seq}${when}, but the log ends at entry ${walk.entries}: entries have been removed, or the database was rolled back to an earlier copy`
        : `names entry ${head.seq}${when} with another hash: the log has been rolled back and rewritten from there (or the head belongs to another database)`,
  };
}

/**
 * Checks the whole audit log in one consistent read: every entry's link and HMAC under the audit
 * key (an entry a purge removed is passed over on the word of the purge entry, which recorded its
 * hash); the chain against the head kept outside the database (a chain cut short or rolled back
 * fails); and every row the log vouches for (destruction register, batches and their items,
 * removal requests and their history, holds) against the digest its latest entry recorded, so a
 * row altered, forged or removed outside the application is named (a row a purge removed must be
 * gone).
 */
export async function verifyAudit(db: Kysely<Database>, options: VerifyOptions = {}): Promise<AuditReport> {
  const { chain } = await chainOf(db);
  // Heads are read before the log, so any entry they name was committed before the read began.
  const sources: { source: string; head: (ChainHead & { writtenAt?: string }) | null }[] = [];
  const files = options.headFiles ?? (chain.headFile ? [chain.headFile.file] : []);
  for (const file of files) {
    const head: HeadRecord | null = await readHeadFile(file);
    sources.push({ source: file, head });
  }
  for (const head of options.heads ?? []) sources.push({ source: 'the log', head });
  const wanted = new Set(sources.flatMap((s) => (s.head ? [s.head.seq] : [])));

  const check = async (trx: Kysely<Database>): Promise<AuditReport> => {
    const walk = await walkChain(trx, chain.key, wanted, options.onProgress);
    const heads: HeadCheck[] = sources.map(({ source, head }) =>
      head
        ? checkHead(source, head, walk)
        : walk.entries === 0 && !walk.broken
          ? { source, ok: true, message: 'not written yet: the log is empty' }
          : {
              source,
              ok: false,
              message:
                'is missing, so a chain cut short or rolled back cannot be ruled out (give the head file of the server that wrote the log with --head-file, or a head from its log with --head)',
            },
    );
    const rows = walk.broken ? null : await checkRows(trx, walk.expected);
    const problems = rows?.problems ?? [];
    const notes = heads
      .filter((h) => h.ok && / follow it /.test(h.message))
      .map((h) => `${h.source} ${h.message}`);
    return {
      ok: !walk.broken && heads.every((h) => h.ok) && problems.length === 0,
      keyId: chain.key.id,
      entries: walk.entries,
      removedEntries: walk.removed,
      unkeyedEntries: walk.unkeyed,
      lastHash: walk.lastHash,
      chain: walk.broken,
      heads,
      rows: {
        checked: rows?.checked ?? null,
        removed: rows?.removed ?? null,
        problems: problems.slice(0, MAX_LISTED),
        problemCount: problems.length,
      },
      notes,
    };
  };
  // One consistent read; inside a caller's transaction, that one.
  if (db.isTransaction) return check(db);
  let builder = db.transaction();
  if (isPostgres(db)) builder = builder.setIsolationLevel('repeatable read').setAccessMode('read only');
  return builder.execute(check);
}
