import { buildTab } from '../../scripts/build-tab.js';

/** The tab is served from dist/tab: build it once before the tests (as `npm run serve` does). */
export default async function setup(): Promise<void> {
  await buildTab();
}
