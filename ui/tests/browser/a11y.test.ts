// axe-core over every screen of the mock build, in the light and the dark scheme: no serious or
// critical violation, and a level-one heading on each. The counts per screen are written to
// test-results/a11y-counts.json (the before/after figures come from there).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { axe, describe, severe } from './axe';
import { launch, open } from './harness';
import { screens } from './screens';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });

const counts: Record<string, { rules: number; nodes: number; ids: string[]; h1: number; lesser: string[] }> = {};
afterAll(async () => {
  await browser?.close();
  const dir = join(import.meta.dirname, '../../test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a11y-counts.json'), `${JSON.stringify(counts, null, 2)}\n`);
});

for (const scheme of ['light', 'dark'] as const) {
  for (const s of screens) {
    test(`${s.name} (${scheme})`, async () => {
      const { page } = await open(browser, s.query);
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await s.go(page);
      // Let toasts, focus moves and late renders settle before judging.
      await page.waitForTimeout(250);
      const all = await axe(page);
      const found = severe(all);
      const h1 = await page.locator('h1').count();
      counts[`${s.name} (${scheme})`] = {
        rules: found.length, nodes: found.reduce((n, v) => n + v.targets.length, 0), ids: found.map((v) => v.id), h1,
        // Moderate and minor ones are not failures, but are worth seeing beside the others.
        lesser: all.filter((v) => !found.includes(v)).map((v) => `${v.id} (${v.impact})`),
      };
      expect(found, `axe found on "${s.name}" (${scheme}):\n${describe(found)}`).toEqual([]);
      expect(h1, `"${s.name}" has no level-one heading`).toBeGreaterThan(0);
      await page.close();
    });
  }
}
