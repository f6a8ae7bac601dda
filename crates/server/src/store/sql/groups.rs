//! Groups and their members.

/// Expands `GroupStore` for one backend (see `super::impl_store!`).
macro_rules! sql_groups {
    ($store:ty, $db:ty) => {
        /// The conversation's current state a new member must be handed, as changes for them
        /// alone. Its history is not copied: see `log_join`.
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
            Ok(out)
        }

        /// Logs the join marker of `user` in `group` and records where their view of the
        /// conversation's own changes starts, at a cost independent of its history: the marker
        /// takes one seq and reserves the block after it, one seq for every seq from the
        /// conversation's first change to now, which sync fills with the conversation's
        /// message and read changes of that span (see "History of a new member" in
        /// `store/mod.rs`). Answers the last seq taken.
        async fn log_join(tx: &mut Tx<'_>, user: Uuid, group: &Group) -> StoreResult<i64> {
            let conv_id = group.conversation_id;
            let first: Option<i64> = sqlx::query_scalar("SELECT min(seq) FROM changes WHERE conversation_id = $1")
                .bind(conv_id)
                .fetch_one(&mut **tx)
                .await?;
            let now: i64 = sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1").fetch_one(&mut **tx).await?;
            let first = first.unwrap_or(now + 1);
            let span = (now - first + 1).max(0);
            let marker = alloc_seqs(tx, 1 + span as usize).await?;
            let data = JoinMarker { conversation_id: conv_id, first, span };
            sqlx::query(
                "INSERT INTO changes (seq, kind, op, data, conversation_id, subject_user_id, target_user_id) \
                 VALUES ($1, $2, $3, $4, NULL, NULL, $5)",
            )
            .bind(marker)
            .bind(ChangeKind::Conversation.as_str())
            .bind(JOIN_OP)
            .bind(serde_json::to_string(&data).map_err(|e| StoreError::Corrupt(e.to_string()))?)
            .bind(user)
            .execute(&mut **tx)
            .await?;
            let end = marker + span;
            sqlx::query("UPDATE group_members SET joined_seq = $3 WHERE group_id = $1 AND user_id = $2")
                .bind(group.group_id)
                .bind(user)
                .bind(end + 1)
                .execute(&mut **tx)
                .await?;
            Ok(end)
        }

        /// Removes `user_id` from a group locked by `lock_group`, handing ownership on when the
        /// last owner leaves; answers the changes that tell the members and the one who left.
        async fn remove_member_in(tx: &mut Tx<'_>, group_id: Uuid, user_id: Uuid) -> StoreResult<Vec<NewChange>> {
            let removed = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
                .bind(group_id)
                .bind(user_id)
                .execute(&mut **tx)
                .await?;
            if removed.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let mut changes = Vec::new();
            let remaining = members_of(&mut **tx, group_id).await?;
            // A group keeps an owner while it has members: when the last owner leaves, an
            // admin takes over (the longest-standing one), else the longest-standing member.
            if !remaining.is_empty() && !remaining.iter().any(|m| m.role == Role::Owner) {
                let heir = remaining.iter().max_by_key(|m| (m.role, std::cmp::Reverse(m.joined_at))).map(|m| m.user_id);
                if let Some(heir) = heir {
                    sqlx::query("UPDATE group_members SET role = 'owner' WHERE group_id = $1 AND user_id = $2")
                        .bind(group_id)
                        .bind(heir)
                        .execute(&mut **tx)
                        .await?;
                }
            }
            refresh_members_json(tx, group_id).await?;
            let group = group_or_missing(&mut **tx, group_id).await?;
            let key = serde_json::json!({"group_id": group_id, "user_id": user_id});
            changes.push(NewChange::in_conversation(group.conversation_id, ChangeKind::GroupMember, ChangeOp::Delete, &key));
            for m in group.members.iter().filter(|m| m.role == Role::Owner) {
                changes.push(NewChange::in_conversation(group.conversation_id, ChangeKind::GroupMember, ChangeOp::Upsert, &member_data(group_id, m)));
            }
            changes.push(NewChange::in_conversation(group.conversation_id, ChangeKind::Group, ChangeOp::Upsert, &group));
            let conversation = load_conversation(&mut **tx, group.conversation_id).await?.ok_or(StoreError::NotFound)?;
            changes.push(NewChange::in_conversation(group.conversation_id, ChangeKind::Conversation, ChangeOp::Upsert, &conversation));
            // The one who left no longer sees the conversation: tell them directly.
            changes.push(NewChange::for_user(user_id, ChangeKind::GroupMember, ChangeOp::Delete, &key));
            changes.push(NewChange::for_user(user_id, ChangeKind::Group, ChangeOp::Delete, &serde_json::json!({"group_id": group_id})));
            changes.push(NewChange::for_user(
                user_id,
                ChangeKind::Conversation,
                ChangeOp::Delete,
                &serde_json::json!({"conversation_id": group.conversation_id}),
            ));
            Ok(changes)
        }

        #[async_trait::async_trait]
        impl GroupStore for $store {
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
                // The counter before the member rows are checked as foreign keys: a profile edit
                // holding it may change one of them (see "Lock order" in store/mod.rs).
                lock_seq_counter(&mut tx).await?;
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
                lock_group(&mut tx, group_id).await?;
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
                lock_group(&mut tx, group_id).await?;
                let group = group_or_missing(&mut *tx, group_id).await?;
                let mut changes = Vec::new();
                for m in &group.members {
                    changes.push(NewChange::for_user(m.user_id, ChangeKind::Group, ChangeOp::Delete, &serde_json::json!({"group_id": group_id})));
                    changes.push(NewChange::for_user(
                        m.user_id,
                        ChangeKind::Conversation,
                        ChangeOp::Delete,
                        &serde_json::json!({"conversation_id": group.conversation_id}),
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
                lock_group(&mut tx, group_id).await?;
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
                log_changes(&mut tx, &changes).await?;
                let seq = log_join(&mut tx, user_id, &group).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(member)
            }

            async fn set_role(&self, group_id: Uuid, user_id: Uuid, role: Role) -> StoreResult<GroupMember> {
                let mut tx = self.writer().begin().await?;
                lock_group(&mut tx, group_id).await?;
                let members = members_of(&mut *tx, group_id).await?;
                let target = members.iter().find(|m| m.user_id == user_id).ok_or(StoreError::NotFound)?;
                let owners = members.iter().filter(|m| m.role == Role::Owner).count();
                if target.role == Role::Owner && role != Role::Owner && owners == 1 {
                    return Err(StoreError::Rule { field: "role", code: "last_owner" });
                }
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
                lock_group(&mut tx, group_id).await?;
                let changes = remove_member_in(&mut tx, group_id, user_id).await?;
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(())
            }

        }
    };
}
