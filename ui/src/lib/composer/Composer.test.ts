import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { expect, test } from 'vitest';
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
  await waitFor(() => expect(argsOf(calls, 'send')).toEqual([{ conversationId: 'c1', content: 'hi there', mediaUrl: null }]));
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
