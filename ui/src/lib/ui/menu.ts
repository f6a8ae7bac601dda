// A pop-up menu's keyboard and dismissal, as WAI-ARIA's menu pattern has them, for every menu the
// app opens (the React action's emoji, a conversation's context menu): opening puts the focus on
// the first item; the arrows move between items (roving.ts), Home and End to the ends; Escape
// closes it and gives the focus back to what opened it; a press elsewhere, or the focus leaving
// for elsewhere (Tab), closes it and leaves the focus where the user went.
import { rove } from './roving';

export type MenuOptions = {
  /** Called to close it (the owner stops rendering it). */
  onclose: () => void;
  /** What opened it: the focus returns there, and a press on it is not "elsewhere". */
  anchor?: HTMLElement | null;
  /** A grid of this many columns (all four arrows move); else a column whose ends wrap. */
  cols?: number;
};

const ITEMS = '[role="menuitem"], [role="menuitemcheckbox"], [role="menuitemradio"]';

export function menu(node: HTMLElement, options: MenuOptions) {
  let opts = options;
  const items = () => [...node.querySelectorAll<HTMLElement>(ITEMS)];
  const outside = (t: EventTarget | null) => !(t instanceof Node) || (!node.contains(t) && !opts.anchor?.contains(t));
  const close = (refocus: boolean) => {
    opts.onclose();
    if (refocus) opts.anchor?.focus();
  };

  const onkeydown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      // Closing the menu is all this Escape does (not also leaving what holds it).
      e.stopPropagation();
      close(true);
      return;
    }
    rove(e, items(), opts.cols ? { axis: 'grid', cols: opts.cols } : { axis: 'vertical', wrap: true });
  };
  const onfocusout = (e: FocusEvent) => {
    if (e.relatedTarget && outside(e.relatedTarget)) close(false);
  };
  const onpointerdown = (e: PointerEvent) => {
    if (outside(e.target)) close(false);
  };
  // A keyboard's menu key on an item must not open the webview's own menu over this one.
  const oncontextmenu = (e: Event) => e.preventDefault();

  node.addEventListener('keydown', onkeydown);
  node.addEventListener('focusout', onfocusout);
  node.addEventListener('contextmenu', oncontextmenu);
  window.addEventListener('pointerdown', onpointerdown);
  items()[0]?.focus();

  return {
    update(next: MenuOptions) {
      opts = next;
    },
    destroy() {
      node.removeEventListener('keydown', onkeydown);
      node.removeEventListener('focusout', onfocusout);
      node.removeEventListener('contextmenu', oncontextmenu);
      window.removeEventListener('pointerdown', onpointerdown);
    },
  };
}
