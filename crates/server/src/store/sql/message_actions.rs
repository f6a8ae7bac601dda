//! Edits, deletes and reactions (see `store::MessageActionStore`).
//!
//! A revision (an edit or a delete) rewrites the message's row *and* the change that accepted
//! it, and replaces the change of the previous revision with its own: whoever syncs afterwards
//! reads only the message as it is now, never a deleted or replaced text.

/// Expands the message actions for one backend (see `super::impl_store!`).
macro_rules! sql_message_actions {
    ($store:ty, $db:ty) => {
        use lodestar_protocol::{Reaction, ReactionKey, EDIT_WINDOW_HOURS};

        /// A message someone acts on, with what its conversation allows them.
        struct Target {
            message: Message,
            /// One of a direct conversation's two people has blocked the other.
            blocked: bool,
            /// Between a minor and an adult: whether a mentorship of theirs sanctions it.
            guarded: Option<bool>,
        }

        impl Target {
            /// Refuses what a block or safeguarding forbids (taking something back never is).
            fn allowed(&self) -> StoreResult<()> {
                if self.blocked {
                    Err(StoreError::Refused(Refusal::Blocked))
                } else if self.guarded == Some(false) {
                    Err(StoreError::Refused(Refusal::Safeguarding))
                } else {
                    Ok(())
                }
            }
        }

        /// The message `user` names, read in `tx`: `NotFound` unless `user` takes part in its
        /// conversation and may see it (someone else's held message is not theirs to see).
        async fn target(tx: &mut Tx<'_>, user: Uuid, message_id: Uuid) -> StoreResult<Target> {
            let message: Message = sqlx::query_as::<_, MessageRow>(concat!(
                "SELECT ", message_columns!(), " FROM messages WHERE message_id = $1"
            ))
            .bind(message_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .into();
            let pair: HashSet<(Uuid, Uuid)> = [(message.conversation_id, user)].into();
            let seen = message.status == DeliveryStatus::Delivered || message.sender_id == Some(user);
            if !seen || taking_part(&mut **tx, &pair).await?.is_empty() {
                return Err(StoreError::NotFound);
            }
            let facts = direct_facts(&mut **tx, &pair).await?;
            let blocked = !blocked_senders(&mut **tx, &pair, &facts).await?.is_empty();
            let guarded = safeguarded(&mut **tx, &facts, Utc::now().date_naive()).await?.get(&message.conversation_id).copied();
            Ok(Target { message, blocked, guarded })
        }

        /// Whether `user` is an owner or admin of the group whose conversation this is.
        async fn moderates(tx: &mut Tx<'_>, user: Uuid, conversation_id: Uuid) -> StoreResult<bool> {
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM conversations c JOIN group_members gm ON gm.group_id = c.group_id \
                 WHERE c.conversation_id = $1 AND gm.user_id = $2 AND gm.role IN ('owner', 'admin')",
            )
            .bind(conversation_id)
            .bind(user)
            .fetch_one(&mut **tx)
            .await?;
            Ok(n > 0)
        }

        /// Writes a revised `message` over its row and its accepting change, and logs the
        /// revision as one change (to whoever sees the message) in place of the previous one's.
        async fn write_revision(tx: &mut Tx<'_>, message: &Message) -> StoreResult<i64> {
            let seq = alloc_seqs(tx, 1).await?;
            let change = match (message.status, message.sender_id) {
                (DeliveryStatus::Held | DeliveryStatus::Rejected, Some(sender)) => {
                    NewChange::for_user(sender, ChangeKind::Message, ChangeOp::Upsert, message)
                }
                _ => NewChange::in_conversation(message.conversation_id, ChangeKind::Message, ChangeOp::Upsert, message),
            };
            sqlx::query("UPDATE changes SET data = $2 WHERE seq = $1 AND kind = 'message'")
                .bind(message.seq)
                .bind(&change.data)
                .execute(&mut **tx)
                .await?;
            sqlx::query("DELETE FROM changes WHERE seq = (SELECT revised_seq FROM messages WHERE message_id = $1)")
                .bind(message.message_id)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "UPDATE messages SET content = $2, media_url = $3, edited_at = $4, deleted_at = $5, revised_seq = $6 \
                 WHERE message_id = $1",
            )
            .bind(message.message_id)
            .bind(&message.content)
            .bind(&message.media_url)
            .bind(message.edited_at)
            .bind(message.deleted_at)
            .bind(seq)
            .execute(&mut **tx)
            .await?;
            insert_changes(tx, seq, &[change]).await?;
            Ok(seq)
        }

        /// How a reaction change's data starts (serde writes `Reaction`'s and `ReactionKey`'s
        /// fields in this order, without spaces), for one message or one person's emoji on it.
        fn reaction_prefix(message_id: Uuid, of: Option<(Uuid, &str)>) -> String {
            match of {
                None => format!("{{\"message_id\":\"{message_id}\",%"),
                Some((user, emoji)) => {
                    let emoji = serde_json::to_string(emoji).unwrap_or_default();
                    format!("{{\"message_id\":\"{message_id}\",\"user_id\":\"{user}\",\"emoji\":{emoji},%")
                }
            }
        }

        /// Deletes the reaction changes of a conversation whose data starts as `prefix` says
        /// (ids and emoji hold no `LIKE` wildcard: `_` and `%` are not emoji).
        async fn forget_reactions(tx: &mut Tx<'_>, conversation_id: Uuid, prefix: &str) -> StoreResult<()> {
            sqlx::query("DELETE FROM changes WHERE conversation_id = $1 AND kind = 'reaction' AND data LIKE $2")
                .bind(conversation_id)
                .bind(prefix)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }

        #[async_trait::async_trait]
        impl $crate::store::MessageActionStore for $store {
            async fn edit_message(&self, user: Uuid, message_id: Uuid, content: String, now: DateTime<Utc>) -> StoreResult<Message> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let target = target(&mut tx, user, message_id).await?;
                let mut message = target.message.clone();
                if message.sender_id != Some(user) {
                    return Err(StoreError::Refused(Refusal::NotSender));
                }
                if message.deleted_at.is_some() {
                    return Err(StoreError::Refused(Refusal::Deleted));
                }
                if message.status != DeliveryStatus::Delivered {
                    return Err(StoreError::Refused(Refusal::Held));
                }
                if message.content.as_deref() == Some(content.as_str()) {
                    return Ok(message);
                }
                if now - message.sent_at > chrono::Duration::hours(EDIT_WINDOW_HOURS) {
                    return Err(StoreError::Refused(Refusal::EditWindow));
                }
                target.allowed()?;
                // An edit cannot slip past the review a new message would get.
                if target.guarded.is_some() && $crate::safeguarding::contact_detail(&content).is_some() {
                    return Err(StoreError::Refused(Refusal::Safeguarding));
                }
                message.content = Some(content);
                message.edited_at = Some(micros(now));
                let seq = write_revision(&mut tx, &message).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(message)
            }

            async fn delete_message(&self, user: Uuid, message_id: Uuid, now: DateTime<Utc>) -> StoreResult<Message> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let mut message = target(&mut tx, user, message_id).await?.message;
                if message.deleted_at.is_some() {
                    return Ok(message);
                }
                if message.sender_id != Some(user) && !moderates(&mut tx, user, message.conversation_id).await? {
                    return Err(StoreError::Refused(Refusal::NotSender));
                }
                message.content = None;
                message.media_url = None;
                message.deleted_at = Some(micros(now));
                // Its reactions go with it, and their changes too (nobody syncing later learns
                // who reacted to what); every replica drops them with the tombstone.
                sqlx::query("DELETE FROM reactions WHERE message_id = $1").bind(message_id).execute(&mut *tx).await?;
                forget_reactions(&mut tx, message.conversation_id, &reaction_prefix(message_id, None)).await?;
                let seq = write_revision(&mut tx, &message).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(message)
            }

            async fn react(&self, user: Uuid, message_id: Uuid, emoji: &str, now: DateTime<Utc>) -> StoreResult<bool> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let target = target(&mut tx, user, message_id).await?;
                if target.message.deleted_at.is_some() {
                    return Err(StoreError::Refused(Refusal::Deleted));
                }
                if target.message.status != DeliveryStatus::Delivered {
                    return Err(StoreError::Refused(Refusal::Held));
                }
                target.allowed()?;
                let reaction = Reaction { message_id, user_id: user, emoji: emoji.to_owned(), created_at: micros(now) };
                let added = sqlx::query(
                    "INSERT INTO reactions (message_id, user_id, emoji, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (message_id, user_id, emoji) DO NOTHING",
                )
                .bind(message_id)
                .bind(user)
                .bind(emoji)
                .bind(reaction.created_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if added == 0 {
                    return Ok(false);
                }
                let change = NewChange::in_conversation(target.message.conversation_id, ChangeKind::Reaction, ChangeOp::Upsert, &reaction);
                let seq = log_changes(&mut tx, &[change]).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(true)
            }

            async fn unreact(&self, user: Uuid, message_id: Uuid, emoji: &str) -> StoreResult<bool> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let conversation_id = target(&mut tx, user, message_id).await?.message.conversation_id;
                let removed = sqlx::query("DELETE FROM reactions WHERE message_id = $1 AND user_id = $2 AND emoji = $3")
                    .bind(message_id)
                    .bind(user)
                    .bind(emoji)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if removed == 0 {
                    return Ok(false);
                }
                // Whoever syncs later needs neither the reaction nor its taking back: only
                // the replicas that had it need the delete below.
                forget_reactions(&mut tx, conversation_id, &reaction_prefix(message_id, Some((user, emoji)))).await?;
                let key = ReactionKey { message_id, user_id: user, emoji: emoji.to_owned() };
                let change = NewChange::in_conversation(conversation_id, ChangeKind::Reaction, ChangeOp::Delete, &key);
                let seq = log_changes(&mut tx, &[change]).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(true)
            }
        }
    };
}
