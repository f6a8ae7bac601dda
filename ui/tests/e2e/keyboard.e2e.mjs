// The real app with the keyboard alone: sign in, find a mentor, open her profile, request
// mentorship, open the conversation once she accepts, send, answer her message from the message
// list's own keys, and search with Ctrl+K. Every step is a WebDriver key action; the DOM is only
// read, to know where the focus is and what the window shows. Nothing is clicked.
// Run by scripts/e2e.sh (which provides the display, the bus and the binaries).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { AppDriver, Cli, eventually, freePort, scratch, Server, shoot, shootOnFailure } from './harness.mjs';

const PASSWORD = 'correct horse battery';
const dir = scratch();
let server, maya, driver, browser;

/** Presses one key or a chord (['Shift', 'Tab']): down together, then up. */
const press = (...keys) => browser.keys(keys);

/** Types text one character at a time, each pressed and released (one round trip). */
async function type(text) {
  const keys = browser.action('key');
  for (const c of text) keys.down(c).up(c);
  await keys.perform(true);
}

/** Where the focus is: its id, its name, and (for a message) its text. */
function focus() {
  return browser.execute(() => {
    const el = document.activeElement;
    return {
      id: el?.id ?? '',
      label: el?.getAttribute('aria-label') || el?.textContent?.trim().slice(0, 200) || el?.tagName || '',
      message: el?.hasAttribute('data-roving') ? (el.querySelector('.text')?.textContent ?? '') : null,
      role: el?.getAttribute('role') ?? '',
    };
  });
}

/** Presses `key` until the focus is where `is` says (reading the DOM after each press). */
async function pressUntil(key, what, is, max = 60) {
  for (let i = 0; i < max; i++) {
    if (is(await focus())) return;
    await press(...[key].flat());
  }
  const at = await focus();
  assert.ok(is(at), `${[key].flat().join('+')} never reached ${what}; the focus is on ${JSON.stringify(at)}`);
}
const tabTo = (what, is) => pressUntil('Tab', what, is);
/** Back to a button of the rail (the first thing in the window), whatever has the focus now. */
const backTo = (name) => pressUntil(['Shift', 'Tab'], `"${name}"`, (f) => f.label.startsWith(name));

const bodyText = () => browser.execute(() => document.body.innerText);
async function statusOf(text) {
  return browser.execute((t) => {
    const row = [...document.querySelectorAll('[data-message-id]')].find((r) => r.querySelector('.text')?.textContent.includes(t));
    return row ? row.getAttribute('data-status') : null;
  }, text);
}

before(async () => {
  server = new Server(dir, await freePort());
  await server.start();
  maya = new Cli(join(dir, 'maya'), server);
  await maya.run(['register', '--username', 'maya.mentor', '--email', 'maya@example.com', '--date-of-birth', '1984-02-29'], PASSWORD);
  await maya.run(['profile', '--set', 'mentor_status=true', '--set', 'job_title=Staff engineer', '--set', 'industry=Software', '--set', 'skills=rust,distributed systems', '--set', 'state=CA']);
  const kim = new Cli(join(dir, 'kim-cli'), server);
  await kim.run(['register', '--username', 'kim.keys', '--email', 'kim@example.com', '--date-of-birth', '1998-07-01'], PASSWORD);
  await kim.run(['profile', '--set', 'mentee_status=true']);
  mkdirSync(join(dir, 'app'), { recursive: true });
  driver = new AppDriver({ LODESTAR_DATA_DIR: join(dir, 'app'), LODESTAR_SERVER: server.url, LODESTAR_TOKEN_STORE: 'file', RUST_LOG: 'info' });
  await driver.start();
  ({ browser } = await driver.open());
});

shootOnFailure('keyboard');

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.stop();
  await server?.stop();
});

test('signs in with the keyboard', async () => {
  await eventually('the sign-in form', () => browser.execute(() => !!document.querySelector('#si-login')));
  await tabTo('the username', (f) => f.id === 'si-login');
  await type('kim.keys');
  await press('Tab');
  assert.equal((await focus()).id, 'si-password');
  await type(PASSWORD);
  await press('Enter');
  await eventually('the signed-in shell', () => browser.execute(() => !!document.querySelector('nav[aria-label="Main"]')));
  await eventually('the status to say online', () =>
    browser.execute(() => document.querySelector('[role="status"][data-state]')?.dataset.state === 'online'),
  );
});

