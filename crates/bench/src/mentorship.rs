//! Group "mentorship": the figures issue 13 asks for, on a real server (in this process, on a
//! loopback port) over real HTTP and WebSockets.
//!
//! - The race: one mentor with 3 open slots holds 50 pending requests and all 50 accepts are
//!   sent at once; how many succeed (never more than the capacity) and how long the burst took.
//!   On SQLite, and on PostgreSQL when `LODESTAR_TEST_DATABASE_URL` names one.
//! - Accept to mentee: the mentee holds the `/v1/events` socket the app holds; the clock runs
//!   from the moment the mentor's `POST …/accept` starts to the frame that brings the mentee the
//!   new mentorship. Sequential, one accept at a time, each a fresh pair.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use lodestar_tests::{Api, Backend, Database, Events, TestServer, User};
use serde_json::json;
use uuid::Uuid;

use crate::report::{ms, on_backends, quantile, Row};

/// Requests racing for the slots.
const RACERS: usize = 50;
/// The mentor's slots.
const CAPACITY: i64 = 3;

/// Runs the group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let mut rows = on_backends("mentorship: 50-way accept race", race).await?;
    rows.extend(accept_latency(if quick { 5 } else { 50 }).await?);
    Ok(rows)
}

async fn mentor(api: &Api, name: &str, capacity: i64, i: usize) -> User {
    let ip = format!("10.8.{}.{}", i / 250, i % 250 + 1);
    let extra = json!({"mentor_status": true, "mentee_capacity": capacity});
    api.register_from(name, extra, Some(&ip)).await
}

/// A mentee (or, above, a mentor) signing up from an address of their own (the server trusts the test's proxy
/// header), so that a hundred sign-ups do not meet the per-address throttle.
async fn mentee(api: &Api, name: &str, i: usize) -> User {
    let ip = format!("10.9.{}.{}", i / 250, i % 250 + 1);
    api.register_from(name, json!({"mentee_status": true}), Some(&ip)).await
}

/// A server that takes `X-Forwarded-For` from the loopback, as behind a load balancer.
async fn server(backend: Backend) -> TestServer {
    TestServer::spawn_with(std::sync::Arc::new(Database::fresh(backend).await), true).await
}

async fn ask(api: &Api, mentee: &User, mentor: &User) -> anyhow::Result<Uuid> {
    let body = json!({"request_id": Uuid::new_v4(), "mentor_id": mentor.id, "message": "Would you mentor me?"});
    let made = api.post("/v1/mentorship-requests", &mentee.token, body).await.expect(201);
    made["request_id"].as_str().context("request_id")?.parse().context("request id")
}

async fn race(backend: Backend) -> anyhow::Result<Vec<Row>> {
    let server = server(backend).await;
    let api = &server.api;
    let ada = mentor(api, "ada", CAPACITY, 0).await;
    let mut requests = Vec::with_capacity(RACERS);
    for i in 0..RACERS {
        let mentee = mentee(api, &format!("racer{i}"), i).await;
        requests.push(ask(api, &mentee, &ada).await?);
    }
    let paths: Vec<String> =
        requests.iter().map(|id| format!("/v1/mentorship-requests/{id}/accept")).collect();
    let started = Instant::now();
    let answers = futures_util::future::join_all(
        paths.iter().map(|path| api.post(path, &ada.token, json!({}))),
    )
    .await;
    let burst = started.elapsed();
    let won = answers.iter().filter(|a| a.status == 200).count();
    let full = answers.iter().filter(|a| a.status == 409 && a.code() == "unavailable").count();
    if won + full != RACERS {
        bail!(
            "an accept answered something else: {:?}",
            answers.iter().find(|a| a.status != 200 && a.status != 409)
        );
    }
    let active = api.get("/v1/mentorships?status=active", &ada.token).await.expect(200);
    let active = active["mentorships"].as_array().map_or(0, Vec::len);
    if won as i64 > CAPACITY || active != won {
        bail!(
            "capacity broken: {won} accepts won, {active} active mentorships, capacity {CAPACITY}"
        );
    }
    server.server.stop().await;
    let label = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    Ok(vec![
        Row::info(
            format!(
                "mentorship: {RACERS}-way accept race, {label}: accepts won (capacity {CAPACITY})"
            ),
            won as f64,
            "accepts",
        ),
        Row::info(
            format!("mentorship: {RACERS}-way accept race, {label}: refused 409 unavailable"),
            full as f64,
            "accepts",
        ),
        Row::info(
            format!("mentorship: {RACERS}-way accept race, {label}: burst wall time"),
            ms(burst),
            "ms",
        ),
    ])
}

async fn accept_latency(pairs: usize) -> anyhow::Result<Vec<Row>> {
    let server = server(Backend::Sqlite).await;
    let api = &server.api;
    let mut samples = Vec::with_capacity(pairs);
    for i in 0..pairs {
        let ment = mentor(api, &format!("mentor{i}"), 1, i).await;
        let mentee = mentee(api, &format!("mentee{i}"), i).await;
        let request = ask(api, &mentee, &ment).await?;
        let mut events = Events::connect(&api.base, &mentee, None).await;
        // The socket's first frame (the catch-up) is read before the clock starts.
        events.next_frame(Duration::from_millis(500)).await;
        let path = format!("/v1/mentorship-requests/{request}/accept");
        let started = Instant::now();
        let accepted = api.post(&path, &ment.token, json!({}));
        let heard = events.wait_for(Duration::from_secs(10), |c| c["kind"] == "mentorship");
        let (answer, heard) = tokio::join!(accepted, heard);
        let elapsed = started.elapsed();
        if answer.status != 200 || heard.is_none() {
            bail!("accept {i}: answered {} and the mentee heard {heard:?}", answer.status);
        }
        samples.push(elapsed);
    }
    server.server.stop().await;
    Ok(vec![
        Row::info(
            format!("mentorship: accept to the mentee's socket p50 ({pairs} accepts)"),
            ms(quantile(&samples, 0.5)),
            "ms",
        ),
        Row::info(
            format!("mentorship: accept to the mentee's socket p95 ({pairs} accepts)"),
            ms(quantile(&samples, 0.95)),
            "ms",
        ),
    ])
}
