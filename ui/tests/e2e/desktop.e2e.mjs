// The app as a desktop program, end to end in a real window: one instance per data folder (a
// second launch hands over its lodestar:// link and exits), links that open a profile or say they
// belong to another program's server, "Copy link", the window's size kept across a restart,
// starting with the session hidden in the tray, closing the window to the tray (its webview gone,
// opened again by a second launch), and updates from the program's server checked
// against a signing key (a good signature gets "Restart to update", a bad one is refused and
// said so). Run by scripts/e2e.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { randomBytes as bytes } from 'node:crypto';
import { APP_BIN, AppDriver, Cli, clickButton, closeWindow, eventually, freePort, NotificationWatch, scratch, Server, shoot, shootOnFailure, sleep, treePssMiB } from './harness.mjs';

const PASSWORD = 'correct horse battery';
const TAURI = new URL('../../node_modules/.bin/tauri', import.meta.url).pathname;
const dir = scratch();
const appDir = join(dir, 'app');
// The login entry goes to $HOME/.config/autostart (auto-launch ignores XDG_CONFIG_HOME).
const home = join(dir, 'home');
let server, host, hostUrl, driver, browser, env, maya;

/** A minisign key pair made by Tauri's own signer, as a release pipeline makes one. */
function keyPair(name) {
  const key = join(dir, name);
  execFileSync(TAURI, ['signer', 'generate', '--ci', '-p', '', '-w', key], { stdio: 'pipe' });
  return { key, pubkey: readFileSync(`${key}.pub`, 'utf8').trim() };
}

/** Signs `file` with `key`; answers the signature as the feed carries it. */
function sign(key, file) {
  execFileSync(TAURI, ['signer', 'sign', '-f', key, '-p', '', file], { stdio: 'pipe' });
  return readFileSync(`${file}.sig`, 'utf8').trim();
}

function publish(version, signature) {
  const feed = {
    version,
    notes: 'Sessions sync faster.',
    pub_date: '2026-12-01T09:00:00Z',
    platforms: { 'linux-x86_64': { url: `${hostUrl}/lodestar.AppImage.tar.gz`, signature } },
  };
  writeFileSync(join(dir, 'feed.json'), JSON.stringify(feed));
}

/** Whether a mapped (visible) top-level window is titled Lodestar. */
function windowShown() {
  try {
    execFileSync('xdotool', ['search', '--onlyvisible', '--name', '^Lodestar'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** A second launch of the app, as the desktop starts it for a clicked link; answers its exit. */
function launch(args) {
  const started = Date.now();
  const child = spawn(APP_BIN, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ms: Date.now() - started })));
}

const text = () => browser.execute(() => document.body.innerText);

async function openSettings() {
  await clickButton(browser, 'nav[aria-label="Main"]', 'Settings');
  await (await browser.$('#set-autostart')).waitForExist({ timeout: 15000 });
}

before(async () => {
  mkdirSync(appDir, { recursive: true });
  mkdirSync(home, { recursive: true });
  const artifact = join(dir, 'lodestar.AppImage.tar.gz');
  writeFileSync(artifact, bytes(64 * 1024));
  host = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(readFileSync(artifact));
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  hostUrl = `http://127.0.0.1:${host.address().port}`;
  const trusted = keyPair('trusted.key');
  const stranger = keyPair('stranger.key');
  // First published with a signature of another key: the app must refuse it.
  publish('0.2.0', sign(stranger.key, artifact));
  globalThis.goodSignature = sign(trusted.key, artifact);

  server = new Server(dir, await freePort(), ['--app-feed', join(dir, 'feed.json')]);
  await server.start();
  maya = new Cli(join(dir, 'maya'), server);
  await maya.run(['register', '--username', 'maya.mentor', '--email', 'maya@example.com', '--date-of-birth', '1984-02-29'], PASSWORD);
  await maya.run(['profile', '--set', 'mentor_status=true', '--set', 'job_title=Staff engineer', '--set', 'skills=rust']);
  const ann = new Cli(join(dir, 'ann-cli'), server);
  await ann.run(['register', '--username', 'ann.e2e', '--email', 'ann@example.com', '--date-of-birth', '1990-05-05'], PASSWORD);
  env = {
    LODESTAR_DATA_DIR: appDir,
    LODESTAR_SERVER: server.url,
    LODESTAR_TOKEN_STORE: 'file',
    LODESTAR_UPDATE_PUBKEY: trusted.pubkey,
    LODESTAR_UPDATE_MODE: 'install',
    HOME: home,
    RUST_LOG: 'info',
  };
  driver = new AppDriver(env);
  await driver.start();
  ({ browser } = await driver.open());
  const login = await browser.$('#si-login');
  await login.waitForDisplayed({ timeout: 20000 });
  await login.setValue('ann.e2e');
  await (await browser.$('#si-password')).setValue(PASSWORD);
  await (await browser.$('form[aria-label="Sign in"] button[type="submit"]')).click();
  await (await browser.$('nav[aria-label="Main"]')).waitForDisplayed({ timeout: 20000 });
});

shootOnFailure('desktop');

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.stop();
  host?.close();
  await server?.stop();
});

