//! Rows as both backends read them, and the change-log entries both write.
//!
//! # Columns that may be NULL
//! SCHEMA.md leaves ten columns nullable that the server always fills (migration 0004):
//! `users.mentor_status`, `mentee_status`, `skills`, `interests`, `created_at`,
//! `groups.members`, `group_members.role`, `joined_at`, `conversations.created_at` and
//! `message_read_status.read_at`. A NULL written by anything else (an import, a hand edit, a
//! second program on the same database) is read as the column's neutral value rather than
//! failing every request that touches the row: `false` for a status, `[]` for tags, `member`
//! (the least privilege) for a role, and [`UNKNOWN_TIME`] for a time. `groups.members` is
//! written, never read (members come from `group_members`).

use chrono::{DateTime, NaiveDate, SubsecRound, TimeDelta, Utc};
use lodestar_protocol::validate::age_on;
use lodestar_protocol::{
    Change, ChangeKind, ChangeOp, Conversation, ConversationType, DeliveryStatus, GroupMember, Me,
    Message, Profile, Read, Role,
};
use serde::Serialize;
use uuid::Uuid;

use super::{StoreError, StoreResult};

/// The time a NULL time column reads as: the Unix epoch, which sorts before every real time
/// (a member who joined "at the epoch" is the longest-standing, a conversation created then is
/// the oldest).
pub(crate) const UNKNOWN_TIME: DateTime<Utc> = DateTime::UNIX_EPOCH;

/// A nullable column read into a plain value through `#[sqlx(try_from = "Nullable<T>")]`: NULL
/// becomes the neutral value its `From` impl gives (see the module notes).
pub(crate) struct Nullable<T>(Option<T>);

impl<DB: sqlx::Database, T: sqlx::Type<DB>> sqlx::Type<DB> for Nullable<T> {
    fn type_info() -> DB::TypeInfo {
        T::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        T::compatible(ty)
    }
}

impl<'r, DB: sqlx::Database, T: sqlx::Decode<'r, DB>> sqlx::Decode<'r, DB> for Nullable<T> {
    fn decode(
        value: <DB as sqlx::Database>::ValueRef<'r>,
    ) -> Result<Self, sqlx::error::BoxDynError> {
        <Option<T> as sqlx::Decode<'r, DB>>::decode(value).map(Nullable)
    }
}

impl From<Nullable<bool>> for bool {
    fn from(v: Nullable<bool>) -> bool {
        v.0.unwrap_or(false)
    }
}

impl From<Nullable<DateTime<Utc>>> for DateTime<Utc> {
    fn from(v: Nullable<DateTime<Utc>>) -> DateTime<Utc> {
        v.0.unwrap_or(UNKNOWN_TIME)
    }
}

/// How far ahead of the server's clock a message's `sent_at` may be: the clock skew between a
/// sender's machine and the server. Later than that, the sender could pin a conversation to the
/// top of every list (a year-9999 message), so the message is dated when the server accepts it.
pub(crate) const MAX_CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

/// The `sent_at` a message is stored with when the server accepts it at `now`: the sender's
/// own time when it is in the past (a message written offline arrives later than it was written)
/// or within [`MAX_CLOCK_SKEW`] ahead; otherwise `now`.
pub(crate) fn accepted_sent_at(sent_at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    if sent_at > now + MAX_CLOCK_SKEW {
        now
    } else {
        sent_at
    }
}

