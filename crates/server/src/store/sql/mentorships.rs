//! Mentorships, their goals and action items. Only the two people of a mentorship see it and
//! its items; an ended one is read-only. The helpers and imports come from `sql_requests!`.

/// Expands `MentorshipStore` for one backend (see `super::impl_store!`).
macro_rules! sql_mentorships {
    ($store:ty, $db:ty) => {
        fn people(m: &Mentorship) -> [Uuid; 2] {
            [m.mentor_id, m.mentee_id]
        }

        /// The mentorship `user` is one of the two people of (`NotFound` otherwise).
        async fn my_mentorship(conn: &mut Conn, user: Uuid, id: Uuid) -> StoreResult<Mentorship> {
            load_mentorship(conn, id).await?.filter(|m| people(m).contains(&user)).ok_or(StoreError::NotFound)
        }

        /// As [`my_mentorship`], for a write: an ended mentorship refuses it.
        async fn my_active_mentorship(conn: &mut Conn, user: Uuid, id: Uuid) -> StoreResult<Mentorship> {
            let m = my_mentorship(conn, user, id).await?;
            if m.status == MentorshipStatus::Ended {
                return Err(StoreError::Refused(Refusal::Ended));
            }
            Ok(m)
        }

        async fn load_goal(conn: &mut Conn, id: Uuid) -> StoreResult<Option<Goal>> {
            sqlx::query_as::<_, GoalRow>(concat!("SELECT ", goal_columns!(), " FROM goals WHERE goal_id = $1"))
                .bind(id)
                .fetch_optional(conn)
                .await?
                .map(GoalRow::into_goal)
                .transpose()
        }

        async fn load_task(conn: &mut Conn, id: Uuid) -> StoreResult<Option<Task>> {
            Ok(sqlx::query_as::<_, TaskRow>(concat!("SELECT ", task_columns!(), " FROM tasks WHERE task_id = $1"))
                .bind(id)
                .fetch_optional(conn)
                .await?
                .map(Task::from))
        }

        /// Checks what a task names beyond itself: its assignee is one of the two, its goal one
        /// of this mentorship's, its source message one of the pair's conversation.
        async fn check_task_links(
            conn: &mut Conn,
            m: &Mentorship,
            assignee: Uuid,
            goal_id: Option<Uuid>,
            source_message_id: Option<Uuid>,
        ) -> StoreResult<()> {
            if !people(m).contains(&assignee) {
                return Err(StoreError::Rule { field: "assignee_id", code: "not_in_mentorship" });
            }
            if let Some(goal) = goal_id {
                if load_goal(&mut *conn, goal).await?.is_none_or(|g| g.mentorship_id != m.mentorship_id) {
                    return Err(StoreError::Rule { field: "goal_id", code: "unknown_goal" });
                }
            }
            if let Some(message) = source_message_id {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE message_id = $1 AND conversation_id = $2")
                    .bind(message)
                    .bind(m.conversation_id)
                    .fetch_one(&mut *conn)
                    .await?;
                if n == 0 {
                    return Err(StoreError::Rule { field: "source_message_id", code: "unknown_message" });
                }
            }
            Ok(())
        }

        #[async_trait::async_trait]
        impl MentorshipStore for $store {
            async fn mentorships(&self, user: Uuid, status: Option<MentorshipStatus>) -> StoreResult<Vec<Mentorship>> {
                let mut qb = QueryBuilder::<$db>::new(concat!("SELECT ", mentorship_columns!(), " FROM mentorships WHERE (mentor_id = "));
                qb.push_bind(user).push(" OR mentee_id = ").push_bind(user).push(")");
                if let Some(status) = status {
                    qb.push(" AND status = ").push_bind(status.as_str());
                }
                qb.push(" ORDER BY started_at DESC, mentorship_id LIMIT 500");
                qb.build_query_as::<MentorshipRow>()
                    .fetch_all(self.reader())
                    .await?
                    .into_iter()
                    .map(MentorshipRow::into_mentorship)
                    .collect()
            }

            async fn mentorship(&self, user: Uuid, id: Uuid) -> StoreResult<MentorshipDetail> {
                let mut conn = self.reader().acquire().await?;
                let mentorship = my_mentorship(&mut conn, user, id).await?;
                let goals = sqlx::query_as::<_, GoalRow>(concat!(
                    "SELECT ", goal_columns!(), " FROM goals WHERE mentorship_id = $1 ORDER BY created_at, goal_id"
                ))
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(GoalRow::into_goal)
                .collect::<StoreResult<Vec<_>>>()?;
                let tasks = sqlx::query_as::<_, TaskRow>(concat!(
                    "SELECT ", task_columns!(), " FROM tasks WHERE mentorship_id = $1 ORDER BY created_at, task_id"
                ))
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(Task::from)
                .collect();
                let sessions = sessions_of(&mut conn, id).await?;
                Ok(MentorshipDetail { mentorship, goals, tasks, sessions })
            }

            async fn end_mentorship(&self, user: Uuid, id: Uuid, reason: Option<String>, now: DateTime<Utc>) -> StoreResult<Mentorship> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let m = my_mentorship(&mut *tx, user, id).await?;
                if m.status == MentorshipStatus::Ended {
                    return Ok(m);
                }
                sqlx::query("UPDATE mentorships SET status = 'ended', ended_at = $2, ended_by = $3, end_reason = $4 WHERE mentorship_id = $1")
                    .bind(id)
                    .bind(now)
                    .bind(user)
                    .bind(reason)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE users SET active_mentees = CASE WHEN active_mentees > 0 THEN active_mentees - 1 ELSE 0 END WHERE user_id = $1")
                    .bind(m.mentor_id)
                    .execute(&mut *tx)
                    .await?;
                let m = load_mentorship(&mut *tx, id).await?.ok_or(StoreError::NotFound)?;
                let mut changes = pair_changes(people(&m), ChangeKind::Mentorship, &m);
                changes.extend(profile_changes(&mut tx, m.mentor_id, now.date_naive()).await?);
                self.commit_logged(tx, &changes).await?;
                Ok(m)
            }

            async fn create_goal(&self, user: Uuid, id: Uuid, goal: NewGoal, now: DateTime<Utc>) -> StoreResult<(Goal, bool)> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                if let Some(existing) = load_goal(&mut *tx, goal.goal_id).await? {
                    if (existing.mentorship_id, existing.created_by) != (id, user) {
                        return Err(StoreError::Conflict(vec!["goal_id".into()]));
                    }
                    return Ok((existing, false));
                }
                let m = my_active_mentorship(&mut *tx, user, id).await?;
                sqlx::query(
                    "INSERT INTO goals (goal_id, mentorship_id, title, details, status, due_date, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $7)",
                )
                .bind(goal.goal_id)
                .bind(id)
                .bind(&goal.title)
                .bind(&goal.details)
                .bind(goal.due_date)
                .bind(user)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let created = load_goal(&mut *tx, goal.goal_id).await?.ok_or(StoreError::NotFound)?;
                self.commit_logged(tx, &pair_changes(people(&m), ChangeKind::Goal, &created)).await?;
                Ok((created, true))
            }

            async fn update_goal(&self, user: Uuid, goal_id: Uuid, patch: GoalPatch, now: DateTime<Utc>) -> StoreResult<Goal> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let goal = load_goal(&mut *tx, goal_id).await?.ok_or(StoreError::NotFound)?;
                let m = my_active_mentorship(&mut *tx, user, goal.mentorship_id).await?;
                let mut qb = QueryBuilder::<$db>::new("UPDATE goals SET updated_at = ");
                qb.push_bind(now);
                push_set!(qb, "title", patch.title);
                push_set!(qb, "details", patch.details);
                push_set!(qb, "status", patch.status.map(|s| s.as_str()));
                push_set!(qb, "due_date", patch.due_date);
                qb.push(" WHERE goal_id = ").push_bind(goal_id);
                qb.build().execute(&mut *tx).await?;
                let goal = load_goal(&mut *tx, goal_id).await?.ok_or(StoreError::NotFound)?;
                self.commit_logged(tx, &pair_changes(people(&m), ChangeKind::Goal, &goal)).await?;
                Ok(goal)
            }

            async fn create_task(&self, user: Uuid, id: Uuid, task: NewTask, now: DateTime<Utc>) -> StoreResult<(Task, bool)> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                if let Some(existing) = load_task(&mut *tx, task.task_id).await? {
                    if (existing.mentorship_id, existing.created_by) != (id, user) {
                        return Err(StoreError::Conflict(vec!["task_id".into()]));
                    }
                    return Ok((existing, false));
                }
                let m = my_active_mentorship(&mut *tx, user, id).await?;
                let assignee = task.assignee_id.unwrap_or(user);
                check_task_links(&mut *tx, &m, assignee, task.goal_id, task.source_message_id).await?;
                sqlx::query(
                    "INSERT INTO tasks (task_id, mentorship_id, goal_id, title, assignee_id, due_date, source_message_id, \
                     created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                )
                .bind(task.task_id)
                .bind(id)
                .bind(task.goal_id)
                .bind(&task.title)
                .bind(assignee)
                .bind(task.due_date)
                .bind(task.source_message_id)
                .bind(user)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let created = load_task(&mut *tx, task.task_id).await?.ok_or(StoreError::NotFound)?;
                self.commit_logged(tx, &pair_changes(people(&m), ChangeKind::Task, &created)).await?;
                Ok((created, true))
            }

            async fn update_task(&self, user: Uuid, task_id: Uuid, patch: TaskPatch, now: DateTime<Utc>) -> StoreResult<Task> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let task = load_task(&mut *tx, task_id).await?.ok_or(StoreError::NotFound)?;
                let m = my_active_mentorship(&mut *tx, user, task.mentorship_id).await?;
                if let Some(assignee) = patch.assignee_id {
                    check_task_links(&mut *tx, &m, assignee, None, None).await?;
                }
                let mut qb = QueryBuilder::<$db>::new("UPDATE tasks SET updated_at = ");
                qb.push_bind(now);
                push_set!(qb, "title", patch.title);
                push_set!(qb, "due_date", patch.due_date);
                push_set!(qb, "assignee_id", patch.assignee_id);
                // Ticking a done task keeps when it was done: a retried tick changes nothing.
                match patch.done {
                    Some(true) if task.done_at.is_none() => {
                        qb.push(", done_at = ").push_bind(now);
                    }
                    Some(false) => {
                        qb.push(", done_at = NULL");
                    }
                    _ => {}
                }
                qb.push(" WHERE task_id = ").push_bind(task_id);
                qb.build().execute(&mut *tx).await?;
                let task = load_task(&mut *tx, task_id).await?.ok_or(StoreError::NotFound)?;
                self.commit_logged(tx, &pair_changes(people(&m), ChangeKind::Task, &task)).await?;
                Ok(task)
            }
        }
    };
}