test('an update signed by another key is refused and said so; the right signature is ready to install', async () => {
  const banner = await eventually('the update banner', async () => {
    const b = await browser.$('[data-update-status="failed"]');
    return (await b.isExisting()) ? b : null;
  }, 30000);
  assert.match(await banner.getText(), /signature/i, 'says why');
  assert.doesNotMatch(await banner.getText(), /Restart to update/);
  publish('0.2.0', globalThis.goodSignature);
  await (await banner.$('button*=Check again')).click();
  const ready = await eventually('the update ready', async () => {
    const b = await browser.$('[data-update-status="ready"]');
    return (await b.isExisting()) ? b : null;
  }, 30000);
  const said = await ready.getText();
  assert.match(said, /0\.2\.0/);
  assert.match(said, /Restart to update/);
  shoot('desktop-update-ready');
});

test('a second launch with a link hands it over and exits; the first window opens the profile', async () => {
  const { code, ms } = await launch(['lodestar://user/maya.mentor']);
  assert.equal(code, 0, 'the second instance exits cleanly');
  const started = Date.now();
  await eventually('maya\'s profile in the first window', async () => (await browser.$('[aria-label="Profile of maya.mentor"]')).isDisplayed());
  console.log(`second launch: exited in ${ms} ms; profile shown ${Date.now() - started} ms after`);

  await launch(['lodestar://request/maya.mentor']);
  await eventually('the request form', async () => (await browser.$('form[aria-label="Request mentorship from maya.mentor"]')).isDisplayed());

  await launch(['lodestar://user/maya.mentor?server=https://mentors.other.example.org']);
  await eventually('"another program" said', async () => /another program/i.test(await text()));
  await launch(['lodestar://settings/everything']);
  await eventually('"cannot open this link" said', async () => /can.t open this link/i.test(await text()));
});

test('"Copy link" puts the profile\'s link, with this server, on the clipboard', async () => {
  await launch(['lodestar://user/maya.mentor']);
  const profile = await browser.$('[aria-label="Profile of maya.mentor"]');
  await profile.waitForDisplayed({ timeout: 15000 });
  await (await profile.$('button*=Copy link')).click();
  const want = `lodestar://user/maya.mentor?server=${encodeURIComponent(server.url)}`;
  await eventually('"Link copied"', async () => (await text()).includes('Link copied'));
  const clip = await eventually('the clipboard', () => execFileSync('xclip', ['-o', '-selection', 'clipboard']).toString());
  assert.equal(clip, want);
});

