//! The program's figures (see `store/stats.rs`).

/// Expands `StatsStore` for one backend (see `super::impl_store!`).
macro_rules! sql_stats {
    ($store:ty, $db:ty) => {
        use lodestar_protocol::{
            FeedbackStats, MentorshipStats, ProgramStats, RequestStats, ResponseBucket, SessionStats, UserStats,
            WeekCount, RESPONSE_BUCKETS,
        };
        use $crate::store::sql::Dialect;

        /// Weeks of sessions the chart shows.
        const WEEKS: i64 = 12;

        /// Counts by a text key (`status`), of a query taking `now` as `$1` or nothing.
        async fn counts(conn: &mut Conn, sql: &str, now: Option<DateTime<Utc>>) -> StoreResult<HashMap<String, i64>> {
            let query = sqlx::query_as::<_, (String, i64)>(sql);
            let query = match now {
                Some(now) => query.bind(now),
                None => query,
            };
            Ok(query.fetch_all(conn).await?.into_iter().collect())
        }

        /// The median hours from a request to its answer.
        async fn median_response_hours(conn: &mut Conn) -> StoreResult<Option<f64>> {
            const ANSWERED: &str = "FROM mentorship_requests WHERE status IN ('accepted', 'declined') AND responded_at IS NOT NULL";
            let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) {ANSWERED}")).fetch_one(&mut *conn).await?;
            if n == 0 {
                return Ok(None);
            }
            let hours = <$db as Dialect>::hours_between("responded_at", "created_at");
            let middle: Vec<f64> = sqlx::query_scalar(&format!("SELECT {hours} AS h {ANSWERED} ORDER BY h LIMIT $1 OFFSET $2"))
                .bind(if n % 2 == 0 { 2_i64 } else { 1 })
                .bind((n - 1) / 2)
                .fetch_all(&mut *conn)
                .await?;
            Ok((!middle.is_empty()).then(|| middle.iter().sum::<f64>() / middle.len() as f64))
        }

        /// How long answers took, bucketed by [`RESPONSE_BUCKETS`] (the last bucket open).
        async fn response_times(conn: &mut Conn) -> StoreResult<Vec<ResponseBucket>> {
            let hours = <$db as Dialect>::hours_between("responded_at", "created_at");
            let mut case = String::from("CASE");
            for (i, bound) in RESPONSE_BUCKETS.iter().enumerate() {
                case.push_str(&format!(" WHEN h <= {bound} THEN {i}"));
            }
            case.push_str(&format!(" ELSE {} END", RESPONSE_BUCKETS.len()));
            let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
                "SELECT CAST({case} AS BIGINT) AS b, count(*) FROM (SELECT {hours} AS h FROM mentorship_requests \
                 WHERE status IN ('accepted', 'declined') AND responded_at IS NOT NULL) answered GROUP BY b"
            ))
            .fetch_all(conn)
            .await?;
            let counts: HashMap<i64, i64> = rows.into_iter().collect();
            let bounds = RESPONSE_BUCKETS.iter().map(|b| Some(*b)).chain([None]);
            Ok(bounds
                .enumerate()
                .map(|(i, up_to_hours)| ResponseBucket { up_to_hours, count: counts.get(&(i as i64)).copied().unwrap_or(0) })
                .collect())
        }

        /// Sessions held in each of the last [`WEEKS`] weeks, oldest first.
        async fn held_by_week(conn: &mut Conn, now: DateTime<Utc>) -> StoreResult<Vec<WeekCount>> {
            let start = now - chrono::TimeDelta::weeks(WEEKS);
            let week = <$db as Dialect>::whole(&format!("{} / 168.0", <$db as Dialect>::hours_between("starts_at", "$1")));
            let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
                "SELECT {week} AS w, count(*) FROM mentorship_sessions \
                 WHERE status = 'confirmed' AND starts_at >= $1 AND starts_at <= $2 GROUP BY w"
            ))
            .bind(start)
            .bind(now)
            .fetch_all(conn)
            .await?;
            let by_week: HashMap<i64, i64> = rows.into_iter().collect();
            Ok((0..WEEKS)
                .map(|w| WeekCount {
                    week_start: (start + chrono::TimeDelta::weeks(w)).date_naive(),
                    count: by_week.get(&w).copied().unwrap_or(0),
                })
                .collect())
        }

        #[async_trait::async_trait]
        impl $crate::store::StatsStore for $store {
            async fn program_stats(&self, now: DateTime<Utc>) -> StoreResult<ProgramStats> {
                let mut conn = self.reader().acquire().await?;
                let month_ago = now - chrono::TimeDelta::days(30);
                let (mentors, mentees, minors, suspended): (i64, i64, i64, i64) = sqlx::query_as(
                    "SELECT COALESCE(SUM(CASE WHEN mentor_status THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN mentee_status THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN date_of_birth > $1 THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN suspended_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM users",
                )
                .bind(adult_born_by(now.date_naive()))
                .fetch_one(&mut *conn)
                .await?;
                let requests = counts(
                    &mut conn,
                    "SELECT CASE WHEN status = 'pending' AND expires_at <= $1 THEN 'expired' ELSE status END AS s, count(*) \
                     FROM mentorship_requests GROUP BY s",
                    Some(now),
                )
                .await?;
                let mentorships = counts(&mut conn, "SELECT status, count(*) FROM mentorships GROUP BY status", None).await?;
                let (held_30d, cancelled_30d): (i64, i64) = sqlx::query_as(
                    "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' AND starts_at >= $1 AND starts_at <= $2 THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN status = 'cancelled' AND updated_at >= $1 THEN 1 ELSE 0 END), 0) \
                     FROM mentorship_sessions WHERE starts_at >= $1 OR updated_at >= $1",
                )
                .bind(month_ago)
                .bind(now)
                .fetch_one(&mut *conn)
                .await?;
                let (given, average_rating, poor_fit): (i64, Option<f64>, i64) = sqlx::query_as(
                    "SELECT count(*), CAST(AVG(rating) AS DOUBLE PRECISION), \
                     COALESCE(SUM(CASE WHEN fit = 'poor' THEN 1 ELSE 0 END), 0) FROM session_feedback",
                )
                .fetch_one(&mut *conn)
                .await?;
                let messages_30d: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE sent_at >= $1")
                    .bind(month_ago)
                    .fetch_one(&mut *conn)
                    .await?;
                let reports_open: i64 = sqlx::query_scalar("SELECT count(*) FROM reports WHERE status = 'open'")
                    .fetch_one(&mut *conn)
                    .await?;
                let held_open: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE status = 'held'")
                    .fetch_one(&mut *conn)
                    .await?;
                let count = |m: &HashMap<String, i64>, k: &str| m.get(k).copied().unwrap_or(0);
                Ok(ProgramStats {
                    users: UserStats { mentors, mentees, minors, suspended },
                    requests: RequestStats {
                        pending: count(&requests, "pending"),
                        accepted: count(&requests, "accepted"),
                        declined: count(&requests, "declined"),
                        expired: count(&requests, "expired"),
                        withdrawn: count(&requests, "withdrawn"),
                        median_response_hours: median_response_hours(&mut conn).await?,
                        response_times: response_times(&mut conn).await?,
                    },
                    mentorships: MentorshipStats { active: count(&mentorships, "active"), ended: count(&mentorships, "ended") },
                    sessions: SessionStats { held_30d, cancelled_30d, held_by_week: held_by_week(&mut conn, now).await? },
                    feedback: FeedbackStats { count: given, average_rating, poor_fit },
                    messages_30d,
                    reports_open,
                    held_open,
                })
            }
        }
    };
}
