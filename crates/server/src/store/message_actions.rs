//! What a member does to a message after sending it (API.md, "Richer messages"): edits,
//! deletes, reactions. Each is a sync change to the message's conversation, like a send.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lodestar_protocol::Message;
use uuid::Uuid;

use super::StoreResult;

/// Edits, deletes and reactions.
#[async_trait]
pub trait MessageActionStore: Send + Sync + 'static {
    /// Replaces the text of `user`'s own message. `NotFound` when `user` cannot see it;
    /// `Refused(NotSender)` for someone else's, `Refused(EditWindow)` past 24 hours after it was
    /// sent, `Refused(Deleted)` for a tombstone, `Refused(Held)` while a coordinator has it,
    /// `Refused(Safeguarding)` when the new text would carry contact details between a minor
    /// and an adult. The same text again changes nothing.
    async fn edit_message(
        &self,
        user: Uuid,
        message_id: Uuid,
        content: String,
        now: DateTime<Utc>,
    ) -> StoreResult<Message>;
    /// Leaves a tombstone of a message (its text, media and reactions gone), by its sender or
    /// an owner or admin of its group; answers the tombstone (the same again for a second
    /// delete). `NotFound` when `user` cannot see it, `Refused(NotSender)` for anyone else.
    async fn delete_message(
        &self,
        user: Uuid,
        message_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Message>;
    /// `user` reacts with `emoji`; answers whether this added it. `NotFound` when `user`
    /// cannot see the message, `Refused(Deleted)` for a tombstone, `Refused(Blocked)` in a
    /// direct conversation whose two people a block keeps apart.
    async fn react(
        &self,
        user: Uuid,
        message_id: Uuid,
        emoji: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// `user` takes a reaction back; answers whether there was one. `NotFound` when `user`
    /// cannot see the message.
    async fn unreact(&self, user: Uuid, message_id: Uuid, emoji: &str) -> StoreResult<bool>;
}
