// The keyboard alone, in the mock build: the message list is one Tab stop with a roving cursor,
// a message's actions open with Enter (no hover), dialogs close with Escape and give the focus
// back; a new message is announced once through the polite live region, the list itself
// staying silent; tab lists are one stop each, their arrows select; a conversation's context
// menu opens with the menu key or Shift+F10.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, open, simulate, until } from './harness';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** What has the focus: a message's text, a control's name, or its tag. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    if (el.hasAttribute('data-roving')) return `message: ${el.querySelector('.text')?.textContent ?? ''}`;
    return el.getAttribute('aria-label') || el.textContent?.trim() || el.tagName;
  });
}

/** Presses `key` until the focus satisfies `is` (at most `max` times). */
async function pressUntil(page: Page, key: string, is: () => Promise<boolean>, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await is()) return;
    await page.keyboard.press(key);
  }
  expect(await is(), `${key} never got there; focus is on ${await focused(page)}`).toBe(true);
}

const onMessage = (page: Page) => () => page.evaluate(() => !!document.activeElement?.hasAttribute('data-roving'));
const inLog = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('[role="log"]'));

/** Opens grace's conversation from the conversation list, keys only. */
async function openGrace(page: Page) {
  await page.getByRole('option', { name: /grace/ }).waitFor();
  await pressUntil(page, 'Tab', () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'option'));
  await pressUntil(page, 'ArrowDown', async () => /grace/.test((await page.evaluate(() => document.activeElement?.textContent)) ?? ''));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'grace', level: 1 }).waitFor();
  await page.locator('[data-message-id]').first().waitFor();
}

test('the message list: one Tab stop, arrows and Home/End move, Enter opens the actions, Escape comes back', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await openGrace(page);
  // The composer has the focus; backwards into the list lands on a message.
  await pressUntil(page, 'Shift+Tab', onMessage(page));
  expect(await focused(page)).toBe('message: Ping me when you have questions.');
  // One stop: nothing else in the list is in the Tab order.
  const stops = await page.getByRole('log').evaluate((log) =>
    [...log.querySelectorAll<HTMLElement>('button, a[href], [tabindex]')].filter((el) => el.tabIndex >= 0 && !el.closest('[data-roving][tabindex="0"]')).length);
  expect(stops).toBe(0);
  expect(await page.locator('[data-roving][tabindex="0"]').count()).toBe(1);

  await page.keyboard.press('ArrowUp');
  expect(await focused(page)).toBe('message: Nice. Next: a Pratt parser.');
  await page.keyboard.press('ArrowUp');
  expect(await focused(page)).toBe('message: Thanks! I finished the tokenizer.');
  await page.keyboard.press('Home');
  expect(await focused(page)).toBe('message: Welcome to the program! What would you like to work on?');
  await page.keyboard.press('End');
  expect(await focused(page)).toBe('message: Ping me when you have questions.');
  await page.keyboard.press('ArrowUp');

  // Enter: the first action, visible without a pointer anywhere near.
  await page.keyboard.press('Enter');
  expect(await focused(page)).toBe('Reply');
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.activeElement!).opacity)).toBe('1');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('React');
  await page.keyboard.press('Enter');
  await page.getByRole('menu', { name: 'React with' }).waitFor();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.locator('[data-message-id]').filter({ hasText: 'Nice. Next: a Pratt parser.' }).getByRole('group', { name: 'Reactions' }).waitFor();
  expect(await focused(page)).toBe('React');
  // Escape from an action goes back to its message; the message keeps the list's stop.
  await page.keyboard.press('Escape');
  expect(await focused(page)).toBe('message: Nice. Next: a Pratt parser.');

  // Tab walks this message's controls, then leaves the list: no other message's are in between.
  await pressUntil(page, 'Tab', async () => !(await inLog(page)));
  await page.keyboard.press('Shift+Tab');
  await pressUntil(page, 'Shift+Tab', onMessage(page));
  expect(await focused(page)).toBe('message: Nice. Next: a Pratt parser.');

  // Reply from the keyboard: the composer quotes it and takes the focus.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.getByRole('form', { name: 'Write a message' }).getByText('Replying to').waitFor();
  expect(await focused(page)).toBe('TEXTAREA');
  expect(errors).toEqual([]);
});

