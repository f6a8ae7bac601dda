//! Mentorship requests and their answers, and ending a mentorship, as outbox actions.
//!
//! Subjects: a request's creation is `request`, a decline or withdrawal `answer` (both by the
//! request's id); an accept is `mentorship` by the mentorship's id (derived from the request's),
//! so that everything written into a mentorship accepted offline (goals, tasks, its end) waits
//! for the accept, and is blocked with its reason if the server refuses it.

use lodestar_protocol::{
    mentorship_id_for_request, CreateMentorshipRequest, Mentorship, MentorshipRequest,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Action, Lane, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::replica::mentorship::{
    forget_mentorship, store_goal, store_mentorship, store_request, store_session, store_task,
};
use crate::replica::Replica;

/// `POST /v1/mentorship-requests`: a mentee asks a mentor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AskMentor {
    /// Made here; the idempotency key.
    pub request_id: Uuid,
    /// Who is asked.
    pub mentor_id: Uuid,
    /// What the mentee wrote.
    pub message: String,
}

impl Action for AskMentor {
    type Sent = MentorshipRequest;

    fn lane(&self) -> Lane {
        Lane::Request(self.request_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "request", id: self.request_id }
    }

    fn summary(&self) -> Summary {
        Summary {
            title: "Mentorship request".to_owned(),
            detail: crate::engine::notify::preview_text(&self.message),
        }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Self::Sent> {
        let req = CreateMentorshipRequest {
            request_id: self.request_id,
            mentor_id: self.mentor_id,
            message: self.message.clone(),
        };
        api.create_request(&req).await
    }

    async fn acked(&self, tx: &mut Tx, sent: &Self::Sent) -> ClientResult<()> {
        store_request(tx, sent).await.map(|_| ())
    }

    /// The request only ever existed here.
    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        sqlx::query("DELETE FROM mentorship_requests WHERE request_id = $1")
            .bind(self.request_id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

/// How a pending request is answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Answer {
    /// The mentor takes the mentee on.
    Accept,
    /// The mentor says no, perhaps with a reason.
    Decline {
        /// Why, if they said.
        reason: Option<String>,
    },
    /// The mentee takes it back.
    Withdraw,
}

impl Answer {
    /// The verb, for messages ("only the mentor can accept this request").
    pub fn verb(&self) -> &'static str {
        match self {
            Answer::Accept => "accept",
            Answer::Decline { .. } => "decline",
            Answer::Withdraw => "withdraw",
        }
    }
}

/// `POST /v1/mentorship-requests/{id}/accept|decline|withdraw`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnswerRequest {
    /// The request.
    pub request_id: Uuid,
    /// The answer.
    #[serde(flatten)]
    pub answer: Answer,
}

/// What the server answers to an answer: the request, and for an accept the mentorship.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answered {
    /// The request as it now stands.
    pub request: MentorshipRequest,
    /// The mentorship an accept opened.
    pub mentorship: Option<Mentorship>,
}

impl Action for AnswerRequest {
    type Sent = Answered;

    fn lane(&self) -> Lane {
        match self.answer {
            Answer::Accept => Lane::Mentorship(mentorship_id_for_request(self.request_id)),
            _ => Lane::Request(self.request_id),
        }
    }

    fn subject(&self) -> Subject {
        match self.answer {
            Answer::Accept => {
                Subject { kind: "mentorship", id: mentorship_id_for_request(self.request_id) }
            }
            _ => Subject { kind: "answer", id: self.request_id },
        }
    }

    /// A withdrawal waits for the request to reach the server (both made offline).
    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "request", id: self.request_id })
    }

    fn summary(&self) -> Summary {
        let title = match self.answer {
            Answer::Accept => "Accept mentorship request",
            Answer::Decline { .. } => "Decline mentorship request",
            Answer::Withdraw => "Withdraw mentorship request",
        };
        let detail = match &self.answer {
            Answer::Decline { reason: Some(r) } => crate::engine::notify::preview_text(r),
            _ => String::new(),
        };
        Summary { title: title.to_owned(), detail }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Answered> {
        let id = self.request_id;
        Ok(match &self.answer {
            Answer::Accept => {
                let a = api.accept_request(id).await?;
                Answered { request: a.request, mentorship: Some(a.mentorship) }
            }
            Answer::Decline { reason } => Answered {
                request: api.decline_request(id, reason.as_deref()).await?,
                mentorship: None,
            },
            Answer::Withdraw => {
                Answered { request: api.withdraw_request(id).await?, mentorship: None }
            }
        })
    }

    async fn acked(&self, tx: &mut Tx, sent: &Answered) -> ClientResult<()> {
        store_request(tx, &sent.request).await?;
        if let Some(m) = &sent.mentorship {
            store_mentorship(tx, m).await?;
        }
        Ok(())
    }

    /// Shows the server's requests again; a refused accept's mentorship never existed there.
    async fn refused(&self, api: &Api, replica: &Replica) -> ClientResult<()> {
        if self.answer == Answer::Accept {
            refresh_mentorship(api, replica, mentorship_id_for_request(self.request_id)).await?;
        }
        refresh_requests(api, replica).await
    }
}

/// `POST /v1/mentorships/{id}/end`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndMentorship {
    /// The mentorship.
    pub mentorship_id: Uuid,
    /// Why, if they said.
    pub reason: Option<String>,
}

impl Action for EndMentorship {
    type Sent = Mentorship;

    fn lane(&self) -> Lane {
        Lane::Mentorship(self.mentorship_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "end", id: self.mentorship_id }
    }

    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "mentorship", id: self.mentorship_id })
    }

    fn summary(&self) -> Summary {
        let detail = self.reason.as_deref().map(crate::engine::notify::preview_text);
        Summary { title: "End mentorship".to_owned(), detail: detail.unwrap_or_default() }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Mentorship> {
        api.end_mentorship(self.mentorship_id, self.reason.as_deref()).await
    }

    async fn acked(&self, tx: &mut Tx, sent: &Mentorship) -> ClientResult<()> {
        store_mentorship(tx, sent).await
    }

    async fn refused(&self, api: &Api, replica: &Replica) -> ClientResult<()> {
        refresh_mentorship(api, replica, self.mentorship_id).await
    }
}

/// Shows the server's copy of a mentorship, its goals and tasks again (after a refusal); one the
/// server does not have only ever existed here and goes. Best effort: offline, it waits for the
/// next pull.
pub(super) async fn refresh_mentorship(
    api: &Api,
    replica: &Replica,
    mentorship_id: Uuid,
) -> ClientResult<()> {
    let detail = match api.mentorship(mentorship_id).await {
        Ok(d) => Some(d),
        Err(ClientError::Server { status: 404, .. }) => None,
        Err(_) => return Ok(()),
    };
    let mut tx = replica.write().await?;
    match detail {
        Some(d) => {
            store_mentorship(&mut tx, &d.mentorship).await?;
            for g in &d.goals {
                store_goal(&mut tx, g).await?;
            }
            for t in &d.tasks {
                store_task(&mut tx, t).await?;
            }
            for x in &d.sessions {
                store_session(&mut tx, x).await?;
            }
        }
        None => forget_mentorship(&mut tx, mentorship_id).await?,
    }
    tx.commit().await?;
    Ok(())
}

/// Shows the server's copy of the user's requests again (after a refused answer).
async fn refresh_requests(api: &Api, replica: &Replica) -> ClientResult<()> {
    let Ok(list) = api.requests().await else { return Ok(()) };
    let mut tx = replica.write().await?;
    for r in &list.requests {
        store_request(&mut tx, r).await?;
    }
    tx.commit().await?;
    Ok(())
}
