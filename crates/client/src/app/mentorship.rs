//! Mentorship for the window: the Requests inbox, the mentorships and each one's panel of goals
//! and action items. Every action is applied to the replica and queued at once (so it shows
//! at once, offline too); the engine sends it, and a refusal comes back as `failed` on the
//! thing it concerned, with the server's reason.

use chrono::Utc;
use lodestar_protocol::{
    CreateGoalRequest, CreateTaskRequest, RequestBox, UpdateGoalRequest, UpdateTaskRequest,
};
use uuid::Uuid;

use super::views::mentorship::{
    goal_view, mentorship_view, request_view, task_view, GoalEdit, GoalView, MentorshipDetailView,
    MentorshipView, RequestView, TaskEdit, TaskView,
};
use super::views::sessions::session_view;
use super::App;
use crate::engine::Topic;
use crate::error::{ClientError, ClientResult};
use crate::outbox::Answer;
use crate::replica::mentorship::{GoalChange, TaskChange};

/// A blank text clears the field; absent leaves it.
pub(super) fn clearable(v: &Option<String>) -> Option<Option<String>> {
    v.as_ref().map(|s| Some(s.trim().to_owned()).filter(|s| !s.is_empty()))
}

impl App {
    /// Something was queued: push it now, and re-read what it changed.
    pub(super) async fn queued(&self, topics: &[Topic], mentorship: Option<Uuid>) {
        self.kick().await;
        self.changed(Topic::Outbox.all());
        for topic in topics {
            self.changed(match (topic, mentorship) {
                (Topic::Mentorships, Some(id)) => topic.one(id),
                _ => topic.all(),
            });
        }
    }

    /// The Requests inbox (incoming, outgoing, or both), newest first, from the replica.
    pub async fn requests(&self, mailbox: Option<RequestBox>) -> ClientResult<Vec<RequestView>> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let marks = replica.mentorship_marks().await?;
        let mut views = Vec::new();
        for r in replica.requests(me, mailbox).await? {
            views.push(request_view(replica, me, &r, &marks).await?);
        }
        Ok(views)
    }

    /// Asks a mentor for mentorship (queued; works offline).
    pub async fn request_mentorship(
        &self,
        mentor_id: Uuid,
        message: &str,
    ) -> ClientResult<RequestView> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let r = replica.queue_request(me, mentor_id, message, Utc::now()).await?;
        let view = request_view(replica, me, &r, &replica.mentorship_marks().await?).await?;
        drop(client);
        self.queued(&[Topic::Requests], None).await;
        Ok(view)
    }

    /// Accepts, declines or withdraws a request (queued; works offline).
    pub async fn answer_request(&self, request_id: Uuid, answer: Answer) -> ClientResult<()> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let accepted = answer == Answer::Accept;
        let r = replica.queue_answer(me, request_id, answer, Utc::now()).await?;
        drop(client);
        let topics: &[Topic] = if accepted {
            &[Topic::Requests, Topic::Mentorships, Topic::Conversations]
        } else {
            &[Topic::Requests]
        };
        self.queued(topics, r.mentorship_id).await;
        Ok(())
    }

    /// The user's mentorships, active first, from the replica.
    pub async fn mentorships(&self) -> ClientResult<Vec<MentorshipView>> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let marks = replica.mentorship_marks().await?;
        let today = Utc::now().date_naive();
        let mut views = Vec::new();
        for m in replica.mentorships(me).await? {
            let tasks = replica.tasks(m.mentorship_id).await?;
            views.push(mentorship_view(replica, me, &m, &tasks, &marks, today).await?);
        }
        Ok(views)
    }

    /// A mentorship with its goals and action items, from the replica.
    pub async fn mentorship(&self, mentorship_id: Uuid) -> ClientResult<MentorshipDetailView> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let m =
            replica.mentorship(mentorship_id).await?.ok_or(ClientError::NotFound("mentorship"))?;
        let marks = replica.mentorship_marks().await?;
        let today = Utc::now().date_naive();
        let tasks = replica.tasks(mentorship_id).await?;
        let mut task_views = Vec::new();
        for t in &tasks {
            task_views.push(task_view(replica, t, &marks, today).await?);
        }
        let goals = replica.goals(mentorship_id).await?;
        let now = Utc::now();
        let mut sessions = Vec::new();
        for x in replica.sessions(mentorship_id).await? {
            sessions.push(session_view(replica, me, &x, &marks, now).await?);
        }
        let ask_feedback = super::sessions::feedback_to_ask(replica, &sessions).await?;
        Ok(MentorshipDetailView {
            mentorship: mentorship_view(replica, me, &m, &tasks, &marks, today).await?,
            goals: goals.iter().map(|g| goal_view(g, &marks)).collect(),
            tasks: task_views,
            sessions,
            ask_feedback,
        })
    }

    /// Ends a mentorship (queued; works offline).
    pub async fn end_mentorship(
        &self,
        mentorship_id: Uuid,
        reason: Option<&str>,
    ) -> ClientResult<()> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        replica.queue_end(me, mentorship_id, reason, Utc::now()).await?;
        drop(client);
        self.queued(&[Topic::Mentorships], Some(mentorship_id)).await;
        Ok(())
    }

    /// Adds or edits a goal (queued; works offline).
    pub async fn save_goal(&self, mentorship_id: Uuid, edit: &GoalEdit) -> ClientResult<GoalView> {
        let change = match edit.goal_id {
            None => GoalChange::New(CreateGoalRequest {
                goal_id: Uuid::new_v4(),
                title: edit.title.clone().unwrap_or_default(),
                details: super::views::given(&edit.details),
                due_date: super::views::given(&edit.due_date),
            }),
            Some(id) => GoalChange::Edit(
                id,
                UpdateGoalRequest {
                    title: edit.title.clone().map(Some),
                    details: clearable(&edit.details),
                    status: edit.status.map(|s| Some(s.as_str().to_owned())),
                    due_date: clearable(&edit.due_date),
                },
            ),
        };
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let g = replica.queue_goal(me, mentorship_id, change, Utc::now()).await?;
        let view = goal_view(&g, &replica.mentorship_marks().await?);
        drop(client);
        self.queued(&[Topic::Mentorships], Some(mentorship_id)).await;
        Ok(view)
    }

    /// Adds or edits (ticks, reassigns) an action item (queued; works offline).
    pub async fn save_task(&self, mentorship_id: Uuid, edit: &TaskEdit) -> ClientResult<TaskView> {
        let change = match edit.task_id {
            None => TaskChange::New(CreateTaskRequest {
                task_id: Uuid::new_v4(),
                title: edit.title.clone().unwrap_or_default(),
                assignee_id: edit.assignee_id,
                goal_id: edit.goal_id,
                due_date: super::views::given(&edit.due_date),
                source_message_id: edit.source_message_id,
            }),
            Some(id) => TaskChange::Edit(
                id,
                UpdateTaskRequest {
                    title: edit.title.clone().map(Some),
                    due_date: clearable(&edit.due_date),
                    done: edit.done,
                    assignee_id: edit.assignee_id,
                },
            ),
        };
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let t = replica.queue_task(me, mentorship_id, change, Utc::now()).await?;
        let marks = replica.mentorship_marks().await?;
        let view = task_view(replica, &t, &marks, Utc::now().date_naive()).await?;
        drop(client);
        self.queued(&[Topic::Mentorships], Some(mentorship_id)).await;
        Ok(view)
    }
}
