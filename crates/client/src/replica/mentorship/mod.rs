//! The mentorship domain in the replica: requests, mentorships, goals and tasks, each row the
//! server's object whole (`record`) beside the columns queries need (migration 0006).
//!
//! A pull and the push's answers store the server's objects here ([`store_request`] and its
//! siblings); the user's own actions change them at once in `local.rs`, in the transaction that
//! queues the action; `marks` tells which rows an action still waits on or was refused for.

mod local;
mod marks;
mod notes;
mod sessions;

use std::collections::HashSet;

use lodestar_protocol::{
    Goal, Mentorship, MentorshipRequest, RequestBox, RequestStatus, Session, Task,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

use super::Replica;
use crate::error::{ClientError, ClientResult};

pub use local::{GoalChange, TaskChange};
pub use marks::{Mark, Marks};
pub(crate) use notes::store_notes;
pub use sessions::SessionChange;
pub(crate) use sessions::{store_feedback, stored_session};

type Tx<'a> = Transaction<'a, Sqlite>;

fn record<T: Serialize>(value: &T) -> ClientResult<String> {
    serde_json::to_string(value).map_err(|e| ClientError::Corrupt(format!("record: {e}")))
}

fn decode<T: DeserializeOwned>(json: &str) -> ClientResult<T> {
    serde_json::from_str(json).map_err(|e| ClientError::Corrupt(format!("stored record: {e}")))
}

fn decode_all<T: DeserializeOwned>(rows: Vec<String>) -> ClientResult<Vec<T>> {
    rows.iter().map(|r| decode(r)).collect()
}

/// Stores a request as the server (or a local action) has it; answers the status it replaced,
/// so that the engine can tell a new request or a newly accepted one from a repeat.
pub(crate) async fn store_request(
    tx: &mut Tx<'_>,
    r: &MentorshipRequest,
) -> ClientResult<Option<RequestStatus>> {
    let before: Option<String> =
        sqlx::query_scalar("SELECT status FROM mentorship_requests WHERE request_id = $1")
            .bind(r.request_id)
            .fetch_optional(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO mentorship_requests (request_id, mentee_id, mentor_id, status, created_at, record) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (request_id) DO UPDATE SET \
         status = excluded.status, record = excluded.record",
    )
    .bind(r.request_id)
    .bind(r.mentee_id)
    .bind(r.mentor_id)
    .bind(r.status.as_str())
    .bind(r.created_at)
    .bind(record(r)?)
    .execute(&mut **tx)
    .await?;
    Ok(before.as_deref().and_then(RequestStatus::parse))
}

/// Stores a mentorship.
pub(crate) async fn store_mentorship(tx: &mut Tx<'_>, m: &Mentorship) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO mentorships (mentorship_id, mentor_id, mentee_id, conversation_id, status, started_at, record) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (mentorship_id) DO UPDATE SET \
         status = excluded.status, record = excluded.record",
    )
    .bind(m.mentorship_id)
    .bind(m.mentor_id)
    .bind(m.mentee_id)
    .bind(m.conversation_id)
    .bind(m.status.as_str())
    .bind(m.started_at)
    .bind(record(m)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores a goal.
pub(crate) async fn store_goal(tx: &mut Tx<'_>, g: &Goal) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO goals (goal_id, mentorship_id, created_at, record) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (goal_id) DO UPDATE SET record = excluded.record",
    )
    .bind(g.goal_id)
    .bind(g.mentorship_id)
    .bind(g.created_at)
    .bind(record(g)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores a task.
pub(crate) async fn store_task(tx: &mut Tx<'_>, t: &Task) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO tasks (task_id, mentorship_id, done, due_date, created_at, record) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (task_id) DO UPDATE SET \
         done = excluded.done, due_date = excluded.due_date, record = excluded.record",
    )
    .bind(t.task_id)
    .bind(t.mentorship_id)
    .bind(t.done_at.is_some())
    .bind(t.due_date)
    .bind(t.created_at)
    .bind(record(t)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores a session.
pub(crate) async fn store_session(tx: &mut Tx<'_>, x: &Session) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO mentorship_sessions (session_id, mentorship_id, starts_at, record) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (session_id) DO UPDATE SET starts_at = excluded.starts_at, record = excluded.record",
    )
    .bind(x.session_id)
    .bind(x.mentorship_id)
    .bind(x.starts_at)
    .bind(record(x)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a mentorship that only ever existed here (an accept the server refused), with what
/// was written into it meanwhile.
pub(crate) async fn forget_mentorship(tx: &mut Tx<'_>, mentorship_id: Uuid) -> ClientResult<()> {
    for sql in [
        "DELETE FROM tasks WHERE mentorship_id = $1",
        "DELETE FROM mentorship_sessions WHERE mentorship_id = $1",
        "DELETE FROM goals WHERE mentorship_id = $1",
        "DELETE FROM mentorships WHERE mentorship_id = $1",
    ] {
        sqlx::query(sql).bind(mentorship_id).execute(&mut **tx).await?;
    }
    Ok(())
}

impl Replica {
    /// A request, if the replica has it.
    pub async fn request(&self, request_id: Uuid) -> ClientResult<Option<MentorshipRequest>> {
        let row: Option<String> =
            sqlx::query_scalar("SELECT record FROM mentorship_requests WHERE request_id = $1")
                .bind(request_id)
                .fetch_optional(self.pool())
                .await?;
        row.map(|r| decode(&r)).transpose()
    }

    /// The user's requests (to them as mentor, from them as mentee, or both), newest first.
    pub async fn requests(
        &self,
        me: Uuid,
        mailbox: Option<RequestBox>,
    ) -> ClientResult<Vec<MentorshipRequest>> {
        let filter = match mailbox {
            Some(RequestBox::Incoming) => "mentor_id = $1",
            Some(RequestBox::Outgoing) => "mentee_id = $1",
            None => "(mentor_id = $1 OR mentee_id = $1)",
        };
        let rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT record FROM mentorship_requests WHERE {filter} ORDER BY created_at DESC, request_id"
        ))
        .bind(me)
        .fetch_all(self.pool())
        .await?;
        decode_all(rows)
    }

    /// A mentorship, if the replica has it.
    pub async fn mentorship(&self, mentorship_id: Uuid) -> ClientResult<Option<Mentorship>> {
        let row: Option<String> =
            sqlx::query_scalar("SELECT record FROM mentorships WHERE mentorship_id = $1")
                .bind(mentorship_id)
                .fetch_optional(self.pool())
                .await?;
        row.map(|r| decode(&r)).transpose()
    }

    /// The user's mentorships: active ones first, each group newest first.
    pub async fn mentorships(&self, me: Uuid) -> ClientResult<Vec<Mentorship>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT record FROM mentorships WHERE mentor_id = $1 OR mentee_id = $1 \
             ORDER BY status = 'active' DESC, started_at DESC",
        )
        .bind(me)
        .fetch_all(self.pool())
        .await?;
        decode_all(rows)
    }

    /// A mentorship's goals, oldest first.
    pub async fn goals(&self, mentorship_id: Uuid) -> ClientResult<Vec<Goal>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT record FROM goals WHERE mentorship_id = $1 ORDER BY created_at, goal_id",
        )
        .bind(mentorship_id)
        .fetch_all(self.pool())
        .await?;
        decode_all(rows)
    }

    /// A mentorship's tasks, oldest first.
    pub async fn tasks(&self, mentorship_id: Uuid) -> ClientResult<Vec<Task>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT record FROM tasks WHERE mentorship_id = $1 ORDER BY created_at, task_id",
        )
        .bind(mentorship_id)
        .fetch_all(self.pool())
        .await?;
        decode_all(rows)
    }

    /// A mentorship's sessions, by start.
    pub async fn sessions(&self, mentorship_id: Uuid) -> ClientResult<Vec<Session>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT record FROM mentorship_sessions WHERE mentorship_id = $1 ORDER BY starts_at, session_id",
        )
        .bind(mentorship_id)
        .fetch_all(self.pool())
        .await?;
        decode_all(rows)
    }

    /// The mentors this user has asked and not been answered by, or works with now: the people
    /// a new request to would be refused as "already asked".
    pub async fn asked_mentors(&self, me: Uuid) -> ClientResult<HashSet<Uuid>> {
        let rows: Vec<Uuid> = sqlx::query_scalar(
            "SELECT mentor_id FROM mentorship_requests WHERE mentee_id = $1 AND status = 'pending' \
             UNION SELECT mentor_id FROM mentorships WHERE mentee_id = $1 AND status = 'active'",
        )
        .bind(me)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().collect())
    }
}

