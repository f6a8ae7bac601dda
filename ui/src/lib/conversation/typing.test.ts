import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { conversation, message } from '../../test/fixtures';
import { TYPING_MS, typing, typingText } from './typing.svelte';

const maya = { conversation_id: 'c1', user_id: 'u-maya', username: 'maya' };
const ben = { conversation_id: 'c1', user_id: 'u-ben', username: 'ben' };
const lastFrom = (sender: string, id: string) =>
  conversation({ conversation_id: 'c1', last_message: message({ message_id: id, sender_id: sender }) });

describe('typing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    typing.clear();
  });
  afterEach(() => {
    typing.clear();
    vi.useRealTimers();
  });

  it('shows a notice for 5 seconds, renewed by the next one', () => {
    typing.notice(maya);
    expect(typing.text('c1')).toBe('maya is typing…');
    expect(typing.text('c2')).toBeNull();
    vi.advanceTimersByTime(TYPING_MS - 1000);
    typing.notice(maya);
    vi.advanceTimersByTime(TYPING_MS - 1);
    expect(typing.text('c1')).toBe('maya is typing…');
    vi.advanceTimersByTime(1);
    expect(typing.text('c1')).toBeNull();
    expect(typing.typers).toEqual([]);
  });

  it('names two people, then says several', () => {
    typing.notice(maya);
    typing.notice(ben);
    expect(typing.text('c1')).toBe('maya and ben are typing…');
    typing.notice({ conversation_id: 'c1', user_id: 'u-x', username: null });
    expect(typing.text('c1')).toBe('Several people are typing…');
    expect(typingText([null])).toBe('Someone is typing…');
  });

  it('ends at once when that person’s new message arrives, not on an older one or another’s', () => {
    typing.seen([lastFrom('u-maya', 'm1')]);
    typing.notice(maya);
    typing.notice(ben);
    // The same last message read again (a mark-read, a mute) changes nothing.
    typing.seen([lastFrom('u-maya', 'm1')]);
    expect(typing.text('c1')).toBe('maya and ben are typing…');
    // Ben's message ends Ben's notice only.
    typing.seen([lastFrom('u-ben', 'm2')]);
    expect(typing.text('c1')).toBe('maya is typing…');
    typing.seen([lastFrom('u-maya', 'm3')]);
    expect(typing.text('c1')).toBeNull();
    // Its timer is gone with it: a later notice gets its full 5 seconds.
    vi.advanceTimersByTime(TYPING_MS - 100);
    typing.notice(maya);
    vi.advanceTimersByTime(200);
    expect(typing.text('c1')).toBe('maya is typing…');
  });
});
