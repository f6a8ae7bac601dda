//! What the desktop UI sends and is shown, shaped for forms and screens. The protocol's own
//! types travel as they are; these exist where a screen needs another shape (a form with plain
//! values instead of a PATCH body's "absent or null", a group with usernames beside ids).

use chrono::{NaiveDate, Utc};
use lodestar_protocol::{
    FieldErrors, Me, Profile, ProfileFields, RegisterRequest, Role, UpdateMeRequest, UsersQuery,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ClientError;
use crate::replica::{OutboxEntry, OutboxKind, OutboxState};

/// Who is signed in, and to which server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SessionView {
    /// Whether anyone is.
    pub signed_in: bool,
    /// The user's id.
    pub user_id: Option<Uuid>,
    /// The user's name.
    pub username: Option<String>,
    /// The server in use (or the one to offer on the sign-in screen).
    pub server: String,
}

/// The sign-up form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RegisterForm {
    /// 3 to 16 of `a-z 0-9 _ .`.
    pub username: String,
    /// An address.
    pub email: String,
    /// 10 to 128 characters.
    pub password: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// E.164.
    pub phone_number: Option<String>,
    /// Up to 26.
    pub city: Option<String>,
    /// A two-letter US state or territory code.
    pub state: Option<String>,
    /// Up to 2,000.
    pub bio: Option<String>,
    /// Offers mentoring.
    pub mentor_status: bool,
    /// Looks for a mentor.
    pub mentee_status: bool,
    /// Up to 100.
    pub job_title: Option<String>,
    /// 0 to 70.
    pub years_of_experience: Option<i64>,
    /// Up to 100.
    pub industry: Option<String>,
    /// Tags.
    pub skills: Vec<String>,
    /// Tags.
    pub interests: Vec<String>,
}

/// A blank optional value is no value.
fn given(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

impl RegisterForm {
    /// The request this form sends.
    pub fn request(&self) -> RegisterRequest {
        RegisterRequest {
            username: self.username.trim().to_owned(),
            email: self.email.trim().to_owned(),
            password: self.password.clone(),
            date_of_birth: self.date_of_birth.trim().to_owned(),
            profile: ProfileFields {
                phone_number: given(&self.phone_number),
                city: given(&self.city),
                state: given(&self.state),
                profile_picture_url: None,
                bio: given(&self.bio),
                mentor_status: Some(self.mentor_status),
                mentee_status: Some(self.mentee_status),
                job_title: given(&self.job_title),
                years_of_experience: self.years_of_experience,
                industry: given(&self.industry),
                skills: Some(self.skills.clone()),
                interests: Some(self.interests.clone()),
            },
        }
    }

    /// Every rule the server applies, checked here (empty when the form is fine).
    pub fn check(&self, today: NaiveDate) -> FieldErrors {
        lodestar_protocol::validate::register(&self.request(), today).err().unwrap_or_default()
    }
}

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

/// A group member with a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MemberView {
    /// The user.
    pub user_id: Uuid,
    /// Their name (or a short id when the replica does not know it).
    pub username: String,
    /// Their role.
    pub role: Role,
}

/// A group as its members panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupView {
    /// The group.
    pub group_id: Uuid,
    /// Its conversation.
    pub conversation_id: Uuid,
    /// Its name.
    pub group_name: String,
    /// Its description.
    pub description: Option<String>,
    /// The signed-in user's role (none once they have left).
    pub my_role: Option<Role>,
    /// Everyone in it, owners first.
    pub members: Vec<MemberView>,
}

/// An outbox entry as the outbox view lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "OutboxEntry"))]
pub struct OutboxView {
    /// Its place in the queue.
    pub id: i64,
    /// What it does.
    pub kind: OutboxKind,
    /// The conversation it concerns.
    pub conversation_id: Option<Uuid>,
    /// The message, for messages.
    pub message_id: Option<Uuid>,
    /// What it is, for people ("Message: see you at…", "Read 3 messages", "Profile: bio").
    pub summary: String,
    /// Where it stands.
    pub state: OutboxState,
    /// Sending attempts so far.
    pub attempts: i64,
    /// The server's reason, once failed.
    pub last_error: Option<String>,
}

impl From<OutboxEntry> for OutboxView {
    fn from(e: OutboxEntry) -> Self {
        let summary = match e.kind {
            OutboxKind::Message => {
                let text = e.payload.get("content").and_then(|v| v.as_str());
                let media = e.payload.get("media_url").and_then(|v| v.as_str());
                match (text, media) {
                    (Some(t), _) => format!("Message: {}", crate::engine::notify::preview_text(t)),
                    (None, Some(m)) => format!("Message: {m}"),
                    (None, None) => "Message".to_owned(),
                }
            }
            OutboxKind::Read => {
                let n = e.payload.get("message_ids").and_then(|v| v.as_array()).map_or(0, Vec::len);
                format!("Read {n} message{}", if n == 1 { "" } else { "s" })
            }
            OutboxKind::Profile => {
                let fields: Vec<&str> = e
                    .payload
                    .as_object()
                    .map(|o| o.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                format!("Profile: {}", fields.join(", "))
            }
        };
        OutboxView {
            id: e.id,
            kind: e.kind,
            conversation_id: e.conversation_id,
            message_id: e.message_id,
            summary,
            state: e.state,
            attempts: e.attempts,
            last_error: e.last_error,
        }
    }
}

/// The app's own settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// The server in use or remembered.
    pub server: String,
    /// Desktop notifications on.
    pub notifications: bool,
    /// Where the replica and settings live.
    pub data_dir: String,
}

