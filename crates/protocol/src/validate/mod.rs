//! Every value rule of DESIGN.md, as one validator per input type.
//!
//! Each validator returns the normalised values or *all* bad fields at once, as field name to
//! rule code (`required`, `too_short`, `too_long`, `invalid`, `too_young`, `out_of_range`,
//! `too_many`, `same_as_login`). The codes are stable: clients switch on them.
//!
//! [`rules`] holds the rule for each single value; [`forms`] applies them to whole request
//! bodies. Both are re-exported here, so callers write `validate::username` or
//! `validate::register`.

use std::collections::BTreeMap;

pub mod field_limits;
pub mod forms;
pub mod mentorship;
pub mod messages;
pub mod program;
pub mod rules;
pub mod sessions;
pub mod updates;

pub use field_limits::{field_limit, FieldLimit, LimitUnit, FIELD_LIMITS};
pub use forms::*;
pub use mentorship::*;
pub use messages::*;
pub use program::*;
pub use rules::*;
pub use sessions::*;

/// Bad fields: field name to rule code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

/// The error of every validator.
pub type ValidationError = FieldErrors;

impl FieldErrors {
    /// Records `code` for `field`, keeping the first code a field got.
    pub fn add(&mut self, field: &str, code: &str) {
        self.0.entry(field.to_owned()).or_insert_with(|| code.to_owned());
    }

    /// Runs `check` and records its error under `field`, returning its value on success.
    pub fn check<T>(&mut self, field: &str, check: Result<T, &'static str>) -> Option<T> {
        match check {
            Ok(v) => Some(v),
            Err(code) => {
                self.add(field, code);
                None
            }
        }
    }

    /// No field is bad.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no field is bad.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }

    /// One sentence naming the bad fields, for people.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(|(f, c)| format!("{f}: {c}")).collect();
        format!("invalid fields ({})", parts.join(", "))
    }
}

/// The limits, in characters (or units where said).
pub mod limits {
    /// Username length.
    pub const USERNAME: (usize, usize) = (3, 16);
    /// Email length.
    pub const EMAIL_MAX: usize = 100;
    /// Phone length, the `+` included.
    pub const PHONE_MAX: usize = 15;
    /// Password length.
    pub const PASSWORD: (usize, usize) = (10, 128);
    /// Youngest age allowed.
    pub const MIN_AGE: i32 = 13;
    /// City length.
    pub const CITY_MAX: usize = 26;
    /// URL length.
    pub const URL_MAX: usize = 255;
    /// Bio length.
    pub const BIO_MAX: usize = 2_000;
    /// Job title and industry length.
    pub const TITLE_MAX: usize = 100;
    /// Years of experience.
    pub const YEARS: (i64, i64) = (0, 70);
    /// Number of skill or interest tags.
    pub const TAGS_MAX: usize = 30;
    /// Length of one tag.
    pub const TAG: (usize, usize) = (1, 40);
    /// Group name length.
    pub const GROUP_NAME: (usize, usize) = (1, 50);
    /// Group description length.
    pub const DESCRIPTION_MAX: usize = 2_000;
    /// Message content length.
    pub const CONTENT_MAX: usize = 10_000;
    /// A mentor's mentee capacity.
    pub const CAPACITY: (i64, i64) = (0, 20);
    /// The capacity a mentor has until they set one.
    pub const DEFAULT_CAPACITY: i32 = 3;
    /// A mentorship request's message length.
    pub const REQUEST_MESSAGE: (usize, usize) = (1, 1_000);
    /// A decline or end reason's length.
    pub const REASON_MAX: usize = 500;
    /// A goal or task title's length.
    pub const ITEM_TITLE: (usize, usize) = (1, 200);
    /// A goal's details length.
    pub const DETAILS_MAX: usize = 2_000;
    /// Pending requests a mentee may have at once.
    pub const PENDING_REQUESTS_MAX: i64 = 5;
    /// Days a request stays pending before it expires.
    pub const REQUEST_TTL_DAYS: i64 = 14;
    /// A session's length, in minutes.
    pub const SESSION_MINUTES: (i64, i64) = (15, 240);
    /// A session's location length.
    pub const LOCATION_MAX: usize = 255;
    /// A session's agenda length.
    pub const AGENDA_MAX: usize = 5_000;
    /// A session's notes length, in characters: at four bytes each, one edit replacing all of
    /// them still fits the server's 64 KiB body as base64.
    pub const NOTES_MAX: usize = 10_000;
    /// A feedback rating.
    pub const RATING: (i64, i64) = (1, 5);
    /// A feedback comment's length.
    pub const COMMENT_MAX: usize = 2_000;
}

/// US states, DC and the inhabited territories.
pub const US_STATES: [&str; 56] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI",
];
