// Richer messages, end to end in the real app (issue 16), with the lodestar CLI as the other
// person: reply, edit, react and delete in the window, each seen by the CLI; a picture dropped
// into the conversation while the server is down survives the app's restart, is uploaded when
// the server returns, and the CLI downloads the identical bytes; and a message linking an image
// on another host makes no request to that host (an HTTP server on loopback counts them).
// Run by scripts/e2e.sh after app.e2e.mjs and safety.e2e.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { AppDriver, ARTIFACTS, Cli, clickButton, eventually, freePort, scratch, Server, shoot, shootOnFailure } from './harness.mjs';

const PASSWORD = 'correct horse battery';
// A real 2×2 PNG (what the app attaches and the other side must get back byte for byte).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);
const sha = (b) => createHash('sha256').update(b).digest('hex');
const dir = scratch();
let server, ben, driver, browser, host, hostHits = 0;

async function signIn() {
  const login = await browser.$('#si-login');
  await login.waitForDisplayed({ timeout: 20000 });
  await login.setValue('ann.e2e');
  await (await browser.$('#si-password')).setValue(PASSWORD);
  await (await browser.$('form[aria-label="Sign in"] button[type="submit"]')).click();
  await (await browser.$('nav[aria-label="Main"]')).waitForDisplayed({ timeout: 20000 });
}

async function openBen() {
  await eventually('the conversation with ben.e2e', () =>
    browser.execute(() => {
      const row = [...document.querySelectorAll('[role="option"]')].find((r) => r.textContent.includes('ben.e2e'));
      row?.click();
      return Boolean(row);
    }),
  );
}

/** Clicks the action button `label` of the message whose text contains `text`. */
async function act(text, label) {
  await eventually(`${label} on "${text}"`, () =>
    browser.execute(
      (t, l) => {
        const row = [...document.querySelectorAll('[data-message-id]')].find((r) => r.textContent.includes(t));
        const b = row && [...row.querySelectorAll('button')].find((x) => x.textContent.trim() === l);
        b?.click();
        return Boolean(b);
      },
      text,
      label,
    ),
  );
}

/** Ben's view of the conversation, after a sync. */
async function bensPage() {
  await ben.run(['sync']);
  return (await ben.run(['messages', '@ann.e2e', '--limit', '50'])).messages;
}

before(async () => {
  server = new Server(dir, await freePort());
  await server.start();
  ben = new Cli(join(dir, 'ben'), server);
  const ann = new Cli(join(dir, 'ann-cli'), server);
  await ann.run(['register', '--username', 'ann.e2e', '--email', 'ann@example.com', '--date-of-birth', '1990-05-05'], PASSWORD);
  await ben.run(['register', '--username', 'ben.e2e', '--email', 'ben@example.com', '--date-of-birth', '1988-03-03'], PASSWORD);
  await ben.run(['send', '@ann.e2e', 'How was the hike?']);
  host = createServer((_, res) => {
    hostHits += 1;
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(PNG);
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  mkdirSync(join(dir, 'app'), { recursive: true });
  driver = new AppDriver({ LODESTAR_DATA_DIR: join(dir, 'app'), LODESTAR_SERVER: server.url, LODESTAR_TOKEN_STORE: 'file', RUST_LOG: 'info' });
  await driver.start();
  ({ browser } = await driver.open());
  await signIn();
});

shootOnFailure('richer');

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.stop();
  host?.close();
  await server?.stop();
});