/// What every failed command answers: a code to switch on, a sentence, and the bad fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "IpcError"))]
#[error("{message}")]
pub struct AppError {
    /// Stable and machine-readable: what the UI switches on.
    pub code: lodestar_protocol::ErrorCode,
    /// For people.
    pub message: String,
    /// Field → rule code, for `validation_failed` and `conflict`.
    #[cfg_attr(feature = "ts", ts(type = "{ [field: string]: string }"))]
    pub fields: std::collections::BTreeMap<String, String>,
}

impl From<ClientError> for AppError {
    fn from(e: ClientError) -> Self {
        let fields = match &e {
            ClientError::Invalid(f) => f.0.clone(),
            ClientError::Server { fields, .. } => fields.clone(),
            _ => Default::default(),
        };
        AppError { code: e.code(), message: e.to_string(), fields }
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

    fn entry(kind: OutboxKind, payload: serde_json::Value) -> OutboxEntry {
        OutboxEntry {
            id: 7,
            kind,
            conversation_id: Some(Uuid::nil()),
            message_id: None,
            payload,
            state: OutboxState::Failed,
            attempts: 2,
            last_error: Some("not_found: no such conversation".into()),
        }
    }

    #[test]
    fn outbox_entries_are_summarised_for_people() {
        let summary = |kind, payload| OutboxView::from(entry(kind, payload)).summary;
        assert_eq!(
            summary(OutboxKind::Message, serde_json::json!({"content": "  see you at noon "})),
            "Message: see you at noon"
        );
        let long = "x".repeat(150);
        assert_eq!(
            summary(OutboxKind::Message, serde_json::json!({"content": long})),
            format!("Message: {}…", "x".repeat(100))
        );
        assert_eq!(
            summary(
                OutboxKind::Message,
                serde_json::json!({"content": null, "media_url": "https://example.com/a.png"})
            ),
            "Message: https://example.com/a.png"
        );
        assert_eq!(summary(OutboxKind::Message, serde_json::json!({})), "Message");
        let ids = |n: usize| (0..n).map(|_| Uuid::new_v4()).collect::<Vec<_>>();
        assert_eq!(
            summary(OutboxKind::Read, serde_json::json!({"message_ids": ids(3)})),
            "Read 3 messages"
        );
        assert_eq!(
            summary(OutboxKind::Read, serde_json::json!({"message_ids": ids(1)})),
            "Read 1 message"
        );
        assert_eq!(summary(OutboxKind::Profile, serde_json::json!({"bio": "x"})), "Profile: bio");
        let two = summary(OutboxKind::Profile, serde_json::json!({"city": null, "bio": "x"}));
        assert!(two == "Profile: bio, city" || two == "Profile: city, bio", "{two}");
        // The rest is carried over as it is.
        let view = OutboxView::from(entry(OutboxKind::Read, serde_json::json!({})));
        assert_eq!(
            (view.id, view.kind, view.state, view.attempts, view.conversation_id),
            (7, OutboxKind::Read, OutboxState::Failed, 2, Some(Uuid::nil()))
        );
        assert_eq!(view.last_error.as_deref(), Some("not_found: no such conversation"));
    }

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

    #[test]
    fn errors_carry_code_message_and_fields() {
        use lodestar_protocol::ErrorCode;
        let mut f = FieldErrors::default();
        f.add("username", "invalid");
        let e = AppError::from(ClientError::Invalid(f));
        assert_eq!(e.code, ErrorCode::ValidationFailed);
        assert!(e.message.contains("username: invalid"), "{}", e.message);
        assert_eq!(e.fields.get("username").map(String::as_str), Some("invalid"));
        let e = AppError::from(ClientError::Server {
            status: 409,
            code: ErrorCode::Conflict,
            message: "username is taken".into(),
            fields: [("username".to_owned(), "taken".to_owned())].into(),
        });
        assert_eq!((e.code, e.message.as_str()), (ErrorCode::Conflict, "username is taken"));
        assert_eq!(e.fields.get("username").map(String::as_str), Some("taken"));
        let e = AppError::from(ClientError::Offline("connection refused".into()));
        assert_eq!(e.code, ErrorCode::Offline);
        assert!(e.fields.is_empty());
    }
}
