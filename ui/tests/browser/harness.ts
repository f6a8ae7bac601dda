import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

const SHOTS = join(import.meta.dirname, '../../test-results/screenshots');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens the mock build; `query` selects the fake backend's starting state. With `clock`, the
 * page's timers are Playwright's (time flows, and `page.clock.fastForward` skips ahead).
 */
export async function open(browser: Browser, query = '', opts: { clock?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  if (opts.clock) await page.clock.install();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // A typed link in the seed data points at example.org: should anything ask, answer locally so
  // no test touches the network (attachments.test.ts checks that nothing does).
  await page.route('https://example.org/**', (route) =>
    route.fulfill({
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="160"><rect width="320" height="160" fill="#cde"/><text x="20" y="90" font-size="24">whiteboard</text></svg>',
    }),
  );
  await page.goto(inject('baseUrl') + (query ? `?${query}` : ''));
  return { page, errors };
}

export async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Polls until fn returns true (for things measured in the page, like DOM counts). */
export async function until(fn: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await fn(), 'condition not met in time').toBe(true);
}

/** The arguments of every call of one command the fake backend got. */
export async function mockArgs(page: Page, cmd: string): Promise<Array<Record<string, unknown>>> {
  return page.evaluate(
    (c) => (window as unknown as { __lodestarMock: { calls: Array<{ cmd: string; args: Record<string, unknown> }> } }).__lodestarMock.calls
      .filter((x) => x.cmd === c).map((x) => x.args),
    cmd,
  );
}

/** Plays the other side through the fake backend's `simulate` (see src/mock/messages.ts). */
export async function simulate(page: Page, what: 'typing' | 'receive' | 'react' | 'receiveFile', ...args: unknown[]): Promise<unknown> {
  return page.evaluate(
    ([w, a]) => (window as unknown as { __lodestarMock: { simulate: Record<string, (...x: unknown[]) => unknown> } }).__lodestarMock.simulate[w as string](...(a as unknown[])),
    [what, args] as const,
  );
}

export async function mockCalls(page: Page, cmd: string): Promise<number> {
  return page.evaluate(
    (c) => (window as unknown as { __lodestarMock: { calls: Array<{ cmd: string }> } }).__lodestarMock.calls.filter((x) => x.cmd === c).length,
    cmd,
  );
}
