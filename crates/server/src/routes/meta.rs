//! Health and the OpenAPI document.

use axum::extract::State;
use axum::Json;
use lodestar_protocol::Health;

use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// Liveness, and the database answering.
#[utoipa::path(get, path = "/v1/health", tag = "meta",
    responses((status = 200, body = Health), (status = 500, body = lodestar_protocol::ErrorBody)))]
pub async fn health(State(s): State<AppState>) -> ApiResult<Json<Health>> {
    s.store.latest_seq().await?;
    Ok(Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() }))
}

/// This API, described as OpenAPI 3.1.
#[utoipa::path(get, path = "/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
pub async fn openapi(State(s): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    s.openapi
        .get()
        .cloned()
        .map(Json)
        .ok_or(ApiError::Internal("the OpenAPI document is missing".into()))
}
