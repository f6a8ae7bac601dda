// A roving cursor (WAI-ARIA's "roving tabindex"): a group of items is one Tab stop and the arrow
// keys move between them. Which key goes where is written once, here, for every such group: the
// message list (VirtualList), the conversation list, tab lists (tabs.ts) and menus (menu.ts).

export type Rove = {
  /** Which arrows move: Up/Down, Left/Right, or both in a grid of `cols` columns. */
  axis: 'vertical' | 'horizontal' | 'grid';
  /** Past the last item comes the first again (and before the first, the last). */
  wrap?: boolean;
  cols?: number;
};

/** Where `key` takes the cursor from item `i` of `n`; null when the key is not a move. */
export function step(key: string, i: number, n: number, { axis, wrap = false, cols = 1 }: Rove): number | null {
  if (n === 0) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return n - 1;
  const across = axis === 'vertical' ? {} : { ArrowLeft: -1, ArrowRight: 1 };
  const down = axis === 'horizontal' ? {} : { ArrowUp: -cols, ArrowDown: cols };
  const delta = ({ ...across, ...down } as Record<string, number>)[key];
  if (delta === undefined) return null;
  const to = i + delta;
  return wrap ? ((to % n) + n) % n : Math.max(0, Math.min(n - 1, to));
}

/**
 * Moves the focus among `items` for a key press with no modifier: focuses the item the key leads
 * to and answers it (null, and the event untouched, when the key is not a move).
 */
export function rove(e: KeyboardEvent, items: readonly HTMLElement[], how: Rove): HTMLElement | null {
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const now = document.activeElement;
  const at = items.findIndex((el) => el.contains(now) || el.contains(e.target as Node));
  const to = at < 0 ? null : step(e.key, at, items.length, how);
  if (to === null) return null;
  e.preventDefault();
  items[to].focus();
  return items[to];
}
