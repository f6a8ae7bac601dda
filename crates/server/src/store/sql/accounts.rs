//! Accounts, sessions and login throttling.

/// Expands `AccountStore` for one backend (see `super::impl_store!`).
macro_rules! sql_accounts {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl AccountStore for $store {
            async fn is_empty(&self) -> StoreResult<bool> {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(self.reader()).await?;
                Ok(n == 0)
            }

            async fn taken(&self, username: &str, email: &str, phone: Option<&str>) -> StoreResult<Vec<String>> {
                let mut conn = self.reader().acquire().await?;
                taken_fields(&mut conn, None, Some(username), Some(email), phone).await
            }

            async fn create_user(&self, account: NewAccount, now: DateTime<Utc>) -> StoreResult<Me> {
                let now = micros(now);
                let u = &account.user;
                let p = &u.profile;
                let (search_text, industry_key) =
                    search_keys(&u.username, p.job_title.as_deref(), p.bio.as_deref(), &p.skills, p.industry.as_deref());
                let mut tx = self.writer().begin().await?;
                let taken = taken_fields(&mut *tx, None, Some(&u.username), Some(&u.email), p.phone_number.as_deref()).await?;
                if !taken.is_empty() {
                    return Err(StoreError::Conflict(taken));
                }
                // The counter before the insert's unique-index entries, which a profile edit
                // holding the counter may wait for (see "Lock order" in store/mod.rs).
                lock_seq_counter(&mut tx).await?;
                let user_id = Uuid::new_v4();
                let inserted = sqlx::query(
                    "INSERT INTO users (user_id, username, email, phone_number, password_hash, date_of_birth, \
                     city, state, age, profile_picture_url, bio, mentor_status, mentee_status, job_title, \
                     years_of_experience, industry, skills, interests, created_at, search_text, industry_key, \
                     mentee_capacity, accepting_requests) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
                )
                .bind(user_id)
                .bind(&u.username)
                .bind(&u.email)
                .bind(&p.phone_number)
                .bind(&account.password_hash)
                .bind(u.date_of_birth)
                .bind(&p.city)
                .bind(&p.state)
                .bind(lodestar_protocol::validate::age_on(u.date_of_birth, now.date_naive()))
                .bind(&p.profile_picture_url)
                .bind(&p.bio)
                .bind(p.mentor_status)
                .bind(p.mentee_status)
                .bind(&p.job_title)
                .bind(p.years_of_experience)
                .bind(&p.industry)
                .bind(tags_json(&p.skills))
                .bind(tags_json(&p.interests))
                .bind(now)
                .bind(search_text)
                .bind(industry_key)
                .bind(p.mentee_capacity)
                .bind(p.accepting_requests)
                .execute(&mut *tx)
                .await;
                if let Err(e) = inserted {
                    if is_unique_violation(&e) {
                        // Someone took a value between our check and our insert: name it.
                        drop(tx);
                        let mut conn = self.reader().acquire().await?;
                        let taken = taken_fields(&mut conn, None, Some(&u.username), Some(&u.email), p.phone_number.as_deref()).await?;
                        return Err(StoreError::Conflict(if taken.is_empty() { vec!["username".into()] } else { taken }));
                    }
                    return Err(e.into());
                }
                let me = load_user(&mut *tx, user_id).await?.ok_or(StoreError::NotFound)?.into_me(now.date_naive())?;
                let seq = log_changes(&mut tx, &[NewChange::own_profile(&me)]).await?;
                tx.commit().await?;
                self.after_commit(seq).await;
                Ok(me)
            }

            async fn find_login(&self, login: &str) -> StoreResult<Option<LoginRecord>> {
                let row: Option<(Uuid, String, Option<DateTime<Utc>>, Option<String>)> = sqlx::query_as(
                    "SELECT user_id, password_hash, suspended_at, suspended_reason FROM users \
                     WHERE lower(username) = lower($1) OR lower(email) = lower($1)",
                )
                .bind(login.trim())
                .fetch_optional(self.reader())
                .await?;
                Ok(row.map(|(user_id, password_hash, suspended_at, reason)| LoginRecord {
                    user_id,
                    password_hash,
                    suspended: suspended_at.map(|_| reason.unwrap_or_default()),
                }))
            }

            async fn password_hash(&self, user_id: Uuid) -> StoreResult<String> {
                sqlx::query_scalar("SELECT password_hash FROM users WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_optional(self.reader())
                    .await?
                    .ok_or(StoreError::NotFound)
            }

            async fn set_password_hash(&self, user_id: Uuid, hash: &str, keep_token_hash: &str) -> StoreResult<()> {
                let mut tx = self.writer().begin().await?;
                sqlx::query("UPDATE users SET password_hash = $2 WHERE user_id = $1")
                    .bind(user_id)
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                    .bind(user_id)
                    .bind(keep_token_hash)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_session(&self, user_id: Uuid, token_hash: &str, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> StoreResult<()> {
                let (now, expires_at) = (micros(now), micros(expires_at));
                let mut tx = self.writer().begin().await?;
                // Expired sessions of this user are dead weight; drop them as a new one starts.
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
                    .bind(user_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(now)
                    .bind(expires_at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Uuid>> {
                Ok(sqlx::query_scalar("SELECT s.user_id FROM sessions s JOIN users u ON u.user_id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.suspended_at IS NULL")
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(self.reader())
                    .await?)
            }

            async fn valid_sessions(&self, token_hashes: &[String], now: DateTime<Utc>) -> StoreResult<Vec<String>> {
                let mut valid = Vec::with_capacity(token_hashes.len());
                // Bounded lists: SQLite and PostgreSQL both take this many parameters at once.
                for chunk in token_hashes.chunks(1_000) {
                    let mut qb = QueryBuilder::<$db>::new(
                        "SELECT s.token_hash FROM sessions s JOIN users u ON u.user_id = s.user_id \
                         WHERE u.suspended_at IS NULL AND s.expires_at > ",
                    );
                    qb.push_bind(micros(now)).push(" AND s.token_hash IN (");
                    let mut list = qb.separated(", ");
                    for hash in chunk {
                        list.push_bind(hash);
                    }
                    qb.push(")");
                    valid.extend(qb.build_query_scalar::<String>().fetch_all(self.reader()).await?);
                }
                Ok(valid)
            }

            async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(self.writer()).await?;
                Ok(())
            }

            async fn record_attempt(&self, keys: &[String], attempt: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
                let at = micros(at);
                let mut tx = self.writer().begin().await?;
                for key in keys {
                    sqlx::query("INSERT INTO login_failures (key, failed_at, attempt_id) VALUES ($1, $2, $3)")
                        .bind(key)
                        .bind(at)
                        .bind(attempt)
                        .execute(&mut *tx)
                        .await?;
                }
                // Old entries are no longer needed by any window.
                sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
                    .bind(at - chrono::Duration::days(1))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn forget_attempt(&self, attempt: Uuid) -> StoreResult<()> {
                sqlx::query("DELETE FROM login_failures WHERE attempt_id = $1").bind(attempt).execute(self.writer()).await?;
                Ok(())
            }

            async fn login_failures(&self, key: &str, since: DateTime<Utc>) -> StoreResult<(i64, Option<DateTime<Utc>>)> {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM login_failures WHERE key = $1 AND failed_at > $2")
                    .bind(key)
                    .bind(since)
                    .fetch_one(self.reader())
                    .await?;
                let oldest: Option<DateTime<Utc>> = sqlx::query_scalar(
                    "SELECT failed_at FROM login_failures WHERE key = $1 AND failed_at > $2 ORDER BY failed_at LIMIT 1",
                )
                .bind(key)
                .bind(since)
                .fetch_optional(self.reader())
                .await?;
                Ok((n, oldest))
            }

            async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
                sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(self.writer()).await?;
                Ok(())
            }

        }
    };
}
