// A modal keeps the keyboard inside it: Tab and Shift+Tab cycle through its controls, never to
// the page behind (ConfirmDialog, MediaViewer, ReportDialog); and when it closes, the focus goes
// back to whatever had it before.

const FOCUSABLE = 'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** The Tab stops inside `root`, in order; a radio group is one stop, as the browser makes it. */
function stops(root: HTMLElement): HTMLElement[] {
  const all = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getAttribute('tabindex') !== '-1');
  return all.filter((el) => {
    if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || !el.name) return true;
    const group = all.filter((o): o is HTMLInputElement => o instanceof HTMLInputElement && o.type === 'radio' && o.name === el.name);
    return el === (group.find((r) => r.checked) ?? group[0]);
  });
}

/** Moves focus to the next (or, with Shift, the previous) stop inside `sheet`. */
export function cycleTab(e: KeyboardEvent, sheet: HTMLElement) {
  const f = stops(sheet);
  if (!f.length) return;
  const at = document.activeElement as HTMLElement;
  // A radio other than the group's stop may have the focus (arrow keys move it within the group).
  const i = f.findIndex((el) => el === at || (at instanceof HTMLInputElement && at.type === 'radio' && el instanceof HTMLInputElement && el.name === at.name));
  const next = e.shiftKey ? (i <= 0 ? f.length - 1 : i - 1) : (i + 1) % f.length;
  e.preventDefault();
  f[next]?.focus();
}

/** Remembers what has the focus now; the function returned gives it back (call it on close). */
export function returnFocus(): () => void {
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return () => {
    if (before?.isConnected) before.focus();
  };
}
