//! The [`super::Store`] implementation both backends share, written once.
//!
//! The SQL here is the common ground of SQLite and PostgreSQL (`$N` parameters, `RETURNING`,
//! `ON CONFLICT`, `lower()`), and the types bind the same way on both through sqlx. A macro
//! rather than generics: sqlx's generic executor bounds would bury the queries, and each
//! expansion is checked by the compiler against its own database type. Each backend provides
//! `reader()`, `writer()`, `watch()`, `backend_name()` and `after_commit(seq)`; the conformance
//! suite in `tests/` runs every method on both.

/// The conversations `$1` takes part in: direct ones and those of its groups.
macro_rules! my_conversations {
    () => {
        "SELECT conversation_id FROM direct_conversation_participants WHERE user_id = $1 \
         UNION SELECT c.conversation_id FROM conversations c \
         JOIN group_members gm ON gm.group_id = c.group_id WHERE gm.user_id = $1"
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
         years_of_experience, industry, skills, interests, created_at"
    };
}

/// The columns of `messages` in `MessageRow`'s order.
macro_rules! message_columns {
    () => {
        "message_id, conversation_id, sender_id, content, media_url, sent_at, seq"
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

/// Expands the whole `Store` implementation for one backend.
macro_rules! impl_store {
    ($store:ty, $db:ty) => {
        type Conn = <$db as sqlx::Database>::Connection;
        type Tx<'a> = sqlx::Transaction<'a, $db>;

        use std::collections::{HashMap, HashSet};

        use chrono::{DateTime, NaiveDate, Utc};
        use lodestar_protocol::validate::{GroupPatch, NewGroup, ProfilePatch};
        use lodestar_protocol::{
            direct_conversation_id, group_conversation_id, Change, ChangeKind, ChangeOp,
            Conversation, ConversationSummary, Group, GroupMember, Me, Message, Profile, Read,
            Role, UsersQuery,
        };
        use serde_json::json;
        use sqlx::QueryBuilder;
        use uuid::Uuid;

        use $crate::store::records::{
            micros, search_keys, ChangeRow, ConversationRow, GroupRow, MemberRow, MessageRow,
            NewChange, ReadRow, UserRow,
        };
        use $crate::store::{
            LoginRecord, NewAccount, NewMessage, OpenedDirect, SendOutcome, Store, StoreError,
            StoreResult,
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
            json!({"group_id": group_id, "user_id": m.user_id, "role": m.role, "joined_at": m.joined_at})
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
                "SELECT group_id, user_id, role, joined_at FROM group_members WHERE group_id = $1 ORDER BY joined_at, user_id",
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

        /// Everything a new member of a conversation must be handed, as changes for them alone.
        async fn snapshot_for(tx: &mut Tx<'_>, user: Uuid, group: &Group, today: NaiveDate) -> StoreResult<Vec<NewChange>> {
            let conv_id = group.conversation_id;
            let mut out = Vec::new();
            let conversation = load_conversation(&mut **tx, conv_id).await?.ok_or(StoreError::NotFound)?;
            out.push(NewChange::for_user(user, ChangeKind::Conversation, ChangeOp::Upsert, &conversation));
            out.push(NewChange::for_user(user, ChangeKind::Group, ChangeOp::Upsert, group));
            for m in &group.members {
                out.push(NewChange::for_user(user, ChangeKind::GroupMember, ChangeOp::Upsert, &member_data(group.group_id, m)));
            }
            let others: Vec<Uuid> = group.members.iter().map(|m| m.user_id).filter(|id| *id != user).collect();
            for p in profiles_of(&mut **tx, &others, today).await? {
                out.push(NewChange::for_user(user, ChangeKind::Profile, ChangeOp::Upsert, &p));
            }
            let messages = sqlx::query_as::<_, MessageRow>(concat!(
                "SELECT ", message_columns!(), " FROM messages WHERE conversation_id = $1 ORDER BY seq"
            ))
            .bind(conv_id)
            .fetch_all(&mut **tx)
            .await?;
            for m in messages {
                out.push(NewChange::for_user(user, ChangeKind::Message, ChangeOp::Upsert, &Message::from(m)));
            }
            let reads = sqlx::query_as::<_, ReadRow>(
                "SELECT r.message_id, r.user_id, r.read_at, m.conversation_id FROM message_read_status r \
                 JOIN messages m ON m.message_id = r.message_id WHERE m.conversation_id = $1 ORDER BY m.seq",
            )
            .bind(conv_id)
            .fetch_all(&mut **tx)
            .await?;
            for r in reads {
                out.push(NewChange::for_user(user, ChangeKind::Read, ChangeOp::Upsert, &r));
            }
            Ok(out)
        }

        #[async_trait::async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                self.backend_name()
            }

            fn subscribe(&self) -> tokio::sync::watch::Receiver<i64> {
                self.watch().subscribe()
            }

            async fn latest_seq(&self) -> StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1").fetch_one(self.reader()).await?)
            }

            async fn is_empty(&self) -> StoreResult<bool> {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(self.reader()).await?;
                Ok(n == 0)
            }

            async fn create_user(&self, account: NewAccount, now: DateTime<Utc>) -> StoreResult<Me> {
                let now = micros(now);
                let u = &account.user;
                let p = &u.profile;
                let (search_text, industry_key) =
                    search_keys(&u.username, p.job_title.as_deref(), p.bio.as_deref(), &p.skills, p.industry.as_deref());
                let mut tx = self.writer().begin().await?;
                let taken = taken_fields(&mut *tx, None, Some(&u.username), Some(&u.email), p.phone_number.as_deref()).await?;
                if !taken.is_empty() {
                    return Err(StoreError::Conflict(taken));
                }
                let user_id = Uuid::new_v4();
                let inserted = sqlx::query(
                    "INSERT INTO users (user_id, username, email, phone_number, password_hash, date_of_birth, \
                     city, state, age, profile_picture_url, bio, mentor_status, mentee_status, job_title, \
                     years_of_experience, industry, skills, interests, created_at, search_text, industry_key) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
                )
                .bind(user_id)
                .bind(&u.username)
                .bind(&u.email)
                .bind(&p.phone_number)
                .bind(&account.password_hash)
                .bind(u.date_of_birth)
                .bind(&p.city)
                .bind(&p.state)
                .bind(lodestar_protocol::validate::age_on(u.date_of_birth, now.date_naive()))
                .bind(&p.profile_picture_url)
                .bind(&p.bio)
                .bind(p.mentor_status)
                .bind(p.mentee_status)
                .bind(&p.job_title)
                .bind(p.years_of_experience)
                .bind(&p.industry)
                .bind(tags_json(&p.skills))
                .bind(tags_json(&p.interests))
                .bind(now)
                .bind(search_text)
                .bind(industry_key)
                .execute(&mut *tx)
                .await;
                if let Err(e) = inserted {
                    if is_unique_violation(&e) {
                        // Someone took a value between our check and our insert: name it.
                        drop(tx);
                        let mut conn = self.reader().acquire().await?;
                        let taken = taken_fields(&mut conn, None, Some(&u.username), Some(&u.email), p.phone_number.as_deref()).await?;
                        return Err(StoreError::Conflict(if taken.is_empty() { vec!["username".into()] } else { taken }));
                    }
                    return Err(e.into());
                }
                let me = load_user(&mut *tx, user_id).await?.ok_or(StoreError::NotFound)?.into_me(now.date_naive())?;
                let seq = log_changes(&mut tx, &[NewChange::for_user(user_id, ChangeKind::Profile, ChangeOp::Upsert, &me)]).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(me)
            }

            async fn find_login(&self, login: &str) -> StoreResult<Option<LoginRecord>> {
                let row: Option<(Uuid, String)> = sqlx::query_as(
                    "SELECT user_id, password_hash FROM users WHERE lower(username) = lower($1) OR lower(email) = lower($1)",
                )
                .bind(login.trim())
                .fetch_optional(self.reader())
                .await?;
                Ok(row.map(|(user_id, password_hash)| LoginRecord { user_id, password_hash }))
            }

            async fn password_hash(&self, user_id: Uuid) -> StoreResult<String> {
                sqlx::query_scalar("SELECT password_hash FROM users WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_optional(self.reader())
                    .await?
                    .ok_or(StoreError::NotFound)
            }

            async fn set_password_hash(&self, user_id: Uuid, hash: &str, keep_token_hash: &str) -> StoreResult<()> {
                let mut tx = self.writer().begin().await?;
                sqlx::query("UPDATE users SET password_hash = $2 WHERE user_id = $1")
                    .bind(user_id)
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                    .bind(user_id)
                    .bind(keep_token_hash)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_session(&self, user_id: Uuid, token_hash: &str, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> StoreResult<()> {
                let (now, expires_at) = (micros(now), micros(expires_at));
                let mut tx = self.writer().begin().await?;
                // Expired sessions of this user are dead weight; drop them as a new one starts.
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
                    .bind(user_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(now)
                    .bind(expires_at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Uuid>> {
                Ok(sqlx::query_scalar("SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(self.reader())
                    .await?)
            }

            async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(self.writer()).await?;
                Ok(())
            }

            async fn record_login_failure(&self, keys: &[String], at: DateTime<Utc>) -> StoreResult<()> {
                let at = micros(at);
                let mut tx = self.writer().begin().await?;
                for key in keys {
                    sqlx::query("INSERT INTO login_failures (key, failed_at) VALUES ($1, $2)")
                        .bind(key)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                }
                // Old entries are no longer needed by any window.
                sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
                    .bind(at - chrono::Duration::days(1))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn login_failures(&self, key: &str, since: DateTime<Utc>) -> StoreResult<(i64, Option<DateTime<Utc>>)> {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM login_failures WHERE key = $1 AND failed_at > $2")
                    .bind(key)
                    .bind(since)
                    .fetch_one(self.reader())
                    .await?;
                let oldest: Option<DateTime<Utc>> = sqlx::query_scalar(
                    "SELECT failed_at FROM login_failures WHERE key = $1 AND failed_at > $2 ORDER BY failed_at LIMIT 1",
                )
                .bind(key)
                .bind(since)
                .fetch_optional(self.reader())
                .await?;
                Ok((n, oldest))
            }

            async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
                sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(self.writer()).await?;
                Ok(())
            }

            async fn me(&self, user_id: Uuid, today: NaiveDate) -> StoreResult<Me> {
                let mut conn = self.reader().acquire().await?;
                load_user(&mut conn, user_id).await?.ok_or(StoreError::NotFound)?.into_me(today)
            }

            async fn profile(&self, user_id: Uuid, today: NaiveDate) -> StoreResult<Profile> {
                let mut conn = self.reader().acquire().await?;
                load_user(&mut conn, user_id).await?.ok_or(StoreError::NotFound)?.into_profile(today)
            }

            async fn update_me(&self, user_id: Uuid, patch: ProfilePatch, today: NaiveDate) -> StoreResult<Me> {
                let mut tx = self.writer().begin().await?;
                let phone = patch.phone_number.as_ref().and_then(|p| p.as_deref());
                let taken = taken_fields(&mut *tx, Some(user_id), patch.username.as_deref(), patch.email.as_deref(), phone).await?;
                if !taken.is_empty() {
                    return Err(StoreError::Conflict(taken));
                }
                let mut qb = QueryBuilder::<$db>::new("UPDATE users SET user_id = user_id");
                push_set!(qb, "username", patch.username.clone());
                push_set!(qb, "email", patch.email.clone());
                push_set!(qb, "date_of_birth", patch.date_of_birth);
                if let Some(dob) = patch.date_of_birth {
                    qb.push(", age = ").push_bind(lodestar_protocol::validate::age_on(dob, today));
                }
                push_set!(qb, "phone_number", patch.phone_number.clone());
                push_set!(qb, "city", patch.city.clone());
                push_set!(qb, "state", patch.state.clone());
                push_set!(qb, "profile_picture_url", patch.profile_picture_url.clone());
                push_set!(qb, "bio", patch.bio.clone());
                push_set!(qb, "mentor_status", patch.mentor_status);
                push_set!(qb, "mentee_status", patch.mentee_status);
                push_set!(qb, "job_title", patch.job_title.clone());
                push_set!(qb, "years_of_experience", patch.years_of_experience);
                push_set!(qb, "industry", patch.industry.clone());
                push_set!(qb, "skills", patch.skills.as_deref().map(tags_json));
                push_set!(qb, "interests", patch.interests.as_deref().map(tags_json));
                qb.push(" WHERE user_id = ").push_bind(user_id);
                if let Err(e) = qb.build().execute(&mut *tx).await {
                    if is_unique_violation(&e) {
                        // Someone took a value between our check and our update: name it.
                        drop(tx);
                        let mut conn = self.reader().acquire().await?;
                        let taken = taken_fields(&mut conn, Some(user_id), patch.username.as_deref(), patch.email.as_deref(), phone).await?;
                        return Err(StoreError::Conflict(if taken.is_empty() { vec!["username".into()] } else { taken }));
                    }
                    return Err(e.into());
                }
                let row = load_user(&mut *tx, user_id).await?.ok_or(StoreError::NotFound)?;
                let (search_text, industry_key) = row.search_keys()?;
                sqlx::query("UPDATE users SET search_text = $2, industry_key = $3 WHERE user_id = $1")
                    .bind(user_id)
                    .bind(search_text)
                    .bind(industry_key)
                    .execute(&mut *tx)
                    .await?;
                let me = row.into_me(today)?;
                let changes = [
                    NewChange::for_user(user_id, ChangeKind::Profile, ChangeOp::Upsert, &me),
                    NewChange::profile_to_peers(&Profile::from(me.clone())),
                ];
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(me)
            }

            async fn search_users(&self, q: &UsersQuery, limit: i64, today: NaiveDate) -> StoreResult<Vec<Profile>> {
                let mut qb = QueryBuilder::<$db>::new(concat!("SELECT ", user_columns!(), " FROM users WHERE 1 = 1"));
                if let Some(u) = q.username.as_deref() {
                    qb.push(" AND lower(username) = ").push_bind(u.trim().to_lowercase());
                }
                if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    let pat = format!("%{}%", like_escape(&text.to_lowercase()));
                    qb.push(" AND search_text LIKE ").push_bind(pat).push(" ESCAPE '\\'");
                }
                if let Some(m) = q.mentor {
                    qb.push(" AND mentor_status = ").push_bind(m);
                }
                if let Some(m) = q.mentee {
                    qb.push(" AND mentee_status = ").push_bind(m);
                }
                if let Some(skill) = q.skill.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    // Tags are stored as a JSON array of lower-case strings: match one whole tag.
                    let quoted = serde_json::to_string(&skill.to_lowercase()).unwrap_or_default();
                    qb.push(" AND skills LIKE ").push_bind(format!("%{}%", like_escape(&quoted))).push(" ESCAPE '\\'");
                }
                if let Some(ind) = q.industry.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    qb.push(" AND industry_key = ").push_bind(ind.to_lowercase());
                }
                if let Some(st) = q.state.as_deref() {
                    qb.push(" AND state = ").push_bind(st.trim().to_ascii_uppercase());
                }
                if let Some(y) = q.min_years {
                    qb.push(" AND years_of_experience >= ").push_bind(y);
                }
                if let Some(after) = q.cursor.as_deref() {
                    qb.push(" AND username > ").push_bind(after.to_owned());
                }
                qb.push(" ORDER BY username LIMIT ").push_bind(limit);
                qb.build_query_as::<UserRow>()
                    .fetch_all(self.reader())
                    .await?
                    .into_iter()
                    .map(|u| u.into_profile(today))
                    .collect()
            }

            async fn profiles_by_role(&self, mentors: bool, exclude: Uuid, today: NaiveDate) -> StoreResult<Vec<Profile>> {
                let sql = if mentors {
                    concat!("SELECT ", user_columns!(), " FROM users WHERE mentor_status = $1 AND user_id <> $2 ORDER BY created_at LIMIT 5000")
                } else {
                    concat!("SELECT ", user_columns!(), " FROM users WHERE mentee_status = $1 AND user_id <> $2 ORDER BY created_at LIMIT 5000")
                };
                sqlx::query_as::<_, UserRow>(sql)
                    .bind(true)
                    .bind(exclude)
                    .fetch_all(self.reader())
                    .await?
                    .into_iter()
                    .map(|u| u.into_profile(today))
                    .collect()
            }

            async fn missing_users(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>> {
                let mut conn = self.reader().acquire().await?;
                let found: HashSet<Uuid> = load_users(&mut conn, ids).await?.into_iter().map(|u| u.user_id).collect();
                Ok(ids.iter().copied().filter(|id| !found.contains(id)).collect())
            }

            async fn open_direct(&self, me: Uuid, other: Uuid, now: DateTime<Utc>) -> StoreResult<OpenedDirect> {
                let now = micros(now);
                let id = direct_conversation_id(me, other);
                let mut tx = self.writer().begin().await?;
                if let Some(conversation) = load_conversation(&mut *tx, id).await? {
                    return Ok(OpenedDirect { conversation, created: false });
                }
                let profiles = profiles_of(&mut *tx, &[me, other], now.date_naive()).await?;
                if profiles.len() != 2 {
                    return Err(StoreError::NotFound);
                }
                let inserted = sqlx::query(
                    "INSERT INTO conversations (conversation_id, type, group_id, created_at) VALUES ($1, 'DIRECT', NULL, $2) \
                     ON CONFLICT (conversation_id) DO NOTHING",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if inserted.rows_affected() == 0 {
                    // Another instance opened it between our read and our insert.
                    tx.rollback().await?;
                    let mut conn = self.writer().acquire().await?;
                    let conversation = load_conversation(&mut conn, id).await?.ok_or(StoreError::NotFound)?;
                    return Ok(OpenedDirect { conversation, created: false });
                }
                for user in [me, other] {
                    sqlx::query("INSERT INTO direct_conversation_participants (conversation_id, user_id) VALUES ($1, $2)")
                        .bind(id)
                        .bind(user)
                        .execute(&mut *tx)
                        .await?;
                }
                let conversation = load_conversation(&mut *tx, id).await?.ok_or(StoreError::NotFound)?;
                let mut changes = vec![NewChange::in_conversation(id, ChangeKind::Conversation, ChangeOp::Upsert, &conversation)];
                for user in [me, other] {
                    changes.push(NewChange::in_conversation(
                        id,
                        ChangeKind::Participant,
                        ChangeOp::Upsert,
                        &json!({"conversation_id": id, "user_id": user}),
                    ));
                }
                changes.extend(profiles.iter().map(|p| NewChange::profile_in_conversation(id, p)));
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(OpenedDirect { conversation, created: true })
            }

            async fn conversation(&self, user: Uuid, conversation_id: Uuid) -> StoreResult<Conversation> {
                let mut conn = self.reader().acquire().await?;
                if !can_see_conversation(&mut conn, user, conversation_id).await? {
                    return Err(StoreError::NotFound);
                }
                load_conversation(&mut conn, conversation_id).await?.ok_or(StoreError::NotFound)
            }

            async fn conversations(&self, user: Uuid) -> StoreResult<Vec<ConversationSummary>> {
                let mut conn = self.reader().acquire().await?;
                let rows = sqlx::query_as::<_, ConversationRow>(concat!(
                    "SELECT conversation_id, type, group_id, created_at FROM conversations WHERE conversation_id IN (",
                    my_conversations!(),
                    ")"
                ))
                .bind(user)
                .fetch_all(&mut *conn)
                .await?;
                let pairs: Vec<(Uuid, Uuid)> = sqlx::query_as(concat!(
                    "SELECT conversation_id, user_id FROM direct_conversation_participants WHERE conversation_id IN (",
                    my_conversations!(),
                    ") UNION ALL SELECT c.conversation_id, gm.user_id FROM conversations c \
                     JOIN group_members gm ON gm.group_id = c.group_id WHERE c.conversation_id IN (",
                    my_conversations!(),
                    ")"
                ))
                .bind(user)
                .fetch_all(&mut *conn)
                .await?;
                let last: Vec<MessageRow> = sqlx::query_as(concat!(
                    "SELECT ", message_columns!(), " FROM messages WHERE seq IN (SELECT max(seq) FROM messages \
                     WHERE conversation_id IN (", my_conversations!(), ") GROUP BY conversation_id)"
                ))
                .bind(user)
                .fetch_all(&mut *conn)
                .await?;
                let unread: Vec<(Uuid, i64)> = sqlx::query_as(concat!(
                    "SELECT m.conversation_id, count(*) FROM messages m WHERE m.conversation_id IN (",
                    my_conversations!(),
                    ") AND (m.sender_id IS NULL OR m.sender_id <> $1) AND NOT EXISTS \
                     (SELECT 1 FROM message_read_status r WHERE r.message_id = m.message_id AND r.user_id = $1) \
                     GROUP BY m.conversation_id"
                ))
                .bind(user)
                .fetch_all(&mut *conn)
                .await?;
                let mut people: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
                for (c, u) in pairs {
                    people.entry(c).or_default().push(u);
                }
                let mut last: HashMap<Uuid, Message> = last.into_iter().map(|m| (m.conversation_id, Message::from(m))).collect();
                let unread: HashMap<Uuid, i64> = unread.into_iter().collect();
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let id = row.conversation_id;
                    let mut participants = people.remove(&id).unwrap_or_default();
                    participants.sort();
                    out.push(ConversationSummary {
                        conversation: row.into_conversation(participants)?,
                        last_message: last.remove(&id),
                        unread_count: unread.get(&id).copied().unwrap_or(0),
                    });
                }
                let activity = |s: &ConversationSummary| {
                    let created = s.conversation.created_at;
                    s.last_message.as_ref().map_or(created, |m| m.sent_at.max(created))
                };
                out.sort_by(|a, b| activity(b).cmp(&activity(a)));
                Ok(out)
            }

            async fn messages(&self, user: Uuid, conversation_id: Uuid, before: Option<i64>, limit: i64) -> StoreResult<(Vec<Message>, bool)> {
                let mut conn = self.reader().acquire().await?;
                if !can_see_conversation(&mut conn, user, conversation_id).await? {
                    return Err(StoreError::NotFound);
                }
                let mut rows = sqlx::query_as::<_, MessageRow>(concat!(
                    "SELECT ", message_columns!(), " FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3"
                ))
                .bind(conversation_id)
                .bind(before.unwrap_or(i64::MAX))
                .bind(limit + 1)
                .fetch_all(&mut *conn)
                .await?;
                let has_more = rows.len() as i64 > limit;
                rows.truncate(limit as usize);
                rows.reverse();
                Ok((rows.into_iter().map(Message::from).collect(), has_more))
            }

            async fn send_message(&self, sender: Uuid, m: NewMessage) -> StoreResult<SendOutcome> {
                let mut tx = self.writer().begin().await?;
                let existing = sqlx::query_as::<_, MessageRow>(concat!("SELECT ", message_columns!(), " FROM messages WHERE message_id = $1"))
                    .bind(m.message_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(e) = existing {
                    let same = e.sender_id == Some(sender)
                        && e.conversation_id == m.conversation_id
                        && e.content == m.body.content
                        && e.media_url == m.body.media_url;
                    return Ok(if same { SendOutcome::Existing(e.into()) } else { SendOutcome::IdConflict });
                }
                if !can_see_conversation(&mut *tx, sender, m.conversation_id).await? {
                    return Err(StoreError::NotFound);
                }
                let seq = alloc_seqs(&mut tx, 1).await?;
                let message = Message {
                    message_id: m.message_id,
                    conversation_id: m.conversation_id,
                    sender_id: Some(sender),
                    content: m.body.content,
                    media_url: m.body.media_url,
                    sent_at: micros(m.sent_at),
                    seq,
                };
                let inserted = sqlx::query(
                    "INSERT INTO messages (message_id, conversation_id, sender_id, content, media_url, sent_at, seq) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO NOTHING",
                )
                .bind(message.message_id)
                .bind(message.conversation_id)
                .bind(sender)
                .bind(&message.content)
                .bind(&message.media_url)
                .bind(message.sent_at)
                .bind(seq)
                .execute(&mut *tx)
                .await?;
                if inserted.rows_affected() == 0 {
                    // The same id committed concurrently (another instance); answer as a retry.
                    tx.rollback().await?;
                    let e = sqlx::query_as::<_, MessageRow>(concat!("SELECT ", message_columns!(), " FROM messages WHERE message_id = $1"))
                        .bind(m.message_id)
                        .fetch_one(self.writer())
                        .await?;
                    let same = e.sender_id == Some(sender) && e.conversation_id == message.conversation_id
                        && e.content == message.content && e.media_url == message.media_url;
                    return Ok(if same { SendOutcome::Existing(e.into()) } else { SendOutcome::IdConflict });
                }
                let change = NewChange::in_conversation(message.conversation_id, ChangeKind::Message, ChangeOp::Upsert, &message);
                insert_changes(&mut tx, seq, &[change]).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(SendOutcome::Created(message))
            }

            async fn mark_read(&self, user: Uuid, message_ids: &[Uuid], now: DateTime<Utc>) -> StoreResult<()> {
                let now = micros(now);
                let ids: Vec<Uuid> = {
                    let mut seen = HashSet::new();
                    message_ids.iter().copied().filter(|id| seen.insert(*id)).collect()
                };
                if ids.is_empty() {
                    return Ok(());
                }
                let mut tx = self.writer().begin().await?;
                let mut qb = QueryBuilder::<$db>::new(concat!("SELECT ", message_columns!(), " FROM messages WHERE message_id IN ("));
                let mut sep = qb.separated(", ");
                for id in &ids {
                    sep.push_bind(*id);
                }
                qb.push(")");
                let found: Vec<MessageRow> = qb.build_query_as().fetch_all(&mut *tx).await?;
                if found.len() != ids.len() {
                    return Err(StoreError::NotFound);
                }
                let conversations: HashSet<Uuid> = found.iter().map(|m| m.conversation_id).collect();
                for c in conversations {
                    if !can_see_conversation(&mut *tx, user, c).await? {
                        return Err(StoreError::NotFound);
                    }
                }
                let mut qb = QueryBuilder::<$db>::new("SELECT message_id FROM message_read_status WHERE user_id = ");
                qb.push_bind(user).push(" AND message_id IN (");
                let mut sep = qb.separated(", ");
                for id in &ids {
                    sep.push_bind(*id);
                }
                qb.push(")");
                let already: HashSet<Uuid> = qb.build_query_scalar::<Uuid>().fetch_all(&mut *tx).await?.into_iter().collect();
                let visible: Vec<(Uuid, Uuid, Option<Uuid>, bool)> = found
                    .into_iter()
                    .map(|m| (m.message_id, m.conversation_id, m.sender_id, already.contains(&m.message_id)))
                    .collect();
                let fresh: Vec<ReadRow> = visible
                    .into_iter()
                    .filter(|(_, _, sender, already)| *sender != Some(user) && !*already)
                    .map(|(message_id, conversation_id, _, _)| ReadRow { message_id, user_id: user, read_at: now, conversation_id })
                    .collect();
                if fresh.is_empty() {
                    return Ok(());
                }
                let mut qb = QueryBuilder::<$db>::new("INSERT INTO message_read_status (message_id, user_id, read_at) ");
                qb.push_values(&fresh, |mut b, r| {
                    b.push_bind(r.message_id).push_bind(r.user_id).push_bind(r.read_at);
                });
                qb.push(" ON CONFLICT (message_id, user_id) DO NOTHING");
                qb.build().execute(&mut *tx).await?;
                let changes: Vec<NewChange> = fresh
                    .iter()
                    .map(|r| NewChange::in_conversation(r.conversation_id, ChangeKind::Read, ChangeOp::Upsert, r))
                    .collect();
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(())
            }

            async fn reads(&self, user: Uuid, message_id: Uuid) -> StoreResult<Vec<Read>> {
                let mut conn = self.reader().acquire().await?;
                let conv: Option<Uuid> = sqlx::query_scalar("SELECT conversation_id FROM messages WHERE message_id = $1")
                    .bind(message_id)
                    .fetch_optional(&mut *conn)
                    .await?;
                let Some(conv) = conv else { return Err(StoreError::NotFound) };
                if !can_see_conversation(&mut conn, user, conv).await? {
                    return Err(StoreError::NotFound);
                }
                let rows = sqlx::query_as::<_, ReadRow>(
                    "SELECT r.message_id, r.user_id, r.read_at, m.conversation_id FROM message_read_status r \
                     JOIN messages m ON m.message_id = r.message_id WHERE r.message_id = $1 ORDER BY r.read_at, r.user_id",
                )
                .bind(message_id)
                .fetch_all(&mut *conn)
                .await?;
                Ok(rows.into_iter().map(Read::from).collect())
            }

            async fn create_group(&self, creator: Uuid, g: NewGroup, members: &[Uuid], now: DateTime<Utc>) -> StoreResult<Group> {
                let now = micros(now);
                let group_id = Uuid::new_v4();
                let conv_id = group_conversation_id(group_id);
                let mut ids = vec![creator];
                for id in members {
                    if !ids.contains(id) {
                        ids.push(*id);
                    }
                }
                let mut tx = self.writer().begin().await?;
                sqlx::query(
                    "INSERT INTO groups (group_id, group_name, description, created_by, created_at, members) VALUES ($1, $2, $3, $4, $5, '[]')",
                )
                .bind(group_id)
                .bind(&g.group_name)
                .bind(&g.description)
                .bind(creator)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO conversations (conversation_id, type, group_id, created_at) VALUES ($1, 'GROUP', $2, $3)")
                    .bind(conv_id)
                    .bind(group_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let mut qb = QueryBuilder::<$db>::new("INSERT INTO group_members (group_id, user_id, role, joined_at) ");
                qb.push_values(&ids, |mut b, id| {
                    let role = if *id == creator { Role::Owner } else { Role::Member };
                    b.push_bind(group_id).push_bind(*id).push_bind(role.as_str()).push_bind(now);
                });
                qb.build().execute(&mut *tx).await?;
                refresh_members_json(&mut tx, group_id).await?;
                let group = group_or_missing(&mut *tx, group_id).await?;
                let conversation = load_conversation(&mut *tx, conv_id).await?.ok_or(StoreError::NotFound)?;
                let mut changes = vec![
                    NewChange::in_conversation(conv_id, ChangeKind::Group, ChangeOp::Upsert, &group),
                    NewChange::in_conversation(conv_id, ChangeKind::Conversation, ChangeOp::Upsert, &conversation),
                ];
                for m in &group.members {
                    changes.push(NewChange::in_conversation(conv_id, ChangeKind::GroupMember, ChangeOp::Upsert, &member_data(group_id, m)));
                }
                for p in profiles_of(&mut *tx, &ids, now.date_naive()).await? {
                    changes.push(NewChange::profile_in_conversation(conv_id, &p));
                }
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(group)
            }

            async fn group(&self, user: Uuid, group_id: Uuid) -> StoreResult<(Group, Role)> {
                let mut conn = self.reader().acquire().await?;
                let group = group_or_missing(&mut conn, group_id).await?;
                let role = group.members.iter().find(|m| m.user_id == user).map(|m| m.role).ok_or(StoreError::NotFound)?;
                Ok((group, role))
            }

            async fn update_group(&self, group_id: Uuid, patch: GroupPatch) -> StoreResult<Group> {
                let mut tx = self.writer().begin().await?;
                let mut qb = QueryBuilder::<$db>::new("UPDATE groups SET group_id = group_id");
                if let Some(name) = patch.group_name {
                    qb.push(", group_name = ").push_bind(name);
                }
                if let Some(d) = patch.description {
                    qb.push(", description = ").push_bind(d);
                }
                qb.push(" WHERE group_id = ").push_bind(group_id);
                if qb.build().execute(&mut *tx).await?.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                let group = group_or_missing(&mut *tx, group_id).await?;
                let seq = log_changes(&mut tx, &[NewChange::in_conversation(group.conversation_id, ChangeKind::Group, ChangeOp::Upsert, &group)]).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(group)
            }

            async fn delete_group(&self, group_id: Uuid) -> StoreResult<()> {
                let mut tx = self.writer().begin().await?;
                let group = group_or_missing(&mut *tx, group_id).await?;
                let mut changes = Vec::new();
                for m in &group.members {
                    changes.push(NewChange::for_user(m.user_id, ChangeKind::Group, ChangeOp::Delete, &json!({"group_id": group_id})));
                    changes.push(NewChange::for_user(
                        m.user_id,
                        ChangeKind::Conversation,
                        ChangeOp::Delete,
                        &json!({"conversation_id": group.conversation_id}),
                    ));
                }
                // Cascades to the conversation, its messages and their reads, and the members.
                sqlx::query("DELETE FROM groups WHERE group_id = $1").bind(group_id).execute(&mut *tx).await?;
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(())
            }

            async fn add_member(&self, group_id: Uuid, user_id: Uuid, role: Role, now: DateTime<Utc>) -> StoreResult<GroupMember> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                let before = group_or_missing(&mut *tx, group_id).await?;
                if before.members.iter().any(|m| m.user_id == user_id) {
                    return Err(StoreError::Conflict(vec!["user_id".into()]));
                }
                let today = now.date_naive();
                let joiner = profiles_of(&mut *tx, &[user_id], today).await?.pop().ok_or(StoreError::NotFound)?;
                sqlx::query("INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)")
                    .bind(group_id)
                    .bind(user_id)
                    .bind(role.as_str())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                refresh_members_json(&mut tx, group_id).await?;
                let group = group_or_missing(&mut *tx, group_id).await?;
                let member = group.members.iter().find(|m| m.user_id == user_id).cloned().ok_or(StoreError::NotFound)?;
                let conv_id = group.conversation_id;
                let conversation = load_conversation(&mut *tx, conv_id).await?.ok_or(StoreError::NotFound)?;
                let mut changes = vec![
                    NewChange::in_conversation(conv_id, ChangeKind::GroupMember, ChangeOp::Upsert, &member_data(group_id, &member)),
                    NewChange::in_conversation(conv_id, ChangeKind::Group, ChangeOp::Upsert, &group),
                    NewChange::in_conversation(conv_id, ChangeKind::Conversation, ChangeOp::Upsert, &conversation),
                    NewChange::profile_in_conversation(conv_id, &joiner),
                ];
                changes.extend(snapshot_for(&mut tx, user_id, &group, today).await?);
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(member)
            }

            async fn set_role(&self, group_id: Uuid, user_id: Uuid, role: Role) -> StoreResult<GroupMember> {
                let mut tx = self.writer().begin().await?;
                let updated = sqlx::query("UPDATE group_members SET role = $3 WHERE group_id = $1 AND user_id = $2")
                    .bind(group_id)
                    .bind(user_id)
                    .bind(role.as_str())
                    .execute(&mut *tx)
                    .await?;
                if updated.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                let group = group_or_missing(&mut *tx, group_id).await?;
                let member = group.members.iter().find(|m| m.user_id == user_id).cloned().ok_or(StoreError::NotFound)?;
                let changes = [
                    NewChange::in_conversation(group.conversation_id, ChangeKind::GroupMember, ChangeOp::Upsert, &member_data(group_id, &member)),
                    NewChange::in_conversation(group.conversation_id, ChangeKind::Group, ChangeOp::Upsert, &group),
                ];
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(member)
            }

            async fn remove_member(&self, group_id: Uuid, user_id: Uuid) -> StoreResult<()> {
                let mut tx = self.writer().begin().await?;
                let removed = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
                    .bind(group_id)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                if removed.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                let mut changes = Vec::new();
                let remaining = members_of(&mut *tx, group_id).await?;
                // A group keeps an owner while it has members: when the last owner leaves, an
                // admin takes over (the longest-standing one), else the longest-standing member.
                if !remaining.is_empty() && !remaining.iter().any(|m| m.role == Role::Owner) {
                    let heir = remaining.iter().max_by_key(|m| (m.role, std::cmp::Reverse(m.joined_at))).map(|m| m.user_id);
                    if let Some(heir) = heir {
                        sqlx::query("UPDATE group_members SET role = 'owner' WHERE group_id = $1 AND user_id = $2")
                            .bind(group_id)
                            .bind(heir)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                refresh_members_json(&mut tx, group_id).await?;
                let group = group_or_missing(&mut *tx, group_id).await?;
                let key = json!({"group_id": group_id, "user_id": user_id});
                changes.push(NewChange::in_conversation(group.conversation_id, ChangeKind::GroupMember, ChangeOp::Delete, &key));
                for m in group.members.iter().filter(|m| m.role == Role::Owner) {
                    changes.push(NewChange::in_conversation(group.conversation_id, ChangeKind::GroupMember, ChangeOp::Upsert, &member_data(group_id, m)));
                }
                changes.push(NewChange::in_conversation(group.conversation_id, ChangeKind::Group, ChangeOp::Upsert, &group));
                let conversation = load_conversation(&mut *tx, group.conversation_id).await?.ok_or(StoreError::NotFound)?;
                changes.push(NewChange::in_conversation(group.conversation_id, ChangeKind::Conversation, ChangeOp::Upsert, &conversation));
                // The one who left no longer sees the conversation: tell them directly.
                changes.push(NewChange::for_user(user_id, ChangeKind::GroupMember, ChangeOp::Delete, &key));
                changes.push(NewChange::for_user(user_id, ChangeKind::Group, ChangeOp::Delete, &json!({"group_id": group_id})));
                changes.push(NewChange::for_user(
                    user_id,
                    ChangeKind::Conversation,
                    ChangeOp::Delete,
                    &json!({"conversation_id": group.conversation_id}),
                ));
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(())
            }

            async fn sync(&self, user: Uuid, since: i64, limit: i64) -> StoreResult<(Vec<Change>, i64, bool)> {
                let mut conn = self.reader().acquire().await?;
                // Read before the changes: every seq up to here is committed (seqs commit in
                // order), so when this page is the last one the cursor may jump to it and skip
                // the invisible rows for good.
                let latest: i64 = sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1").fetch_one(&mut *conn).await?;
                let mut rows = sqlx::query_as::<_, ChangeRow>(concat!(
                    "SELECT seq, kind, op, data FROM changes WHERE seq > $2 AND (target_user_id = $1 OR \
                     (target_user_id IS NULL AND (subject_user_id IS NULL OR subject_user_id <> $1) AND \
                     (conversation_id IN (", my_conversations!(), ") OR \
                     (conversation_id IS NULL AND subject_user_id IN (", my_peers!(), "))))) \
                     ORDER BY seq LIMIT $3"
                ))
                .bind(user)
                .bind(since)
                .bind(limit + 1)
                .fetch_all(&mut *conn)
                .await?;
                let has_more = rows.len() as i64 > limit;
                rows.truncate(limit as usize);
                let last = rows.last().map_or(since, |r| r.seq);
                let cursor = if has_more { last } else { last.max(latest).max(since) };
                let changes = rows.into_iter().map(ChangeRow::into_change).collect::<StoreResult<Vec<_>>>()?;
                Ok((changes, cursor, has_more))
            }
        }
    };
}
