//! The rules of PROGRAM.md's mentorship bodies: each validator answers the normalised values or
//! every bad field at once, as the other forms do. The server runs them before it writes; the
//! client runs them before it queues, so an offline action the server would refuse for its
//! shape is refused at once.

use chrono::NaiveDate;
use uuid::Uuid;

use super::rules::{details, due_date, item_title, reason, request_message};
use super::FieldErrors;
use crate::mentorship::{
    CreateGoalRequest, CreateTaskRequest, GoalStatus, MentorshipStatus, RequestBox, RequestStatus,
    RequestsQuery, UpdateGoalRequest, UpdateTaskRequest,
};

/// Validates the message of `POST /v1/mentorship-requests`.
pub fn new_request(message: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::default();
    let message = e.check("message", request_message(message));
    e.finish(|| message.unwrap_or_default())
}

/// Validates an optional reason (declining a request, ending a mentorship): blank is none.
pub fn optional_reason(value: Option<&str>) -> Result<Option<String>, FieldErrors> {
    let mut e = FieldErrors::default();
    let reason = match value.map(str::trim) {
        None | Some("") => None,
        Some(v) => e.check("reason", reason(v)),
    };
    e.finish(|| reason)
}

/// A checked `GET /v1/mentorship-requests` query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestFilter {
    /// Only one box; both when `None`.
    pub mailbox: Option<RequestBox>,
    /// Only one status.
    pub status: Option<RequestStatus>,
}

/// Validates the requests list's query.
pub fn requests_query(q: &RequestsQuery) -> Result<RequestFilter, FieldErrors> {
    let mut e = FieldErrors::default();
    let mailbox = match q.mailbox.as_deref() {
        None => None,
        Some("incoming") => Some(RequestBox::Incoming),
        Some("outgoing") => Some(RequestBox::Outgoing),
        Some(_) => {
            e.add("box", "invalid");
            None
        }
    };
    let status = q
        .status
        .as_deref()
        .and_then(|s| e.check("status", RequestStatus::parse(s).ok_or("invalid")));
    e.finish(|| RequestFilter { mailbox, status })
}

/// Validates the mentorships list's `status`.
pub fn mentorship_status(value: Option<&str>) -> Result<Option<MentorshipStatus>, FieldErrors> {
    let mut e = FieldErrors::default();
    let status = value.and_then(|s| e.check("status", MentorshipStatus::parse(s).ok_or("invalid")));
    e.finish(|| status)
}

/// A blank optional value is none; otherwise it meets `rule`.
pub(super) fn optional<T>(
    e: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    rule: impl Fn(&str) -> super::Rule<T>,
) -> Option<T> {
    match value.map(str::trim) {
        None | Some("") => None,
        Some(v) => e.check(field, rule(v)),
    }
}

/// A goal that passed the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct NewGoal {
    /// The client's id.
    pub goal_id: Uuid,
    /// Trimmed title.
    pub title: String,
    /// Details, if any.
    pub details: Option<String>,
    /// Due date, if any.
    pub due_date: Option<NaiveDate>,
}

/// Validates `POST /v1/mentorships/{id}/goals`.
pub fn new_goal(req: &CreateGoalRequest) -> Result<NewGoal, FieldErrors> {
    let mut e = FieldErrors::default();
    let title = e.check("title", item_title(&req.title));
    let details = optional(&mut e, "details", req.details.as_deref(), details);
    let due_date = optional(&mut e, "due_date", req.due_date.as_deref(), due_date);
    e.finish(|| NewGoal {
        goal_id: req.goal_id,
        title: title.unwrap_or_default(),
        details,
        due_date,
    })
}

/// A goal edit that passed the rules: the outer `None` leaves a field, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoalPatch {
    /// New title.
    pub title: Option<String>,
    /// New details.
    pub details: Option<Option<String>>,
    /// New status.
    pub status: Option<GoalStatus>,
    /// New due date.
    pub due_date: Option<Option<NaiveDate>>,
}

fn patch_required<T>(
    e: &mut FieldErrors,
    field: &str,
    value: &Option<Option<String>>,
    rule: impl Fn(&str) -> super::Rule<T>,
) -> Option<T> {
    match value {
        None => None,
        Some(None) => {
            e.add(field, "required");
            None
        }
        Some(Some(v)) => e.check(field, rule(v)),
    }
}

fn patch_optional<T>(
    e: &mut FieldErrors,
    field: &str,
    value: &Option<Option<String>>,
    rule: impl Fn(&str) -> super::Rule<T>,
) -> Option<Option<T>> {
    value.as_ref().map(|inner| optional(e, field, inner.as_deref(), &rule))
}

/// Validates `PATCH /v1/goals/{id}`.
pub fn goal_patch(req: &UpdateGoalRequest) -> Result<GoalPatch, FieldErrors> {
    let mut e = FieldErrors::default();
    let patch = GoalPatch {
        title: patch_required(&mut e, "title", &req.title, item_title),
        details: patch_optional(&mut e, "details", &req.details, details),
        status: patch_required(&mut e, "status", &req.status, |s| {
            GoalStatus::parse(s.trim()).ok_or("invalid")
        }),
        due_date: patch_optional(&mut e, "due_date", &req.due_date, due_date),
    };
    e.finish(|| patch)
}

