import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, mockArgs, open, shot, simulate, until } from './harness';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** A real PNG (a small drawing), made by the page's canvas. */
async function png(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 240;
    c.height = 150;
    const g = c.getContext('2d')!;
    g.fillStyle = '#cde';
    g.fillRect(0, 0, 240, 150);
    g.fillStyle = '#2358bd';
    g.fillRect(30, 40, 180, 70);
    return c.toDataURL('image/png').split(',')[1];
  });
  return Buffer.from(base64, 'base64');
}

/** The message row that shows a file of this name (a card, or the progress of its upload). */
function fileRow(page: Page, name: string): Locator {
  return page.locator('[data-message-id]').filter({
    has: page.locator(`[aria-label="File ${name}"], [aria-label="Upload of ${name}"]`),
  });
}

/** The row of the newest message with an image. */
const lastImageRow = (page: Page) => page.locator('[data-message-id]').filter({ has: page.locator('img') }).last();

const loaded = (img: Locator) => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0);

async function openGrace(page: Page) {
  await page.getByRole('option', { name: /grace/ }).click();
  await page.getByRole('heading', { name: 'grace' }).waitFor();
}

test('choose a PNG: it shows at once with its upload progress, then its thumbnail; the viewer opens and Escape closes it', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await openGrace(page);
  const bytes = await png(page);
  const attach = page.getByRole('button', { name: 'Attach a file' });
  // A button like any other: focus and Enter open the system's file picker. (Playwright starts
  // catching the picker when asked to wait for it; a round trip makes sure it does before Enter.)
  const picker = page.waitForEvent('filechooser');
  await attach.focus();
  await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
  await page.keyboard.press('Enter');
  const chooser = await picker;
  await chooser.setFiles({ name: 'diagram.png', mimeType: 'image/png', buffer: bytes });

  // Pending, with the local copy and a progress bar that moves.
  const row = page.locator('[data-message-id]').filter({ has: page.getByRole('progressbar', { name: 'Upload of diagram.png' }) });
  await row.waitFor();
  expect(await row.getAttribute('data-status')).toBe('pending');
  const bar = row.getByRole('progressbar');
  await until(async () => /%$/.test((await bar.getAttribute('aria-valuetext', { timeout: 200 }).catch(() => null)) ?? ''), 3000);
  await shot(page, 'attachment-uploading');
  const seen = new Set<string>();
  await until(async () => {
    if (await bar.count()) seen.add((await bar.getAttribute('aria-valuetext', { timeout: 200 }).catch(() => null)) ?? '');
    else return true;
    return false;
  }, 8000);
  expect([...seen]).toContain('Uploading… 40%');
  expect([...seen]).toContain('Uploading… 80%');
  expect([...seen].every((t) => /^(Waiting to upload|Uploading… \d+%|)$/.test(t))).toBe(true);

  // Uploaded and sent: the thumbnail from the server (here a blob: stand-in for lodestar-media:).
  const sent = lastImageRow(page);
  await until(async () => (await sent.getAttribute('data-status')) === 'sent', 5000);
  const thumb = sent.getByRole('img', { name: 'Image shared by you' });
  await until(() => loaded(thumb));
  expect(await thumb.getAttribute('src')).toMatch(/^blob:/);
  expect(await sent.getByRole('progressbar').count()).toBe(0);
  const args = await mockArgs(page, 'attach_bytes');
  expect(args).toEqual([{ conversationId: 'c-grace', fileName: 'diagram.png', base64: bytes.toString('base64') }]);
  await shot(page, 'attachment-image');

  // The viewer: the whole image, Save and Close; Escape closes and the focus comes back.
  await thumb.click();
  const viewer = page.getByRole('dialog', { name: 'Image shared by you' });
  await viewer.waitFor();
  await until(() => loaded(viewer.getByRole('img')));
  await viewer.getByRole('button', { name: 'Save' }).waitFor();
  expect(await viewer.getByRole('button', { name: 'Close' }).evaluate((el) => el === document.activeElement)).toBe(true);
  await shot(page, 'attachment-viewer');
  await page.keyboard.press('Escape');
  expect(await viewer.count()).toBe(0);
  expect(await sent.getByRole('button', { name: 'Image shared by you' }).evaluate((el) => el === document.activeElement)).toBe(true);
  expect(errors).toEqual([]);
});

test('a text file shows as a card with its name and size; Save says where it went', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await openGrace(page);
  await page.locator('input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Pratt parsing notes\n') });
  const row = fileRow(page, 'notes.txt');
  await row.waitFor();
  await until(async () => (await row.getAttribute('data-status')) === 'sent', 8000);
  const card = row.getByRole('group', { name: 'File notes.txt' });
  await card.getByText('notes.txt').waitFor();
  await card.getByText('20 B').waitFor();
  expect(await row.locator('img').count()).toBe(0);
  await card.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved to /home/ada/Downloads/notes.txt').waitFor();
  const [save] = await mockArgs(page, 'save_attachment');
  expect(save).toMatchObject({ fileName: 'notes.txt' });
  expect(save.mediaUrl).toMatch(/^\/v1\/media\/[0-9a-f-]{36}$/);
  await shot(page, 'attachment-file');
  expect(errors).toEqual([]);
});

