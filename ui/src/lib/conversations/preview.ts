import type { ConversationItem } from '../ipc';

export function previewText(c: ConversationItem, myUserId: string | null): string {
  const m = c.last_message;
  if (!m) return 'No messages yet';
  if (m.deleted_at) return 'This message was deleted';
  const body = m.content?.trim()
    ? m.content.trim().split('\n')[0]
    : m.media_url
      ? '📎 Media'
      : '';
  const own = myUserId !== null && m.sender_id === myUserId;
  return own ? `You: ${body}` : body;
}
