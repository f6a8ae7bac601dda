//! Direct conversations, messages and read receipts.

/// Expands `ConversationStore` for one backend (see `super::impl_store!`).
macro_rules! sql_conversations {
    ($store:ty, $db:ty) => {
        /// The direct conversation of two existing users, made now if it does not exist, with
        /// the changes that tell its two people (none when it existed). Runs under the
        /// counter's lock, which every insert of a conversation holds, so no other writer can
        /// make it between the read and the insert.
        async fn ensure_direct(tx: &mut Tx<'_>, me: Uuid, other: Uuid, now: DateTime<Utc>) -> StoreResult<(Conversation, Vec<NewChange>)> {
            let id = direct_conversation_id(me, other);
            if let Some(conversation) = load_conversation(&mut **tx, id).await? {
                return Ok((conversation, Vec::new()));
            }
            let profiles = profiles_of(&mut **tx, &[me, other], now.date_naive()).await?;
            sqlx::query("INSERT INTO conversations (conversation_id, type, group_id, created_at) VALUES ($1, 'DIRECT', NULL, $2)")
                .bind(id)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            for user in [me, other] {
                sqlx::query("INSERT INTO direct_conversation_participants (conversation_id, user_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(user)
                    .execute(&mut **tx)
                    .await?;
            }
            let conversation = load_conversation(&mut **tx, id).await?.ok_or(StoreError::NotFound)?;
            let mut changes = vec![NewChange::in_conversation(id, ChangeKind::Conversation, ChangeOp::Upsert, &conversation)];
            for user in [me, other] {
                changes.push(NewChange::in_conversation(
                    id,
                    ChangeKind::Participant,
                    ChangeOp::Upsert,
                    &serde_json::json!({"conversation_id": id, "user_id": user}),
                ));
            }
            changes.extend(profiles.iter().map(|p| NewChange::profile_in_conversation(id, p)));
            Ok((conversation, changes))
        }

        #[async_trait::async_trait]
        impl ConversationStore for $store {
            async fn open_direct(&self, me: Uuid, other: Uuid, now: DateTime<Utc>) -> StoreResult<OpenedDirect> {
                let now = micros(now);
                let id = direct_conversation_id(me, other);
                let mut tx = self.writer().begin().await?;
                if blocked_between(&mut *tx, me, other).await? {
                    return Err(StoreError::Refused(Refusal::Blocked));
                }
                if kept_safe(&mut *tx, me, other, now.date_naive()).await? {
                    return Err(StoreError::Refused(Refusal::Safeguarding));
                }
                if let Some(conversation) = load_conversation(&mut *tx, id).await? {
                    return Ok(OpenedDirect { conversation, created: false });
                }
                if profiles_of(&mut *tx, &[me, other], now.date_naive()).await?.len() != 2 {
                    return Err(StoreError::NotFound);
                }
                lock_seq_counter(&mut tx).await?;
                let (conversation, changes) = ensure_direct(&mut tx, me, other, now).await?;
                if changes.is_empty() {
                    // Another instance opened it between our read and our lock.
                    tx.rollback().await?;
                    return Ok(OpenedDirect { conversation, created: false });
                }
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
                     WHERE conversation_id IN (", my_conversations!(), ") AND (status = 'delivered' OR sender_id = $1) GROUP BY conversation_id)"
                ))
                .bind(user)
                .fetch_all(&mut *conn)
                .await?;
                let unread: Vec<(Uuid, i64)> = sqlx::query_as(concat!(
                    "SELECT m.conversation_id, count(*) FROM messages m WHERE m.conversation_id IN (",
                    my_conversations!(),
                    ") AND (m.sender_id IS NULL OR m.sender_id <> $1) AND m.status = 'delivered' AND NOT EXISTS \
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
                // Where each conversation stands in the server's acceptance order when it has
                // no message yet: the seq of its first change (its creation).
                let opened: HashMap<Uuid, Option<i64>> = sqlx::query_as::<_, (Uuid, Option<i64>)>(concat!(
                    "SELECT c.conversation_id, (SELECT min(ch.seq) FROM changes ch WHERE ch.conversation_id = c.conversation_id) \
                     FROM conversations c WHERE c.conversation_id IN (",
                    my_conversations!(),
                    ")"
                ))
                .bind(user)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .collect();
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
                // Most recent first in the server's acceptance order (seq), never by `sent_at`,
                // which is the sender's to choose: a conversation's last message, else its
                // creation. A conversation whose creation left no change (written outside the
                // server) sorts last; ties by creation time, then id, so the order is stable.
                let activity = |s: &ConversationSummary| {
                    let id = s.conversation.conversation_id;
                    let seq = s.last_message.as_ref().map(|m| m.seq).or_else(|| opened.get(&id).copied().flatten());
                    (seq.unwrap_or(0), s.conversation.created_at, id)
                };
                out.sort_by_cached_key(|s| std::cmp::Reverse(activity(s)));
                Ok(out)
            }

            async fn messages(&self, user: Uuid, conversation_id: Uuid, before: Option<i64>, limit: i64) -> StoreResult<(Vec<Message>, bool)> {
                let mut conn = self.reader().acquire().await?;
                if !can_see_conversation(&mut conn, user, conversation_id).await? {
                    return Err(StoreError::NotFound);
                }
                let mut rows = sqlx::query_as::<_, MessageRow>(concat!(
                    "SELECT ", message_columns!(), " FROM messages WHERE conversation_id = $1 AND seq < $2 \
                     AND (status = 'delivered' OR sender_id = $4) ORDER BY seq DESC LIMIT $3"
                ))
                .bind(conversation_id)
                .bind(before.unwrap_or(i64::MAX))
                .bind(limit + 1)
                .bind(user)
                .fetch_all(&mut *conn)
                .await?;
                let has_more = rows.len() as i64 > limit;
                rows.truncate(limit as usize);
                rows.reverse();
                Ok((rows.into_iter().map(Message::from).collect(), has_more))
            }

            async fn send_messages(&self, batch: &[(Uuid, NewMessage)]) -> StoreResult<Vec<StoreResult<SendOutcome>>> {
                if batch.is_empty() {
                    return Ok(Vec::new());
                }
                // Another instance may insert one of these ids between the read and the insert
                // (PostgreSQL): the batch is then rolled back and read again, where that id
                // answers as the retry (or conflict) it has become.
                for _ in 0..3 {
                    if let Some((outcomes, last_seq)) = send_batch(self.writer(), batch).await? {
                        if let Some(seq) = last_seq {
                            self.after_commit(seq).await;
                        }
                        return Ok(outcomes);
                    }
                }
                Err(StoreError::Corrupt("message ids kept colliding with another writer's".into()))
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
                // The counter before the checks: a group's delete takes it before deleting the
                // messages, so the messages found here are still there at the insert (see "Lock
                // order" in store/mod.rs).
                lock_seq_counter(&mut tx).await?;
                let mut qb = QueryBuilder::<$db>::new(concat!("SELECT ", message_columns!(), " FROM messages WHERE message_id IN ("));
                let mut sep = qb.separated(", ");
                for id in &ids {
                    sep.push_bind(*id);
                }
                qb.push(")");
                let found: Vec<MessageRow> = qb.build_query_as().fetch_all(&mut *tx).await?;
                // A message held for (or rejected by) a coordinator is its sender's alone.
                let hidden = |m: &MessageRow| m.status != DeliveryStatus::Delivered.as_str() && m.sender_id != Some(user);
                if found.len() != ids.len() || found.iter().any(hidden) {
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
                // A concurrent request may have read some of them first: log only what this
                // insert really added, so each read reaches sync once.
                qb.push(" ON CONFLICT (message_id, user_id) DO NOTHING RETURNING message_id");
                let inserted: HashSet<Uuid> = qb.build_query_scalar::<Uuid>().fetch_all(&mut *tx).await?.into_iter().collect();
                let changes: Vec<NewChange> = fresh
                    .iter()
                    .filter(|r| inserted.contains(&r.message_id))
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

            async fn conversation_members(&self, conversation_ids: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid)>> {
                let mut out = Vec::new();
                for chunk in conversation_ids.chunks(500) {
                    let mut qb = QueryBuilder::<$db>::new(
                        "SELECT conversation_id, user_id FROM direct_conversation_participants WHERE conversation_id IN (",
                    );
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    qb.push(") UNION ALL SELECT c.conversation_id, gm.user_id FROM conversations c \
                             JOIN group_members gm ON gm.group_id = c.group_id WHERE c.conversation_id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                    out.extend(qb.build_query_as::<(Uuid, Uuid)>().fetch_all(self.reader()).await?);
                }
                Ok(out)
            }

        }
    };
}
