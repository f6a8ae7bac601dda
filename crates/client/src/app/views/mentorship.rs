//! Requests, mentorships, goals and tasks as the window shows them: with names beside ids,
//! what waits in the outbox (`pending`) or was refused (`failed`, the server's reason), and
//! what is overdue.

use chrono::NaiveDate;
use lodestar_protocol::{
    Goal, GoalStatus, Mentorship, MentorshipRequest, MentorshipStatus, RequestStatus, Task,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::sessions::MeetingView;
use crate::error::ClientResult;
use crate::replica::mentorship::Marks;
use crate::replica::Replica;

/// Someone, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonRef {
    /// Their id.
    pub user_id: Uuid,
    /// Their name ("someone" when the replica does not know it).
    pub username: String,
}

/// A request in the Requests inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestView {
    /// The request.
    pub request_id: Uuid,
    /// Who asks.
    pub mentee: PersonRef,
    /// Who is asked.
    pub mentor: PersonRef,
    /// The user is the mentor.
    pub incoming: bool,
    /// What the mentee wrote.
    pub message: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// Why the mentor declined, if they said.
    pub decline_reason: Option<String>,
    /// RFC 3339.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// RFC 3339: when a pending request expires.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The mentorship it opened.
    pub mentorship_id: Option<Uuid>,
    /// An action on it waits in the outbox.
    pub pending: bool,
    /// The server refused the last action on it, for this reason.
    pub failed: Option<String>,
}

/// A mentorship in the list and at the head of its panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MentorshipView {
    /// The mentorship.
    pub mentorship_id: Uuid,
    /// The other person.
    pub other: PersonRef,
    /// The user is the mentor.
    pub i_mentor: bool,
    /// The pair's conversation.
    pub conversation_id: Uuid,
    /// Running or over.
    pub status: MentorshipStatus,
    /// RFC 3339.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// Tasks not done.
    pub open_tasks: u32,
    /// Tasks not done and due before today.
    pub overdue_tasks: u32,
    /// Its accept or end waits in the outbox.
    pub pending: bool,
}

/// A goal in the Mentorship panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GoalView {
    /// The goal.
    pub goal_id: Uuid,
    /// Its title.
    pub title: String,
    /// Its details.
    pub details: Option<String>,
    /// Where it stands.
    pub status: GoalStatus,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub due_date: Option<NaiveDate>,
    /// A change waits in the outbox.
    pub pending: bool,
    /// The server refused the last change, for this reason.
    pub failed: Option<String>,
}

/// An action item in the Mentorship panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaskView {
    /// The task.
    pub task_id: Uuid,
    /// The goal it serves.
    pub goal_id: Option<Uuid>,
    /// Its title.
    pub title: String,
    /// Who owes it.
    pub assignee: PersonRef,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub due_date: Option<NaiveDate>,
    /// Ticked.
    pub done: bool,
    /// Not done and due before today.
    pub overdue: bool,
    /// The message it was made from.
    pub source_message_id: Option<Uuid>,
    /// A change waits in the outbox.
    pub pending: bool,
    /// The server refused the last change, for this reason.
    pub failed: Option<String>,
}

/// A mentorship with its goals and tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MentorshipDetailView {
    /// The mentorship.
    pub mentorship: MentorshipView,
    /// Oldest first.
    pub goals: Vec<GoalView>,
    /// Oldest first.
    pub tasks: Vec<TaskView>,
    /// By start.
    pub sessions: Vec<MeetingView>,
    /// The held session the app asks feedback on now, if any (asked once: after the first held
    /// session, then every fourth).
    pub ask_feedback: Option<Uuid>,
}

/// The goal form: `goal_id` null adds one; on an edit, null fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GoalEdit {
    /// The goal edited; none for a new one.
    pub goal_id: Option<Uuid>,
    /// Title.
    pub title: Option<String>,
    /// Details (blank clears).
    pub details: Option<String>,
    /// Status.
    pub status: Option<GoalStatus>,
    /// `YYYY-MM-DD` (blank clears).
    pub due_date: Option<String>,
}

