//! What the UI and the CLI read: the conversation list, and a page of messages with their status
//! and read receipts (search is in `search`). Everything comes from the replica, so it works
//! offline and unread counts agree with the server after a sync.

use chrono::{DateTime, Utc};
use lodestar_protocol::{ConversationType, DeliveryStatus, Message};
use uuid::Uuid;

use super::Replica;
use crate::error::{ClientError, ClientResult};

/// A row of the conversation list.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConversationItem {
    /// The conversation.
    pub conversation_id: Uuid,
    /// Direct or group.
    pub kind: ConversationType,
    /// The other person's username, or the group's name.
    pub title: String,
    /// The other person's picture, for a direct conversation.
    pub avatar_url: Option<String>,
    /// The newest message, pending ones included.
    pub last_message: Option<Message>,
    /// Messages from others not read by the user.
    pub unread_count: i64,
    /// The user's messages waiting to be sent.
    pub pending_count: i64,
    /// The user's messages the server refused.
    pub failed_count: i64,
    /// Muted: no notifications.
    pub muted: bool,
    /// For a mentor's and mentee's conversation: when their next session starts (not
    /// cancelled, not over), shown beside the name.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub next_session: Option<DateTime<Utc>>,
}

/// Where a message stands, as its sender sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum MessageStatus {
    /// Someone else's message.
    Received,
    /// Queued, not yet sent.
    Pending,
    /// Being sent.
    Sending,
    /// Refused by the server; retryable.
    Failed {
        /// The server's reason.
        reason: String,
    },
    /// The server has it; nobody has read it yet.
    Sent,
    /// Held for review by the program's coordinators (it carries contact details between a
    /// minor and an adult): the other person has not received it.
    Held {
        /// `email`, `phone` or `link`.
        reason: String,
    },
    /// The program's coordinators refused it: it was never delivered.
    Rejected,
    /// Read by `read_by` of the `of` other participants.
    Read {
        /// How many have read it.
        read_by: i64,
        /// How many others could.
        of: i64,
    },
}

/// How a deleted account's messages and conversation are named.
pub const DELETED_ACCOUNT: &str = "a deleted account";

/// What a held message's reason code means, as the end of "it contains …".
pub fn held_words(reason: &str) -> &'static str {
    match reason {
        "email" => "an email address",
        "phone" => "a phone number",
        "link" => "a link",
        _ => "contact details",
    }
}

/// A message as the conversation view shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MessageItem {
    /// The message; `seq` is 0 while it waits in the outbox.
    pub message: Message,
    /// The sender's username, when the replica knows it.
    pub sender_name: Option<String>,
    /// Its state.
    pub status: MessageStatus,
    /// The message it answers, quoted.
    pub reply: Option<ReplyPreview>,
    /// Everyone's reactions, each emoji once.
    pub reactions: Vec<super::ReactionCount>,
    /// The file attached from this device, while and after it uploads.
    pub attachment: Option<AttachmentView>,
}

/// A file attached from this device, as its message shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AttachmentView {
    /// The file's name.
    pub file_name: String,
    /// Bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: i64,
    /// Bytes the server has taken, while it uploads.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub uploaded: Option<i64>,
    /// The private copy on this device.
    pub path: String,
}

/// The message a reply answers, as quoted above it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReplyPreview {
    /// The message answered (to jump to).
    pub message_id: Uuid,
    /// Its sender's username, when the replica knows it.
    pub sender_name: Option<String>,
    /// The start of its text ("" when it has none, e.g. deleted or not synced yet).
    pub text: String,
    /// Whether it was deleted.
    pub deleted: bool,
}

/// A `messages` row as [`MESSAGE_COLUMNS`] reads it.
#[derive(sqlx::FromRow)]
struct MessageRow {
    message_id: Uuid,
    conversation_id: Uuid,
    sender_id: Option<Uuid>,
    content: Option<String>,
    media_url: Option<String>,
    sent_at: DateTime<Utc>,
    /// NULL while it waits in the outbox.
    seq: Option<i64>,
    status: String,
    held_reason: Option<String>,
    reply_to: Option<Uuid>,
    edited_at: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
}

impl From<MessageRow> for Message {
    fn from(r: MessageRow) -> Self {
        Message {
            message_id: r.message_id,
            conversation_id: r.conversation_id,
            sender_id: r.sender_id,
            content: r.content,
            media_url: r.media_url,
            sent_at: r.sent_at,
            seq: r.seq.unwrap_or(0),
            status: DeliveryStatus::parse(&r.status).unwrap_or_default(),
            held_reason: r.held_reason,
            reply_to: r.reply_to,
            edited_at: r.edited_at,
            deleted_at: r.deleted_at,
        }
    }
}

