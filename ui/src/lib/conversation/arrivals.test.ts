import { expect, test } from 'vitest';
import { item, ME } from '../../test/fixtures';
import { arrivals, arrivalText, arrivalWords, newestSeq } from './arrivals';

const from = (seq: number, sender: string | null, content: string | null = `m${seq}`, name = 'maya') =>
  item({ state: 'received' }, { message_id: `m${seq}`, seq, sender_id: sender, content }, name);

test('only others’ sent messages above the mark are news', () => {
  const items = [from(1, 'u-maya'), from(2, ME), from(3, 'u-maya'), from(0, 'u-maya'), from(4, null)];
  expect(arrivals(items, 1, ME).map((m) => m.message.seq)).toEqual([3]);
  expect(arrivals(items, 3, ME)).toEqual([]);
  expect(newestSeq(items)).toBe(4);
});

test('a deleted message is not announced', () => {
  const gone = item({ state: 'received' }, { seq: 5, sender_id: 'u-maya', deleted_at: new Date().toISOString() });
  expect(arrivals([gone], 0, ME)).toEqual([]);
});

test('the words: who and a preview, a file by its name, a long text cut', () => {
  expect(arrivalText(from(1, 'u-maya', 'Hello\n  there'))).toBe('New message from maya: Hello there');
  const file = item({ state: 'received' }, { sender_id: 'u-maya', content: null, media_url: 'lodestar-media:x' }, 'maya', {
    attachment: { file_name: 'notes.pdf', size: 10, uploaded: null, path: '/tmp/notes.pdf' },
  });
  expect(arrivalText(file)).toBe('New message from maya: a file, notes.pdf');
  const long = arrivalText(from(1, 'u-maya', 'x'.repeat(300)));
  expect(long.endsWith('…')).toBe(true);
  expect(long.length).toBeLessThan(200);
});

test('a few together are each said; a burst is summed up', () => {
  expect(arrivalWords([])).toBeNull();
  expect(arrivalWords([from(1, 'u-maya', 'a'), from(2, 'u-maya', 'b')])).toBe('New message from maya: a. New message from maya: b');
  const burst = [1, 2, 3, 4, 5].map((n) => from(n, 'u-maya', `n${n}`));
  expect(arrivalWords(burst)).toBe('5 new messages. The newest from maya: n5');
});
