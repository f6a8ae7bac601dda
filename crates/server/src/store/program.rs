//! The program's own domain (PROGRAM.md, "Safety and the program"): who coordinates it.
//! Its own file beside `traits.rs`, which holds one trait per earlier domain and is full.

use async_trait::async_trait;

use super::StoreResult;

/// Coordinators: the people who run the program.
#[async_trait]
pub trait ProgramStore: Send + Sync + 'static {
    /// Makes (`true`) or unmakes the user named `username` (any case) a coordinator; answers
    /// `NotFound` when there is no such user. Doing it twice changes nothing.
    async fn set_coordinator(&self, username: &str, on: bool) -> StoreResult<()>;
    /// The coordinators' usernames, alphabetically.
    async fn coordinators(&self) -> StoreResult<Vec<String>>;
}
