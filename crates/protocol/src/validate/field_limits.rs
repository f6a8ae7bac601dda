//! The limits of [`super::limits`] by field name, for clients that explain a rule before it is
//! broken (the desktop UI gets this table through its bindings). Built from the same consts the
//! validators use, so there is one copy of each number.

use serde::Serialize;

use super::limits;

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LimitUnit {
    /// Characters (Unicode scalar values), as the validators count them.
    Characters,
    /// Skill or interest tags in a list.
    Tags,
    /// Whole years: of experience, or of age for a date of birth.
    Years,
    /// Mentees a mentor takes at once.
    Mentees,
}

/// The bounds of one field, both inclusive; a side left out is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldLimit {
    /// The least allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub min: Option<i64>,
    /// The most allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max: Option<i64>,
    /// What is counted.
    pub unit: LimitUnit,
}

// Every const here is a few thousand at most: the casts cannot wrap.
const fn chars(min: usize, max: usize) -> FieldLimit {
    FieldLimit { min: Some(min as i64), max: Some(max as i64), unit: LimitUnit::Characters }
}

const fn chars_max(max: usize) -> FieldLimit {
    FieldLimit { min: None, max: Some(max as i64), unit: LimitUnit::Characters }
}

const fn tags_max(max: usize) -> FieldLimit {
    FieldLimit { min: None, max: Some(max as i64), unit: LimitUnit::Tags }
}

/// Field name (as the error body's `fields` names it) to its limit. `tag` is one skill or
/// interest tag; `date_of_birth` counts the age in years it gives today.
pub const FIELD_LIMITS: [(&str, FieldLimit); 23] = [
    ("username", chars(limits::USERNAME.0, limits::USERNAME.1)),
    ("email", chars_max(limits::EMAIL_MAX)),
    ("phone_number", chars_max(limits::PHONE_MAX)),
    ("password", chars(limits::PASSWORD.0, limits::PASSWORD.1)),
    (
        "date_of_birth",
        FieldLimit { min: Some(limits::MIN_AGE as i64), max: None, unit: LimitUnit::Years },
    ),
    ("city", chars_max(limits::CITY_MAX)),
    ("profile_picture_url", chars_max(limits::URL_MAX)),
    ("media_url", chars_max(limits::URL_MAX)),
    ("bio", chars_max(limits::BIO_MAX)),
    ("job_title", chars_max(limits::TITLE_MAX)),
    ("industry", chars_max(limits::TITLE_MAX)),
    (
        "years_of_experience",
        FieldLimit {
            min: Some(limits::YEARS.0),
            max: Some(limits::YEARS.1),
            unit: LimitUnit::Years,
        },
    ),
    ("skills", tags_max(limits::TAGS_MAX)),
    ("interests", tags_max(limits::TAGS_MAX)),
    ("tag", chars(limits::TAG.0, limits::TAG.1)),
    ("group_name", chars(limits::GROUP_NAME.0, limits::GROUP_NAME.1)),
    ("description", chars_max(limits::DESCRIPTION_MAX)),
    ("content", chars_max(limits::CONTENT_MAX)),
    (
        "mentee_capacity",
        FieldLimit {
            min: Some(limits::CAPACITY.0),
            max: Some(limits::CAPACITY.1),
            unit: LimitUnit::Mentees,
        },
    ),
    ("message", chars(limits::REQUEST_MESSAGE.0, limits::REQUEST_MESSAGE.1)),
    ("reason", chars_max(limits::REASON_MAX)),
    ("title", chars(limits::ITEM_TITLE.0, limits::ITEM_TITLE.1)),
    ("details", chars_max(limits::DETAILS_MAX)),
];

/// The limit of `field`, if it has one.
pub fn field_limit(field: &str) -> Option<FieldLimit> {
    FIELD_LIMITS.iter().find(|(name, _)| *name == field).map(|(_, limit)| *limit)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{Months, NaiveDate};

    use super::{FieldLimit, FIELD_LIMITS};
    use crate::validate::*;

    fn text(n: i64) -> String {
        "a".repeat(usize::try_from(n).unwrap())
    }

    /// Runs the validator of `field` on a value of size `n` (characters, tags or years): each
    /// value is valid in every other way, so only the size can make it fail.
    fn accepts(field: &str, n: i64) -> bool {
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        match field {
            "username" => username(&text(n)).is_ok(),
            "email" => email(&format!("{}@{}.com", text(10), text(n - 15))).is_ok(),
            "phone_number" => {
                phone(&format!("+1{}", "5".repeat(usize::try_from(n - 2).unwrap()))).is_ok()
            }
            "password" => password(&text(n), "ann", "ann@example.com").is_ok(),
            "date_of_birth" => {
                // Born `n` years ago today: `n` years old since this morning.
                let born = today.checked_sub_months(Months::new(u32::try_from(n * 12).unwrap()));
                date_of_birth(&born.unwrap().to_string(), today).is_ok()
            }
            "city" => city(&text(n)).is_ok(),
            "profile_picture_url" | "media_url" => {
                url(&format!("https://a.io/{}", text(n - 13))).is_ok()
            }
            "bio" => bio(&text(n)).is_ok(),
            "job_title" | "industry" => title(&text(n)).is_ok(),
            "years_of_experience" => years(n).is_ok(),
            "skills" | "interests" => {
                let list: Vec<String> = (0..n).map(|i| format!("tag{i}")).collect();
                tags(&list).is_ok()
            }
            "tag" => tags(&[text(n)]).is_ok(),
            "group_name" => group_name(&text(n)).is_ok(),
            "description" => description(&text(n)).is_ok(),
            "content" => content(&text(n)).is_ok(),
            "mentee_capacity" => mentee_capacity(n).is_ok(),
            "message" => request_message(&text(n)).is_ok(),
            "reason" => reason(&text(n)).is_ok(),
            "title" => item_title(&text(n)).is_ok(),
            "details" => details(&text(n)).is_ok(),
            other => panic!("FIELD_LIMITS names {other}, which this test has no validator for"),
        }
    }

    #[test]
    fn each_limit_is_where_its_validator_draws_the_line() {
        for (field, FieldLimit { min, max, .. }) in FIELD_LIMITS {
            if let Some(max) = max {
                assert!(accepts(field, max), "{field}: {max} is allowed");
                assert!(!accepts(field, max + 1), "{field}: {} is refused", max + 1);
            }
            if let Some(min) = min {
                assert!(accepts(field, min), "{field}: {min} is allowed");
                assert!(!accepts(field, min - 1), "{field}: {} is refused", min - 1);
            }
        }
    }

    #[test]
    fn the_table_names_each_field_once() {
        let mut names: Vec<&str> = FIELD_LIMITS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELD_LIMITS.len());
        assert_eq!(super::field_limit("content").and_then(|l| l.max), Some(10_000));
        assert_eq!(super::field_limit("nothing"), None);
    }
}