test('dialogs: Escape closes the delete question, the report form and search, and the focus comes back', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await openGrace(page);
  await pressUntil(page, 'Shift+Tab', onMessage(page));
  await pressUntil(page, 'ArrowUp', async () => (await focused(page)) === 'message: Thanks! I finished the tokenizer.');
  await page.keyboard.press('Enter');
  await pressUntil(page, 'Tab', async () => (await focused(page)) === 'Delete');
  await page.keyboard.press('Enter');
  await page.getByRole('alertdialog').waitFor();
  expect(await focused(page)).toBe('Cancel');
  await page.keyboard.press('Escape');
  expect(await page.getByRole('alertdialog').count()).toBe(0);
  expect(await focused(page)).toBe('Delete');

  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toBe('message: Nice. Next: a Pratt parser.');
  await page.keyboard.press('Enter');
  await pressUntil(page, 'Tab', async () => (await focused(page)) === 'Report');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Report grace' });
  await dialog.waitFor();
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('radio');
  // Tab stays inside the form.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  expect(await dialog.count()).toBe(0);
  expect(await focused(page)).toBe('Report');

  // Search from wherever the focus is; Escape puts it back.
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Search messages' }).waitFor();
  expect(await focused(page)).toBe('INPUT');
  await page.keyboard.press('Escape');
  expect(await page.getByRole('dialog', { name: 'Search messages' }).count()).toBe(0);
  expect(await focused(page)).toBe('Report');
  expect(errors).toEqual([]);
});

test('a new message in the open conversation is announced once, politely; the list is not a live region', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await openGrace(page);
  const region = page.locator('[data-announcer]');
  expect(await region.getAttribute('aria-live')).toBe('polite');
  expect(await page.locator('[aria-live]:not([aria-live="off"])').evaluateAll((els) => els.filter((el) => el.closest('[role="log"]')).length)).toBe(0);
  expect(await page.getByRole('log').getAttribute('aria-live')).toBe('off');
  // Opening the conversation says nothing: its history is not news.
  await page.waitForTimeout(300);
  expect(await region.textContent()).toBe('');

  await simulate(page, 'receive', 'c-grace', 'u-grace', 'Did the parser handle precedence?');
  await until(async () => (await region.textContent()) === 'New message from grace: Did the parser handle precedence?');

  // The user's own message, reactions and re-renders are not news.
  const box = page.getByLabel('Message', { exact: true });
  await box.fill('Yes, with binding powers.');
  await box.press('Enter');
  await until(async () => (await page.locator('[data-message-id][data-status="sent"]').filter({ hasText: 'binding powers' }).count()) === 1);
  await simulate(page, 'react', (await page.locator('[data-message-id]').last().getAttribute('data-message-id'))!, 'u-grace', '👍');
  await page.waitForTimeout(300);
  expect(await region.textContent()).not.toMatch(/binding powers|👍/);

  // Another conversation's message is not this one's news.
  await simulate(page, 'receive', 'c-circle', 'u-linus', 'Chapter 5 next week.');
  await page.waitForTimeout(400);
  expect(await region.textContent()).not.toMatch(/Chapter 5/);
  expect(errors).toEqual([]);
});

/** The tab list holding the focus: the focused tab, the selected ones, the Tab stops, and whom the panel names. */
function tabs(page: Page) {
  return page.evaluate(() => {
    const at = document.activeElement as HTMLElement;
    const list = at.closest('[role="tablist"]')!;
    const all = [...list.querySelectorAll<HTMLElement>('[role="tab"]')];
    const name = (el: HTMLElement) => el.textContent!.trim().replace(/\s*\d+$/, '');
    const selected = all.filter((t) => t.getAttribute('aria-selected') === 'true');
    const panel = document.getElementById(selected[0]?.getAttribute('aria-controls') ?? '');
    return {
      focused: at.getAttribute('role') === 'tab' ? name(at) : null,
      selected: selected.map(name),
      stops: all.filter((t) => t.tabIndex === 0).map(name),
      panel: panel?.getAttribute('role') === 'tabpanel' && panel.getAttribute('aria-labelledby') === selected[0].id ? name(selected[0]) : null,
    };
  });
}
const onTab = (page: Page) => () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'tab');
/** The focused tab is the one selected, the list's one Tab stop, and the panel is its. */
const selectedIs = (name: string) => ({ focused: name, selected: [name], stops: [name], panel: name });

