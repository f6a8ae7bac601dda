//! Group "limits": what this machine can physically do, for the other figures to be read against.
//!
//! (a) Raw SQLite inserts: the same message rows as the first sync (100,000, `--quick`: 5,000;
//! same text generator, 10 conversations, server seqs) into a fresh file that `Replica::open`
//! created and migrated (identical table, indexes and FTS5 triggers, WAL, synchronous=NORMAL),
//! through rusqlite with one prepared statement, 1,000 rows per transaction (a sync page).
//! Reported as rows/s and the implied time for 100k rows: no HTTP, no JSON, no sqlx.
//!
//! (b) A raw WebSocket echo round trip on loopback with tokio-tungstenite (an echo server task
//! and a client, Nagle off on both sides): 10,000 round trips (`--quick`: 500) of a small text
//! frame, after a warm-up; p50 and p99. Nothing of the server runs: this is the floor under
//! "message seen by the recipient".

use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use lodestar_client::Replica;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message as Frame;
use uuid::Uuid;

use crate::replica::{size, stamp, Text};
use crate::report::{ms, quantile, Row};
use crate::sync::CONVERSATIONS;

/// The group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let total = if quick { 5_000 } else { 100_000 };
    let round_trips = if quick { 500 } else { 10_000 };
    let mut rows = Vec::new();

    let dir = tempfile::tempdir()?;
    let path = dir.path().join("raw.db");
    let replica = Replica::open(&path).await?;
    let took = tokio::task::spawn_blocking({
        let path = path.clone();
        move || raw_inserts(&path, total)
    })
    .await??;
    drop(replica);
    let per_second = total as f64 / took.as_secs_f64();
    rows.push(Row::info(
        format!("limit: raw SQLite insert rate ({} rows, 1,000 per tx, FTS triggers)", size(total)),
        per_second,
        "rows/s",
    ));
    rows.push(Row::info(
        "limit: raw SQLite insert, 100k message rows",
        100_000.0 / per_second,
        "s",
    ));

    let samples = echo(round_trips).await?;
    rows.push(Row::info("limit: WebSocket echo round trip p50", ms(quantile(&samples, 0.5)), "ms"));
    rows.push(Row::info(
        "limit: WebSocket echo round trip p99",
        ms(quantile(&samples, 0.99)),
        "ms",
    ));
    Ok(rows)
}

/// A message row as bound: id, conversation, sender, content, sent_at, seq.
type RawMessage = ([u8; 16], [u8; 16], [u8; 16], String, String, i64);

/// Inserts `total` first-sync-like message rows into the replica file at `path`; the time of
/// the inserts alone (rows generated beforehand).
fn raw_inserts(path: &Path, total: usize) -> anyhow::Result<Duration> {
    let mut text = Text::new(11);
    let convs: Vec<(Uuid, Uuid)> =
        (0..CONVERSATIONS).map(|_| (Uuid::new_v4(), Uuid::new_v4())).collect();
    let me = Uuid::new_v4();
    let now = chrono::Utc::now();
    let messages: Vec<RawMessage> = (0..total)
        .map(|i| {
            let (peer, conv) = convs[text.below(CONVERSATIONS)];
            let sender = if text.below(2) == 0 { me } else { peer };
            let at = now + chrono::Duration::microseconds(i as i64 * 50);
            (
                *Uuid::now_v7().as_bytes(),
                *conv.as_bytes(),
                *sender.as_bytes(),
                text.message(None),
                stamp(at),
                i as i64 + 1,
            )
        })
        .collect();

    let mut db = rusqlite::Connection::open(path)?;
    db.busy_timeout(Duration::from_secs(10))?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    let started = Instant::now();
    for chunk in messages.chunks(1_000) {
        let tx = db.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO messages (message_id, conversation_id, sender_id, content, media_url, sent_at, seq) \
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6)",
            )?;
            for (id, conv, sender, content, at, seq) in chunk {
                insert.execute(rusqlite::params![
                    &id[..],
                    &conv[..],
                    &sender[..],
                    content,
                    at,
                    seq
                ])?;
            }
        }
        tx.commit()?;
    }
    Ok(started.elapsed())
}

/// Round trips of a small text frame through an echo server on loopback.
async fn echo(round_trips: usize) -> anyhow::Result<Vec<Duration>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await?;
        tcp.set_nodelay(true)?;
        let mut ws = tokio_tungstenite::accept_async(tcp).await?;
        while let Some(frame) = ws.next().await {
            match frame? {
                f @ (Frame::Text(_) | Frame::Binary(_)) => ws.send(f).await?,
                Frame::Close(_) => break,
                _ => {}
            }
        }
        anyhow::Ok(())
    });

    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(format!("ws://{addr}/"), None, true).await?;
    let payload =
        r#"{"type":"message","seq":123456,"content":"See you at the meeting on Friday."}"#;
    let mut samples = Vec::with_capacity(round_trips);
    for i in 0..round_trips + round_trips / 10 {
        let t = Instant::now();
        ws.send(Frame::text(payload)).await?;
        match ws.next().await {
            Some(Ok(Frame::Text(back))) if back.as_str() == payload => {}
            other => anyhow::bail!("echo answered {other:?}"),
        }
        if i >= round_trips / 10 {
            samples.push(t.elapsed());
        }
    }
    ws.close(None).await?;
    server.await??;
    Ok(samples)
}
