//! Idle WebSockets: what holding `m` open `/v1/events` connections costs the server process.
//!
//! A server process on a fresh SQLite database with `m` seeded users; after one warm-up request
//! its `VmRSS` is read, then every user opens its event socket (64 handshakes at a time), and
//! `VmRSS` is read again a second later: the delta over `m` is the memory per connection (the
//! server's socket task, its buffers and the kernel-side TCP memory is not in RSS). The sockets
//! then sit idle for 5 s; any the server closes in that time is counted out, and each survivor
//! must answer a ping before it counts as held.

use std::time::{Duration, Instant};

use futures_util::{stream, SinkExt, StreamExt};
use lodestar_tests::{Backend, Database};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::{connect, Socket};
use crate::report::Row;
use crate::server::process::ServerProcess;
use crate::server::seed::Seeder;

/// How long the sockets sit idle.
const HOLD: Duration = Duration::from_secs(5);

/// Runs the measurement; `fd_limit` is this process's open-file limit (the server inherits it).
pub async fn run(quick: bool, fd_limit: u64) -> anyhow::Result<Vec<Row>> {
    let m: usize = if quick { 100 } else { 2_000 };
    if (m as u64) + 200 > fd_limit {
        anyhow::bail!(
            "{m} idle sockets need more than the open-file limit of {fd_limit}: raise it \
             (`ulimit -n {}`)",
            m + 1_000
        );
    }
    let db = Database::fresh(Backend::Sqlite).await;
    let dir = tempfile::tempdir()?;
    let seeder = Seeder::open(&db.url).await?;
    let users = seeder.users("idle", m).await?;
    drop(seeder);
    let server = ServerProcess::start(&db.url, dir.path()).await?;
    // Warm-up: the first request loads what every later one shares.
    drop(connect(&server.base, &users[0]).await?);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = server.rss_kib()?;

    let opened = Instant::now();
    let base = server.base.clone();
    let sockets: Vec<Socket> = stream::iter(users.iter().cloned())
        .map(|u| {
            let base = base.clone();
            async move { connect(&base, &u).await }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let open_time = opened.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = server.rss_kib()?;

    // Idle, then a ping round: a socket counts as held if it stayed open and answers.
    let holders: Vec<_> = sockets.into_iter().map(|s| tokio::spawn(hold(s))).collect();
    let mut held = 0;
    for h in holders {
        if h.await? {
            held += 1;
        }
    }
    let rss_end = server.rss_kib()?;
    server.stop().await?;

    let per = (after.saturating_sub(before)) as f64 / m as f64;
    Ok(vec![
        Row::info(
            format!("live: idle WebSocket connections held {} s", HOLD.as_secs()),
            held as f64,
            "conns",
        ),
        Row::info(format!("live: server RSS per idle WebSocket, {m} open"), per, "KiB"),
        Row::info(
            format!("live: server RSS with {m} idle WebSockets"),
            after as f64 / 1024.0,
            "MiB",
        ),
        Row::info(
            format!("live: server RSS after {} s idle", HOLD.as_secs()),
            rss_end as f64 / 1024.0,
            "MiB",
        ),
        Row::info(
            format!("live: time to open {m} WebSockets (64 at a time)"),
            open_time.as_secs_f64() * 1000.0,
            "ms",
        ),
    ])
}

/// Sits on a socket for [`HOLD`] (reading, so the server's pings are answered), then pings it;
/// answers whether it stayed open and answered.
async fn hold(mut socket: Socket) -> bool {
    let deadline = tokio::time::Instant::now() + HOLD;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => break,
            Ok(Some(Ok(WsMessage::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return false,
            Ok(Some(Ok(_))) => {}
        }
    }
    if socket.send(WsMessage::Ping(b"held".to_vec().into())).await.is_err() {
        return false;
    }
    let answered = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(msg)) = socket.next().await {
            if let WsMessage::Pong(p) = msg {
                return p.as_ref() == b"held";
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    let _ = socket.close(None).await;
    answered
}
