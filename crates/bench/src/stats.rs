//! Group "stats": `GET /v1/admin/stats` on a program of 100,000 members (issue 15), on SQLite
//! and on PostgreSQL when `LODESTAR_TEST_DATABASE_URL` names one. The program is written by SQL
//! on the server's own database (a quarter mentors, one member in ten a minor, a request per
//! mentor, a mentorship per accepted one, four sessions and feedback each, eight messages per
//! member), then a coordinator asks over real HTTP.

use std::time::Instant;

use anyhow::Context;
use lodestar_tests::{Backend, Database, TestServer};
use sqlx::Executor;

use crate::report::{ms, on_backends, quantile, Row};

/// Calls timed per backend.
const CALLS: usize = 20;

/// Runs the group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let members = if quick { 10_000 } else { 100_000 };
    on_backends("stats", |backend| measure(backend, members)).await
}

async fn measure(backend: Backend, members: i64) -> anyhow::Result<Vec<Row>> {
    let db = std::sync::Arc::new(Database::fresh(backend).await);
    let server = TestServer::spawn_on(db.clone()).await;
    let cora = server.api.register("cora").await;
    server.store().set_coordinator("cora", true).await.context("coordinator")?;
    let seeded = Instant::now();
    seed(backend, &db.url, members).await?;
    let seeding = seeded.elapsed();
    let first = server.api.get("/v1/admin/stats", &cora.token).await.expect(200);
    anyhow::ensure!(
        first["users"]["mentees"].as_i64().unwrap_or(0) >= members * 3 / 4,
        "the program was not seeded: {first}"
    );
    let mut times = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let started = Instant::now();
        server.api.get("/v1/admin/stats", &cora.token).await.expect(200);
        times.push(started.elapsed());
    }
    server.server.stop().await;
    let name = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    Ok(vec![
        Row::info(format!("stats: seeding {members} members ({name})"), ms(seeding), "ms"),
        Row::info(
            format!("stats: GET /v1/admin/stats, {members} members, p50 ({name})"),
            ms(quantile(&times, 0.5)),
            "ms",
        ),
        Row::info(
            format!("stats: GET /v1/admin/stats, {members} members, p95 ({name})"),
            ms(quantile(&times, 0.95)),
            "ms",
        ),
    ])
}

/// Writes the program in a handful of set-based statements (ids made from numbers).
async fn seed(backend: Backend, url: &str, members: i64) -> anyhow::Result<()> {
    let mentors = members / 4;
    let script = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
    .replace("{members}", &members.to_string())
    .replace("{mentors}", &mentors.to_string());
    match backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(url).await.context("sqlite")?;
            pool.execute(sqlx::raw_sql(&script)).await.context("seeding SQLite")?;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(url).await.context("postgres")?;
            pool.execute(sqlx::raw_sql(&script)).await.context("seeding PostgreSQL")?;
        }
    }
    Ok(())
}

const SQLITE: &str = r#"
BEGIN;
CREATE TEMP TABLE n AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {members}) SELECT i FROM c;
INSERT INTO users (user_id, username, email, password_hash, date_of_birth, created_at, mentor_status, mentee_status, search_text)
SELECT unhex(printf('%032x', i)), 'm' || i, 'm' || i || '@example.org', 'x',
       CASE WHEN i % 10 = 0 THEN '2012-01-01' ELSE '1990-01-01' END, '2026-01-01T00:00:00+00:00',
       i % 4 = 0, i % 4 <> 0, 'm' || i FROM n;
INSERT INTO mentorship_requests (request_id, mentee_id, mentor_id, message, status, created_at, expires_at, responded_at)
SELECT unhex(printf('%032x', 10000000 + i)), unhex(printf('%032x', 4 * i - 3)), unhex(printf('%032x', 4 * i)), 'hi',
       CASE i % 5 WHEN 0 THEN 'pending' WHEN 1 THEN 'accepted' WHEN 2 THEN 'declined' WHEN 3 THEN 'withdrawn' ELSE 'expired' END,
       '2026-11-01T00:00:00+00:00', '2026-11-15T00:00:00+00:00',
       CASE WHEN i % 5 IN (1, 2) THEN strftime('%Y-%m-%dT%H:%M:%S+00:00', '2026-11-01', '+' || (i % 72) || ' hours') END
FROM n WHERE i <= {mentors};
INSERT INTO conversations (conversation_id, type, group_id, created_at)
SELECT unhex(printf('%032x', 20000000 + i)), 'DIRECT', NULL, '2026-11-02T00:00:00+00:00' FROM n WHERE i <= {mentors} AND i % 5 = 1;
INSERT INTO mentorships (mentorship_id, mentor_id, mentee_id, conversation_id, status, started_at)
SELECT unhex(printf('%032x', 30000000 + i)), unhex(printf('%032x', 4 * i)), unhex(printf('%032x', 4 * i - 3)),
       unhex(printf('%032x', 20000000 + i)), CASE WHEN i % 3 = 0 THEN 'ended' ELSE 'active' END, '2026-11-02T00:00:00+00:00'
FROM n WHERE i <= {mentors} AND i % 5 = 1;
INSERT INTO mentorship_sessions (session_id, mentorship_id, starts_at, duration_minutes, time_zone, status, proposed_by, created_at, updated_at)
SELECT unhex(printf('%032x', 40000000 + 4 * i + k)), unhex(printf('%032x', 30000000 + i)),
       strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || ((i * 7 + k * 19) % 90) || ' days'), 60, 'UTC',
       CASE WHEN k = 3 THEN 'cancelled' ELSE 'confirmed' END, unhex(printf('%032x', 4 * i)),
       '2026-11-02T00:00:00+00:00', strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || ((i + k) % 60) || ' days')
