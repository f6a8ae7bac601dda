// The desktop app's figures on this machine (issue notes, BENCHMARKS.md): cold start to the
// conversation list, idle memory of the whole process tree, and a 100k-message conversation in
// the real window; and the floor (crates/floor: a bare Tauri window over the same WebKitGTK
// showing a static page), measured the same way, which the bench's ratio rows divide by.
// And the frames of the window during a first sync (step 4).
// Run by `make measure-app` (scripts/e2e.sh gives it a display and a bus).
//   MESSAGES               messages in the big conversation (default 100000)
//   LODESTAR_MEASURE_OUT   also write the figures there as JSON (lodestar-bench reads them)
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_BIN, AppDriver, BIN, Cli, closeWindow, eventually, freePort, scratch, Server, sleep, treePssMiB } from './harness.mjs';

const TOTAL = Number(process.env.MESSAGES ?? 100000);
const figures = { messages: TOTAL };
const PASSWORD = 'correct horse battery';
const dir = scratch();
const server = new Server(dir, await freePort());
await server.start();

async function api(method, path, token, body) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}
const register = async (username) =>
  api('POST', '/v1/auth/register', null, { username, email: `${username}@example.com`, password: PASSWORD, date_of_birth: '1990-01-01', mentor_status: username === 'ann' });
const ann = await register('ann');
const ben = await register('ben');
const conv = await api('POST', '/v1/conversations/direct', ann.token, { user_id: ben.user.user_id });

// The big conversation, through the real API with 32 senders at a time.
let next = 0;
const seeded = Date.now();
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (next < TOTAL) {
      const i = next++;
      const from = i % 2 ? ben : ann;
      await api('POST', '/v1/messages', from.token, {
        message_id: crypto.randomUUID(),
        conversation_id: conv.conversation_id,
        content: `message number ${i} about rust, sql and mentoring`,
        sent_at: new Date().toISOString(),
      });
    }
  }),
);
console.log(`seeded ${TOTAL} messages in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

// Ben's app data folder, signed in by the CLI (the app then starts signed in, as after a restart).
const appDir = join(dir, 'app');
await new Cli(appDir, server).run(['login', 'ben'], PASSWORD);
const env = { ...process.env, LODESTAR_DATA_DIR: appDir, LODESTAR_SERVER: server.url, LODESTAR_TOKEN_STORE: 'file', RUST_LOG: 'info' };

/** The messages a replica file holds (read beside the app: SQLite's WAL lets it write on). */
function held(replica) {
  return Number(execFileSync('sqlite3', [replica, 'SELECT count(*) FROM messages'], { encoding: 'utf8' }).trim());
}

/** With LODESTAR_MEASURE_SMAPS set, where each process's memory is: PSS by mapping (a file,
 * [heap], or anonymous), biggest first. */
function smapsTop(pids) {
  if (!process.env.LODESTAR_MEASURE_SMAPS) return;
  for (const pid of pids) {
    const byMap = new Map();
    let name = 'anon';
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const head = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
      if (head) name = head[1] || 'anon';
      const pss = line.match(/^Pss:\s+(\d+) kB/);
      if (pss) byMap.set(name, (byMap.get(name) ?? 0) + Number(pss[1]));
    }
    const top = [...byMap].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(`smaps ${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}: ${top.map(([n, kb]) => `${n.split('/').pop()} ${(kb / 1024).toFixed(1)}`).join(', ')}`);
  }
}

/** Starts an app binary directly; resolves with the process and the ms until it said "ui ready". */
function launch(bin = APP_BIN, childEnv = env) {
  const started = process.hrtime.bigint();
  const child = spawn(bin, [], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d.toString();
      // eslint-disable-next-line no-control-regex -- the log's colours
      const line = err.replace(/\x1b\[[0-9;]*m/g, '').match(/ui ready[^\n]*\n/)?.[0];
      if (line) {
        // The app's own split: from the engine opening to ready, and the page's share of it.
        const field = (name) => Number(line.match(new RegExp(`\\b${name}=([\\d.]+)`))?.[1] ?? NaN);
        resolve({ child, ms: Number(process.hrtime.bigint() - started) / 1e6, engine_ms: field('ms'), page_ms: field('page_ms') });
      }
    });
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before it was ready:\n${err}`)));
  });
}
async function quit(child) {
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}
// 1. First start: the first sync of the whole conversation into an empty replica, in the window.
const first = await launch();
const firstSyncStarted = Date.now();
const replica = join(appDir, `${ben.user.user_id}.db`);
await eventually('the first sync to finish', async () => held(replica) >= TOTAL, 600000).catch(async (e) => {
  console.log(`(no sqlite3 to watch the replica: ${e.message.split('\n')[0]})`);
  await sleep(30000);
});
figures.first_start_ms = first.ms;
figures.first_sync_s = (Date.now() - firstSyncStarted) / 1000;
console.log(`first start: ui ready after ${first.ms.toFixed(0)} ms; first sync of ${TOTAL} messages in the app ~${((Date.now() - firstSyncStarted) / 1000).toFixed(1)} s`);
await sleep(10000);
const idle = treePssMiB(first.child.pid);
figures.idle_pss_mib = idle.mib;
figures.processes = idle.names;
console.log(`idle memory after the first sync: ${idle.mib.toFixed(0)} MiB PSS over ${idle.names.length} processes (${idle.names.join(', ')})`);
smapsTop(idle.pids);
await quit(first.child);