test('"Start with the session" writes a login entry that starts the app hidden', async () => {
  await openSettings();
  const box = await browser.$('#set-autostart');
  assert.equal(await box.isSelected(), false);
  await box.click();
  const entry = join(home, '.config', 'autostart', 'Lodestar.desktop');
  await eventually('the login entry', () => existsSync(entry));
  const desktop = readFileSync(entry, 'utf8');
  assert.match(desktop, /Exec=.*lodestar-app.*--hidden/, desktop);
  await box.click();
  await eventually('the login entry gone', () => !existsSync(entry));
});

test('the window keeps its size across a restart; started hidden it waits in the tray until launched again', async () => {
  // Slow steps of a drag on the window's edge, each size arriving about when the last one's state
  // is being written: a resize during that write once froze the window and its page (a deadlock
  // this loop met within ten steps).
  const widths = [...Array(15).keys()].map((k) => 850 + 9 * k).concat(900);
  for (const [i, width] of widths.entries()) {
    execFileSync('xdotool', ['search', '--onlyvisible', '--name', '^Lodestar', 'windowsize', '%@', `${width}`, '640']);
    await sleep(485 + i);
  }
  await eventually('the new size', async () => (await browser.execute(() => window.innerWidth)) === 900);
  await sleep(1200); // the state settles and is written
  await browser.deleteSession();
  ({ browser } = await driver.open());
  await (await browser.$('nav[aria-label="Main"]')).waitForDisplayed({ timeout: 20000 });
  const size = await browser.execute(() => [window.innerWidth, window.innerHeight]);
  assert.deepEqual(size, [900, 640], 'restored');
  await browser.deleteSession();
  browser = null;

  // As the login entry starts it: no window, only the tray.
  const hidden = spawn(APP_BIN, ['--hidden'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  try {
    await sleep(5000);
    assert.equal(windowShown(), false, 'no window while started hidden');
    const second = await launch([]);
    assert.equal(second.code, 0);
    const started = Date.now();
    await eventually('the window, brought forward by the second launch', () => windowShown());
    console.log(`a second launch showed the hidden window in ${second.ms + Date.now() - started} ms`);
  } finally {
    hidden.kill('SIGTERM');
  }
});

test('closed to the tray, Lodestar drops its webview and still notifies; a second launch opens the window again', async () => {
  const watch = new NotificationWatch();
  const app = spawn(APP_BIN, [], { env: { ...process.env, ...env }, stdio: 'ignore' });
  const webProcess = () => treePssMiB(app.pid).names.some((n) => n.startsWith('WebKitWebProces'));
  try {
    await eventually('the window', () => windowShown());
    assert.ok(webProcess(), 'an open window has its web process');
    const open = treePssMiB(app.pid);
    closeWindow();
    await eventually('the window and its web process gone', () => !windowShown() && !webProcess());
    await sleep(1000);
    assert.equal(app.exitCode, null, 'still running, in the tray');
    const tray = treePssMiB(app.pid);
    console.log(`window open: ${open.mib.toFixed(0)} MiB PSS (${open.names.join(', ')}); closed to the tray: ${tray.mib.toFixed(0)} MiB (${tray.names.join(', ')})`);
    // The web process's share comes back (what stays in ours grows a little: the libraries it
    // shared are ours alone now).
    assert.ok(tray.mib < open.mib - 50, `closed to the tray it keeps ${tray.mib.toFixed(0)} of ${open.mib.toFixed(0)} MiB`);
    // The engine still syncs: a message arrives as a desktop notification.
    await maya.run(['sync']);
    await maya.run(['send', '@ann.e2e', 'Still there in the tray?']);
    await eventually('a notification while closed to the tray', () => watch.text.includes('Still there in the tray?'), 20000);
    const second = await launch([]);
    assert.equal(second.code, 0);
    await eventually('the window, opened again by the second launch', () => windowShown() && webProcess());
  } finally {
    app.kill('SIGTERM');
    watch.stop();
  }
});
