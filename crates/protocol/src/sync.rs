//! The sync vocabulary: a `Change`, a page of them, and the WebSocket frame that carries them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A [`crate::Profile`] (or [`crate::Me`] for one's own).
    Profile,
    /// A [`crate::Conversation`].
    Conversation,
    /// A [`crate::Group`].
    Group,
    /// A [`crate::GroupMember`] with its `group_id`.
    GroupMember,
    /// `{conversation_id, user_id}` of a direct conversation.
    Participant,
    /// A [`crate::Message`].
    Message,
    /// A [`crate::Read`] with its `conversation_id`.
    Read,
    /// A [`crate::MentorshipRequest`], to its mentee and its mentor.
    MentorshipRequest,
    /// A [`crate::Mentorship`], to its two people.
    Mentorship,
    /// A [`crate::Goal`], to the two people of its mentorship.
    Goal,
    /// A [`crate::Task`], to the two people of its mentorship.
    Task,
    /// A [`crate::Session`], to the two people of its mentorship.
    Session,
    /// A session's merged [`crate::SessionNotes`], to the two people of its mentorship.
    SessionNotes,
    /// `{user_id, created_at}` of someone the user blocked, to the user alone (every device
    /// hides that person's direct conversation); a delete lifts it.
    Block,
    /// A [`crate::Reaction`], to the members of its message's conversation; a delete (its
    /// `message_id`, `user_id` and `emoji`) takes it back.
    Reaction,
}

impl ChangeKind {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Profile => "profile",
            ChangeKind::Conversation => "conversation",
            ChangeKind::Group => "group",
            ChangeKind::GroupMember => "group_member",
            ChangeKind::Participant => "participant",
            ChangeKind::Message => "message",
            ChangeKind::Read => "read",
            ChangeKind::MentorshipRequest => "mentorship_request",
            ChangeKind::Mentorship => "mentorship",
            ChangeKind::Goal => "goal",
            ChangeKind::Task => "task",
            ChangeKind::Session => "session",
            ChangeKind::SessionNotes => "session_notes",
            ChangeKind::Block => "block",
            ChangeKind::Reaction => "reaction",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "profile" => ChangeKind::Profile,
            "conversation" => ChangeKind::Conversation,
            "group" => ChangeKind::Group,
            "group_member" => ChangeKind::GroupMember,
            "participant" => ChangeKind::Participant,
            "message" => ChangeKind::Message,
            "read" => ChangeKind::Read,
            "mentorship_request" => ChangeKind::MentorshipRequest,
            "mentorship" => ChangeKind::Mentorship,
            "goal" => ChangeKind::Goal,
            "task" => ChangeKind::Task,
            "session" => ChangeKind::Session,
            "session_notes" => ChangeKind::SessionNotes,
            "block" => ChangeKind::Block,
            "reaction" => ChangeKind::Reaction,
            _ => return None,
        })
    }
}

/// Whether the object was written or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    /// Insert or replace.
    Upsert,
    /// Remove; `data` holds the key fields.
    Delete,
}

impl ChangeOp {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeOp::Upsert => "upsert",
            ChangeOp::Delete => "delete",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "upsert" => Some(ChangeOp::Upsert),
            "delete" => Some(ChangeOp::Delete),
            _ => None,
        }
    }
}

/// One change the server accepted, in the order of `seq`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Change {
    /// Its own position in the server's order; every change has a distinct one.
    pub seq: i64,
    /// What the change is about.
    pub kind: ChangeKind,
    /// Written or removed.
    pub op: ChangeOp,
    /// The object of that kind (for a delete, its key fields).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// A page of `GET /v1/sync`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SyncPage {
    /// The changes after `since`, in `seq` order.
    pub changes: Vec<Change>,
    /// Pass as `since` to continue.
    pub cursor: String,
    /// Whether more changes wait beyond this page.
    pub has_more: bool,
    /// At most how many changes remain after this page (the server's newest seq less this
    /// cursor; fewer when some are not the caller's to see). For progress bars; absent from
    /// older servers.
    #[serde(default)]
    pub estimated_remaining: i64,
}

/// A frame the server sends on `/v1/events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventFrame {
    /// New changes, the same as `GET /v1/sync` would answer.
    Changes {
        /// The changes, in `seq` order.
        changes: Vec<Change>,
        /// The cursor after them.
        cursor: String,
        /// The cursor this frame continues: the previous frame's `cursor` (or the socket's
        /// starting one). A client whose stored cursor is exactly this may apply the frame as
        /// the page `GET /v1/sync?since=` would answer; any other client pulls. Absent from
        /// older servers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<String>,
    },
    /// Someone is typing in a conversation the user takes part in (relayed, never stored).
    Typing {
        /// Where.
        conversation_id: Uuid,
        /// Who.
        user_id: Uuid,
    },
}

/// A frame a client sends on `/v1/events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The user is typing in this conversation; relayed to its other members at most once per
    /// 3 seconds per person.
    Typing {
        /// Where.
        conversation_id: Uuid,
    },
}

/// Formats a sync cursor. Cursors are opaque to clients; today they are the last `seq`.
pub fn format_cursor(seq: i64) -> String {
    seq.to_string()
}

/// Parses a sync cursor made by [`format_cursor`].
pub fn parse_cursor(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|v| *v >= 0)
}
