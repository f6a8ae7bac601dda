//! The mentorship domain's rows as both backends read them (PROGRAM.md, migration 0007).

use chrono::{DateTime, NaiveDate, Utc};
use lodestar_protocol::{
    Goal, GoalStatus, Mentorship, MentorshipRequest, MentorshipStatus, RequestStatus, Task,
};
use uuid::Uuid;

use super::{StoreError, StoreResult};

fn status<T>(table: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> StoreResult<T> {
    parse(value).ok_or_else(|| StoreError::Corrupt(format!("{table}.status: {value:?}")))
}

/// A `mentorship_requests` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct RequestRow {
    pub request_id: Uuid,
    pub mentee_id: Uuid,
    pub mentor_id: Uuid,
    pub message: String,
    pub status: String,
    pub decline_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub mentorship_id: Option<Uuid>,
}

impl RequestRow {
    /// The wire object.
    pub fn into_request(self) -> StoreResult<MentorshipRequest> {
        Ok(MentorshipRequest {
            status: status("mentorship_requests", &self.status, RequestStatus::parse)?,
            request_id: self.request_id,
            mentee_id: self.mentee_id,
            mentor_id: self.mentor_id,
            message: self.message,
            decline_reason: self.decline_reason,
            created_at: self.created_at,
            expires_at: self.expires_at,
            responded_at: self.responded_at,
            mentorship_id: self.mentorship_id,
        })
    }
}

/// A `mentorships` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MentorshipRow {
    pub mentorship_id: Uuid,
    pub mentor_id: Uuid,
    pub mentee_id: Uuid,
    pub conversation_id: Uuid,
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_by: Option<Uuid>,
    pub end_reason: Option<String>,
}

impl MentorshipRow {
    /// The wire object.
    pub fn into_mentorship(self) -> StoreResult<Mentorship> {
        Ok(Mentorship {
            status: status("mentorships", &self.status, MentorshipStatus::parse)?,
            mentorship_id: self.mentorship_id,
            mentor_id: self.mentor_id,
            mentee_id: self.mentee_id,
            conversation_id: self.conversation_id,
            started_at: self.started_at,
            ended_at: self.ended_at,
            ended_by: self.ended_by,
            end_reason: self.end_reason,
        })
    }
}

/// A `goals` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct GoalRow {
    pub goal_id: Uuid,
    pub mentorship_id: Uuid,
    pub title: String,
    pub details: Option<String>,
    pub status: String,
    pub due_date: Option<NaiveDate>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl GoalRow {
    /// The wire object.
    pub fn into_goal(self) -> StoreResult<Goal> {
        Ok(Goal {
            status: status("goals", &self.status, GoalStatus::parse)?,
            goal_id: self.goal_id,
            mentorship_id: self.mentorship_id,
            title: self.title,
            details: self.details,
            due_date: self.due_date,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A `tasks` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TaskRow {
    pub task_id: Uuid,
    pub mentorship_id: Uuid,
    pub goal_id: Option<Uuid>,
    pub title: String,
    pub assignee_id: Uuid,
    pub due_date: Option<NaiveDate>,
    pub done_at: Option<DateTime<Utc>>,
    pub source_message_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TaskRow> for Task {
    fn from(r: TaskRow) -> Self {
        Task {
            task_id: r.task_id,
            mentorship_id: r.mentorship_id,
            goal_id: r.goal_id,
            title: r.title,
            assignee_id: r.assignee_id,
            due_date: r.due_date,
            done_at: r.done_at,
            source_message_id: r.source_message_id,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A `mentorship_sessions` row (migration 0008).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub session_id: Uuid,
    pub mentorship_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub time_zone: String,
    pub location: Option<String>,
    pub agenda: Option<String>,
    pub status: String,
    pub proposed_by: Uuid,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_by: Option<Uuid>,
    pub cancel_reason: Option<String>,
    pub sequence: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl SessionRow {
    /// The wire object.
    pub fn into_session(self) -> StoreResult<lodestar_protocol::Session> {
        Ok(lodestar_protocol::Session {
            status: status("sessions", &self.status, lodestar_protocol::SessionStatus::parse)?,
            session_id: self.session_id,
            mentorship_id: self.mentorship_id,
            starts_at: self.starts_at,
            duration_minutes: self.duration_minutes,
            time_zone: self.time_zone,
            location: self.location,
            agenda: self.agenda,
            proposed_by: self.proposed_by,
            confirmed_at: self.confirmed_at,
            cancelled_by: self.cancelled_by,
            cancel_reason: self.cancel_reason,
            sequence: self.sequence,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A `session_feedback` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct FeedbackRow {
    pub session_id: Uuid,
    pub author_id: Uuid,
    pub rating: i32,
    pub fit: String,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl FeedbackRow {
    /// The wire object.
    pub fn into_feedback(self) -> StoreResult<lodestar_protocol::Feedback> {
        Ok(lodestar_protocol::Feedback {
            fit: lodestar_protocol::Fit::parse(&self.fit).ok_or_else(|| {
                StoreError::Corrupt(format!("session_feedback.fit: {:?}", self.fit))
            })?,
            session_id: self.session_id,
            author_id: self.author_id,
            rating: self.rating,
            comment: self.comment,
            created_at: self.created_at,
        })
    }
}
