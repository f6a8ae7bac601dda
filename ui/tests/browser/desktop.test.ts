// The desktop around the window, through the mock's fake of it (src/mock/desktop.ts): links and
// clicked notifications (`open`, then `takeOpening`), "Copy link", starting at login, the update
// banner, and coming back where the user was.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, mockArgs, open, shot, until } from './harness';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** Plays the desktop's side (`window.__lodestarMock.simulate`). */
async function desktop(page: Page, what: 'open' | 'update' | 'afterCheck' | 'uploads' | 'refuseAutostart', arg: unknown) {
  await page.evaluate(
    ([w, a]) => (window as unknown as { __lodestarMock: { simulate: Record<string, (x: unknown) => unknown> } }).__lodestarMock.simulate[w as string](a),
    [what, arg] as const,
  );
}

/** The page, signed in, with its conversation list read (the Shell is listening by then). */
async function signedIn(query = '') {
  const r = await open(browser, `signedIn${query ? `&${query}` : ''}`);
  await r.page.getByRole('option', { name: /grace/ }).waitFor();
  return r;
}

const rail = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
const json = (v: unknown) => encodeURIComponent(JSON.stringify(v));

test('a link to a profile shows it, from any screen', async () => {
  const { page, errors } = await signedIn();
  await rail(page, /Settings/).click();
  await desktop(page, 'open', { status: 'open', target: { kind: 'profile', username: 'frances' } });
  await page.getByRole('region', { name: 'Profile of frances' }).getByText('Compiler engineer').waitFor();
  expect(errors).toEqual([]);
});

test('a link to a request opens the mentor\'s form, also over their profile already shown', async () => {
  const { page, errors } = await signedIn();
  await desktop(page, 'open', { status: 'open', target: { kind: 'profile', username: 'frances' } });
  const profile = page.getByRole('region', { name: 'Profile of frances' });
  await profile.getByText('Compiler engineer').waitFor();
  expect(await page.getByRole('form', { name: 'Request mentorship from frances' }).count()).toBe(0);
  await desktop(page, 'open', { status: 'open', target: { kind: 'request', mentor: 'frances' } });
  const form = page.getByRole('form', { name: 'Request mentorship from frances' });
  await form.waitFor();
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
  await shot(page, 'desktop-request-link');

  // From elsewhere, for another mentor.
  await rail(page, /Mentoring/).click();
  await desktop(page, 'open', { status: 'open', target: { kind: 'request', mentor: 'barbara' } });
  await page.getByRole('form', { name: 'Request mentorship from barbara' }).waitFor();
  expect(errors).toEqual([]);
});

test('a link that started the app is opened once the window is up', async () => {
  const { page } = await open(browser, `signedIn&opening=${json({ status: 'open', target: { kind: 'profile', username: 'grace' } })}`);
  await page.getByRole('region', { name: 'Profile of grace' }).getByText('Principal engineer').waitFor();
  // Taken once: nothing waits any more.
  expect(await mockArgs(page, 'take_opening')).toHaveLength(1);
});

test('a notification opens its conversation; one not in the list yet opens Mentoring', async () => {
  const { page } = await signedIn();
  await desktop(page, 'open', { status: 'open', target: { kind: 'conversation', conversation_id: 'c-linus' } });
  await page.getByRole('heading', { name: 'linus', level: 1 }).waitFor();
  await desktop(page, 'open', { status: 'open', target: { kind: 'conversation', conversation_id: 'c-unknown' } });
  await page.getByRole('tab', { name: /Outgoing/ }).waitFor();
});

test('a link for another program\'s server, or one that is not a link, is said and can be dismissed', async () => {
  const { page, errors } = await signedIn();
  await desktop(page, 'open', { status: 'other_server', target: { kind: 'profile', username: 'maya' }, server: 'https://mentors.other.example.org' });
  const alert = page.getByRole('alert').filter({ hasText: /another program/i });
  await alert.waitFor();
  expect(await alert.textContent()).toContain('https://mentors.other.example.org');
  expect(await alert.textContent()).toContain('http://localhost:8080');
  await shot(page, 'desktop-other-server');
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await alert.waitFor({ state: 'detached' });

  await desktop(page, 'open', { status: 'invalid', link: 'lodestar://settings/everything', code: 'unknown_target' });
  const bad = page.getByRole('alert').filter({ hasText: /can.t open this link/i });
  await bad.waitFor();
  expect(await bad.textContent()).toContain('lodestar://settings/everything');
  expect(errors).toEqual([]);
});

