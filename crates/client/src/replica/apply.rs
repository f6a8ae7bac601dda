//! Applying the server's changes: one page in one transaction, with the cursor that covers it,
//! so a crash can never leave the cursor ahead of the data.
//!
//! A message the server confirms replaces the pending local copy in place (same id, now with
//! its seq) and retires its outbox entry, whichever arrives first: the push's answer or the pull.

use lodestar_protocol::{
    Change, ChangeKind, ChangeOp, Conversation, ConversationType, Group, Message, Profile,
};
use serde::Deserialize;
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

use super::Replica;
use crate::error::{ClientError, ClientResult};

/// What one page changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplyStats {
    /// Changes applied.
    pub applied: usize,
    /// The messages stored (new, or confirmations of the user's own), in seq order.
    pub messages: Vec<Message>,
    /// Conversations whose messages, members or settings changed.
    pub conversations: Vec<Uuid>,
}

#[derive(Deserialize)]
struct ProfileData {
    #[serde(flatten)]
    profile: Profile,
    email: Option<String>,
    phone_number: Option<String>,
    date_of_birth: Option<chrono::NaiveDate>,
}

#[derive(Deserialize)]
struct MemberData {
    group_id: Uuid,
    user_id: Uuid,
    role: Option<String>,
    joined_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Deserialize)]
struct ParticipantData {
    conversation_id: Uuid,
    user_id: Uuid,
}

#[derive(Deserialize)]
struct ReadData {
    message_id: Uuid,
    user_id: Uuid,
    read_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Deserialize)]
struct ConversationKey {
    conversation_id: Uuid,
}

#[derive(Deserialize)]
struct GroupKey {
    group_id: Uuid,
}

fn decode<T: serde::de::DeserializeOwned>(change: &Change) -> ClientResult<T> {
    serde_json::from_value(change.data.clone()).map_err(|e| {
        ClientError::Corrupt(format!("change {} ({:?}): {e}", change.seq, change.kind))
    })
}

type Tx<'a> = Transaction<'a, Sqlite>;

impl Replica {
    /// Applies a page of changes and stores `cursor`, atomically.
    pub async fn apply_page(&self, changes: &[Change], cursor: &str) -> ClientResult<ApplyStats> {
        let mut tx = self.write().await?;
        let mut stats = ApplyStats::default();
        // Confirmed messages retire their outbox entries; with none waiting (a first sync, most
        // pages) that per-message cleanup is skipped.
        let waiting: i64 =
            sqlx::query_scalar("SELECT count(*) FROM outbox WHERE subject = 'message'")
                .fetch_one(&mut *tx)
                .await?;
        let retire = if waiting > 0 { Retire::Outbox } else { Retire::Nothing };
        // Runs of messages go in as multi-row statements, grouped by conversation: one statement
        // per batch instead of one per message is most of the cost of a first sync.
        let mut batch: Vec<Message> = Vec::new();
        for change in changes {
            let conversation = change
                .data
                .get("conversation_id")
                .and_then(|v| v.as_str())
                .and_then(|v| v.parse().ok());
            if let Some(id) = conversation {
                if !stats.conversations.contains(&id) {
                    stats.conversations.push(id);
                }
            }
            if (change.kind, change.op) == (ChangeKind::Message, ChangeOp::Upsert) {
                batch.push(decode(change)?);
                if batch.len() >= BATCH {
                    insert_messages(&mut tx, &mut batch, retire, &mut stats).await?;
                }
            } else {
                insert_messages(&mut tx, &mut batch, retire, &mut stats).await?;
                apply_other(&mut tx, change).await?;
            }
            stats.applied += 1;
        }
        insert_messages(&mut tx, &mut batch, retire, &mut stats).await?;
        sqlx::query("UPDATE sync_state SET cursor = $1, last_sync_at = $2 WHERE id = 1")
            .bind(cursor)
            .bind(chrono::Utc::now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(stats)
    }
}

/// Whether a confirmed message must also be removed from the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Retire {
    /// Outbox entries may wait for it.
    Outbox,
    /// The outbox holds no message.
    Nothing,
}

/// Messages per multi-row statement (7 bound values each, far under SQLite's limit).
const BATCH: usize = 200;

/// Stores a run of messages in one statement, grouped by conversation, and takes the batch.
async fn insert_messages(
    tx: &mut Tx<'_>,
    batch: &mut Vec<Message>,
    retire: Retire,
    stats: &mut ApplyStats,
) -> ClientResult<()> {
    if batch.is_empty() {
        return Ok(());
    }
    batch.sort_by_key(|m| (m.conversation_id, m.seq));
    let mut qb = sqlx::QueryBuilder::<Sqlite>::new(
        "INSERT INTO messages (message_id, conversation_id, sender_id, content, media_url, sent_at, seq) ",
    );
    qb.push_values(batch.iter(), |mut b, m| {
        b.push_bind(m.message_id)
            .push_bind(m.conversation_id)
            .push_bind(m.sender_id)
            .push_bind(m.content.clone())
            .push_bind(m.media_url.clone())
            .push_bind(m.sent_at)
            .push_bind(m.seq);
    });
    qb.push(
        " ON CONFLICT (message_id) DO UPDATE SET conversation_id = excluded.conversation_id, \
         sender_id = excluded.sender_id, content = excluded.content, media_url = excluded.media_url, \
         sent_at = excluded.sent_at, seq = excluded.seq",
    );
    qb.build().execute(&mut **tx).await?;
    if retire == Retire::Outbox {
        let ids: Vec<Uuid> = batch.iter().map(|m| m.message_id).collect();
        super::outbox::retire_subjects(tx, "message", &ids).await?;
    }
    batch.sort_by_key(|m| m.seq);
    stats.messages.append(batch);
    Ok(())
}

