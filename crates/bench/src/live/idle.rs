//! Idle WebSockets: what holding `m` open `/v1/events` connections costs the server process.
//!
//! A server process on a fresh SQLite database with `m` seeded users; after one warm-up request
//! its `VmRSS` is read, then half the users open their event sockets (64 handshakes at a time),
//! `VmRSS` is read a second later, then the other half, and `VmRSS` again: the growth over the
//! second half is the memory per connection (the server's socket task and its buffers; the
//! kernel-side TCP memory is not in RSS), and the growth over all of them is shown beside it.
//! The sockets then sit idle for 5 s; any the server closes in that time is counted out, and each survivor
//! must answer a ping before it counts as held. The kernel's share (TCP buffers, not in any
//! process's RSS) is read apart from `/proc/net/sockstat`, for both ends of each loopback
//! connection.
//!
//! At full size the budget's 15,000 sockets: the server holds one descriptor per socket and
//! this process the other end, each under the 20,000 a process may hold here.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use lodestar_tests::{Backend, Database};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::{connect, open_all, Socket};
use crate::report::{Budget, Row};
use crate::server::process::ServerProcess;
use crate::server::seed::Seeder;

/// How long the sockets sit idle.
const HOLD: Duration = Duration::from_secs(5);

/// Runs the measurement; `fd_limit` is this process's open-file limit (the server inherits it).
pub async fn run(quick: bool, fd_limit: u64) -> anyhow::Result<Vec<Row>> {
    let m: usize = if quick { 100 } else { 15_000 };
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
    drop(connect(&server.base, &users[0], None).await?);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = server.rss_kib()?;
    let kernel_before = tcp_pages()?;

    // Opened in two halves: the memory per socket is the slope between them, so what the server
    // grows once whatever the count (SQLite's page cache filled by the sweep's first reads, the
    // registry's table) is not charged to each socket.
    let opened = Instant::now();
    let half = m / 2;
    let mut sockets = open_all(&server.base, &users[..half], None).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let at_half = server.rss_kib()?;
    sockets.extend(open_all(&server.base, &users[half..], None).await?);
    let open_time = opened.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = server.rss_kib()?;
    let kernel = tcp_pages()?.saturating_sub(kernel_before) * 4;

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

    let per = after.saturating_sub(at_half) as f64 / (m - half) as f64;
    let average = after.saturating_sub(before) as f64 / m as f64;
    Ok(vec![
        Row::budgeted(
            format!("live: idle WebSocket connections one instance held {} s", HOLD.as_secs()),
            held as f64,
            "conns",
            Budget::AtLeast(m as f64),
        ),
        Row::budgeted(
            format!("live: server RSS per idle WebSocket, {half} to {m} open"),
            per,
            "KiB",
            Budget::AtMost(8.0),
        ),
        Row::info(
            format!("live: server RSS growth over {m} idle WebSockets, per socket"),
            average,
            "KiB",
        ),
        Row::info(
            format!("live: kernel TCP memory per idle connection, both ends, {m} open"),
            kernel as f64 / m as f64,
            "KiB",
        ),
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
            format!("live: time to open {m} WebSockets (64 at a time, 1 s pause half way)"),
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

/// Pages the kernel holds for TCP buffers, all sockets (`/proc/net/sockstat`'s `TCP: ... mem`).
fn tcp_pages() -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string("/proc/net/sockstat")?;
    stat.lines()
        .find_map(|l| l.strip_prefix("TCP:"))
        .and_then(|l| l.split_whitespace().skip_while(|w| *w != "mem").nth(1))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no TCP mem in /proc/net/sockstat"))
}
