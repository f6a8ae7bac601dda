//! Mentorships, their goals and action items (PROGRAM.md). Only the two people of a
//! mentorship see it or anything in it (anyone else gets 404); an ended one is read-only (409).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{
    validate, CreateGoalRequest, CreateTaskRequest, ErrorBody, Goal, Mentorship, MentorshipDetail,
    MentorshipList, MentorshipsQuery, ReasonRequest, Task, UpdateGoalRequest, UpdateTaskRequest,
};

use super::created_or_retried;
use crate::error::ApiResult;
use crate::extract::{Body, Caller, Id, OptionalBody, QueryOf};
use crate::AppState;

/// The caller's mentorships, newest first.
#[utoipa::path(get, path = "/v1/mentorships", tag = "mentorship", security(("bearer" = [])),
    params(MentorshipsQuery), responses((status = 200, body = MentorshipList)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<MentorshipsQuery>,
) -> ApiResult<Json<MentorshipList>> {
    let status = validate::mentorship_status(q.status.as_deref())?;
    Ok(Json(MentorshipList { mentorships: s.store.mentorships(caller.user_id, status).await? }))
}

/// One mentorship with its goals and action items.
#[utoipa::path(get, path = "/v1/mentorships/{id}", tag = "mentorship", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The mentorship")),
    responses((status = 200, body = MentorshipDetail), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<MentorshipDetail>> {
    Ok(Json(s.store.mentorship(caller.user_id, id).await?))
}

/// Ends a mentorship (either person), opening the mentor's slot.
#[utoipa::path(post, path = "/v1/mentorships/{id}/end", tag = "mentorship", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The mentorship")), request_body = ReasonRequest,
    responses((status = 200, body = Mentorship), (status = 404, body = ErrorBody)))]
pub async fn end(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    OptionalBody(req): OptionalBody<ReasonRequest>,
) -> ApiResult<Json<Mentorship>> {
    let reason = validate::optional_reason(req.reason.as_deref())?;
    Ok(Json(s.store.end_mentorship(caller.user_id, id, reason, Utc::now()).await?))
}

/// Adds a goal: 201, or 200 for the same goal again.
#[utoipa::path(post, path = "/v1/mentorships/{id}/goals", tag = "mentorship", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The mentorship")), request_body = CreateGoalRequest,
    responses((status = 201, body = Goal), (status = 200, body = Goal), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The mentorship has ended, or the id is taken")))]
pub async fn create_goal(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<CreateGoalRequest>,
) -> ApiResult<(StatusCode, Json<Goal>)> {
    let goal = validate::new_goal(&req)?;
    let (goal, created) = s.store.create_goal(caller.user_id, id, goal, Utc::now()).await?;
    Ok((created_or_retried(created), Json(goal)))
}

/// Edits a goal (title, details, status, due date).
#[utoipa::path(patch, path = "/v1/goals/{id}", tag = "mentorship", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The goal")), request_body = UpdateGoalRequest,
    responses((status = 200, body = Goal), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The mentorship has ended")))]
pub async fn update_goal(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<UpdateGoalRequest>,
) -> ApiResult<Json<Goal>> {
    let patch = validate::goal_patch(&req)?;
    Ok(Json(s.store.update_goal(caller.user_id, id, patch, Utc::now()).await?))
}

/// Adds an action item, for the mentor or the mentee: 201, or 200 for the same one again.
#[utoipa::path(post, path = "/v1/mentorships/{id}/tasks", tag = "mentorship", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The mentorship")), request_body = CreateTaskRequest,
    responses((status = 201, body = Task), (status = 200, body = Task), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The mentorship has ended, or the id is taken")))]
pub async fn create_task(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<CreateTaskRequest>,
) -> ApiResult<(StatusCode, Json<Task>)> {
    let task = validate::new_task(&req)?;
    let (task, created) = s.store.create_task(caller.user_id, id, task, Utc::now()).await?;
    Ok((created_or_retried(created), Json(task)))
}

/// Edits, ticks (`done: true`) or reopens an action item.
#[utoipa::path(patch, path = "/v1/tasks/{id}", tag = "mentorship", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The action item")), request_body = UpdateTaskRequest,
    responses((status = 200, body = Task), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The mentorship has ended")))]
pub async fn update_task(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<UpdateTaskRequest>,
) -> ApiResult<Json<Task>> {
    let patch = validate::task_patch(&req)?;
    Ok(Json(s.store.update_task(caller.user_id, id, patch, Utc::now()).await?))
}
