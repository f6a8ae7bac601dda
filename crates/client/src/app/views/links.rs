//! What the window is asked to open: by a clicked `lodestar://` link, a notification, the tray.

use lodestar_protocol::links::Target;
use serde::Serialize;

/// Something to show, or why a link cannot be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Opening {
    /// Show this.
    Open {
        /// What.
        target: Target,
    },
    /// A link of another program's server: the user is signed in elsewhere.
    OtherServer {
        /// What it names there.
        target: Target,
        /// The server the link belongs to.
        server: String,
    },
    /// A `lodestar:` link this version cannot read.
    Invalid {
        /// The text as it came.
        link: String,
        /// Why (`not_a_link`, `unknown_target`, `bad_id`, `bad_server`).
        code: String,
    },
}
