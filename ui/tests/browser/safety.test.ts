import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, mockCalls, open, shot, until } from './harness';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

test('a message is reported with a reason; a profile blocks; Settings lists and unblocks', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /linus/ }).click();
  const message = page.locator('[data-message-id]').filter({ hasText: 'Send me the patch when ready.' });
  await message.hover();
  await message.getByRole('button', { name: 'Report' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report linus' });
  await dialog.getByLabel('The message reported').getByText('Send me the patch when ready.').waitFor();
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await dialog.getByRole('alert').getByText('Choose what this is about.').waitFor();
  await dialog.getByRole('radio', { name: /Harassment/ }).check();
  await dialog.getByLabel(/What happened/).fill('Pushy about meeting alone.');
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await page.getByText("Report sent. Your program's coordinators will look at it.").waitFor();
  expect(await dialog.count()).toBe(0);
  expect(await mockCalls(page, 'report_user')).toBe(1);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Find a mentor/ }).click();
  await page.getByRole('button', { name: 'View profile of grace' }).first().click();
  await page.getByRole('region', { name: 'Profile of grace' }).getByRole('button', { name: 'Block' }).click();
  await page.getByText(/Blocked grace/).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ }).click();
  const blocked = page.getByRole('region', { name: 'Blocked people' });
  await blocked.getByText('grace').waitFor();
  await blocked.getByRole('button', { name: 'Unblock' }).click();
  await blocked.getByText('You have blocked nobody.').waitFor();

  await page.getByRole('button', { name: 'Delete my account…' }).click();
  await page.getByLabel('Your password').fill('wrong one');
  await page.getByRole('button', { name: 'Delete my account', exact: true }).click();
  await page.getByRole('alert').getByText('That password is not right.').waitFor();
  expect(errors).toEqual([]);
});

test('a coordinator sees the program with charts, suspends over a report and releases a held message', async () => {
  const { page, errors } = await open(browser, 'signedIn&coordinator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Program/ }).click();
  await page.getByRole('heading', { name: 'Program' }).waitFor();
  await page.getByText('active mentorships').waitFor();
  await until(async () => (await page.locator('canvas').count()) === 5);
  await page.getByRole('figure').filter({ hasText: 'Sessions held per week' }).waitFor();
  await shot(page, 'program-overview');

  await page.getByRole('tab', { name: /Reports/ }).click();
  const report = page.locator('[data-report-id="rep-1"]');
  await report.getByText('Which street do you live on?').waitFor();
  await report.getByRole('button', { name: /Suspend/ }).click();
  await page.getByText(/Write the reason for the suspension first/).waitFor();
  await report.getByLabel('Note').fill('Asked a mentee where she lives');
  await report.getByRole('button', { name: /Suspend/ }).click();
  await page.getByText(/dennis is suspended/).waitFor();
  await page.getByText('No open reports. All clear.').waitFor();

  await page.getByRole('tab', { name: /Held messages/ }).click();
  await page.getByText('Text me on 415.555.0100').waitFor();
  await page.getByText('contains a phone number').waitFor();
  await page.getByRole('button', { name: 'Release' }).click();
  await page.getByText('No messages wait for review.').waitFor();

  await page.getByRole('tab', { name: /Suspended/ }).click();
  await page.getByRole('cell', { name: 'Asked a mentee where she lives' }).waitFor();
  await page.getByRole('tab', { name: /Suspended/ }).click();
  await page.getByRole('button', { name: 'Lift suspension' }).click();
  await page.getByText('Nobody is suspended.').waitFor();
  await page.getByRole('tab', { name: /Trail/ }).click();
  await page.getByText(/ada lifted the suspension of dennis/).waitFor();
  await page.getByText(/ada released a held message of radia/).waitFor();
  await page.getByRole('button', { name: 'Show older' }).click();
  await page.getByText(/ada suspended dennis/).waitFor();
  expect(await page.getByRole('button', { name: 'Show older' }).count()).toBe(0);
  expect(errors).toEqual([]);
});

test('members who do not coordinate see no Program section', async () => {
  const { page } = await open(browser, 'signedIn');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Chats/ }).waitFor();
  expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Program/ }).count()).toBe(0);
});
