// The real app, end to end: the Tauri binary in a real window (Xvfb), driven through
// tauri-driver and WebKitWebDriver, against a real lodestar-server, with the lodestar CLI as the
// other person and the session bus watched for desktop notifications.
// Run by scripts/e2e.sh (which provides the display, the bus and the binaries).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import { AppDriver, Cli, clickButton as clickIn, eventually, freePort, NotificationWatch, scratch, Server, shoot, shootOnFailure } from './harness.mjs';

const PASSWORD = 'correct horse battery';
const dir = scratch();
let server, maya, watch, driver, browser;

const $ = (sel) => browser.$(sel);
const clickButton = (scope, text) => clickIn(browser, scope, text);
async function click(sel) {
  const el = await $(sel);
  await el.waitForClickable({ timeout: 15000 });
  await el.click();
}
async function typeInto(sel, text) {
  const el = await $(sel);
  await el.waitForDisplayed({ timeout: 15000 });
  await el.setValue(text);
}
/** The status of the message whose text contains `text`, or null when it is not shown. */
async function statusOf(text) {
  return browser.execute((t) => {
    const rows = [...document.querySelectorAll('[data-message-id]')];
    const row = rows.find((r) => r.textContent.includes(t));
    return row ? row.getAttribute('data-status') : null;
  }, text);
}
async function openConversation(title) {
  await click('button*=Chats');
  await eventually(`the conversation with ${title} in the list`, () =>
    browser.execute((t) => {
      const row = [...document.querySelectorAll('[role="option"]')].find((r) => r.textContent.includes(t));
      row?.click();
      return Boolean(row);
    }, title),
  );
}

before(async () => {
  mkdirSync(join(dir, 'app'), { recursive: true });
  server = new Server(dir, await freePort());
  await server.start();
  maya = new Cli(join(dir, 'maya'), server);
  await maya.run(['register', '--username', 'maya.mentor', '--email', 'maya@example.com', '--date-of-birth', '1984-02-29'], PASSWORD);
  await maya.run(['profile', '--set', 'mentor_status=true', '--set', 'job_title=Staff engineer', '--set', 'industry=Software', '--set', 'skills=rust,distributed systems', '--set', 'state=CA']);
  watch = new NotificationWatch();
  driver = new AppDriver({ LODESTAR_DATA_DIR: join(dir, 'app'), LODESTAR_SERVER: server.url, LODESTAR_TOKEN_STORE: 'file', RUST_LOG: 'info' });
  await driver.start();
  ({ browser } = await driver.open());
});

shootOnFailure();

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.stop();
  watch?.stop();
  await server?.stop();
});

