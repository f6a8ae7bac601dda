import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { expect, test, vi } from 'vitest';
import { argsOf, fakeCore } from '../../test/ipc';
import { item } from '../../test/fixtures';
import Composer from './Composer.svelte';

const queued = item({ state: 'pending' }, { seq: 0, sender_id: 'u-me', content: 'hi there' });

test('Enter sends and clears; Shift+Enter does not send', async () => {
  const calls = fakeCore({ draft: () => null, send: () => queued });
  const sent: unknown[] = [];
  render(Composer, { conversationId: 'c1', onsent: (i) => sent.push(i) });
  const box = screen.getByLabelText('Message') as HTMLTextAreaElement;

  await fireEvent.input(box, { target: { value: 'hi there' } });
  const shift = await fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
  // Not prevented: the browser inserts the newline.
  expect(shift).toBe(true);
  expect(argsOf(calls, 'send')).toHaveLength(0);

  await fireEvent.keyDown(box, { key: 'Enter' });
  await waitFor(() => expect(argsOf(calls, 'send')).toEqual([{ conversationId: 'c1', content: 'hi there', mediaUrl: null, replyTo: null }]));
  await waitFor(() => expect(box.value).toBe(''));
  expect(sent).toEqual([queued]);
});

test('the draft is saved while typing and restored on return', async () => {
  const drafts = new Map<string, { content: string; media_url: string | null }>();
  const calls = fakeCore({
    draft: (a) => drafts.get(a.conversationId as string) ?? null,
    save_draft: (a) => void drafts.set(a.conversationId as string, a.draft as { content: string; media_url: null }),
  });
  const first = render(Composer, { conversationId: 'c1' });
  await fireEvent.input(screen.getByLabelText('Message'), { target: { value: 'unfinished' } });
  await waitFor(() => expect(argsOf(calls, 'save_draft')).toEqual([{ conversationId: 'c1', draft: { content: 'unfinished', media_url: null } }]), { timeout: 1000 });
  first.unmount();

  render(Composer, { conversationId: 'c1' });
  await waitFor(() => expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('unfinished'));
});

test('switching away flushes a draft not yet saved', async () => {
  const calls = fakeCore({ draft: () => null });
  const view = render(Composer, { conversationId: 'c1' });
  await fireEvent.input(screen.getByLabelText('Message'), { target: { value: 'quick' } });
  view.unmount();
  await waitFor(() => expect(argsOf(calls, 'save_draft')).toEqual([{ conversationId: 'c1', draft: { content: 'quick', media_url: null } }]));
});

test('media URL and length are validated inline', async () => {
  fakeCore({ draft: () => null });
  render(Composer, { conversationId: 'c1' });
  await fireEvent.click(screen.getByRole('button', { name: 'Attach a media link' }));
  const url = screen.getByLabelText('Media link');
  await fireEvent.input(url, { target: { value: 'ftp://example.org/a.png' } });
  expect(screen.getByText('An http:// or https:// address')).toBeInTheDocument();
  expect(url).toHaveAttribute('aria-invalid', 'true');
  expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();

  await fireEvent.input(url, { target: { value: '' } });
  await fireEvent.input(screen.getByLabelText('Message'), { target: { value: 'x'.repeat(10_001) } });
  expect(screen.getByText(/At most 10,000 characters/)).toBeInTheDocument();
});

test('a reply shows its banner, is sent with replyTo, and Escape or × cancels it', async () => {
  const calls = fakeCore({ draft: () => null, send: () => queued });
  const view = render(Composer, { conversationId: 'c1', myUserId: 'u-me' });
  const original = item({ state: 'received' }, { message_id: 'm7', content: 'Shall we meet on Thursday?\nSecond line' }, 'maya');
  view.component.reply(original);
  await tick();
  expect(screen.getByRole('status')).toHaveTextContent('Replying to maya: Shall we meet on Thursday?');
  const box = screen.getByLabelText('Message');
  await fireEvent.keyDown(box, { key: 'Escape' });
  expect(screen.queryByText(/Replying to/)).toBeNull();

  view.component.reply(original);
  await tick();
  await fireEvent.click(screen.getByRole('button', { name: 'Cancel reply' }));
  expect(screen.queryByText(/Replying to/)).toBeNull();

  view.component.reply(original);
  await tick();
  await fireEvent.input(box, { target: { value: 'Yes!' } });
  await fireEvent.keyDown(box, { key: 'Enter' });
  await waitFor(() => expect(argsOf(calls, 'send')).toEqual([{ conversationId: 'c1', content: 'Yes!', mediaUrl: null, replyTo: 'm7' }]));
  await waitFor(() => expect(screen.queryByText(/Replying to/)).toBeNull());
});