/// A `users` row without the password hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct UserRow {
    pub user_id: Uuid,
    pub username: String,
    pub email: String,
    pub phone_number: Option<String>,
    pub date_of_birth: NaiveDate,
    pub city: Option<String>,
    pub state: Option<String>,
    pub profile_picture_url: Option<String>,
    pub bio: Option<String>,
    #[sqlx(try_from = "Nullable<bool>")]
    pub mentor_status: bool,
    #[sqlx(try_from = "Nullable<bool>")]
    pub mentee_status: bool,
    pub job_title: Option<String>,
    pub years_of_experience: Option<i32>,
    pub industry: Option<String>,
    /// JSON array; NULL reads as `[]`.
    pub skills: Option<String>,
    /// JSON array; NULL reads as `[]`.
    pub interests: Option<String>,
    #[sqlx(try_from = "Nullable<DateTime<Utc>>")]
    pub created_at: DateTime<Utc>,
    pub mentee_capacity: i32,
    pub accepting_requests: bool,
    /// Active mentorships as mentor (migration 0007).
    pub active_mentees: i32,
    /// Runs the program (migration 0010).
    pub is_coordinator: bool,
}

/// The columns of `users` matching reads (`matching::Candidate`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CandidateRow {
    pub user_id: Uuid,
    pub username: String,
    pub state: Option<String>,
    #[sqlx(try_from = "Nullable<bool>")]
    pub mentor_status: bool,
    #[sqlx(try_from = "Nullable<bool>")]
    pub mentee_status: bool,
    pub years_of_experience: Option<i32>,
    pub industry: Option<String>,
    pub skills: Option<String>,
    pub interests: Option<String>,
    pub mentee_capacity: i32,
    pub accepting_requests: bool,
    pub active_mentees: i32,
}

/// The columns of [`CandidateRow`], in a SELECT.
pub(crate) const CANDIDATE_COLUMNS: &str = "user_id, username, state, mentor_status, \
    mentee_status, years_of_experience, industry, skills, interests, mentee_capacity, \
    accepting_requests, active_mentees";

impl CandidateRow {
    /// As matching reads it.
    pub fn into_candidate(self) -> StoreResult<crate::matching::Candidate> {
        Ok(crate::matching::Candidate {
            skills: tags("skills", self.skills.as_deref())?,
            interests: tags("interests", self.interests.as_deref())?,
            user_id: self.user_id,
            username: self.username,
            industry: self.industry,
            years_of_experience: self.years_of_experience,
            state: self.state,
            mentor_status: self.mentor_status,
            mentee_status: self.mentee_status,
            mentee_capacity: self.mentee_capacity,
            open_slots: (self.mentee_capacity - self.active_mentees).max(0),
            accepting_requests: self.accepting_requests,
        })
    }
}

/// A time as both databases keep it: PostgreSQL stores microseconds, so every time is cut to
/// microseconds before it is written *and* before it is answered, and a retried request gets
/// exactly the answer the first one got.
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// The directory's search keys of a profile, folded in Rust so both backends ignore case alike
/// (see migration 0002): the searchable text, and the industry.
pub(crate) fn search_keys(
    username: &str,
    job_title: Option<&str>,
    bio: Option<&str>,
    skills: &[String],
    industry: Option<&str>,
) -> (String, Option<String>) {
    let mut text = vec![username, job_title.unwrap_or_default(), bio.unwrap_or_default()];
    text.extend(skills.iter().map(String::as_str));
    (text.join("\n").to_lowercase(), industry.map(str::to_lowercase))
}

fn tags(field: &str, json: Option<&str>) -> StoreResult<Vec<String>> {
    let Some(json) = json else { return Ok(Vec::new()) };
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("users.{field}: {e}")))
}

impl UserRow {
    /// The full record, with the age as of `today`.
    pub fn into_me(self, today: NaiveDate) -> StoreResult<Me> {
        Ok(Me {
            profile: Profile {
                age: Some(age_on(self.date_of_birth, today)),
                skills: tags("skills", self.skills.as_deref())?,
                interests: tags("interests", self.interests.as_deref())?,
                user_id: self.user_id,
                username: self.username,
                city: self.city,
                state: self.state,
                profile_picture_url: self.profile_picture_url,
                bio: self.bio,
                mentor_status: self.mentor_status,
                mentee_status: self.mentee_status,
                job_title: self.job_title,
                years_of_experience: self.years_of_experience,
                industry: self.industry,
                created_at: self.created_at,
                mentee_capacity: self.mentee_capacity,
                accepting_requests: self.accepting_requests,
                open_slots: (self.mentee_capacity - self.active_mentees).max(0),
            },
            email: self.email,
            phone_number: self.phone_number,
            date_of_birth: self.date_of_birth,
            is_coordinator: self.is_coordinator,
        })
    }

