//! Applying the server's changes: one page in one transaction, with the cursor that covers it,
//! so a crash can never leave the cursor ahead of the data.
//!
//! A message the server confirms replaces the pending local copy in place (same id, now with
//! its seq) and retires its outbox entry, whichever arrives first: the push's answer or the pull.

use lodestar_protocol::{
    Change, ChangeKind, ChangeOp, Goal, Mentorship, MentorshipRequest, Message, RequestStatus,
    Session, SessionNotes, Task,
};
use serde::Deserialize;
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

use super::records::{
    delete_conversation, delete_group, upsert_conversation, upsert_group, upsert_member,
    upsert_profile, MemberData,
};
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
    /// Requests stored, each with the status the replica held before (none when new to it).
    pub requests: Vec<(MentorshipRequest, Option<RequestStatus>)>,
    /// Mentorships that changed, or whose goals or tasks did.
    pub mentorships: Vec<Uuid>,
    /// Sessions stored, each with the replica's copy before (none when new to it).
    pub sessions: Vec<(Session, Option<Session>)>,
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

/// One change's data as the record it holds, or a corrupt-change error naming it.
pub(super) fn decode<T: serde::de::DeserializeOwned>(change: &Change) -> ClientResult<T> {
    // Read in place: a first sync decodes every message, and a copy of each tree first cost
    // an allocation per field.
    T::deserialize(&change.data).map_err(|e| {
        ClientError::Corrupt(format!("change {} ({:?}): {e}", change.seq, change.kind))
    })
}

type Tx<'a> = Transaction<'a, Sqlite>;

impl Replica {
    /// Applies a page of changes and stores `cursor`, atomically.
    pub async fn apply_page(&self, changes: &[Change], cursor: &str) -> ClientResult<ApplyStats> {
        let stats = self.apply_after(None, changes, cursor).await?;
        // Without a cursor to continue, the page always applies.
        Ok(stats.unwrap_or_default())
    }

    /// Applies a live frame's changes only if they continue the stored cursor exactly (`since`
    /// is it), in the same transaction that reads it; `None` when it does not (a frame was
    /// missed or came out of order, or a pull moved on): the caller pulls instead.
    pub async fn apply_continuing(
        &self,
        since: &str,
        changes: &[Change],
        cursor: &str,
    ) -> ClientResult<Option<ApplyStats>> {
        self.apply_after(Some(since), changes, cursor).await
    }

