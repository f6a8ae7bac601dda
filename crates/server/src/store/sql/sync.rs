//! The sync log as each user sees it, and the live watch.

/// A condition on a `changes` row of a conversation `$1` takes part in: `$1` did not join that
/// conversation's group after it (their join block and snapshot stand for what came before).
macro_rules! joined_before {
    () => {
        "NOT EXISTS (SELECT 1 FROM conversations jc JOIN group_members jm ON jm.group_id = jc.group_id \
         WHERE jc.conversation_id = changes.conversation_id AND jm.user_id = $1 AND jm.joined_seq > changes.seq)"
    };
}

/// The conversations `$1` takes part in that may have visible changes up to `$4` (a window's
/// end): a group joined later is left out, since all of its changes before the join are hidden
/// (`joined_before!`). Without this a newcomer's first page walked every change of a group's
/// history before their join marker only to hide each one: 0.67 s at a million messages.
macro_rules! in_window {
    () => {
        my_conversations!(" AND gm.joined_seq <= $4")
    };
}

/// Expands `SyncStore` for one backend (see `super::impl_store!`).
macro_rules! sql_sync {
    ($store:ty, $db:ty) => {
        /// The `op` of a join marker: a row only sync reads, never served itself.
        const JOIN_OP: &str = "join";

        /// What a join marker holds: its block, the seqs after the marker up to
        /// `marker + span`, stands for the seqs `first..first + span` of the conversation.
        #[derive(serde::Serialize, serde::Deserialize)]
        struct JoinMarker {
            conversation_id: Uuid,
            first: i64,
            span: i64,
        }

        impl JoinMarker {
            fn parse(seq: i64, data: &str) -> StoreResult<Self> {
                serde_json::from_str(data).map_err(|_| StoreError::Corrupt(format!("changes {seq}: join marker")))
            }
        }

        /// Appends to `out` at most `room` changes of the join block of `marker` after position
        /// `after`: the conversation's message, read and reaction changes of the block's span, each at its
        /// place in the block, so the member's pages keep the order and the exactly-once of the
        /// log. Answers the position reached (the block's end once it is exhausted). Served only
        /// to the membership this marker opened: one removed since, or back with a newer marker,
        /// is not handed it (a deleted group has no members).
        async fn serve_join(
            conn: &mut Conn,
            user: Uuid,
            marker: i64,
            join: &JoinMarker,
            after: i64,
            room: i64,
            out: &mut Vec<Change>,
        ) -> StoreResult<i64> {
            let end = marker + join.span;
            let current: Option<i64> = sqlx::query_scalar(
                "SELECT jm.joined_seq FROM conversations jc JOIN group_members jm ON jm.group_id = jc.group_id \
                 WHERE jc.conversation_id = $1 AND jm.user_id = $2",
            )
            .bind(join.conversation_id)
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?;
            if current != Some(end + 1) || room <= 0 {
                return Ok(if room <= 0 { after } else { end });
            }
            let rows = sqlx::query_as::<_, ChangeRow>(
                "SELECT seq, kind, op, data FROM changes WHERE conversation_id = $1 AND target_user_id IS NULL \
                 AND kind IN ('message', 'read', 'reaction') AND seq >= $2 AND seq < $3 ORDER BY seq LIMIT $4",
            )
            .bind(join.conversation_id)
            .bind(join.first + (after - marker))
            .bind(join.first + join.span)
            .bind(room)
            .fetch_all(&mut *conn)
            .await?;
            let exhausted = (rows.len() as i64) < room;
            let mut reached = after;
            for row in rows {
                reached = marker + 1 + (row.seq - join.first);
                let mut change = row.into_change()?;
                change.seq = reached;
                out.push(change);
            }
            Ok(if exhausted { end } else { reached })
        }

        #[async_trait::async_trait]
        impl SyncStore for $store {
            fn backend(&self) -> &'static str {
                self.backend_name()
            }

            fn subscribe(&self) -> tokio::sync::watch::Receiver<i64> {
                self.watch().subscribe()
            }

            async fn latest_seq(&self) -> StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1").fetch_one(self.reader()).await?)
            }


            async fn sync(&self, user: Uuid, since: i64, limit: i64) -> StoreResult<(Vec<Change>, i64, bool)> {
                let mut conn = self.reader().acquire().await?;
                // Read before the changes: every seq up to here is committed (seqs commit in
                // order), so when this page is the last one the cursor may jump to it and skip
                // the invisible rows for good.
                let latest: i64 = sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1").fetch_one(&mut *conn).await?;
                let mut out: Vec<Change> = Vec::new();
                let mut pos = since;
                // A cursor inside a join block (a page that ended in a member's history) goes
                // on with that history first.
                let open_block: Option<(i64, String)> = sqlx::query_as(
                    "SELECT seq, data FROM changes WHERE target_user_id = $1 AND op = $2 AND seq <= $3 ORDER BY seq DESC LIMIT 1",
                )
                .bind(user)
                .bind(JOIN_OP)
                .bind(since)
                .fetch_optional(&mut *conn)
                .await?;
                if let Some((marker, data)) = open_block {
                    let join = JoinMarker::parse(marker, &data)?;
                    if pos < marker + join.span {
                        pos = serve_join(&mut conn, user, marker, &join, pos, limit + 1, &mut out).await?;
                    }
                }
                // The visible rows come from several indexes (one per scope) merged and sorted,
                // so one unbounded query would sort everything after `since` to answer a page:
                // a first sync of 100k changes sorted ~50k rows per page. Seq windows keep each
                // sort near the page size; a window that comes back short doubles, so a user
                // who sees little of a long gap still needs only a few queries.
                let mut width = (2 * limit).max(64);
                'windows: while out.len() as i64 <= limit && pos < latest {
                    let high = pos.saturating_add(width).min(latest);
                    let rows = sqlx::query_as::<_, ChangeRow>(concat!(
                        "SELECT seq, kind, op, data FROM changes WHERE seq > $2 AND seq <= $4 AND (target_user_id = $1 OR \
                         (target_user_id IS NULL AND (subject_user_id IS NULL OR subject_user_id <> $1) AND \
                         ((conversation_id IN (", in_window!(), ") AND ", joined_before!(), ") OR \
                         (conversation_id IS NULL AND subject_user_id IN (", my_peers!(), "))))) \
                         ORDER BY seq LIMIT $3"
                    ))
                    .bind(user)
                    .bind(pos)
                    .bind(limit + 1 - out.len() as i64)
                    .bind(high)
                    .fetch_all(&mut *conn)
                    .await?;
                    let full = rows.len() as i64 == limit + 1 - out.len() as i64;
                    for row in rows {
                        if row.op == JOIN_OP {
                            let join = JoinMarker::parse(row.seq, &row.data)?;
                            let room = limit + 1 - out.len() as i64;
                            pos = serve_join(&mut conn, user, row.seq, &join, row.seq, room, &mut out).await?;
                            // The rest of this window is read again from the block's end.
                            continue 'windows;
                        }
                        pos = row.seq;
                        out.push(row.into_change()?);
                    }
                    if !full {
                        pos = high;
                    }
                    width = width.saturating_mul(2);
                }
                let has_more = out.len() as i64 > limit;
                out.truncate(limit as usize);
                let last = out.last().map_or(since, |c| c.seq);
                let cursor = if has_more { last } else { last.max(latest).max(since) };
                Ok((out, cursor, has_more))
            }

            async fn change_scopes(&self, since: i64, limit: i64) -> StoreResult<Vec<$crate::store::ChangeScope>> {
                let rows: Vec<(i64, String, Option<Uuid>, Option<Uuid>, Option<Uuid>)> = sqlx::query_as(
                    "SELECT seq, kind, conversation_id, subject_user_id, target_user_id FROM changes \
                     WHERE seq > $1 ORDER BY seq LIMIT $2",
                )
                .bind(since)
                .bind(limit)
                .fetch_all(self.reader())
                .await?;
                rows.into_iter()
                    .map(|(seq, kind, conversation_id, subject_user_id, target_user_id)| {
                        Ok($crate::store::ChangeScope {
                            seq,
                            kind: ChangeKind::parse(&kind)
                                .ok_or_else(|| StoreError::Corrupt(format!("changes {seq}: kind")))?,
                            conversation_id,
                            subject_user_id,
                            target_user_id,
                        })
                    })
                    .collect()
            }

            async fn conversation_ids(&self, user: Uuid) -> StoreResult<Vec<Uuid>> {
                Ok(sqlx::query_scalar::<_, Uuid>(my_conversations!()).bind(user).fetch_all(self.reader()).await?)
            }
        }
    };
}
