import { render } from '@testing-library/svelte';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import Announcer from './Announcer.svelte';
import { announcer } from './announcer.svelte';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function region() {
  const { container } = render(Announcer);
  return container.querySelector('[data-announcer]')!;
}

test('one polite region; words arrive after it was emptied, and leave again', async () => {
  const el = region();
  expect(el).toHaveAttribute('aria-live', 'polite');
  expect(el).toHaveClass('visually-hidden');
  announcer.say('New message from maya: hi');
  await vi.advanceTimersByTimeAsync(0);
  expect(el).toHaveTextContent('');
  await vi.advanceTimersByTimeAsync(150);
  expect(el).toHaveTextContent('New message from maya: hi');
  await vi.advanceTimersByTimeAsync(8_000);
  expect(el).toHaveTextContent('');
});

test('words said in the same moment are said together; the same words again are said again', async () => {
  const el = region();
  announcer.say('one.');
  announcer.say('two.');
  await vi.advanceTimersByTimeAsync(150);
  expect(el).toHaveTextContent('one. two.');
  announcer.say('two.');
  await vi.advanceTimersByTimeAsync(0);
  expect(el).toHaveTextContent('');
  await vi.advanceTimersByTimeAsync(150);
  expect(el).toHaveTextContent('two.');
});
