//! The mentorship domain of PROGRAM.md: requests within a mentor's capacity, mentorships, goals
//! and action items (tasks), as objects and as the bodies of their routes.
//!
//! As in [`crate::api`], request fields that carry rules are typed loosely (dates and statuses
//! as strings) so that a bad value is a 422 naming the field, not a 400.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::double_option;

/// Declares a status enum with its `snake_case` wire and stored spelling.
macro_rules! status_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses the stored and wire spelling.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

status_enum! {
    /// Where a mentorship request stands.
    RequestStatus {
        /// Waiting for the mentor.
        Pending = "pending",
        /// The mentor accepted; a mentorship exists.
        Accepted = "accepted",
        /// The mentor declined.
        Declined = "declined",
        /// The mentee took it back.
        Withdrawn = "withdrawn",
        /// Nobody answered within 14 days.
        Expired = "expired",
    }
}

status_enum! {
    /// Whether a mentorship runs.
    MentorshipStatus {
        /// Running: goals, tasks and sessions may be written.
        Active = "active",
        /// Over; read-only.
        Ended = "ended",
    }
}

status_enum! {
    /// Where a goal stands.
    GoalStatus {
        /// Being worked on.
        Open = "open",
        /// Reached.
        Achieved = "achieved",
        /// Given up.
        Dropped = "dropped",
    }
}

/// Which of one's requests `GET /v1/mentorship-requests` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RequestBox {
    /// Requests to the caller, as mentor.
    Incoming,
    /// Requests from the caller, as mentee.
    Outgoing,
}

/// A mentee's request for mentorship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MentorshipRequest {
    /// Made by the mentee's client; the idempotency key.
    pub request_id: Uuid,
    /// Who asks.
    pub mentee_id: Uuid,
    /// Who is asked.
    pub mentor_id: Uuid,
    /// 1 to 1,000 characters.
    pub message: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// Why the mentor declined, if they said.
    pub decline_reason: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// 14 days after `created_at`: when a pending request expires.
    pub expires_at: DateTime<Utc>,
    /// When the mentor or the mentee answered it.
    pub responded_at: Option<DateTime<Utc>>,
    /// The mentorship it opened, once accepted.
    pub mentorship_id: Option<Uuid>,
}

/// A mentor and a mentee working together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Mentorship {
    /// Derived from the request that opened it ([`crate::mentorship_id_for_request`]).
    pub mentorship_id: Uuid,
    /// The mentor.
    pub mentor_id: Uuid,
    /// The mentee.
    pub mentee_id: Uuid,
    /// The pair's direct conversation, opened on acceptance.
    pub conversation_id: Uuid,
    /// Running or over.
    pub status: MentorshipStatus,
    /// When the request was accepted.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Who ended it.
    pub ended_by: Option<Uuid>,
    /// Why, if they said.
    pub end_reason: Option<String>,
}

/// Something a mentorship works toward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Goal {
    /// Made by the client; the idempotency key.
    pub goal_id: Uuid,
    /// Its mentorship.
    pub mentorship_id: Uuid,
    /// 1 to 200 characters.
    pub title: String,
    /// Up to 2,000 characters.
    pub details: Option<String>,
    /// Where it stands.
    pub status: GoalStatus,
    /// When it should be reached.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub due_date: Option<NaiveDate>,
    /// Who added it.
    pub created_by: Uuid,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// An action item: something one of the two people owes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Task {
    /// Made by the client; the idempotency key.
    pub task_id: Uuid,
    /// Its mentorship.
    pub mentorship_id: Uuid,
    /// A goal of the same mentorship it serves.
    pub goal_id: Option<Uuid>,
    /// 1 to 200 characters.
    pub title: String,
    /// The mentor or the mentee.
    pub assignee_id: Uuid,
    /// When it is due.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub due_date: Option<NaiveDate>,
    /// When it was ticked; null while open.
    pub done_at: Option<DateTime<Utc>>,
    /// The message of the pair's conversation it was made from.
    pub source_message_id: Option<Uuid>,
    /// Who added it.
    pub created_by: Uuid,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Task {
    /// Not done, and due before `today`.
    pub fn overdue_on(&self, today: NaiveDate) -> bool {
        self.done_at.is_none() && self.due_date.is_some_and(|d| d < today)
    }
}

/// `POST /v1/mentorship-requests`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMentorshipRequest {
    /// Made by the client; the idempotency key.
    pub request_id: Uuid,
    /// The mentor asked.
    pub mentor_id: Uuid,
    /// 1 to 1,000 characters: who the mentee is and what they hope for.
    pub message: String,
}

/// Query of `GET /v1/mentorship-requests`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestsQuery {
    /// `incoming` (to the caller as mentor) or `outgoing`; both when absent.
    #[serde(rename = "box")]
    #[param(rename = "box")]
    pub mailbox: Option<String>,
    /// Only requests with this status.
    pub status: Option<String>,
}

/// `GET /v1/mentorship-requests`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RequestList {
    /// Newest first.
    pub requests: Vec<MentorshipRequest>,
}

/// `POST /v1/mentorship-requests/{id}/decline`, and `POST /v1/mentorships/{id}/end`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    /// Up to 500 characters; optional.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Answer of `POST /v1/mentorship-requests/{id}/accept`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AcceptResponse {
    /// The request, now `accepted`.
    pub request: MentorshipRequest,
    /// The mentorship it opened.
    pub mentorship: Mentorship,
}

/// Query of `GET /v1/mentorships`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MentorshipsQuery {
    /// `active` or `ended`; both when absent.
    pub status: Option<String>,
}

/// `GET /v1/mentorships`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MentorshipList {
    /// Newest first.
    pub mentorships: Vec<Mentorship>,
}

/// `GET /v1/mentorships/{id}`: the mentorship with what it holds.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MentorshipDetail {
    /// The mentorship.
    #[serde(flatten)]
    pub mentorship: Mentorship,
    /// Its goals, oldest first.
    pub goals: Vec<Goal>,
    /// Its tasks, oldest first.
    pub tasks: Vec<Task>,
    /// Its sessions, by start.
    pub sessions: Vec<crate::Session>,
}

/// `POST /v1/mentorships/{id}/goals`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGoalRequest {
    /// Made by the client; the idempotency key.
    pub goal_id: Uuid,
    /// 1 to 200 characters.
    pub title: String,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub details: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_date: Option<String>,
}

/// `PATCH /v1/goals/{id}`: absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateGoalRequest {
    /// New title.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    /// New details; `null` clears them.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub details: Option<Option<String>>,
    /// `open`, `achieved` or `dropped`.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub status: Option<Option<String>>,
    /// `YYYY-MM-DD`; `null` clears it.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub due_date: Option<Option<String>>,
}

/// `POST /v1/mentorships/{id}/tasks`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTaskRequest {
    /// Made by the client; the idempotency key.
    pub task_id: Uuid,
    /// 1 to 200 characters.
    pub title: String,
    /// The mentor or the mentee; the caller when absent.
    #[serde(default)]
    pub assignee_id: Option<Uuid>,
    /// A goal of the same mentorship.
    #[serde(default)]
    pub goal_id: Option<Uuid>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_date: Option<String>,
    /// A message of the pair's conversation the task comes from.
    #[serde(default)]
    pub source_message_id: Option<Uuid>,
}

/// `PATCH /v1/tasks/{id}`: absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTaskRequest {
    /// New title.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    /// `YYYY-MM-DD`; `null` clears it.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub due_date: Option<Option<String>>,
    /// Ticked (true) or open again (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<bool>,
    /// Hand it to the other person of the mentorship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<Uuid>,
}
