//! A quick load loop (not the benchmark harness): starts a server in this process on a fresh
//! database and measures one login and how many messages per second it accepts durably.
//!
//! `quick-load [sqlite|postgres] [messages] [senders]`; PostgreSQL needs
//! `LODESTAR_TEST_DATABASE_URL`. `quick-load first-sync [messages]` instead times a client's
//! first sync of that many messages into an empty replica.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use lodestar_tests::{Backend, TestServer, PASSWORD};
use serde_json::json;
use uuid::Uuid;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("first-sync") {
        return first_sync(args.get(2).and_then(|v| v.parse().ok()).unwrap_or(100_000)).await;
    }
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

/// Seeds `total` messages through the store (not HTTP, to be quick), then times a real client
/// pulling them over HTTP into an empty replica on disk.
async fn first_sync(total: usize) -> anyhow::Result<()> {
    use lodestar_protocol::validate::MessageBody;
    use lodestar_server::store::NewMessage;
    let s = TestServer::spawn(Backend::Sqlite).await;
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let store = s.store();
    let seeded = Instant::now();
    for i in 0..total {
        let body = MessageBody {
            content: Some(format!("message number {i} about rust, sql and mentoring")),
            media_url: None,
        };
        let m = NewMessage {
            message_id: Uuid::new_v4(),
            conversation_id: conv,
            body,
            sent_at: chrono::Utc::now(),
            reply_to: None,
        };
        let sender = if i % 2 == 0 { ann.id } else { ben.id };
        store.send_message(sender, m).await?;
    }
    println!("seeded {total} messages in {:.1}s", seeded.elapsed().as_secs_f64());
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let replica = lodestar_client::Replica::open(&dir.path().join("ben.db")).await?;
    let api = lodestar_client::Api::new(&s.api.base)?.with_token(&ben.token);
    let done = lodestar_client::sync::pull(&api, &replica, |_| {}).await?;
    let took = started.elapsed();
    // The same pages again, split: the server's answer alone, then applying into a new replica.
    let (mut fetch, mut apply) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    let second = lodestar_client::Replica::open(&dir.path().join("ben2.db")).await?;
    let mut cursor: Option<String> = None;
    loop {
        let t = Instant::now();
        let page = api.sync(cursor.as_deref(), 1000).await?;
        fetch += t.elapsed();
        let t = Instant::now();
        second.apply_page(&page.changes, &page.cursor).await?;
        apply += t.elapsed();
        cursor = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    println!(
        "split: fetch (server + HTTP + JSON decode) {:.2}s, apply (replica) {:.2}s",
        fetch.as_secs_f64(),
        apply.as_secs_f64()
    );
    println!(
        "first_sync messages={total} changes={} pages={} seconds={:.2} changes_per_second={:.0}",
        done.applied,
        done.pages,
        took.as_secs_f64(),
        done.applied as f64 / took.as_secs_f64()
    );
    // Reading the replica that sync just filled: search and opening the conversation.
    let median = |mut v: Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    for (label, text) in [("common word", "mentoring"), ("rare word", "99999"), ("prefix", "ment")]
    {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..20 {
            let t = Instant::now();
            hits = replica.search(text, 50).await?.len();
            times.push(t.elapsed());
        }
        println!("search {label} ({text:?}): {hits} hits, median {:?}", median(times));
    }
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        replica.messages(ben.id, conv, None, 50).await?;
        times.push(t.elapsed());
    }
    println!("open conversation, newest 50 of {total}: median {:?}", median(times));
    s.server.stop().await;
    Ok(())
}