    /// The directory's search keys of this row.
    pub fn search_keys(&self) -> StoreResult<(String, Option<String>)> {
        let skills = tags("skills", self.skills.as_deref())?;
        Ok(search_keys(
            &self.username,
            self.job_title.as_deref(),
            self.bio.as_deref(),
            &skills,
            self.industry.as_deref(),
        ))
    }

    /// What others see.
    pub fn into_profile(self, today: NaiveDate) -> StoreResult<Profile> {
        self.into_me(today).map(Profile::from)
    }
}

/// A `conversations` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ConversationRow {
    pub conversation_id: Uuid,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub group_id: Option<Uuid>,
    #[sqlx(try_from = "Nullable<DateTime<Utc>>")]
    pub created_at: DateTime<Utc>,
}

impl ConversationRow {
    /// With its participants.
    pub fn into_conversation(self, participants: Vec<Uuid>) -> StoreResult<Conversation> {
        Ok(Conversation {
            kind: ConversationType::parse(&self.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("conversations.type {}", self.kind)))?,
            conversation_id: self.conversation_id,
            group_id: self.group_id,
            created_at: self.created_at,
            participants,
        })
    }
}

/// A `messages` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MessageRow {
    pub message_id: Uuid,
    pub conversation_id: Uuid,
    pub sender_id: Option<Uuid>,
    pub content: Option<String>,
    pub media_url: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub seq: i64,
    /// `delivered`, `held` or `rejected` (migration 0013).
    pub status: String,
    pub held_reason: Option<String>,
    /// Migration 0014.
    pub reply_to: Option<Uuid>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl From<MessageRow> for Message {
    fn from(r: MessageRow) -> Self {
        Message {
            message_id: r.message_id,
            conversation_id: r.conversation_id,
            sender_id: r.sender_id,
            content: r.content,
            media_url: r.media_url,
            sent_at: r.sent_at,
            seq: r.seq,
            // The column's CHECK allows only the three spellings.
            status: DeliveryStatus::parse(&r.status).unwrap_or(DeliveryStatus::Held),
            held_reason: r.held_reason,
            reply_to: r.reply_to,
            edited_at: r.edited_at,
            deleted_at: r.deleted_at,
        }
    }
}

/// A `groups` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct GroupRow {
    pub group_id: Uuid,
    pub group_name: String,
    pub description: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// A `group_members` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MemberRow {
    pub user_id: Uuid,
    /// NULL reads as `member`.
    pub role: Option<String>,
    #[sqlx(try_from = "Nullable<DateTime<Utc>>")]
    pub joined_at: DateTime<Utc>,
}

impl MemberRow {
    /// As the API shows it.
    pub fn into_member(self) -> StoreResult<GroupMember> {
        let role = match self.role.as_deref() {
            None => Role::Member,
            Some(r) => Role::parse(r)
                .ok_or_else(|| StoreError::Corrupt(format!("group_members.role {r}")))?,
        };
        Ok(GroupMember { role, user_id: self.user_id, joined_at: self.joined_at })
    }
}

/// A `message_read_status` row with the message's conversation (also a `read` change's data).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub(crate) struct ReadRow {
    pub message_id: Uuid,
    pub user_id: Uuid,
    #[sqlx(try_from = "Nullable<DateTime<Utc>>")]
    pub read_at: DateTime<Utc>,
    pub conversation_id: Uuid,
}

