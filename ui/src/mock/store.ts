import type { ConversationItem, MessageItem } from '../lib/ipc/bindings';
import { archiveMessage, type ConvSeed } from './data';

/** One conversation's messages: a generated prefix (maybe 100k long) plus real ones. */
export class ConvStore {
  /** Generated messages changed since (edited, deleted, reacted to), by id. */
  private revised = new Map<string, MessageItem>();

  constructor(public seed: ConvSeed) {}

  /** The index of a generated message, from its id (`<conversation>-a<index>`). */
  private archiveIndex(messageId: string): number | null {
    const m = /-a(\d+)$/.exec(messageId);
    const i = m ? Number(m[1]) : NaN;
    return messageId === `${this.seed.id}-a${i}` && i < this.generated ? i : null;
  }

  private raw(i: number): MessageItem {
    if (i >= this.generated) return this.seed.messages[i - this.generated];
    const made = archiveMessage(i);
    return this.revised.get(made.message.message_id) ?? made;
  }

  /** As the core reads it: with the quote of the message it answers, as that one is now. */
  private present(item: MessageItem): MessageItem {
    const to = item.message.reply_to;
    if (!to) return item;
    const quoted = this.find(to);
    const q = quoted?.message;
    const text = q?.content?.trim() ?? '';
    return {
      ...item,
      reply: {
        message_id: to,
        sender_name: quoted?.sender_name ?? null,
        text: [...text].length > 100 ? `${[...text].slice(0, 100).join('')}…` : text,
        deleted: !!q?.deleted_at,
      },
    };
  }

  get generated(): number {
    return this.seed.generated ?? 0;
  }

  get count(): number {
    return this.generated + this.seed.messages.length;
  }

  at(i: number): MessageItem {
    return this.present(this.raw(i));
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
      const s = this.raw(mid).message.seq;
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
    const a = this.archiveIndex(messageId);
    if (a !== null) return this.raw(a);
    return this.seed.messages.find((m) => m.message.message_id === messageId);
  }

  replace(item: MessageItem) {
    if (this.archiveIndex(item.message.message_id) !== null) {
      this.revised.set(item.message.message_id, item);
      return;
    }
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