test('"Copy link" on a profile copies its link and says so', async () => {
  const { page, errors } = await signedIn();
  await desktop(page, 'open', { status: 'open', target: { kind: 'profile', username: 'frances' } });
  const profile = page.getByRole('region', { name: 'Profile of frances' });
  await profile.getByRole('button', { name: 'Copy link' }).click();
  await profile.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
  expect(await mockArgs(page, 'copy_link')).toEqual([{ target: { kind: 'profile', username: 'frances' } }]);
  expect(errors).toEqual([]);
});

test('an update ready to install: the draft is saved first; a refused restart says why', async () => {
  const { page, errors } = await signedIn(`update=${json({ status: 'ready', version: '0.2.0', notes: 'Sessions sync faster.' })}`);
  const banner = page.locator('[data-update-status="ready"]');
  await banner.getByText('Lodestar 0.2.0 is ready.').waitFor();
  await banner.getByText('Sessions sync faster.').waitFor();
  await shot(page, 'desktop-update-ready');

  await page.getByRole('option', { name: /grace/ }).click();
  await page.getByLabel('Message', { exact: true }).fill('a thought in progress');
  await desktop(page, 'uploads', 1);
  await banner.getByRole('button', { name: 'Restart to update' }).click();
  await banner.getByRole('alert').filter({ hasText: /1 upload is still in flight/ }).waitFor();
  // The draft went to the core before the restart was asked for.
  const calls = await page.evaluate(() => (window as unknown as { __lodestarMock: { calls: Array<{ cmd: string; args: Record<string, unknown> }> } }).__lodestarMock.calls);
  const restart = calls.findIndex((c) => c.cmd === 'restart_to_update');
  const saved = calls.findIndex((c) => c.cmd === 'save_draft' && (c.args.draft as { content: string }).content === 'a thought in progress');
  expect(saved).toBeGreaterThanOrEqual(0);
  expect(saved).toBeLessThan(restart);

  await desktop(page, 'uploads', 0);
  await banner.getByRole('button', { name: 'Restart to update' }).click();
  await until(async () => (await mockArgs(page, 'restart_to_update')).length === 2);
  expect(errors).toEqual([]);
});

test('a refused signature stays until dismissed; "Check again" gets the good one ready', async () => {
  const { page, errors } = await signedIn();
  await desktop(page, 'update', { status: 'failed', code: 'bad_signature', message: 'Lodestar 0.2.0 was downloaded but its signature does not match Lodestar\'s key; it was not installed.' });
  const failed = page.locator('[data-update-status="failed"]');
  await failed.getByText(/signature/).waitFor();
  expect(await failed.getByRole('button', { name: 'Later' }).count()).toBe(0);
  await shot(page, 'desktop-update-refused');
  await desktop(page, 'afterCheck', { status: 'ready', version: '0.2.0', notes: null });
  await failed.getByRole('button', { name: 'Check again' }).click();
  const ready = page.locator('[data-update-status="ready"]');
  await ready.getByRole('button', { name: 'Restart to update' }).waitFor();
  expect(await ready.textContent()).toMatch(/0\.2\.0/);
  expect(await mockCount(page, 'check_update')).toBe(1);

  // Refused again, then dismissed: gone, also while the next check runs.
  await desktop(page, 'update', { status: 'failed', code: 'bad_signature', message: 'its signature does not match' });
  await failed.getByRole('button', { name: 'Dismiss' }).click();
  await failed.waitFor({ state: 'detached' });
  await desktop(page, 'update', { status: 'checking' });
  await page.waitForTimeout(100);
  expect(await page.locator('[data-update-status]').count()).toBe(0);
  expect(errors).toEqual([]);
});