impl From<ReadRow> for Read {
    fn from(r: ReadRow) -> Self {
        Read { message_id: r.message_id, user_id: r.user_id, read_at: r.read_at }
    }
}

/// A `changes` row as sync reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ChangeRow {
    pub seq: i64,
    pub kind: String,
    pub op: String,
    pub data: String,
}

impl ChangeRow {
    /// As the API shows it.
    pub fn into_change(self) -> StoreResult<Change> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("changes {}: {what}", self.seq));
        Ok(Change {
            seq: self.seq,
            kind: ChangeKind::parse(&self.kind).ok_or_else(|| corrupt("kind"))?,
            op: ChangeOp::parse(&self.op).ok_or_else(|| corrupt("op"))?,
            data: serde_json::from_str(&self.data).map_err(|_| corrupt("data"))?,
        })
    }
}

/// A change about to be logged; its seq is given when the writing transaction commits it.
#[derive(Debug, Clone)]
pub(crate) struct NewChange {
    pub kind: ChangeKind,
    pub op: ChangeOp,
    pub data: String,
    pub conversation_id: Option<Uuid>,
    pub subject_user_id: Option<Uuid>,
    pub target_user_id: Option<Uuid>,
}

fn json(data: &impl Serialize) -> String {
    // Serializing these plain structs and json! values cannot fail: no maps with non-string
    // keys, no custom serializers that error.
    serde_json::to_string(data).unwrap_or_else(|_| "null".to_owned())
}

impl NewChange {
    /// Seen by every member of `conversation_id`.
    pub fn in_conversation(
        conversation_id: Uuid,
        kind: ChangeKind,
        op: ChangeOp,
        data: &impl Serialize,
    ) -> Self {
        NewChange {
            kind,
            op,
            data: json(data),
            conversation_id: Some(conversation_id),
            subject_user_id: None,
            target_user_id: None,
        }
    }

    /// Seen only by `user`.
    pub fn for_user(user: Uuid, kind: ChangeKind, op: ChangeOp, data: &impl Serialize) -> Self {
        NewChange {
            kind,
            op,
            data: json(data),
            conversation_id: None,
            subject_user_id: None,
            target_user_id: Some(user),
        }
    }

    /// One's own full record, seen only by its owner. It names its owner as subject too, so
    /// that the next edit can supersede it (see `supersede_profiles`).
    pub fn own_profile(me: &lodestar_protocol::Me) -> Self {
        NewChange {
            subject_user_id: Some(me.profile.user_id),
            ..Self::for_user(me.profile.user_id, ChangeKind::Profile, ChangeOp::Upsert, me)
        }
    }

    /// A profile seen by the members of `conversation_id` but not by its owner (who gets
    /// `Me` instead).
    pub fn profile_in_conversation(conversation_id: Uuid, profile: &Profile) -> Self {
        NewChange {
            subject_user_id: Some(profile.user_id),
            ..Self::in_conversation(conversation_id, ChangeKind::Profile, ChangeOp::Upsert, profile)
        }
    }

    /// A profile seen by everyone who shares a conversation with its owner.
    pub fn profile_to_peers(profile: &Profile) -> Self {
        NewChange {
            kind: ChangeKind::Profile,
            op: ChangeOp::Upsert,
            data: json(profile),
            conversation_id: None,
            subject_user_id: Some(profile.user_id),
            target_user_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_sent_at_is_kept_up_to_the_clock_skew_and_dated_now_beyond() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        let past = Utc.with_ymd_and_hms(2001, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(accepted_sent_at(past, now), past);
        assert_eq!(accepted_sent_at(now + MAX_CLOCK_SKEW, now), now + MAX_CLOCK_SKEW);
        let beyond = now + MAX_CLOCK_SKEW + TimeDelta::microseconds(1);
        assert_eq!(accepted_sent_at(beyond, now), now);
        let far = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap();
        assert_eq!(accepted_sent_at(far, now), now);
    }
}