/// A message of the conversation view with what its state is read from.
#[derive(sqlx::FromRow)]
struct ItemRow {
    #[sqlx(flatten)]
    message: MessageRow,
    username: Option<String>,
    /// The outbox entry's state and error, while it waits or failed.
    state: Option<String>,
    last_error: Option<String>,
    /// How many others have read it.
    read_by: i64,
    /// The message it answers: its text, deletion and sender's name.
    reply_content: Option<String>,
    reply_deleted: Option<bool>,
    reply_sender: Option<String>,
    /// The file attached here, if it was.
    upload_id: Option<Uuid>,
    file_name: Option<String>,
    file_size: Option<i64>,
    file_path: Option<String>,
}

const MESSAGE_COLUMNS: &str = "m.message_id, m.conversation_id, m.sender_id, m.content, \
     m.media_url, m.sent_at, m.seq, m.status, m.held_reason, m.reply_to, m.edited_at, m.deleted_at";

/// Everyone in a conversation (`$1`): direct participants or group members.
const PARTICIPANTS: &str = "SELECT user_id FROM direct_conversation_participants WHERE conversation_id = $1 \
     UNION SELECT gm.user_id FROM conversations c JOIN group_members gm ON gm.group_id = c.group_id \
     WHERE c.conversation_id = $1";

impl Replica {
    /// The conversation list, most recent activity first.
    pub async fn conversations(&self, me: Uuid) -> ClientResult<Vec<ConversationItem>> {
        let pool = self.pool();
        let rows: Vec<(Uuid, String, Option<Uuid>, DateTime<Utc>)> =
            // A blocked person's direct conversation stays in the replica, hidden until unblocked.
            sqlx::query_as(
                "SELECT conversation_id, type, group_id, created_at FROM conversations c \
                 WHERE NOT EXISTS (SELECT 1 FROM direct_conversation_participants p \
                 JOIN blocks b ON b.user_id = p.user_id WHERE p.conversation_id = c.conversation_id)",
            )
            .fetch_all(pool)
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for (conversation_id, kind, group_id, created_at) in rows {
            let kind = ConversationType::parse(&kind)
                .ok_or_else(|| ClientError::Corrupt(format!("conversation type {kind}")))?;
            let named: Option<(String, Option<String>)> = match kind {
                ConversationType::Group => sqlx::query_as("SELECT group_name, NULL FROM groups WHERE group_id = $1")
                    .bind(group_id)
                    .fetch_optional(pool)
                    .await?,
                ConversationType::Direct => sqlx::query_as(
                    "SELECT u.username, u.profile_picture_url FROM direct_conversation_participants p \
                     JOIN users u ON u.user_id = p.user_id WHERE p.conversation_id = $1 AND p.user_id <> $2",
                )
                .bind(conversation_id)
                .bind(me)
                .fetch_optional(pool)
                .await?,
            };
            // The newest message: one still in the outbox, else the newest the server has. Two
            // walks of the (conversation, seq) index, each stopping at its first row; ordering by
            // `seq IS NULL` first sorted the whole conversation (1.6 s over a million).
            let last: Option<MessageRow> = sqlx::query_as(&format!(
                "SELECT * FROM (SELECT {MESSAGE_COLUMNS}, 0 AS pending_last FROM messages m \
                 WHERE m.conversation_id = $1 AND m.seq IS NULL ORDER BY m.rowid DESC LIMIT 1) \
                 UNION ALL SELECT * FROM (SELECT {MESSAGE_COLUMNS}, 1 FROM messages m \
                 WHERE m.conversation_id = $1 AND m.seq IS NOT NULL ORDER BY m.seq DESC LIMIT 1) \
                 ORDER BY pending_last LIMIT 1"
            ))
            .bind(conversation_id)
            .fetch_optional(pool)
            .await?;
            let (unread_count, pending_count, failed_count): (i64, i64, i64) = sqlx::query_as(
                // The unread count is kept by triggers (migration 0014): counting it here read
                // every message of the replica. The outbox (small) drives the other two counts
                // (`CROSS JOIN` keeps SQLite from walking the conversation's messages instead).
                "SELECT \
                 coalesce((SELECT n FROM unread_counts WHERE conversation_id = $1), 0), \
                 (SELECT count(*) FROM outbox o CROSS JOIN messages p ON o.subject = 'message' AND o.subject_id = p.message_id \
                  WHERE p.conversation_id = $1 AND o.state IN ('pending', 'sending')), \
                 (SELECT count(*) FROM outbox o CROSS JOIN messages p ON o.subject = 'message' AND o.subject_id = p.message_id \
                  WHERE p.conversation_id = $1 AND o.state IN ('failed', 'blocked'))",
            )
            .bind(conversation_id)
            .fetch_one(pool)
            .await?;
            // A direct conversation whose other person is gone: their account was deleted.
            let fallback = match kind {
                ConversationType::Direct => DELETED_ACCOUNT,
                ConversationType::Group => "(unknown)",
            };
            let (title, avatar_url) = named.unwrap_or_else(|| (fallback.to_owned(), None));
            items.push((
                created_at,
                ConversationItem {
                    conversation_id,
                    kind,
                    title,
                    avatar_url,
                    last_message: last.map(Message::from),
                    unread_count,
                    pending_count,
                    failed_count,
                    muted: self.is_muted(conversation_id).await?,
                    next_session: None,
                },
            ));
        }
        let activity = |(created, item): &(DateTime<Utc>, ConversationItem)| {
            item.last_message.as_ref().map_or(*created, |m| m.sent_at.max(*created))
        };
        items.sort_by_key(|item| std::cmp::Reverse(activity(item)));
        let next = self.next_session_by_conversation(Utc::now()).await?;
        for (_, item) in &mut items {
            item.next_session = next.get(&item.conversation_id).copied();
        }
        Ok(items.into_iter().map(|(_, item)| item).collect())
    }

