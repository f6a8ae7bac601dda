//! The generated members of the directory group: a fixed vocabulary, a deterministic
//! generator, and the bulk write into a fresh server's database (both backends).

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use lodestar_tests::{Backend, Database};
use uuid::Uuid;

/// Rows per INSERT (23 binds each: well under both backends' limits).
const CHUNK: usize = 500;

pub(super) const SKILLS: &[&str] = &[
    "rust",
    "python",
    "go",
    "java",
    "kotlin",
    "swift",
    "typescript",
    "react",
    "svelte",
    "sql",
    "postgres",
    "kubernetes",
    "terraform",
    "aws",
    "gcp",
    "azure",
    "security",
    "testing",
    "design",
    "ux research",
    "product",
    "roadmaps",
    "marketing",
    "seo",
    "sales",
    "negotiation",
    "finance",
    "accounting",
    "fundraising",
    "public speaking",
    "writing",
    "editing",
    "data",
    "statistics",
    "machine learning",
    "nlp",
    "vision",
    "robotics",
    "embedded",
    "fpga",
    "networking",
    "linux",
    "devops",
    "sre",
    "mobile",
    "android",
    "ios",
    "leadership",
    "hiring",
    "coaching",
    "career change",
    "law",
    "policy",
    "healthcare",
    "biology",
    "chemistry",
    "teaching",
    "research",
    "startups",
    "operations",
];
pub(super) const INTERESTS: &[&str] = &[
    "open source",
    "climbing",
    "chess",
    "music",
    "photography",
    "running",
    "cooking",
    "volunteering",
    "gaming",
    "reading",
    "travel",
    "languages",
    "art",
    "film",
    "cycling",
    "gardening",
    "podcasts",
    "hiking",
    "teaching kids",
    "mentoring",
];
pub(super) const INDUSTRIES: &[&str] = &[
    "Software",
    "Fintech",
    "Healthcare",
    "Education",
    "Retail",
    "Energy",
    "Media",
    "Government",
    "Nonprofit",
    "Manufacturing",
    "Logistics",
    "Consulting",
    "Biotech",
    "Gaming",
    "Legal",
];
pub(super) const STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY",
];
pub(super) const TITLES: &[&str] = &[
    "Software Engineer",
    "Staff Engineer",
    "Product Manager",
    "Designer",
    "Data Scientist",
    "Accountant",
    "Nurse",
    "Teacher",
    "Founder",
    "Analyst",
    "Recruiter",
    "Lawyer",
    "Student",
];

/// A small deterministic generator (xorshift64*): the same members on every run.
pub(super) struct Dice(pub(super) u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    /// `count` different tags of `from`, sorted as a profile stores them.
    fn tags(&mut self, from: &[&str], count: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        while out.len() < count.min(from.len()) {
            let t = self.pick(from).to_owned();
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out.sort();
        out
    }
}

/// One generated member, as the `users` table holds them.
struct Member {
    user_id: Uuid,
    username: String,
    email: String,
    date_of_birth: NaiveDate,
    age: i64,
    city: String,
    state: String,
    bio: String,
    mentor: bool,
    mentee: bool,
    job_title: String,
    years: i64,
    industry: String,
    skills: String,
    interests: String,
    search_text: String,
    industry_key: String,
    capacity: i64,
    accepting: bool,
    active: i64,
}

fn member(i: usize, dice: &mut Dice) -> Member {
    let username = format!("m{i:06}");
    let mentor = dice.below(10) < 3;
    let mentee = !mentor || dice.below(10) == 0;
    let years = dice.below(30) as i64;
    let (skill_count, interest_count) = (2 + dice.below(5), 1 + dice.below(3));
    let skills = dice.tags(SKILLS, skill_count);
    let interests = dice.tags(INTERESTS, interest_count);
    let job_title = dice.pick(TITLES).to_owned();
    let industry = dice.pick(INDUSTRIES).to_owned();
    let bio = format!("{} in {}; likes {}.", job_title, industry, interests.join(" and "));
    // The server's own folding (store/records.rs, search_keys): username, title, bio, skills.
    let mut text = vec![username.as_str(), job_title.as_str(), bio.as_str()];
    text.extend(skills.iter().map(String::as_str));
    let search_text = text.join("\n").to_lowercase();
    let capacity = 1 + dice.below(4) as i64;
    let age = 19 + dice.below(45) as i64;
    Member {
        user_id: Uuid::from_u64_pair(0x6c6f_6465_7374_6172, i as u64),
        email: format!("{username}@members.example.org"),
        date_of_birth: NaiveDate::from_ymd_opt(2026 - age as i32, 1 + dice.below(12) as u32, 1)
            .unwrap_or_default(),
        age,
        city: format!("City {}", dice.below(400)),
        state: dice.pick(STATES).to_owned(),
        bio,
        mentor,
        mentee,
        job_title,
        years,
        industry_key: industry.to_lowercase(),
        industry,
        skills: serde_json::to_string(&skills).unwrap_or_default(),
        interests: serde_json::to_string(&interests).unwrap_or_default(),
        search_text,
        capacity,
        accepting: dice.below(10) < 8,
        active: if mentor { dice.below(capacity as usize + 1) as i64 } else { 0 },
        username,
    }
}

/// The INSERT for one backend's pool type: the same statement and binds on both.
macro_rules! insert_members {
    ($pool:expr, $db:ty, $members:expr, $hash:expr) => {{
        let mut tx = $pool.begin().await?;
        for chunk in $members.chunks(CHUNK) {
            let mut qb = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO users (user_id, username, email, password_hash, date_of_birth, age, \
                 city, state, bio, mentor_status, mentee_status, job_title, years_of_experience, \
                 industry, skills, interests, created_at, search_text, industry_key, \
                 mentee_capacity, accepting_requests, active_mentees) ",
            );
            qb.push_values(chunk, |mut b, m: &Member| {
                b.push_bind(m.user_id)
                    .push_bind(&m.username)
                    .push_bind(&m.email)
                    .push_bind($hash)
                    .push_bind(m.date_of_birth)
                    .push_bind(m.age)
                    .push_bind(&m.city)
                    .push_bind(&m.state)
                    .push_bind(&m.bio)
                    .push_bind(m.mentor)
                    .push_bind(m.mentee)
                    .push_bind(&m.job_title)
                    .push_bind(m.years)
                    .push_bind(&m.industry)
                    .push_bind(&m.skills)
                    .push_bind(&m.interests)
                    .push_bind(Utc::now())
                    .push_bind(&m.search_text)
                    .push_bind(&m.industry_key)
                    .push_bind(m.capacity)
                    .push_bind(m.accepting)
                    .push_bind(m.active);
            });
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }};
}

/// Writes `count` members into the server's database; answers how long it took.
pub(super) async fn seed(
    db: &Database,
    backend: Backend,
    count: usize,
) -> anyhow::Result<Duration> {
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let members: Vec<Member> = (0..count).map(|i| member(i, &mut dice)).collect();
    // Nobody signs in as them: any well-formed hash will do.
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2VlZHNlZWRzZWVk$0000000000000000000000000000000000000000000";
    let started = Instant::now();
    match backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await?;
            insert_members!(pool, sqlx::Sqlite, members, hash);
            sqlx::query("ANALYZE").execute(&pool).await?;
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await?;
            insert_members!(pool, sqlx::Postgres, members, hash);
            // Every table the load filled (users and, through its trigger, user_tags), as
            // autovacuum would soon after such a load.
            sqlx::query("ANALYZE").execute(&pool).await?;
            pool.close().await;
        }
    }
    Ok(started.elapsed())
}