// 2. Cold starts with a synced replica (median of 5).
const starts = [];
const splits = [];
for (let i = 0; i < 5; i++) {
  const { child, ms, engine_ms, page_ms } = await launch();
  starts.push(ms);
  splits.push(`${ms.toFixed(0)} = ${(ms - engine_ms).toFixed(0)} to the engine + ${engine_ms.toFixed(0)} to ready (page ${page_ms.toFixed(0)})`);
  await quit(child);
}
figures.cold_start_splits = splits;
console.log(`cold start splits (ms): ${splits.join('; ')}`);
starts.sort((a, b) => a - b);
figures.cold_start_ms = starts;
console.log(`cold start to the conversation list: median ${starts[2].toFixed(0)} ms (runs: ${starts.map((s) => s.toFixed(0)).join(', ')})`);

// 2b. Closed to the tray: the window (and its webview) gone, the engine still running.
{
  const { child } = await launch();
  await sleep(2000);
  closeWindow();
  await sleep(10000);
  const tray = treePssMiB(child.pid);
  figures.tray_pss_mib = tray.mib;
  console.log(`idle memory closed to the tray: ${tray.mib.toFixed(0)} MiB PSS over ${tray.names.length} processes (${tray.names.join(', ')})`);
  smapsTop(tray.pids);
  await quit(child);
}

// 2c. The floor, the same way: five cold starts, and idle memory 10 s after the first. Same
// WebKitGTK, same settings: the environment Lodestar gives its web process (src-tauri/src/lib.rs,
// LINUX_WEBVIEW_DEFAULTS) is given to the floor's, so the ratio compares our code, not a setting.
const floorEnv = { ...env, WEBKIT_DISABLE_COMPOSITING_MODE: '1', WEBKIT_DISABLE_DMABUF_RENDERER: '1' };
const floorStarts = [];
for (let i = 0; i < 5; i++) {
  const { child, ms } = await launch(join(BIN, 'lodestar-floor'), floorEnv);
  floorStarts.push(ms);
  if (i === 0) {
    await sleep(10000);
    const floorIdle = treePssMiB(child.pid);
    figures.floor_idle_pss_mib = floorIdle.mib;
    console.log(`floor idle memory: ${floorIdle.mib.toFixed(0)} MiB PSS over ${floorIdle.names.length} processes (${floorIdle.names.join(', ')})`);
  }
  await quit(child);
}
floorStarts.sort((a, b) => a - b);
figures.floor_cold_start_ms = floorStarts;
console.log(`floor cold start to its page painted: median ${floorStarts[2].toFixed(0)} ms (runs: ${floorStarts.map((s) => s.toFixed(0)).join(', ')})`);

