//! The sync log as each user sees it, and the live watch.

/// Expands `SyncStore` for one backend (see `super::impl_store!`).
macro_rules! sql_sync {
    ($store:ty, $db:ty) => {
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
                // The visible rows come from several indexes (one per scope) merged and sorted,
                // so one unbounded query would sort everything after `since` to answer a page:
                // a first sync of 100k changes sorted ~50k rows per page. Seq windows keep each
                // sort near the page size; a window that comes back short doubles, so a user
                // who sees little of a long gap still needs only a few queries.
                let mut rows: Vec<ChangeRow> = Vec::new();
                let (mut low, mut width) = (since, (2 * limit).max(64));
                while rows.len() as i64 <= limit && low < latest {
                    let high = low.saturating_add(width).min(latest);
                    let more = sqlx::query_as::<_, ChangeRow>(concat!(
                        "SELECT seq, kind, op, data FROM changes WHERE seq > $2 AND seq <= $4 AND (target_user_id = $1 OR \
                         (target_user_id IS NULL AND (subject_user_id IS NULL OR subject_user_id <> $1) AND \
                         (conversation_id IN (", my_conversations!(), ") OR \
                         (conversation_id IS NULL AND subject_user_id IN (", my_peers!(), "))))) \
                         ORDER BY seq LIMIT $3"
                    ))
                    .bind(user)
                    .bind(low)
                    .bind(limit + 1 - rows.len() as i64)
                    .bind(high)
                    .fetch_all(&mut *conn)
                    .await?;
                    rows.extend(more);
                    low = high;
                    width = width.saturating_mul(2);
                }
                let has_more = rows.len() as i64 > limit;
                rows.truncate(limit as usize);
                let last = rows.last().map_or(since, |r| r.seq);
                let cursor = if has_more { last } else { last.max(latest).max(since) };
                let changes = rows.into_iter().map(ChangeRow::into_change).collect::<StoreResult<Vec<_>>>()?;
                Ok((changes, cursor, has_more))
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
