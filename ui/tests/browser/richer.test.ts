import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, mockArgs, open, shot, simulate, until } from './harness';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** A message row by its own text (not a quote of it), pinned by id so later quotes don't match. */
async function row(page: Page, text: string): Promise<Locator> {
  const found = page.locator('[data-message-id]').filter({ has: page.locator('.text', { hasText: text }) });
  const id = await found.first().getAttribute('data-message-id');
  return page.locator(`[data-message-id="${id}"]`);
}

const highlighted = (l: Locator) => l.evaluate((el) => el.classList.contains('highlighted'));

test('reply: the composer quotes the message, the reply shows the quote, and the quote jumps back', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /grace/ }).click();
  const original = await row(page, 'Great choice. Start with a tiny expression evaluator.');
  const originalId = await original.getAttribute('data-message-id');
  await original.hover();
  await original.getByRole('button', { name: 'Reply' }).click();
  const composer = page.getByRole('form', { name: 'Write a message' });
  await composer.getByText('Replying to').waitFor();
  expect(await composer.getByRole('status').textContent()).toMatch(/Replying to grace: Great choice\. Start with a tiny/);
  const box = page.getByLabel('Message', { exact: true });
  // Escape cancels; Reply again and send.
  await box.press('Escape');
  expect(await composer.getByText('Replying to').count()).toBe(0);
  await original.hover();
  await original.getByRole('button', { name: 'Reply' }).click();
  await box.fill('On it, starting tonight.');
  await box.press('Enter');
  const reply = await row(page, 'On it, starting tonight.');
  await reply.getByRole('button', { name: /In reply to grace Great choice\. Start with a tiny expression evaluator\./ }).waitFor();
  expect(await composer.getByText('Replying to').count()).toBe(0);
  expect((await mockArgs(page, 'send')).at(-1)).toMatchObject({ content: 'On it, starting tonight.', replyTo: originalId });
  await shot(page, 'reply-sent');

  await reply.getByRole('button', { name: /In reply to/ }).click();
  await until(() => highlighted(original));
  expect(errors).toEqual([]);
});

test('a quote of a message far back loads older history until it is there', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /alan/ }).click();
  const log = page.getByRole('log');
  const reply = await row(page, 'Coming back to this one');
  const quote = reply.getByRole('button', { name: /In reply to alan Archive note 99700: short reply\./ });
  await quote.waitFor();
  expect(await page.locator('[data-message-id="c-alan-a99700"]').count()).toBe(0);
  await quote.click();
  const original = log.locator('[data-message-id="c-alan-a99700"]');
  await original.waitFor({ timeout: 10_000 });
  await until(() => highlighted(original));
  await shot(page, 'reply-jump-far');
  expect(errors).toEqual([]);
});

test('edit: ArrowUp edits the last message, Enter saves and it says (edited); Delete leaves a tombstone', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /grace/ }).click();
  const box = page.getByLabel('Message', { exact: true });
  await box.fill('The tokenizer handles strngs now.');
  await box.press('Enter');
  const mine = await row(page, 'The tokenizer handles strngs now.');
  await until(async () => (await mine.getAttribute('data-status')) === 'sent');

  // The Edit action, then Escape: nothing changes and the box is empty again.
  await mine.hover();
  await mine.getByRole('button', { name: 'Edit' }).click();
  const composer = page.getByRole('form', { name: 'Write a message' });
  await composer.getByText('Editing message').waitFor();
  expect(await box.inputValue()).toBe('The tokenizer handles strngs now.');
  await box.press('Escape');
  expect(await composer.getByText('Editing message').count()).toBe(0);
  expect(await box.inputValue()).toBe('');

  await box.press('ArrowUp');
  await composer.getByText('Editing message').waitFor();
  await box.fill('The tokenizer handles strings now.');
  await box.press('Enter');
  await mine.locator('.text', { hasText: 'The tokenizer handles strings now.' }).waitFor();
  const edited = mine.getByText('(edited)');
  await edited.waitFor();
  expect(await edited.getAttribute('title')).toMatch(/^Edited Today at \d\d:\d\d$/);
  expect(await composer.getByText('Editing message').count()).toBe(0);
  expect(await mockArgs(page, 'edit_message')).toEqual([{ messageId: await mine.getAttribute('data-message-id'), content: 'The tokenizer handles strings now.' }]);
  await shot(page, 'edited');

  await mine.hover();
  await mine.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete this message for everyone?' });
  await dialog.getByLabel('The message to delete').getByText('The tokenizer handles strings now.').waitFor();
  // Escape keeps it.
  await page.keyboard.press('Escape');
  expect(await dialog.count()).toBe(0);
  await mine.hover();
  await mine.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await mine.getByText('This message was deleted').waitFor();
  await page.getByText('Message deleted.').waitFor();
  expect(await mine.getByRole('button').count()).toBe(0);
  expect(await mine.getByText('(edited)').count()).toBe(0);
  await page.getByRole('option', { name: /grace.*This message was deleted/ }).waitFor();
  await shot(page, 'deleted');
  expect(errors).toEqual([]);
});

