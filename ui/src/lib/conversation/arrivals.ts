// Which messages of the open conversation are news to announce: someone else's, sent (a seq the
// server gave), and newer than what the view has shown. Older pages, edits, reactions, receipts
// and the user's own messages are not news.
import type { MessageItem } from '../ipc';

/** Longest preview read out; the rest is one keystroke away in the list. */
const PREVIEW_CHARS = 140;
/** More at once than this (a reconnection's catch-up) is summed up, not read out one by one. */
const ONE_BY_ONE = 3;

/** The newest seq in `items` (0 when none is sent yet). */
export function newestSeq(items: readonly MessageItem[]): number {
  let seq = 0;
  for (const it of items) seq = Math.max(seq, it.message.seq);
  return seq;
}

/** Messages from others with a seq above `afterSeq`, in list order. */
export function arrivals(items: readonly MessageItem[], afterSeq: number, myUserId: string | null): MessageItem[] {
  return items.filter((it) => {
    const m = it.message;
    return m.seq > afterSeq && m.sender_id !== null && m.sender_id !== myUserId && m.deleted_at === null;
  });
}

/** "from maya: <preview>" */
function fromWho(item: MessageItem): string {
  const who = item.sender_name ?? 'someone';
  const text = item.message.content?.trim().replace(/\s+/g, ' ') ?? '';
  if (!text) return `from ${who}: ${item.attachment?.file_name ? `a file, ${item.attachment.file_name}` : 'a file'}`;
  const chars = [...text];
  return `from ${who}: ${chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('')}…` : text}`;
}

/** "New message from maya: <preview>" */
export function arrivalText(item: MessageItem): string {
  return `New message ${fromWho(item)}`;
}

/** What to say for messages that arrived together, or null for none. */
export function arrivalWords(fresh: readonly MessageItem[]): string | null {
  if (fresh.length === 0) return null;
  if (fresh.length <= ONE_BY_ONE) return fresh.map(arrivalText).join('. ');
  return `${fresh.length} new messages. The newest ${fromWho(fresh[fresh.length - 1])}`;
}
