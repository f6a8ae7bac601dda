//! Reports, suspension and the trail (see `store/safety.rs`).

/// Expands `SafetyStore` for one backend (see `super::impl_store!`).
macro_rules! sql_safety {
    ($store:ty, $db:ty) => {
        use lodestar_protocol::{AuditAction, AuditEntry, HeldList, Report, ReportAction, ReportStatus, Suspension};
        use $crate::store::safety_records::{
            audit_action, audit_columns, report_columns, AuditLine, AuditRow, ReportRow,
        };
        use $crate::store::FiledReport;

        /// Open reports one member may have filed at once: a flood of reports cannot bury
        /// the coordinators' queue.
        const OPEN_REPORTS_MAX: i64 = 20;

        async fn append_audit(tx: &mut Tx<'_>, line: AuditLine, now: DateTime<Utc>) -> StoreResult<()> {
            sqlx::query(
                "INSERT INTO audit_log (at, actor_id, action, user_id, report_id, message_id, note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(micros(now))
            .bind(line.actor)
            .bind(line.action.as_str())
            .bind(line.user_id)
            .bind(line.report_id)
            .bind(line.message_id)
            .bind(line.note)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        /// Suspends `user` and revokes their tokens, with the trail's line; answers whether
        /// this suspended them.
        async fn suspend_in(
            tx: &mut Tx<'_>,
            actor: Uuid,
            user: Uuid,
            reason: &str,
            report_id: Option<Uuid>,
            now: DateTime<Utc>,
        ) -> StoreResult<bool> {
            if actor == user {
                return Err(StoreError::Rule { field: "user_id", code: "self" });
            }
            let done = sqlx::query(
                "UPDATE users SET suspended_at = $2, suspended_reason = $3, suspended_by = $4 \
                 WHERE user_id = $1 AND suspended_at IS NULL",
            )
            .bind(user)
            .bind(micros(now))
            .bind(reason)
            .bind(actor)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() == 0 {
                return match load_user(&mut **tx, user).await? {
                    None => Err(StoreError::NotFound),
                    Some(_) => Ok(false),
                };
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(&mut **tx).await?;
            let line = AuditLine {
                actor,
                action: AuditAction::Suspended,
                user_id: Some(user),
                report_id,
                message_id: None,
                note: Some(reason.to_owned()),
            };
            append_audit(tx, line, now).await?;
            Ok(true)
        }

        #[async_trait::async_trait]
        impl $crate::store::SafetyStore for $store {
            async fn is_coordinator(&self, user: Uuid) -> StoreResult<bool> {
                let on: Option<bool> = sqlx::query_scalar("SELECT is_coordinator FROM users WHERE user_id = $1")
                    .bind(user)
                    .fetch_optional(self.reader())
                    .await?;
                Ok(on.unwrap_or(false))
            }

            async fn file_report(&self, report: FiledReport, now: DateTime<Utc>) -> StoreResult<bool> {
                if report.reporter_id == report.user_id {
                    return Err(StoreError::Rule { field: "user_id", code: "self" });
                }
                let mut tx = self.writer().begin().await?;
                let filed: Option<Option<Uuid>> = sqlx::query_scalar("SELECT reporter_id FROM reports WHERE report_id = $1")
                    .bind(report.report_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(by) = filed {
                    return if by == Some(report.reporter_id) {
                        Ok(false)
                    } else {
                        Err(StoreError::Conflict(vec!["report_id".into()]))
                    };
                }
                if load_user(&mut *tx, report.user_id).await?.is_none() {
                    return Err(StoreError::NotFound);
                }
                if let Some(message_id) = report.message_id {
                    let found: Option<(Uuid, Option<Uuid>)> =
                        sqlx::query_as("SELECT conversation_id, sender_id FROM messages WHERE message_id = $1")
                            .bind(message_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    // Only a message the reporter can see, sent by the person reported: a
                    // report must not open anyone else's conversation to coordinators.
                    let theirs = match found {
                        Some((conversation, Some(sender))) if sender == report.user_id => {
                            participants(&mut *tx, conversation).await?.contains(&report.reporter_id)
                        }
                        _ => false,
                    };
                    if !theirs {
                        return Err(StoreError::Rule { field: "message_id", code: "not_theirs" });
                    }
                }
                let open: i64 = sqlx::query_scalar("SELECT count(*) FROM reports WHERE reporter_id = $1 AND status = 'open'")
                    .bind(report.reporter_id)
                    .fetch_one(&mut *tx)
                    .await?;
                if open >= OPEN_REPORTS_MAX {
                    return Err(StoreError::Refused(Refusal::TooManyReports));
                }
                sqlx::query(
                    "INSERT INTO reports (report_id, reporter_id, user_id, message_id, reason, details, status, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'open', $7)",
                )
                .bind(report.report_id)
                .bind(report.reporter_id)
                .bind(report.user_id)
                .bind(report.message_id)
                .bind(report.body.reason.as_str())
                .bind(report.body.details)
                .bind(micros(now))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn reports(&self, status: ReportStatus, today: NaiveDate) -> StoreResult<(Vec<Report>, Vec<Profile>)> {
                let mut conn = self.reader().acquire().await?;
                let rows = sqlx::query_as::<_, ReportRow>(concat!(
                    "SELECT ", report_columns!(), " FROM reports WHERE status = $1 ORDER BY created_at DESC, report_id LIMIT 500"
                ))
                .bind(status.as_str())
                .fetch_all(&mut *conn)
                .await?;
                let mut people = HashSet::new();
                let mut reports = Vec::with_capacity(rows.len());
                for row in rows {
                    people.extend(row.people());
                    let report = with_context(&mut conn, row).await?;
                    people.extend(report.context.iter().filter_map(|m| m.sender_id));
                    reports.push(report);
                }
                let people: Vec<Uuid> = people.into_iter().collect();
                let users = profiles_of(&mut conn, &people, today).await?;
                Ok((reports, users))
            }

            async fn resolve_report(
                &self,
                actor: Uuid,
                report_id: Uuid,
                action: ReportAction,
                note: Option<String>,
                now: DateTime<Utc>,
            ) -> StoreResult<Report> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let subject: Option<Option<Uuid>> = sqlx::query_scalar(
                    "UPDATE reports SET status = 'resolved', action = $2, note = $3, resolved_by = $4, resolved_at = $5 \
                     WHERE report_id = $1 AND status = 'open' RETURNING user_id",
                )
                .bind(report_id)
                .bind(action.as_str())
                .bind(note.as_deref())
                .bind(actor)
                .bind(micros(now))
                .fetch_optional(&mut *tx)
                .await?;
                let Some(subject) = subject else {
                    return match load_report(&mut *tx, report_id).await? {
                        None => Err(StoreError::NotFound),
                        Some(_) => Err(StoreError::Refused(Refusal::Resolved)),
                    };
                };
                match (action, subject) {
                    (ReportAction::Suspend, Some(user)) => {
                        let reason = note.clone().unwrap_or_default();
                        suspend_in(&mut tx, actor, user, &reason, Some(report_id), now).await?;
                    }
                    _ => {
                        let line = AuditLine {
                            actor,
                            action: audit_action(action),
                            user_id: subject,
                            report_id: Some(report_id),
                            message_id: None,
                            note,
                        };
                        append_audit(&mut tx, line, now).await?;
                    }
                }
                let row = load_report(&mut *tx, report_id).await?.ok_or(StoreError::NotFound)?;
                let report = with_context(&mut *tx, row).await?;
                tx.commit().await?;
                Ok(report)
            }

            async fn suspend(&self, actor: Uuid, user: Uuid, reason: &str, now: DateTime<Utc>) -> StoreResult<bool> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let done = suspend_in(&mut tx, actor, user, reason, None, now).await?;
                tx.commit().await?;
                Ok(done)
            }

            async fn unsuspend(&self, actor: Uuid, user: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let done = sqlx::query(
                    "UPDATE users SET suspended_at = NULL, suspended_reason = NULL, suspended_by = NULL \
                     WHERE user_id = $1 AND suspended_at IS NOT NULL",
                )
                .bind(user)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return match load_user(&mut *tx, user).await? {
                        None => Err(StoreError::NotFound),
                        Some(_) => Ok(()),
                    };
                }
                let line = AuditLine {
                    actor,
                    action: AuditAction::Unsuspended,
                    user_id: Some(user),
                    report_id: None,
                    message_id: None,
                    note: None,
                };
                append_audit(&mut tx, line, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn suspended(&self, today: NaiveDate) -> StoreResult<Vec<Suspension>> {
                let mut conn = self.reader().acquire().await?;
                let rows: Vec<(Uuid, DateTime<Utc>, Option<String>, Option<Uuid>)> = sqlx::query_as(
                    "SELECT user_id, suspended_at, suspended_reason, suspended_by FROM users \
                     WHERE suspended_at IS NOT NULL ORDER BY suspended_at DESC LIMIT 1000",
                )
                .fetch_all(&mut *conn)
                .await?;
                let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
                let mut profiles: HashMap<Uuid, Profile> =
                    profiles_of(&mut conn, &ids, today).await?.into_iter().map(|p| (p.user_id, p)).collect();
                Ok(rows
                    .into_iter()
                    .filter_map(|(id, suspended_at, reason, suspended_by)| {
                        Some(Suspension { user: profiles.remove(&id)?, reason: reason.unwrap_or_default(), suspended_at, suspended_by })
                    })
                    .collect())
            }

            async fn suspended_among(&self, users: &[Uuid]) -> StoreResult<Vec<Uuid>> {
                let mut out = Vec::new();
                for chunk in users.chunks(1_000) {
                    let mut qb = QueryBuilder::<$db>::new("SELECT user_id FROM users WHERE suspended_at IS NOT NULL AND user_id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                    out.extend(qb.build_query_scalar::<Uuid>().fetch_all(self.reader()).await?);
                }
                Ok(out)
            }

            async fn held(&self, today: NaiveDate) -> StoreResult<HeldList> {
                let mut conn = self.reader().acquire().await?;
                let rows = sqlx::query_as::<_, $crate::store::records::MessageRow>(concat!(
                    "SELECT ", message_columns!(), " FROM messages WHERE status = 'held' ORDER BY seq LIMIT 500"
                ))
                .fetch_all(&mut *conn)
                .await?;
                let mut recipients = std::collections::BTreeMap::new();
                let mut people: HashSet<Uuid> = HashSet::new();
                for m in &rows {
                    // Held messages are only ever in direct conversations: the other participant.
                    let to = participants(&mut conn, m.conversation_id).await?.into_iter().find(|u| Some(*u) != m.sender_id);
                    if let Some(to) = to {
                        recipients.insert(m.message_id, to);
                        people.insert(to);
                    }
                    people.extend(m.sender_id);
                }
                let people: Vec<Uuid> = people.into_iter().collect();
                let users = profiles_of(&mut conn, &people, today).await?;
                Ok(HeldList { messages: rows.into_iter().map(Message::from).collect(), recipients, users })
            }

            async fn review_held(&self, actor: Uuid, message_id: Uuid, release: bool, now: DateTime<Utc>) -> StoreResult<Message> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let row = sqlx::query_as::<_, $crate::store::records::MessageRow>(concat!(
                    "SELECT ", message_columns!(), " FROM messages WHERE message_id = $1"
                ))
                .bind(message_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
                let mut message = Message::from(row);
                if message.status != DeliveryStatus::Held {
                    return Err(StoreError::Refused(Refusal::NotHeld));
                }
                let seq = alloc_seqs(&mut tx, 1).await?;
                let change = if release {
                    // Delivered now: it takes its place in the conversation at its release.
                    message.status = DeliveryStatus::Delivered;
                    message.held_reason = None;
                    message.seq = seq;
                    NewChange::in_conversation(message.conversation_id, ChangeKind::Message, ChangeOp::Upsert, &message)
                } else {
                    message.status = DeliveryStatus::Rejected;
                    let sender = message.sender_id.ok_or(StoreError::NotFound)?;
                    NewChange::for_user(sender, ChangeKind::Message, ChangeOp::Upsert, &message)
                };
                sqlx::query("UPDATE messages SET status = $2, held_reason = $3, seq = $4 WHERE message_id = $1")
                    .bind(message_id)
                    .bind(message.status.as_str())
                    .bind(message.held_reason.as_deref())
                    .bind(message.seq)
                    .execute(&mut *tx)
                    .await?;
                insert_changes(&mut tx, seq, &[change]).await?;
                let line = AuditLine {
                    actor,
                    action: if release { AuditAction::MessageReleased } else { AuditAction::MessageRejected },
                    user_id: message.sender_id,
                    report_id: None,
                    message_id: Some(message_id),
                    note: None,
                };
                append_audit(&mut tx, line, now).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(message)
            }

            async fn audit(&self, before: Option<i64>, limit: i64, today: NaiveDate) -> StoreResult<(Vec<AuditEntry>, bool, Vec<Profile>)> {
                let mut conn = self.reader().acquire().await?;
                let mut qb = QueryBuilder::<$db>::new(concat!("SELECT ", audit_columns!(), " FROM audit_log"));
                if let Some(before) = before {
                    qb.push(" WHERE audit_id < ").push_bind(before);
                }
                qb.push(" ORDER BY audit_id DESC LIMIT ").push_bind(limit + 1);
                let mut rows = qb.build_query_as::<AuditRow>().fetch_all(&mut *conn).await?;
                let has_more = rows.len() as i64 > limit;
                rows.truncate(usize::try_from(limit).unwrap_or(0));
                let people: HashSet<Uuid> = rows.iter().flat_map(|r| [r.actor_id, r.user_id]).flatten().collect();
                let people: Vec<Uuid> = people.into_iter().collect();
                let users = profiles_of(&mut conn, &people, today).await?;
                let entries = rows.into_iter().map(AuditEntry::try_from).collect::<StoreResult<Vec<_>>>()?;
                Ok((entries, has_more, users))
            }
        }
    };
}
