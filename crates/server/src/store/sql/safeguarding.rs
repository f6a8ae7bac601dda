//! Who may talk to a minor (PROGRAM.md, "Minors"): a direct conversation between a minor and
//! an adult exists only inside an active mentorship between the two.

/// The helpers the sends and direct conversations use.
macro_rules! sql_safeguarding {
    ($store:ty, $db:ty) => {
        /// The latest date of birth of someone who is an adult on `today`.
        fn adult_born_by(today: NaiveDate) -> NaiveDate {
            today.checked_sub_months(chrono::Months::new(18 * 12)).unwrap_or(NaiveDate::MIN)
        }

        /// A participant of a direct conversation in a send's batch (see `direct_facts`).
        struct DirectFact {
            conversation_id: Uuid,
            born: NaiveDate,
            in_block: bool,
        }

        /// Of the direct conversations `facts` describe, those between a minor and an adult,
        /// each with whether an active mentorship of theirs sanctions it; no query unless one is.
        async fn safeguarded(
            conn: &mut Conn,
            facts: &[DirectFact],
            today: NaiveDate,
        ) -> StoreResult<HashMap<Uuid, bool>> {
            let born_by = adult_born_by(today);
            let mut ages: HashMap<Uuid, (bool, bool)> = HashMap::new();
            for f in facts {
                let (minor, adult) = ages.entry(f.conversation_id).or_default();
                if f.born > born_by {
                    *minor = true;
                } else {
                    *adult = true;
                }
            }
            let mixed: Vec<Uuid> = ages.into_iter().filter(|(_, (m, a))| *m && *a).map(|(c, _)| c).collect();
            let mut out = HashMap::new();
            if mixed.is_empty() {
                return Ok(out);
            }
            let mut qb = QueryBuilder::<$db>::new(
                "SELECT conversation_id FROM mentorships WHERE status = 'active' AND conversation_id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in &mixed {
                sep.push_bind(*id);
            }
            qb.push(")");
            let sanctioned: HashSet<Uuid> = qb.build_query_scalar::<Uuid>().fetch_all(&mut *conn).await?.into_iter().collect();
            out.extend(mixed.into_iter().map(|id| (id, sanctioned.contains(&id))));
            Ok(out)
        }

        /// Whether `a` and `b` are a minor and an adult with no active mentorship between them.
        async fn kept_safe(conn: &mut Conn, a: Uuid, b: Uuid, today: NaiveDate) -> StoreResult<bool> {
            let born: Vec<NaiveDate> = sqlx::query_scalar("SELECT date_of_birth FROM users WHERE user_id IN ($1, $2)")
                .bind(a)
                .bind(b)
                .fetch_all(&mut *conn)
                .await?;
            let born_by = adult_born_by(today);
            let minors = born.iter().filter(|d| **d > born_by).count();
            if born.len() != 2 || minors != 1 {
                return Ok(false);
            }
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM mentorships WHERE status = 'active' AND \
                 ((mentor_id = $1 AND mentee_id = $2) OR (mentor_id = $2 AND mentee_id = $1))",
            )
            .bind(a)
            .bind(b)
            .fetch_one(&mut *conn)
            .await?;
            Ok(n == 0)
        }
    };
}
