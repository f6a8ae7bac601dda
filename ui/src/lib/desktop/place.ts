// Where the user was: the open conversation and the message at the top of its view, kept by the
// core (`rememberView`) so the next start opens the same place (`restore`, called by the Shell).
import { nav } from '../app/nav.svelte';
import { conversations } from '../conversations/conversations.svelte';
import { commands, type LastView } from '../ipc';
import { debounce } from '../util/debounce';

/** How long scrolling must pause before the place is written (a scroll fires per frame). */
const SETTLE_MS = 1000;

// What the core holds, as far as this window knows: an unchanged place is not written again.
let held: LastView | null = null;

function write(view: LastView) {
  if (held && held.conversation_id === view.conversation_id && held.anchor === view.anchor) return;
  held = view;
  commands.rememberView(view).catch(() => {
    // Best effort: the worst case is opening at the newest message next time.
    held = null;
  });
}

const settled = debounce(write, SETTLE_MS);

/**
 * A conversation was opened: remembered at once, at its newest message, unless it is the one the
 * core already holds (a restore reopens it and then scrolls back to the anchor).
 */
export function opened(conversationId: string) {
  settled.cancel();
  if (held?.conversation_id === conversationId) return;
  write({ conversation_id: conversationId, anchor: null });
}

/** The list was scrolled: `anchor` is the message at the top of the view, null at the newest. */
export function scrolled(conversationId: string, anchor: string | null) {
  settled({ conversation_id: conversationId, anchor });
}

/** Opens where the user was when the window last closed, if that conversation still exists. */
export async function restore(): Promise<void> {
  let view: LastView;
  try {
    view = await commands.lastView();
  } catch {
    return;
  }
  held = view;
  const id = view.conversation_id;
  // The user may have opened something while this was read; theirs wins.
  if (!id || !conversations.byId(id) || nav.view !== 'chats' || nav.conversationId !== null) return;
  nav.open(id, view.anchor ?? undefined, true);
}