test('a version for the package manager shows where to get it; downloading shows progress; "Later" hides', async () => {
  const { page, errors } = await signedIn();
  await desktop(page, 'update', { status: 'available', version: '0.3.0', notes: null, url: 'https://mentors.example.org/lodestar_0.3.0_amd64.deb' });
  const available = page.locator('[data-update-status="available"]');
  await available.getByText('Lodestar 0.3.0 is available.').waitFor();
  expect(await available.getByRole('textbox', { name: 'Download address' }).inputValue()).toBe('https://mentors.example.org/lodestar_0.3.0_amd64.deb');
  await available.getByRole('button', { name: 'Later' }).click();
  await available.waitFor({ state: 'detached' });

  await desktop(page, 'update', { status: 'downloading', version: '0.3.1', done: 5 * 1024 * 1024, total: 20 * 1024 * 1024 });
  const bar = page.locator('[data-update-status="downloading"]').getByRole('progressbar');
  await bar.waitFor();
  expect(await bar.evaluate((el) => (el as HTMLProgressElement).value / (el as HTMLProgressElement).max)).toBe(0.25);
  expect(errors).toEqual([]);
});

test('Settings: starting at login toggles, says a refusal and goes back; updates can be checked', async () => {
  const { page, errors } = await signedIn();
  await rail(page, /Settings/).click();
  const box = page.locator('#set-autostart');
  await box.waitFor();
  expect(await page.getByLabel('Start Lodestar when I sign in to this computer (in the tray)').count()).toBe(1);
  expect(await box.isChecked()).toBe(false);
  await box.click();
  await until(async () => (await mockArgs(page, 'set_starts_at_login')).length === 1);
  expect(await mockArgs(page, 'set_starts_at_login')).toEqual([{ on: true }]);
  expect(await box.isChecked()).toBe(true);

  await desktop(page, 'refuseAutostart', 'cannot change the login items: permission denied');
  await box.click();
  await page.getByRole('alert').filter({ hasText: /permission denied/ }).waitFor();
  expect(await box.isChecked()).toBe(true);

  const updates = page.getByRole('region', { name: 'Updates' });
  await updates.getByRole('button', { name: 'Check for updates' }).click();
  await updates.getByText('Lodestar is up to date.').waitFor();
  await shot(page, 'desktop-settings');
  expect(errors).toEqual([]);
});

test('the next start opens the conversation where the user was, at the message they had at the top', async () => {
  const { page, errors } = await signedIn();
  await page.getByRole('option', { name: /grace/ }).click();
  await page.getByRole('heading', { name: 'grace', level: 1 }).waitFor();
  await until(async () => (await mockArgs(page, 'remember_view')).some((a) => JSON.stringify(a) === JSON.stringify({ view: { conversation_id: 'c-grace', anchor: null } })));

  // A restart (the mock keeps the place in sessionStorage).
  await page.reload();
  await page.getByRole('heading', { name: 'grace', level: 1 }).waitFor();

  // Scrolled up in a long conversation: that message is where the next start puts the view.
  await page.getByRole('option', { name: /alan/ }).click();
  const log = page.getByRole('log');
  await log.getByText('Archive note 99999: short reply.').waitFor();
  await log.evaluate((el) => { el.scrollTop = el.scrollHeight - el.clientHeight - 1500; });
  await until(async () => (await mockArgs(page, 'remember_view')).some((a) => (a.view as { anchor: string | null }).anchor !== null), 4000);
  const anchor = ((await mockArgs(page, 'remember_view')).at(-1)!.view as { anchor: string }).anchor;
  expect(anchor).toMatch(/^c-alan-a\d+$/);

  await page.reload();
  await page.getByRole('heading', { name: 'alan', level: 1 }).waitFor();
  const top = () => page.evaluate(() => {
    const log = document.querySelector('[role="log"]')!.getBoundingClientRect();
    const rows = [...document.querySelectorAll<HTMLElement>('[data-message-id]')];
    const first = rows.find((r) => r.getBoundingClientRect().bottom > log.top + 1);
    return first?.dataset.messageId ?? null;
  });
  await until(async () => (await top()) === anchor);
  expect(errors).toEqual([]);
});

test('a pending link wins over where the user was', async () => {
  const { page } = await signedIn();
  await page.getByRole('option', { name: /grace/ }).click();
  await until(async () => (await mockArgs(page, 'remember_view')).length > 0);
  await page.evaluate(() => history.replaceState(null, '', `${location.pathname}?signedIn&opening=${encodeURIComponent(JSON.stringify({ status: 'open', target: { kind: 'profile', username: 'ken' } }))}`));
  await page.reload();
  await page.getByRole('region', { name: 'Profile of ken' }).waitFor();
  expect(await mockArgs(page, 'last_view')).toEqual([]);
});

async function mockCount(page: Page, cmd: string) {
  return (await mockArgs(page, cmd)).length;
}
