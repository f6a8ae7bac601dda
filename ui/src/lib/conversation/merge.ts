import type { MessageItem } from '../ipc';

/**
 * Folds a fresh "newest N" query into a timeline that may hold older history too. Server seqs
 * are global, not per conversation, so a gap between the two cannot be detected; when they do
 * not overlap we drop the older history (it reloads on scroll) rather than show a hole.
 */
export function mergeNewest(
  old: readonly MessageItem[],
  fresh: readonly MessageItem[],
  limit: number,
): { items: MessageItem[]; reset: boolean } {
  if (fresh.length < limit) return { items: [...fresh], reset: false };
  const firstSent = fresh.find((m) => m.message.seq > 0);
  if (!firstSent) {
    const sentOld = old.filter((m) => m.message.seq > 0);
    return { items: [...sentOld, ...fresh], reset: false };
  }
  const minSeq = firstSent.message.seq;
  const overlaps = old.some((m) => m.message.seq >= minSeq);
  if (!overlaps) return { items: [...fresh], reset: true };
  const ids = new Set(fresh.map((m) => m.message.message_id));
  const keep = old.filter((m) => m.message.seq > 0 && m.message.seq < minSeq && !ids.has(m.message.message_id));
  return { items: [...keep, ...fresh], reset: false };
}
