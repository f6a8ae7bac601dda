import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, open, shot, until } from './harness';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

test('directory: filter, open a mentor, request mentorship, then Message opens the conversation', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Find a mentor' }).click();
  await page.getByRole('heading', { name: 'Suggested for you' }).waitFor();
  await page.getByLabel('Skill').fill('rust');
  await page.getByLabel('Industry').fill('cloud');
  await until(async () => (await page.locator('#results-h + * article, section[aria-labelledby="results-h"] article').count()) === 1);
  await shot(page, 'directory-filtered');
  await page.getByRole('button', { name: 'View profile of barbara' }).click();
  await page.getByRole('heading', { name: 'barbara' }).waitFor();
  await page.getByText('Distributed systems architect').first().waitFor();
  // A mentee asks a mentor before messaging them.
  expect(await page.getByRole('button', { name: 'Message', exact: true }).count()).toBe(0);
  await page.getByRole('button', { name: 'Request mentorship' }).click();
  await page.getByText('3 of 3 mentee slots open').waitFor();
  await page.getByLabel(/Why barbara/).fill('I want to learn distributed systems.');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.getByText('Request sent', { exact: true }).first().waitFor();
  await page.getByRole('button', { name: 'Message', exact: true }).click();
  await page.getByRole('heading', { name: 'barbara', level: 1 }).waitFor();
  await page.getByText('No messages yet. Say hello').waitFor();
  expect(await page.getByRole('option', { name: /barbara/ }).getAttribute('aria-selected')).toBe('true');
  expect(errors).toEqual([]);
});

test('directory offline says it needs a connection', async () => {
  const { page } = await open(browser, 'signedIn&offline');
  await page.getByText(/Offline — retrying in \d+s/).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Find a mentor' }).click();
  await page.getByText(/The directory needs a connection/).waitFor();
  await shot(page, 'directory-offline');
});

test('search palette jumps to a message far back in history', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('listbox', { name: 'Conversations' }).waitFor();
  await page.keyboard.press('Control+k');
  const input = page.getByRole('combobox', { name: 'Search messages' });
  await input.fill('needle');
  const hit = page.getByRole('option', { name: /lodestar needle/ });
  await hit.waitFor();
  expect(await hit.locator('mark').textContent()).toBe('needle');
  await shot(page, 'search-palette');
  await input.press('Enter');
  const target = page.locator('[data-message-id="c-alan-a99580"]');
  await target.waitFor();
  await until(async () => (await target.getAttribute('class'))?.includes('highlighted') ?? false);
  expect(await target.isVisible()).toBe(true);
  await shot(page, 'search-jump');
  expect(errors).toEqual([]);
});

test('the production build does not contain the mock backend', () => {
  const dir = join(import.meta.dirname, '../../dist/assets');
  const text = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  expect(text.length).toBeGreaterThan(1000);
  expect(text).not.toContain('LODESTAR_MOCK_BACKEND');
  expect(text).not.toContain('correct-horse-1');
});
