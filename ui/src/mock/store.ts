import type { ConversationItem, MessageItem } from '../lib/ipc/bindings';
import { archiveMessage, type ConvSeed } from './data';

/** One conversation's messages: a generated prefix (maybe 100k long) plus real ones. */
export class ConvStore {
  constructor(public seed: ConvSeed) {}

  get generated(): number {
    return this.seed.generated ?? 0;
  }

  get count(): number {
    return this.generated + this.seed.messages.length;
  }

  at(i: number): MessageItem {
    return i < this.generated ? archiveMessage(i) : this.seed.messages[i - this.generated];
  }

  /** Sent messages sorted by seq come first; pending (seq 0) ones stay at the end. */
  newest(limit: number): MessageItem[] {
    const out: MessageItem[] = [];
    for (let i = Math.max(0, this.count - limit); i < this.count; i++) out.push(this.at(i));
    return out;
  }

  older(beforeSeq: number, limit: number): MessageItem[] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.at(mid).message.seq;
      if (s > 0 && s < beforeSeq) lo = mid + 1;
      else hi = mid;
    }
    const out: MessageItem[] = [];
    for (let i = Math.max(0, lo - limit); i < lo; i++) out.push(this.at(i));
    return out;
  }

  last(): MessageItem | null {
    return this.count ? this.at(this.count - 1) : null;
  }

  find(messageId: string): MessageItem | undefined {
    return this.seed.messages.find((m) => m.message.message_id === messageId);
  }

  replace(item: MessageItem) {
    const i = this.seed.messages.findIndex((m) => m.message.message_id === item.message.message_id);
    if (i >= 0) this.seed.messages[i] = item;
    // Keep sent ones in seq order ahead of pending ones, as the core does.
    this.seed.messages.sort((a, b) => (a.message.seq || Infinity) - (b.message.seq || Infinity));
  }

  view(): ConversationItem {
    const own = this.seed.messages.filter((m) => m.message.sender_id !== null);
    return {
      conversation_id: this.seed.id,
      kind: this.seed.kind,
      title: this.seed.title,
      avatar_url: null,
      last_message: this.last()?.message ?? null,
      unread_count: this.seed.unread,
      pending_count: own.filter((m) => m.status.state === 'pending' || m.status.state === 'sending').length,
      failed_count: own.filter((m) => m.status.state === 'failed').length,
      muted: this.seed.muted,
      next_session: this.seed.nextSession ?? null,
    };
  }
}
