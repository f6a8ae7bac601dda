//! The program at a glance (PROGRAM.md, `GET /v1/admin/stats`): every figure one SQL
//! aggregate, the same on both backends.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lodestar_protocol::ProgramStats;

use super::StoreResult;

/// Program statistics.
#[async_trait]
pub trait StatsStore: Send + Sync + 'static {
    /// The figures as of `now`.
    async fn program_stats(&self, now: DateTime<Utc>) -> StoreResult<ProgramStats>;
}
