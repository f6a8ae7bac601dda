//! Every route of API.md, one file per resource. Each handler carries its `#[utoipa::path]`,
//! and the router is built from those, so `GET /v1/openapi.json` cannot drift from the code.

mod admin;
mod auth;
mod blocks;
mod conversations;
mod groups;
mod me;
mod media;
mod mentorships;
mod message_actions;
mod messages;
mod meta;
mod own_data;
mod reports;
mod requests;
mod sessions;
mod statuses;
mod sync;
mod updates;
mod users;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// 201 for what a request made, 200 for the same request again (an idempotent retry).
fn created_or_retried(created: bool) -> axum::http::StatusCode {
    if created {
        axum::http::StatusCode::CREATED
    } else {
        axum::http::StatusCode::OK
    }
}

pub(crate) use sync::fit_page;
pub use sync::PAGE_BYTES;

#[derive(OpenApi)]
#[openapi(
    info(title = "Lodestar", description = "The Lodestar wire contract, version 1 (API.md)."),
    modifiers(&BearerAuth),
    components(schemas(lodestar_protocol::ErrorBody, lodestar_protocol::Change, lodestar_protocol::EventFrame, lodestar_protocol::ClientFrame))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's routes with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(meta::health))
        .routes(routes!(meta::openapi))
        .routes(routes!(updates::latest))
        .routes(routes!(auth::register))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(me::get_me, me::patch_me, own_data::delete_me))
        .routes(routes!(own_data::export))
        .routes(routes!(me::change_password))
        .routes(routes!(users::get_user))
        .routes(routes!(users::list_users))
        .routes(routes!(users::matches))
        .routes(routes!(conversations::open_direct))
        .routes(routes!(conversations::list))
        .routes(routes!(conversations::get_one))
        .routes(routes!(conversations::history))
        .routes(routes!(groups::create))
        .routes(routes!(groups::get_one, groups::patch, groups::delete))
        .routes(routes!(groups::add_member))
        .routes(routes!(groups::patch_member, groups::remove_member))
        .routes(routes!(messages::send))
        .routes(routes!(messages::read))
        .routes(routes!(messages::reads))
        .routes(routes!(message_actions::edit, message_actions::delete))
        .routes(routes!(message_actions::react, message_actions::unreact))
        .routes(routes!(media::upload))
        .routes(routes!(media::download))
        .routes(routes!(media::thumbnail))
        .routes(routes!(media::linked_image))
        .routes(routes!(requests::create, requests::list))
        .routes(routes!(blocks::block, blocks::list))
        .routes(routes!(blocks::unblock))
        .routes(routes!(reports::file))
        .routes(routes!(admin::reports))
        .routes(routes!(admin::resolve))
        .routes(routes!(admin::suspend, admin::unsuspend))
        .routes(routes!(admin::suspended))
        .routes(routes!(admin::audit))
        .routes(routes!(admin::held))
        .routes(routes!(admin::release))
        .routes(routes!(admin::reject))
        .routes(routes!(admin::stats))
        .routes(routes!(requests::accept))
        .routes(routes!(requests::decline))
        .routes(routes!(requests::withdraw))
        .routes(routes!(mentorships::list))
        .routes(routes!(mentorships::get_one))
        .routes(routes!(mentorships::end))
        .routes(routes!(mentorships::create_goal))
        .routes(routes!(mentorships::update_goal))
        .routes(routes!(mentorships::create_task))
        .routes(routes!(mentorships::update_task))
        .routes(routes!(sessions::propose))
        .routes(routes!(sessions::edit))
        .routes(routes!(sessions::confirm))
        .routes(routes!(sessions::cancel))
        .routes(routes!(sessions::calendar))
        .routes(routes!(sessions::feedback))
        .routes(routes!(sessions::notes, sessions::edit_notes))
        .routes(routes!(sync::sync))
        .routes(routes!(sync::events));
    statuses::complete(router.get_openapi_mut());
    router
}

/// Checks an optional `limit` against `1..=max`, defaulting to `default`.
pub(crate) fn limit(
    value: Option<i64>,
    default: i64,
    max: i64,
) -> Result<i64, crate::error::ApiError> {
    match value {
        None => Ok(default),
        Some(v) if (1..=max).contains(&v) => Ok(v),
        Some(_) => Err(crate::error::ApiError::field("limit", "out_of_range")),
    }
}
