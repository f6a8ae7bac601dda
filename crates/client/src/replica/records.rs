//! One record of the server's at a time: profiles, conversations, groups and their members,
//! as a pull applies them (and as the push's answers and lookups store them).

use lodestar_protocol::{Conversation, ConversationType, Group, Profile};
use serde::Deserialize;
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

use super::Replica;
use crate::error::ClientResult;

type Tx<'a> = Transaction<'a, Sqlite>;

#[derive(Deserialize)]
pub(super) struct ProfileData {
    #[serde(flatten)]
    profile: Profile,
    email: Option<String>,
    phone_number: Option<String>,
    date_of_birth: Option<chrono::NaiveDate>,
    /// Only in the user's own record.
    #[serde(default)]
    is_coordinator: Option<bool>,
}

#[derive(Deserialize)]
pub(super) struct MemberData {
    pub(super) group_id: Uuid,
    pub(super) user_id: Uuid,
    role: Option<String>,
    joined_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Replica {
    /// Keeps a profile learned outside sync (a username looked up to open a conversation), so
    /// the user can be named offline from then on. Sync overwrites it with newer data.
    pub async fn remember_profile(&self, profile: &Profile) -> ClientResult<()> {
        let mut tx = self.write().await?;
        let data = ProfileData {
            profile: profile.clone(),
            email: None,
            phone_number: None,
            date_of_birth: None,
            is_coordinator: None,
        };
        upsert_profile(&mut tx, data).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Stores the signed-in user's own record as the server answered it.
pub(crate) async fn store_me(tx: &mut Tx<'_>, me: &lodestar_protocol::Me) -> ClientResult<()> {
    let data = ProfileData {
        profile: me.profile.clone(),
        email: Some(me.email.clone()),
        phone_number: me.phone_number.clone(),
        date_of_birth: Some(me.date_of_birth),
        is_coordinator: Some(me.is_coordinator),
    };
    upsert_profile(tx, data).await
}

/// Forgets a deleted account: its profile and places in conversations go, its messages stay
/// with no sender.
pub(super) async fn forget_user(tx: &mut Tx<'_>, user: Uuid) -> ClientResult<()> {
    for sql in [
        "UPDATE messages SET sender_id = NULL WHERE sender_id = $1",
        "DELETE FROM direct_conversation_participants WHERE user_id = $1",
        "DELETE FROM group_members WHERE user_id = $1",
        "DELETE FROM reactions WHERE user_id = $1",
        "DELETE FROM users WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user).execute(&mut **tx).await?;
    }
    Ok(())
}

pub(super) async fn upsert_profile(tx: &mut Tx<'_>, d: ProfileData) -> ClientResult<()> {
    let p = &d.profile;
    sqlx::query(
        "INSERT INTO users (user_id, username, email, phone_number, date_of_birth, city, state, age, \
         profile_picture_url, bio, mentor_status, mentee_status, job_title, years_of_experience, industry, \
         skills, interests, created_at, mentee_capacity, accepting_requests, open_slots, is_coordinator) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) \
         ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, \
         email = coalesce(excluded.email, users.email), phone_number = excluded.phone_number, \
         date_of_birth = coalesce(excluded.date_of_birth, users.date_of_birth), city = excluded.city, \
         state = excluded.state, age = excluded.age, profile_picture_url = excluded.profile_picture_url, \
         bio = excluded.bio, mentor_status = excluded.mentor_status, mentee_status = excluded.mentee_status, \
         job_title = excluded.job_title, years_of_experience = excluded.years_of_experience, \
         industry = excluded.industry, skills = excluded.skills, interests = excluded.interests, \
         mentee_capacity = excluded.mentee_capacity, accepting_requests = excluded.accepting_requests, \
         open_slots = excluded.open_slots, \
         is_coordinator = coalesce(excluded.is_coordinator, users.is_coordinator)",
    )
    .bind(p.user_id)
    .bind(&p.username)
    .bind(&d.email)
    .bind(&d.phone_number)
    .bind(d.date_of_birth)
    .bind(&p.city)
    .bind(&p.state)
    .bind(p.age)
    .bind(&p.profile_picture_url)
    .bind(&p.bio)
    .bind(p.mentor_status)
    .bind(p.mentee_status)
    .bind(&p.job_title)
    .bind(p.years_of_experience)
    .bind(&p.industry)
    .bind(serde_json::to_string(&p.skills).unwrap_or_else(|_| "[]".into()))
    .bind(serde_json::to_string(&p.interests).unwrap_or_else(|_| "[]".into()))
    .bind(p.created_at)
    .bind(p.mentee_capacity)
    .bind(p.accepting_requests)
    .bind(p.open_slots)
    .bind(d.is_coordinator)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn upsert_conversation(tx: &mut Tx<'_>, c: &Conversation) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO conversations (conversation_id, type, group_id, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (conversation_id) DO UPDATE SET type = excluded.type, group_id = excluded.group_id, \
         created_at = excluded.created_at",
    )
    .bind(c.conversation_id)
    .bind(c.kind.as_str())
    .bind(c.group_id)
    .bind(c.created_at)
    .execute(&mut **tx)
    .await?;
    if c.kind == ConversationType::Direct {
        sqlx::query("DELETE FROM direct_conversation_participants WHERE conversation_id = $1")
            .bind(c.conversation_id)
            .execute(&mut **tx)
            .await?;
        for user in &c.participants {
            sqlx::query("INSERT INTO direct_conversation_participants (conversation_id, user_id) VALUES ($1, $2)")
                .bind(c.conversation_id)
                .bind(user)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

pub(super) async fn delete_conversation(tx: &mut Tx<'_>, id: Uuid) -> ClientResult<()> {
    for sql in [
        "DELETE FROM message_read_status WHERE message_id IN (SELECT message_id FROM messages WHERE conversation_id = $1)",
        "DELETE FROM messages WHERE conversation_id = $1",
        "DELETE FROM direct_conversation_participants WHERE conversation_id = $1",
        "DELETE FROM outbox WHERE subject = 'read' AND subject_id = $1",
        "DELETE FROM conversations WHERE conversation_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut **tx).await?;
    }
    Ok(())
}

pub(super) async fn upsert_group(tx: &mut Tx<'_>, g: &Group) -> ClientResult<()> {
    let members: Vec<Uuid> = g.members.iter().map(|m| m.user_id).collect();
    sqlx::query(
        "INSERT INTO groups (group_id, group_name, description, created_by, created_at, members) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (group_id) DO UPDATE SET group_name = excluded.group_name, \
         description = excluded.description, created_by = excluded.created_by, members = excluded.members",
    )
    .bind(g.group_id)
    .bind(&g.group_name)
    .bind(&g.description)
    .bind(g.created_by)
    .bind(g.created_at)
    .bind(serde_json::to_string(&members).unwrap_or_else(|_| "[]".into()))
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM group_members WHERE group_id = $1")
        .bind(g.group_id)
        .execute(&mut **tx)
        .await?;
    for m in &g.members {
        sqlx::query("INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)")
            .bind(g.group_id)
            .bind(m.user_id)
            .bind(m.role.as_str())
            .bind(m.joined_at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub(super) async fn delete_group(tx: &mut Tx<'_>, id: Uuid) -> ClientResult<()> {
    sqlx::query("DELETE FROM group_members WHERE group_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM groups WHERE group_id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

pub(super) async fn upsert_member(tx: &mut Tx<'_>, m: &MemberData) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role, joined_at = excluded.joined_at",
    )
    .bind(m.group_id)
    .bind(m.user_id)
    .bind(m.role.as_deref().unwrap_or("member"))
    .bind(m.joined_at.unwrap_or_else(chrono::Utc::now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
