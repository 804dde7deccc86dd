import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type * as Rules from '../../src/rules/index.js';
import { launchChromium } from '../support/chromium.js';

/** The rules module is shared with the tab: it must bundle for a browser and run there. */
describe('the rules module in a browser', () => {
  it('bundles with no Node built-ins and answers a retention question in headless Chromium', async () => {
    const result = await build({
      entryPoints: ['src/rules/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'rules',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(["']node:/);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.addScriptTag({ content: code });
      const answer = await page.evaluate(() => {
        const r = (window as unknown as { rules: typeof Rules }).rules;
        return r.calculateRetention(
          r.defaultSchedule,
          { recordClass: 'looked-after-child', dates: { dateOfBirth: '1948-02-29' } },
          '2026-11-26',
        );
      });
      expect(answer).toMatchObject({ status: 'due', endsOn: '2023-03-01', ruleId: '75-years-from-birth' });
    } finally {
      await browser.close();
    }
  });
});
