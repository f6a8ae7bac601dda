//! The [`super::Store`] implementation both backends share, written once, one file per domain.
//!
//! The SQL here is the common ground of SQLite and PostgreSQL (`$N` parameters, `RETURNING`,
//! `ON CONFLICT`, `lower()`), and the types bind the same way on both through sqlx. A macro
//! rather than generics: sqlx's generic executor bounds would bury the queries, and each
//! expansion is checked by the compiler against its own database type. Each backend provides
//! `reader()`, `writer()`, `watch()`, `backend_name()` and `after_commit(seq)`; the conformance
//! suite in `tests/` runs every method on both.

/// The conversations `$1` takes part in: direct ones and those of its groups (with a condition
/// on its membership `gm`, those of the groups that meet it).
macro_rules! my_conversations {
    () => {
        my_conversations!("")
    };
    ($membership:literal) => {
        concat!(
            "SELECT conversation_id FROM direct_conversation_participants WHERE user_id = $1 \
             UNION SELECT c.conversation_id FROM conversations c \
             JOIN group_members gm ON gm.group_id = c.group_id WHERE gm.user_id = $1",
            $membership
        )
    };
}

/// Everyone `$1` shares a conversation with, `$1` included.
macro_rules! my_peers {
    () => {
        "SELECT p2.user_id FROM direct_conversation_participants p1 \
         JOIN direct_conversation_participants p2 ON p2.conversation_id = p1.conversation_id \
         WHERE p1.user_id = $1 \
         UNION SELECT g2.user_id FROM group_members g1 \
         JOIN group_members g2 ON g2.group_id = g1.group_id WHERE g1.user_id = $1"
    };
}

/// The columns of `users` in `UserRow`'s order (never the password hash).
macro_rules! user_columns {
    () => {
        "user_id, username, email, phone_number, date_of_birth, city, state, \
         profile_picture_url, bio, mentor_status, mentee_status, job_title, \
         years_of_experience, industry, skills, interests, created_at, \
         mentee_capacity, accepting_requests, active_mentees, is_coordinator"
    };
}

/// The columns of `messages` in `MessageRow`'s order.
macro_rules! message_columns {
    () => {
        "message_id, conversation_id, sender_id, content, media_url, sent_at, seq, status, held_reason, reply_to, edited_at, deleted_at"
    };
}

/// The columns of `mentorship_requests` in `RequestRow`'s order.
macro_rules! request_columns {
    () => {
        "request_id, mentee_id, mentor_id, message, status, decline_reason, created_at, \
         expires_at, responded_at, mentorship_id"
    };
}

/// The columns of `mentorships` in `MentorshipRow`'s order.
macro_rules! mentorship_columns {
    () => {
        "mentorship_id, mentor_id, mentee_id, conversation_id, status, started_at, ended_at, \
         ended_by, end_reason"
    };
}

/// The columns of `goals` in `GoalRow`'s order.
macro_rules! goal_columns {
    () => {
        "goal_id, mentorship_id, title, details, status, due_date, created_by, created_at, \
         updated_at"
    };
}

/// The columns of `sessions` in `SessionRow`'s order.
macro_rules! session_columns {
    () => {
        "session_id, mentorship_id, starts_at, duration_minutes, time_zone, location, agenda, status, \
         proposed_by, confirmed_at, cancelled_by, cancel_reason, sequence, created_at, updated_at"
    };
}

/// The columns of `session_feedback` in `FeedbackRow`'s order.
macro_rules! feedback_columns {
    () => {
        "session_id, author_id, rating, fit, comment, created_at"
    };
}

/// The columns of `tasks` in `TaskRow`'s order.
macro_rules! task_columns {
    () => {
        "task_id, mentorship_id, goal_id, title, assignee_id, due_date, done_at, \
         source_message_id, created_by, created_at, updated_at"
    };
}

/// Appends `, col = value` to an UPDATE when the patch sets the field.
macro_rules! push_set {
    ($qb:ident, $col:literal, $value:expr) => {
        if let Some(v) = $value {
            $qb.push(concat!(", ", $col, " = ")).push_bind(v);
        }
    };
}

mod dialect;
pub(crate) use dialect::Dialect;

