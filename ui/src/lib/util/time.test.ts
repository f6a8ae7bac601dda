import { expect, test } from 'vitest';
import { dayLabel, listTime } from './time';

const now = new Date(2025, 5, 18, 15, 0); // a Wednesday

test('list times: today is a clock, this week a weekday, else a date', () => {
  expect(listTime(new Date(2025, 5, 18, 9, 5).toISOString(), now)).toBe('09:05');
  expect(listTime(new Date(2025, 5, 16, 9, 5).toISOString(), now)).toBe(new Date(2025, 5, 16).toLocaleDateString(undefined, { weekday: 'short' }));
  expect(listTime(new Date(2025, 0, 2).toISOString(), now)).toBe(new Date(2025, 0, 2).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }));
});

test('day separators', () => {
  expect(dayLabel(new Date(2025, 5, 18, 1).toISOString(), now)).toBe('Today');
  expect(dayLabel(new Date(2025, 5, 17, 23).toISOString(), now)).toBe('Yesterday');
});
