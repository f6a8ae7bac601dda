//! Coordinators (see `store/program.rs`).

/// Expands `ProgramStore` for one backend (see `super::impl_store!`).
macro_rules! sql_program {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl crate::store::ProgramStore for $store {
            async fn set_coordinator(&self, username: &str, on: bool) -> StoreResult<()> {
                let done = sqlx::query("UPDATE users SET is_coordinator = $1 WHERE username = $2")
                    .bind(on)
                    .bind(username.trim().to_lowercase())
                    .execute(self.writer())
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            }

            async fn coordinators(&self) -> StoreResult<Vec<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT username FROM users WHERE is_coordinator ORDER BY username",
                )
                .fetch_all(self.reader())
                .await?)
            }

            async fn block(&self, me: Uuid, user: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
                if me == user {
                    return Err(StoreError::Rule { field: "user_id", code: "self" });
                }
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                if load_user(&mut *tx, user).await?.is_none() {
                    return Err(StoreError::NotFound);
                }
                let done = sqlx::query(
                    "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(me)
                .bind(user)
                .bind(micros(now))
                .execute(&mut *tx)
                .await?;
                let made = done.rows_affected() > 0;
                // The blocker's other devices hide the conversation too.
                let change = serde_json::json!({"user_id": user, "created_at": micros(now)});
                let changes = if made { vec![NewChange::for_user(me, ChangeKind::Block, ChangeOp::Upsert, &change)] } else { Vec::new() };
                self.commit_logged(tx, &changes).await?;
                Ok(made)
            }

            async fn unblock(&self, me: Uuid, user: Uuid) -> StoreResult<()> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let done = sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
                    .bind(me)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                let key = serde_json::json!({"user_id": user});
                let changes = if done.rows_affected() > 0 { vec![NewChange::for_user(me, ChangeKind::Block, ChangeOp::Delete, &key)] } else { Vec::new() };
                self.commit_logged(tx, &changes).await?;
                Ok(())
            }

            async fn kept_apart(&self, me: Uuid) -> StoreResult<HashSet<Uuid>> {
                let ids: Vec<Uuid> = sqlx::query_scalar(
                    "SELECT blocked_id FROM blocks WHERE blocker_id = $1 UNION SELECT blocker_id FROM blocks WHERE blocked_id = $1",
                )
                .bind(me)
                .fetch_all(self.reader())
                .await?;
                Ok(ids.into_iter().collect())
            }

            async fn blocked(&self, me: Uuid, today: NaiveDate) -> StoreResult<Vec<Profile>> {
                let mut conn = self.reader().acquire().await?;
                let ids: Vec<Uuid> = sqlx::query_scalar("SELECT blocked_id FROM blocks WHERE blocker_id = $1")
                    .bind(me)
                    .fetch_all(&mut *conn)
                    .await?;
                let mut profiles = profiles_of(&mut conn, &ids, today).await?;
                profiles.sort_by(|a, b| a.username.cmp(&b.username));
                Ok(profiles)
            }
        }
    };
}
