//! The program's safety (PROGRAM.md, "Safety and the program"): blocking.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::Profile;

/// `POST /v1/blocks`: whom to block.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockRequest {
    /// The person blocked.
    pub user_id: Uuid,
}

/// `GET /v1/blocks`: whom the caller has blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BlockList {
    /// By username.
    pub blocked: Vec<Profile>,
}
