import { expect, test } from 'vitest';
import { item } from '../../test/fixtures';
import { mergeNewest } from './merge';

const m = (seq: number, id = `m${seq}`) => item({ state: 'received' }, { seq, message_id: id });

test('a short answer is the whole conversation', () => {
  expect(mergeNewest([m(1), m(2)], [m(1), m(2), m(3)], 50).items.map((x) => x.message.seq)).toEqual([1, 2, 3]);
});

test('older history is kept below the fresh window; pending becomes sent in place', () => {
  const old = [m(1), m(2), m(3), item({ state: 'pending' }, { seq: 0, message_id: 'p' })];
  const fresh = [m(2), m(3), item({ state: 'sent' }, { seq: 9, message_id: 'p' })];
  const r = mergeNewest(old, fresh, 3);
  expect(r.items.map((x) => x.message.message_id)).toEqual(['m1', 'm2', 'm3', 'p']);
  expect(r.reset).toBe(false);
});

test('no overlap resets rather than showing a hole', () => {
  const r = mergeNewest([m(1), m(2)], [m(10), m(11)], 2);
  expect(r.items.map((x) => x.message.seq)).toEqual([10, 11]);
  expect(r.reset).toBe(true);
});
