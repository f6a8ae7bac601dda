import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type Violation = { id: string; impact: string | null; help: string; targets: string[] };

/**
 * Runs axe-core over the whole page. The page's CSP (script-src 'self') refuses an inline
 * <script>, so the source goes in through the DevTools protocol, which the CSP does not govern.
 */
export async function axe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (ctx: Document, opts: unknown) => Promise<{
          violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
        }>;
      };
    };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => `${n.target.join(' ')}  [${(n.failureSummary ?? '').split('\n').slice(1).join(' ').trim()}]`) }));
  });
}

export const severe = (vs: Violation[]) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/** One line per violation, with the nodes it names (for a failure message). */
export function describe(vs: Violation[]): string {
  return vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.targets.slice(0, 8).join('\n    ')}${v.targets.length > 8 ? `\n    … ${v.targets.length - 8} more` : ''}`).join('\n');
}
