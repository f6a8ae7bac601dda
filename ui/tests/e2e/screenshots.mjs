// The README's screenshots of the real window: the app against a `--demo` server, signed in
// through its own sign-in screen as a demo mentee. Run by `make screenshots`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppDriver, eventually, freePort, scratch, Server, shoot as shootTo, sleep } from './harness.mjs';

const OUT = process.env.LODESTAR_SCREENSHOTS ?? new URL('../../../docs/screenshots', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });
const shoot = (name) => shootTo(name, OUT);
/**
 * The corner must say what is true: online, since the server is up. A picture taken while it
 * says offline is a bug to find (its reason is in the status's title), never one to publish.
 */
const online = async (browser, what) => {
  try {
    await eventually(`online before the ${what} picture`, () =>
      browser.execute(() => document.querySelector('[role="status"][data-state]')?.dataset.state === 'online'),
    );
  } catch (e) {
    const reason = await browser.execute(() => document.querySelector('[role="status"]')?.textContent?.trim() ?? '');
    throw new Error(`${e.message}; the status says: ${reason || "(no reason given)"}`, { cause: e });
  }
};
/** Toasts ("Welcome, …") would cover part of the picture. */
const dismissToasts = (browser) =>
  browser.execute(() => document.querySelectorAll('button[aria-label="Dismiss"]').forEach((b) => b.click()));

const dir = scratch();
const server = new Server(dir, await freePort(), ['--demo']);
await server.start();
const driver = new AppDriver({ LODESTAR_DATA_DIR: join(dir, 'app'), LODESTAR_SERVER: server.url, LODESTAR_TOKEN_STORE: 'file' });
await driver.start();
const { browser } = await driver.open();
try {
  const $ = (sel) => browser.$(sel);
  await (await $('#si-login')).waitForDisplayed({ timeout: 20000 });
  await (await $('#si-login')).setValue('owen.fischer');
  await (await $('#si-password')).setValue('lodestar-demo');
  await sleep(500);
  shoot('sign-in');
  await (await $('form button[type="submit"]')).click();
  await (await $('nav[aria-label="Main"]')).waitForDisplayed({ timeout: 20000 });

  await (await $('button*=Find a mentor')).click();
  await eventually('suggested mentors', () => browser.execute(() => document.querySelectorAll('button[aria-label^="View profile of"]').length > 3));
  await dismissToasts(browser);
  await online(browser, 'directory');
  await sleep(500);
  shoot('directory');

  await (await $('button*=Chats')).click();
  await eventually('a conversation with messages', () =>
    browser.execute(() => {
      const row = [...document.querySelectorAll('[role="option"]')].find((r) => !r.textContent.includes('No messages'));
      row?.click();
      return Boolean(row) && document.querySelectorAll('[data-message-id]').length > 2;
    }),
  );
  await dismissToasts(browser);
  await online(browser, 'conversation');
  await sleep(800);
  shoot('conversation');

  // Owen and his mentor Maya: the picture he attached, her reply quoting it (edited), reactions.
  await eventually('the conversation with maya.chen', () =>
    browser.execute(() => {
      const row = [...document.querySelectorAll('[role="option"]')].find((r) => r.textContent.includes('maya.chen'));
      row?.click();
      return Boolean(row);
    }),
  );
  await eventually('the picture, its reply and the reactions on screen', () =>
    browser.execute(() => {
      const img = document.querySelector('[data-message-id] img');
      return Boolean(img && img.complete && img.naturalWidth > 0) && document.body.textContent.includes('(edited)') && document.querySelectorAll('[aria-label="Reactions"] button').length >= 2;
    }),
  );
  await dismissToasts(browser);
  // The conversation opens at Owen's first unread message; he scrolls to the newest.
  await browser.execute(() => {
    const log = document.querySelector('[role="log"]');
    log?.scrollTo({ top: log.scrollHeight });
  });
  await sleep(500);
  shoot('richer');

  // The mentorship loop, from two demo mentors' windows: Raj's Requests inbox (Chloe asks),
  // and Dev's Mentorship panel beside his conversation with his mentee Kwame.
  const signInAs = async (login) => {
    await (await $('button*=Settings')).click();
    await (await $('button*=Sign out…')).click();
    await (await $('button=Sign out')).click();
    await (await $('#si-login')).waitForDisplayed({ timeout: 20000 });
    await (await $('#si-login')).setValue(login);
    await (await $('#si-password')).setValue('lodestar-demo');
    await (await $('form button[type="submit"]')).click();
    await (await $('nav[aria-label="Main"]')).waitForDisplayed({ timeout: 20000 });
  };
  await signInAs('raj.patel');
  await (await $('button*=Mentoring')).click();
  await eventually('an incoming request', () => browser.execute(() => document.querySelectorAll('[data-request-id]').length > 0));
  await dismissToasts(browser);
  await online(browser, 'requests');
  await sleep(500);
  shoot('requests');

  await signInAs('dev_okafor');
  await (await $('button*=Mentoring')).click();
  await eventually('the mentorship with kwame.asante', () =>
    browser.execute(() => {
      const row = [...document.querySelectorAll('[data-mentorship-id]')].find((r) => r.textContent.includes('kwame.asante'));
      row?.querySelector('button')?.click();
      return Boolean(row);
    }),
  );
  await eventually('the Mentorship panel with its action items', () =>
    browser.execute(() => document.querySelectorAll('aside[aria-label="Mentorship"] [data-task-id]').length > 0),
  );
  await dismissToasts(browser);
  await online(browser, 'mentorship');
  await sleep(800);
  shoot('mentorship');

  // The held session with the notes both wrote (and the app asking the mentor how it went).
  await eventually('the held session with its notes', () =>
    browser.execute(() => {
      const notes = document.querySelector('aside[aria-label="Mentorship"] [data-held="true"] textarea[aria-label="Session notes"]');
      notes?.scrollIntoView({ block: 'end' });
      return Boolean(notes?.value.includes('Next steps'));
    }),
  );
  await sleep(500);
  shoot('session');

  // The Program section, as the demo's coordinator sees it: the program at a glance.
  await signInAs('coord.rivera');
  await (await $('button*=Program')).click();
  await eventually('the charts', () => browser.execute(() => document.querySelectorAll('canvas').length === 5));
  await dismissToasts(browser);
  await online(browser, 'program');
  await sleep(800);
  shoot('program');
  console.log(`screenshots in ${OUT}`);
} finally {
  await browser.deleteSession().catch(() => {});
  driver.stop();
  await server.stop();
}
