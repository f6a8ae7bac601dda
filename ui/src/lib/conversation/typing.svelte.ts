// Who is typing where. The core relays the others' `typing` notices (at most one per person
// every 3 s); a notice holds for TYPING_MS, renewed by the next one, and ends early when that
// person's message arrives in that conversation (their new last message, as the list reads it).
import type { ConversationItem, TypingNotice } from '../ipc';

/** How long one notice shows without another. */
export const TYPING_MS = 5_000;

export type Typer = { conversationId: string; userId: string; name: string | null };

/** "maya is typing…", "maya and ben are typing…", "Several people are typing…". */
export function typingText(names: ReadonlyArray<string | null>): string | null {
  if (names.length === 0) return null;
  const [a, b] = names.map((n) => n ?? 'Someone');
  if (names.length === 1) return `${a} is typing…`;
  if (names.length === 2) return `${a} and ${b} are typing…`;
  return 'Several people are typing…';
}

const keyOf = (conversationId: string, userId: string) => `${conversationId} ${userId}`;

class Typing {
  // Replaced wholesale on every change, never mutated in place.
  typers = $state.raw<Typer[]>([]);
  // Not state: timers and the last message seen per conversation only drive `typers`.
  #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #last = new Map<string, string | null>();

  /** A `typing` event: show it (again) for TYPING_MS. */
  notice(n: TypingNotice) {
    const key = keyOf(n.conversation_id, n.user_id);
    clearTimeout(this.#timers.get(key));
    this.#timers.set(key, setTimeout(() => this.stopped(n.conversation_id, n.user_id), TYPING_MS));
    const rest = this.typers.filter((t) => keyOf(t.conversationId, t.userId) !== key);
    this.typers = [...rest, { conversationId: n.conversation_id, userId: n.user_id, name: n.username }];
  }

  /** They stopped: their message arrived, or their notice ran out. */
  stopped(conversationId: string, userId: string) {
    const key = keyOf(conversationId, userId);
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    if (this.typers.some((t) => keyOf(t.conversationId, t.userId) === key)) {
      this.typers = this.typers.filter((t) => keyOf(t.conversationId, t.userId) !== key);
    }
  }

  /**
   * The conversation list as just read: a conversation whose last message is new since the
   * previous read and was sent by someone typing there ends their notice.
   */
  seen(items: readonly ConversationItem[]) {
    for (const c of items) {
      const m = c.last_message;
      const id = m?.message_id ?? null;
      const known = this.#last.has(c.conversation_id);
      const before = this.#last.get(c.conversation_id);
      this.#last.set(c.conversation_id, id);
      if (known && before !== id && m?.sender_id) this.stopped(c.conversation_id, m.sender_id);
    }
  }

  /** Who is typing in one conversation, in the order they started. */
  in(conversationId: string): Typer[] {
    return this.typers.filter((t) => t.conversationId === conversationId);
  }

  /** The sentence for one conversation, or null when nobody is typing there. */
  text(conversationId: string): string | null {
    return typingText(this.in(conversationId).map((t) => t.name));
  }

  /** Signed out: forget everything. */
  clear() {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    this.#last.clear();
    this.typers = [];
  }
}

export const typing = new Typing();
