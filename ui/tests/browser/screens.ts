// Every screen of the mock build and how to reach it from a fresh page (the query picks the fake
// backend's starting state). The accessibility and the zoom tests walk them.
import type { Page } from 'playwright-core';
import { simulate } from './harness';

export type Screen = { name: string; query: string; go: (page: Page) => Promise<unknown> };

const rail = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
const openChat = async (page: Page, name: RegExp, title: string) => {
  await page.getByRole('option', { name }).click();
  await page.getByRole('heading', { name: title }).waitFor();
  await page.locator('[data-message-id]').first().waitFor();
};
/** A message row by its own text (not a quote of it). */
const message = (page: Page, text: string) =>
  page.locator('[data-message-id]').filter({ has: page.locator('.text', { hasText: text }) }).first();
const programTab = async (page: Page, tab: RegExp | null, ready: string) => {
  await rail(page, /Program/).click();
  if (tab) await page.getByRole('tab', { name: tab }).click();
  await page.getByText(ready).first().waitFor();
};

export const screens: Screen[] = [
  { name: 'sign in', query: '', go: (p) => p.getByRole('form', { name: 'Sign in' }).waitFor() },
  {
    name: 'create account', query: '', go: async (p) => {
      await p.getByRole('tab', { name: 'Create account' }).click();
      await p.getByRole('tabpanel').getByRole('button', { name: /Create account/ }).waitFor();
    },
  },
  { name: 'chats, none open', query: 'signedIn', go: (p) => p.getByRole('option', { name: /grace/ }).waitFor() },
  {
    name: 'conversation context menu', query: 'signedIn', go: async (p) => {
      await p.getByRole('option', { name: /grace/ }).click({ button: 'right' });
      await p.getByRole('menu', { name: 'grace actions' }).getByRole('menuitem').waitFor();
    },
  },
  { name: 'chats, offline', query: 'signedIn&offline', go: (p) => p.getByText(/Offline/).first().waitFor() },
  { name: 'direct conversation', query: 'signedIn', go: (p) => openChat(p, /grace/, 'grace') },
  {
    name: 'direct conversation, new message and files', query: 'signedIn', go: async (p) => {
      await openChat(p, /grace/, 'grace');
      await simulate(p, 'receive', 'c-grace', 'u-grace', 'One more thing: read chapter 2.');
      await simulate(p, 'receiveFile', 'c-grace', 'u-grace', 'syllabus.pdf', '%PDF-1.4 not really');
      await p.getByRole('group', { name: 'File Attachment' }).waitFor();
    },
  },
  {
    name: 'own reply', query: 'signedIn', go: async (p) => {
      await openChat(p, /grace/, 'grace');
      const m = message(p, 'Great choice');
      await m.hover();
      await m.getByRole('button', { name: 'Reply' }).click();
      const box = p.getByLabel('Message', { exact: true });
      await box.fill('Starting on it tonight.');
      await box.press('Enter');
      await message(p, 'Starting on it tonight.').getByRole('button', { name: /In reply to grace/ }).waitFor();
      await p.mouse.move(0, 0);
    },
  },
  { name: 'failed message', query: 'signedIn', go: (p) => openChat(p, /linus/, 'linus').then(() => p.getByText(/Not sent: /).waitFor()) },
  { name: 'group conversation', query: 'signedIn', go: (p) => openChat(p, /Rust study circle/, 'Rust study circle') },
  {
    name: 'group members panel', query: 'signedIn', go: async (p) => {
      await openChat(p, /Rust study circle/, 'Rust study circle');
      await p.getByRole('button', { name: 'Members' }).click();
      await p.getByRole('complementary', { name: 'Group members' }).getByText('margaret', { exact: true }).waitFor();
    },
  },
  {
    name: 'mentorship panel', query: 'signedIn', go: async (p) => {
      await openChat(p, /linus/, 'linus');
      // Open from the start only where it fits beside the conversation.
      const toggle = p.getByRole('button', { name: 'Mentorship', exact: true });
      if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
      await p.getByRole('complementary', { name: 'Mentorship' }).getByText('Land a first kernel patch').waitFor();
    },
  },
  {
    name: 'message actions and emoji picker', query: 'signedIn', go: async (p) => {
      await openChat(p, /grace/, 'grace');
      const m = message(p, 'Great choice');
      await m.hover();
      await m.getByRole('button', { name: 'React' }).click();
      await p.getByRole('menu', { name: 'React with' }).waitFor();
    },
  },
  {
    name: 'confirm dialog', query: 'signedIn', go: async (p) => {
      await openChat(p, /grace/, 'grace');
      const m = message(p, 'I finished the tokenizer');
      await m.hover();
      await m.getByRole('button', { name: 'Delete' }).click();
      await p.getByRole('alertdialog').waitFor();
    },
  },
  {
    name: 'report form', query: 'signedIn', go: async (p) => {
      await openChat(p, /linus/, 'linus');
      const m = message(p, 'Send me the patch when ready.');
      await m.hover();
      await m.getByRole('button', { name: 'Report' }).click();
      await p.getByRole('dialog', { name: 'Report linus' }).waitFor();
    },
  },
  {
    name: 'search', query: 'signedIn', go: async (p) => {
      await p.getByRole('option', { name: /grace/ }).waitFor();
      await p.keyboard.press('Control+k');
      await p.getByRole('combobox', { name: 'Search messages' }).fill('compiler');
      await p.getByRole('listbox', { name: 'Results' }).getByRole('option').first().waitFor();
    },
  },
  {
    name: 'find a mentor', query: 'signedIn', go: async (p) => {
      await rail(p, /Find a mentor/).click();
      await p.getByRole('button', { name: 'View profile of grace' }).first().waitFor();
      await p.getByText(/\d+\+? found/).waitFor();
    },
  },
  {
    name: 'profile', query: 'signedIn', go: async (p) => {
      await rail(p, /Find a mentor/).click();
      await p.getByRole('button', { name: 'View profile of frances' }).first().click();
      await p.getByRole('region', { name: 'Profile of frances' }).getByText('Compiler engineer').waitFor();
    },
  },
  {
    name: 'request form', query: 'signedIn', go: async (p) => {
      await rail(p, /Find a mentor/).click();
      await p.getByRole('button', { name: 'View profile of frances' }).first().click();
      await p.getByRole('region', { name: 'Profile of frances' }).getByRole('button', { name: 'Request mentorship' }).click();
      await p.getByRole('form', { name: 'Request mentorship from frances' }).waitFor();
    },
  },
  {
    name: 'mentoring', query: 'signedIn', go: async (p) => {
      await rail(p, /Mentoring/).click();
      await p.getByRole('tab', { name: /Outgoing/ }).click();
      await p.locator('[data-request-id="r-margaret"]').waitFor();
    },
  },
  { name: 'new group', query: 'signedIn', go: (p) => rail(p, /Groups/).click().then(() => p.getByRole('heading', { name: 'New group' }).waitFor()) },
  { name: 'your profile', query: 'signedIn', go: (p) => rail(p, /Profile/).click().then(() => p.getByLabel('Username').waitFor()) },
  { name: 'settings', query: 'signedIn', go: (p) => rail(p, /Settings/).click().then(() => p.getByRole('heading', { name: 'Notifications' }).waitFor()) },
  { name: 'outbox', query: 'signedIn', go: (p) => rail(p, /Outbox/).click().then(() => p.getByRole('button', { name: 'Discard' }).waitFor()) },
  { name: 'program overview', query: 'signedIn&coordinator', go: (p) => programTab(p, null, 'active mentorships').then(() => p.locator('canvas').first().waitFor()) },
  { name: 'program reports', query: 'signedIn&coordinator', go: (p) => programTab(p, /Reports/, 'Which street do you live on?') },
  { name: 'program held messages', query: 'signedIn&coordinator', go: (p) => programTab(p, /Held messages/, 'Text me on 415.555.0100') },
  { name: 'program suspended', query: 'signedIn&coordinator', go: (p) => programTab(p, /Suspended/, 'Nobody is suspended.') },
  {
    name: 'program trail', query: 'signedIn&coordinator', go: async (p) => {
      await programTab(p, /Held messages/, 'Text me on 415.555.0100');
      await p.getByRole('button', { name: 'Release' }).click();
      await p.getByText('No messages wait for review.').waitFor();
      await p.getByRole('tab', { name: /Trail/ }).click();
      await p.getByText(/ada released a held message of radia/).waitFor();
    },
  },
];

/** The screens of these names, in this order. */
export function pick(...names: string[]): Screen[] {
  return names.map((n) => screens.find((s) => s.name === n) ?? (() => { throw new Error(`no screen ${n}`); })());
}