#[macro_use]
mod account_data;
#[macro_use]
mod accounts;
#[macro_use]
mod conversations;
#[macro_use]
mod groups;
#[macro_use]
mod mentorships;
#[macro_use]
mod media;
#[macro_use]
mod message_actions;
#[macro_use]
mod messages;
#[macro_use]
mod profiles;
#[macro_use]
mod program;
#[macro_use]
mod report_context;
#[macro_use]
mod requests;
#[macro_use]
mod safeguarding;
#[macro_use]
mod safety;
#[macro_use]
mod sessions;
#[macro_use]
mod stats;
#[macro_use]
mod sync;

/// Expands the whole `Store` implementation for one backend: the shared helpers, then each
/// domain's trait. Invoke once, in a module of its own.
macro_rules! impl_store {
    ($store:ty, $db:ty) => {
        sql_helpers!($store, $db);
        sql_safeguarding!($store, $db);
        sql_accounts!($store, $db);
        sql_profiles!($store, $db);
        sql_messages!($store, $db);
        sql_conversations!($store, $db);
        sql_groups!($store, $db);
        sql_requests!($store, $db);
        sql_mentorships!($store, $db);
        sql_sessions!($store, $db);
        sql_sync!($store, $db);
        sql_program!($store, $db);
        sql_report_context!($store, $db);
        sql_safety!($store, $db);
        sql_stats!($store, $db);
        sql_account_data!($store, $db);
        sql_message_actions!($store, $db);
        sql_media!($store, $db);
    };
}

