//! Request and response bodies of the routes in API.md.
//!
//! Request fields that carry rules are typed loosely (strings, wide integers) on purpose: a
//! value that breaks a rule must reach [`crate::validate`] and be answered with 422 naming the
//! field, not fail JSON decoding with a 400.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error_code::ErrorCode;
use crate::model::{Conversation, GroupMember, Me, Message, Profile, Read};

/// Deserializes a field that distinguishes "absent" (outer `None`, by `#[serde(default)]`) from
/// "explicitly null" (`Some(None)`), which `PATCH` needs to clear optional fields.
pub fn double_option<'de, T, D>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// `GET /v1/health`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
    /// The server's version.
    pub version: String,
}

/// The optional profile fields, accepted at registration.
///
/// No `deny_unknown_fields` here: flattened into [`RegisterRequest`], it would see only its own
/// fields (so refuse nothing), and its schema would forbid every property but its own, which
/// `RegisterRequest`'s required `username` then contradicts (a schema no value satisfies).
/// `RegisterRequest` refuses unknown fields itself.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ProfileFields {
    /// E.164.
    pub phone_number: Option<String>,
    /// Up to 26 characters.
    pub city: Option<String>,
    /// Two-letter US state or territory code.
    pub state: Option<String>,
    /// `http`/`https`, up to 255.
    pub profile_picture_url: Option<String>,
    /// Up to 2,000 characters.
    pub bio: Option<String>,
    /// Offers mentoring.
    pub mentor_status: Option<bool>,
    /// Looks for a mentor.
    pub mentee_status: Option<bool>,
    /// Up to 100 characters.
    pub job_title: Option<String>,
    /// 0 to 70.
    pub years_of_experience: Option<i64>,
    /// Up to 100 characters.
    pub industry: Option<String>,
    /// Up to 30 tags of 1 to 40 characters.
    pub skills: Option<Vec<String>>,
    /// Up to 30 tags of 1 to 40 characters.
    pub interests: Option<Vec<String>>,
    /// 0 to 20, default 3.
    pub mentee_capacity: Option<i64>,
    /// Default true.
    pub accepting_requests: Option<bool>,
}

/// `POST /v1/auth/register`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// 3 to 16 of `a-z 0-9 _ .` (upper case is folded to lower case).
    pub username: String,
    /// A valid address up to 100.
    pub email: String,
    /// 10 to 128 characters, not the username or email.
    pub password: String,
    /// `YYYY-MM-DD`; at least 13 years ago.
    pub date_of_birth: String,
    /// Any optional profile field.
    #[serde(flatten)]
    pub profile: ProfileFields,
}

/// `POST /v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Username or email.
    pub login: String,
    /// The password.
    pub password: String,
}

/// Answer of register and login.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuthResponse {
    /// The bearer token; shown once, stored by the server only as a hash.
    pub token: String,
    /// The signed-in user.
    pub user: Me,
}

/// `PATCH /v1/me`: absent fields stay, `null` clears an optional field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// New username.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub username: Option<Option<String>>,
    /// New email.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// New date of birth.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub date_of_birth: Option<Option<String>>,
    /// E.164.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub phone_number: Option<Option<String>>,
    /// City.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub city: Option<Option<String>>,
    /// State code.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub state: Option<Option<String>>,
    /// Avatar URL.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub profile_picture_url: Option<Option<String>>,
    /// Bio.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub bio: Option<Option<String>>,
    /// Offers mentoring (`null` means false).
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<bool>)]
    pub mentor_status: Option<Option<bool>>,
    /// Looks for a mentor (`null` means false).
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<bool>)]
    pub mentee_status: Option<Option<bool>>,
    /// Job title.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub job_title: Option<Option<String>>,
    /// Years of experience.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub years_of_experience: Option<Option<i64>>,
    /// Industry.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub industry: Option<Option<String>>,
    /// Skills (`null` empties them).
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<String>>)]
    pub skills: Option<Option<Vec<String>>>,
    /// Interests (`null` empties them).
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<String>>)]
    pub interests: Option<Option<Vec<String>>>,
    /// Mentees at once, 0 to 20 (`null` restores the default, 3).
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub mentee_capacity: Option<Option<i64>>,
    /// Welcomes new requests (`null` means false).
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<bool>)]
    pub accepting_requests: Option<Option<bool>>,
}

/// `POST /v1/me/password`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The password in use now.
    pub current_password: String,
    /// The new one, under the same rules as at registration.
    pub new_password: String,
}

