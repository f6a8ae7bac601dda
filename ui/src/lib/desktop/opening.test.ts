import { beforeEach, describe, expect, it } from 'vitest';
import { fakeCore } from '../../test/ipc';
import { nav } from '../app/nav.svelte';
import { conversations } from '../conversations/conversations.svelte';
import { links, noticeFor, takeOpening } from './opening.svelte';

const conversation = (id: string) => ({ conversation_id: id, kind: 'DIRECT', title: id, muted: false, unread_count: 0 });

describe('openings', () => {
  beforeEach(() => {
    nav.reset();
    conversations.clear();
    links.notice = null;
  });

  it('says why a link opens nothing, naming both servers or the link', () => {
    const other = noticeFor({ status: 'other_server', target: { kind: 'profile', username: 'maya' }, server: 'https://b.example.org' }, 'https://a.example.org');
    expect(other).toBe("This link is for another program's server (https://b.example.org); you are signed in to https://a.example.org.");
    const invalid = noticeFor({ status: 'invalid', link: 'lodestar://settings/x', code: 'unknown_target' }, null);
    expect(invalid).toMatch(/^Lodestar can't open this link \(lodestar:\/\/settings\/x\)\./);
    expect(noticeFor({ status: 'open', target: { kind: 'profile', username: 'maya' } }, null)).toBeNull();
  });

  it('takes what waits once and shows it: a profile, a request form', async () => {
    const waiting = [
      { status: 'open', target: { kind: 'profile', username: 'maya' } },
      { status: 'open', target: { kind: 'request', mentor: 'raj' } },
    ];
    fakeCore({ take_opening: () => waiting.shift() ?? null });
    expect(await takeOpening()).toBe(true);
    expect([nav.view, nav.directoryUser]).toEqual(['directory', 'maya']);
    expect(await takeOpening()).toBe(true);
    expect([nav.directoryUser, nav.ask?.mentor]).toEqual(['raj', 'raj']);
    expect(await takeOpening()).toBe(false);
  });

  it('opens a conversation in the list (reading the list first), else the Requests inbox', async () => {
    const waiting = [
      { status: 'open', target: { kind: 'conversation', conversation_id: 'c-1' } },
      { status: 'open', target: { kind: 'conversation', conversation_id: 'c-2' } },
    ];
    fakeCore({ take_opening: () => waiting.shift() ?? null, conversations: () => [conversation('c-1')] });
    await takeOpening();
    expect([nav.view, nav.conversationId]).toEqual(['chats', 'c-1']);
    await takeOpening();
    expect(nav.view).toBe('mentoring');
  });

  it('keeps the notice until the next opening', async () => {
    const waiting = [
      { status: 'invalid', link: 'nope', code: 'not_a_link' },
      { status: 'open', target: { kind: 'profile', username: 'maya' } },
    ];
    fakeCore({ take_opening: () => waiting.shift() ?? null });
    await takeOpening();
    expect(links.notice).toMatch(/can't open this link \(nope\)/);
    await takeOpening();
    expect(links.notice).toBeNull();
  });
});