async fn apply_other(tx: &mut Tx<'_>, change: &Change) -> ClientResult<()> {
    match (change.kind, change.op) {
        (ChangeKind::Profile, ChangeOp::Upsert) => upsert_profile(tx, decode(change)?).await,
        (ChangeKind::Conversation, ChangeOp::Upsert) => {
            upsert_conversation(tx, &decode(change)?).await
        }
        (ChangeKind::Conversation, ChangeOp::Delete) => {
            delete_conversation(tx, decode::<ConversationKey>(change)?.conversation_id).await
        }
        (ChangeKind::Group, ChangeOp::Upsert) => upsert_group(tx, &decode(change)?).await,
        (ChangeKind::Group, ChangeOp::Delete) => {
            delete_group(tx, decode::<GroupKey>(change)?.group_id).await
        }
        (ChangeKind::GroupMember, ChangeOp::Upsert) => upsert_member(tx, &decode(change)?).await,
        (ChangeKind::GroupMember, ChangeOp::Delete) => {
            let m: MemberData = decode(change)?;
            sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
                .bind(m.group_id)
                .bind(m.user_id)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }
        (ChangeKind::Participant, op) => {
            let p: ParticipantData = decode(change)?;
            let sql = if op == ChangeOp::Upsert {
                "INSERT INTO direct_conversation_participants (conversation_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            } else {
                "DELETE FROM direct_conversation_participants WHERE conversation_id = $1 AND user_id = $2"
            };
            sqlx::query(sql).bind(p.conversation_id).bind(p.user_id).execute(&mut **tx).await?;
            Ok(())
        }
        // Handled by `apply_one`.
        (ChangeKind::Message, ChangeOp::Upsert) => Ok(()),
        (ChangeKind::Read, ChangeOp::Upsert) => {
            let r: ReadData = decode(change)?;
            sqlx::query(
                "INSERT INTO message_read_status (message_id, user_id, read_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(r.message_id)
            .bind(r.user_id)
            .bind(r.read_at)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }
        // Deletes of profiles, messages and reads are not part of the contract yet: nothing to do.
        (ChangeKind::Profile | ChangeKind::Message | ChangeKind::Read, ChangeOp::Delete) => Ok(()),
    }
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
    };
    upsert_profile(tx, data).await
}

async fn upsert_profile(tx: &mut Tx<'_>, d: ProfileData) -> ClientResult<()> {
    let p = &d.profile;
    sqlx::query(
        "INSERT INTO users (user_id, username, email, phone_number, date_of_birth, city, state, age, \
         profile_picture_url, bio, mentor_status, mentee_status, job_title, years_of_experience, industry, \
         skills, interests, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
         ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, \
         email = coalesce(excluded.email, users.email), phone_number = excluded.phone_number, \
         date_of_birth = coalesce(excluded.date_of_birth, users.date_of_birth), city = excluded.city, \
         state = excluded.state, age = excluded.age, profile_picture_url = excluded.profile_picture_url, \
         bio = excluded.bio, mentor_status = excluded.mentor_status, mentee_status = excluded.mentee_status, \
         job_title = excluded.job_title, years_of_experience = excluded.years_of_experience, \
         industry = excluded.industry, skills = excluded.skills, interests = excluded.interests",
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_conversation(tx: &mut Tx<'_>, c: &Conversation) -> ClientResult<()> {
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

async fn delete_conversation(tx: &mut Tx<'_>, id: Uuid) -> ClientResult<()> {
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

async fn upsert_group(tx: &mut Tx<'_>, g: &Group) -> ClientResult<()> {
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

async fn delete_group(tx: &mut Tx<'_>, id: Uuid) -> ClientResult<()> {
    sqlx::query("DELETE FROM group_members WHERE group_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM groups WHERE group_id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

async fn upsert_member(tx: &mut Tx<'_>, m: &MemberData) -> ClientResult<()> {
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

/// Stores the server's copy of a message, replacing a pending local copy in place.
pub(super) async fn upsert_message(
    tx: &mut Tx<'_>,
    m: &Message,
    retire: Retire,
) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO messages (message_id, conversation_id, sender_id, content, media_url, sent_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO UPDATE SET \
         conversation_id = excluded.conversation_id, sender_id = excluded.sender_id, content = excluded.content, \
         media_url = excluded.media_url, sent_at = excluded.sent_at, seq = excluded.seq",
    )
    .bind(m.message_id)
    .bind(m.conversation_id)
    .bind(m.sender_id)
    .bind(&m.content)
    .bind(&m.media_url)
    .bind(m.sent_at)
    .bind(m.seq)
    .execute(&mut **tx)
    .await?;
    // The server has it: whatever the outbox still says about it is done.
    if retire == Retire::Outbox {
        super::outbox::retire_subjects(tx, "message", &[m.message_id]).await?;
    }
    Ok(())
}

/// Stores the server's copy of a message sent from here (the push's answer), retiring its
/// outbox entry if a pull has not already.
pub(crate) async fn store_message(tx: &mut Tx<'_>, m: &Message) -> ClientResult<()> {
    upsert_message(tx, m, Retire::Outbox).await
}
