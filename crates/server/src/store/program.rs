//! The program's own domain (PROGRAM.md, "Safety and the program"): who coordinates it, and
//! who has blocked whom.
//! Its own file beside `traits.rs`, which holds one trait per earlier domain and is full.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use lodestar_protocol::Profile;
use uuid::Uuid;

use super::StoreResult;

/// Coordinators: the people who run the program.
#[async_trait]
pub trait ProgramStore: Send + Sync + 'static {
    /// Makes (`true`) or unmakes the user named `username` (any case) a coordinator; answers
    /// `NotFound` when there is no such user. Doing it twice changes nothing.
    async fn set_coordinator(&self, username: &str, on: bool) -> StoreResult<()>;
    /// The coordinators' usernames, alphabetically.
    async fn coordinators(&self) -> StoreResult<Vec<String>>;
    /// `me` blocks `user`; answers whether this made the block (`false`: it stood already).
    /// `NotFound` for an unknown user; blocking oneself is a rule (`user_id: self`).
    async fn block(&self, me: Uuid, user: Uuid, now: DateTime<Utc>) -> StoreResult<bool>;
    /// `me` lifts a block of `user` (nothing when there was none).
    async fn unblock(&self, me: Uuid, user: Uuid) -> StoreResult<()>;
    /// Everyone `me` has blocked or was blocked by: left out of `me`'s directory and matches.
    async fn kept_apart(&self, me: Uuid) -> StoreResult<std::collections::HashSet<Uuid>>;
    /// Whom `me` has blocked, by username.
    async fn blocked(&self, me: Uuid, today: NaiveDate) -> StoreResult<Vec<Profile>>;
}
