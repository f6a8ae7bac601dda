import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, mockCalls, open, shot, until } from './harness';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

test('sign in: a field error, a wrong password, then success', async () => {
  const { page, errors } = await open(browser);
  await page.getByLabel('Username or email').fill('ada');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // The empty password is flagged beside its field and tied to it for screen readers.
  const password = page.getByLabel('Password');
  await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('#si-password-error').textContent()).toBe('Required');
  expect(await password.getAttribute('aria-describedby')).toContain('si-password-error');
  await shot(page, 'signin-field-error');

  await password.fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByText('Wrong username or password.').waitFor();

  await password.fill('correct-horse-1');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('listbox', { name: 'Conversations' }).waitFor();
  await page.getByRole('option', { name: /grace/ }).waitFor();
  await until(async () => (await mockCalls(page, 'ui_ready')) === 1);
  await shot(page, 'signed-in');
  expect(await mockCalls(page, 'ui_ready')).toBe(1);
  expect(errors).toEqual([]);
});

test('sign up validates as you type', async () => {
  const { page } = await open(browser);
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.getByLabel('Username').fill('ab');
  await page.locator('#su-username-error').getByText('At least 3 characters').waitFor();
  await page.getByLabel('Username').fill('Ada Lovelace');
  await page.locator('#su-username-error').getByText('Use only a–z, 0–9, _ and .').waitFor();
  await page.getByLabel('Username').fill('ada_l');
  await page.locator('#su-username-error').waitFor({ state: 'detached' });
  await shot(page, 'signup');
});
