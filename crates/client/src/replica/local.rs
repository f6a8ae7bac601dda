//! Lookups by name, and the user's own profile.

use chrono::{DateTime, NaiveDate, Utc};
use lodestar_protocol::{Me, Profile};
use uuid::Uuid;

use super::Replica;
use crate::error::{ClientError, ClientResult};

/// A `users` row of the replica.
#[derive(sqlx::FromRow)]
struct UserRow {
    user_id: Uuid,
    username: String,
    email: Option<String>,
    phone_number: Option<String>,
    date_of_birth: Option<NaiveDate>,
    is_coordinator: Option<bool>,
    city: Option<String>,
    state: Option<String>,
    age: Option<i32>,
    profile_picture_url: Option<String>,
    bio: Option<String>,
    mentor_status: bool,
    mentee_status: bool,
    job_title: Option<String>,
    years_of_experience: Option<i32>,
    industry: Option<String>,
    skills: String,
    interests: String,
    created_at: DateTime<Utc>,
    mentee_capacity: i32,
    accepting_requests: bool,
    open_slots: i32,
}

impl Replica {
    /// The id of a user the replica knows, by username (any case).
    pub async fn user_id(&self, username: &str) -> ClientResult<Option<Uuid>> {
        let name = username.trim().trim_start_matches('@').to_lowercase();
        Ok(sqlx::query_scalar("SELECT user_id FROM users WHERE lower(username) = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?)
    }

    /// The conversation of the group with this name (any case); an error when several match.
    pub async fn group_conversation(&self, name: &str) -> ClientResult<Option<Uuid>> {
        let name = name.trim().trim_start_matches('#').to_lowercase();
        let found: Vec<Uuid> = sqlx::query_scalar(
            "SELECT c.conversation_id FROM conversations c JOIN groups g ON g.group_id = c.group_id \
             WHERE lower(g.group_name) = $1",
        )
        .bind(&name)
        .fetch_all(self.pool())
        .await?;
        match found.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            _ => Err(ClientError::Corrupt(format!(
                "several groups are named #{name}; use the conversation id"
            ))),
        }
    }

    /// The group behind a group conversation.
    pub async fn group_of(&self, conversation_id: Uuid) -> ClientResult<Option<Uuid>> {
        Ok(sqlx::query_scalar::<_, Option<Uuid>>(
            "SELECT group_id FROM conversations WHERE conversation_id = $1",
        )
        .bind(conversation_id)
        .fetch_optional(self.pool())
        .await?
        .flatten())
    }

    /// Whether the replica holds this conversation.
    pub async fn has_conversation(&self, conversation_id: Uuid) -> ClientResult<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT count(*) FROM conversations WHERE conversation_id = $1")
                .bind(conversation_id)
                .fetch_one(self.pool())
                .await?;
        Ok(n > 0)
    }

