import { afterAll, describe, expect, inject, it } from 'vitest';
import { defaultSchedule } from '../../src/rules/index.js';
import { openReadyStore, type Store } from '../../src/store/index.js';
import { claimDue, enqueue, markSent, type NewNotification } from '../../src/store/outbox.js';
import { createPgDatabase, dropPgDatabase } from '../support/instances.js';

// The outbox as several instances use it, each with a connection pool of its own on one
// PostgreSQL database: claims never overlap, lapse when their holder is gone, and queueing the
// same reminders from everywhere at once queues each once, without deadlocks.

const adminUrl = inject('TEST_DATABASE_URL_PG');

describe.skipIf(!adminUrl)('outbox claims across instances (PostgreSQL)', () => {
  const stores: Store[] = [];
  const databases: string[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const url of databases) await dropPgDatabase(adminUrl!, url);
  });

  /** Two "instances": two pools on one new database. */
  async function instances(): Promise<[Store, Store]> {
    const url = await createPgDatabase(adminUrl!, 'outbox');
    databases.push(url);
    const a = await openReadyStore(url, defaultSchedule);
    const b = await openReadyStore(url, defaultSchedule);
    stores.push(a, b);
    return [a, b];
  }

  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 26, 9, 0, seconds)).toISOString();
  const notification = (n: number): NewNotification => ({
    dedupeKey: `reminder.pending:${String(n).padStart(5, '0')}:someone`,
    recipientId: `r-${n % 7}`,
    kind: 'reminder.pending',
    authorisationId: null,
    dueAt: at(0),
  });

  it('six senders on two pools claiming at once: every row is claimed once, none twice', async () => {
    const [a, b] = await instances();
    await enqueue(
      a.db,
      Array.from({ length: 300 }, (_, n) => notification(n)),
      at(0),
    );
    const claimedBy = await Promise.all(
      [a, b, a, b, a, b].map(async (store) => {
        const mine: string[] = [];
        for (;;) {
          const rows = await claimDue(store.db, at(1), at(121), 25);
          if (!rows.length) return mine;
          mine.push(...rows.map((r) => r.id));
        }
      }),
    );
    const all = claimedBy.flat();
    expect(all).toHaveLength(300);
    expect(new Set(all).size).toBe(300);
    expect(claimedBy.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
  });

  it('claims lapse: rows held by a sender that died are taken again after their time, not before', async () => {
    const [a, b] = await instances();
    await enqueue(
      a.db,
      Array.from({ length: 10 }, (_, n) => notification(n)),
      at(0),
    );
    const held = await claimDue(a.db, at(1), at(121), 25);
    expect(held).toHaveLength(10);
    // a dies. b, a minute later, finds nothing to take; three minutes later, everything.
    expect(await claimDue(b.db, at(61), at(181), 25)).toEqual([]);
    const taken = await claimDue(b.db, at(180), at(300), 25);
    expect(taken.map((r) => r.id).sort()).toEqual(held.map((r) => r.id).sort());
    for (const row of taken) await markSent(b.db, row.id, at(181));
    expect(await claimDue(a.db, at(999), at(1100), 25)).toEqual([]);
  });

  it('both instances queueing the same reminders at once, in opposite orders: each queued once', async () => {
    const [a, b] = await instances();
    for (let round = 0; round < 5; round++) {
      const items = Array.from({ length: 1000 }, (_, n) => notification(round * 1000 + n));
      await Promise.all([enqueue(a.db, items, at(0)), enqueue(b.db, [...items].reverse(), at(0))]);
    }
    const rows = await a.db.selectFrom('outbox').select('dedupe_key').execute();
    expect(rows).toHaveLength(5000);
  });
});