// 3. The 100k conversation in the window, through WebDriver.
const driver = new AppDriver(env);
await driver.start();
const { browser } = await driver.open();
try {
  const t0 = Date.now();
  await eventually('the conversation row', () =>
    browser.execute(() => {
      const row = [...document.querySelectorAll('[role="option"]')].find((r) => r.textContent.includes('ann'));
      row?.click();
      return Boolean(row);
    }),
  );
  await eventually('the newest messages', () => browser.execute((n) => document.body.textContent.includes(`message number ${n - 1} `) || document.body.textContent.includes(`message number ${n - 2} `), TOTAL));
  figures.open_conversation_ms = Date.now() - t0;
  console.log(`open the ${TOTAL}-message conversation: newest shown ${Date.now() - t0} ms after the click`);
  const scrolls = [];
  for (let i = 0; i < 20; i++) {
    const r = await browser.execute(async () => {
      const list = document.querySelector('[data-message-id]')?.closest('[style*="overflow"], .scroller, [role="log"]') ?? document.querySelector('[role="log"]');
      const before = document.querySelectorAll('[data-message-id]').length;
      const t = performance.now();
      if (list) list.scrollTop = 0;
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      return { frame: performance.now() - t, rows: before };
    });
    scrolls.push(r);
    await sleep(300);
  }
  const rows = await browser.execute(() => document.querySelectorAll('[data-message-id]').length);
  const frames = scrolls.map((s) => s.frame).sort((a, b) => a - b);
  Object.assign(figures, { scroll_frame_median_ms: frames[10], scroll_frame_max_ms: frames[19], dom_rows: rows });
  console.log(`scrolled to the top 20 times (older history loads each time): frame after a jump median ${frames[10].toFixed(1)} ms, max ${frames[19].toFixed(1)} ms; message rows in the DOM at the end: ${rows}`);
} finally {
  await browser.deleteSession().catch(() => {});
  driver.stop();
}

// 4. A first sync in the window, frame by frame: ben signed in again into a fresh data folder,
// the app opened under WebDriver, and the page records the gap between every two animation
// frames (and how long a WebDriver script waits for the page) until the replica holds every
// message. A frame that waits on the sync shows as a long gap.
try {
  const syncDir = join(dir, 'app-frames');
  await new Cli(syncDir, server).run(['login', 'ben'], PASSWORD);
  const syncEnv = { ...env, LODESTAR_DATA_DIR: syncDir };
  const syncReplica = join(syncDir, `${ben.user.user_id}.db`);
  const frameDriver = new AppDriver(syncEnv);
  await frameDriver.start();
  const { browser: b } = await frameDriver.open();
  try {
    await b.execute(() => {
      const f = { gaps: [], last: performance.now(), stop: false };
      window.__frames = f;
      const tick = (t) => {
        f.gaps.push(t - f.last);
        f.last = t;
        if (!f.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const left = TOTAL - held(syncReplica);
    const answers = [];
    const t0 = Date.now();
    // At least 2 s: a small sync may be over before the recording starts.
    while ((held(syncReplica) < TOTAL || Date.now() - t0 < 2000) && Date.now() - t0 < 600000) {
      const asked = Date.now();
      await b.execute(() => document.title);
      answers.push(Date.now() - asked);
      await sleep(100);
    }
    const during = (Date.now() - t0) / 1000;
    const gaps = await b.execute(() => {
      window.__frames.stop = true;
      return window.__frames.gaps;
    });
    if (gaps.length < 10) throw new Error(`only ${gaps.length} animation frames in ${during.toFixed(1)} s of sync`);
    gaps.sort((x, y) => x - y);
    answers.sort((x, y) => x - y);
    Object.assign(figures, {
      sync_frames: gaps.length,
      sync_frame_max_ms: gaps[gaps.length - 1],
      sync_frame_p99_ms: gaps[Math.floor(gaps.length * 0.99)],
      sync_frames_over_50: gaps.filter((g) => g > 50).length,
      sync_answer_max_ms: answers.length ? answers[answers.length - 1] : 0,
      sync_left_at_start: left,
      sync_watched_s: during,
    });
    console.log(`first sync in the window: ${left} of ${TOTAL} messages still to come when recording began, ${during.toFixed(1)} s watched; ${gaps.length} frames, longest gap ${gaps[gaps.length - 1].toFixed(1)} ms, p99 ${gaps[Math.floor(gaps.length * 0.99)].toFixed(1)} ms, ${figures.sync_frames_over_50} over 50 ms; a script's answer at most ${figures.sync_answer_max_ms} ms`);
  } finally {
    await b.deleteSession().catch(() => {});
    frameDriver.stop();
  }
} finally {
  await server.stop();
}
if (process.env.LODESTAR_MEASURE_OUT) writeFileSync(process.env.LODESTAR_MEASURE_OUT, JSON.stringify(figures, null, 2));
