// The real parts of the end-to-end run: a lodestar-server on a loopback port with its own SQLite
// file, the lodestar CLI as a second user, tauri-driver starting the real app, and a watch on
// the session bus for desktop notifications. Nothing here is mocked.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'node:test';
import { promisify } from 'node:util';
import { remote } from 'webdriverio';

const run = promisify(execFile);
export const BIN = process.env.LODESTAR_BIN_DIR ?? '/work/target/debug';
/** The app under test (LODESTAR_APP_BIN picks another build, e.g. the release one). */
export const APP_BIN = process.env.LODESTAR_APP_BIN ?? join(BIN, 'lodestar-app');
export const TAURI_DRIVER = process.env.TAURI_DRIVER ?? 'tauri-driver';
export const ARTIFACTS = process.env.LODESTAR_E2E_ARTIFACTS ?? new URL('../../test-results/e2e', import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A screenshot of the whole display, the real window as a user sees it: `dir`/`name`.png. */
export function shoot(name, dir = ARTIFACTS) {
  execFileSync('import', ['-window', 'root', join(dir, `${name}.png`)]);
}

/**
 * A failing test leaves a picture of the window behind it, `last-<prefix>-<test>.png` (every test
 * does where Node cannot say whether it passed). Call once at the top of a test file.
 */
export function shootOnFailure(prefix) {
  afterEach((t) => {
    if (t.passed === true) return;
    try {
      shoot(`last-${prefix ? `${prefix}-` : ''}${t.name.replace(/[^a-z]+/gi, '-').slice(0, 40)}`);
    } catch {
      // No display left to capture.
    }
  });
}

/** Polls `probe` until it returns something truthy, or fails naming `what`. */
export async function eventually(what, probe, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** Clicks the first button under `scope` (a CSS selector) whose text contains `text`. */
export async function clickButton(browser, scope, text) {
  await eventually(`the "${text}" button`, () =>
    browser.execute((sel, t) => {
      const b = [...document.querySelectorAll(`${sel} button`)].find((x) => x.textContent.includes(t));
      b?.click();
      return Boolean(b);
    }, scope, text),
  );
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Asks every visible window titled like `name` to close, as its close button does. */
export function closeWindow(name = '^Lodestar') {
  const ids = execFileSync('xdotool', ['search', '--onlyvisible', '--name', name], { encoding: 'utf8' }).trim().split('\n');
  const script = join(dirname(fileURLToPath(import.meta.url)), 'close_window.py');
  for (const id of ids) execFileSync('python3', [script, id]);
}

export /** Proportional set size of a process and all its descendants, in MiB. */
function treePssMiB(root) {
  const kids = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(p)]);
    } catch {
      // Gone meanwhile.
    }
  }
  let kb = 0;
  const names = [];
  const pids = [];
  const walk = (pid) => {
    try {
      const m = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m);
      const own = Number(m?.[1] ?? 0);
      kb += own;
      pids.push(pid);
      names.push(`${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()} ${(own / 1024).toFixed(0)} MiB`);
    } catch {
      // Gone meanwhile.
    }
    for (const k of kids.get(pid) ?? []) walk(k);
  };
  walk(root);
  return { mib: kb / 1024, names, pids };
}

export const scratch = () => mkdtempSync(join(tmpdir(), 'lodestar-e2e-'));

/** A lodestar-server that can be stopped and started again on the same port and database. */
export class Server {
  constructor(dir, port, extraArgs = []) {
    this.extraArgs = extraArgs;
    this.db = `sqlite://${join(dir, 'server.db')}`;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.proc = null;
  }

  async start() {
    this.proc = spawn(join(BIN, 'lodestar-server'), ['--listen', `127.0.0.1:${this.port}`, '--database', this.db, ...this.extraArgs], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, RUST_LOG: 'warn' },
    });
    await eventually('the server to answer', async () => (await fetch(`${this.url}/v1/health`)).ok);
  }

  async stop() {
    if (!this.proc) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await exited;
    this.proc = null;
  }
}

/** The lodestar CLI in its own data folder: the other person in the conversation. */
export class Cli {
  constructor(dir, server) {
    this.env = { ...process.env, LODESTAR_DATA_DIR: dir, LODESTAR_SERVER: server.url, LODESTAR_TOKEN_STORE: 'file', RUST_LOG: 'warn' };
  }

  async run(args, input) {
    const child = run(join(BIN, 'lodestar'), ['--json', ...args], { env: this.env });
    if (input !== undefined) {
      child.child.stdin.end(`${input}\n`);
    }
    const { stdout } = await child;
    return stdout.trim() ? JSON.parse(stdout) : null;
  }
}

/** Every Notify call on the session bus, as text. */
export class NotificationWatch {
  constructor() {
    this.text = '';
    this.proc = spawn('dbus-monitor', ['--session', "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.proc.stdout.on('data', (chunk) => {
      this.text += chunk.toString();
    });
    // A daemon to receive them, as a desktop has.
    this.daemon = spawn('dunst', [], { stdio: 'ignore' });
  }

  stop() {
    this.proc.kill();
    this.daemon.kill();
  }
}

/** tauri-driver with the app's environment; `open()` starts the real app in a WebDriver session. */
export class AppDriver {
  constructor(env) {
    this.env = env;
  }

  async start() {
    this.port = await freePort();
    const nativePort = await freePort();
    this.proc = spawn(TAURI_DRIVER, ['--port', String(this.port), '--native-port', String(nativePort)], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...this.env },
    });
    await eventually('tauri-driver to listen', async () => (await fetch(`http://127.0.0.1:${this.port}/status`)).ok);
  }

  /** Starts the app; answers the WebdriverIO browser and the milliseconds until the session opened. */
  async open() {
    const started = Date.now();
    const browser = await remote({
      hostname: '127.0.0.1',
      port: this.port,
      logLevel: 'warn',
      // A page that stops answering fails its test in half a minute, not after two.
      connectionRetryTimeout: 30000,
      connectionRetryCount: 1,
      capabilities: {
        'wdio:enforceWebDriverClassic': true,
        'tauri:options': { application: APP_BIN },
      },
    });
    return { browser, ms: Date.now() - started };
  }

  stop() {
    this.proc?.kill();
  }
}
