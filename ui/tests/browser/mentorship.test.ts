import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, open, shot, until } from './harness';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

test('the Requests inbox shows where each request stands and withdraws one', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Mentoring/ }).click();
  await page.getByRole('heading', { name: 'Mentoring' }).waitFor();
  await page.getByRole('tab', { name: /Outgoing/ }).click();
  const margaret = page.locator('[data-request-id="r-margaret"]');
  await margaret.getByText(/\d+ days left/).waitFor();
  const ken = page.locator('[data-request-id="r-ken"]');
  expect(await ken.getAttribute('data-status')).toBe('declined');
  await ken.getByText('Reason: My slots are full this quarter').waitFor();
  await page.getByRole('list', { name: 'Mentorships' }).getByText('1 overdue').waitFor();
  await shot(page, 'mentoring-requests');
  await margaret.getByRole('button', { name: 'Withdraw' }).click();
  await until(async () => (await margaret.getAttribute('data-status')) === 'withdrawn');
  expect(errors).toEqual([]);
});

test('the Mentorship panel: goals, ticking an action item, and one made from a message', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /linus/ }).click();
  const panel = page.getByRole('complementary', { name: 'Mentorship' });
  await panel.getByText('Land a first kernel patch').waitFor();
  // The next session on top, the held one after it.
  const sessions = panel.locator('[data-session-id]');
  expect(await sessions.first().getAttribute('data-session-id')).toBe('s-2');
  await panel.locator('[data-session-id="s-1"]').getByText('held').waitFor();
  await panel.getByText(/your time/).first().waitFor();
  const overdue = panel.locator('[data-task-id="t-2"]');
  await overdue.getByText('overdue').waitFor();

  await panel.getByLabel('Goal', { exact: true }).fill('Give a talk at a meetup');
  await panel.getByRole('form', { name: 'Add a goal' }).getByRole('button', { name: 'Add' }).click();
  await panel.getByText('Give a talk at a meetup').waitFor();

  await overdue.getByRole('checkbox').check();
  await until(async () => (await overdue.getAttribute('data-done')) === 'true');
  expect(await overdue.getByText('overdue').count()).toBe(0);

  const message = page.locator('[data-message-id]').filter({ hasText: 'Send me the patch when ready.' });
  await message.hover();
  await message.getByRole('button', { name: 'Make an action item' }).click();
  await expect.poll(() => panel.getByLabel('Action item', { exact: true }).inputValue()).toBe('Send me the patch when ready.');
  await panel.getByLabel('Who owes it').selectOption('me');
  await panel.getByRole('form', { name: 'Add an action item' }).getByRole('button', { name: 'Add' }).click();
  const made = panel.locator('[data-task-id]').filter({ hasText: 'Send me the patch when ready.' });
  await made.getByRole('button', { name: 'from a message' }).waitFor();
  await shot(page, 'mentorship-panel');
  expect(errors).toEqual([]);
});

test('sessions: confirm, propose, notes, feedback asked once, add to calendar, next session in the list', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  const linus = page.getByRole('option', { name: /linus/ });
  await linus.locator('[data-next-session]').waitFor();
  await linus.click();
  const panel = page.getByRole('complementary', { name: 'Mentorship' });
  const held = panel.locator('[data-session-id="s-1"]');
  // The app asks for feedback on the first held session, once.
  const ask = held.getByRole('form', { name: 'Feedback on the session' });
  await ask.getByText('How did it go?').waitFor();
  await expect.poll(() => held.getByLabel('Session notes').inputValue()).toContain('Run checkpatch');
  await ask.getByRole('radio', { name: '4 of 5' }).click();
  await ask.getByLabel('Fit').selectOption('good');
  await ask.getByRole('button', { name: 'Send' }).click();
  await held.getByRole('button', { name: /Rated 4\/5/ }).waitFor();
  expect(await ask.count()).toBe(0);

  // Linus proposed s-3: confirm it; then add it to the calendar.
  const proposed = panel.locator('[data-session-id="s-3"]');
  await proposed.getByRole('button', { name: 'Confirm' }).click();
  await until(async () => (await proposed.getAttribute('data-status')) === 'confirmed');
  await proposed.getByRole('button', { name: 'Add to calendar' }).click();
  await page.getByText(/Calendar file saved: .*lodestar-session-s-3\.ics/).waitFor();

  // Notes are saved as typed.
  const next = panel.locator('[data-session-id="s-2"]');
  await next.getByLabel('Session notes').fill('Bring the v3 diff');
  await until(async () => !(await next.getByText('saving…').count()));

  // Propose one: a time in the past is refused with the field named.
  await panel.getByRole('button', { name: 'Propose a session…' }).click();
  const form = panel.getByRole('form', { name: 'Propose a session' });
  await form.getByLabel('Session time').fill('2020-01-01T10:00');
  await form.getByRole('button', { name: 'Propose' }).click();
  await page.getByText('starts at: Pick a time in the future').waitFor();
  await form.getByLabel('Session time').fill('2030-06-01T10:00');
  await form.getByLabel('Agenda').fill('Conference talk dry run');
  await form.getByRole('button', { name: 'Propose' }).click();
  await panel.locator('[data-session-id]').filter({ hasText: 'Conference talk dry run' }).getByText('waiting for linus to confirm').waitFor();
  await shot(page, 'sessions-panel');
  expect(errors).toEqual([]);
});
