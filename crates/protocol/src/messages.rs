//! What a message gains beyond its text (API.md, "Richer messages"): edits and reactions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The largest attachment, in bytes (25 MiB): the server's limit, checked by clients before
/// they queue anything.
pub const ATTACHMENT_MAX_BYTES: u64 = 25 * 1024 * 1024;

/// How long after sending its sender may change a message's text.
pub const EDIT_WINDOW_HOURS: i64 = 24;

/// `PATCH /v1/messages/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditMessageRequest {
    /// The new text, up to 10,000 characters.
    pub content: String,
}

/// One person's emoji on a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reaction {
    /// The message.
    pub message_id: Uuid,
    /// Who reacted.
    pub user_id: Uuid,
    /// One emoji.
    pub emoji: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The key of a reaction taken back (a `reaction` change's `delete` data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReactionKey {
    /// The message.
    pub message_id: Uuid,
    /// Who had reacted.
    pub user_id: Uuid,
    /// The emoji.
    pub emoji: String,
}

/// `POST /v1/media`'s answer: the stored attachment, named in a message's `media_url` by `url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MediaInfo {
    /// Its id.
    pub media_id: Uuid,
    /// `/v1/media/{media_id}`.
    pub url: String,
    /// What it is, read from its bytes.
    pub content_type: String,
    /// Bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// Pixels, for images.
    pub width: Option<i32>,
    /// Pixels, for images.
    pub height: Option<i32>,
}

/// Query of `GET /v1/images`: an image a message or a profile links to.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinkedImageQuery {
    /// The `http`/`https` URL of the image.
    pub url: String,
}
