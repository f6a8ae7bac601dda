//! The objects of the data model as the API shows them (API.md, "Objects").

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The signed-in user: every column of the user but `password_hash`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Me {
    /// The user's id.
    pub user_id: Uuid,
    /// Unique ignoring case; 3 to 16 of `a-z 0-9 _ .`.
    pub username: String,
    /// Unique ignoring case.
    pub email: String,
    /// E.164, unique.
    pub phone_number: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: NaiveDate,
    /// Up to 26 characters.
    pub city: Option<String>,
    /// A two-letter US state or territory code.
    pub state: Option<String>,
    /// Derived from `date_of_birth`: the age on the day it is read.
    pub age: Option<i32>,
    /// An `http`/`https` URL.
    pub profile_picture_url: Option<String>,
    /// Up to 2,000 characters.
    pub bio: Option<String>,
    /// Offers mentoring.
    pub mentor_status: bool,
    /// Looks for a mentor.
    pub mentee_status: bool,
    /// Up to 100 characters.
    pub job_title: Option<String>,
    /// 0 to 70.
    pub years_of_experience: Option<i32>,
    /// Up to 100 characters.
    pub industry: Option<String>,
    /// Up to 30 tags.
    pub skills: Vec<String>,
    /// Up to 30 tags.
    pub interests: Vec<String>,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
}

/// What other users see of a user: [`Me`] without email, phone number and date of birth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
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
}

impl From<Me> for Profile {
    fn from(me: Me) -> Self {
        Profile {
            user_id: me.user_id,
            username: me.username,
            city: me.city,
            state: me.state,
            age: me.age,
            profile_picture_url: me.profile_picture_url,
            bio: me.bio,
            mentor_status: me.mentor_status,
            mentee_status: me.mentee_status,
            job_title: me.job_title,
            years_of_experience: me.years_of_experience,
            industry: me.industry,
            skills: me.skills,
            interests: me.interests,
            created_at: me.created_at,
        }
    }
}

/// `DIRECT` or `GROUP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
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
