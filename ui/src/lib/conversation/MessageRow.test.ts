import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { expect, test, vi } from 'vitest';
import { item, ME } from '../../test/fixtures';
import { argsOf, fakeCore } from '../../test/ipc';
import type { MessageStatus } from '../ipc';
import { toasts } from '../ui/toasts.svelte';
import MessageRow from './MessageRow.svelte';

function own(status: MessageStatus, group = false, onretry = vi.fn()) {
  render(MessageRow, { item: item(status, { sender_id: ME, content: 'my words' }, 'me'), prev: null, own: true, group, onretry });
  return onretry;
}

test('pending shows a clock', () => {
  own({ state: 'pending' });
  expect(screen.getByLabelText('Waiting to send')).toBeInTheDocument();
});

test('sent shows one tick, read in a direct chat two', () => {
  own({ state: 'sent' });
  expect(screen.getByLabelText('Sent')).toHaveTextContent('✓');
  own({ state: 'read', read_by: 1, of: 1 });
  expect(screen.getByLabelText('Read')).toHaveTextContent('✓✓');
});

test('read in a group says by how many', () => {
  own({ state: 'read', read_by: 2, of: 4 }, true);
  expect(screen.getByText('Read by 2 of 4')).toBeInTheDocument();
});

test('a held message tells its sender why; a rejected one that it was not delivered', () => {
  own({ state: 'held', reason: 'phone' });
  expect(screen.getByText(/Held for review by your program · it contains a phone number/)).toBeInTheDocument();
  own({ state: 'rejected' });
  expect(screen.getByText(/Not delivered: your program’s coordinators declined it|Not delivered: your program's coordinators declined it/)).toBeInTheDocument();
});

test('failed shows the reason and Retry', async () => {
  const onretry = own({ state: 'failed', reason: 'server said no' });
  expect(screen.getByRole('alert')).toHaveTextContent('Not sent: server said no');
  await fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
  expect(onretry).toHaveBeenCalledWith('m1');
});

test('others’ messages show the sender in groups, no status, and a day separator', () => {
  render(MessageRow, { item: item({ state: 'received' }, { content: 'hey' }, 'grace'), prev: null, own: false, group: true });
  expect(screen.getByText('grace')).toBeInTheDocument();
  expect(screen.getByRole('separator')).toHaveTextContent('Today');
  expect(screen.queryByLabelText('Sent')).toBeNull();
});

test('a linked picture shows through the program’s server, never from its host, with its link', () => {
  render(MessageRow, { item: item({ state: 'received' }, { content: null, media_url: 'https://x.org/p.png' }), prev: null, own: false, group: false });
  expect(screen.getByRole('link', { name: 'https://x.org/p.png' })).toHaveAttribute('href', 'https://x.org/p.png');
  const img = document.querySelector('img');
  expect(img?.getAttribute('src')).toBe('lodestar-media://localhost/linked?url=https%3A%2F%2Fx.org%2Fp.png');
});

test('a typed address that is not a picture stays a link only', () => {
  render(MessageRow, { item: item({ state: 'received' }, { content: null, media_url: 'https://x.org/notes' }), prev: null, own: false, group: false });
  expect(screen.getByRole('link', { name: 'https://x.org/notes' })).toBeTruthy();
  expect(document.querySelector('img')).toBeNull();
});

const MEDIA = '0b6c7d2e-1f3a-4b5c-8d9e-0a1b2c3d4e5f';

test('an attachment on the server shows its thumbnail through the core’s scheme, and opens whole', async () => {
  const onview = vi.fn();
  render(MessageRow, { item: item({ state: 'received' }, { content: null, media_url: `/v1/media/${MEDIA}` }), prev: null, own: false, group: false, onview });
  const img = screen.getByRole('img', { name: 'Image shared by grace' });
  expect(img).toHaveAttribute('src', `lodestar-media://localhost/${MEDIA}/thumbnail`);
  await fireEvent.click(screen.getByRole('button', { name: 'Image shared by grace' }));
  expect(onview).toHaveBeenCalledWith({ src: `lodestar-media://localhost/${MEDIA}`, alt: 'Image shared by grace', mediaUrl: `/v1/media/${MEDIA}`, fileName: '' });
});

test('no thumbnail (not an image): a card with the name, the size when known, and Save', async () => {
  const calls = fakeCore({ save_attachment: () => '/home/me/Downloads/report.pdf' });
  render(MessageRow, { item: item({ state: 'received' }, { content: null, media_url: `/v1/media/${MEDIA}` }), prev: null, own: false, group: false });
  await fireEvent.error(screen.getByRole('img'));
  const card = screen.getByRole('group', { name: 'File Attachment' });
  expect(card).toHaveTextContent('Attachment');
  expect(screen.queryByRole('img', { name: /Image shared/ })).toBeNull();
  await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(argsOf(calls, 'save_attachment')).toEqual([{ mediaUrl: `/v1/media/${MEDIA}`, fileName: '' }]));
  await waitFor(() => expect(toasts.items.map((t) => t.text)).toContain('Saved to /home/me/Downloads/report.pdf'));

  // A file sent from here is known by name: no thumbnail asked for one that is not an image.
  render(MessageRow, {
    item: item({ state: 'sent' }, { message_id: 'm2', sender_id: ME, content: null, media_url: `/v1/media/${MEDIA}` }, 'me', {
      attachment: { file_name: 'report.pdf', size: 1_572_864, uploaded: 1_572_864, path: '/x/report.pdf' },
    }),
    prev: null, own: true, group: false,
  });
  expect(screen.getByRole('group', { name: 'File report.pdf' })).toHaveTextContent(/report\.pdf\s*1\.5 MB/);
});

test('a file waiting to upload says so; while it uploads the bar says how far', async () => {
  const attachment = { file_name: 'photo.jpg', size: 1000, uploaded: null, path: '/x/photo.jpg' };
  const pending = item({ state: 'pending' }, { seq: 0, sender_id: ME, content: null, media_url: `upload:${MEDIA}` }, 'me', { attachment });
  const view = render(MessageRow, { item: pending, prev: null, own: true, group: false });
  // An image: its copy on this device, as it will look.
  expect(screen.getByRole('img', { name: 'Image shared by you' })).toHaveAttribute('src', `lodestar-media://localhost/upload/${MEDIA}`);
  const bar = screen.getByRole('progressbar', { name: 'Upload of photo.jpg' });
  expect(bar).toHaveAttribute('aria-valuetext', 'Waiting to upload');
  expect(bar).not.toHaveAttribute('aria-valuenow');
  await view.rerender({ item: { ...pending, status: { state: 'sending' }, attachment: { ...attachment, uploaded: 400 } } });
  expect(bar).toHaveAttribute('aria-valuenow', '40');
  expect(bar).toHaveAttribute('aria-valuetext', 'Uploading… 40%');
  expect(screen.getByText('Uploading… 40%')).toBeInTheDocument();
  // Uploaded: the server's thumbnail, no bar.
  await view.rerender({ item: { ...pending, message: { ...pending.message, media_url: `/v1/media/${MEDIA}` }, status: { state: 'sent' }, attachment: { ...attachment, uploaded: 1000 } } });
  expect(screen.queryByRole('progressbar')).toBeNull();
  expect(screen.getByRole('img', { name: 'Image shared by you' })).toHaveAttribute('src', `lodestar-media://localhost/${MEDIA}/thumbnail`);
});

test('a pending file that is not an image is a card without Save; a failed one has no bar', () => {
  const attachment = { file_name: 'notes.txt', size: 20, uploaded: null, path: '/x/notes.txt' };
  render(MessageRow, {
    item: item({ state: 'pending' }, { seq: 0, sender_id: ME, content: null, media_url: `upload:${MEDIA}` }, 'me', { attachment }),
    prev: null, own: true, group: false,
  });
  expect(screen.getByRole('group', { name: 'File notes.txt' })).toHaveTextContent('20 B');
  expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuetext', 'Waiting to upload');
  cleanup();
  render(MessageRow, {
    item: item({ state: 'failed', reason: 'file: type_not_allowed' }, { seq: 0, sender_id: ME, content: null, media_url: `upload:${MEDIA}` }, 'me', { attachment }),
    prev: null, own: true, group: false,
  });
  expect(screen.queryByRole('progressbar')).toBeNull();
});

test('a reply quotes its message and jumps to it; a deleted one says so', async () => {
  const onquote = vi.fn();
  render(MessageRow, {
    item: item({ state: 'received' }, { message_id: 'm2', content: 'sure', reply_to: 'm1' }, 'grace', {
      reply: { message_id: 'm1', sender_name: 'ada', text: 'Can we meet?', deleted: false },
    }),
    prev: null, own: false, group: false, onquote,
  });
  await fireEvent.click(screen.getByRole('button', { name: /In reply to ada Can we meet\?/ }));
  expect(onquote).toHaveBeenCalledWith('m1');
  render(MessageRow, {
    item: item({ state: 'received' }, { message_id: 'm3', reply_to: 'm0' }, 'grace', {
      reply: { message_id: 'm0', sender_name: 'ada', text: '', deleted: true },
    }),
    prev: null, own: false, group: false,
  });
  expect(screen.getByRole('button', { name: /In reply to ada This message was deleted/ })).toBeInTheDocument();
});

test('own messages offer Reply, React, Edit and Delete; an edited one says so with when', async () => {
  const onedit = vi.fn();
  const ondelete = vi.fn();
  const onreply = vi.fn();
  const editedAt = new Date().toISOString();
  const mine = item({ state: 'sent' }, { sender_id: ME, content: 'my words', edited_at: editedAt }, 'me');
  render(MessageRow, { item: mine, prev: null, own: true, group: false, onedit, ondelete, onreply, onreact: vi.fn() });
  expect(screen.getByText('(edited)')).toHaveAttribute('title', expect.stringMatching(/^Edited Today at \d\d:\d\d$/));
  await fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
  await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
  await fireEvent.click(screen.getByRole('button', { name: 'Reply' }));
  expect(onedit).toHaveBeenCalledWith(mine);
  expect(ondelete).toHaveBeenCalledWith(mine);
  expect(onreply).toHaveBeenCalledWith(mine);
  expect(screen.getByRole('button', { name: 'React' })).toHaveAttribute('aria-haspopup', 'menu');
});

test('others’ messages cannot be edited, nor deleted unless the user moderates the group', () => {
  const theirs = item({ state: 'received' }, { content: 'hey' });
  const props = { prev: null, own: false, group: true, onedit: vi.fn(), ondelete: vi.fn(), onreply: vi.fn() };
  const first = render(MessageRow, { item: theirs, ...props });
  expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
  first.unmount();
  render(MessageRow, { item: theirs, ...props, canModerate: true });
  expect(screen.getByRole('button', { name: 'Delete' })).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
});

test('a deleted message is a tombstone with no actions', () => {
  const gone = item({ state: 'received' }, { content: null, deleted_at: new Date().toISOString() }, 'grace', {
    reactions: [{ emoji: '👍', count: 1, mine: false, names: ['ben'] }],
  });
  render(MessageRow, { item: gone, prev: null, own: false, group: false, onreply: vi.fn(), onreact: vi.fn(), onreport: vi.fn(), onblock: vi.fn() });
  expect(screen.getByText('This message was deleted')).toBeInTheDocument();
  expect(screen.queryAllByRole('button')).toEqual([]);
});

test('reaction chips show counts and who; a chip toggles the user’s own', async () => {
  const onreact = vi.fn();
  const it = item({ state: 'received' }, {}, 'grace', {
    reactions: [
      { emoji: '👍', count: 2, mine: true, names: ['ada', 'ben'] },
      { emoji: '🎉', count: 1, mine: false, names: ['ben'] },
    ],
  });
  render(MessageRow, { item: it, prev: null, own: false, group: false, onreact });
  const thumbs = screen.getByRole('button', { name: '👍 2' });
  expect(thumbs).toHaveAttribute('aria-pressed', 'true');
  expect(thumbs).toHaveAttribute('title', 'ada, ben');
  expect(screen.getByRole('button', { name: '🎉 1' })).toHaveAttribute('aria-pressed', 'false');
  await fireEvent.click(thumbs);
  await fireEvent.click(screen.getByRole('button', { name: '🎉 1' }));
  expect(onreact.mock.calls.map(([, e, on]) => [e, on])).toEqual([['👍', false], ['🎉', true]]);
});

test('the emoji picker opens from React, moves with arrows, picks with Enter and closes on Escape', async () => {
  const onreact = vi.fn();
  const it = item({ state: 'received' }, {}, 'grace', { reactions: [{ emoji: '❤️', count: 1, mine: true, names: ['ada'] }] });
  render(MessageRow, { item: it, prev: null, own: false, group: false, onreact });
  const open = screen.getByRole('button', { name: 'React' });
  await fireEvent.click(open);
  const menu = screen.getByRole('menu', { name: 'React with' });
  const first = screen.getByRole('menuitemcheckbox', { name: '👍' });
  expect(first).toHaveFocus();
  expect(screen.getByRole('menuitemcheckbox', { name: '❤️' })).toHaveAttribute('aria-checked', 'true');
  await fireEvent.keyDown(menu, { key: 'ArrowRight' });
  expect(screen.getByRole('menuitemcheckbox', { name: '❤️' })).toHaveFocus();
  // Picking one the user already put there takes it back.
  await fireEvent.click(screen.getByRole('menuitemcheckbox', { name: '❤️' }));
  expect(onreact).toHaveBeenLastCalledWith(it, '❤️', false);
  expect(screen.queryByRole('menu')).toBeNull();
  expect(open).toHaveFocus();

  await fireEvent.click(open);
  await fireEvent.keyDown(screen.getByRole('menu'), { key: 'Escape' });
  expect(screen.queryByRole('menu')).toBeNull();
  expect(open).toHaveFocus();
  expect(onreact).toHaveBeenCalledTimes(1);
});

test('only the message holding the list’s tab stop has its controls in the Tab order', () => {
  const props = { prev: null, own: false, group: false, onreply: vi.fn(), onreport: vi.fn() };
  const { container, rerender } = render(MessageRow, { ...props, item: item({ state: 'received' }, { content: 'hi' }), active: false });
  const row = container.querySelector<HTMLElement>('[data-roving]')!;
  const controls = () => [...row.querySelectorAll<HTMLElement>('button')];
  expect(row.tabIndex).toBe(-1);
  expect(controls().length).toBeGreaterThan(0);
  expect(controls().every((b) => b.tabIndex === -1)).toBe(true);
  void rerender({ active: true });
  return waitFor(() => {
    expect(row.tabIndex).toBe(0);
    expect(controls().every((b) => b.tabIndex === 0)).toBe(true);
  });
});

test('Enter on a message focuses its first action; Escape there goes back to the message', async () => {
  const { container } = render(MessageRow, { prev: null, own: false, group: false, onreply: vi.fn(), item: item({ state: 'received' }, { content: 'hi' }), active: true });
  const row = container.querySelector<HTMLElement>('[data-roving]')!;
  row.focus();
  await fireEvent.keyDown(row, { key: 'Enter' });
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Reply' }));
  await fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
  expect(document.activeElement).toBe(row);
  cleanup();
});
