//! Sessions as outbox actions: proposing and moving one is a [`Save`] over [`SessionPlan`] (so
//! offline edits fold into one request, as goals' do); confirming and cancelling are a
//! [`SessionStep`]; feedback is [`GiveFeedback`], a newer one replacing a waiting one.

use lodestar_protocol::{
    CreateSessionRequest, Feedback, FeedbackRequest, Session, UpdateSessionRequest,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::mentorship::refresh_mentorship;
use super::{Action, Lane, Plan, Save, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::ClientResult;
use crate::replica::mentorship::{store_feedback, store_session};
use crate::replica::Replica;

/// A session proposed or moved here.
pub type SaveSession = Save<SessionPlan>;

/// Sessions, as something planned in a mentorship.
#[derive(Debug, Clone)]
pub struct SessionPlan;

impl Plan for SessionPlan {
    const SUBJECT: &'static str = "session";
    const FORGET: &'static str = "DELETE FROM mentorship_sessions WHERE session_id = $1";
    type Create = CreateSessionRequest;
    type Patch = UpdateSessionRequest;
    type Record = Session;

    fn id(create: &CreateSessionRequest) -> Uuid {
        create.session_id
    }

    fn summary(
        create: Option<&CreateSessionRequest>,
        patch: &UpdateSessionRequest,
    ) -> (&'static str, String) {
        let title = if create.is_some() { "Session proposed" } else { "Session change" };
        let detail = match (create, &patch.starts_at) {
            (_, Some(at)) => at.clone(),
            (Some(c), None) => c.starts_at.clone(),
            (None, None) => String::new(),
        };
        (title, detail)
    }

    async fn create(
        api: &Api,
        mentorship: Uuid,
        c: &CreateSessionRequest,
    ) -> ClientResult<Session> {
        api.propose_session(mentorship, c).await
    }

    async fn update(api: &Api, id: Uuid, p: &UpdateSessionRequest) -> ClientResult<Session> {
        api.edit_session(id, p).await
    }

    async fn store(tx: &mut Tx, record: &Session) -> ClientResult<()> {
        store_session(tx, record).await
    }
}

/// What the other person does with a session: confirm it, or either of them cancels it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// The person who did not propose it agrees to the time.
    Confirm,
    /// Either of the two calls it off.
    Cancel {
        /// Why, if they said.
        reason: Option<String>,
    },
}

/// `POST /v1/sessions/{id}/confirm|cancel`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionStep {
    /// Its mentorship (the lane).
    pub mentorship_id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// What is done.
    #[serde(flatten)]
    pub step: Step,
}

impl Action for SessionStep {
    type Sent = Session;

    fn lane(&self) -> Lane {
        Lane::Mentorship(self.mentorship_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "session_step", id: self.session_id }
    }

    /// A session proposed offline reaches the server first; refused, this is blocked with it.
    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "session", id: self.session_id })
    }

    fn summary(&self) -> Summary {
        let (title, detail) = match &self.step {
            Step::Confirm => ("Confirm session", String::new()),
            Step::Cancel { reason } => (
                "Cancel session",
                reason.as_deref().map(crate::engine::notify::preview_text).unwrap_or_default(),
            ),
        };
        Summary { title: title.to_owned(), detail }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Session> {
        match &self.step {
            Step::Confirm => api.confirm_session(self.session_id).await,
            Step::Cancel { reason } => api.cancel_session(self.session_id, reason.as_deref()).await,
        }
    }

    async fn acked(&self, tx: &mut Tx, sent: &Session) -> ClientResult<()> {
        store_session(tx, sent).await
    }

    async fn refused(&self, api: &Api, replica: &Replica) -> ClientResult<()> {
        refresh_mentorship(api, replica, self.mentorship_id).await
    }
}

/// `POST /v1/sessions/{id}/feedback`: the author's rating, fit and comment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GiveFeedback {
    /// Its mentorship (the lane).
    pub mentorship_id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// As the route takes it.
    pub feedback: FeedbackRequest,
}

impl Action for GiveFeedback {
    type Sent = Feedback;

    fn lane(&self) -> Lane {
        Lane::Mentorship(self.mentorship_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "feedback", id: self.session_id }
    }

    fn summary(&self) -> Summary {
        let f = &self.feedback;
        Summary {
            title: "Session feedback".to_owned(),
            detail: format!("{}/5, {}", f.rating, f.fit),
        }
    }

    /// The server keeps one feedback per person and session: a newer one replaces it.
    fn fold(&mut self, newer: &Self) -> bool {
        self.feedback = newer.feedback.clone();
        true
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Feedback> {
        api.give_feedback(self.session_id, &self.feedback).await
    }

    async fn acked(&self, tx: &mut Tx, sent: &Feedback) -> ClientResult<()> {
        store_feedback(tx, sent).await
    }

    /// Refused feedback (given before the session ended, say) is not kept as given.
    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        sqlx::query("DELETE FROM session_feedback WHERE session_id = $1")
            .bind(self.session_id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}
