import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, test, vi } from 'vitest';
import { item, ME } from '../../test/fixtures';
import type { MessageStatus } from '../ipc';
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

test('image media renders a lazy image with alt text; other links stay links', () => {
  render(MessageRow, { item: item({ state: 'received' }, { content: null, media_url: 'https://x.org/p.png' }), prev: null, own: false, group: false });
  const img = screen.getByRole('img', { name: 'Image shared by grace' });
  expect(img).toHaveAttribute('loading', 'lazy');
  render(MessageRow, { item: item({ state: 'received' }, { message_id: 'm2', content: null, media_url: 'https://x.org/doc.pdf' }), prev: null, own: false, group: false });
  expect(screen.getByRole('link', { name: 'https://x.org/doc.pdf' })).toBeInTheDocument();
});
