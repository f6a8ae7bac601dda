import type { ConversationItem, Message, MessageItem, MessageStatus } from '../lib/ipc';

export const ME = 'u-me';

export function message(p: Partial<Message> = {}): Message {
  return {
    message_id: 'm1', conversation_id: 'c1', sender_id: 'u-other', content: 'hello', media_url: null,
    sent_at: new Date().toISOString(), seq: 1, status: 'delivered', reply_to: null, edited_at: null, deleted_at: null,
    ...p,
  };
}

export function item(
  status: MessageStatus, p: Partial<Message> = {}, sender_name = 'grace', extra: Partial<Pick<MessageItem, 'reply' | 'reactions' | 'attachment'>> = {},
): MessageItem {
  return { message: message(p), sender_name, status, reply: null, reactions: [], attachment: null, ...extra };
}

export function conversation(p: Partial<ConversationItem> & { conversation_id: string }): ConversationItem {
  return {
    kind: 'DIRECT', title: p.conversation_id, avatar_url: null, last_message: null, unread_count: 0, pending_count: 0,
    failed_count: 0, muted: false, next_session: null, ...p,
  };
}
