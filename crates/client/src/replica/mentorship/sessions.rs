//! The user's own session actions (propose, move, confirm, cancel, feedback), checked by the
//! contract's rules as far as the replica can tell, applied at once and queued in one
//! transaction, as `local.rs` does for goals and tasks. The server has the last word.

use chrono::{DateTime, Utc};
use lodestar_protocol::validate;
use lodestar_protocol::{
    CreateSessionRequest, ErrorCode, Feedback, FeedbackRequest, Session, SessionStatus,
    UpdateSessionRequest,
};
use uuid::Uuid;

use super::local::{active, load};
use super::{decode, record, store_session, Tx};
use crate::error::{ClientError, ClientResult};
use crate::outbox::{GiveFeedback, OutboxAction, SaveSession, SessionStep, Step};
use crate::replica::{enqueue, Replica};

/// A session proposed or moved here.
#[derive(Debug, Clone)]
pub enum SessionChange {
    /// A new session, as `POST /v1/mentorships/{id}/sessions` takes it.
    New(CreateSessionRequest),
    /// An edit, as `PATCH /v1/sessions/{id}` takes it.
    Edit(Uuid, UpdateSessionRequest),
}

/// Stores feedback the user gave.
pub(crate) async fn store_feedback(tx: &mut Tx<'_>, f: &Feedback) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO session_feedback (session_id, record) VALUES ($1, $2) \
         ON CONFLICT (session_id) DO UPDATE SET record = excluded.record",
    )
    .bind(f.session_id)
    .bind(record(f)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The replica's copy of a session, if any (a pull compares it with the server's).
