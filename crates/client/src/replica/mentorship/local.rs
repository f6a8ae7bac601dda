//! The user's own mentorship actions: checked by the contract's rules as far as the replica can
//! tell, applied to the replica at once and queued, in one transaction, so they work offline and
//! show at once. The server has the last word; its answer or a pull replaces what is shown here.

use chrono::{DateTime, TimeDelta, Utc};
use lodestar_protocol::validate::{self, limits};
use lodestar_protocol::{
    mentorship_id_for_request, CreateGoalRequest, CreateTaskRequest, ErrorCode, Goal, GoalStatus,
    Mentorship, MentorshipRequest, MentorshipStatus, RequestStatus, Task, UpdateGoalRequest,
    UpdateTaskRequest,
};
use uuid::Uuid;

use super::{decode, store_goal, store_mentorship, store_request, store_task, Tx};
use crate::error::{ClientError, ClientResult};
use crate::outbox::{
    Answer, AnswerRequest, AskMentor, EndMentorship, OutboxAction, SaveGoal, SaveTask,
};
use crate::replica::{enqueue, Replica};

/// A goal added or edited here.
#[derive(Debug, Clone)]
pub enum GoalChange {
    /// A new goal, as `POST /v1/mentorships/{id}/goals` takes it.
    New(CreateGoalRequest),
    /// An edit, as `PATCH /v1/goals/{id}` takes it.
    Edit(Uuid, UpdateGoalRequest),
}

/// A task added or edited here.
#[derive(Debug, Clone)]
pub enum TaskChange {
    /// A new task, as `POST /v1/mentorships/{id}/tasks` takes it.
    New(CreateTaskRequest),
    /// An edit, as `PATCH /v1/tasks/{id}` takes it.
    Edit(Uuid, UpdateTaskRequest),
}

fn refused(code: ErrorCode, message: &str) -> ClientError {
    ClientError::rule(code, message)
}

pub(super) async fn load<T: serde::de::DeserializeOwned>(
    tx: &mut Tx<'_>,
    sql: &str,
    id: Uuid,
    what: &'static str,
) -> ClientResult<T> {
    let row: Option<String> = sqlx::query_scalar(sql).bind(id).fetch_optional(&mut **tx).await?;
    decode(&row.ok_or(ClientError::NotFound(what))?)
}

/// The mentorship, which must be running for anything to be written into it.
pub(super) async fn active(tx: &mut Tx<'_>, mentorship_id: Uuid) -> ClientResult<Mentorship> {
    let m: Mentorship = load(
        tx,
        "SELECT record FROM mentorships WHERE mentorship_id = $1",
        mentorship_id,
        "mentorship",
    )
    .await?;
    if m.status != MentorshipStatus::Active {
        return Err(refused(ErrorCode::Conflict, "this mentorship has ended"));
    }
    Ok(m)
}

