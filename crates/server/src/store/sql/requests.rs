//! Mentorship requests: asking within a mentor's capacity, answering, and expiry.
//!
//! Every write takes the seq counter first (the lock order of `store/mod.rs`), which also
//! serialises the capacity checks: two accepts racing for a mentor's last slot, or two
//! mentees' requests racing for a mentee's pending limit, run one after the other, and the
//! guarded `UPDATE users … WHERE active_mentees < mentee_capacity` is the last word either way.

/// Expands `RequestStore`, and the helpers the mentorship domain shares, for one backend (see
/// `super::impl_store!`).
macro_rules! sql_requests {
    ($store:ty, $db:ty) => {
        use lodestar_protocol::validate::{limits as program, GoalPatch, NewGoal, NewTask, RequestFilter, TaskPatch};
        use lodestar_protocol::{
            mentorship_id_for_request, Goal, Mentorship, MentorshipDetail, MentorshipRequest,
            MentorshipStatus, RequestBox, RequestStatus, Task,
        };
        use $crate::store::mentorship_records::{GoalRow, MentorshipRow, RequestRow, TaskRow};
        use $crate::store::{MentorshipStore, NewRequest, Refusal, RequestStore};

        /// The same change, once for each of the two people (the domain's sync scope: exactly
        /// the two people, PROGRAM.md).
        fn pair_changes(pair: [Uuid; 2], kind: ChangeKind, data: &impl serde::Serialize) -> Vec<NewChange> {
            pair.iter().map(|u| NewChange::for_user(*u, kind, ChangeOp::Upsert, data)).collect()
        }

        fn request_changes(r: &MentorshipRequest) -> Vec<NewChange> {
            pair_changes([r.mentee_id, r.mentor_id], ChangeKind::MentorshipRequest, r)
        }

        /// A pending request past its expiry reads as expired, whether or not the timer has
        /// written it yet.
        fn as_of(mut r: MentorshipRequest, now: DateTime<Utc>) -> MentorshipRequest {
            if r.status == RequestStatus::Pending && r.expires_at <= now {
                r.status = RequestStatus::Expired;
            }
            r
        }

        async fn load_request(conn: &mut Conn, id: Uuid) -> StoreResult<Option<MentorshipRequest>> {
            sqlx::query_as::<_, RequestRow>(concat!("SELECT ", request_columns!(), " FROM mentorship_requests WHERE request_id = $1"))
                .bind(id)
                .fetch_optional(conn)
                .await?
                .map(RequestRow::into_request)
                .transpose()
        }

        async fn load_mentorship(conn: &mut Conn, id: Uuid) -> StoreResult<Option<Mentorship>> {
            sqlx::query_as::<_, MentorshipRow>(concat!("SELECT ", mentorship_columns!(), " FROM mentorships WHERE mentorship_id = $1"))
                .bind(id)
                .fetch_optional(conn)
                .await?
                .map(MentorshipRow::into_mentorship)
                .transpose()
        }

        /// Writes `expired` on every pending request due at `now`; answers the changes telling
        /// both people. Runs after the counter's lock, inside the caller's transaction.
        async fn expire_due(tx: &mut Tx<'_>, now: DateTime<Utc>) -> StoreResult<Vec<NewChange>> {
            let due = sqlx::query_as::<_, RequestRow>(concat!(
                "SELECT ", request_columns!(), " FROM mentorship_requests WHERE status = 'pending' AND expires_at <= $1"
            ))
            .bind(now)
            .fetch_all(&mut **tx)
            .await?;
            if due.is_empty() {
                return Ok(Vec::new());
            }
            sqlx::query("UPDATE mentorship_requests SET status = 'expired' WHERE status = 'pending' AND expires_at <= $1")
                .bind(now)
                .execute(&mut **tx)
                .await?;
            let mut changes = Vec::new();
            for row in due {
                let r = as_of(row.into_request()?, now);
                changes.extend(request_changes(&r));
            }
            Ok(changes)
        }

        /// The changes that bring a user's profile (its open slots) to everyone who sees it,
        /// superseding the older ones (see `update_me`).
        async fn profile_changes(tx: &mut Tx<'_>, user_id: Uuid, today: NaiveDate) -> StoreResult<Vec<NewChange>> {
            let me = load_user(&mut **tx, user_id).await?.ok_or(StoreError::NotFound)?.into_me(today)?;
            // Only the newest version of a profile is served: a peer syncing from the start
            // must not be handed where someone lived or what they wrote before. Clients past
            // the old rows already have them; clients before them get the new ones instead.
            // Snapshots targeted at one member (subject NULL) are theirs and stay.
            sqlx::query("DELETE FROM changes WHERE kind = 'profile' AND subject_user_id = $1")
                .bind(user_id)
                .execute(&mut **tx)
                .await?;
            Ok(vec![NewChange::own_profile(&me), NewChange::profile_to_peers(&Profile::from(me))])
        }

        /// Sets a request's answer and answers it as stored.
        async fn answer_request(
            tx: &mut Tx<'_>,
            id: Uuid,
            status: RequestStatus,
            reason: Option<String>,
            mentorship_id: Option<Uuid>,
            now: DateTime<Utc>,
        ) -> StoreResult<MentorshipRequest> {
            sqlx::query(
                "UPDATE mentorship_requests SET status = $2, decline_reason = $3, mentorship_id = $4, responded_at = $5 \
                 WHERE request_id = $1",
            )
            .bind(id)
            .bind(status.as_str())
            .bind(reason)
            .bind(mentorship_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            load_request(&mut **tx, id).await?.ok_or(StoreError::NotFound)
        }

        impl $store {
            /// Logs `changes`, commits, and wakes the live feed.
            async fn commit_logged(&self, mut tx: Tx<'_>, changes: &[NewChange]) -> StoreResult<()> {
                let seq = log_changes(&mut tx, changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(())
            }

            /// The request `user` answers as `side` (the mentor, or the mentee when
            /// `as_mentee`), read under the counter's lock after expiring due ones.
            async fn request_for_answer(
                &self,
                user: Uuid,
                id: Uuid,
                as_mentee: bool,
                now: DateTime<Utc>,
            ) -> StoreResult<(Tx<'static>, Vec<NewChange>, MentorshipRequest)> {
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let changes = expire_due(&mut tx, now).await?;
                let r = load_request(&mut *tx, id).await?.ok_or(StoreError::NotFound)?;
                let (mine, theirs) = if as_mentee { (r.mentee_id, r.mentor_id) } else { (r.mentor_id, r.mentee_id) };
                if mine != user {
                    return Err(if theirs == user { StoreError::Refused(Refusal::WrongParty) } else { StoreError::NotFound });
                }
                Ok((tx, changes, r))
            }

            /// Sets the answer of a pending request `user` may give; the same answer again
            /// answers the request as it is.
            async fn close_request(
                &self,
                user: Uuid,
                id: Uuid,
                status: RequestStatus,
                reason: Option<String>,
                now: DateTime<Utc>,
            ) -> StoreResult<MentorshipRequest> {
                let now = micros(now);
                let (mut tx, mut changes, r) = self.request_for_answer(user, id, status == RequestStatus::Withdrawn, now).await?;
                let r = if r.status == status {
                    r
                } else if r.status != RequestStatus::Pending {
                    return Err(StoreError::Refused(Refusal::NotPending));
                } else {
                    let r = answer_request(&mut tx, id, status, reason, None, now).await?;
                    changes.extend(request_changes(&r));
                    r
                };
                self.commit_logged(tx, &changes).await?;
                Ok(r)
            }
        }

        #[async_trait::async_trait]
        impl RequestStore for $store {
            async fn create_request(&self, mentee: Uuid, req: NewRequest, now: DateTime<Utc>) -> StoreResult<(MentorshipRequest, bool)> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let mut changes = expire_due(&mut tx, now).await?;
                if let Some(existing) = load_request(&mut *tx, req.request_id).await? {
                    if (existing.mentee_id, existing.mentor_id, existing.message.as_str()) != (mentee, req.mentor_id, req.message.as_str()) {
                        return Err(StoreError::Conflict(vec!["request_id".into()]));
                    }
                    self.commit_logged(tx, &changes).await?;
                    return Ok((existing, false));
                }
                let me = load_user(&mut *tx, mentee).await?.ok_or(StoreError::NotFound)?;
                if !me.mentee_status {
                    return Err(StoreError::Rule { field: "mentee_status", code: "not_a_mentee" });
                }
                if req.mentor_id == mentee {
                    return Err(StoreError::Rule { field: "mentor_id", code: "self" });
                }
                let mentor = load_user(&mut *tx, req.mentor_id).await?;
                let Some(mentor) = mentor.filter(|m| m.mentor_status) else {
                    return Err(StoreError::Rule { field: "mentor_id", code: "not_a_mentor" });
                };
                if blocked_between(&mut *tx, mentee, mentor.user_id).await? {
                    return Err(StoreError::Refused(Refusal::Blocked));
                }
                let (asked, mentored): (i64, i64) = sqlx::query_as(
                    "SELECT (SELECT count(*) FROM mentorship_requests WHERE mentee_id = $1 AND mentor_id = $2 AND status = 'pending'), \
                     (SELECT count(*) FROM mentorships WHERE mentee_id = $1 AND mentor_id = $2 AND status = 'active')",
                )
                .bind(mentee)
                .bind(req.mentor_id)
                .fetch_one(&mut *tx)
                .await?;
                if asked + mentored > 0 {
                    return Err(StoreError::Refused(Refusal::AlreadyAsked));
                }
                let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM mentorship_requests WHERE mentee_id = $1 AND status = 'pending'")
                    .bind(mentee)
                    .fetch_one(&mut *tx)
                    .await?;
                if pending >= program::PENDING_REQUESTS_MAX {
                    return Err(StoreError::Refused(Refusal::TooManyPending));
                }
                if !mentor.accepting_requests || mentor.active_mentees >= mentor.mentee_capacity {
                    return Err(StoreError::Refused(Refusal::MentorUnavailable));
                }
                let expires_at = now + chrono::TimeDelta::days(program::REQUEST_TTL_DAYS);
                let inserted = sqlx::query(
                    "INSERT INTO mentorship_requests (request_id, mentee_id, mentor_id, message, status, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
                )
                .bind(req.request_id)
                .bind(mentee)
                .bind(req.mentor_id)
                .bind(&req.message)
                .bind(now)
                .bind(expires_at)
                .execute(&mut *tx)
                .await;
                if let Err(e) = inserted {
                    // The pending-pair index: the counter's lock makes this a backstop only.
                    return Err(if is_unique_violation(&e) { StoreError::Refused(Refusal::AlreadyAsked) } else { e.into() });
                }
                let created = load_request(&mut *tx, req.request_id).await?.ok_or(StoreError::NotFound)?;
                changes.extend(request_changes(&created));
                // Not peers yet (no conversation shared): each is shown the other's profile, so
                // that the request names them offline. Targeted snapshots, never superseded.
                let today = now.date_naive();
                for (to, about) in [(req.mentor_id, me), (mentee, mentor)] {
                    let profile = lodestar_protocol::Profile::from(about.into_me(today)?);
                    changes.push(NewChange::for_user(to, ChangeKind::Profile, ChangeOp::Upsert, &profile));
                }
                self.commit_logged(tx, &changes).await?;
                Ok((created, true))
            }

            async fn requests(&self, user: Uuid, filter: RequestFilter, now: DateTime<Utc>) -> StoreResult<Vec<MentorshipRequest>> {
                let mut qb = QueryBuilder::<$db>::new(concat!("SELECT ", request_columns!(), " FROM mentorship_requests WHERE "));
                match filter.mailbox {
                    Some(RequestBox::Incoming) => qb.push("mentor_id = ").push_bind(user),
                    Some(RequestBox::Outgoing) => qb.push("mentee_id = ").push_bind(user),
                    None => qb.push("(mentor_id = ").push_bind(user).push(" OR mentee_id = ").push_bind(user).push(")"),
                };
                // Filtered as of `now`, like `as_of` reads them.
                match filter.status {
                    None => {}
                    Some(RequestStatus::Pending) => {
                        qb.push(" AND status = 'pending' AND expires_at > ").push_bind(now);
                    }
                    Some(RequestStatus::Expired) => {
                        qb.push(" AND (status = 'expired' OR (status = 'pending' AND expires_at <= ").push_bind(now).push("))");
                    }
                    Some(other) => {
                        qb.push(" AND status = ").push_bind(other.as_str());
                    }
                }
                qb.push(" ORDER BY created_at DESC, request_id LIMIT 500");
                qb.build_query_as::<RequestRow>()
                    .fetch_all(self.reader())
                    .await?
                    .into_iter()
                    .map(|r| r.into_request().map(|r| as_of(r, now)))
                    .collect()
            }

            async fn accept_request(&self, mentor: Uuid, id: Uuid, now: DateTime<Utc>) -> StoreResult<(MentorshipRequest, Mentorship)> {
                let now = micros(now);
                let (mut tx, mut changes, r) = self.request_for_answer(mentor, id, false, now).await?;
                if r.status == RequestStatus::Accepted {
                    let m = match r.mentorship_id {
                        Some(m) => load_mentorship(&mut *tx, m).await?,
                        None => None,
                    };
                    let m = m.ok_or_else(|| StoreError::Corrupt(format!("accepted request {id} has no mentorship")))?;
                    self.commit_logged(tx, &changes).await?;
                    return Ok((r, m));
                }
                if r.status != RequestStatus::Pending {
                    return Err(StoreError::Refused(Refusal::NotPending));
                }
                // The capacity rule, decided by the row itself (see the module notes).
                let slot = sqlx::query(
                    "UPDATE users SET active_mentees = active_mentees + 1 WHERE user_id = $1 AND active_mentees < mentee_capacity",
                )
                .bind(mentor)
                .execute(&mut *tx)
                .await?;
                if slot.rows_affected() == 0 {
                    return Err(StoreError::Refused(Refusal::MentorUnavailable));
                }
                let (conversation, opened) = ensure_direct(&mut tx, mentor, r.mentee_id, now).await?;
                changes.extend(opened);
                let mentorship_id = mentorship_id_for_request(id);
                let inserted = sqlx::query(
                    "INSERT INTO mentorships (mentorship_id, mentor_id, mentee_id, conversation_id, status, started_at) \
                     VALUES ($1, $2, $3, $4, 'active', $5)",
                )
                .bind(mentorship_id)
                .bind(mentor)
                .bind(r.mentee_id)
                .bind(conversation.conversation_id)
                .bind(now)
                .execute(&mut *tx)
                .await;
                if let Err(e) = inserted {
                    return Err(if is_unique_violation(&e) { StoreError::Refused(Refusal::AlreadyAsked) } else { e.into() });
                }
                let r = answer_request(&mut tx, id, RequestStatus::Accepted, None, Some(mentorship_id), now).await?;
                let m = load_mentorship(&mut *tx, mentorship_id).await?.ok_or(StoreError::NotFound)?;
                changes.extend(request_changes(&r));
                changes.extend(pair_changes([m.mentor_id, m.mentee_id], ChangeKind::Mentorship, &m));
                changes.extend(profile_changes(&mut tx, mentor, now.date_naive()).await?);
                self.commit_logged(tx, &changes).await?;
                Ok((r, m))
            }

            async fn decline_request(&self, mentor: Uuid, id: Uuid, reason: Option<String>, now: DateTime<Utc>) -> StoreResult<MentorshipRequest> {
                self.close_request(mentor, id, RequestStatus::Declined, reason, now).await
            }

            async fn withdraw_request(&self, mentee: Uuid, id: Uuid, now: DateTime<Utc>) -> StoreResult<MentorshipRequest> {
                self.close_request(mentee, id, RequestStatus::Withdrawn, None, now).await
            }

            async fn expire_requests(&self, now: DateTime<Utc>) -> StoreResult<u64> {
                let now = micros(now);
                let due: i64 = sqlx::query_scalar("SELECT count(*) FROM mentorship_requests WHERE status = 'pending' AND expires_at <= $1")
                    .bind(now)
                    .fetch_one(self.reader())
                    .await?;
                if due == 0 {
                    // The timer's usual case: no lock taken.
                    return Ok(0);
                }
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let changes = expire_due(&mut tx, now).await?;
                self.commit_logged(tx, &changes).await?;
                Ok(changes.len() as u64 / 2)
            }
        }
    };
}