    async fn apply_after(
        &self,
        since: Option<&str>,
        changes: &[Change],
        cursor: &str,
    ) -> ClientResult<Option<ApplyStats>> {
        let mut tx = self.write().await?;
        if let Some(since) = since {
            let stored: Option<String> =
                sqlx::query_scalar("SELECT cursor FROM sync_state WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
            if stored.as_deref() != Some(since) {
                return Ok(None);
            }
        }
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
            } else if change.kind == ChangeKind::Reaction {
                // After the messages before it, which it may name.
                insert_messages(&mut tx, &mut batch, retire, &mut stats).await?;
                super::reactions::apply_reaction(&mut tx, change, &mut stats).await?;
            } else {
                insert_messages(&mut tx, &mut batch, retire, &mut stats).await?;
                apply_mentorship(&mut tx, change, &mut stats).await?;
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
        Ok(Some(stats))
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

/// Messages per multi-row statement (12 bound values each, far under SQLite's limit).
const BATCH: usize = 200;

/// The columns a stored message is written with, in the order [`bind_message`] binds them.
const MESSAGE_INSERT: &str =
    "INSERT INTO messages (message_id, conversation_id, sender_id, content, media_url, \
     sent_at, seq, status, held_reason, reply_to, edited_at, deleted_at) ";

/// The server's copy wins, except the text of a message whose edit or delete made here still
/// waits in the outbox: the user keeps seeing what they did until the server confirms it.
const MESSAGE_UPSERT: &str = " ON CONFLICT (message_id) DO UPDATE SET conversation_id = excluded.conversation_id, \
     sender_id = excluded.sender_id, sent_at = excluded.sent_at, seq = excluded.seq, \
     status = excluded.status, held_reason = excluded.held_reason, reply_to = excluded.reply_to, \
     content = CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.subject IN ('edit', 'delete') AND o.subject_id = excluded.message_id) THEN messages.content ELSE excluded.content END, \
     media_url = CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.subject IN ('edit', 'delete') AND o.subject_id = excluded.message_id) THEN messages.media_url ELSE excluded.media_url END, \
     edited_at = CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.subject IN ('edit', 'delete') AND o.subject_id = excluded.message_id) THEN messages.edited_at ELSE excluded.edited_at END, \
     deleted_at = CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.subject IN ('edit', 'delete') AND o.subject_id = excluded.message_id) THEN messages.deleted_at ELSE excluded.deleted_at END";

/// Binds one message's values for [`MESSAGE_INSERT`].
fn bind_message(mut b: sqlx::query_builder::Separated<'_, '_, Sqlite, &'static str>, m: &Message) {
    b.push_bind(m.message_id)
        .push_bind(m.conversation_id)
        .push_bind(m.sender_id)
        .push_bind(m.content.clone())
        .push_bind(m.media_url.clone())
        .push_bind(m.sent_at)
        .push_bind(m.seq)
        .push_bind(m.status.as_str())
        .push_bind(m.held_reason.clone())
        .push_bind(m.reply_to)
        .push_bind(m.edited_at)
        .push_bind(m.deleted_at);
}

/// Writes `messages` (the server's copies) in one statement; a tombstone's reactions go.
async fn write_messages(tx: &mut Tx<'_>, messages: &[Message]) -> ClientResult<()> {
    let mut qb = sqlx::QueryBuilder::<Sqlite>::new(MESSAGE_INSERT);
    qb.push_values(messages.iter(), bind_message);
    qb.push(MESSAGE_UPSERT);
    qb.build().execute(&mut **tx).await?;
    for m in messages.iter().filter(|m| m.deleted_at.is_some()) {
        sqlx::query("DELETE FROM reactions WHERE message_id = $1")
            .bind(m.message_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

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
    write_messages(tx, batch).await?;
    if retire == Retire::Outbox {
        let ids: Vec<Uuid> = batch.iter().map(|m| m.message_id).collect();
        super::outbox::retire_subjects(tx, "message", &ids).await?;
    }
    batch.sort_by_key(|m| m.seq);
    stats.messages.append(batch);
    Ok(())
}

/// The key of a deleted account.
#[derive(Deserialize)]
struct UserKey {
    user_id: Uuid,
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
        // Handled by `apply_page` (messages in batches, reactions on their own).
        (ChangeKind::Message, ChangeOp::Upsert) | (ChangeKind::Reaction, _) => Ok(()),
        // Handled by `apply_mentorship`.
        (
            ChangeKind::MentorshipRequest
            | ChangeKind::Mentorship
            | ChangeKind::Goal
            | ChangeKind::Task
            | ChangeKind::Session
            | ChangeKind::SessionNotes,
            _,
        ) => Ok(()),
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
        (ChangeKind::Block, op) => {
            let key: UserKey = decode(change)?;
            crate::outbox::apply_block(tx, key.user_id, op == ChangeOp::Upsert).await
        }
        // A deleted account: its profile goes, its messages stay as from "a deleted account".
        (ChangeKind::Profile, ChangeOp::Delete) => {
            let gone: UserKey = decode(change)?;
            super::records::forget_user(tx, gone.user_id).await
        }
        // Deletes of messages and reads are not part of the contract yet: nothing to do.
        (ChangeKind::Message | ChangeKind::Read, ChangeOp::Delete) => Ok(()),
    }
}

/// Stores the mentorship domain's objects and notes what they touched.
async fn apply_mentorship(
    tx: &mut Tx<'_>,
    change: &Change,
    stats: &mut ApplyStats,
) -> ClientResult<()> {
    use super::mentorship::{
        store_goal, store_mentorship, store_request, store_session, store_task,
    };
    let mut touched = |id: Uuid| {
        if !stats.mentorships.contains(&id) {
            stats.mentorships.push(id);
        }
    };
    // Nothing of this domain is deleted on the server: its objects end by their status.
    if change.op != ChangeOp::Upsert {
        return Ok(());
    }
    match change.kind {
        ChangeKind::MentorshipRequest => {
            let r: MentorshipRequest = decode(change)?;
            let before = store_request(tx, &r).await?;
            stats.requests.push((r, before));
        }
        ChangeKind::Mentorship => {
            let m: Mentorship = decode(change)?;
            store_mentorship(tx, &m).await?;
            touched(m.mentorship_id);
        }
        ChangeKind::Goal => {
            let g: Goal = decode(change)?;
            store_goal(tx, &g).await?;
            touched(g.mentorship_id);
        }
        ChangeKind::Task => {
            let t: Task = decode(change)?;
            store_task(tx, &t).await?;
            touched(t.mentorship_id);
        }
        ChangeKind::Session => {
            let x: Session = decode(change)?;
            let before = super::mentorship::stored_session(tx, x.session_id).await?;
            store_session(tx, &x).await?;
            touched(x.mentorship_id);
            stats.sessions.push((x, before));
        }
        ChangeKind::SessionNotes => {
            let n: SessionNotes = decode(change)?;
            super::mentorship::store_notes(tx, &n).await?;
            let mentorship: Option<Uuid> = sqlx::query_scalar(
                "SELECT mentorship_id FROM mentorship_sessions WHERE session_id = $1",
            )
            .bind(n.session_id)
            .fetch_optional(&mut **tx)
            .await?;
            if let Some(id) = mentorship {
                touched(id);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Stores the server's copy of a message, replacing a pending local copy in place.
pub(super) async fn upsert_message(
    tx: &mut Tx<'_>,
    m: &Message,
    retire: Retire,
) -> ClientResult<()> {
    write_messages(tx, std::slice::from_ref(m)).await?;
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
