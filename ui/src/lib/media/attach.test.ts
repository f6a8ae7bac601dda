import { expect, test, vi } from 'vitest';
import { argsOf, fakeCore } from '../../test/ipc';
import { ATTACHMENT_MAX_BYTES, attachErrorText, attachFiles, attachPaths, pastedName, precheck } from './attach';

/** A File that says it is `size` bytes without holding them. */
function sized(name: string, size: number): File {
  const f = new File(['x'], name);
  Object.defineProperty(f, 'size', { value: size });
  return f;
}

test('a file over 25 MiB or empty is refused before it is read', async () => {
  const calls = fakeCore({});
  const read = vi.spyOn(FileReader.prototype, 'readAsDataURL');
  expect(precheck(sized('big.mp4', ATTACHMENT_MAX_BYTES + 1))).toBe('Attachments are limited to 25 MiB');
  expect(precheck(sized('ok.mp4', ATTACHMENT_MAX_BYTES))).toBeNull();
  expect(await attachFiles('c1', [{ file: sized('big.mp4', ATTACHMENT_MAX_BYTES + 1) }])).toBe('Attachments are limited to 25 MiB');
  expect(await attachFiles('c1', [{ file: new File([], 'empty.txt') }])).toBe('That file is empty');
  expect(read).not.toHaveBeenCalled();
  expect(argsOf(calls, 'attach_bytes')).toEqual([]);
  read.mockRestore();
});

test('files go to the core as base64, each as its own message; the others still go when one is refused', async () => {
  const calls = fakeCore({});
  const problem = await attachFiles('c1', [
    { file: new File(['hello'], 'a.txt') },
    { file: sized('huge.mov', ATTACHMENT_MAX_BYTES + 1) },
    { file: new File([new Uint8Array([137, 80, 78, 71])], 'image.png', { type: 'image/png' }), name: 'pasted-image.png' },
  ]);
  expect(problem).toBe('huge.mov: Attachments are limited to 25 MiB');
  expect(argsOf(calls, 'attach_bytes')).toEqual([
    { conversationId: 'c1', fileName: 'a.txt', base64: btoa('hello') },
    { conversationId: 'c1', fileName: 'pasted-image.png', base64: 'iVBORw==' },
  ]);
});

test('the core’s refusals read as sentences', async () => {
  fakeCore({
    attach_bytes: () => { throw { code: 'validation_failed', message: 'file', fields: { file: 'type_not_allowed' } }; },
    attach_file: () => { throw { code: 'validation_failed', message: 'file', fields: { file: 'too_large' } }; },
  });
  expect(await attachFiles('c1', [{ file: new File(['MZ'], 'setup.exe') }])).toBe(
    'This kind of file cannot be attached: images, PDFs, documents, text, audio and video can',
  );
  expect(await attachPaths('c1', ['/home/ada/film.mkv'])).toBe('Attachments are limited to 25 MiB');
  expect(await attachPaths('c1', ['/home/ada/a.mkv', 'C:\\Users\\ada\\b.mkv'])).toBe('a.mkv: Attachments are limited to 25 MiB');
  expect(attachErrorText({ code: 'payload_too_large', message: '', fields: {} })).toBe('Attachments are limited to 25 MiB');
  expect(attachErrorText({ code: 'validation_failed', message: '', fields: { file: 'empty' } })).toBe('That file is empty');
});

test('a drop by path goes to the core as it is; a pasted image gets a name', async () => {
  const calls = fakeCore({});
  expect(await attachPaths('c1', ['/home/ada/notes.pdf'])).toBeNull();
  expect(argsOf(calls, 'attach_file')).toEqual([{ conversationId: 'c1', path: '/home/ada/notes.pdf', content: null }]);
  expect(pastedName(new Blob([], { type: 'image/png' }))).toBe('pasted-image.png');
  expect(pastedName(new Blob([], { type: 'image/jpeg' }))).toBe('pasted-image.jpg');
});
