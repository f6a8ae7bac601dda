import { commands, type MessageItem } from '../ipc';
import { collapsing } from '../ipc/topics';
import { mergeNewest } from './merge';

export const NEWEST = 50;
export const OLDER_PAGE = 100;

/** The loaded window of one conversation's messages, oldest first. */
export class Timeline {
  // Raw: arrays of thousands of messages are replaced wholesale, never mutated in place, so
  // deep proxies would only cost memory.
  items = $state.raw<MessageItem[]>([]);
  loading = $state(true);
  loadingOlder = $state(false);
  reachedStart = $state(false);
  error = $state<string | null>(null);

  constructor(readonly conversationId: string) {}

  async load() {
    this.loading = true;
    try {
      const items = await commands.messages(this.conversationId, NEWEST);
      this.items = items;
      this.reachedStart = items.length < NEWEST;
      this.error = null;
    } catch (e) {
      this.error = (e as { message?: string })?.message ?? String(e);
    } finally {
      this.loading = false;
    }
  }

  /** Re-queries the newest messages after a change; bursts collapse into one extra query. */
  refresh = collapsing(async () => {
    try {
      const fresh = await commands.messages(this.conversationId, NEWEST);
      const { items, reset } = mergeNewest(this.items, fresh, NEWEST);
      this.items = items;
      if (reset) this.reachedStart = false;
    } catch {
      // Keep what is shown; the next change retries.
    }
  });

  /** Shows a just-queued message before the change event arrives. */
  appendLocal(item: MessageItem) {
    if (this.items.some((m) => m.message.message_id === item.message.message_id)) return;
    this.items = [...this.items, item];
  }

  /** Shows a change the core has taken (an edit, a delete, a reaction: see revise.ts). */
  revise(change: (items: readonly MessageItem[]) => MessageItem[]) {
    this.items = change(this.items);
  }

  /** Loads one page of older history; returns how many messages were added. */
  async loadOlder(limit = OLDER_PAGE): Promise<number> {
    if (this.loadingOlder || this.reachedStart) return 0;
    const oldest = this.items.find((m) => m.message.seq > 0);
    if (!oldest) {
      this.reachedStart = true;
      return 0;
    }
    this.loadingOlder = true;
    try {
      const older = await commands.olderMessages(this.conversationId, oldest.message.seq, limit);
      const firstSeq = this.items.find((m) => m.message.seq > 0)?.message.seq ?? Infinity;
      const add = older.filter((m) => m.message.seq > 0 && m.message.seq < firstSeq);
      if (older.length < limit) this.reachedStart = true;
      if (add.length) this.items = [...add, ...this.items];
      return add.length;
    } catch (e) {
      this.error = (e as { message?: string })?.message ?? String(e);
      return 0;
    } finally {
      this.loadingOlder = false;
    }
  }

  has(messageId: string): boolean {
    return this.items.some((m) => m.message.message_id === messageId);
  }

  /**
   * Loads history until the message is present (search results can be far back). Bounded so a
   * stale hit cannot page through a whole archive.
   */
  async ensureLoaded(messageId: string, maxMessages = 20_000): Promise<boolean> {
    let loaded = 0;
    while (!this.has(messageId) && !this.reachedStart && loaded < maxMessages) {
      while (this.loadingOlder) await new Promise((r) => setTimeout(r, 20));
      const n = await this.loadOlder(500);
      if (n === 0 && !this.reachedStart) break;
      loaded += n;
    }
    return this.has(messageId);
  }
}