/// The task form: `task_id` null adds one (`assignee_id` null: the user); on an edit, null
/// fields stay as they are; `done` ticks or reopens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaskEdit {
    /// The task edited; none for a new one.
    pub task_id: Option<Uuid>,
    /// Title.
    pub title: Option<String>,
    /// Who owes it.
    pub assignee_id: Option<Uuid>,
    /// The goal it serves (new tasks).
    pub goal_id: Option<Uuid>,
    /// `YYYY-MM-DD` (blank clears).
    pub due_date: Option<String>,
    /// Ticked or reopened.
    pub done: Option<bool>,
    /// The message it comes from (new tasks).
    pub source_message_id: Option<Uuid>,
}

/// Names people from the replica.
pub(super) async fn person(replica: &Replica, user_id: Uuid) -> ClientResult<PersonRef> {
    let username = replica.username(user_id).await?.unwrap_or_else(|| "someone".to_owned());
    Ok(PersonRef { user_id, username })
}

/// A request as the inbox shows it to `me`.
pub async fn request_view(
    replica: &Replica,
    me: Uuid,
    r: &MentorshipRequest,
    marks: &Marks,
) -> ClientResult<RequestView> {
    let mentorship = lodestar_protocol::mentorship_id_for_request(r.request_id);
    let mark = marks.of(&[
        ("request", r.request_id),
        ("answer", r.request_id),
        ("mentorship", mentorship),
    ]);
    Ok(RequestView {
        request_id: r.request_id,
        mentee: person(replica, r.mentee_id).await?,
        mentor: person(replica, r.mentor_id).await?,
        incoming: r.mentor_id == me,
        message: r.message.clone(),
        status: r.status,
        decline_reason: r.decline_reason.clone(),
        created_at: r.created_at,
        expires_at: r.expires_at,
        mentorship_id: r.mentorship_id,
        pending: mark.pending,
        failed: mark.failed,
    })
}

/// A mentorship as `me` sees it, with the counts of its tasks.
pub async fn mentorship_view(
    replica: &Replica,
    me: Uuid,
    m: &Mentorship,
    tasks: &[Task],
    marks: &Marks,
    today: NaiveDate,
) -> ClientResult<MentorshipView> {
    let other = if m.mentor_id == me { m.mentee_id } else { m.mentor_id };
    let count = |f: &dyn Fn(&Task) -> bool| tasks.iter().filter(|t| f(t)).count() as u32;
    Ok(MentorshipView {
        mentorship_id: m.mentorship_id,
        other: person(replica, other).await?,
        i_mentor: m.mentor_id == me,
        conversation_id: m.conversation_id,
        status: m.status,
        started_at: m.started_at,
        open_tasks: count(&|t| t.done_at.is_none()),
        overdue_tasks: count(&|t| t.overdue_on(today)),
        pending: marks.of(&[("mentorship", m.mentorship_id), ("end", m.mentorship_id)]).pending,
    })
}

/// A goal as the panel shows it.
pub fn goal_view(g: &Goal, marks: &Marks) -> GoalView {
    let mark = marks.of(&[("goal", g.goal_id)]);
    GoalView {
        goal_id: g.goal_id,
        title: g.title.clone(),
        details: g.details.clone(),
        status: g.status,
        due_date: g.due_date,
        pending: mark.pending,
        failed: mark.failed,
    }
}

/// A task as the panel shows it.
pub async fn task_view(
    replica: &Replica,
    t: &Task,
    marks: &Marks,
    today: NaiveDate,
) -> ClientResult<TaskView> {
    let mark = marks.of(&[("task", t.task_id)]);
    Ok(TaskView {
        task_id: t.task_id,
        goal_id: t.goal_id,
        title: t.title.clone(),
        assignee: person(replica, t.assignee_id).await?,
        due_date: t.due_date,
        done: t.done_at.is_some(),
        overdue: t.overdue_on(today),
        source_message_id: t.source_message_id,
        pending: mark.pending,
        failed: mark.failed,
    })
}
