//! The directory's filters and pages.

use lodestar_protocol::{Profile, UsersQuery};
use serde::{Deserialize, Serialize};

use super::given;

/// The directory's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DirectoryQuery {
    /// Free text: username, job title, bio, skills.
    pub q: Option<String>,
    /// Mentors only.
    pub mentor: Option<bool>,
    /// Mentees only.
    pub mentee: Option<bool>,
    /// Has this skill.
    pub skill: Option<String>,
    /// In this industry.
    pub industry: Option<String>,
    /// In this state.
    pub state: Option<String>,
    /// At least this many years of experience.
    pub min_years: Option<i64>,
    /// The page after this cursor.
    pub cursor: Option<String>,
}

impl DirectoryQuery {
    /// The API query (blank filters are no filters).
    pub fn users_query(&self) -> UsersQuery {
        UsersQuery {
            username: None,
            q: given(&self.q),
            mentor: self.mentor,
            mentee: self.mentee,
            skill: given(&self.skill),
            industry: given(&self.industry),
            state: given(&self.state).map(|s| s.to_uppercase()),
            accepting: None,
            min_years: self.min_years,
            limit: Some(24),
            cursor: given(&self.cursor),
        }
    }
}

/// One page of the directory.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DirectoryPage {
    /// The people.
    pub users: Vec<Profile>,
    /// The next page's cursor; none on the last page.
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn directory_filters_drop_blanks_and_upper_case_the_state() {
        let q = DirectoryQuery {
            q: Some("  ".into()),
            mentor: Some(true),
            mentee: None,
            skill: Some(" rust ".into()),
            industry: Some(String::new()),
            state: Some(" tx ".into()),
            min_years: Some(3),
            cursor: Some(" ".into()),
        }
        .users_query();
        assert_eq!(q.q, None);
        assert_eq!(q.mentor, Some(true));
        assert_eq!(q.mentee, None);
        assert_eq!(q.skill.as_deref(), Some("rust"));
        assert_eq!(q.industry, None);
        assert_eq!(q.state.as_deref(), Some("TX"));
        assert_eq!(q.min_years, Some(3));
        assert_eq!(q.cursor, None);
        assert_eq!(q.username, None);
        let empty = DirectoryQuery::default().users_query();
        assert_eq!((empty.q, empty.state, empty.cursor, empty.mentor), (None, None, None, None));
        let next = DirectoryQuery { cursor: Some("abc".into()), ..Default::default() };
        assert_eq!(next.users_query().cursor.as_deref(), Some("abc"));
    }
}
