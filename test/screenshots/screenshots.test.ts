import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { takeScreenshots } from '../../scripts/screenshots.js';

// `npm run screenshots` makes the README's pictures from the running bot and tab: its scenario
// runs to the end and draws every picture, each a real image of the size the README shows.

describe('the README screenshots', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cra-shots-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the chat cards and the tab for each role', async () => {
    const files = await takeScreenshots(dir);
    expect(files.map((f) => path.basename(f))).toEqual([
      'request-form.png',
      'approval-card.png',
      'retention-answer.png',
      'due-list.png',
      'review-list.png',
      'batch-preview.png',
      'tab-case-worker.png',
      'tab-line-manager.png',
      'tab-records-management.png',
    ]);
    for (const file of files) {
      const png = PNG.sync.read(readFileSync(file));
      const expectedWidth = path.basename(file).startsWith('tab-') ? 1000 : 600;
      expect(png.width, file).toBe(expectedWidth);
      expect(png.height, file).toBeGreaterThan(300);
      expect(png.height, file).toBeLessThanOrEqual(1500);
      // Something is drawn: many colours, not a blank page.
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
      expect(colours.size, file).toBeGreaterThan(20);
    }
  }, 60_000);
});