/// The imports and helper functions every domain's queries use.
macro_rules! sql_helpers {
    ($store:ty, $db:ty) => {
        type Conn = <$db as sqlx::Database>::Connection;
        type Tx<'a> = sqlx::Transaction<'a, $db>;

        use std::collections::{HashMap, HashSet};

        use chrono::{DateTime, NaiveDate, Utc};
        use lodestar_protocol::validate::{GroupPatch, NewGroup, ProfilePatch};
        use lodestar_protocol::{
            direct_conversation_id, group_conversation_id, Change, ChangeKind, ChangeOp,
            Conversation, ConversationSummary, Group, GroupMember, Me, Message, DeliveryStatus, Profile, Read,
            Role, UsersQuery,
        };
        use sqlx::QueryBuilder;
        use uuid::Uuid;

        use $crate::matching::{Candidate, CommonGround};

        use $crate::store::records::{
            accepted_sent_at, micros, search_keys, CandidateRow, ChangeRow, CANDIDATE_COLUMNS, ConversationRow, GroupRow, MemberRow, MessageRow,
            NewChange, ReadRow, UserRow,
        };
        use $crate::store::{
            AccountStore, ConversationStore, GroupStore, LoginRecord, NewAccount, NewMessage,
            OpenedDirect, ProfileStore, SendOutcome, StoreError, StoreResult, SyncStore,
        };

        fn is_unique_violation(e: &sqlx::Error) -> bool {
            e.as_database_error().is_some_and(|d| d.is_unique_violation())
        }

        /// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
        fn like_escape(s: &str) -> String {
            s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
        }

        fn tags_json(tags: &[String]) -> String {
            serde_json::to_string(tags).unwrap_or_else(|_| "[]".to_owned())
        }

        fn member_data(group_id: Uuid, m: &GroupMember) -> serde_json::Value {
            serde_json::json!({"group_id": group_id, "user_id": m.user_id, "role": m.role, "joined_at": m.joined_at})
        }

        /// Takes the seq counter's row lock for the rest of the transaction without taking a
        /// seq: what every writer does before its first write, so that locks are always taken
        /// in one order, the counter first (see "Lock order" in `store/mod.rs`). Taking seqs
        /// later in the same transaction (`alloc_seqs`) finds the lock already held.
        async fn lock_seq_counter(tx: &mut Tx<'_>) -> StoreResult<()> {
            sqlx::query("UPDATE seq_counter SET value = value WHERE id = 1").execute(&mut **tx).await?;
            Ok(())
        }

        /// Takes `n` seqs from the counter; answers the first. The counter's row lock is held
        /// until the transaction ends (see the module notes in `store/mod.rs`).
        async fn alloc_seqs(tx: &mut Tx<'_>, n: usize) -> StoreResult<i64> {
            let n = i64::try_from(n).map_err(|_| StoreError::Corrupt("too many changes".into()))?;
            let last: i64 = sqlx::query_scalar(
                "UPDATE seq_counter SET value = value + $1 WHERE id = 1 RETURNING value",
            )
            .bind(n)
            .fetch_one(&mut **tx)
            .await?;
            Ok(last - n + 1)
        }

        /// Writes `changes` with seqs `first..`.
        async fn insert_changes(tx: &mut Tx<'_>, first: i64, changes: &[NewChange]) -> StoreResult<()> {
            const CHUNK: usize = 500;
            for (ci, chunk) in changes.chunks(CHUNK).enumerate() {
                let base = first + (ci * CHUNK) as i64;
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO changes (seq, kind, op, data, conversation_id, subject_user_id, target_user_id) ",
                );
                qb.push_values(chunk.iter().enumerate(), |mut b, (i, c)| {
                    b.push_bind(base + i as i64)
                        .push_bind(c.kind.as_str())
                        .push_bind(c.op.as_str())
                        .push_bind(c.data.clone())
                        .push_bind(c.conversation_id)
                        .push_bind(c.subject_user_id)
                        .push_bind(c.target_user_id);
                });
                qb.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        /// Logs `changes` under fresh seqs; answers the last seq (0 when there were none).
        async fn log_changes(tx: &mut Tx<'_>, changes: &[NewChange]) -> StoreResult<i64> {
            if changes.is_empty() {
                return Ok(0);
            }
            let first = alloc_seqs(tx, changes.len()).await?;
            insert_changes(tx, first, changes).await?;
            Ok(first + changes.len() as i64 - 1)
        }

        async fn load_user(conn: &mut Conn, id: Uuid) -> StoreResult<Option<UserRow>> {
            Ok(sqlx::query_as::<_, UserRow>(concat!("SELECT ", user_columns!(), " FROM users WHERE user_id = $1"))
                .bind(id)
                .fetch_optional(conn)
                .await?)
        }

        async fn load_users(conn: &mut Conn, ids: &[Uuid]) -> StoreResult<Vec<UserRow>> {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let mut qb = QueryBuilder::<$db>::new(concat!("SELECT ", user_columns!(), " FROM users WHERE user_id IN ("));
            let mut sep = qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
            qb.push(") ORDER BY username");
            Ok(qb.build_query_as::<UserRow>().fetch_all(conn).await?)
        }

        /// Whether either of the two has blocked the other.
        async fn blocked_between(conn: &mut Conn, a: Uuid, b: Uuid) -> StoreResult<bool> {
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)",
            )
            .bind(a)
            .bind(b)
            .fetch_one(conn)
            .await?;
            Ok(n > 0)
        }

        async fn profiles_of(conn: &mut Conn, ids: &[Uuid], today: NaiveDate) -> StoreResult<Vec<Profile>> {
            load_users(conn, ids).await?.into_iter().map(|u| u.into_profile(today)).collect()
        }

        async fn participants(conn: &mut Conn, conversation_id: Uuid) -> StoreResult<Vec<Uuid>> {
            Ok(sqlx::query_scalar::<_, Uuid>(
                "SELECT user_id FROM direct_conversation_participants WHERE conversation_id = $1 \
                 UNION ALL SELECT gm.user_id FROM conversations c \
                 JOIN group_members gm ON gm.group_id = c.group_id WHERE c.conversation_id = $1 \
                 ORDER BY 1",
            )
            .bind(conversation_id)
            .fetch_all(conn)
            .await?)
        }

        async fn load_conversation(conn: &mut Conn, id: Uuid) -> StoreResult<Option<Conversation>> {
            let row = sqlx::query_as::<_, ConversationRow>(
                "SELECT conversation_id, type, group_id, created_at FROM conversations WHERE conversation_id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            match row {
                None => Ok(None),
                Some(row) => {
                    let people = participants(conn, id).await?;
                    row.into_conversation(people).map(Some)
                }
            }
        }

        async fn can_see_conversation(conn: &mut Conn, user: Uuid, conversation_id: Uuid) -> StoreResult<bool> {
            let n: i64 = sqlx::query_scalar(concat!(
                "SELECT count(*) FROM conversations WHERE conversation_id = $2 AND conversation_id IN (",
                my_conversations!(),
                ")"
            ))
            .bind(user)
            .bind(conversation_id)
            .fetch_one(conn)
            .await?;
            Ok(n > 0)
        }

        async fn members_of(conn: &mut Conn, group_id: Uuid) -> StoreResult<Vec<GroupMember>> {
            sqlx::query_as::<_, MemberRow>(
                // A NULL joined_at reads as the epoch (records.rs): sorted first on both backends.
                "SELECT group_id, user_id, role, joined_at FROM group_members WHERE group_id = $1 \
                 ORDER BY joined_at IS NOT NULL, joined_at, user_id",
            )
            .bind(group_id)
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(MemberRow::into_member)
            .collect()
        }

        async fn load_group(conn: &mut Conn, group_id: Uuid) -> StoreResult<Option<Group>> {
            let row = sqlx::query_as::<_, GroupRow>(
                "SELECT group_id, group_name, description, created_by, created_at FROM groups WHERE group_id = $1",
            )
            .bind(group_id)
            .fetch_optional(&mut *conn)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let members = members_of(conn, group_id).await?;
            Ok(Some(Group {
                group_id: row.group_id,
                group_name: row.group_name,
                description: row.description,
                created_by: row.created_by,
                created_at: row.created_at,
                conversation_id: group_conversation_id(row.group_id),
                members,
            }))
        }

        async fn group_or_missing(conn: &mut Conn, group_id: Uuid) -> StoreResult<Group> {
            load_group(conn, group_id).await?.ok_or(StoreError::NotFound)
        }

        /// Takes the group's row lock for the rest of the transaction (a no-op UPDATE, which
        /// both dialects accept, unlike `FOR UPDATE`), so membership changes of one group run one
        /// at a time and rules such as "a group keeps an owner" hold under concurrent requests.
        /// The seq counter is locked first: every group write starts here, and a group write
        /// that held the group's rows while waiting for the counter would deadlock with a send
        /// into the group that holds the counter (see "Lock order" in `store/mod.rs`).
        async fn lock_group(tx: &mut Tx<'_>, group_id: Uuid) -> StoreResult<()> {
            lock_seq_counter(tx).await?;
            let locked = sqlx::query("UPDATE groups SET group_id = group_id WHERE group_id = $1")
                .bind(group_id)
                .execute(&mut **tx)
                .await?;
            if locked.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        }

        /// Keeps `groups.members` equal to `group_members` (DESIGN.md).
        async fn refresh_members_json(tx: &mut Tx<'_>, group_id: Uuid) -> StoreResult<Vec<GroupMember>> {
            let members = members_of(&mut **tx, group_id).await?;
            let ids: Vec<Uuid> = members.iter().map(|m| m.user_id).collect();
            sqlx::query("UPDATE groups SET members = $2 WHERE group_id = $1")
                .bind(group_id)
                .bind(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned()))
                .execute(&mut **tx)
                .await?;
            Ok(members)
        }

        /// Which of username, email and phone are taken by someone other than `exclude`.
        async fn taken_fields(
            conn: &mut Conn,
            exclude: Option<Uuid>,
            username: Option<&str>,
            email: Option<&str>,
            phone: Option<&str>,
        ) -> StoreResult<Vec<String>> {
            let exclude = exclude.unwrap_or(Uuid::nil());
            let mut taken = Vec::new();
            let checks = [
                ("username", username, "SELECT count(*) FROM users WHERE lower(username) = lower($1) AND user_id <> $2"),
                ("email", email, "SELECT count(*) FROM users WHERE lower(email) = lower($1) AND user_id <> $2"),
                ("phone_number", phone, "SELECT count(*) FROM users WHERE phone_number = $1 AND user_id <> $2"),
            ];
            for (field, value, sql) in checks {
                if let Some(value) = value {
                    let n: i64 = sqlx::query_scalar(sql).bind(value).bind(exclude).fetch_one(&mut *conn).await?;
                    if n > 0 {
                        taken.push(field.to_owned());
                    }
                }
            }
            Ok(taken)
        }

    };
}
