import { afterEach, describe, expect, it, vi } from 'vitest';
import { presence } from './presence.svelte';

function showWindow(state: 'visible' | 'hidden', focus: boolean) {
  vi.spyOn(document, 'visibilityState', 'get').mockReturnValue(state);
  vi.spyOn(document, 'hasFocus').mockReturnValue(focus);
}

describe('presence', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sees a window shown and focused before tracking started', () => {
    showWindow('hidden', false);
    presence.visible = false;
    presence.focused = false;
    // Shown and focused with no listener yet (the page loads while the window is hidden).
    showWindow('visible', true);
    const stop = presence.track();
    expect(presence.seen).toBe(true);
    stop();
  });

  it('follows the window hiding, losing focus and coming back', () => {
    showWindow('visible', true);
    const stop = presence.track();
    expect(presence.seen).toBe(true);
    window.dispatchEvent(new Event('blur'));
    expect(presence.seen).toBe(false);
    window.dispatchEvent(new Event('focus'));
    showWindow('hidden', true);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(presence.seen).toBe(false);
    showWindow('visible', true);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(presence.seen).toBe(true);
    stop();
  });
});