test('finds a mentor and asks her for mentorship, with the keyboard', async () => {
  await tabTo('"Find a mentor"', (f) => f.label === 'Find a mentor');
  await press('Enter');
  await eventually("maya's card in the directory", () =>
    browser.execute(() => !!document.querySelector('button[aria-label="View profile of maya.mentor"]')),
  );
  await tabTo("maya's card", (f) => f.label === 'View profile of maya.mentor');
  await press('Enter');
  await eventually('her profile', () => browser.execute(() => !!document.querySelector('section[aria-label="Profile of maya.mentor"] h1')));
  await tabTo('"Request mentorship"', (f) => f.label === 'Request mentorship');
  await press('Enter');
  // The form's box takes the focus.
  await eventually('the request box', async () => (await focus()).id.startsWith('ask-'));
  await type('Hello Maya, could you mentor me on Rust?');
  await tabTo('"Send request"', (f) => f.label === 'Send request');
  await press('Enter');
  await eventually('the request, sent', async () => (await bodyText()).includes('Request sent'));
  shoot('keyboard-request');

  await maya.run(['sync']);
  const inbox = await maya.run(['requests', '--incoming']);
  assert.equal(inbox.requests.length, 1);
  assert.equal(inbox.requests[0].message, 'Hello Maya, could you mentor me on Rust?');
  await maya.run(['accept', inbox.requests[0].request_id]);
});

test('opens the conversation from the list and sends, with the keyboard', async () => {
  await backTo('Chats');
  await press('Enter');
  await eventually('the conversation with maya in the list', () =>
    browser.execute(() => [...document.querySelectorAll('[role="option"]')].some((o) => o.textContent.includes('maya.mentor'))),
  );
  await tabTo('the conversation list', (f) => f.role === 'option');
  await pressUntil('ArrowDown', 'maya', (f) => f.label.includes('maya.mentor'));
  await press('Enter');
  // The composer has the focus once the conversation is open.
  await eventually('the composer', async () => (await focus()).id === 'composer-text');
  await type('Thank you! Where should I start?');
  await press('Enter');
  await eventually('the message to reach the server', async () => ['sent', 'read'].includes(await statusOf('Where should I start?')));
});

test("her reply is announced; the message list's keys answer it", async () => {
  await maya.run(['sync']);
  await maya.run(['send', '@kim.keys', 'Start with the ownership chapter, then send me your repo.']);
  await eventually('the announcement of her message', () =>
    browser.execute(() => document.querySelector('[data-announcer]')?.textContent ?? ''),
  ).then((said) => assert.match(said, /^New message from maya\.mentor: Start with the ownership chapter/));

  // Back from the composer into the list: one stop, on the newest message.
  await pressUntil(['Shift', 'Tab'], 'a message', (f) => f.message !== null);
  assert.match((await focus()).message, /ownership chapter/);
  await pressUntil('ArrowUp', 'my message', (f) => /Where should I start/.test(f.message ?? ''), 5);
  await pressUntil('ArrowDown', 'her message', (f) => /ownership chapter/.test(f.message ?? ''), 5);
  // Enter opens its actions: Reply first.
  await press('Enter');
  assert.equal((await focus()).label, 'Reply');
  await press('Enter');
  await eventually('the composer, replying', async () => (await focus()).id === 'composer-text' && (await bodyText()).includes('Replying to'));
  await type('On it.');
  await press('Enter');
  await eventually('the reply, sent', async () => ['sent', 'read'].includes(await statusOf('On it.')));
  await maya.run(['sync']);
  const page = await maya.run(['messages', '@kim.keys', '--limit', '20']);
  const reply = page.messages.find((m) => m.message.content === 'On it.');
  assert.ok(reply?.reply, 'the reply quotes her message');
  shoot('keyboard-conversation');
});

test('searches with Ctrl+K and lands on the message', async () => {
  // Somewhere else first, so the search has to bring the conversation back.
  await backTo('Mentoring');
  await press('Enter');
  await press('Control', 'k');
  await eventually('the search box', async () => (await focus()).id === 'search-input');
  await type('ownership');
  await eventually('a result', () => browser.execute(() => document.querySelectorAll('#search-results [role="option"]').length > 0));
  await press('Enter');
  await eventually('the message found, with the focus', async () => /ownership chapter/.test((await focus()).message ?? ''));
  shoot('keyboard-search');
});
