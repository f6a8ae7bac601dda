import type { ConversationItem } from '../ipc';

/** Most recent first by last message; conversations with no messages go last, by title. */
export function sortConversations(items: readonly ConversationItem[]): ConversationItem[] {
  const time = (c: ConversationItem) =>
    c.last_message ? Date.parse(c.last_message.sent_at) || 0 : -Infinity;
  return [...items].sort((a, b) => {
    const d = time(b) - time(a);
    if (d !== 0 && !Number.isNaN(d)) return d;
    if (time(a) === time(b)) return a.title.localeCompare(b.title);
    return 0;
  });
}