test('ArrowUp in an empty box edits the last message; Enter saves, and the draft comes back', async () => {
  const mine = item({ state: 'sent' }, { message_id: 'm9', sender_id: 'u-me', content: 'teh plan' }, 'me');
  const calls = fakeCore({ draft: () => null, edit_message: () => null });
  const edits: unknown[] = [];
  render(Composer, { conversationId: 'c1', lastEditable: () => mine, onedited: (id: string, c: string) => edits.push([id, c]) });
  const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
  await fireEvent.keyDown(box, { key: 'ArrowUp' });
  expect(screen.getByRole('status')).toHaveTextContent('Editing message');
  expect(box.value).toBe('teh plan');

  // Escape gives the (empty) draft back without saving.
  await fireEvent.keyDown(box, { key: 'Escape' });
  expect(box.value).toBe('');
  expect(screen.queryByText('Editing message')).toBeNull();

  await fireEvent.input(box, { target: { value: 'half a draft' } });
  // Not empty: ArrowUp moves the caret as usual.
  expect(await fireEvent.keyDown(box, { key: 'ArrowUp' })).toBe(true);
  await fireEvent.input(box, { target: { value: '' } });
  await fireEvent.keyDown(box, { key: 'ArrowUp' });
  await fireEvent.input(box, { target: { value: 'the plan' } });
  await fireEvent.keyDown(box, { key: 'Enter' });
  await waitFor(() => expect(argsOf(calls, 'edit_message')).toEqual([{ messageId: 'm9', content: 'the plan' }]));
  expect(argsOf(calls, 'send')).toEqual([]);
  await waitFor(() => expect(edits).toEqual([['m9', 'the plan']]));
  expect(box.value).toBe('');
  expect(screen.queryByText('Editing message')).toBeNull();
});

test('a refused edit explains why and stays open', async () => {
  const mine = item({ state: 'sent' }, { message_id: 'm9', sender_id: 'u-me', content: 'old' }, 'me');
  fakeCore({ draft: () => null, edit_message: () => { throw { code: 'forbidden', message: 'too late', fields: {} }; } });
  const view = render(Composer, { conversationId: 'c1' });
  view.component.edit(mine);
  await tick();
  const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
  await fireEvent.input(box, { target: { value: 'new' } });
  await fireEvent.keyDown(box, { key: 'Enter' });
  expect(await screen.findByRole('alert')).toHaveTextContent('A message can be edited for 24 hours after it was sent');
  expect(screen.getByText('Editing message')).toBeInTheDocument();
});

test('typing tells the core at most once every 3 seconds', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    const calls = fakeCore({ draft: () => null });
    render(Composer, { conversationId: 'c1' });
    const box = screen.getByLabelText('Message');
    await fireEvent.input(box, { target: { value: 'h' } });
    await fireEvent.input(box, { target: { value: 'he' } });
    expect(argsOf(calls, 'typing')).toEqual([{ conversationId: 'c1' }]);
    vi.setSystemTime(Date.now() + 3_000);
    await fireEvent.input(box, { target: { value: 'hel' } });
    expect(argsOf(calls, 'typing')).toHaveLength(2);
  } finally {
    vi.useRealTimers();
  }
});

test('the paperclip opens the file picker; a chosen file goes to the core and a too-large one is refused at once', async () => {
  const calls = fakeCore({ draft: () => null });
  const onattached = vi.fn();
  render(Composer, { conversationId: 'c1', onattached });
  const clip = screen.getByRole('button', { name: 'Attach a file' });
  const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
  const picked = vi.spyOn(input, 'click').mockImplementation(() => {});
  await fireEvent.click(clip);
  expect(picked).toHaveBeenCalled();

  const choose = async (file: File) => {
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
  };
  await choose(new File(['plan'], 'plan.txt', { type: 'text/plain' }));
  await waitFor(() => expect(argsOf(calls, 'attach_bytes')).toEqual([{ conversationId: 'c1', fileName: 'plan.txt', base64: btoa('plan') }]));
  await waitFor(() => expect(onattached).toHaveBeenCalledTimes(1));

  const big = new File(['x'], 'talk.mp4');
  Object.defineProperty(big, 'size', { value: 25 * 1024 * 1024 + 1 });
  await choose(big);
  expect(await screen.findByRole('alert')).toHaveTextContent('Attachments are limited to 25 MiB');
  expect(argsOf(calls, 'attach_bytes')).toHaveLength(1);
  // The refusal does not stop the text from being sent.
  await fireEvent.input(screen.getByLabelText('Message'), { target: { value: 'the link instead' } });
  expect(screen.queryByRole('alert')).toBeNull();
  expect(screen.getByRole('button', { name: 'Send' })).toBeEnabled();
});

test('a pasted image is attached as pasted-image.png; pasted text stays text', async () => {
  const calls = fakeCore({ draft: () => null });
  render(Composer, { conversationId: 'c1' });
  const box = screen.getByLabelText('Message');
  const image = new File([new Uint8Array([137, 80, 78, 71])], 'image.png', { type: 'image/png' });
  const paste = (text: string, files: File[]) =>
    fireEvent.paste(box, { clipboardData: { getData: (t: string) => (t === 'text/plain' ? text : ''), files } });
  expect(await paste('A1\tB1', [image])).toBe(true);
  expect(await paste('', [])).toBe(true);
  expect(argsOf(calls, 'attach_bytes')).toEqual([]);
  expect(await paste('', [image])).toBe(false);
  await waitFor(() => expect(argsOf(calls, 'attach_bytes')).toEqual([{ conversationId: 'c1', fileName: 'pasted-image.png', base64: 'iVBORw==' }]));
});
