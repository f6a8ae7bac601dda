// What an edit, a delete or a reaction does to the messages on screen, applied once the core has
// taken it. The `changed` event re-reads the newest page anyway; these keep older pages (which
// that re-read does not cover) right too. Each is idempotent: applied after the re-read already
// shows it, it changes nothing.
import type { MessageItem, ReactionCount } from '../ipc';

/** A message can be edited this long after it was sent (lodestar-protocol's EDIT_WINDOW_HOURS). */
export const EDIT_WINDOW_MS = 24 * 3_600_000;

/** Whether the Edit action applies: one's own text, not deleted, within the edit window. */
export function editable(item: MessageItem, now = Date.now()): boolean {
  const m = item.message;
  if (m.deleted_at || m.content === null) return false;
  // Not sent yet: the queued send just takes the new text.
  return m.seq === 0 || now - new Date(m.sent_at).getTime() < EDIT_WINDOW_MS;
}

function map(items: readonly MessageItem[], fn: (item: MessageItem) => MessageItem): MessageItem[] {
  let changed = false;
  const out = items.map((it) => {
    const next = fn(it);
    if (next !== it) changed = true;
    return next;
  });
  return changed ? out : (items as MessageItem[]);
}

/** The start of a text as a reply quotes it (as lodestar-client's `preview_text` cuts it). */
export function quoteText(content: string | null): string {
  const chars = [...(content?.trim() ?? '')];
  return chars.length > 100 ? `${chars.slice(0, 100).join('')}…` : chars.join('');
}

export function applyEdit(items: readonly MessageItem[], id: string, content: string, at: string): MessageItem[] {
  return map(items, (it) => {
    if (it.message.message_id === id) {
      if (it.message.content === content) return it;
      // A message still queued is sent with the new text: it was never edited for the others.
      const edited_at = it.message.seq > 0 ? at : it.message.edited_at;
      return { ...it, message: { ...it.message, content, edited_at } };
    }
    if (it.reply?.message_id === id && it.reply.text !== quoteText(content)) {
      return { ...it, reply: { ...it.reply, text: quoteText(content) } };
    }
    return it;
  });
}

export function applyDelete(items: readonly MessageItem[], id: string, at: string): MessageItem[] {
  return map(items, (it) => {
    if (it.message.message_id === id) {
      if (it.message.deleted_at) return it;
      return { ...it, message: { ...it.message, content: null, media_url: null, deleted_at: at }, reactions: [] };
    }
    if (it.reply?.message_id === id && !it.reply.deleted) return { ...it, reply: { ...it.reply, deleted: true, text: '' } };
    return it;
  });
}

/** The user's emoji on (`on`) or off a message; `me` is their username, for the hover text. */
export function applyReaction(
  items: readonly MessageItem[], id: string, emoji: string, on: boolean, me: string | null,
): MessageItem[] {
  return map(items, (it) => {
    if (it.message.message_id !== id) return it;
    const r = it.reactions.find((x) => x.emoji === emoji);
    if ((r?.mine ?? false) === on) return it;
    let reactions: ReactionCount[];
    if (on && r) {
      reactions = it.reactions.map((x) => (x === r ? { ...x, count: x.count + 1, mine: true, names: me ? [...x.names, me] : x.names } : x));
    } else if (on) {
      reactions = [...it.reactions, { emoji, count: 1, mine: true, names: me ? [me] : [] }];
    } else {
      reactions = it.reactions
        .map((x) => (x === r ? { ...x, count: x.count - 1, mine: false, names: x.names.filter((n) => n !== me) } : x))
        .filter((x) => x.count > 0);
    }
    return { ...it, reactions };
  });
}
