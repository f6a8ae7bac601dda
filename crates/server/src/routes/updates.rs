//! The desktop app's update check. Public: an app asks before anyone signs in, and the answer
//! (a version, a download address, a signature the app verifies itself) is the same for
//! everyone on a platform.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use lodestar_protocol::{validate, AppRelease, ErrorBody, UpdateQuery};

use crate::error::ApiResult;
use crate::extract::QueryOf;
use crate::AppState;

/// The newest release for the asking app: 200 with it, or 204 when the app is up to date, the
/// server publishes no feed, or the feed has no download for the app's platform.
#[utoipa::path(get, path = "/v1/app/latest", tag = "meta", params(UpdateQuery),
    responses((status = 200, body = AppRelease), (status = 204, description = "Nothing newer"),
        (status = 422, body = ErrorBody, description = "`target`, `arch`, `current_version` or `bundle_type` invalid")))]
pub async fn latest(
    State(s): State<AppState>,
    QueryOf(q): QueryOf<UpdateQuery>,
) -> ApiResult<Response> {
    // The query is checked whether or not a feed is published: a client learns of its own
    // mistake either way.
    let who = validate::updates::asker(&q)?;
    let release = s.app_feed.current().and_then(|feed| validate::updates::release_of(&feed, &who));
    Ok(match release {
        Some(release) => Json(release).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}