test('reply, edit, react and delete in the app, each seen by the other person', async () => {
  await openBen();
  await act('How was the hike?', 'Reply');
  await (await browser.$('#composer-text')).setValue('It was grate!');
  await browser.keys('Enter');
  let page = await eventually('the reply at ben', async () => {
    const p = await bensPage();
    return p.some((m) => m.message.content === 'It was grate!') ? p : null;
  });
  const question = page.find((m) => m.message.content === 'How was the hike?').message.message_id;
  assert.equal(page.find((m) => m.message.content === 'It was grate!').reply.message_id, question, 'quotes the question');

  await act('It was grate!', 'Edit');
  const box = await browser.$('#composer-text');
  await eventually('the text in the composer', async () => (await box.getValue()) === 'It was grate!');
  await box.setValue('It was great!');
  await browser.keys('Enter');
  await eventually('the edit at ben', async () => {
    const m = (await bensPage()).find((x) => x.message.content === 'It was great!');
    return m && m.message.edited_at;
  });
  await eventually('"(edited)" in the window', () => browser.execute(() => document.body.textContent.includes('(edited)')));

  await act('How was the hike?', 'React');
  await eventually('👍 in the picker', () =>
    browser.execute(() => {
      const b = [...document.querySelectorAll('[role="menuitemcheckbox"]')].find((x) => x.textContent.includes('👍'));
      b?.click();
      return Boolean(b);
    }),
  );
  await eventually('the reaction at ben', async () => {
    const m = (await bensPage()).find((x) => x.message.message_id === question);
    return m.reactions[0]?.emoji === '👍' && m.reactions[0].names.includes('ann.e2e');
  });
  shoot('richer-e2e');

  await act('It was great!', 'Delete');
  await clickButton(browser, '[role="alertdialog"]', 'Delete');
  await eventually('the tombstone at ben', async () => {
    const p = await bensPage();
    return p.some((m) => m.message.deleted_at && m.message.content === null);
  });
  await eventually('the tombstone in the window', () => browser.execute(() => document.body.textContent.includes('This message was deleted')));
});

test('a picture dropped offline survives a restart, goes once the server is back, and arrives identical', async () => {
  await server.stop();
  await eventually('offline', async () => (await browser.$('body').getText()).match(/offline/i));
  const started = Date.now();
  await browser.execute((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'summit.png', { type: 'image/png' }));
    const target = document.querySelector('section.conversation');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, PNG.toString('base64'));
  await eventually('the picture on screen, from its local copy', () =>
    browser.execute(() => {
      const img = [...document.querySelectorAll('[data-message-id] img')].find((i) => i.src.includes('upload'));
      return Boolean(img && img.complete && img.naturalWidth > 0);
    }),
  );
  const ms = Date.now() - started;
  writeFileSync(join(ARTIFACTS, 'drop-to-thumbnail.txt'), `${ms} ms from the drop to the picture on screen\n`);
  console.log(`drop to the picture on screen: ${ms} ms`);

  await browser.deleteSession();
  ({ browser } = await driver.open());
  await openBen();
  await eventually('still waiting after the restart', () =>
    browser.execute(() => [...document.querySelectorAll('[data-message-id]')].some((r) => r.dataset.status === 'pending' && r.querySelector('img, [role="progressbar"]'))),
  );
  await server.start();
  const page = await eventually('the picture at ben', async () => {
    const p = await bensPage();
    return p.some((m) => m.message.media_url?.startsWith('/v1/media/')) ? p : null;
  }, 60000);
  const sent = page.filter((m) => m.message.media_url?.startsWith('/v1/media/'));
  assert.equal(sent.length, 1, 'sent exactly once');
  const out = join(dir, 'downloads');
  mkdirSync(out, { recursive: true });
  const saved = await ben.run(['download', sent[0].message.message_id, '--out', out]);
  assert.equal(sha(readFileSync(saved.path)), sha(PNG), 'identical bytes');
});

test('a message linking an image on another host makes no request to that host', async () => {
  const { port } = host.address();
  const link = `http://127.0.0.1:${port}/look.png`;
  await ben.run(['send', '@ann.e2e', 'look at this', '--media', link]);
  await eventually('the link in the window', () =>
    browser.execute((l) => [...document.querySelectorAll('a')].some((a) => a.href === l), link),
  );
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(hostHits, 0, 'the app asked the host nothing');
});