pub(crate) async fn stored_session(tx: &mut Tx<'_>, id: Uuid) -> ClientResult<Option<Session>> {
    let row: Option<String> =
        sqlx::query_scalar("SELECT record FROM mentorship_sessions WHERE session_id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    row.as_deref().map(decode).transpose()
}

async fn session(tx: &mut Tx<'_>, session_id: Uuid) -> ClientResult<Session> {
    let sql = "SELECT record FROM mentorship_sessions WHERE session_id = $1";
    load(tx, sql, session_id, "session").await
}

fn cancelled() -> ClientError {
    ClientError::rule(ErrorCode::Conflict, "this session was cancelled")
}

impl Replica {
    /// Proposes a session, or moves or edits one (a new time makes it proposed again, by the
    /// user); answers it as shown now.
    pub async fn queue_session(
        &self,
        me: Uuid,
        mentorship_id: Uuid,
        change: SessionChange,
        now: DateTime<Utc>,
    ) -> ClientResult<Session> {
        let mut tx = self.write().await?;
        active(&mut tx, mentorship_id).await?;
        let (session, action) = match change {
            SessionChange::New(req) => {
                let v = validate::new_session(&req, now)?;
                let session = Session {
                    session_id: v.session_id,
                    mentorship_id,
                    starts_at: v.starts_at,
                    duration_minutes: v.duration_minutes,
                    time_zone: v.time_zone,
                    location: v.location,
                    agenda: v.agenda,
                    status: SessionStatus::Proposed,
                    proposed_by: me,
                    confirmed_at: None,
                    cancelled_by: None,
                    cancel_reason: None,
                    sequence: 0,
                    created_at: now,
                    updated_at: now,
                };
                (session, SaveSession::new(mentorship_id, req))
            }
            SessionChange::Edit(session_id, req) => {
                let v = validate::session_patch(&req, now)?;
                let mut s = session(&mut tx, session_id).await?;
                if s.mentorship_id != mentorship_id {
                    return Err(ClientError::NotFound("session"));
                }
                if s.status == SessionStatus::Cancelled {
                    return Err(cancelled());
                }
                if v.moves() {
                    s.status = SessionStatus::Proposed;
                    s.confirmed_at = None;
                    s.proposed_by = me;
                }
                if let Some(at) = v.starts_at {
                    s.starts_at = at;
                }
                if let Some(n) = v.duration_minutes {
                    s.duration_minutes = n;
                }
                if let Some(z) = v.time_zone {
                    s.time_zone = z;
                }
                if let Some(l) = v.location {
                    s.location = l;
                }
                if let Some(a) = v.agenda {
                    s.agenda = a;
                }
                s.sequence += 1;
                s.updated_at = now;
                (s, SaveSession::edit(mentorship_id, session_id, req))
            }
        };
        store_session(&mut tx, &session).await?;
        enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(session)
    }

    /// Confirms (the person who did not propose it) or cancels a session.
    pub async fn queue_session_step(
        &self,
        me: Uuid,
        session_id: Uuid,
        step: Step,
        now: DateTime<Utc>,
    ) -> ClientResult<Session> {
        let mut tx = self.write().await?;
        let mut s = session(&mut tx, session_id).await?;
        active(&mut tx, s.mentorship_id).await?;
        if s.status == SessionStatus::Cancelled {
            return Err(cancelled());
        }
        match &step {
            Step::Confirm => {
                if s.status == SessionStatus::Confirmed {
                    return Ok(s);
                }
                if s.proposed_by == me {
                    return Err(ClientError::rule(
                        ErrorCode::Forbidden,
                        "you proposed this session: the other person confirms it",
                    ));
                }
                if s.starts_at <= now {
                    return Err(ClientError::field("starts_at", "in_the_past"));
                }
                s.status = SessionStatus::Confirmed;
                s.confirmed_at = Some(now);
            }
            Step::Cancel { reason } => {
                s.status = SessionStatus::Cancelled;
                s.cancelled_by = Some(me);
                s.cancel_reason = validate::optional_reason(reason.as_deref())?;
            }
        }
        s.sequence += 1;
        s.updated_at = now;
        store_session(&mut tx, &s).await?;
        let action = SessionStep { mentorship_id: s.mentorship_id, session_id, step };
        enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Gives (or replaces) the user's feedback on a held session.
    pub async fn queue_feedback(
        &self,
        me: Uuid,
        session_id: Uuid,
        req: FeedbackRequest,
        now: DateTime<Utc>,
    ) -> ClientResult<Feedback> {
        let v = validate::feedback(&req)?;
        let mut tx = self.write().await?;
        let s = session(&mut tx, session_id).await?;
        if !s.held(now) {
            return Err(ClientError::field("session_id", "not_held"));
        }
        let f = Feedback {
            session_id,
            author_id: me,
            rating: v.rating,
            fit: v.fit,
            comment: v.comment,
            created_at: now,
        };
        store_feedback(&mut tx, &f).await?;
        let action = GiveFeedback { mentorship_id: s.mentorship_id, session_id, feedback: req };
        enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(f)
    }

    /// The confirmed sessions of running mentorships that start within `lead` of `now` and
    /// were not reminded of yet on this device, with each mentorship's mentor and mentee; each
    /// is marked reminded in the same transaction, so it is answered once.
    pub async fn take_reminders(
        &self,
        now: DateTime<Utc>,
        lead: chrono::TimeDelta,
    ) -> ClientResult<Vec<(Session, Uuid, Uuid)>> {
        // Read first, on the pool: the engine asks every 20 seconds, and nearly always nothing
        // is due, so the writers' lock is taken only when something is.
        let rows: Vec<(String, Uuid, Uuid)> = sqlx::query_as(
            "SELECT s.record, m.mentor_id, m.mentee_id FROM mentorship_sessions s \
             JOIN mentorships m USING (mentorship_id) \
             WHERE m.status = 'active' AND s.starts_at > $1 AND s.starts_at <= $2 \
             AND s.session_id NOT IN (SELECT session_id FROM session_reminders)",
        )
        .bind(now - lead)
        .bind(now + lead)
        .fetch_all(self.pool())
        .await?;
        let mut candidates = Vec::new();
        for (json, mentor, mentee) in rows {
            let s: Session = decode(&json)?;
            // Stored times compare as text: the precise test is on the record.
            if s.status == SessionStatus::Confirmed
                && s.starts_at > now
                && s.starts_at - lead <= now
            {
                candidates.push((s, mentor, mentee));
            }
        }
        if candidates.is_empty() {
            return Ok(candidates);
        }
        let mut tx = self.write().await?;
        let mut due = Vec::new();
        for c in candidates {
            // Taken here, once: a reminder another caller took meanwhile is not answered again.
            let taken = sqlx::query(
                "INSERT INTO session_reminders (session_id, shown_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(c.0.session_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if taken.rows_affected() == 1 {
                due.push(c);
            }
        }
        tx.commit().await?;
        Ok(due)
    }

    /// A session, if the replica has it.
    pub async fn session(&self, session_id: Uuid) -> ClientResult<Option<Session>> {
        let row: Option<String> =
            sqlx::query_scalar("SELECT record FROM mentorship_sessions WHERE session_id = $1")
                .bind(session_id)
                .fetch_optional(self.pool())
                .await?;
        row.as_deref().map(decode).transpose()
    }

    /// The feedback the user gave on a session, if any.
    pub async fn feedback(&self, session_id: Uuid) -> ClientResult<Option<Feedback>> {
        let row: Option<String> =
            sqlx::query_scalar("SELECT record FROM session_feedback WHERE session_id = $1")
                .bind(session_id)
                .fetch_optional(self.pool())
                .await?;
        row.as_deref().map(decode).transpose()
    }

    /// Whether the app already asked for feedback on a session.
    pub async fn feedback_asked(&self, session_id: Uuid) -> ClientResult<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT count(*) FROM feedback_prompts WHERE session_id = $1")
                .bind(session_id)
                .fetch_one(self.pool())
                .await?;
        Ok(n > 0)
    }

    /// Notes that the app asked for feedback on a session (answered or dismissed).
    pub async fn mark_feedback_asked(
        &self,
        session_id: Uuid,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        sqlx::query("INSERT INTO feedback_prompts (session_id, asked_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(session_id)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The next session of each of the user's running mentorships that is not cancelled and
    /// has not ended by `now`, soonest first, with the mentorship's mentor and mentee.
    async fn upcoming(&self, now: DateTime<Utc>) -> ClientResult<Vec<(Session, Uuid, Uuid)>> {
        let rows: Vec<(String, Uuid, Uuid)> = sqlx::query_as(
            "SELECT s.record, m.mentor_id, m.mentee_id FROM mentorship_sessions s \
             JOIN mentorships m USING (mentorship_id) \
             WHERE m.status = 'active' AND s.starts_at >= $1 ORDER BY s.starts_at",
        )
        .bind(now - chrono::TimeDelta::minutes(validate::limits::SESSION_MINUTES.1))
        .fetch_all(self.pool())
        .await?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (json, mentor, mentee) in rows {
            let s: Session = decode(&json)?;
            if s.status != SessionStatus::Cancelled
                && s.ends_at() > now
                && seen.insert(s.mentorship_id)
            {
                out.push((s, mentor, mentee));
            }
        }
        Ok(out)
    }

    /// The next session of each running mentorship (not cancelled, not over), soonest first.
    pub async fn next_sessions(&self, now: DateTime<Utc>) -> ClientResult<Vec<Session>> {
        Ok(self.upcoming(now).await?.into_iter().map(|(s, _, _)| s).collect())
    }

    /// When the next session of each mentor's and mentee's conversation starts.
    pub async fn next_session_by_conversation(
        &self,
        now: DateTime<Utc>,
    ) -> ClientResult<std::collections::HashMap<Uuid, DateTime<Utc>>> {
        Ok(self
            .upcoming(now)
            .await?
            .into_iter()
            .map(|(s, a, b)| (lodestar_protocol::direct_conversation_id(a, b), s.starts_at))
            .collect())
    }
}
