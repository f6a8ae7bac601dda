import { expect, test } from 'vitest';
import { step } from './roving';

test('a column: Up/Down move and stop at the ends, Home/End jump, other keys are not moves', () => {
  const col = { axis: 'vertical' } as const;
  expect(step('ArrowDown', 1, 4, col)).toBe(2);
  expect(step('ArrowUp', 0, 4, col)).toBe(0);
  expect(step('ArrowDown', 3, 4, col)).toBe(3);
  expect(step('Home', 2, 4, col)).toBe(0);
  expect(step('End', 0, 4, col)).toBe(3);
  expect(step('ArrowRight', 1, 4, col)).toBeNull();
  expect(step('Enter', 1, 4, col)).toBeNull();
  expect(step('ArrowDown', 0, 0, col)).toBeNull();
});

test('a row that wraps (tab lists, menus): past the last comes the first', () => {
  const row = { axis: 'horizontal', wrap: true } as const;
  expect(step('ArrowRight', 2, 3, row)).toBe(0);
  expect(step('ArrowLeft', 0, 3, row)).toBe(2);
  expect(step('ArrowDown', 0, 3, row)).toBeNull();
});

test('a grid: Left/Right by one, Up/Down by a row, held inside', () => {
  const grid = { axis: 'grid', cols: 8 } as const;
  expect(step('ArrowDown', 1, 20, grid)).toBe(9);
  expect(step('ArrowUp', 9, 20, grid)).toBe(1);
  expect(step('ArrowUp', 3, 20, grid)).toBe(0);
  expect(step('ArrowDown', 15, 20, grid)).toBe(19);
  expect(step('ArrowRight', 19, 20, grid)).toBe(19);
});
