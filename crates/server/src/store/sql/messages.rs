//! Storing messages in batches: the store's half of the server's group commit.
//!
//! One transaction per batch instead of one per message: a batch costs one `BEGIN`, one lookup
//! of the ids already stored, one visibility query for all its senders, one take from the seq
//! counter, one multi-row insert of the messages and one of their changes, and one durable
//! commit (one WAL sync) however many messages it holds. Each message still answers exactly as
//! it would alone.

/// Expands `send_batch` for one backend (see `super::impl_store!`).
macro_rules! sql_messages {
    ($store:ty, $db:ty) => {
        /// Where one message of a batch stands while the batch is worked out.
        enum Slot {
            /// Answered without writing (a retry, a conflict, a conversation the sender may not see).
            Done(StoreResult<SendOutcome>),
            /// Written by this batch: the index into the new messages.
            New(usize),
            /// The same id as the new message at this index, earlier in the batch.
            Repeat(usize),
        }

        /// Whether `m` from `sender` is the request that stored `stored` (a retry), rather than
        /// another message reusing its id. Once edited or deleted, the stored text is no longer
        /// the sent one: a retry (whose answer was lost, perhaps with an edit folded into it
        /// since) is known by its sender and conversation.
        fn is_retry(stored: &Message, sender: Uuid, m: &NewMessage) -> bool {
            let revised = stored.edited_at.is_some() || stored.deleted_at.is_some();
            stored.sender_id == Some(sender)
                && stored.conversation_id == m.conversation_id
                && (revised
                    || (stored.content == m.body.content
                        && stored.media_url == m.body.media_url
                        && stored.reply_to == m.reply_to))
        }

        fn retry_or_conflict(stored: &Message, sender: Uuid, m: &NewMessage) -> SendOutcome {
            if is_retry(stored, sender, m) {
                SendOutcome::Existing(stored.clone())
            } else {
                SendOutcome::IdConflict
            }
        }

        /// Binds `ids` as a comma-separated list (inside an `IN (…)`).
        fn list(qb: &mut QueryBuilder<'_, $db>, ids: &HashSet<Uuid>) {
            let mut sep = qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
        }

        /// Which of `pairs` (conversation, user) are a user taking part in that conversation.
        async fn taking_part(conn: &mut Conn, pairs: &HashSet<(Uuid, Uuid)>) -> StoreResult<HashSet<(Uuid, Uuid)>> {
            if pairs.is_empty() {
                return Ok(HashSet::new());
            }
            let convs: HashSet<Uuid> = pairs.iter().map(|p| p.0).collect();
            let users: HashSet<Uuid> = pairs.iter().map(|p| p.1).collect();
            let mut qb = QueryBuilder::<$db>::new(
                "SELECT conversation_id, user_id FROM direct_conversation_participants WHERE conversation_id IN (",
            );
            list(&mut qb, &convs);
            qb.push(") AND user_id IN (");
            list(&mut qb, &users);
            qb.push(
                ") UNION SELECT c.conversation_id, gm.user_id FROM conversations c \
                 JOIN group_members gm ON gm.group_id = c.group_id WHERE c.conversation_id IN (",
            );
            list(&mut qb, &convs);
            qb.push(") AND gm.user_id IN (");
            list(&mut qb, &users);
            qb.push(")");
            let found: Vec<(Uuid, Uuid)> = qb.build_query_as().fetch_all(conn).await?;
            Ok(found.into_iter().filter(|p| pairs.contains(p)).collect())
        }

        /// What the checks of a send need to know of a batch's direct conversations, read in one
        /// query: each participant, their date of birth, and whether they are in any block.
        async fn direct_facts(conn: &mut Conn, pairs: &HashSet<(Uuid, Uuid)>) -> StoreResult<Vec<DirectFact>> {
            if pairs.is_empty() {
                return Ok(Vec::new());
            }
            let convs: HashSet<Uuid> = pairs.iter().map(|p| p.0).collect();
            let mut qb = QueryBuilder::<$db>::new(
                "SELECT p.conversation_id, u.date_of_birth, \
                 EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = p.user_id) \
                 OR EXISTS (SELECT 1 FROM blocks b WHERE b.blocked_id = p.user_id) \
                 FROM direct_conversation_participants p JOIN users u ON u.user_id = p.user_id \
                 WHERE p.conversation_id IN (",
            );
            list(&mut qb, &convs);
            qb.push(")");
            let rows: Vec<(Uuid, NaiveDate, bool)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            Ok(rows.into_iter().map(|(conversation_id, born, in_block)| DirectFact { conversation_id, born, in_block }).collect())
        }

        /// Of `pairs` (conversation, sender), those of direct conversations whose other person
        /// has blocked the sender or was blocked by them. Most batches have nobody in any block
        /// (`facts` says so) and stop before any query.
        async fn blocked_senders(
            conn: &mut Conn,
            pairs: &HashSet<(Uuid, Uuid)>,
            facts: &[DirectFact],
        ) -> StoreResult<HashSet<(Uuid, Uuid)>> {
            let mut out = HashSet::new();
            let suspect: HashSet<Uuid> = facts.iter().filter(|f| f.in_block).map(|f| f.conversation_id).collect();
            for &(conversation, sender) in pairs.iter().filter(|p| suspect.contains(&p.0)) {
                let n: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM direct_conversation_participants p JOIN blocks b ON \
                     (b.blocker_id = p.user_id AND b.blocked_id = $2) OR (b.blocker_id = $2 AND b.blocked_id = p.user_id) \
                     WHERE p.conversation_id = $1 AND p.user_id <> $2",
                )
                .bind(conversation)
                .bind(sender)
                .fetch_one(&mut *conn)
                .await?;
                if n > 0 {
                    out.insert((conversation, sender));
                }
            }
            Ok(out)
        }

        /// The contact detail in a message's text that holds it, when sent between a minor and
        /// an adult.
        fn held_for(m: &NewMessage) -> Option<$crate::safeguarding::ContactDetail> {
            m.body.content.as_deref().and_then($crate::safeguarding::contact_detail)
        }

        /// The conversation of each message the batch's replies name (none asked when the batch
        /// has no reply).
        async fn reply_targets(conn: &mut Conn, batch: &[(Uuid, NewMessage)]) -> StoreResult<HashMap<Uuid, Uuid>> {
            let named: HashSet<Uuid> = batch.iter().filter_map(|(_, m)| m.reply_to).collect();
            if named.is_empty() {
                return Ok(HashMap::new());
            }
            let mut qb = QueryBuilder::<$db>::new("SELECT message_id, conversation_id FROM messages WHERE message_id IN (");
            list(&mut qb, &named);
            qb.push(")");
            let rows: Vec<(Uuid, Uuid)> = qb.build_query_as().fetch_all(conn).await?;
            Ok(rows.into_iter().collect())
        }

        /// Stores `batch` in one transaction. Answers each message's outcome and the last seq
        /// written (none if nothing was), or `None` (and nothing written) when another writer
        /// took one of the ids meanwhile, so the caller reads the batch again.
        async fn send_batch(
            pool: &sqlx::Pool<$db>,
            batch: &[(Uuid, NewMessage)],
        ) -> StoreResult<Option<(Vec<StoreResult<SendOutcome>>, Option<i64>)>> {
            let mut tx = pool.begin().await?;
            // The counter before the checks: a membership change or a group's delete takes it
            // before writing too, so what the checks below find stays true until this batch
            // commits (a conversation deleted meanwhile would otherwise fail the insert), and
            // locks are taken in one order (see "Lock order" in store/mod.rs).
            lock_seq_counter(&mut tx).await?;
            let ids: HashSet<Uuid> = batch.iter().map(|(_, m)| m.message_id).collect();
            let mut qb = QueryBuilder::<$db>::new(concat!("SELECT ", message_columns!(), " FROM messages WHERE message_id IN ("));
            let mut sep = qb.separated(", ");
            for id in &ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            let stored: HashMap<Uuid, Message> = qb
                .build_query_as::<MessageRow>()
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|r| (r.message_id, Message::from(r)))
                .collect();
            let wanted: HashSet<(Uuid, Uuid)> = batch
                .iter()
                .filter(|(_, m)| !stored.contains_key(&m.message_id))
                .map(|(sender, m)| (m.conversation_id, *sender))
                .collect();
            let allowed = taking_part(&mut *tx, &wanted).await?;
            let facts = direct_facts(&mut *tx, &allowed).await?;
            let blocked = blocked_senders(&mut *tx, &allowed, &facts).await?;
            let guarded = safeguarded(&mut *tx, &facts, Utc::now().date_naive()).await?;
            let mut replied = reply_targets(&mut *tx, batch).await?;

            let mut slots = Vec::with_capacity(batch.len());
            let mut fresh: Vec<(Uuid, &NewMessage)> = Vec::new();
            let mut claimed: HashMap<Uuid, usize> = HashMap::new();
            for (sender, m) in batch {
                // In the order a lone request checks: an id already stored (here: earlier in
                // the batch) answers before the conversation is looked at.
                let slot = if let Some(s) = stored.get(&m.message_id) {
                    Slot::Done(Ok(retry_or_conflict(s, *sender, m)))
                } else if let Some(&at) = claimed.get(&m.message_id) {
                    Slot::Repeat(at)
                } else if !allowed.contains(&(m.conversation_id, *sender)) {
                    Slot::Done(Err(StoreError::NotFound))
                } else if blocked.contains(&(m.conversation_id, *sender)) {
                    Slot::Done(Err(StoreError::Refused(Refusal::Blocked)))
                } else if guarded.get(&m.conversation_id) == Some(&false) {
                    Slot::Done(Err(StoreError::Refused(Refusal::Safeguarding)))
                } else if m.reply_to.is_some_and(|r| replied.get(&r) != Some(&m.conversation_id)) {
                    Slot::Done(Err(StoreError::Rule { field: "reply_to", code: "not_in_conversation" }))
                } else {
                    // A reply queued offline may answer a message earlier in this batch.
                    replied.insert(m.message_id, m.conversation_id);
                    claimed.insert(m.message_id, fresh.len());
                    fresh.push((*sender, m));
                    Slot::New(fresh.len() - 1)
                };
                slots.push(slot);
            }

            let mut last_seq = None;
            let mut written: Vec<Message> = Vec::with_capacity(fresh.len());
            if fresh.is_empty() {
                tx.rollback().await?;
            } else {
                let first = alloc_seqs(&mut tx, fresh.len()).await?;
                // Accepted now: a `sent_at` too far ahead of this clock is dated now.
                let now = Utc::now();
                written = fresh
                    .iter()
                    .zip(first..)
                    .map(|((sender, m), seq)| {
                        // Contact details between a minor and an adult wait for a coordinator.
                        let held = guarded
                            .contains_key(&m.conversation_id)
                            .then(|| held_for(m))
                            .flatten();
                        Message {
                            message_id: m.message_id,
                            conversation_id: m.conversation_id,
                            sender_id: Some(*sender),
                            content: m.body.content.clone(),
                            media_url: m.body.media_url.clone(),
                            sent_at: micros(accepted_sent_at(m.sent_at, now)),
                            seq,
                            status: if held.is_some() { DeliveryStatus::Held } else { DeliveryStatus::Delivered },
                            held_reason: held.map(|d| d.code().to_owned()),
                            reply_to: m.reply_to,
                            edited_at: None,
                            deleted_at: None,
                        }
                    })
                    .collect();
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO messages (message_id, conversation_id, sender_id, content, media_url, sent_at, seq, status, held_reason, reply_to) ",
                );
                qb.push_values(&written, |mut b, m| {
                    b.push_bind(m.message_id)
                        .push_bind(m.conversation_id)
                        .push_bind(m.sender_id)
                        .push_bind(&m.content)
                        .push_bind(&m.media_url)
                        .push_bind(m.sent_at)
                        .push_bind(m.seq)
                        .push_bind(m.status.as_str())
                        .push_bind(&m.held_reason)
                        .push_bind(m.reply_to);
                });
                qb.push(" ON CONFLICT (message_id) DO NOTHING RETURNING message_id");
                let inserted = qb.build_query_scalar::<Uuid>().fetch_all(&mut *tx).await?;
                if inserted.len() != written.len() {
                    tx.rollback().await?;
                    return Ok(None);
                }
                let changes: Vec<NewChange> = written
                    .iter()
                    .map(|m| match (m.status, m.sender_id) {
                        // A held message reaches only its sender until a coordinator releases it.
                        (DeliveryStatus::Held, Some(sender)) => NewChange::for_user(sender, ChangeKind::Message, ChangeOp::Upsert, m),
                        _ => NewChange::in_conversation(m.conversation_id, ChangeKind::Message, ChangeOp::Upsert, m),
                    })
                    .collect();
                insert_changes(&mut tx, first, &changes).await?;
                tx.commit().await?;
                last_seq = Some(first + written.len() as i64 - 1);
            }

            let outcomes = slots
                .into_iter()
                .zip(batch)
                .map(|(slot, (sender, m))| match slot {
                    Slot::Done(outcome) => outcome,
                    Slot::New(i) => Ok(SendOutcome::Created(written[i].clone())),
                    Slot::Repeat(i) => Ok(retry_or_conflict(&written[i], *sender, m)),
                })
                .collect();
            Ok(Some((outcomes, last_seq)))
        }
    };
}