/// The tables whose rows the CLI names by an id or a unique prefix of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// A mentorship request.
    Request,
    /// A mentorship.
    Mentorship,
    /// A goal.
    Goal,
    /// A task.
    Task,
    /// A session.
    Session,
}

impl Named {
    fn table_and_key(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Named::Request => ("mentorship_requests", "request_id", "request"),
            Named::Mentorship => ("mentorships", "mentorship_id", "mentorship"),
            Named::Goal => ("goals", "goal_id", "goal"),
            Named::Task => ("tasks", "task_id", "task"),
            Named::Session => ("mentorship_sessions", "session_id", "session"),
        }
    }
}

/// The shortest prefix of an id the CLI takes (PROGRAM.md, "The CLI").
pub const MIN_PREFIX: usize = 8;

impl Replica {
    /// The row an id, or a unique prefix of at least [`MIN_PREFIX`] hex digits, names.
    pub async fn resolve_named(&self, named: Named, spec: &str) -> ClientResult<Uuid> {
        let (table, key, what) = named.table_and_key();
        if let Ok(id) = Uuid::parse_str(spec.trim()) {
            return Ok(id);
        }
        let hex: String =
            spec.trim().chars().filter(|c| *c != '-').collect::<String>().to_lowercase();
        if hex.len() < MIN_PREFIX || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let mut e = lodestar_protocol::FieldErrors::default();
            e.add(what, "invalid");
            return Err(ClientError::Invalid(e));
        }
        let ids: Vec<Uuid> = sqlx::query_scalar(&format!(
            "SELECT {key} FROM {table} WHERE lower(hex({key})) LIKE $1 || '%' LIMIT 2"
        ))
        .bind(&hex)
        .fetch_all(self.pool())
        .await?;
        match ids.as_slice() {
            [one] => Ok(*one),
            [] => Err(ClientError::NotFound(what)),
            _ => Err(ClientError::rule(
                lodestar_protocol::ErrorCode::Conflict,
                &format!("more than one {what} starts with {spec}; give more of its id"),
            )),
        }
    }

    /// The mentorship a goal or task belongs to.
    pub async fn mentorship_of(&self, named: Named, id: Uuid) -> ClientResult<Uuid> {
        let (table, key, what) = named.table_and_key();
        let column = if named == Named::Mentorship { key } else { "mentorship_id" };
        let found: Option<Uuid> =
            sqlx::query_scalar(&format!("SELECT {column} FROM {table} WHERE {key} = $1"))
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        found.ok_or(ClientError::NotFound(what))
    }

    /// The running mentorship of the user with another person, if any.
    pub async fn mentorship_with(&self, me: Uuid, other: Uuid) -> ClientResult<Option<Uuid>> {
        Ok(sqlx::query_scalar(
            "SELECT mentorship_id FROM mentorships WHERE status = 'active' AND \
             ((mentor_id = $1 AND mentee_id = $2) OR (mentor_id = $2 AND mentee_id = $1))",
        )
        .bind(me)
        .bind(other)
        .fetch_optional(self.pool())
        .await?)
    }
}
