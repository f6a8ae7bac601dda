//! The report form (PROGRAM.md, "Safety and the program").

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the Report dialog sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportForm {
    /// The person reported.
    pub user_id: Uuid,
    /// `harassment`, `spam`, `inappropriate`, `safety` or `other`.
    pub reason: String,
    /// The message reported, when the report came from one.
    pub message_id: Option<Uuid>,
    /// What happened.
    pub details: Option<String>,
}