test('someone else’s file: a thumbnail when it is an image, else a card named "Attachment" with Save', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await openGrace(page);
  await simulate(page, 'receiveFile', 'c-grace', 'u-grace', 'syllabus.pdf', '%PDF-1.4 not really');
  await simulate(page, 'receiveFile', 'c-grace', 'u-grace', 'sketch.svg',
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120"><rect width="200" height="120" fill="#fc9"/></svg>');
  // The PDF has no thumbnail (the core answers 404): it falls back to the card.
  const card = page.getByRole('group', { name: 'File Attachment' });
  await card.waitFor();
  const img = page.getByRole('img', { name: 'Image shared by grace' });
  await until(() => loaded(img));
  await shot(page, 'attachment-received');
  await card.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/^Saved to \/home\/ada\/Downloads\/[0-9a-f]{32}$/).waitFor();
  expect(errors).toEqual([]);
});

test('a file over 25 MiB is refused at once, before it is read', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await openGrace(page);
  await page.locator('input[type=file]').evaluate((input: HTMLInputElement) => {
    const big = new File([new Blob([new Uint8Array(25 * 1024 * 1024 + 1)])], 'recording.mp4', { type: 'video/mp4' });
    const dt = new DataTransfer();
    dt.items.add(big);
    input.files = dt.files;
    // Reading it would take a while: note if anything tries.
    const read = FileReader.prototype.readAsDataURL;
    FileReader.prototype.readAsDataURL = function (b: Blob) {
      (window as unknown as { __read: boolean }).__read = true;
      return read.call(this, b);
    };
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const composer = page.getByRole('form', { name: 'Write a message' });
  await composer.getByRole('alert').filter({ hasText: 'Attachments are limited to 25 MiB' }).waitFor();
  expect(await mockArgs(page, 'attach_bytes')).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __read?: boolean }).__read ?? false)).toBe(false);
  // The text can still be sent; typing clears the refusal.
  const box = page.getByLabel('Message', { exact: true });
  await box.fill('Sending the link instead.');
  expect(await composer.getByRole('alert').count()).toBe(0);
  await box.press('Enter');
  await page.getByRole('log').getByText('Sending the link instead.').waitFor();
  expect(errors).toEqual([]);
});

test('pasting an image attaches it; pasting text stays text', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await openGrace(page);
  const bytes = (await png(page)).toString('base64');
  const box = page.getByLabel('Message', { exact: true });
  const paste = (withText: boolean) =>
    box.evaluate((el, [b64, text]) => {
      const raw = atob(b64 as string);
      const data = Uint8Array.from(raw, (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      if (text) dt.setData('text/plain', 'A1\tB1');
      dt.items.add(new File([data], 'image.png', { type: 'image/png' }));
      const e = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
      el.dispatchEvent(e);
      return e.defaultPrevented;
    }, [bytes, withText] as const);

  // Text with a picture of it (a spreadsheet's cells): left to the box.
  expect(await paste(true)).toBe(false);
  expect(await mockArgs(page, 'attach_bytes')).toEqual([]);
  // An image alone: attached.
  expect(await paste(false)).toBe(true);
  await until(async () => (await mockArgs(page, 'attach_bytes')).length === 1);
  expect((await mockArgs(page, 'attach_bytes'))[0]).toMatchObject({ conversationId: 'c-grace', fileName: 'pasted-image.png', base64: bytes });
  const row = lastImageRow(page);
  await until(async () => (await row.getAttribute('data-status')) === 'sent', 8000);
  await until(() => loaded(row.getByRole('img', { name: 'Image shared by you' })));
  expect(errors).toEqual([]);
});

test('dropping files on the conversation shows "Drop to attach", then attaches them', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  await openGrace(page);
  const section = page.getByRole('region', { name: 'grace', exact: true });
  const dt = await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(['agenda for Thursday\n'], 'agenda.md', { type: 'text/markdown' }));
    return d;
  });
  await section.dispatchEvent('dragenter', { dataTransfer: dt });
  await section.dispatchEvent('dragover', { dataTransfer: dt });
  await page.getByText('Drop to attach').waitFor();
  await shot(page, 'attachment-drop');
  // Leaving takes it away; coming back and dropping attaches.
  await section.dispatchEvent('dragleave', { dataTransfer: dt });
  expect(await page.getByText('Drop to attach').count()).toBe(0);
  await section.dispatchEvent('dragenter', { dataTransfer: dt });
  await section.dispatchEvent('drop', { dataTransfer: dt });
  expect(await page.getByText('Drop to attach').count()).toBe(0);
  const row = fileRow(page, 'agenda.md');
  await row.waitFor();
  expect((await mockArgs(page, 'attach_bytes')).map((a) => a.fileName)).toEqual(['agenda.md']);
  await until(async () => (await row.getAttribute('data-status')) === 'sent', 8000);
  expect(errors).toEqual([]);
});

test('a typed http image address is a link: no <img> asks its host', async () => {
  const { page, errors } = await open(browser, 'signedIn');
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('example.org')) asked.push(r.url());
  });
  await openGrace(page);
  const link = page.getByRole('link', { name: 'https://example.org/whiteboard.png' });
  await link.waitFor();
  expect(await link.getAttribute('href')).toBe('https://example.org/whiteboard.png');
  expect(await page.locator('img[src*="example.org"]').count()).toBe(0);
  await page.waitForTimeout(300);
  expect(asked).toEqual([]);
  expect(errors).toEqual([]);
});
