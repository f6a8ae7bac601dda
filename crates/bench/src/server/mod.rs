//! Group "server": messages accepted durably per second, on SQLite and on PostgreSQL.
//!
//! The server runs as its own process (the `lodestar-server` binary beside this harness) on a
//! fresh database, so the load generator does not share its runtime; both still share this
//! machine's cores, which the row names say. `senders` users, each in a direct conversation
//! with one recipient, post `POST /v1/messages` back to back over HTTP/1.1 keep-alive on
//! loopback; a message counts once the server answered 201, which it does only after the
//! message's transaction committed. Rate = messages / wall time of the whole burst. The
//! server's CPU share and the per-request latency are printed beside it, to tell a CPU-bound
//! server from a serialised one. PostgreSQL runs only when `LODESTAR_TEST_DATABASE_URL` names
//! one (`scripts/with-postgres.sh`); otherwise its row says it was skipped.

pub mod process;
pub mod seed;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use hdrhistogram::Histogram;
use lodestar_tests::{Backend, Database};
use serde_json::json;
use uuid::Uuid;

use crate::report::{on_backends, Budget, Row};
use process::{cpu_of, ServerProcess};
use seed::Seeder;

/// Concurrent senders (each one user, one keep-alive connection at a time): the budget's
/// figure, and a smaller crowd beside it (fewer requests in flight make smaller commit batches).
const SENDERS: usize = 256;
/// The smaller crowd.
const FEW_SENDERS: usize = 64;

/// Runs the group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let total = if quick { 2_000 } else { 30_000 };
    on_backends("server: msg/s", |backend| async move {
        let mut rows = Vec::new();
        for senders in [SENDERS, FEW_SENDERS] {
            rows.extend(throughput(backend, total, senders).await?);
        }
        Ok(rows)
    })
    .await
}

async fn throughput(backend: Backend, total: usize, senders_n: usize) -> anyhow::Result<Vec<Row>> {
    let (label, budget) = match backend {
        Backend::Sqlite => ("SQLite", 10_000.0),
        Backend::Postgres => ("PostgreSQL", 5_000.0),
    };
    let db = Database::fresh(backend).await;
    let logs = tempfile::tempdir()?;
    let seeder = Seeder::open(&db.url).await?;
    let recipient = seeder.users("inbox", 1).await?.remove(0);
    let senders = seeder.users("sender", senders_n).await?;
    let mut convs = Vec::new();
    for s in &senders {
        convs.push(seeder.direct(s, &recipient).await?);
    }
    drop(seeder);
    let server = ServerProcess::start(&db.url, logs.path()).await?;
    let http = reqwest::Client::builder().no_proxy().pool_max_idle_per_host(senders_n).build()?;
    let url = Arc::new(format!("{}/v1/messages", server.base));

    // One message per sender first: connections open, caches and statements warm.
    let mut warm = Vec::new();
    for (s, c) in senders.iter().zip(&convs) {
        warm.push(tokio::spawn(post(http.clone(), url.clone(), s.token.clone(), *c)));
    }
    for w in warm {
        w.await??;
    }

    let per = total / senders_n;
    let extra = total % senders_n;
    let (cpu_server, cpu_self) = (server.cpu()?, cpu_of("self")?);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, (s, c)) in senders.iter().zip(&convs).enumerate() {
        let (http, url, token, conv) = (http.clone(), url.clone(), s.token.clone(), *c);
        let n = per + usize::from(i < extra);
        tasks.push(tokio::spawn(async move {
            let mut h = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
            for _ in 0..n {
                let t = Instant::now();
                post(http.clone(), url.clone(), token.clone(), conv).await?;
                h.record(t.elapsed().as_micros() as u64)?;
            }
            anyhow::Ok(h)
        }));
    }
    let mut lat = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    for t in tasks {
        lat.add(t.await??)?;
    }
    let took = started.elapsed();
    let server_cpu = server.cpu()? - cpu_server;
    let bench_cpu = cpu_of("self")? - cpu_self;
    server.stop().await?;

    let rate = total as f64 / took.as_secs_f64();
    let what = format!("{senders_n} senders, HTTP loopback, server process, {total} msgs");
    let pct = |d: Duration| 100.0 * d.as_secs_f64() / took.as_secs_f64();
    Ok(vec![
        if senders_n == SENDERS {
            Row::budgeted(
                format!("server: msgs accepted durably/s, {label}, {what}"),
                rate,
                "msg/s",
                Budget::AtLeast(budget),
            )
        } else {
            Row::info(format!("server: msgs accepted durably/s, {label}, {what}"), rate, "msg/s")
        },
        Row::info(
            format!("server: POST /v1/messages p50, {label}, {senders_n} senders"),
            lat.value_at_quantile(0.5) as f64 / 1000.0,
            "ms",
        ),
        Row::info(
            format!("server: POST /v1/messages p99, {label}, {senders_n} senders"),
            lat.value_at_quantile(0.99) as f64 / 1000.0,
            "ms",
        ),
        Row::info(format!("server: server CPU (100% = 1 core), {label}"), pct(server_cpu), "%"),
        Row::info(format!("server: load generator CPU, {label}"), pct(bench_cpu), "%"),
    ])
}

/// One `POST /v1/messages`; anything but 201 stops the run.
async fn post(
    http: reqwest::Client,
    url: Arc<String>,
    token: String,
    conversation: Uuid,
) -> anyhow::Result<()> {
    let body =
        json!({"message_id": Uuid::now_v7(), "conversation_id": conversation, "content": "load"});
    let res = http
        .post(url.as_str())
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .context("POST /v1/messages")?;
    let status = res.status();
    if status.as_u16() != 201 {
        bail!("POST /v1/messages answered {status}: {}", res.text().await.unwrap_or_default());
    }
    // Read the body: the connection goes back to the pool only once it is drained.
    res.bytes().await?;
    Ok(())
}
