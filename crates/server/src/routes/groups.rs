//! Groups and their members, with the owner / admin / member rules of API.md.
//!
//! Who may do what: any member reads the group; owners and admins rename it and add members;
//! only owners delete it, grant `admin` or `owner`, and change roles; owners remove anyone,
//! admins remove plain members, and everyone may remove themselves (leaving). A stranger gets
//! 404 for all of it, a member without the role 403.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{
    validate, AddMemberRequest, CreateGroupRequest, ErrorBody, Group, GroupMember, Role,
    UpdateGroupRequest, UpdateMemberRequest,
};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Caller, Id, TwoIds};
use crate::store::StoreError;
use crate::AppState;

fn require(role: Role, at_least: Role, what: &'static str) -> ApiResult<()> {
    if role >= at_least {
        Ok(())
    } else {
        Err(ApiError::Forbidden(what))
    }
}

/// Creates a group; the caller becomes its owner and its conversation exists at once.
#[utoipa::path(post, path = "/v1/groups", tag = "groups", security(("bearer" = [])), request_body = CreateGroupRequest,
    responses((status = 201, body = Group), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(req): Body<CreateGroupRequest>,
) -> ApiResult<(StatusCode, Json<Group>)> {
    let group = validate::new_group(&req)?;
    if !s.store.missing_users(&req.member_ids).await?.is_empty() {
        return Err(ApiError::field("member_ids", "unknown_user"));
    }
    let created = s.store.create_group(caller.user_id, group, &req.member_ids, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A group the caller belongs to.
#[utoipa::path(get, path = "/v1/groups/{id}", tag = "groups", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The group")),
    responses((status = 200, body = Group), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Group>> {
    Ok(Json(s.store.group(caller.user_id, id).await?.0))
}

/// Renames or re-describes a group (owner or admin).
#[utoipa::path(patch, path = "/v1/groups/{id}", tag = "groups", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The group")), request_body = UpdateGroupRequest,
    responses((status = 200, body = Group), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn patch(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<UpdateGroupRequest>,
) -> ApiResult<Json<Group>> {
    let (_, role) = s.store.group(caller.user_id, id).await?;
    require(role, Role::Admin, "only an owner or admin may edit the group")?;
    let patch = validate::group_patch(&req)?;
    Ok(Json(s.store.update_group(id, patch).await?))
}

/// Deletes a group with its conversation (owner).
#[utoipa::path(delete, path = "/v1/groups/{id}", tag = "groups", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The group")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    let (_, role) = s.store.group(caller.user_id, id).await?;
    require(role, Role::Owner, "only an owner may delete the group")?;
    s.store.delete_group(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a member (owner or admin; only an owner grants `admin` or `owner`).
#[utoipa::path(post, path = "/v1/groups/{id}/members", tag = "groups", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The group")), request_body = AddMemberRequest,
    responses((status = 201, body = GroupMember), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_member(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<AddMemberRequest>,
) -> ApiResult<(StatusCode, Json<GroupMember>)> {
    let (_, my_role) = s.store.group(caller.user_id, id).await?;
    require(my_role, Role::Admin, "only an owner or admin may add members")?;
    let role = match req.role.as_deref() {
        None => Role::Member,
        Some(r) => validate::role(r).map_err(|code| ApiError::field("role", code))?,
    };
    if role > Role::Member {
        require(my_role, Role::Owner, "only an owner may grant admin or owner")?;
    }
    if !s.store.missing_users(&[req.user_id]).await?.is_empty() {
        return Err(ApiError::field("user_id", "unknown_user"));
    }
    let member = s.store.add_member(id, req.user_id, role, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Changes a member's role (owner). The last owner cannot step down.
#[utoipa::path(patch, path = "/v1/groups/{id}/members/{user_id}", tag = "groups", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The group"), ("user_id" = uuid::Uuid, Path, description = "The member")),
    request_body = UpdateMemberRequest,
    responses((status = 200, body = GroupMember), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn patch_member(
    State(s): State<AppState>,
    caller: Caller,
    TwoIds(id, user_id): TwoIds,
    Body(req): Body<UpdateMemberRequest>,
) -> ApiResult<Json<GroupMember>> {
    let (_, my_role) = s.store.group(caller.user_id, id).await?;
    require(my_role, Role::Owner, "only an owner may change roles")?;
    let role = validate::role(&req.role).map_err(|code| ApiError::field("role", code))?;
    // The store refuses to demote the last owner, checked under the group's lock.
    let member = s.store.set_role(id, user_id, role).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::NotFound("no such member"),
        other => other.into(),
    })?;
    Ok(Json(member))
}

/// Removes a member (owner or admin), or leaves (any member, for themselves).
#[utoipa::path(delete, path = "/v1/groups/{id}/members/{user_id}", tag = "groups", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The group"), ("user_id" = uuid::Uuid, Path, description = "The member")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_member(
    State(s): State<AppState>,
    caller: Caller,
    TwoIds(id, user_id): TwoIds,
) -> ApiResult<StatusCode> {
    let (group, my_role) = s.store.group(caller.user_id, id).await?;
    let target = group
        .members
        .iter()
        .find(|m| m.user_id == user_id)
        .ok_or(ApiError::NotFound("no such member"))?;
    if user_id != caller.user_id {
        require(my_role, Role::Admin, "only an owner or admin may remove members")?;
        if target.role >= Role::Admin {
            require(my_role, Role::Owner, "only an owner may remove an owner or admin")?;
        }
    }
    s.store.remove_member(id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
