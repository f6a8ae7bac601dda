//! Sessions of a mentorship and their feedback. Only the mentorship's two people see a session;
//! an ended mentorship is read-only; a cancelled session stays cancelled. Every change raises the
//! session's `sequence` (the calendar file's SEQUENCE). The helpers and imports come from
//! `sql_requests!` and `sql_mentorships!`.

/// Expands `SessionStore` for one backend (see `super::impl_store!`).
macro_rules! sql_sessions {
    ($store:ty, $db:ty) => {
        use lodestar_protocol::validate::{NewFeedback, NewSession, SessionPatch};
        use lodestar_protocol::{Feedback, Session, SessionNotes, SessionStatus};
        use $crate::store::mentorship_records::{FeedbackRow, SessionRow};
        use $crate::store::SessionStore;

        async fn load_session(conn: &mut Conn, id: Uuid) -> StoreResult<Option<Session>> {
            sqlx::query_as::<_, SessionRow>(concat!("SELECT ", session_columns!(), " FROM mentorship_sessions WHERE session_id = $1"))
                .bind(id)
                .fetch_optional(conn)
                .await?
                .map(SessionRow::into_session)
                .transpose()
        }

        /// A mentorship's sessions, by start.
        async fn sessions_of(conn: &mut Conn, mentorship_id: Uuid) -> StoreResult<Vec<Session>> {
            sqlx::query_as::<_, SessionRow>(concat!(
                "SELECT ", session_columns!(), " FROM mentorship_sessions WHERE mentorship_id = $1 ORDER BY starts_at, session_id"
            ))
            .bind(mentorship_id)
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(SessionRow::into_session)
            .collect()
        }

        /// The session `user` may see, with its mentorship (`NotFound` otherwise).
        async fn my_session(conn: &mut Conn, user: Uuid, id: Uuid) -> StoreResult<(Session, Mentorship)> {
            let session = load_session(&mut *conn, id).await?.ok_or(StoreError::NotFound)?;
            let m = my_mentorship(conn, user, session.mentorship_id).await?;
            Ok((session, m))
        }

        /// As [`my_session`], for a change: the mentorship must run and the session not be cancelled.
        async fn my_open_session(conn: &mut Conn, user: Uuid, id: Uuid) -> StoreResult<(Session, Mentorship)> {
            let (session, m) = my_session(&mut *conn, user, id).await?;
            my_active_mentorship(conn, user, m.mentorship_id).await?;
            if session.status == SessionStatus::Cancelled {
                return Err(StoreError::Refused(Refusal::Cancelled));
            }
            Ok((session, m))
        }

        impl $store {
            /// Reads a session back after a change in `tx`, tells the mentorship's two people
            /// by sync, and commits: the last step of every session write.
            async fn session_saved(&self, mut tx: Tx<'_>, m: &Mentorship, id: Uuid) -> StoreResult<Session> {
                let session = load_session(&mut *tx, id).await?.ok_or(StoreError::NotFound)?;
                self.commit_logged(tx, &pair_changes(people(m), ChangeKind::Session, &session)).await?;
                Ok(session)
            }
        }

        /// A session's notes as stored: the merged document, its text and when it last changed.
        async fn load_notes(conn: &mut Conn, id: Uuid) -> StoreResult<(Vec<u8>, Option<DateTime<Utc>>)> {
            let row: Option<(Vec<u8>, DateTime<Utc>)> =
                sqlx::query_as("SELECT state, updated_at FROM session_notes WHERE session_id = $1")
                    .bind(id)
                    .fetch_optional(conn)
                    .await?;
            Ok(row.map_or((Vec::new(), None), |(state, at)| (state, Some(at))))
        }

        fn notes(session_id: Uuid, state: &[u8], updated_at: Option<DateTime<Utc>>) -> StoreResult<SessionNotes> {
            let text = lodestar_notes::text(state).map_err(|e| StoreError::Corrupt(format!("session_notes.state: {e}")))?;
            Ok(SessionNotes { session_id, text, state: lodestar_notes::encode(state), updated_at })
        }

        #[async_trait::async_trait]
        impl SessionStore for $store {
            async fn propose_session(&self, user: Uuid, id: Uuid, s: NewSession, now: DateTime<Utc>) -> StoreResult<(Session, bool)> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                if let Some(existing) = load_session(&mut *tx, s.session_id).await? {
                    if (existing.mentorship_id, existing.proposed_by) != (id, user) {
                        return Err(StoreError::Conflict(vec!["session_id".into()]));
                    }
                    return Ok((existing, false));
                }
                let m = my_active_mentorship(&mut *tx, user, id).await?;
                sqlx::query(
                    "INSERT INTO mentorship_sessions (session_id, mentorship_id, starts_at, duration_minutes, time_zone, location, agenda, \
                     status, proposed_by, sequence, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'proposed', $8, 0, $9, $9)",
                )
                .bind(s.session_id)
                .bind(id)
                .bind(micros(s.starts_at))
                .bind(s.duration_minutes)
                .bind(&s.time_zone)
                .bind(&s.location)
                .bind(&s.agenda)
                .bind(user)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                Ok((self.session_saved(tx, &m, s.session_id).await?, true))
            }

            async fn edit_session(&self, user: Uuid, id: Uuid, patch: SessionPatch, now: DateTime<Utc>) -> StoreResult<Session> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let (_, m) = my_open_session(&mut *tx, user, id).await?;
                let mut qb = QueryBuilder::<$db>::new("UPDATE mentorship_sessions SET sequence = sequence + 1, updated_at = ");
                qb.push_bind(now);
                if patch.moves() {
                    // A new time needs the other person's word again.
                    qb.push(", status = 'proposed', confirmed_at = NULL, proposed_by = ").push_bind(user);
                }
                push_set!(qb, "starts_at", patch.starts_at.map(micros));
                push_set!(qb, "duration_minutes", patch.duration_minutes);
                push_set!(qb, "time_zone", patch.time_zone);
                push_set!(qb, "location", patch.location);
                push_set!(qb, "agenda", patch.agenda);
                qb.push(" WHERE session_id = ").push_bind(id);
                qb.build().execute(&mut *tx).await?;
                self.session_saved(tx, &m, id).await
            }

            async fn confirm_session(&self, user: Uuid, id: Uuid, now: DateTime<Utc>) -> StoreResult<Session> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let (session, m) = my_open_session(&mut *tx, user, id).await?;
                if session.status == SessionStatus::Confirmed {
                    return Ok(session);
                }
                if session.proposed_by == user {
                    return Err(StoreError::Refused(Refusal::OwnProposal));
                }
                if session.starts_at <= now {
                    return Err(StoreError::Rule { field: "starts_at", code: "in_the_past" });
                }
                sqlx::query("UPDATE mentorship_sessions SET status = 'confirmed', confirmed_at = $2, sequence = sequence + 1, updated_at = $2 WHERE session_id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                self.session_saved(tx, &m, id).await
            }

            async fn cancel_session(&self, user: Uuid, id: Uuid, reason: Option<String>, now: DateTime<Utc>) -> StoreResult<Session> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                lock_seq_counter(&mut tx).await?;
                let (session, m) = my_session(&mut *tx, user, id).await?;
                if session.status == SessionStatus::Cancelled {
                    return Ok(session);
                }
                my_active_mentorship(&mut *tx, user, m.mentorship_id).await?;
                sqlx::query(
                    "UPDATE mentorship_sessions SET status = 'cancelled', cancelled_by = $2, cancel_reason = $3, sequence = sequence + 1, \
                     updated_at = $4 WHERE session_id = $1",
                )
                .bind(id)
                .bind(user)
                .bind(reason)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                self.session_saved(tx, &m, id).await
            }

            async fn mentorship_session(&self, user: Uuid, id: Uuid) -> StoreResult<(Session, Mentorship)> {
                let mut conn = self.reader().acquire().await?;
                my_session(&mut conn, user, id).await
            }

            async fn give_feedback(&self, user: Uuid, id: Uuid, f: NewFeedback, now: DateTime<Utc>) -> StoreResult<(Feedback, bool)> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                // The writers' lock: two of one person's feedbacks at once replace, never collide.
                lock_seq_counter(&mut tx).await?;
                let (session, _) = my_session(&mut *tx, user, id).await?;
                if !session.held(now) {
                    return Err(StoreError::Rule { field: "session_id", code: "not_held" });
                }
                let before: i64 = sqlx::query_scalar("SELECT count(*) FROM session_feedback WHERE session_id = $1 AND author_id = $2")
                    .bind(id)
                    .bind(user)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO session_feedback (session_id, author_id, rating, fit, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (session_id, author_id) DO UPDATE SET rating = excluded.rating, fit = excluded.fit, \
                     comment = excluded.comment, created_at = excluded.created_at",
                )
                .bind(id)
                .bind(user)
                .bind(f.rating)
                .bind(f.fit.as_str())
                .bind(&f.comment)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let row = sqlx::query_as::<_, FeedbackRow>(concat!(
                    "SELECT ", feedback_columns!(), " FROM session_feedback WHERE session_id = $1 AND author_id = $2"
                ))
                .bind(id)
                .bind(user)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok((row.into_feedback()?, before == 0))
            }

            async fn session_notes(&self, user: Uuid, id: Uuid) -> StoreResult<SessionNotes> {
                let mut conn = self.reader().acquire().await?;
                my_session(&mut conn, user, id).await?;
                let (state, at) = load_notes(&mut conn, id).await?;
                notes(id, &state, at)
            }

            async fn merge_notes(&self, user: Uuid, id: Uuid, update: Vec<u8>, now: DateTime<Utc>) -> StoreResult<SessionNotes> {
                let now = micros(now);
                let mut tx = self.writer().begin().await?;
                // The writers' lock also orders the two people's merges of one document.
                lock_seq_counter(&mut tx).await?;
                let (_, m) = my_session(&mut *tx, user, id).await?;
                my_active_mentorship(&mut *tx, user, m.mentorship_id).await?;
                let (state, at) = load_notes(&mut *tx, id).await?;
                let (merged, text) = lodestar_notes::merge(&state, [update.as_slice()])
                    .map_err(|e| StoreError::Rule { field: "update", code: e.code() })?;
                if merged == state {
                    // Known already (a retry): nothing to store or to tell.
                    tx.commit().await?;
                    return notes(id, &state, at);
                }
                sqlx::query(
                    "INSERT INTO session_notes (session_id, state, text, updated_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, text = excluded.text, updated_at = excluded.updated_at",
                )
                .bind(id)
                .bind(&merged)
                .bind(&text)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let merged_notes = notes(id, &merged, Some(now))?;
                self.commit_logged(tx, &pair_changes(people(&m), ChangeKind::SessionNotes, &merged_notes)).await?;
                Ok(merged_notes)
            }
        }
    };
}
