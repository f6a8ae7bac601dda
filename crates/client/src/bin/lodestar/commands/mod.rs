//! One file per domain of the command line, like GitButler's `args/<domain>.rs` beside
//! `command/<domain>.rs` in one: each holds its clap arguments, its `run` (parse, call one
//! `Client` method, print) and its text and JSON output. A new domain is a new file here and
//! one line in `main.rs`'s dispatch.

pub mod account;
pub mod conversations;
pub mod directory;
pub mod groups;
pub mod mentorship;
pub mod profile;
pub mod safety;
pub mod sessions;
pub mod sync;
