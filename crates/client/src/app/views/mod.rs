//! What the desktop UI sends and is shown, shaped for forms and screens, one file per domain.
//! The protocol's own types travel as they are; these exist where a screen needs another shape
//! (a form with plain values instead of a PATCH body's "absent or null", a group with usernames
//! beside ids).

mod account;
mod directory;
mod groups;
mod links;
pub mod mentorship;
mod outbox;
mod profile;
mod safety;
pub mod sessions;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use super::error::AppError;
pub use account::RegisterForm;
pub use directory::{DirectoryPage, DirectoryQuery};
pub use groups::{GroupView, MemberView};
pub use links::Opening;
pub use mentorship::{
    GoalEdit, GoalView, MentorshipDetailView, MentorshipView, PersonRef, RequestView, TaskEdit,
    TaskView,
};
pub use outbox::OutboxView;
pub use profile::{parse_date, ProfileEdit};
pub use safety::ReportForm;
pub use sessions::{FeedbackEdit, MeetingView, SessionEdit};

/// Who is signed in, and to which server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SessionView {
    /// Whether anyone is.
    pub signed_in: bool,
    /// The user's id.
    pub user_id: Option<Uuid>,
    /// The user's name.
    pub username: Option<String>,
    /// The server in use (or the one to offer on the sign-in screen).
    pub server: String,
}

/// A blank optional value is no value.
pub(crate) fn given(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// The app's own settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// The server in use or remembered.
    pub server: String,
    /// Desktop notifications on.
    pub notifications: bool,
    /// Where the replica and settings live.
    pub data_dir: String,
}