test('react: the picker adds 👍, its chip is pressed and names who; clicking it takes it back', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /grace/ }).click();
  const message = await row(page, 'Ping me when you have questions.');
  await message.hover();
  const react = message.getByRole('button', { name: 'React' });
  await react.click();
  const menu = page.getByRole('menu', { name: 'React with' });
  await menu.waitFor();
  // Keyboard: the first emoji has focus, Escape closes and returns to React.
  await page.keyboard.press('Escape');
  expect(await menu.count()).toBe(0);
  expect(await react.evaluate((el) => el === document.activeElement)).toBe(true);
  await page.keyboard.press('Enter');
  await menu.getByRole('menuitemcheckbox', { name: '👍' }).click();
  expect(await menu.count()).toBe(0);
  const chip = message.getByRole('button', { name: '👍 1' });
  await chip.waitFor();
  expect(await chip.getAttribute('aria-pressed')).toBe('true');
  expect(await chip.getAttribute('title')).toBe('ada');
  expect(await mockArgs(page, 'react')).toEqual([{ messageId: await message.getAttribute('data-message-id'), emoji: '👍', on: true }]);
  await shot(page, 'reacted');
  await chip.click();
  await until(async () => (await message.getByRole('button', { name: /👍/ }).count()) === 0);

  // Someone else's reaction: joining it counts both.
  const tokenizer = await row(page, 'Thanks! I finished the tokenizer.');
  const party = tokenizer.getByRole('button', { name: '🎉 1' });
  expect(await party.getAttribute('aria-pressed')).toBe('false');
  await party.click();
  const both = tokenizer.getByRole('button', { name: '🎉 2' });
  await both.waitFor();
  expect(await both.getAttribute('aria-pressed')).toBe('true');
  expect(await both.getAttribute('title')).toBe('grace, ada');
  expect(errors).toEqual([]);
});

test('typing: shown in the header and the list, gone after 5 s or when their message arrives', async () => {
  const { page, errors } = await open(browser, 'signedIn', { clock: true });
  await page.getByRole('option', { name: /grace/ }).click();
  const header = page.getByRole('region', { name: 'grace', exact: true }).locator('header');
  await header.getByText('Direct message').waitFor();
  const circle = page.getByRole('option', { name: /Rust study circle/ });

  await simulate(page, 'typing', 'c-grace', 'u-grace');
  await simulate(page, 'typing', 'c-circle', 'u-linus');
  await header.getByText('grace is typing…').waitFor();
  await page.getByRole('option', { name: /grace is typing…/ }).waitFor();
  await circle.getByText('linus is typing…').waitFor();
  await shot(page, 'typing');

  // Another notice from grace renews hers; linus's runs out.
  await page.clock.fastForward(3000);
  await simulate(page, 'typing', 'c-grace', 'u-grace');
  await page.clock.fastForward(2100);
  await until(async () => (await circle.getByText('linus is typing…').count()) === 0);
  await circle.getByText('See you all there.').waitFor();
  expect(await header.getByText('grace is typing…').count()).toBe(1);

  // Her message ends it at once.
  await simulate(page, 'receive', 'c-grace', 'u-grace', 'Try precedence climbing first.');
  await page.getByRole('log').getByText('Try precedence climbing first.').waitFor();
  await until(async () => (await header.getByText('grace is typing…').count()) === 0);
  await header.getByText('Direct message').waitFor();
  await page.getByRole('option', { name: /grace.*Try precedence climbing first\./ }).waitFor();

  // Typing in the composer tells the core.
  await page.getByLabel('Message', { exact: true }).pressSequentially('Thanks');
  expect(await mockArgs(page, 'typing')).toEqual([{ conversationId: 'c-grace' }]);
  expect(errors).toEqual([]);
});
