// Tab and Shift+Tab cycle through a modal's enabled buttons: focus never leaves it for the page
// behind (ConfirmDialog, MediaViewer).

/** Moves focus to the next (or, with Shift, the previous) enabled button inside `sheet`. */
export function cycleTab(e: KeyboardEvent, sheet: HTMLElement) {
  const f = [...sheet.querySelectorAll<HTMLElement>('button:not(:disabled)')];
  const i = f.indexOf(document.activeElement as HTMLElement);
  const next = e.shiftKey ? (i <= 0 ? f.length - 1 : i - 1) : (i + 1) % f.length;
  e.preventDefault();
  f[next]?.focus();
}