/// A task that passed the rules (who may be its assignee is the store's to check).
#[derive(Debug, Clone, PartialEq)]
pub struct NewTask {
    /// The client's id.
    pub task_id: Uuid,
    /// Trimmed title.
    pub title: String,
    /// The assignee; the caller when `None`.
    pub assignee_id: Option<Uuid>,
    /// A goal of the same mentorship.
    pub goal_id: Option<Uuid>,
    /// Due date, if any.
    pub due_date: Option<NaiveDate>,
    /// The message it comes from.
    pub source_message_id: Option<Uuid>,
}

/// Validates `POST /v1/mentorships/{id}/tasks`.
pub fn new_task(req: &CreateTaskRequest) -> Result<NewTask, FieldErrors> {
    let mut e = FieldErrors::default();
    let title = e.check("title", item_title(&req.title));
    let due_date = optional(&mut e, "due_date", req.due_date.as_deref(), due_date);
    e.finish(|| NewTask {
        task_id: req.task_id,
        title: title.unwrap_or_default(),
        assignee_id: req.assignee_id,
        goal_id: req.goal_id,
        due_date,
        source_message_id: req.source_message_id,
    })
}

/// A task edit that passed the rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskPatch {
    /// New title.
    pub title: Option<String>,
    /// New due date.
    pub due_date: Option<Option<NaiveDate>>,
    /// Ticked or reopened.
    pub done: Option<bool>,
    /// New assignee (the store checks it is one of the two).
    pub assignee_id: Option<Uuid>,
}

/// Validates `PATCH /v1/tasks/{id}`.
pub fn task_patch(req: &UpdateTaskRequest) -> Result<TaskPatch, FieldErrors> {
    let mut e = FieldErrors::default();
    let patch = TaskPatch {
        title: patch_required(&mut e, "title", &req.title, item_title),
        due_date: patch_optional(&mut e, "due_date", &req.due_date, due_date),
        done: req.done,
        assignee_id: req.assignee_id,
    };
    e.finish(|| patch)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_request_message_is_trimmed_and_bounded() {
        assert_eq!(new_request("  hello  ").unwrap(), "hello");
        assert_eq!(new_request("   ").unwrap_err().0["message"], "required");
        assert_eq!(new_request(&"a".repeat(1_001)).unwrap_err().0["message"], "too_long");
        assert!(new_request(&"a".repeat(1_000)).is_ok());
    }

    #[test]
    fn a_blank_reason_is_none_and_a_long_one_is_refused() {
        assert_eq!(optional_reason(Some("  ")).unwrap(), None);
        assert_eq!(optional_reason(None).unwrap(), None);
        assert_eq!(optional_reason(Some(" busy ")).unwrap(), Some("busy".into()));
        assert_eq!(optional_reason(Some(&"a".repeat(501))).unwrap_err().0["reason"], "too_long");
    }

    #[test]
    fn goals_need_a_title_and_a_real_due_date() {
        let req = CreateGoalRequest {
            goal_id: Uuid::nil(),
            title: " ".into(),
            details: None,
            due_date: Some("2026-02-30".into()),
        };
        let e = new_goal(&req).unwrap_err();
        assert_eq!(e.0["title"], "required");
        assert_eq!(e.0["due_date"], "invalid");
        let patch = UpdateGoalRequest {
            status: Some(Some("achieved".into())),
            due_date: Some(None),
            ..UpdateGoalRequest::default()
        };
        let p = goal_patch(&patch).unwrap();
        assert_eq!(p.status, Some(GoalStatus::Achieved));
        assert_eq!(p.due_date, Some(None));
        let bad = UpdateGoalRequest { status: Some(Some("won".into())), ..Default::default() };
        assert_eq!(goal_patch(&bad).unwrap_err().0["status"], "invalid");
    }

    #[test]
    fn queries_name_the_bad_parameter() {
        let q = RequestsQuery { mailbox: Some("sideways".into()), status: Some("lost".into()) };
        let e = requests_query(&q).unwrap_err();
        assert_eq!(e.0["box"], "invalid");
        assert_eq!(e.0["status"], "invalid");
        let ok = RequestsQuery { mailbox: Some("incoming".into()), status: Some("pending".into()) };
        let f = requests_query(&ok).unwrap();
        assert_eq!(f.mailbox, Some(RequestBox::Incoming));
        assert_eq!(f.status, Some(RequestStatus::Pending));
        assert_eq!(mentorship_status(Some("over")).unwrap_err().0["status"], "invalid");
    }

    #[test]
    fn task_titles_are_checked_and_done_passes_through() {
        let p = task_patch(&UpdateTaskRequest { done: Some(true), ..Default::default() }).unwrap();
        assert_eq!(p.done, Some(true));
        let e = task_patch(&UpdateTaskRequest { title: Some(None), ..Default::default() });
        assert_eq!(e.unwrap_err().0["title"], "required");
    }
}
