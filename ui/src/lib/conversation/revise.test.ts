import { expect, test } from 'vitest';
import { item } from '../../test/fixtures';
import { applyDelete, applyEdit, applyReaction, editable, EDIT_WINDOW_MS, quoteText } from './revise';

const original = item({ state: 'sent' }, { message_id: 'm1', sender_id: 'u-me', content: 'helo' }, 'ada', {
  reactions: [{ emoji: '🎉', count: 1, mine: false, names: ['grace'] }],
});
const reply = item({ state: 'received' }, { message_id: 'm2', content: 'hi back', reply_to: 'm1' }, 'grace', {
  reply: { message_id: 'm1', sender_name: 'ada', text: 'helo', deleted: false },
});

test('an edit changes the text, marks it edited and updates quotes of it; twice changes nothing', () => {
  const once = applyEdit([original, reply], 'm1', 'hello', '2030-01-01T00:00:00Z');
  expect(once[0].message).toMatchObject({ content: 'hello', edited_at: '2030-01-01T00:00:00Z' });
  expect(once[1].reply?.text).toBe('hello');
  expect(applyEdit(once, 'm1', 'hello', '2031-01-01T00:00:00Z')).toBe(once);
});

test('a message still queued takes the new text without being marked edited', () => {
  const queued = item({ state: 'pending' }, { seq: 0, content: 'draft' });
  expect(applyEdit([queued], 'm1', 'final', 'now')[0].message).toMatchObject({ content: 'final', edited_at: null });
});

test('a delete leaves a tombstone without reactions and marks quotes of it deleted', () => {
  const [gone, quoting] = applyDelete([original, reply], 'm1', '2030-01-01T00:00:00Z');
  expect(gone.message).toMatchObject({ content: null, media_url: null, deleted_at: '2030-01-01T00:00:00Z' });
  expect(gone.reactions).toEqual([]);
  expect(quoting.reply).toMatchObject({ deleted: true, text: '' });
});

test('a reaction joins or starts a chip and is taken back, idempotently', () => {
  const joined = applyReaction([original], 'm1', '🎉', true, 'ada');
  expect(joined[0].reactions).toEqual([{ emoji: '🎉', count: 2, mine: true, names: ['grace', 'ada'] }]);
  expect(applyReaction(joined, 'm1', '🎉', true, 'ada')).toBe(joined);
  const started = applyReaction(joined, 'm1', '👍', true, 'ada');
  expect(started[0].reactions.map((r) => `${r.emoji}${r.count}`)).toEqual(['🎉2', '👍1']);
  const back = applyReaction(applyReaction(started, 'm1', '👍', false, 'ada'), 'm1', '🎉', false, 'ada');
  expect(back[0].reactions).toEqual([{ emoji: '🎉', count: 1, mine: false, names: ['grace'] }]);
});

test('edits are offered for 24 hours, never on tombstones or media without text', () => {
  const now = Date.now();
  const at = (ms: number) => new Date(now - ms).toISOString();
  expect(editable(item({ state: 'sent' }, { sent_at: at(EDIT_WINDOW_MS - 60_000) }), now)).toBe(true);
  expect(editable(item({ state: 'sent' }, { sent_at: at(EDIT_WINDOW_MS + 60_000) }), now)).toBe(false);
  expect(editable(item({ state: 'pending' }, { seq: 0, sent_at: at(EDIT_WINDOW_MS * 2) }), now)).toBe(true);
  expect(editable(item({ state: 'sent' }, { content: null, deleted_at: at(0) }), now)).toBe(false);
  expect(editable(item({ state: 'sent' }, { content: null, media_url: 'https://x.org/a.png' }), now)).toBe(false);
});

test('quotes keep the first 100 characters', () => {
  expect(quoteText('  short  ')).toBe('short');
  expect(quoteText('x'.repeat(120))).toBe(`${'x'.repeat(100)}…`);
  expect(quoteText(null)).toBe('');
});
