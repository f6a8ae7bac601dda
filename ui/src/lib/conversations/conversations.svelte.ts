import { typing } from '../conversation/typing.svelte';
import { commands, type ConversationItem } from '../ipc';
import { collapsing } from '../ipc/topics';
import { sortConversations } from './sort';

class Conversations {
  items = $state<ConversationItem[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);

  sorted = $derived(sortConversations(this.items));
  /** Muted conversations do not count towards the window title. */
  unreadTotal = $derived(
    this.items.reduce((n, c) => n + (c.muted ? 0 : c.unread_count), 0),
  );

  /** Re-queries the list; bursts of calls collapse into at most one extra query. */
  refresh = collapsing(async () => {
    try {
      this.items = await commands.conversations();
      this.error = null;
      // A typer's message arriving ends their "is typing…".
      typing.seen(this.items);
    } catch (e) {
      this.error = String((e as { message?: string })?.message ?? e);
    }
    this.loaded = true;
  });

  byId(id: string | null): ConversationItem | undefined {
    return id ? this.items.find((c) => c.conversation_id === id) : undefined;
  }

  /** Optimistic local flip so the icon changes at once; the next refresh confirms it. */
  setMutedLocally(id: string, muted: boolean) {
    this.items = this.items.map((c) => (c.conversation_id === id ? { ...c, muted } : c));
  }

  clear() {
    this.items = [];
    this.loaded = false;
  }
}

export const conversations = new Conversations();