/// Moves a mentor's open slots by `delta` within their capacity, as the server will.
async fn shift_slots(tx: &mut Tx<'_>, mentor: Uuid, delta: i32) -> ClientResult<()> {
    sqlx::query(
        "UPDATE users SET open_slots = max(0, min(mentee_capacity, open_slots + $2)) WHERE user_id = $1",
    )
    .bind(mentor)
    .bind(delta)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Replica {
    /// Asks a mentor for mentorship: shown at once as a pending request, sent when online.
    pub async fn queue_request(
        &self,
        me: Uuid,
        mentor_id: Uuid,
        message: &str,
        now: DateTime<Utc>,
    ) -> ClientResult<MentorshipRequest> {
        let message = validate::mentorship::new_request(message)?;
        if mentor_id == me {
            return Err(ClientError::field("mentor_id", "self"));
        }
        if self.asked_mentors(me).await?.contains(&mentor_id) {
            return Err(refused(
                ErrorCode::Conflict,
                "you already have a pending request to, or a mentorship with, this mentor",
            ));
        }
        let mut tx = self.write().await?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM mentorship_requests WHERE mentee_id = $1 AND status = 'pending'",
        )
        .bind(me)
        .fetch_one(&mut *tx)
        .await?;
        if pending >= limits::PENDING_REQUESTS_MAX {
            return Err(refused(
                ErrorCode::LimitReached,
                "you have 5 pending requests; wait for an answer or withdraw one",
            ));
        }
        let request = MentorshipRequest {
            request_id: Uuid::new_v4(),
            mentee_id: me,
            mentor_id,
            message: message.clone(),
            status: RequestStatus::Pending,
            decline_reason: None,
            created_at: now,
            expires_at: now + TimeDelta::days(limits::REQUEST_TTL_DAYS),
            responded_at: None,
            mentorship_id: None,
        };
        store_request(&mut tx, &request).await?;
        let action = AskMentor { request_id: request.request_id, mentor_id, message };
        enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(request)
    }

    /// Accepts, declines or withdraws a pending request. An accept opens the mentorship (its
    /// id derived from the request's, so it is the one the server will open) and the pair's
    /// conversation here at once.
    pub async fn queue_answer(
        &self,
        me: Uuid,
        request_id: Uuid,
        answer: Answer,
        now: DateTime<Utc>,
    ) -> ClientResult<MentorshipRequest> {
        let mut tx = self.write().await?;
        let mut r: MentorshipRequest = load(
            &mut tx,
            "SELECT record FROM mentorship_requests WHERE request_id = $1",
            request_id,
            "request",
        )
        .await?;
        let mine = match answer {
            Answer::Withdraw => r.mentee_id == me,
            Answer::Accept | Answer::Decline { .. } => r.mentor_id == me,
        };
        if !mine {
            let who = if r.mentor_id == me { "the mentee" } else { "the mentor" };
            return Err(refused(
                ErrorCode::Forbidden,
                &format!("only {who} can {} this request", answer.verb()),
            ));
        }
        if r.status != RequestStatus::Pending || r.expires_at <= now {
            return Err(refused(ErrorCode::NotPending, "this request is no longer pending"));
        }
        r.responded_at = Some(now);
        match &answer {
            Answer::Accept => {
                let mentorship_id = mentorship_id_for_request(request_id);
                let conversation_id =
                    crate::outbox::open_direct_in(&mut tx, me, r.mentee_id, now).await?;
                let m = Mentorship {
                    mentorship_id,
                    mentor_id: r.mentor_id,
                    mentee_id: r.mentee_id,
                    conversation_id,
                    status: MentorshipStatus::Active,
                    started_at: now,
                    ended_at: None,
                    ended_by: None,
                    end_reason: None,
                };
                store_mentorship(&mut tx, &m).await?;
                shift_slots(&mut tx, me, -1).await?;
                r.status = RequestStatus::Accepted;
                r.mentorship_id = Some(mentorship_id);
            }
            Answer::Decline { reason } => {
                r.status = RequestStatus::Declined;
                r.decline_reason = validate::mentorship::optional_reason(reason.as_deref())?;
            }
            Answer::Withdraw => r.status = RequestStatus::Withdrawn,
        }
        store_request(&mut tx, &r).await?;
        enqueue(&mut tx, OutboxAction::from(AnswerRequest { request_id, answer }), now).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Ends a running mentorship, freeing the mentor's slot.
    pub async fn queue_end(
        &self,
        me: Uuid,
        mentorship_id: Uuid,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> ClientResult<Mentorship> {
        let reason = validate::mentorship::optional_reason(reason)?;
        let mut tx = self.write().await?;
        let mut m = active(&mut tx, mentorship_id).await?;
        m.status = MentorshipStatus::Ended;
        m.ended_at = Some(now);
        m.ended_by = Some(me);
        m.end_reason.clone_from(&reason);
        store_mentorship(&mut tx, &m).await?;
        shift_slots(&mut tx, m.mentor_id, 1).await?;
        enqueue(&mut tx, OutboxAction::from(EndMentorship { mentorship_id, reason }), now).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Adds or edits a goal of a running mentorship.
    pub async fn queue_goal(
        &self,
        me: Uuid,
        mentorship_id: Uuid,
        change: GoalChange,
        now: DateTime<Utc>,
    ) -> ClientResult<Goal> {
        let mut tx = self.write().await?;
        active(&mut tx, mentorship_id).await?;
        let (goal, action) = match change {
            GoalChange::New(req) => {
                let v = validate::mentorship::new_goal(&req)?;
                let goal = Goal {
                    goal_id: v.goal_id,
                    mentorship_id,
                    title: v.title,
                    details: v.details,
                    status: GoalStatus::Open,
                    due_date: v.due_date,
                    created_by: me,
                    created_at: now,
                    updated_at: now,
                };
                (goal, SaveGoal::new(mentorship_id, req))
            }
            GoalChange::Edit(goal_id, patch) => {
                let v = validate::mentorship::goal_patch(&patch)?;
                let sql = "SELECT record FROM goals WHERE goal_id = $1";
                let mut goal: Goal = load(&mut tx, sql, goal_id, "goal").await?;
                if goal.mentorship_id != mentorship_id {
                    return Err(ClientError::NotFound("goal"));
                }
                if let Some(t) = v.title {
                    goal.title = t;
                }
                if let Some(d) = v.details {
                    goal.details = d;
                }
                if let Some(s) = v.status {
                    goal.status = s;
                }
                if let Some(d) = v.due_date {
                    goal.due_date = d;
                }
                goal.updated_at = now;
                (goal, SaveGoal::edit(mentorship_id, goal_id, patch))
            }
        };
        store_goal(&mut tx, &goal).await?;
        enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(goal)
    }

    /// Adds or edits (ticks, reassigns) a task of a running mentorship.
    pub async fn queue_task(
        &self,
        me: Uuid,
        mentorship_id: Uuid,
        change: TaskChange,
        now: DateTime<Utc>,
    ) -> ClientResult<Task> {
        let mut tx = self.write().await?;
        let m = active(&mut tx, mentorship_id).await?;
        let pair = [m.mentor_id, m.mentee_id];
        let (task, action) = match change {
            TaskChange::New(req) => {
                let v = validate::mentorship::new_task(&req)?;
                let assignee_id = v.assignee_id.unwrap_or(me);
                if !pair.contains(&assignee_id) {
                    return Err(ClientError::field("assignee_id", "not_in_mentorship"));
                }
                if let Some(goal) = v.goal_id {
                    let sql =
                        "SELECT count(*) FROM goals WHERE goal_id = $1 AND mentorship_id = $2";
                    let n: i64 = sqlx::query_scalar(sql)
                        .bind(goal)
                        .bind(mentorship_id)
                        .fetch_one(&mut *tx)
                        .await?;
                    if n == 0 {
                        return Err(ClientError::field("goal_id", "unknown_goal"));
                    }
                }
                let task = Task {
                    task_id: v.task_id,
                    mentorship_id,
                    goal_id: v.goal_id,
                    title: v.title,
                    assignee_id,
                    due_date: v.due_date,
                    done_at: None,
                    source_message_id: v.source_message_id,
                    created_by: me,
                    created_at: now,
                    updated_at: now,
                };
                (task, SaveTask::new(mentorship_id, req))
            }
            TaskChange::Edit(task_id, patch) => {
                let v = validate::mentorship::task_patch(&patch)?;
                let sql = "SELECT record FROM tasks WHERE task_id = $1";
                let mut task: Task = load(&mut tx, sql, task_id, "task").await?;
                if task.mentorship_id != mentorship_id {
                    return Err(ClientError::NotFound("task"));
                }
                if let Some(a) = v.assignee_id {
                    if !pair.contains(&a) {
                        return Err(ClientError::field("assignee_id", "not_in_mentorship"));
                    }
                    task.assignee_id = a;
                }
                if let Some(t) = v.title {
                    task.title = t;
                }
                if let Some(d) = v.due_date {
                    task.due_date = d;
                }
                if let Some(done) = v.done {
                    // Ticking a ticked task keeps when it was first ticked.
                    task.done_at = if done { task.done_at.or(Some(now)) } else { None };
                }
                task.updated_at = now;
                (task, SaveTask::edit(mentorship_id, task_id, patch))
            }
        };
        store_task(&mut tx, &task).await?;
        enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(task)
    }
}
