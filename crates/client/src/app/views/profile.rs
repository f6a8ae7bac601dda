//! The profile form, and dates as typed in forms.

use chrono::{NaiveDate, Utc};
use lodestar_protocol::{FieldErrors, Me, UpdateMeRequest};
use serde::{Deserialize, Serialize};

/// The profile form: every field a user may edit, as plain values (blank clears).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProfileEdit {
    /// Username.
    pub username: String,
    /// Email.
    pub email: String,
    /// Phone (E.164), blank for none.
    pub phone_number: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// City, blank for none.
    pub city: String,
    /// State code, blank for none.
    pub state: String,
    /// Picture URL, blank for none.
    pub profile_picture_url: String,
    /// Bio, blank for none.
    pub bio: String,
    /// Offers mentoring.
    pub mentor_status: bool,
    /// Looks for a mentor.
    pub mentee_status: bool,
    /// Job title, blank for none.
    pub job_title: String,
    /// Years of experience.
    pub years_of_experience: Option<i64>,
    /// Industry, blank for none.
    pub industry: String,
    /// Tags.
    pub skills: Vec<String>,
    /// Tags.
    pub interests: Vec<String>,
    /// How many mentees the user takes at once, as a mentor (0–20).
    pub mentee_capacity: i32,
    /// Whether mentees may ask now.
    pub accepting_requests: bool,
}

impl ProfileEdit {
    /// The form filled with a profile.
    pub fn of(me: &Me) -> ProfileEdit {
        let p = &me.profile;
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        ProfileEdit {
            username: p.username.clone(),
            email: me.email.clone(),
            phone_number: text(&me.phone_number),
            date_of_birth: me.date_of_birth.to_string(),
            city: text(&p.city),
            state: text(&p.state),
            profile_picture_url: text(&p.profile_picture_url),
            bio: text(&p.bio),
            mentor_status: p.mentor_status,
            mentee_status: p.mentee_status,
            job_title: text(&p.job_title),
            years_of_experience: p.years_of_experience.map(i64::from),
            industry: text(&p.industry),
            skills: p.skills.clone(),
            interests: p.interests.clone(),
            mentee_capacity: p.mentee_capacity,
            accepting_requests: p.accepting_requests,
        }
    }

    /// The PATCH body carrying only what differs from `current` (blank clears a field).
    pub fn patch_from(&self, current: &ProfileEdit) -> UpdateMeRequest {
        fn text(new: &str, old: &str) -> Option<Option<String>> {
            let new = new.trim();
            (new != old.trim()).then(|| (!new.is_empty()).then(|| new.to_owned()))
        }
        fn same<T: PartialEq + Clone>(new: &T, old: &T) -> Option<T> {
            (new != old).then(|| new.clone())
        }
        UpdateMeRequest {
            username: text(&self.username, &current.username),
            email: text(&self.email, &current.email),
            date_of_birth: text(&self.date_of_birth, &current.date_of_birth),
            phone_number: text(&self.phone_number, &current.phone_number),
            city: text(&self.city, &current.city),
            state: text(&self.state, &current.state),
            profile_picture_url: text(&self.profile_picture_url, &current.profile_picture_url),
            bio: text(&self.bio, &current.bio),
            mentor_status: same(&self.mentor_status, &current.mentor_status).map(Some),
            mentee_status: same(&self.mentee_status, &current.mentee_status).map(Some),
            job_title: text(&self.job_title, &current.job_title),
            years_of_experience: same(&self.years_of_experience, &current.years_of_experience),
            industry: text(&self.industry, &current.industry),
            skills: same(&self.skills, &current.skills).map(Some),
            interests: same(&self.interests, &current.interests).map(Some),
            mentee_capacity: same(&self.mentee_capacity, &current.mentee_capacity)
                .map(|c| Some(i64::from(c))),
            accepting_requests: same(&self.accepting_requests, &current.accepting_requests)
                .map(Some),
        }
    }

    /// Every rule the server applies to the whole form (empty when it is fine).
    pub fn check(&self) -> FieldErrors {
        // Checked against an empty form so that every field, changed or not, is looked at.
        let mut patch = self.patch_from(&ProfileEdit::default());
        // Blank equals the empty form, which would skip the required fields: a blank one is
        // sent as a clear, which the rules refuse as `required`.
        let required = |v: &str| Some(Some(v.trim().to_owned()).filter(|v| !v.is_empty()));
        patch.username = required(&self.username);
        patch.email = required(&self.email);
        patch.date_of_birth = required(&self.date_of_birth);
        lodestar_protocol::validate::profile_patch(&patch, Utc::now().date_naive())
            .err()
            .unwrap_or_default()
    }
}

