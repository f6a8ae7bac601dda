//! Goals and tasks (action items) added and edited, as outbox actions. One entry per goal or
//! task: edits made while it waits fold into it, later values winning field by field, so ten
//! offline edits of a goal send one request (two when the goal was also made offline: its
//! creation, then the edit).

use lodestar_protocol::{
    CreateGoalRequest, CreateTaskRequest, Goal, Task, UpdateGoalRequest, UpdateTaskRequest,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::mentorship::refresh_mentorship;
use super::{merge_patch, Action, Lane, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::ClientResult;
use crate::replica::mentorship::{store_goal, store_task};
use crate::replica::Replica;

/// A goal made or changed here.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SaveGoal {
    /// Its mentorship.
    pub mentorship_id: Uuid,
    /// The goal.
    pub goal_id: Uuid,
    /// Its creation, when it was made here and the server has not taken it yet.
    pub create: Option<CreateGoalRequest>,
    /// Changes to send after (or without) its creation.
    #[serde(default)]
    pub patch: UpdateGoalRequest,
}

impl SaveGoal {
    /// A new goal.
    pub fn new(mentorship_id: Uuid, create: CreateGoalRequest) -> Self {
        SaveGoal {
            mentorship_id,
            goal_id: create.goal_id,
            create: Some(create),
            patch: Default::default(),
        }
    }

    /// An edit of a goal.
    pub fn edit(mentorship_id: Uuid, goal_id: Uuid, patch: UpdateGoalRequest) -> Self {
        SaveGoal { mentorship_id, goal_id, create: None, patch }
    }
}

impl Action for SaveGoal {
    type Sent = Goal;

    fn lane(&self) -> Lane {
        Lane::Mentorship(self.mentorship_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "goal", id: self.goal_id }
    }

    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "mentorship", id: self.mentorship_id })
    }

    fn summary(&self) -> Summary {
        let title = if self.create.is_some() { "New goal" } else { "Goal change" };
        let detail = match (&self.create, &self.patch.title) {
            (_, Some(Some(t))) => t.clone(),
            (Some(c), _) => c.title.clone(),
            (None, _) => self.patch.status.clone().flatten().unwrap_or_default(),
        };
        Summary { title: title.to_owned(), detail }
    }

    fn fold(&mut self, newer: &Self) -> bool {
        if newer.create.is_some() {
            return false;
        }
        match merge_patch(&self.patch, &newer.patch) {
            Some(p) => {
                self.patch = p;
                true
            }
            None => false,
        }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Goal> {
        let mut goal = None;
        if let Some(create) = &self.create {
            goal = Some(api.create_goal(self.mentorship_id, create).await?);
        }
        match goal {
            Some(g) if self.patch == UpdateGoalRequest::default() => Ok(g),
            _ => api.update_goal(self.goal_id, &self.patch).await,
        }
    }

    async fn acked(&self, tx: &mut Tx, sent: &Goal) -> ClientResult<()> {
        store_goal(tx, sent).await
    }

    async fn refused(&self, api: &Api, replica: &Replica) -> ClientResult<()> {
        refresh_mentorship(api, replica, self.mentorship_id).await
    }

    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        if self.create.is_some() {
            sqlx::query("DELETE FROM goals WHERE goal_id = $1")
                .bind(self.goal_id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}

/// A task made or changed (ticked, reassigned) here.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SaveTask {
    /// Its mentorship.
    pub mentorship_id: Uuid,
    /// The task.
    pub task_id: Uuid,
    /// Its creation, when it was made here and the server has not taken it yet.
    pub create: Option<CreateTaskRequest>,
    /// Changes to send after (or without) its creation.
    #[serde(default)]
    pub patch: UpdateTaskRequest,
}

impl SaveTask {
    /// A new task.
    pub fn new(mentorship_id: Uuid, create: CreateTaskRequest) -> Self {
        SaveTask {
            mentorship_id,
            task_id: create.task_id,
            create: Some(create),
            patch: Default::default(),
        }
    }

    /// An edit of a task.
    pub fn edit(mentorship_id: Uuid, task_id: Uuid, patch: UpdateTaskRequest) -> Self {
        SaveTask { mentorship_id, task_id, create: None, patch }
    }
}

impl Action for SaveTask {
    type Sent = Task;

    fn lane(&self) -> Lane {
        Lane::Mentorship(self.mentorship_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "task", id: self.task_id }
    }

    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "mentorship", id: self.mentorship_id })
    }

    fn summary(&self) -> Summary {
        let title = match (&self.create, self.patch.done) {
            (Some(_), _) => "New action item",
            (None, Some(true)) => "Action item done",
            (None, Some(false)) => "Action item reopened",
            (None, None) => "Action item change",
        };
        let detail = match (&self.create, &self.patch.title) {
            (_, Some(Some(t))) => t.clone(),
            (Some(c), _) => c.title.clone(),
            (None, _) => String::new(),
        };
        Summary { title: title.to_owned(), detail }
    }

    fn fold(&mut self, newer: &Self) -> bool {
        if newer.create.is_some() {
            return false;
        }
        match merge_patch(&self.patch, &newer.patch) {
            Some(p) => {
                self.patch = p;
                true
            }
            None => false,
        }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Task> {
        let mut task = None;
        if let Some(create) = &self.create {
            task = Some(api.create_task(self.mentorship_id, create).await?);
        }
        match task {
            Some(t) if self.patch == UpdateTaskRequest::default() => Ok(t),
            _ => api.update_task(self.task_id, &self.patch).await,
        }
    }

    async fn acked(&self, tx: &mut Tx, sent: &Task) -> ClientResult<()> {
        store_task(tx, sent).await
    }

    async fn refused(&self, api: &Api, replica: &Replica) -> ClientResult<()> {
        refresh_mentorship(api, replica, self.mentorship_id).await
    }

    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        if self.create.is_some() {
            sqlx::query("DELETE FROM tasks WHERE task_id = $1")
                .bind(self.task_id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}
