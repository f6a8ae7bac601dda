//! Profiles, the directory and matches.

use axum::extract::State;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{
    validate, ErrorBody, Match, MatchesQuery, MatchesResponse, Profile, UsersPage, UsersQuery,
};

use super::limit;
use crate::error::ApiResult;
use crate::extract::{Caller, Id, QueryOf};
use crate::matching;
use crate::AppState;

/// What other users see of a user.
#[utoipa::path(get, path = "/v1/users/{user_id}", tag = "users", security(("bearer" = [])),
    params(("user_id" = uuid::Uuid, Path, description = "The user")),
    responses((status = 200, body = Profile), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(s): State<AppState>,
    _caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Profile>> {
    Ok(Json(s.store.profile(id, Utc::now().date_naive()).await?))
}

/// The program's directory, filtered, ordered by username, paged by cursor.
#[utoipa::path(get, path = "/v1/users", tag = "users", security(("bearer" = [])), params(UsersQuery),
    responses((status = 200, body = UsersPage), (status = 422, body = ErrorBody)))]
pub async fn list_users(
    State(s): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<UsersQuery>,
) -> ApiResult<Json<UsersPage>> {
    let limit = limit(q.limit, 20, 100)?;
    validate::users_query(&q)?;
    let mut users = s.store.search_users(&q, limit + 1, Utc::now().date_naive()).await?;
    let next_cursor = if users.len() as i64 > limit {
        users.truncate(limit as usize);
        users.last().map(|u| u.username.clone())
    } else {
        None
    };
    // After the cursor is taken, so paging goes on past anyone left out.
    let apart = s.store.kept_apart(caller.user_id).await?;
    users.retain(|u| !apart.contains(&u.user_id));
    Ok(Json(UsersPage { users, next_cursor }))
}

/// Suggested mentors for a mentee, or mentees for a mentor, best first, with reasons.
#[utoipa::path(get, path = "/v1/matches", tag = "users", security(("bearer" = [])), params(MatchesQuery),
    responses((status = 200, body = MatchesResponse)))]
pub async fn matches(
    State(s): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<MatchesQuery>,
) -> ApiResult<Json<MatchesResponse>> {
    let limit = limit(q.limit, 20, 100)?;
    let today = Utc::now().date_naive();
    let me = matching::Candidate::from(&s.store.profile(caller.user_id, today).await?);
    let seek_mentors = matching::seeks_mentors(&me);
    let ground = matching::common_ground(&me);
    let apart = s.store.kept_apart(caller.user_id).await?;
    // SQL ranks everyone by the same points; a few more than asked for make room for anyone
    // kept apart, and Rust's exact ranking of them decides the ties.
    let take = limit + apart.len() as i64 + 10;
    let mut candidates = s.store.match_candidates(me.user_id, seek_mentors, &ground, take).await?;
    candidates.retain(|u| !apart.contains(&u.user_id));
    let ranked = matching::rank(&me, candidates, limit as usize);
    // The full profiles of the best few only.
    let ids: Vec<_> = ranked.iter().map(|r| r.candidate.user_id).collect();
    let mut profiles: std::collections::HashMap<_, _> =
        s.store.profiles_of(&ids, today).await?.into_iter().map(|p| (p.user_id, p)).collect();
    let matches = ranked
        .into_iter()
        .filter_map(|r| {
            let user = profiles.remove(&r.candidate.user_id)?;
            Some(Match { user, score: r.score, reasons: r.reasons })
        })
        .collect();
    Ok(Json(MatchesResponse { matches }))
}
