//! Lodestar's shared language: the domain types of the data model, the API's request and
//! response bodies, the sync `Change`, and every value rule of DESIGN.md.
//!
//! This crate does no I/O. The server calls the validators before it writes anything and the
//! client calls the same validators before it queues anything, so both sides refuse the same
//! inputs with the same field codes.

pub mod api;
pub mod error_code;
pub mod ids;
pub mod links;
#[macro_use]
pub mod mentorship;
pub mod messages;
pub mod model;
pub mod program;
pub mod sessions;
pub mod stats;
pub mod sync;
pub mod updates;
pub mod validate;

pub use api::*;
pub use error_code::ErrorCode;
pub use ids::*;
pub use mentorship::*;
pub use messages::*;
pub use model::*;
pub use program::*;
pub use sessions::*;
pub use stats::*;
pub use sync::*;
pub use updates::{AppRelease, UpdateQuery};
pub use validate::{FieldErrors, ValidationError};
