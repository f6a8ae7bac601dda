//! lodestar-client: everything the desktop app shows comes from here; the app adds a window.
//!
//! - [`replica`]: the offline SQLite copy of the user's world, the outbox and drafts.
//! - [`api`]: the typed HTTP client of the wire contract.
//! - [`sync`]: pulling changes into the replica and pushing the outbox to the server.

pub mod api;
pub mod error;
pub mod replica;
pub mod sync;

pub use api::Api;
pub use error::{ClientError, ClientResult};
pub use replica::Replica;