/** Whether a top-level window carries exactly this title (the native title, not the page's). */
function windowTitled(title) {
  try {
    execFileSync('xdotool', ['search', '--name', `^${title.replace(/[()]/g, '\\$&')}$`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

test('a newcomer signs up', async () => {
  await eventually('the sign-in screen', async () => (await $('button=Create account')).isDisplayed());
  shoot('sign-in');
  await click('button=Create account');
  shoot('sign-up');
  await typeInto('#su-username', 'ella.e2e');
  await typeInto('#su-email', 'ella@example.com');
  await typeInto('#su-password', 'short');
  // The field's own rule shows beside it before anything is sent.
  await eventually('the password rule beside the field', async () => (await $('#su-password-error')).isDisplayed());
  await typeInto('#su-password', PASSWORD);
  await browser.execute(() => {
    const dob = document.querySelector('#su-dob');
    dob.value = '1999-05-17';
    dob.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await browser.execute(() => {
    const box = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'a mentee')?.querySelector('input');
    if (box && !box.checked) box.click();
  });
  await click('form[aria-label="Create account"] button[type="submit"]');
  await eventually('the signed-in shell', async () => (await $('nav[aria-label="Main"]')).isDisplayed());
  // The corner says what is true once the engine is live (a stale first answer once kept it on
  // "Syncing…" or "Offline" with the server up).
  await eventually('the status to say online', () =>
    browser.execute(() => document.querySelector('[role="status"][data-state]')?.dataset.state === 'online'),
  );
});

test('asks a mentor from the directory; she accepts from the CLI; the app shows it and says so', async () => {
  await click('button*=Find a mentor');
  const card = await $('button[aria-label="View profile of maya.mentor"]');
  await card.waitForClickable({ timeout: 15000 });
  shoot('directory');
  await card.click();
  const profile = await $('section[aria-label="Profile of maya.mentor"]');
  const ask = await profile.$('button*=Request mentorship');
  await ask.waitForClickable({ timeout: 15000 });
  await ask.click();
  await typeInto('textarea[id^="ask-"]', 'Hello Maya, could you mentor me on Rust?');
  await click('button*=Send request');
  await eventually('the request, sent', async () => (await profile.getText()).includes('Request sent'));

  // The mentor, from the CLI: the request is in her inbox; she accepts it.
  await maya.run(['sync']);
  const inbox = await maya.run(['requests', '--incoming']);
  assert.equal(inbox.requests.length, 1);
  assert.equal(inbox.requests[0].message, 'Hello Maya, could you mentor me on Rust?');
  await maya.run(['accept', inbox.requests[0].request_id]);
  await eventually('a notification of the acceptance', async () => watch.text.includes('accepted your mentorship request'), 20000);
  assert.match(watch.text, /maya\.mentor/, 'the notification names the mentor');
  execFileSync('dunstctl', ['close-all']);
  await click('button*=Mentoring');
  await eventually('the mentorship on the Mentoring screen', async () =>
    browser.execute(() => [...document.querySelectorAll('[data-mentorship-id]')].some((m) => m.textContent.includes('maya.mentor'))),
  );
  shoot('mentoring');

  // Now a mentee of hers: "Message" is back on her profile.
  await click('button*=Find a mentor');
  await click('button[aria-label="View profile of maya.mentor"]');
  const message = await (await $('section[aria-label="Profile of maya.mentor"]')).$('button*=Message');
  await message.waitForClickable({ timeout: 15000 });
  await message.click();
  await typeInto('#composer-text', 'Hello Maya, could you mentor me on Rust?');
  await browser.keys('Enter');
  await eventually('the message to reach the server', async () => {
    const s = await statusOf('could you mentor me on Rust');
    return s === 'sent' || s === 'read';
  });
});

test("the mentor's reply arrives with a desktop notification, and the read receipt shows", async () => {
  // Away from the conversation, so the reply deserves a notification.
  await click('button*=Find a mentor');
  await maya.run(['sync']);
  await maya.run(['send', '@ella.e2e', 'Happy to help! Send me your repo.']);
  await eventually('a Notify call on the session bus', async () => watch.text.includes('Happy to help'), 20000);
  assert.match(watch.text, /maya\.mentor/, 'the notification names the sender');
  await eventually('the unread count in the window title', async () => windowTitled('Lodestar (1)'));

  // Clicking the notification (its default action) opens the conversation.
  await eventually('dunst to show the notification', async () => execFileSync('dunstctl', ['count', 'displayed']).toString().trim() !== '0');
  execFileSync('dunstctl', ['action', '0']);
  await eventually('the reply, opened by the notification', async () => (await statusOf('Send me your repo')) === 'received');
  await eventually('the title without unread messages', async () => windowTitled('Lodestar'));
  await maya.run(['sync']);
  await maya.run(['read', '@ella.e2e']);
  await eventually('the read receipt on our message', async () => (await statusOf('could you mentor me on Rust')) === 'read');
  shoot('conversation');
});

test('offline: the draft and the queued message survive a restart and are delivered once', async () => {
  await server.stop();
  await eventually('the app to notice it is offline', async () => (await browser.$('body').getText()).match(/offline/i));
  await typeInto('#composer-text', 'Queued while the server was down');
  await browser.keys('Enter');
  await eventually('the queued message, pending', async () => (await statusOf('Queued while the server was down')) === 'pending');
  await typeInto('#composer-text', 'a draft nobody sent');
  await browser.pause(1200); // longer than the draft's save debounce: what a user typing then quitting does

  await browser.deleteSession();
  ({ browser } = await driver.open());
  await openConversation('maya.mentor');
  await eventually('the queued message after the restart', async () => (await statusOf('Queued while the server was down')) === 'pending');
  const draft = await eventually('the restored draft', async () => {
    const v = await (await $('#composer-text')).getValue();
    return v || null;
  });
  assert.equal(draft, 'a draft nobody sent');

  await server.start();
  await eventually('delivery once the server is back', async () => {
    const s = await statusOf('Queued while the server was down');
    return s === 'sent' || s === 'read';
  }, 60000);
  await maya.run(['sync']);
  const page = await maya.run(['messages', '@ella.e2e', '--limit', '50']);
  const copies = JSON.stringify(page).split('Queued while the server was down').length - 1;
  assert.equal(copies, 1, 'delivered exactly once');
});

test('an action item made from a message is ticked by the mentor and shows done', async () => {
  await openConversation('maya.mentor');
  const panel = await $('aside[aria-label="Mentorship"]');
  await panel.waitForDisplayed({ timeout: 15000 });
  await eventually('"Make an action item" on the mentor\'s message', () =>
    browser.execute(() => {
      const row = [...document.querySelectorAll('[data-message-id]')].find((r) => r.textContent.includes('Send me your repo'));
      const make = row?.querySelector('button.make-item');
      make?.click();
      return Boolean(make);
    }),
  );
  await eventually('the form filled with the message', async () =>
    (await (await $('form[aria-label="Add an action item"] input[aria-label="Action item"]')).getValue()).includes('Send me your repo'),
  );
  await click('form[aria-label="Add an action item"] .row button');
  const item = await $('aside[aria-label="Mentorship"] [data-task-id]');
  await item.waitForDisplayed({ timeout: 15000 });
  assert.ok((await item.getText()).includes('from a message'), 'the item links back to its message');

  // The mentor ticks it from the CLI; the app shows it done.
  await eventually('the action item on the server', async () => {
    await maya.run(['sync']);
    const plan = await maya.run(['goals', '@ella.e2e']);
    return plan.tasks.length === 1 ? plan : null;
  });
  const plan = await maya.run(['goals', '@ella.e2e']);
  assert.ok(plan.tasks[0].source_message_id, 'it points at the message');
  await maya.run(['task', 'done', plan.tasks[0].task_id]);
  await eventually('the item shown done', async () => (await item.getAttribute('data-done')) === 'true', 20000);
  shoot('mentorship-panel');
});

test('a session proposed in the app is confirmed from the CLI, saved to a calendar, and its notes merge after both write offline', async () => {
  await openConversation('maya.mentor');
  await clickButton('aside[aria-label="Mentorship"]', 'Propose a session');
  const form = 'form[aria-label="Propose a session"]';
  await (await $(form)).waitForDisplayed({ timeout: 15000 });
  // Three days ahead at 17:00 in the app's own zone, as the datetime-local input takes it.
  await browser.execute((sel) => {
    const at = new Date(Date.now() + 3 * 86_400_000);
    const pad = (n) => String(n).padStart(2, '0');
    const input = document.querySelector(`${sel} input[type="datetime-local"]`);
    input.value = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T17:00`;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, form);
  await typeInto(`${form} textarea[aria-label="Agenda"]`, 'Ownership and borrowing');
  await click(`${form} button.primary`);
  const id = await eventually('the proposed session in the panel', () =>
    browser.execute(() => document.querySelector('aside[aria-label="Mentorship"] [data-session-id][data-status="proposed"]')?.dataset.sessionId ?? null),
  );

  // The mentor confirms from the CLI; the app shows it confirmed and raises a notification.
  await eventually('the session on the server', async () => {
    await maya.run(['sync']);
    return (await maya.run(['sessions', '@ella.e2e'])).sessions.some((x) => x.session_id === id);
  });
  await maya.run(['session', 'confirm', id.slice(0, 8)]);
  const row = `aside[aria-label="Mentorship"] [data-session-id="${id}"]`;
  await eventually('the session shown confirmed', async () => (await (await $(row)).getAttribute('data-status')) === 'confirmed', 20000);
  await eventually('a notification of the confirmation', async () => watch.text.includes('confirmed the session'), 20000);
  execFileSync('dunstctl', ['close-all']);

  // "Add to calendar" saves the file; it says confirmed, with the session's UID.
  await clickButton(row, 'Add to calendar');
  const path = await eventually('the saved calendar file named in a toast', () =>
    browser.execute(() => document.body.innerText.match(/Calendar file saved: (\S+\.ics)/)?.[1] ?? null),
  );
  const ics = readFileSync(path, 'utf8');
  assert.match(ics, /STATUS:CONFIRMED/);
  assert.match(ics, new RegExp(`UID:${id}@lodestar`));
  assert.match(ics, /DESCRIPTION:Ownership and borrowing/);

  // Both write notes with the server stopped; both see the merged text when it returns.
  await server.stop();
  await eventually('the app to notice it is offline', async () => (await browser.$('body').getText()).match(/offline/i));
  await typeInto(`${row} textarea[aria-label="Session notes"]`, 'ella: questions on lifetimes');
  await browser.pause(1200); // past the notes' save pause
  await maya.run(['session', 'notes', id.slice(0, 8), '--append', 'maya: bring the compiler errors']);
  await server.start();
  await maya.run(['sync']);
  const both = (text) => text.includes('ella: questions on lifetimes') && text.includes('maya: bring the compiler errors');
  await eventually('the merged notes in the app', async () => both(await (await $(`${row} textarea[aria-label="Session notes"]`)).getValue()), 60000);
  await eventually('the merged notes for the mentor', async () => {
    await maya.run(['sync']);
    return both((await maya.run(['session', 'notes', id.slice(0, 8)])).text);
  }, 30000);
  shoot('session');
});
