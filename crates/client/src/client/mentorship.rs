//! Mentorship (PROGRAM.md's first half): asking a mentor, answering requests, mentorships,
//! goals and tasks. Every action is applied to the replica and queued, then sent at once if the
//! server answers; each answers what it changed and how delivery went.

use chrono::Utc;
use lodestar_protocol::{Goal, Mentorship, MentorshipRequest, RequestBox, Task};
use uuid::Uuid;

use super::Client;
use crate::error::{ClientError, ClientResult};
use crate::outbox::{Answer, Subject};
use crate::replica::mentorship::{GoalChange, Named, TaskChange};
use crate::sync::{pull, push};

/// How an action went after it was queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The server has it.
    Sent,
    /// The server cannot be reached; it waits in the outbox.
    Queued,
    /// The server refused it (kept in the outbox as failed), for this reason.
    Refused(String),
}

impl Client {
    /// Pushes what was just queued and pulls what it changed; answers how `subject` went.
    pub(super) async fn deliver(&self, subject: Subject) -> ClientResult<Delivery> {
        self.deliver_all(&[subject]).await
    }

    /// [`Client::deliver`] for an action that is only done once all of `subjects` are (an edit
    /// of a message whose send still waits).
    pub(super) async fn deliver_all(&self, subjects: &[Subject]) -> ClientResult<Delivery> {
        let a = self.active()?;
        if push(&a.api, &a.replica).await?.stopped.is_none() {
            pull(&a.api, &a.replica, |_| {}).await?;
        }
        let keys: Vec<(&str, Uuid)> = subjects.iter().map(|s| (s.kind, s.id)).collect();
        let mark = a.replica.mentorship_marks().await?.of(&keys);
        Ok(match (mark.failed, mark.pending) {
            (Some(reason), _) => Delivery::Refused(reason),
            (None, true) => Delivery::Queued,
            (None, false) => Delivery::Sent,
        })
    }

    /// The user's requests (incoming, outgoing, or both), newest first, from the replica.
    pub async fn requests(
        &self,
        mailbox: Option<RequestBox>,
    ) -> ClientResult<Vec<MentorshipRequest>> {
        let a = self.active()?;
        a.replica.requests(a.info.user_id, mailbox).await
    }

    /// Asks a mentor (`@username`, username or id) for mentorship.
    pub async fn request_mentorship(
        &self,
        mentor: &str,
        message: &str,
    ) -> ClientResult<(MentorshipRequest, Delivery)> {
        let a = self.active()?;
        let mentor_id = match Uuid::parse_str(mentor.trim()) {
            Ok(id) => id,
            Err(_) => self.user_named(mentor).await?,
        };
        let r = a.replica.queue_request(a.info.user_id, mentor_id, message, Utc::now()).await?;
        let delivery = self.deliver(Subject { kind: "request", id: r.request_id }).await?;
        Ok((self.fresh_request(r).await?, delivery))
    }

    /// Accepts, declines or withdraws a request (its id or a unique prefix of it).
    pub async fn answer_request(
        &self,
        request: &str,
        answer: Answer,
    ) -> ClientResult<(MentorshipRequest, Delivery)> {
        let a = self.active()?;
        let id = a.replica.resolve_named(Named::Request, request).await?;
        let accept = answer == Answer::Accept;
        let r = a.replica.queue_answer(a.info.user_id, id, answer, Utc::now()).await?;
        let subject = match accept {
            true => {
                Subject { kind: "mentorship", id: lodestar_protocol::mentorship_id_for_request(id) }
            }
            false => Subject { kind: "answer", id },
        };
        let delivery = self.deliver(subject).await?;
        Ok((self.fresh_request(r).await?, delivery))
    }

    async fn fresh_request(&self, r: MentorshipRequest) -> ClientResult<MentorshipRequest> {
        Ok(self.active()?.replica.request(r.request_id).await?.unwrap_or(r))
    }

    /// The user's mentorships, active first, from the replica.
    pub async fn mentorships(&self) -> ClientResult<Vec<Mentorship>> {
        let a = self.active()?;
        a.replica.mentorships(a.info.user_id).await
    }

    /// The mentorship named by its id, a unique prefix of it, or `@username` of the other
    /// person of a running one.
    pub async fn resolve_mentorship(&self, spec: &str) -> ClientResult<Uuid> {
        let a = self.active()?;
        match spec.strip_prefix('@') {
            Some(name) => {
                let other = a.replica.user_id(name).await?.ok_or(ClientError::NotFound("user"))?;
                a.replica
                    .mentorship_with(a.info.user_id, other)
                    .await?
                    .ok_or(ClientError::NotFound("active mentorship with that person"))
            }
            None => a.replica.resolve_named(Named::Mentorship, spec).await,
        }
    }

    /// A mentorship with its goals and tasks, from the replica.
    pub async fn mentorship(&self, id: Uuid) -> ClientResult<(Mentorship, Vec<Goal>, Vec<Task>)> {
        let a = self.active()?;
        let m = a.replica.mentorship(id).await?.ok_or(ClientError::NotFound("mentorship"))?;
        Ok((m, a.replica.goals(id).await?, a.replica.tasks(id).await?))
    }

    /// Ends a running mentorship.
    pub async fn end_mentorship(
        &self,
        id: Uuid,
        reason: Option<&str>,
    ) -> ClientResult<(Mentorship, Delivery)> {
        let a = self.active()?;
        let m = a.replica.queue_end(a.info.user_id, id, reason, Utc::now()).await?;
        let delivery = self.deliver(Subject { kind: "end", id }).await?;
        Ok((a.replica.mentorship(id).await?.unwrap_or(m), delivery))
    }

    /// Adds or edits a goal.
    pub async fn save_goal(
        &self,
        mentorship_id: Uuid,
        change: GoalChange,
    ) -> ClientResult<(Goal, Delivery)> {
        let a = self.active()?;
        let g = a.replica.queue_goal(a.info.user_id, mentorship_id, change, Utc::now()).await?;
        let delivery = self.deliver(Subject { kind: "goal", id: g.goal_id }).await?;
        let fresh =
            a.replica.goals(mentorship_id).await?.into_iter().find(|x| x.goal_id == g.goal_id);
        Ok((fresh.unwrap_or(g), delivery))
    }

    /// Adds or edits (ticks, reassigns) a task.
    pub async fn save_task(
        &self,
        mentorship_id: Uuid,
        change: TaskChange,
    ) -> ClientResult<(Task, Delivery)> {
        let a = self.active()?;
        let t = a.replica.queue_task(a.info.user_id, mentorship_id, change, Utc::now()).await?;
        let delivery = self.deliver(Subject { kind: "task", id: t.task_id }).await?;
        let fresh =
            a.replica.tasks(mentorship_id).await?.into_iter().find(|x| x.task_id == t.task_id);
        Ok((fresh.unwrap_or(t), delivery))
    }

    /// A goal or task (its id or a unique prefix) with the mentorship it belongs to.
    pub async fn resolve_item(&self, named: Named, spec: &str) -> ClientResult<(Uuid, Uuid)> {
        let a = self.active()?;
        let id = a.replica.resolve_named(named, spec).await?;
        Ok((a.replica.mentorship_of(named, id).await?, id))
    }
}