FROM n, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) WHERE i <= {mentors} AND i % 5 = 1;
INSERT INTO session_feedback (session_id, author_id, rating, fit, created_at)
SELECT session_id, proposed_by, 1 + abs(random()) % 5, CASE abs(random()) % 6 WHEN 0 THEN 'poor' WHEN 1 THEN 'unsure' ELSE 'good' END, updated_at
FROM mentorship_sessions WHERE status = 'confirmed';
INSERT INTO messages (message_id, conversation_id, sender_id, content, sent_at, seq)
SELECT unhex(printf('%032x', 50000000 + 8 * i + k)), unhex(printf('%032x', 20000000 + 5 * ((i * 8 + k) % ({mentors} / 5)) + 1)),
       unhex(printf('%032x', 4 * (5 * ((i * 8 + k) % ({mentors} / 5)) + 1))), 'hello',
       strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || ((i + k) % 60) || ' days'), 100000000 + 8 * i + k
FROM n, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7);
DROP TABLE n;
COMMIT;
ANALYZE;
"#;

const POSTGRES: &str = r#"
BEGIN;
INSERT INTO users (user_id, username, email, password_hash, date_of_birth, created_at, mentor_status, mentee_status, search_text)
SELECT lpad(to_hex(i), 32, '0')::uuid, 'm' || i, 'm' || i || '@example.org', 'x',
       CASE WHEN i % 10 = 0 THEN DATE '2012-01-01' ELSE DATE '1990-01-01' END, TIMESTAMPTZ '2026-01-01',
       i % 4 = 0, i % 4 <> 0, 'm' || i FROM generate_series(1, {members}) AS i;
INSERT INTO mentorship_requests (request_id, mentee_id, mentor_id, message, status, created_at, expires_at, responded_at)
SELECT lpad(to_hex(10000000 + i), 32, '0')::uuid, lpad(to_hex(4 * i - 3), 32, '0')::uuid, lpad(to_hex(4 * i), 32, '0')::uuid, 'hi',
       CASE i % 5 WHEN 0 THEN 'pending' WHEN 1 THEN 'accepted' WHEN 2 THEN 'declined' WHEN 3 THEN 'withdrawn' ELSE 'expired' END,
       TIMESTAMPTZ '2026-11-01', TIMESTAMPTZ '2026-11-15',
       CASE WHEN i % 5 IN (1, 2) THEN TIMESTAMPTZ '2026-11-01' + (i % 72) * INTERVAL '1 hour' END
FROM generate_series(1, {mentors}) AS i;
INSERT INTO conversations (conversation_id, type, group_id, created_at)
SELECT lpad(to_hex(20000000 + i), 32, '0')::uuid, 'DIRECT', NULL, TIMESTAMPTZ '2026-11-02' FROM generate_series(1, {mentors}) AS i WHERE i % 5 = 1;
INSERT INTO mentorships (mentorship_id, mentor_id, mentee_id, conversation_id, status, started_at)
SELECT lpad(to_hex(30000000 + i), 32, '0')::uuid, lpad(to_hex(4 * i), 32, '0')::uuid, lpad(to_hex(4 * i - 3), 32, '0')::uuid,
       lpad(to_hex(20000000 + i), 32, '0')::uuid, CASE WHEN i % 3 = 0 THEN 'ended' ELSE 'active' END, TIMESTAMPTZ '2026-11-02'
FROM generate_series(1, {mentors}) AS i WHERE i % 5 = 1;
INSERT INTO mentorship_sessions (session_id, mentorship_id, starts_at, duration_minutes, time_zone, status, proposed_by, created_at, updated_at)
SELECT lpad(to_hex(40000000 + 4 * i + k), 32, '0')::uuid, lpad(to_hex(30000000 + i), 32, '0')::uuid,
       now() - ((i * 7 + k * 19) % 90) * INTERVAL '1 day', 60, 'UTC',
       CASE WHEN k = 3 THEN 'cancelled' ELSE 'confirmed' END, lpad(to_hex(4 * i), 32, '0')::uuid,
       TIMESTAMPTZ '2026-11-02', now() - ((i + k) % 60) * INTERVAL '1 day'
FROM generate_series(1, {mentors}) AS i, generate_series(0, 3) AS k WHERE i % 5 = 1;
INSERT INTO session_feedback (session_id, author_id, rating, fit, created_at)
SELECT session_id, proposed_by, 1 + floor(random() * 5)::int, CASE floor(random() * 6)::int WHEN 0 THEN 'poor' WHEN 1 THEN 'unsure' ELSE 'good' END, updated_at
FROM mentorship_sessions WHERE status = 'confirmed';
INSERT INTO messages (message_id, conversation_id, sender_id, content, sent_at, seq)
SELECT lpad(to_hex(50000000 + 8 * i + k), 32, '0')::uuid, lpad(to_hex(20000000 + 5 * ((i * 8 + k) % ({mentors} / 5)) + 1), 32, '0')::uuid,
       lpad(to_hex(4 * (5 * ((i * 8 + k) % ({mentors} / 5)) + 1)), 32, '0')::uuid, 'hello',
       now() - ((i + k) % 60) * INTERVAL '1 day', 100000000 + 8 * i + k
FROM generate_series(1, {members}) AS i, generate_series(0, 7) AS k;
COMMIT;
ANALYZE;
"#;
