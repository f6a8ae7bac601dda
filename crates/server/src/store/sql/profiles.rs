//! Profiles and the directory.

/// Expands `ProfileStore` for one backend (see `super::impl_store!`).
macro_rules! sql_profiles {
    ($store:ty, $db:ty) => {
        /// How a substring filter on a text column of `users` reads its rows.
        enum Contains {
            /// Through the trigram index (migration 0016): a rare text, or the planner decides.
            Indexed(&'static str, String),
            /// Row by row in username order: a common text (a page is found at once).
            Scanned(&'static str, String),
            /// Escaped, row by row: the text holds LIKE's own wildcards, which no trigram
            /// index takes with an ESCAPE.
            Escaped(&'static str, String),
        }

        /// Below this many matches a text counts as rare (see `Dialect::users_text_probe`).
        const RARE: i64 = 1000;

        /// How to filter `column` on containing `needle` (already folded).
        async fn contains(pool: &sqlx::Pool<$db>, column: &'static str, needle: &str) -> StoreResult<Contains> {
            if needle.contains(['%', '_', '\\']) {
                return Ok(Contains::Escaped(column, format!("%{}%", like_escape(needle))));
            }
            let pattern = format!("%{needle}%");
            let Some(probe) = <$db as Dialect>::users_text_probe(column, RARE) else {
                return Ok(Contains::Indexed(column, pattern));
            };
            let found: i64 = sqlx::query_scalar(&probe).bind(&pattern).fetch_one(pool).await?;
            Ok(if found < RARE { Contains::Indexed(column, pattern) } else { Contains::Scanned(column, pattern) })
        }

        impl Contains {
            fn push(self, qb: &mut QueryBuilder<'_, $db>) {
                match self {
                    Contains::Indexed(column, pattern) => {
                        let (open, close) = <$db as Dialect>::users_text_like(column);
                        qb.push(" AND ").push(open).push_bind(pattern).push(close);
                    }
                    Contains::Scanned(column, pattern) => {
                        qb.push(format!(" AND {column} LIKE ")).push_bind(pattern);
                    }
                    Contains::Escaped(column, pattern) => {
                        qb.push(format!(" AND {column} LIKE ")).push_bind(pattern).push(" ESCAPE '\\'");
                    }
                }
            }
        }

        #[async_trait::async_trait]
        impl ProfileStore for $store {
            async fn me(&self, user_id: Uuid, today: NaiveDate) -> StoreResult<Me> {
                let mut conn = self.reader().acquire().await?;
                load_user(&mut conn, user_id).await?.ok_or(StoreError::NotFound)?.into_me(today)
            }

            async fn profile(&self, user_id: Uuid, today: NaiveDate) -> StoreResult<Profile> {
                let mut conn = self.reader().acquire().await?;
                load_user(&mut conn, user_id).await?.ok_or(StoreError::NotFound)?.into_profile(today)
            }

            async fn update_me(&self, user_id: Uuid, patch: ProfilePatch, today: NaiveDate) -> StoreResult<Me> {
                let mut tx = self.writer().begin().await?;
                let phone = patch.phone_number.as_ref().and_then(|p| p.as_deref());
                let taken = taken_fields(&mut *tx, Some(user_id), patch.username.as_deref(), patch.email.as_deref(), phone).await?;
                if !taken.is_empty() {
                    return Err(StoreError::Conflict(taken));
                }
                // Before the row lock: a new phone number is a key update, which would wait for a
                // send that holds the counter and checks this user's row (see store/mod.rs).
                lock_seq_counter(&mut tx).await?;
                let mut qb = QueryBuilder::<$db>::new("UPDATE users SET user_id = user_id");
                push_set!(qb, "username", patch.username.clone());
                push_set!(qb, "email", patch.email.clone());
                push_set!(qb, "date_of_birth", patch.date_of_birth);
                if let Some(dob) = patch.date_of_birth {
                    qb.push(", age = ").push_bind(lodestar_protocol::validate::age_on(dob, today));
                }
                push_set!(qb, "phone_number", patch.phone_number.clone());
                push_set!(qb, "city", patch.city.clone());
                push_set!(qb, "state", patch.state.clone());
                push_set!(qb, "profile_picture_url", patch.profile_picture_url.clone());
                push_set!(qb, "bio", patch.bio.clone());
                push_set!(qb, "mentor_status", patch.mentor_status);
                push_set!(qb, "mentee_status", patch.mentee_status);
                push_set!(qb, "job_title", patch.job_title.clone());
                push_set!(qb, "years_of_experience", patch.years_of_experience);
                push_set!(qb, "industry", patch.industry.clone());
                push_set!(qb, "skills", patch.skills.as_deref().map(tags_json));
                push_set!(qb, "interests", patch.interests.as_deref().map(tags_json));
                push_set!(qb, "mentee_capacity", patch.mentee_capacity);
                push_set!(qb, "accepting_requests", patch.accepting_requests);
                qb.push(" WHERE user_id = ").push_bind(user_id);
                if let Err(e) = qb.build().execute(&mut *tx).await {
                    if is_unique_violation(&e) {
                        // Someone took a value between our check and our update: name it.
                        drop(tx);
                        let mut conn = self.reader().acquire().await?;
                        let taken = taken_fields(&mut conn, Some(user_id), patch.username.as_deref(), patch.email.as_deref(), phone).await?;
                        return Err(StoreError::Conflict(if taken.is_empty() { vec!["username".into()] } else { taken }));
                    }
                    return Err(e.into());
                }
                let row = load_user(&mut *tx, user_id).await?.ok_or(StoreError::NotFound)?;
                let (search_text, industry_key) = row.search_keys()?;
                sqlx::query("UPDATE users SET search_text = $2, industry_key = $3 WHERE user_id = $1")
                    .bind(user_id)
                    .bind(search_text)
                    .bind(industry_key)
                    .execute(&mut *tx)
                    .await?;
                let me = row.into_me(today)?;
                let changes = profile_changes(&mut tx, user_id, today).await?;
                let seq = log_changes(&mut tx, &changes).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(me)
            }

            async fn search_users(&self, q: &UsersQuery, limit: i64, today: NaiveDate) -> StoreResult<Vec<Profile>> {
                let mut qb = QueryBuilder::<$db>::new(concat!("SELECT ", user_columns!(), " FROM users WHERE suspended_at IS NULL"));
                if let Some(u) = q.username.as_deref() {
                    qb.push(" AND lower(username) = ").push_bind(u.trim().to_lowercase());
                }
                if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    contains(self.reader(), "search_text", &text.to_lowercase()).await?.push(&mut qb);
                }
                // A NULL status reads as false (records.rs), so it filters as false too.
                if let Some(m) = q.mentor {
                    qb.push(" AND coalesce(mentor_status, FALSE) = ").push_bind(m);
                }
                if let Some(m) = q.mentee {
                    qb.push(" AND coalesce(mentee_status, FALSE) = ").push_bind(m);
                }
                if let Some(skill) = q.skill.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    // Tags are stored as a JSON array of lower-case strings: match one whole tag.
                    let quoted = serde_json::to_string(&skill.to_lowercase()).unwrap_or_default();
                    contains(self.reader(), "skills", &quoted).await?.push(&mut qb);
                }
                if let Some(ind) = q.industry.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    qb.push(" AND industry_key = ").push_bind(ind.to_lowercase());
                }
                if let Some(st) = q.state.as_deref() {
                    qb.push(" AND state = ").push_bind(st.trim().to_ascii_uppercase());
                }
                if q.accepting == Some(true) {
                    qb.push(" AND mentor_status = ").push_bind(true)
                        .push(" AND accepting_requests = ").push_bind(true)
                        .push(" AND active_mentees < mentee_capacity");
                }
                if let Some(y) = q.min_years {
                    qb.push(" AND years_of_experience >= ").push_bind(y);
                }
                if let Some(after) = q.cursor.as_deref() {
                    qb.push(" AND username > ").push_bind(after.to_owned());
                }
                qb.push(" ORDER BY username LIMIT ").push_bind(limit);
                qb.build_query_as::<UserRow>()
                    .fetch_all(self.reader())
                    .await?
                    .into_iter()
                    .map(|u| u.into_profile(today))
                    .collect()
            }

            async fn match_candidates(&self, me: Uuid, mentors: bool, ground: &CommonGround, take: i64) -> StoreResult<Vec<Candidate>> {
                use $crate::matching::{INDUSTRY_POINTS, INTEREST_POINTS, SKILL_POINTS, STATE_POINTS, YEAR_POINTS};
                if ground.is_empty() || take <= 0 {
                    return Ok(Vec::new());
                }
                // How many of `tags` the candidate holds in any of `columns` (JSON arrays of
                // lower-case strings: one whole tag).
                fn count(qb: &mut QueryBuilder<'_, $db>, tags: &[String], columns: &[&str]) {
                    qb.push("(0");
                    for tag in tags {
                        let quoted = serde_json::to_string(&tag.to_lowercase()).unwrap_or_default();
                        qb.push(" + CASE WHEN FALSE");
                        for column in columns {
                            let (open, close) = <$db as Dialect>::holds(column);
                            qb.push(" OR ").push(open).push_bind(quoted.clone()).push(close);
                        }
                        qb.push(" THEN 1 ELSE 0 END");
                    }
                    qb.push(")");
                }
                // Points of a part counted `n` times (`matching::part`), in SQL.
                let part = |n: &str, (points, full): (i64, i64)| {
                    format!("(CASE WHEN {n} > {full} THEN {full} WHEN {n} > 0 THEN {n} ELSE 0 END) * {points} / {full}")
                };
                let mut qb = QueryBuilder::<$db>::new(format!("SELECT {CANDIDATE_COLUMNS} FROM (SELECT {CANDIDATE_COLUMNS}, "));
                count(&mut qb, &ground.skills, ground.skill_columns);
                qb.push(" AS shared_skills, ");
                count(&mut qb, &ground.interests, &["interests"]);
                qb.push(" AS shared_interests, CASE WHEN industry_key = ")
                    .push_bind(ground.industry.as_deref().map(str::to_lowercase))
                    .push(" THEN 1 ELSE 0 END AS same_industry, CASE WHEN state = ")
                    .push_bind(ground.state.clone())
                    .push(" THEN 1 ELSE 0 END AS same_state FROM users WHERE suspended_at IS NULL AND user_id <> ")
                    .push_bind(me);
                if mentors {
                    // PROGRAM.md: a mentee is never shown a mentor who takes no requests now.
                    qb.push(" AND mentor_status = ").push_bind(true)
                        .push(" AND accepting_requests = ").push_bind(true)
                        .push(" AND active_mentees < mentee_capacity");
                } else {
                    qb.push(" AND mentee_status = ").push_bind(true);
                }
                // Something in common, then the best by the points `matching::score` gives.
                qb.push(") AS c WHERE shared_skills + shared_interests + same_industry + same_state > 0 ORDER BY ");
                qb.push(part("shared_skills", SKILL_POINTS)).push(" + ");
                qb.push(part("shared_interests", INTEREST_POINTS));
                qb.push(format!(" + same_industry * {INDUSTRY_POINTS} + same_state * {STATE_POINTS}"));
                if ground.their_years {
                    qb.push(" + ").push(part("years_of_experience", YEAR_POINTS));
                }
                qb.push(" DESC, username LIMIT ").push_bind(take);
                qb.build_query_as::<CandidateRow>()
                    .fetch_all(self.reader())
                    .await?
                    .into_iter()
                    .map(CandidateRow::into_candidate)
                    .collect()
            }

            async fn profiles_of(&self, ids: &[Uuid], today: NaiveDate) -> StoreResult<Vec<Profile>> {
                let mut conn = self.reader().acquire().await?;
                load_users(&mut conn, ids).await?.into_iter().map(|u| u.into_profile(today)).collect()
            }

            async fn missing_users(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>> {
                let mut conn = self.reader().acquire().await?;
                let found: HashSet<Uuid> = load_users(&mut conn, ids).await?.into_iter().map(|u| u.user_id).collect();
                Ok(ids.iter().copied().filter(|id| !found.contains(id)).collect())
            }

        }
    };
}
