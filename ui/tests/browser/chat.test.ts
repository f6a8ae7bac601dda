import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, open, shot, until } from './harness';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

test('open a conversation and send: pending, then sent', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /Rust study circle/ }).click();
  await page.getByRole('heading', { name: 'Rust study circle' }).waitFor();
  // Group receipts read "Read by N of M".
  await page.getByText('Read by 2 of 4').waitFor();

  const box = page.getByLabel('Message', { exact: true });
  await box.fill('Hello from the browser test');
  await box.press('Enter');
  const row = page.locator('.msg', { hasText: 'Hello from the browser test' });
  await row.waitFor();
  expect(await row.getAttribute('data-status')).toBe('pending');
  expect(await box.inputValue()).toBe('');
  await shot(page, 'send-pending');
  await until(async () => (await row.getAttribute('data-status')) === 'sent', 5000);
  await row.getByLabel('Sent').waitFor();
  // The list preview follows.
  await page.getByRole('option', { name: /You: Hello from the browser test/ }).waitFor();
  await shot(page, 'send-sent');
  expect(errors).toEqual([]);
});

test('a failed message shows its reason and can be retried', async () => {
  const { page } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /linus/ }).click();
  await page.getByText(/Not sent: The server refused/).waitFor();
  await page.getByRole('button', { name: 'Retry' }).click();
  const row = page.locator('.msg', { hasText: 'v2 of the patch' });
  await until(async () => (await row.getAttribute('data-status')) === 'sent', 5000);
});

test('drafts survive switching conversations', async () => {
  const { page } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /grace/ }).click();
  await page.getByLabel('Message', { exact: true }).fill('half-written thought');
  await page.getByRole('option', { name: /linus/ }).click();
  await page.getByRole('heading', { name: 'linus' }).waitFor();
  expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('');
  await page.getByRole('option', { name: /grace/ }).click();
  await expect.poll(() => page.getByLabel('Message', { exact: true }).inputValue()).toBe('half-written thought');
});

test('100k messages: scrolling to the top loads older history with few rows in the DOM', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /alan/ }).click();
  const log = page.getByRole('log');
  await log.getByText('Archive note 99999: short reply.').waitFor();
  const first = async () => Number(/(\d+)$/.exec((await page.locator('[data-message-id]').first().getAttribute('data-message-id')) ?? '')?.[1]);
  const before = await first();
  for (let i = 0; i < 6; i++) {
    await log.evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
    await page.waitForTimeout(250);
  }
  await until(async () => (await first()) < before - 100);
  const rows = await page.locator('[data-message-id]').count();
  expect(rows).toBeGreaterThan(5);
  expect(rows).toBeLessThan(200);
  // Scroll position is kept: the top of the viewport is not pinned to the oldest loaded row.
  expect(await log.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await shot(page, 'archive-older');
  expect(errors).toEqual([]);
});
