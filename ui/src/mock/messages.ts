// Richer messages in the fake backend: edits, deletes, reactions and typing, with the core's
// rules and events (each applies at once, offline too, and says `changed` for messages), plus
// what the browser tests use to play the other person: typing, and a message arriving.
import { emit } from '@tauri-apps/api/event';
import type { ErrorCode, IpcError, MessageItem, ReactionCount, TypingNotice } from '../lib/ipc/bindings';
import { ME, userById } from './data';
import type { ConvStore } from './store';

type Args = Record<string, unknown>;
const fail = (code: ErrorCode, message: string = code, fields: Record<string, string> = {}): never => {
  throw { code, message, fields } satisfies IpcError;
};
const EDIT_WINDOW_MS = 24 * 3_600_000;
const myName = () => userById(ME)?.username ?? 'ada';

export function createMessages(convs: Map<string, ConvStore>, changed: (convId: string) => void, nextSeq: () => number) {
  /** The message and its conversation, wherever it is. */
  function locate(messageId: unknown): { store: ConvStore; item: MessageItem } {
    for (const store of convs.values()) {
      const item = store.find(String(messageId));
      if (item) return { store, item };
    }
    return fail('not_found', 'no such message');
  }

  function revise(store: ConvStore, item: MessageItem, message: Partial<MessageItem['message']>, reactions = item.reactions) {
    store.replace({ ...item, message: { ...item.message, ...message }, reactions });
    changed(store.seed.id);
  }

  function react(item: MessageItem, username: string, emoji: string, on: boolean, mine: boolean): ReactionCount[] {
    const r = item.reactions.find((x) => x.emoji === emoji);
    const has = r?.names.includes(username) ?? false;
    if (has === on) return item.reactions;
    if (on && r) return item.reactions.map((x) => (x === r ? { ...x, count: x.count + 1, mine: x.mine || mine, names: [...x.names, username] } : x));
    if (on) return [...item.reactions, { emoji, count: 1, mine, names: [username] }];
    return item.reactions
      .map((x) => (x === r ? { ...x, count: x.count - 1, mine: mine ? false : x.mine, names: x.names.filter((n) => n !== username) } : x))
      .filter((x) => x.count > 0);
  }

  function handle(cmd: string, a: Args): unknown {
    switch (cmd) {
      case 'edit_message': {
        const { store, item } = locate(a.messageId);
        const content = String(a.content ?? '');
        if (!content.trim()) fail('validation_failed', 'empty', { content: 'required' });
        if (content.length > 10_000) fail('validation_failed', 'too long', { content: 'too_long' });
        if (item.message.sender_id !== ME) fail('forbidden', 'only the person who sent this message may do that');
        if (item.message.deleted_at) fail('conflict', 'this message was deleted');
        const sent = item.message.seq > 0;
        if (sent && Date.now() - new Date(item.message.sent_at).getTime() > EDIT_WINDOW_MS) {
          fail('forbidden', 'a message can be edited for 24 hours after it was sent');
        }
        // A message still queued is sent with the new text: not an edit for the others.
        revise(store, item, { content, edited_at: sent ? new Date().toISOString() : item.message.edited_at });
        return null;
      }
      case 'delete_message': {
        const { store, item } = locate(a.messageId);
        if (item.message.deleted_at) return null;
        const role = store.seed.roles?.[ME];
        if (item.message.sender_id !== ME && role !== 'owner' && role !== 'admin') {
          fail('forbidden', 'only the person who sent this message may do that');
        }
        revise(store, item, { content: null, media_url: null, deleted_at: new Date().toISOString() }, []);
        return null;
      }
      case 'react': {
        const emoji = String(a.emoji ?? '');
        // Roughly the core's rule: one pictograph (with its modifiers), nothing else.
        if (!/^\p{Extended_Pictographic}(?:\ufe0f|\p{Emoji_Modifier}|\u200d\p{Extended_Pictographic})*$/u.test(emoji)) {
          fail('validation_failed', 'not an emoji', { emoji: 'not_an_emoji' });
        }
        const { store, item } = locate(a.messageId);
        if (item.message.deleted_at) fail('conflict', 'this message was deleted');
        revise(store, item, {}, react(item, myName(), emoji, Boolean(a.on), true));
        return null;
      }
      case 'typing':
        // Told to the others, who are not here.
        return null;
      default:
        return undefined;
    }
  }

  /** Someone else's message arrives: stored, unread, and said. Answers its id. */
  function arrive(
    conversationId: string,
    userId: string,
    m: { content?: string | null; mediaUrl?: string | null; replyTo?: string | null },
  ): string {
    const store = convs.get(conversationId) ?? fail('not_found', 'no such conversation');
    const id = `${conversationId}-in-${crypto.randomUUID()}`;
    store.seed.messages.push({
      message: {
        message_id: id, conversation_id: conversationId, sender_id: userId, content: m.content ?? null, media_url: m.mediaUrl ?? null,
        sent_at: new Date().toISOString(), seq: nextSeq(), status: 'delivered',
        reply_to: m.replyTo ?? null, edited_at: null, deleted_at: null,
      },
      sender_name: userById(userId)?.username ?? null,
      status: { state: 'received' },
      reply: null,
      reactions: [],
      attachment: null,
    });
    store.replace(store.seed.messages[store.seed.messages.length - 1]);
    store.seed.unread += 1;
    changed(conversationId);
    return id;
  }

  /** The other side, for tests and demos (`window.__lodestarMock`). */
  const simulate = {
    /** Someone starts (or keeps) typing in a conversation. */
    typing(conversationId: string, userId: string) {
      void emit('typing', { conversation_id: conversationId, user_id: userId, username: userById(userId)?.username ?? null } satisfies TypingNotice);
    },
    /** Someone's message arrives. */
    receive(conversationId: string, userId: string, content: string, replyTo: string | null = null) {
      return arrive(conversationId, userId, { content, replyTo });
    },
    /** Someone reacts to a message. */
    react(messageId: string, userId: string, emoji: string, on = true) {
      const { store, item } = locate(messageId);
      revise(store, item, {}, react(item, userById(userId)?.username ?? userId, emoji, on, false));
    },
  };

  return { handle, simulate, arrive };
}
