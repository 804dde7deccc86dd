import type { Schedule } from '../rules/index.js';
import { openStore, type Store } from './connection.js';
import { ensureRetentionCurrent, type RecomputeProgress } from './inventory.js';
import { migrate } from './migrations.js';

export type { Store } from './connection.js';

/**
 * Opens the database, brings its schema up to date and makes sure stored retention dates follow
 * the schedule in force. What the bot and every command start with.
 */
export async function openReadyStore(
  url: string,
  schedule: Schedule,
  onRecompute?: (p: RecomputeProgress) => void,
): Promise<Store> {
  const store = await openStore(url);
  try {
    await migrate(store.db, store.dialect);
    await ensureRetentionCurrent(store.db, schedule, onRecompute);
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}
