//! The program at a glance (PROGRAM.md, `GET /v1/admin/stats`): what coordinators see of the
//! whole program, as counts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `GET /v1/admin/stats`: the program at a glance (PROGRAM.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramStats {
    /// Members.
    pub users: UserStats,
    /// Mentorship requests by state, and how fast mentors answer.
    pub requests: RequestStats,
    /// Mentorships by state.
    pub mentorships: MentorshipStats,
    /// Sessions of the last 30 days, and held per week.
    pub sessions: SessionStats,
    /// Feedback given after sessions.
    pub feedback: FeedbackStats,
    /// Messages sent in the last 30 days.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub messages_30d: i64,
    /// Reports waiting for a coordinator.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub reports_open: i64,
    /// Messages held for review.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub held_open: i64,
}

/// Members by role.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UserStats {
    /// Members who mentor.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub mentors: i64,
    /// Members who are mentored.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub mentees: i64,
    /// Members under 18.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub minors: i64,
    /// Members suspended.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub suspended: i64,
}

/// Requests by state (a pending one past its expiry counts as expired).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestStats {
    /// Waiting.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pending: i64,
    /// Accepted.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub accepted: i64,
    /// Declined.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub declined: i64,
    /// Expired unanswered.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub expired: i64,
    /// Withdrawn by the mentee.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub withdrawn: i64,
    /// The median time from a request to its answer (accepted or declined), in hours; null
    /// before any answer.
    pub median_response_hours: Option<f64>,
    /// How long answers took: counts within 1, 6, 24 and 72 hours, and later (`up_to_hours`
    /// null), in that order.
    #[serde(default)]
    pub response_times: Vec<ResponseBucket>,
}

/// Answers that took at most `up_to_hours` (and more than the bucket before).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResponseBucket {
    /// The bucket's upper bound; null for the last, open one.
    pub up_to_hours: Option<i32>,
    /// How many answers.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: i64,
}

/// The upper bounds of [`RequestStats::response_times`]' buckets, in hours.
pub const RESPONSE_BUCKETS: [i32; 4] = [1, 6, 24, 72];

/// Mentorships by state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MentorshipStats {
    /// Running.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub active: i64,
    /// Ended.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub ended: i64,
}

/// Sessions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SessionStats {
    /// Confirmed sessions that started in the last 30 days.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub held_30d: i64,
    /// Sessions cancelled in the last 30 days.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cancelled_30d: i64,
    /// Sessions held in each of the last 12 weeks, oldest first (the last ends now).
    pub held_by_week: Vec<WeekCount>,
}

/// A week's count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WeekCount {
    /// The week's first day.
    pub week_start: chrono::NaiveDate,
    /// How many.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: i64,
}

/// Feedback.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeedbackStats {
    /// Given.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: i64,
    /// The mean rating (1 to 5); null before any.
    pub average_rating: Option<f64>,
    /// How many said the pairing is not working.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub poor_fit: i64,
}