/// A date typed in a form, when it is one.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn filled() -> ProfileEdit {
        ProfileEdit {
            username: "ann".into(),
            email: "ann@example.com".into(),
            phone_number: "+15125550100".into(),
            date_of_birth: "1990-04-12".into(),
            city: "Austin".into(),
            state: "TX".into(),
            profile_picture_url: String::new(),
            bio: "Rust and coffee".into(),
            mentor_status: false,
            mentee_status: true,
            job_title: "Engineer".into(),
            years_of_experience: Some(4),
            industry: "Software".into(),
            skills: vec!["rust".into()],
            interests: vec!["databases".into()],
            mentee_capacity: 3,
            accepting_requests: true,
        }
    }

    /// The fields a patch carries, as its JSON body names them.
    fn sent(patch: &UpdateMeRequest) -> serde_json::Value {
        serde_json::to_value(patch).unwrap()
    }

    #[test]
    fn an_unchanged_form_patches_nothing() {
        let current = filled();
        assert_eq!(sent(&current.patch_from(&current)), serde_json::json!({}));
        // Spaces around a value are not a change.
        let mut padded = filled();
        padded.username = "  ann ".into();
        padded.city = "Austin ".into();
        assert_eq!(sent(&padded.patch_from(&current)), serde_json::json!({}));
    }

    #[test]
    fn a_patch_carries_only_the_changed_fields_and_blank_clears() {
        let current = filled();
        let mut edit = filled();
        edit.bio = "  Mentoring in Rust ".into();
        edit.city = "   ".into();
        edit.mentor_status = true;
        edit.years_of_experience = None;
        edit.skills = vec!["rust".into(), "sql".into()];
        edit.profile_picture_url = "https://example.com/ann.png".into();
        let patch = edit.patch_from(&current);
        assert_eq!(patch.bio, Some(Some("Mentoring in Rust".into())), "trimmed");
        assert_eq!(patch.city, Some(None), "a blank field clears");
        assert_eq!(patch.mentor_status, Some(Some(true)));
        assert_eq!(patch.years_of_experience, Some(None));
        assert_eq!(patch.skills, Some(Some(vec!["rust".into(), "sql".into()])));
        assert_eq!(patch.profile_picture_url, Some(Some("https://example.com/ann.png".into())));
        assert_eq!(
            sent(&patch),
            serde_json::json!({
                "bio": "Mentoring in Rust",
                "city": null,
                "mentor_status": true,
                "years_of_experience": null,
                "skills": ["rust", "sql"],
                "profile_picture_url": "https://example.com/ann.png",
            }),
            "nothing else is sent"
        );
    }

    #[test]
    fn a_mentors_capacity_and_switch_are_patched_when_changed() {
        let current = filled();
        let mut edit = current.clone();
        edit.mentee_capacity = 5;
        edit.accepting_requests = false;
        assert_eq!(
            sent(&edit.patch_from(&current)),
            serde_json::json!({"mentee_capacity": 5, "accepting_requests": false})
        );
        edit.mentee_capacity = 21;
        assert_eq!(edit.check().0["mentee_capacity"], "out_of_range");
    }

    #[test]
    fn the_form_check_gives_the_servers_field_codes() {
        assert!(filled().check().is_empty(), "{:?}", filled().check());
        let mut bad = filled();
        bad.state = "ZZ".into();
        bad.phone_number = "555".into();
        bad.email = "not an address".into();
        let codes = bad.check().0;
        assert_eq!(codes.get("state").map(String::as_str), Some("invalid"));
        assert_eq!(codes.get("phone_number").map(String::as_str), Some("invalid"));
        assert_eq!(codes.get("email").map(String::as_str), Some("invalid"));
        assert_eq!(codes.len(), 3, "{codes:?}");
        // Required fields left blank are refused too, not skipped.
        let mut blank = filled();
        blank.username = " ".into();
        blank.email = String::new();
        blank.date_of_birth = String::new();
        let codes = blank.check().0;
        assert_eq!(codes.get("username").map(String::as_str), Some("required"), "{codes:?}");
        assert_eq!(codes.get("email").map(String::as_str), Some("required"), "{codes:?}");
        assert_eq!(codes.get("date_of_birth").map(String::as_str), Some("required"), "{codes:?}");
    }
}
