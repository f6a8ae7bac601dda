// The smallest window (1280x800) at 200% zoom is 640x400 CSS pixels. Every main screen must still
// fit that width: nothing scrolls sideways (which hides controls off to the right), and in a
// conversation the composer's Send stays in view and on top. And with reduced motion asked for,
// nothing animates.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, open } from './harness';
import { pick } from './screens';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** The document, and any element that scrolls sideways because its content is too wide. */
function sideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.scrollingElement!;
    if (doc.scrollWidth > innerWidth + 1) out.push(`document: ${doc.scrollWidth} > ${innerWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const x = getComputedStyle(el).overflowX;
      if ((x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return out;
  });
}

/** Whether the control is inside the window and is what a click at its centre would hit. */
function reachable(page: Page, name: string): Promise<boolean> {
  return page.getByRole('button', { name, exact: true }).evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && el.contains(hit);
  });
}

const conversations = ['direct conversation', 'group conversation', 'failed message'];
const screens = pick(
  'sign in', 'create account', 'chats, none open', ...conversations, 'group members panel', 'mentorship panel',
  'search', 'find a mentor', 'profile', 'request form', 'mentoring', 'new group', 'your profile', 'settings', 'outbox',
  'program overview', 'program reports', 'program trail',
);

for (const s of screens) {
  test(`at 200% zoom: ${s.name}`, async () => {
    const { page, errors } = await open(browser, s.query);
    await page.setViewportSize({ width: 640, height: 400 });
    await s.go(page);
    await page.waitForTimeout(200);
    expect(await sideways(page), `"${s.name}" scrolls sideways at 640x400`).toEqual([]);
    if (conversations.includes(s.name)) expect(await reachable(page, 'Send'), 'Send is hidden').toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
}

test('at 200% zoom the side panels lie over the conversation and close again', async () => {
  const { page } = await open(browser, 'signedIn');
  await page.setViewportSize({ width: 640, height: 400 });
  await page.getByRole('option', { name: /linus/ }).click();
  const toggle = page.getByRole('button', { name: 'Mentorship', exact: true });
  // Closed at first here: the conversation and its composer come first.
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  expect(await reachable(page, 'Send')).toBe(true);
  await toggle.click();
  const panel = page.getByRole('complementary', { name: 'Mentorship' });
  await panel.getByText('Land a first kernel patch').waitFor();
  expect(await reachable(page, 'Close the mentorship panel')).toBe(true);
  await page.getByRole('button', { name: 'Close the mentorship panel' }).click();
  expect(await reachable(page, 'Send')).toBe(true);
});

test('with reduced motion asked for, nothing spins, fades or slides', async () => {
  const { page } = await open(browser, 'signedIn');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.getByRole('option', { name: /grace/ }).click();
  await page.locator('.bubble').first().waitFor();
  const moving = await page.evaluate(() => {
    const out: string[] = [];
    const probe = document.createElement('span');
    probe.className = 'spinner';
    document.body.append(probe);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const cs = getComputedStyle(el);
      const long = (v: string) => v.split(',').some((d) => parseFloat(d) * (d.trim().endsWith('ms') ? 1 : 1000) > 1);
      if ((cs.animationName !== 'none' && long(cs.animationDuration)) || long(cs.transitionDuration)) out.push(el.className);
    }
    probe.remove();
    return out;
  });
  expect(moving).toEqual([]);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior)).toBe('auto');
});
