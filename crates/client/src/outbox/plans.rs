//! Goals and tasks (action items) added and edited, as outbox actions: one [`Save`] over a
//! [`Plan`] for each. One entry per goal or task: edits made while it waits fold into it, later
//! values winning field by field, so ten offline edits of a goal send one request (two when the
//! goal was also made offline: its creation, then the edit).

use std::fmt::Debug;

use lodestar_protocol::{
    CreateGoalRequest, CreateTaskRequest, Goal, Task, UpdateGoalRequest, UpdateTaskRequest,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::mentorship::refresh_mentorship;
use super::{merge_patch, Action, Lane, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::ClientResult;
use crate::replica::mentorship::{store_goal, store_task};
use crate::replica::Replica;

/// What is planned in a mentorship (a goal, a task): its wire bodies and how it is stored.
#[allow(async_fn_in_trait)] // Called on concrete types only.
pub trait Plan: Clone + Debug {
    /// The outbox subject (`goal`, `task`).
    const SUBJECT: &'static str;
    /// Removes one that only ever existed here, by id.
    const FORGET: &'static str;
    /// Its creation body.
    type Create: Serialize + DeserializeOwned + Clone + Debug;
    /// Its edit body.
    type Patch: Serialize + DeserializeOwned + Clone + Debug + Default + PartialEq;
    /// The server's object.
    type Record: Serialize + DeserializeOwned;
    /// The id a creation carries.
    fn id(create: &Self::Create) -> Uuid;
    /// The Outbox screen's title and detail.
    fn summary(create: Option<&Self::Create>, patch: &Self::Patch) -> (&'static str, String);
    /// `POST` it.
    async fn create(api: &Api, mentorship: Uuid, c: &Self::Create) -> ClientResult<Self::Record>;
    /// `PATCH` it.
    async fn update(api: &Api, id: Uuid, p: &Self::Patch) -> ClientResult<Self::Record>;
    /// Stores the server's copy.
    async fn store(tx: &mut Tx, record: &Self::Record) -> ClientResult<()>;
}

/// A goal or task made or changed here.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Save<P: Plan> {
    /// Its mentorship.
    pub mentorship_id: Uuid,
    /// The goal or task.
    pub id: Uuid,
    /// Its creation, when it was made here and the server has not taken it yet.
    pub create: Option<P::Create>,
    /// Changes to send after (or without) its creation.
    #[serde(default)]
    pub patch: P::Patch,
}

/// A goal made or changed.
pub type SaveGoal = Save<GoalPlan>;
/// A task made or changed (ticked, reassigned).
pub type SaveTask = Save<TaskPlan>;

impl<P: Plan> Save<P> {
    /// A new one.
    pub fn new(mentorship_id: Uuid, create: P::Create) -> Self {
        Save { mentorship_id, id: P::id(&create), create: Some(create), patch: P::Patch::default() }
    }

    /// An edit of one.
    pub fn edit(mentorship_id: Uuid, id: Uuid, patch: P::Patch) -> Self {
        Save { mentorship_id, id, create: None, patch }
    }
}

impl<P: Plan> Action for Save<P> {
    type Sent = P::Record;

    fn lane(&self) -> Lane {
        Lane::Mentorship(self.mentorship_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: P::SUBJECT, id: self.id }
    }

    /// Waits for the mentorship's accept when that was made offline too.
    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "mentorship", id: self.mentorship_id })
    }

    fn summary(&self) -> Summary {
        let (title, detail) = P::summary(self.create.as_ref(), &self.patch);
        Summary { title: title.to_owned(), detail }
    }

    /// An edit folds into what waits (a creation, or an edit); a second creation never does.
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

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<P::Record> {
        if let Some(create) = &self.create {
            let made = P::create(api, self.mentorship_id, create).await?;
            if self.patch == P::Patch::default() {
                return Ok(made);
            }
        }
        P::update(api, self.id, &self.patch).await
    }

    async fn acked(&self, tx: &mut Tx, sent: &P::Record) -> ClientResult<()> {
        P::store(tx, sent).await
    }

    /// Shows the server's copy again; one made here and refused stays, marked failed.
    async fn refused(&self, api: &Api, replica: &Replica) -> ClientResult<()> {
        refresh_mentorship(api, replica, self.mentorship_id).await
    }

    /// One made here only ever existed here.
    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        if self.create.is_some() {
            sqlx::query(P::FORGET).bind(self.id).execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// Goals.
#[derive(Debug, Clone)]
pub struct GoalPlan;

impl Plan for GoalPlan {
    const SUBJECT: &'static str = "goal";
    const FORGET: &'static str = "DELETE FROM goals WHERE goal_id = $1";
    type Create = CreateGoalRequest;
    type Patch = UpdateGoalRequest;
    type Record = Goal;

    fn id(create: &CreateGoalRequest) -> Uuid {
        create.goal_id
    }

    fn summary(
        create: Option<&CreateGoalRequest>,
        patch: &UpdateGoalRequest,
    ) -> (&'static str, String) {
        let title = if create.is_some() { "New goal" } else { "Goal change" };
        let detail = match (create, &patch.title) {
            (_, Some(Some(t))) => t.clone(),
            (Some(c), _) => c.title.clone(),
            (None, _) => patch.status.clone().flatten().unwrap_or_default(),
        };
        (title, detail)
    }

    async fn create(api: &Api, mentorship: Uuid, c: &CreateGoalRequest) -> ClientResult<Goal> {
        api.create_goal(mentorship, c).await
    }

    async fn update(api: &Api, id: Uuid, p: &UpdateGoalRequest) -> ClientResult<Goal> {
        api.update_goal(id, p).await
    }

    async fn store(tx: &mut Tx, record: &Goal) -> ClientResult<()> {
        store_goal(tx, record).await
    }
}

/// Tasks (action items).
#[derive(Debug, Clone)]
pub struct TaskPlan;

impl Plan for TaskPlan {
    const SUBJECT: &'static str = "task";
    const FORGET: &'static str = "DELETE FROM tasks WHERE task_id = $1";
    type Create = CreateTaskRequest;
    type Patch = UpdateTaskRequest;
    type Record = Task;

    fn id(create: &CreateTaskRequest) -> Uuid {
        create.task_id
    }

    fn summary(
        create: Option<&CreateTaskRequest>,
        patch: &UpdateTaskRequest,
    ) -> (&'static str, String) {
        let title = match (create, patch.done) {
            (Some(_), _) => "New action item",
            (None, Some(true)) => "Action item done",
            (None, Some(false)) => "Action item reopened",
            (None, None) => "Action item change",
        };
        let detail = match (create, &patch.title) {
            (_, Some(Some(t))) => t.clone(),
            (Some(c), _) => c.title.clone(),
            (None, _) => String::new(),
        };
        (title, detail)
    }

    async fn create(api: &Api, mentorship: Uuid, c: &CreateTaskRequest) -> ClientResult<Task> {
        api.create_task(mentorship, c).await
    }

    async fn update(api: &Api, id: Uuid, p: &UpdateTaskRequest) -> ClientResult<Task> {
        api.update_task(id, p).await
    }

    async fn store(tx: &mut Tx, record: &Task) -> ClientResult<()> {
        store_task(tx, record).await
    }
}