    /// The newest `limit` messages of a conversation older than `before` (a seq), oldest first;
    /// without `before`, the messages still in the outbox come last. One query: the sender's
    /// name, the outbox state and the read count come joined in.
    pub async fn messages(
        &self,
        me: Uuid,
        conversation_id: Uuid,
        before: Option<i64>,
        limit: i64,
    ) -> ClientResult<Vec<MessageItem>> {
        let pool = self.pool();
        let others: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM ({PARTICIPANTS}) p WHERE p.user_id <> $2"
        ))
        .bind(conversation_id)
        .bind(me)
        .fetch_one(pool)
        .await?;
        // Confirmed messages (newest `limit` before `before`), then the pending ones.
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS}, u.username, o.state, o.last_error, \
             (SELECT count(*) FROM message_read_status r WHERE r.message_id = m.message_id AND r.user_id <> $4) AS read_by, \
             q.content AS reply_content, q.deleted_at IS NOT NULL AS reply_deleted, qu.username AS reply_sender, \
             a.upload_id, a.file_name, a.size AS file_size, a.path AS file_path \
             FROM (SELECT * FROM (SELECT rowid AS rid, * FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3) \
                   UNION ALL SELECT rowid AS rid, * FROM messages WHERE conversation_id = $1 AND seq IS NULL AND $5) m \
             LEFT JOIN users u ON u.user_id = m.sender_id \
             LEFT JOIN outbox o ON o.subject = 'message' AND o.subject_id = m.message_id \
             LEFT JOIN messages q ON q.message_id = m.reply_to LEFT JOIN users qu ON qu.user_id = q.sender_id \
             LEFT JOIN attachments a ON a.message_id = m.message_id \
             ORDER BY m.seq IS NULL, m.seq, m.rid"
        );
        let rows: Vec<ItemRow> = sqlx::query_as(&sql)
            .bind(conversation_id)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .bind(me)
            .bind(before.is_none())
            .fetch_all(pool)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.message.message_id).collect();
        let mut reactions = self.reactions(me, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let ItemRow {
                    message,
                    username: sender_name,
                    state,
                    last_error: reason,
                    read_by,
                    reply_content,
                    reply_deleted,
                    reply_sender,
                    upload_id,
                    file_name,
                    file_size,
                    file_path,
                } = row;
                let message = Message::from(message);
                let status = if message.sender_id != Some(me) {
                    MessageStatus::Received
                } else if message.status == DeliveryStatus::Held {
                    MessageStatus::Held { reason: message.held_reason.clone().unwrap_or_default() }
                } else if message.status == DeliveryStatus::Rejected {
                    MessageStatus::Rejected
                } else if message.seq == 0 {
                    match state.as_deref() {
                        Some("failed" | "blocked") => {
                            MessageStatus::Failed { reason: reason.unwrap_or_default() }
                        }
                        Some("sending") => MessageStatus::Sending,
                        _ => MessageStatus::Pending,
                    }
                } else if read_by > 0 {
                    MessageStatus::Read { read_by, of: others }
                } else {
                    MessageStatus::Sent
                };
                let sender_name = sender_name
                    .or_else(|| message.sender_id.is_none().then(|| DELETED_ACCOUNT.to_owned()));
                let reply = message.reply_to.map(|message_id| ReplyPreview {
                    message_id,
                    sender_name: reply_sender,
                    text: reply_content
                        .as_deref()
                        .map(crate::engine::notify::preview_text)
                        .unwrap_or_default(),
                    deleted: reply_deleted.unwrap_or(false),
                });
                let reactions = reactions.remove(&message.message_id).unwrap_or_default();
                let attachment = upload_id.zip(file_name).map(|(id, file_name)| AttachmentView {
                    file_name,
                    size: file_size.unwrap_or(0),
                    uploaded: crate::outbox::uploaded_bytes(id).and_then(|n| i64::try_from(n).ok()),
                    path: file_path.unwrap_or_default(),
                });
                MessageItem { message, sender_name, status, reply, reactions, attachment }
            })
            .collect())
    }
}