    /// The newest confirmed seq in the replica (0 when empty).
    pub async fn newest_seq(&self) -> ClientResult<i64> {
        Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT max(seq) FROM messages")
            .fetch_one(self.pool())
            .await?
            .unwrap_or(0))
    }

    /// Every muted conversation.
    pub async fn muted_conversations(&self) -> ClientResult<std::collections::HashSet<Uuid>> {
        let ids: Vec<Uuid> =
            sqlx::query_scalar("SELECT conversation_id FROM conversation_settings WHERE muted")
                .fetch_all(self.pool())
                .await?;
        Ok(ids.into_iter().collect())
    }

    /// Up to two ids of stored messages whose hex digits start or end with `fragment`'s (dashes
    /// and case ignored): one names a message, two say the fragment is ambiguous. The end is
    /// what the CLI shows: message ids are time-ordered (UUIDv7), so messages sent within a
    /// minute share their first 8 digits while their last ones are random.
    pub async fn message_ids_matching(&self, fragment: &str) -> ClientResult<Vec<Uuid>> {
        let digits: String = fragment.chars().filter(|c| *c != '-').collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(Vec::new());
        }
        let digits = digits.to_ascii_uppercase();
        Ok(sqlx::query_scalar(
            "SELECT message_id FROM messages WHERE substr(hex(message_id), 1, $2) = $1 \
             OR substr(hex(message_id), -$2) = $1 LIMIT 2",
        )
        .bind(&digits)
        .bind(digits.len() as i64)
        .fetch_all(self.pool())
        .await?)
    }

    /// A user's name, when the replica knows them.
    pub async fn username(&self, user_id: Uuid) -> ClientResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT username FROM users WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// The signed-in user's own profile as last synced.
    pub async fn my_profile(&self, me: Uuid) -> ClientResult<Me> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT user_id, username, email, phone_number, date_of_birth, city, state, age, \
             profile_picture_url, bio, mentor_status, mentee_status, job_title, years_of_experience, \
             industry, skills, interests, created_at, mentee_capacity, accepting_requests, open_slots, \
             is_coordinator FROM users WHERE user_id = $1",
        )
        .bind(me)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Err(ClientError::NotFound("profile (sync first)")) };
        let tags = |s: &str| {
            serde_json::from_str::<Vec<String>>(s)
                .map_err(|e| ClientError::Corrupt(format!("tags: {e}")))
        };
        let (Some(email), Some(date_of_birth)) = (r.email, r.date_of_birth) else {
            return Err(ClientError::NotFound("profile (sync first)"));
        };
        Ok(Me {
            profile: Profile {
                skills: tags(&r.skills)?,
                interests: tags(&r.interests)?,
                user_id: r.user_id,
                username: r.username,
                city: r.city,
                state: r.state,
                age: r.age,
                profile_picture_url: r.profile_picture_url,
                bio: r.bio,
                mentor_status: r.mentor_status,
                mentee_status: r.mentee_status,
                job_title: r.job_title,
                years_of_experience: r.years_of_experience,
                industry: r.industry,
                created_at: r.created_at,
                mentee_capacity: r.mentee_capacity,
                accepting_requests: r.accepting_requests,
                open_slots: r.open_slots,
            },
            email,
            phone_number: r.phone_number,
            date_of_birth,
            is_coordinator: r.is_coordinator.unwrap_or(false),
        })
    }
}

impl Replica {
    /// The name of the file an attachment was sent from here, if it was.
    pub async fn attachment_name(&self, media_url: &str) -> ClientResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT file_name FROM attachments WHERE media_url = $1 LIMIT 1")
            .bind(media_url)
            .fetch_optional(self.pool())
            .await?)
    }

    /// The media a stored message names, if any.
    pub async fn message_media_url(&self, message_id: Uuid) -> ClientResult<Option<String>> {
        Ok(sqlx::query_scalar::<_, Option<String>>(
            "SELECT media_url FROM messages WHERE message_id = $1",
        )
        .bind(message_id)
        .fetch_optional(self.pool())
        .await?
        .flatten())
    }
}

impl Replica {
    /// The private copy of a file attached here, by its upload.
    pub async fn upload_path(&self, upload_id: Uuid) -> ClientResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT path FROM attachments WHERE upload_id = $1")
            .bind(upload_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// The private copy of a file attached here, by the media it became.
    pub async fn attachment_path(&self, media_url: &str) -> ClientResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT path FROM attachments WHERE media_url = $1 LIMIT 1")
            .bind(media_url)
            .fetch_optional(self.pool())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use uuid::Uuid;

    use super::Replica;

    #[tokio::test]
    async fn a_message_is_named_by_the_end_or_start_of_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let r = Replica::open(&dir.path().join("r.db")).await.unwrap();
        // Made in the same minute: their first 8 digits are the same timestamp.
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        for (id, seq) in [(a, 1), (b, 2)] {
            sqlx::query(
                "INSERT INTO messages (message_id, conversation_id, content, sent_at, seq) \
                 VALUES ($1, $2, 'hi', '2026-12-05T10:00:00Z', $3)",
            )
            .bind(id)
            .bind(Uuid::new_v4())
            .bind(seq)
            .execute(r.pool())
            .await
            .unwrap();
        }
        let hex = |id: Uuid| id.simple().to_string();
        assert_eq!(r.message_ids_matching(&hex(a)[..8]).await.unwrap().len(), 2, "ambiguous");
        assert_eq!(r.message_ids_matching(&hex(a)[24..]).await.unwrap(), [a]);
        assert_eq!(r.message_ids_matching(&hex(b)[24..].to_uppercase()).await.unwrap(), [b]);
        assert_eq!(r.message_ids_matching(&a.to_string()[23..]).await.unwrap(), [a], "dashes");
        assert!(r.message_ids_matching("zzzz").await.unwrap().is_empty());
        assert!(r.message_ids_matching("0123456789ab").await.unwrap().is_empty());
    }
}
