//! One's own data (see `store/account_data.rs`).

/// Expands `AccountDataStore` for one backend (see `super::impl_store!`).
macro_rules! sql_account_data {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::AccountDataStore for $store {
            async fn own_reads(&self, user: Uuid) -> StoreResult<Vec<Read>> {
                let rows: Vec<(Uuid, Uuid, DateTime<Utc>)> = sqlx::query_as(
                    "SELECT message_id, user_id, read_at FROM message_read_status WHERE user_id = $1 ORDER BY read_at",
                )
                .bind(user)
                .fetch_all(self.reader())
                .await?;
                Ok(rows.into_iter().map(|(message_id, user_id, read_at)| Read { message_id, user_id, read_at }).collect())
            }

            async fn own_feedback(&self, user: Uuid) -> StoreResult<Vec<lodestar_protocol::Feedback>> {
                sqlx::query_as::<_, $crate::store::mentorship_records::FeedbackRow>(concat!(
                    "SELECT ", feedback_columns!(), " FROM session_feedback WHERE author_id = $1 ORDER BY created_at"
                ))
                .bind(user)
                .fetch_all(self.reader())
                .await?
                .into_iter()
                .map(|r| r.into_feedback())
                .collect()
            }

            async fn filed_reports(&self, user: Uuid) -> StoreResult<Vec<Report>> {
                sqlx::query_as::<_, ReportRow>(concat!(
                    "SELECT ", report_columns!(), " FROM reports WHERE reporter_id = $1 ORDER BY created_at"
                ))
                .bind(user)
                .fetch_all(self.reader())
                .await?
                .into_iter()
                .map(|r| r.into_report(Vec::new()))
                .collect()
            }

            async fn delete_account(&self, user: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                if load_user(&mut *tx, user).await?.is_none() {
                    return Err(StoreError::NotFound);
                }
                let mut changes = Vec::new();
                let active: Vec<Uuid> = sqlx::query_scalar(
                    "SELECT mentorship_id FROM mentorships WHERE status = 'active' AND (mentor_id = $1 OR mentee_id = $1)",
                )
                .bind(user)
                .fetch_all(&mut *tx)
                .await?;
                for id in active {
                    sqlx::query(
                        "UPDATE mentorships SET status = 'ended', ended_at = $2, ended_by = $3, end_reason = 'account deleted' \
                         WHERE mentorship_id = $1",
                    )
                    .bind(id)
                    .bind(now)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                    let m = load_mentorship(&mut *tx, id).await?.ok_or(StoreError::NotFound)?;
                    sqlx::query("UPDATE users SET active_mentees = CASE WHEN active_mentees > 0 THEN active_mentees - 1 ELSE 0 END WHERE user_id = $1")
                        .bind(m.mentor_id)
                        .execute(&mut *tx)
                        .await?;
                    let other = if m.mentor_id == user { m.mentee_id } else { m.mentor_id };
                    changes.push(NewChange::for_user(other, ChangeKind::Mentorship, ChangeOp::Upsert, &m));
                }
                // Groups go on without them: ownership handed on as when anyone leaves, the
                // creator's column pointed at an owner, a group left empty deleted.
                let groups: Vec<Uuid> = sqlx::query_scalar("SELECT group_id FROM group_members WHERE user_id = $1")
                    .bind(user)
                    .fetch_all(&mut *tx)
                    .await?;
                for group in groups {
                    lock_group(&mut tx, group).await?;
                    changes.extend(remove_member_in(&mut tx, group, user).await?);
                }
                sqlx::query(
                    "DELETE FROM groups WHERE created_by = $1 AND NOT EXISTS \
                     (SELECT 1 FROM group_members gm WHERE gm.group_id = groups.group_id)",
                )
                .bind(user)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE groups SET created_by = (SELECT gm.user_id FROM group_members gm \
                     WHERE gm.group_id = groups.group_id ORDER BY gm.role = 'owner' DESC, gm.joined_at LIMIT 1) \
                     WHERE created_by = $1",
                )
                .bind(user)
                .execute(&mut *tx)
                .await?;
                // Told one by one: once the row is gone, nobody shares a conversation with it,
                // so a change scoped to the profile would reach no one.
                let peers: Vec<Uuid> = sqlx::query_scalar(concat!(my_peers!()))
                    .bind(user)
                    .fetch_all(&mut *tx)
                    .await?;
                let gone = serde_json::json!({ "user_id": user });
                changes.extend(
                    peers
                        .into_iter()
                        .filter(|p| *p != user)
                        .map(|p| NewChange::for_user(p, ChangeKind::Profile, ChangeOp::Delete, &gone)),
                );
                // Tokens, memberships, blocks and reads go with the row; messages keep a null
                // sender; reports and the trail keep a null id.
                sqlx::query("DELETE FROM users WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
                self.commit_logged(tx, &changes).await?;
                Ok(())
            }
        }
    };
}
