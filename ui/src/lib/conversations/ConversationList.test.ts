import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { expect, test } from 'vitest';
import { conversation, message, ME } from '../../test/fixtures';
import { argsOf, fakeCore } from '../../test/ipc';
import { nav } from '../app/nav.svelte';
import { typing } from '../conversation/typing.svelte';
import ConversationList from './ConversationList.svelte';

const hour = 3_600_000;
const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

const rows = [
  conversation({ conversation_id: 'empty', title: 'Nobody yet' }),
  conversation({ conversation_id: 'old', title: 'Old friend', last_message: message({ sent_at: at(30 * 24 * hour), content: 'long ago' }) }),
  conversation({ conversation_id: 'new', title: 'Newest', unread_count: 3, last_message: message({ sent_at: at(60_000), content: 'fresh news' }) }),
  conversation({ conversation_id: 'mine', title: 'Mine', pending_count: 1, muted: true, last_message: message({ sent_at: at(hour), sender_id: ME, content: 'on its way' }) }),
  conversation({ conversation_id: 'bad', title: 'Broken', failed_count: 1, last_message: message({ sent_at: at(2 * hour), sender_id: ME, content: 'oops' }) }),
];

test('most recent first, conversations without messages last', async () => {
  fakeCore({ conversations: () => rows });
  render(ConversationList, { myUserId: ME });
  await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(5));
  const titles = screen.getAllByRole('option').map((o) => o.querySelector('.title')?.textContent);
  expect(titles).toEqual(['Newest', 'Mine', 'Broken', 'Old friend', 'Nobody yet']);
});

test('badges and markers', async () => {
  fakeCore({ conversations: () => rows });
  render(ConversationList, { myUserId: ME });
  const newest = await screen.findByRole('option', { name: /Newest/ });
  expect(within(newest).getByLabelText('3 unread')).toHaveTextContent('3');
  expect(within(newest).getByText('fresh news')).toBeInTheDocument();
  const mine = screen.getByRole('option', { name: /Mine/ });
  expect(within(mine).getByText('You: on its way')).toBeInTheDocument();
  expect(within(mine).getByLabelText('1 waiting to send')).toBeInTheDocument();
  expect(within(mine).getByLabelText('Muted')).toBeInTheDocument();
  expect(within(screen.getByRole('option', { name: /Broken/ })).getByLabelText('1 failed to send')).toBeInTheDocument();
  expect(within(screen.getByRole('option', { name: /Nobody yet/ })).getByText('No messages yet')).toBeInTheDocument();
  expect(within(newest).getByText(/^\d\d:\d\d$/)).toBeInTheDocument();
});

test('keyboard: Down then Enter opens the next conversation', async () => {
  const calls = fakeCore({ conversations: () => rows });
  render(ConversationList, { myUserId: ME });
  const first = await screen.findByRole('option', { name: /Newest/ });
  first.focus();
  await fireEvent.keyDown(first, { key: 'ArrowDown' });
  const second = screen.getByRole('option', { name: /Mine/ });
  expect(document.activeElement).toBe(second);
  await fireEvent.keyDown(second, { key: 'Enter' });
  expect(nav.conversationId).toBe('mine');
  await waitFor(() => expect(argsOf(calls, 'ui_ready')).toHaveLength(1));
});

test('empty state points a newcomer to the directory', async () => {
  fakeCore({ conversations: () => [] });
  render(ConversationList, { myUserId: ME });
  await fireEvent.click(await screen.findByRole('button', { name: 'Find a mentor' }));
  expect(nav.view).toBe('directory');
});

test('a deleted last message says so; someone typing replaces the preview', async () => {
  const gone = conversation({ conversation_id: 'gone', title: 'Gone', last_message: message({ content: null, deleted_at: at(0) }) });
  fakeCore({ conversations: () => [...rows, gone] });
  render(ConversationList, { myUserId: ME });
  const row = await screen.findByRole('option', { name: /Gone/ });
  expect(within(row).getByText('This message was deleted')).toBeInTheDocument();
  typing.notice({ conversation_id: 'new', user_id: 'u-maya', username: 'maya' });
  const newest = screen.getByRole('option', { name: /Newest/ });
  await waitFor(() => expect(within(newest).getByText('maya is typing…')).toBeInTheDocument());
  expect(within(newest).queryByText('fresh news')).toBeNull();
  typing.clear();
  await waitFor(() => expect(within(newest).getByText('fresh news')).toBeInTheDocument());
});
