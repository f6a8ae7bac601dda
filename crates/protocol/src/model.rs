//! The objects of the data model as the API shows them (API.md, "Objects").

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// What other users see of a user: [`Me`] without email, phone number and date of birth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Profile {
    /// The user's id.
    pub user_id: Uuid,
    /// The username.
    pub username: String,
    /// City.
    pub city: Option<String>,
    /// Two-letter state code.
    pub state: Option<String>,
    /// Age on the day it was read.
    pub age: Option<i32>,
    /// Avatar URL.
    pub profile_picture_url: Option<String>,
    /// Free text.
    pub bio: Option<String>,
    /// Offers mentoring.
    pub mentor_status: bool,
    /// Looks for a mentor.
    pub mentee_status: bool,
    /// Job title.
    pub job_title: Option<String>,
    /// Years of experience.
    pub years_of_experience: Option<i32>,
    /// Industry.
    pub industry: Option<String>,
    /// Skill tags.
    pub skills: Vec<String>,
    /// Interest tags.
    pub interests: Vec<String>,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
    /// How many mentees the user mentors at once, 0 to 20 (PROGRAM.md).
    #[serde(default = "default_capacity")]
    pub mentee_capacity: i32,
    /// Whether the user welcomes new mentorship requests.
    #[serde(default = "default_accepting")]
    pub accepting_requests: bool,
    /// Capacity less active mentorships as mentor, never below 0.
    #[serde(default)]
    pub open_slots: i32,
}

fn default_capacity() -> i32 {
    crate::validate::limits::DEFAULT_CAPACITY
}

fn default_accepting() -> bool {
    true
}

impl Profile {
    /// Whether a mentee may ask this user for mentorship now: a mentor accepting requests with
    /// an open slot.
    pub fn takes_requests(&self) -> bool {
        self.mentor_status && self.accepting_requests && self.open_slots > 0
    }
}

/// The signed-in user: every column of the user but `password_hash`. On the wire it is one
/// flat object: the [`Profile`] fields and the three private ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Me {
    /// What everyone may see.
    #[serde(flatten)]
    pub profile: Profile,
    /// Unique ignoring case.
    pub email: String,
    /// E.164, unique.
    pub phone_number: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: NaiveDate,
    /// Runs the program (made by `lodestar-server coordinator add`): sees its reports and
    /// statistics. Absent from older servers' answers: read as `false`.
    #[serde(default)]
    pub is_coordinator: bool,
}

impl From<Me> for Profile {
    fn from(me: Me) -> Self {
        me.profile
    }
}

/// `DIRECT` or `GROUP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ConversationType {
    /// Two people.
    Direct,
    /// A group's conversation.
    Group,
}

impl ConversationType {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationType::Direct => "DIRECT",
            ConversationType::Group => "GROUP",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "DIRECT" => Some(ConversationType::Direct),
            "GROUP" => Some(ConversationType::Group),
            _ => None,
        }
    }
}

/// A conversation and who takes part in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Conversation {
    /// The conversation's id (derived for direct ones, see [`crate::direct_conversation_id`]).
    pub conversation_id: Uuid,
    /// `DIRECT` or `GROUP`.
    #[serde(rename = "type")]
    pub kind: ConversationType,
    /// Set exactly for `GROUP`.
    pub group_id: Option<Uuid>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// User ids; for a group, its members.
    pub participants: Vec<Uuid>,
}

/// A role in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Role {
    /// A plain member.
    Member,
    /// May rename the group and add or remove members.
    Admin,
    /// May do everything, including granting roles and deleting the group.
    Owner,
}

impl Role {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    /// Parses the stored and wire spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "member" => Some(Role::Member),
            "admin" => Some(Role::Admin),
            "owner" => Some(Role::Owner),
            _ => None,
        }
    }
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupMember {
    /// The member.
    pub user_id: Uuid,
    /// Their role.
    pub role: Role,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

/// A group with its members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Group {
    /// The group's id.
    pub group_id: Uuid,
    /// 1 to 50 characters.
    pub group_name: String,
    /// Free text.
    pub description: Option<String>,
    /// Who made it.
    pub created_by: Uuid,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The group's conversation.
    pub conversation_id: Uuid,
    /// Its members.
    pub members: Vec<GroupMember>,
}

/// A message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Message {
    /// Made by the sending client; the idempotency key.
    pub message_id: Uuid,
    /// Where it was sent.
    pub conversation_id: Uuid,
    /// Null once the sender's account is deleted.
    pub sender_id: Option<Uuid>,
    /// Text, up to 10,000 characters.
    pub content: Option<String>,
    /// An `http`/`https` URL.
    pub media_url: Option<String>,
    /// When the sender sent it.
    pub sent_at: DateTime<Utc>,
    /// The server's order of messages.
    pub seq: i64,
    /// `delivered`, or (in a conversation between a minor and an adult) `held` for a
    /// coordinator or `rejected` by one: seen only by its sender until released.
    #[serde(default)]
    pub status: DeliveryStatus,
    /// Why it was held: `email`, `phone` or `link`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_reason: Option<String>,
    /// The message of the same conversation it answers.
    #[serde(default)]
    pub reply_to: Option<Uuid>,
    /// When its sender last changed its text.
    #[serde(default)]
    pub edited_at: Option<DateTime<Utc>>,
    /// When it was deleted: a tombstone whose `content` and `media_url` are gone.
    #[serde(default)]
    pub deleted_at: Option<DateTime<Utc>>,
}

status_enum! {
    /// Whether a message reached its conversation (PROGRAM.md, "Minors").
    DeliveryStatus {
        /// Everyone in the conversation sees it.
        Delivered = "delivered",
        /// Waiting for a coordinator; only its sender sees it.
        Held = "held",
        /// A coordinator refused it; only its sender sees it.
        Rejected = "rejected",
    }
}

// `status_enum!` derives for every status enum; only this one has a default.
#[allow(clippy::derivable_impls)]
impl Default for DeliveryStatus {
    fn default() -> Self {
        DeliveryStatus::Delivered
    }
}

/// A read receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Read {
    /// The message read.
    pub message_id: Uuid,
    /// Who read it.
    pub user_id: Uuid,
    /// When it was first read.
    pub read_at: DateTime<Utc>,
}