/// Query of `GET /v1/users`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    /// Exact username (ignoring case).
    pub username: Option<String>,
    /// Matches username, job title, bio and skills.
    pub q: Option<String>,
    /// Only mentors (true) or non-mentors (false).
    pub mentor: Option<bool>,
    /// Only mentees (true) or non-mentees (false).
    pub mentee: Option<bool>,
    /// Has this skill tag (ignoring case).
    pub skill: Option<String>,
    /// Industry (ignoring case).
    pub industry: Option<String>,
    /// Two-letter state code.
    pub state: Option<String>,
    /// Only mentors who accept requests and have an open slot (true).
    pub accepting: Option<bool>,
    /// At least this many years of experience.
    #[param(minimum = 0, maximum = 70)]
    pub min_years: Option<i64>,
    /// Page size, at most 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page of the directory.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UsersPage {
    /// Profiles, ordered by username.
    pub users: Vec<Profile>,
    /// Null on the last page.
    pub next_cursor: Option<String>,
}

/// Query of `GET /v1/matches`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchesQuery {
    /// At most 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// A suggested mentor or mentee.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Match {
    /// Who.
    pub user: Profile,
    /// 0..1, higher is better.
    pub score: f64,
    /// Why, in words a person can read.
    pub reasons: Vec<String>,
}

/// `GET /v1/matches`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MatchesResponse {
    /// Best first.
    pub matches: Vec<Match>,
}

/// `POST /v1/conversations/direct`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenDirectRequest {
    /// The other person.
    pub user_id: Uuid,
}

/// A conversation in the caller's list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConversationSummary {
    /// The conversation.
    #[serde(flatten)]
    pub conversation: Conversation,
    /// The newest message, if any.
    pub last_message: Option<Message>,
    /// Messages from others the caller has not read.
    pub unread_count: i64,
}

/// `GET /v1/conversations`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConversationList {
    /// Most recent first.
    pub conversations: Vec<ConversationSummary>,
}

/// Query of `GET /v1/conversations/{id}/messages`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// Only messages with a lower seq.
    #[param(minimum = 1)]
    pub before: Option<i64>,
    /// At most 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// A page of history.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MessagesPage {
    /// Oldest first.
    pub messages: Vec<Message>,
    /// Whether older messages exist.
    pub has_more: bool,
}

/// `POST /v1/groups`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGroupRequest {
    /// 1 to 50 characters.
    pub group_name: String,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// The first members besides the creator.
    #[serde(default)]
    pub member_ids: Vec<Uuid>,
}

/// `PATCH /v1/groups/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateGroupRequest {
    /// New name.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub group_name: Option<Option<String>>,
    /// New description; `null` clears it.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
}

/// `POST /v1/groups/{id}/members`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMemberRequest {
    /// Who to add.
    pub user_id: Uuid,
    /// `member` (default), `admin` or `owner`; only an owner grants `admin` or `owner`.
    #[serde(default)]
    pub role: Option<String>,
}

/// `PATCH /v1/groups/{id}/members/{user_id}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberRequest {
    /// `owner`, `admin` or `member`.
    pub role: String,
}

/// A member as answered by the member routes.
pub type MemberResponse = GroupMember;

/// `POST /v1/messages`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendMessageRequest {
    /// Made by the client; the idempotency key.
    pub message_id: Uuid,
    /// Where to send it.
    pub conversation_id: Uuid,
    /// Text.
    #[serde(default)]
    pub content: Option<String>,
    /// A media URL.
    #[serde(default)]
    pub media_url: Option<String>,
    /// When the user sent it; the server's clock when absent.
    #[serde(default)]
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The message of the same conversation it answers.
    #[serde(default)]
    pub reply_to: Option<Uuid>,
}

/// `POST /v1/read`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadRequest {
    /// At most 1,000.
    pub message_ids: Vec<Uuid>,
}

/// `GET /v1/messages/{id}/reads`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReadsResponse {
    /// Who read it and when.
    pub reads: Vec<Read>,
}

/// Query of `GET /v1/sync`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncQuery {
    /// A cursor; absent means from the start.
    pub since: Option<String>,
    /// At most 1,000, default 500.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The error body of every failed request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: `bad_request`, `unauthorized`, `forbidden`, `not_found`,
    /// `method_not_allowed`, `conflict`, `payload_too_large`, `validation_failed`,
    /// `rate_limited`, `unavailable`, `timeout`, `internal`. A client reads a code it does not
    /// know as `unknown`; the schema says `string` so that new codes extend it.
    #[schema(value_type = String, example = "validation_failed")]
    pub code: ErrorCode,
    /// For people.
    pub message: String,
    /// Field name to rule code, for `validation_failed` and `conflict`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}