test('tab lists: one Tab stop, the arrows (wrapping), Home and End move the focus and select', async () => {
  // Sign in / Create account.
  const { page, errors } = await open(browser, '');
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
  await pressUntil(page, 'Tab', onTab(page));
  expect(await tabs(page)).toEqual(selectedIs('Sign in'));
  await page.keyboard.press('ArrowRight');
  expect(await tabs(page)).toEqual(selectedIs('Create account'));
  await page.getByRole('tabpanel').getByRole('form', { name: 'Create account' }).waitFor();
  await page.keyboard.press('ArrowRight');
  expect(await tabs(page)).toEqual(selectedIs('Sign in'));
  await page.getByRole('tabpanel').getByRole('form', { name: 'Sign in' }).waitFor();
  await page.keyboard.press('ArrowLeft');
  expect(await tabs(page)).toEqual(selectedIs('Create account'));
  await page.keyboard.press('Home');
  expect(await tabs(page)).toEqual(selectedIs('Sign in'));
  await page.keyboard.press('End');
  expect(await tabs(page)).toEqual(selectedIs('Create account'));
  // Tab leaves the list (not to the other tab) for the server's address.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('auth-server');
  await page.keyboard.press('Shift+Tab');
  expect(await tabs(page)).toEqual(selectedIs('Create account'));
  expect(errors).toEqual([]);
  await page.close();

  // Mentoring's requests: a mentee starts on Outgoing.
  const m = await open(browser, 'signedIn');
  await m.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Mentoring/ }).click();
  await m.page.locator('[data-request-id="r-margaret"]').waitFor();
  await pressUntil(m.page, 'Tab', onTab(m.page));
  expect(await tabs(m.page)).toEqual(selectedIs('Outgoing'));
  await m.page.keyboard.press('ArrowRight');
  expect(await tabs(m.page)).toEqual(selectedIs('Incoming'));
  await m.page.getByRole('tabpanel').getByText('No one has asked you yet.').waitFor();
  await m.page.keyboard.press('ArrowLeft');
  expect(await tabs(m.page)).toEqual(selectedIs('Outgoing'));
  await m.page.getByRole('tabpanel').locator('[data-request-id="r-margaret"]').waitFor();
  await m.page.keyboard.press('Home');
  expect(await tabs(m.page)).toEqual(selectedIs('Incoming'));
  expect(m.errors).toEqual([]);
  await m.page.close();

  // The Program screen's five.
  const p = await open(browser, 'signedIn&coordinator');
  await p.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Program/ }).click();
  await p.page.getByText('active mentorships').first().waitFor();
  await pressUntil(p.page, 'Tab', onTab(p.page));
  expect(await tabs(p.page)).toEqual(selectedIs('Overview'));
  await p.page.keyboard.press('ArrowRight');
  expect(await tabs(p.page)).toEqual(selectedIs('Reports'));
  await p.page.getByRole('tabpanel').getByText('Which street do you live on?').waitFor();
  await p.page.keyboard.press('End');
  expect(await tabs(p.page)).toEqual(selectedIs('Trail'));
  await p.page.keyboard.press('ArrowRight');
  expect(await tabs(p.page)).toEqual(selectedIs('Overview'));
  await p.page.keyboard.press('ArrowLeft');
  expect(await tabs(p.page)).toEqual(selectedIs('Trail'));
  await p.page.keyboard.press('ArrowLeft');
  expect(await tabs(p.page)).toEqual(selectedIs('Suspended'));
  await p.page.getByRole('tabpanel').getByText('Nobody is suspended.').waitFor();
  await p.page.keyboard.press('Home');
  expect(await tabs(p.page)).toEqual(selectedIs('Overview'));
  expect(p.errors).toEqual([]);
});

test("a conversation's context menu by keyboard: the menu key or Shift+F10 opens it on the first item, Escape comes back", async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await page.getByRole('option', { name: /grace/ }).waitFor();
  await pressUntil(page, 'Tab', () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'option'));
  await pressUntil(page, 'ArrowDown', async () => /grace/.test((await page.evaluate(() => document.activeElement?.textContent)) ?? ''));
  const row = () => page.evaluate(() => document.activeElement?.closest('[role="option"]')?.querySelector('.title')?.textContent ?? null);
  const menu = page.getByRole('menu', { name: 'grace actions' });

  await page.keyboard.press('ContextMenu');
  await menu.waitFor();
  expect(await focused(page)).toBe('Mute notifications');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitem');
  // One item: the arrows wrap onto it again.
  await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toBe('Mute notifications');
  await page.keyboard.press('ArrowUp');
  expect(await focused(page)).toBe('Mute notifications');
  await page.keyboard.press('Escape');
  expect(await menu.count()).toBe(0);
  expect(await row()).toBe('grace');
  // Still the list's cursor: the arrows go on from here.
  await page.keyboard.press('ArrowDown');
  const next = await row();
  expect(next).not.toBe('grace');
  await page.keyboard.press('ArrowUp');
  expect(await row()).toBe('grace');

  // Shift+F10 as well; Enter on the item does it, and the focus is back on the row.
  await page.keyboard.press('Shift+F10');
  await menu.waitFor();
  expect(await focused(page)).toBe('Mute notifications');
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: /grace/ }).getByLabel('Muted').waitFor();
  expect(await menu.count()).toBe(0);
  expect(await row()).toBe('grace');
  await page.keyboard.press('ContextMenu');
  await menu.waitFor();
  expect(await focused(page)).toBe('Unmute notifications');
  // Tab leaves the menu, and it closes.
  await page.keyboard.press('Tab');
  expect(await menu.count()).toBe(0);

  // The pointer still has it: a right click, and a click elsewhere closes it.
  await page.getByRole('option', { name: /linus/ }).click({ button: 'right' });
  await page.getByRole('menu', { name: 'linus actions' }).waitFor();
  await page.getByRole('region', { name: 'Conversations' }).getByRole('heading', { name: 'Chats' }).click();
  expect(await page.getByRole('menu').count()).toBe(0);
  expect(errors).toEqual([]);
});
