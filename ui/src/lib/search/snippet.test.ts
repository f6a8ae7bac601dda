import { render } from '@testing-library/svelte';
import { expect, test } from 'vitest';
import { snippetSegments } from './snippet';
import SnippetProbe from './SnippetProbe.test.svelte';

test('splits the bracketed match out', () => {
  expect(snippetSegments('…about [rust] today')).toEqual([
    { text: '…about ', mark: false },
    { text: 'rust', mark: true },
    { text: ' today', mark: false },
  ]);
  expect(snippetSegments('no match')).toEqual([{ text: 'no match', mark: false }]);
});

test('markup in messages is never interpreted', () => {
  const segs = snippetSegments('<img src=x onerror=alert(1)> [<b>]');
  const { container } = render(SnippetProbe, { segs });
  expect(container.querySelector('img')).toBeNull();
  expect(container.querySelector('mark')?.textContent).toBe('<b>');
});
