//! A quick load loop (not the benchmark harness): starts a server in this process on a fresh
//! database and measures one login and how many messages per second it accepts durably.
//!
//! `quick-load [sqlite|postgres] [messages] [senders]`; PostgreSQL needs
//! `LODESTAR_TEST_DATABASE_URL`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use lodestar_tests::{Backend, TestServer, PASSWORD};
use serde_json::json;
use uuid::Uuid;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = match args.get(1).map(String::as_str) {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let total: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let senders: usize = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(32);
    let s = TestServer::spawn(backend).await;

    let started = Instant::now();
    let a = s.api.register("loader").await;
    let register = started.elapsed();
    let mut logins = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        s.api
            .call(
                reqwest::Method::POST,
                "/v1/auth/login",
                None,
                Some(json!({"login": "loader", "password": PASSWORD})),
            )
            .await
            .expect(200);
        logins.push(t.elapsed());
    }
    logins.sort();

    let mut pairs = Vec::new();
    for i in 0..senders {
        let b = s.api.register(&format!("peer{i}")).await;
        let conv = s.api.direct(&b, &a).await;
        pairs.push((b, conv));
    }
    let per = total / senders;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (user, conv) in pairs {
        let api = s.api.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..per {
                api.post("/v1/messages", &user.token, json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": format!("load {i}")}))
                    .await
                    .expect(201);
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let took = started.elapsed();
    let sent = per * senders;
    println!(
        "backend={backend:?} register={register:?} login_median={:?} login_min={:?}",
        logins[2], logins[0]
    );
    println!(
        "messages={sent} senders={senders} seconds={:.2} accepted_per_second={:.0}",
        took.as_secs_f64(),
        sent as f64 / took.as_secs_f64()
    );
    s.server.stop().await;
    Ok(())
}
