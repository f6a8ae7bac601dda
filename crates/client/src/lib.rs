//! lodestar-client: everything the desktop app shows comes from here; the app adds a window.
//!
//! - [`replica`]: the offline SQLite copy of the user's world, the outbox and drafts.
//! - [`api`]: the typed HTTP client of the wire contract.
//! - [`outbox`]: every kind of action the user takes, queued whole until the server has it.
//! - [`sync`]: pulling changes into the replica and pushing the outbox to the server.
//! - [`session`]: the signed-in account and its token (OS keychain, else a 0600 file).
//! - [`engine`]: the background task that keeps the replica live, and its event stream.
//! - [`client`]: the front door, one method per user action, which the CLI and the app call.

pub mod api;
pub mod app;
pub mod client;
pub mod engine;
pub mod error;
pub mod outbox;
pub mod private;
pub mod replica;
pub mod session;
pub mod sync;
pub mod transport;

pub use api::Api;
pub use client::Client;
pub use error::{ClientError, ClientResult};
pub use replica::{held_words, Replica};
