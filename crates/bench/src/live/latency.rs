//! Delivery latency with many clients online: from the moment a `POST /v1/messages` starts to
//! the moment the message is in the recipient's replica.
//!
//! `n` users each hold a real `/v1/events` WebSocket to a server process on a fresh SQLite
//! database. The first `sample` of them are full clients: a `lodestar_client` engine over its own
//! replica on disk, exactly as the app runs it (frame → pull → apply). The others are plain
//! protocol sockets that read every frame as load and time when the message shows up in a frame.
//! Messages go out open-loop at a steady `rate` between random pairs (every other one to a full
//! client, so the replica figure has thousands of samples); the recipient's engine announces
//! `Changed { Messages }` and the harness confirms the message in the replica before stopping the
//! clock, so the figure includes the engine's pull and the replica write, not just the frame.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use lodestar_client::engine::{Event, Topic};
use lodestar_client::Replica;
use lodestar_tests::{Backend, Database};
use serde_json::json;
use tokio::sync::watch;
use uuid::Uuid;

use super::{open_all, read, start_engine, Read, Socket};
use crate::replica::Text;
use crate::report::{Budget, Row};
use crate::server::process::ServerProcess;
use crate::server::seed::Seeder;

/// Longest wait for a message after the last send.
const DRAIN: Duration = Duration::from_secs(10);

/// Messages a full client waits for: id → (sent at, conversation).
type Expected = Arc<Mutex<HashMap<Uuid, (Instant, Uuid)>>>;
/// Messages a plain socket waits for: id → (sent at, recipient index).
type FrameWait = Arc<Mutex<HashMap<Uuid, (Instant, usize)>>>;
type Hist = Arc<Mutex<Histogram<u64>>>;

fn hist() -> anyhow::Result<Hist> {
    Ok(Arc::new(Mutex::new(Histogram::new_with_bounds(1, 120_000_000, 3)?)))
}

fn record(h: &Hist, since: Instant) {
    let us = (since.elapsed().as_micros() as u64).max(1);
    h.lock().unwrap().saturating_record(us);
}

/// Runs the measurement.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let (n, sample, rate, secs) = if quick { (50, 10, 100, 3) } else { (1_000, 50, 200, 20) };
    let total = rate * secs;
    let db = Database::fresh(Backend::Sqlite).await;
    let dir = tempfile::tempdir()?;

    // Users, and the pairs of the whole run with their conversations, before the server starts.
    let seeded = Instant::now();
    let seeder = Seeder::open(&db.url).await?;
    let users = seeder.users("live", n).await?;
    let mut rng = Text::new(0x10de_57a4);
    let mut schedule = Vec::with_capacity(total);
    let mut convs: HashMap<(usize, usize), Uuid> = HashMap::new();
    for i in 0..total {
        let to = if i % 2 == 0 { rng.below(sample) } else { rng.below(n) };
        let mut from = rng.below(n - 1);
        if from >= to {
            from += 1;
        }
        let key = (from.min(to), from.max(to));
        let conv = match convs.get(&key) {
            Some(c) => *c,
            None => {
                let c = seeder.direct(&users[from], &users[to]).await?;
                convs.insert(key, c);
                c
            }
        };
        schedule.push((from, to, conv));
    }
    drop(seeder);
    eprintln!(
        "bench: live: seeded {n} users and {} conversations in {:.1}s (through the store, one \
         argon2 hash in all)",
        convs.len(),
        seeded.elapsed().as_secs_f64()
    );
    let server = ServerProcess::start(&db.url, dir.path()).await?;
    let (stop_tx, stop) = watch::channel(false);

    // Full clients: an engine each, over its own replica.
    let replica_hist = hist()?;
    let mut engines = Vec::new();
    let mut expected: Vec<Expected> = Vec::new();
    let mut watchers = Vec::new();
    for user in &users[..sample] {
        let (engine, replica, events) = start_engine(&server.base, user, dir.path()).await?;
        let exp: Expected = Arc::default();
        watchers.push(tokio::spawn(watch_replica(
            events,
            replica,
            user.id,
            exp.clone(),
            replica_hist.clone(),
            stop.clone(),
        )));
        expected.push(exp);
        engines.push(engine);
    }

    // Plain clients: a socket each, reading every frame.
    let frame_hist = hist()?;
    let frame_wait: FrameWait = Arc::default();
    let dropped = Arc::new(AtomicUsize::new(0));
    let sockets = open_all(&server.base, &users[sample..], None).await?;
    let mut readers = Vec::new();
    for (i, socket) in (sample..n).zip(sockets) {
        readers.push(tokio::spawn(read_frames(
            socket,
            i,
            frame_wait.clone(),
            frame_hist.clone(),
            dropped.clone(),
            stop.clone(),
        )));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    // The load: open loop, one send every 1/rate whatever the server's pace.
    let http = reqwest::Client::builder().no_proxy().build()?;
    let url = Arc::new(format!("{}/v1/messages", server.base));
    let failures = Arc::new(AtomicUsize::new(0));
    let cpu_before = server.cpu()?;
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    let mut sends = Vec::with_capacity(total);
    for (from, to, conv) in schedule {
        tick.tick().await;
        let id = Uuid::now_v7();
        let t0 = Instant::now();
        if to < sample {
            expected[to].lock().unwrap().insert(id, (t0, conv));
        } else {
            frame_wait.lock().unwrap().insert(id, (t0, to));
        }
        let (http, url, token, failures) =
            (http.clone(), url.clone(), users[from].token.clone(), failures.clone());
        sends.push(tokio::spawn(async move {
            let body = json!({"message_id": id, "conversation_id": conv, "content": "live"});
            let ok = match http.post(url.as_str()).bearer_auth(token).json(&body).send().await {
                Ok(r) => r.status().as_u16() == 201 && r.bytes().await.is_ok(),
                Err(_) => false,
            };
            if !ok {
                failures.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let offered = started.elapsed();
    for s in sends {
        s.await?;
    }
    // Let stragglers arrive.
    let drain = Instant::now();
    let waiting = || {
        expected.iter().map(|e| e.lock().unwrap().len()).sum::<usize>()
            + frame_wait.lock().unwrap().len()
    };
    while waiting() > 0 && drain.elapsed() < DRAIN {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let run_time = started.elapsed();
    let server_cpu = server.cpu()? - cpu_before;
    let lost_replica: usize = expected.iter().map(|e| e.lock().unwrap().len()).sum();
    let lost_frames = frame_wait.lock().unwrap().len();
    let _ = stop_tx.send(true);
    for e in engines {
        e.stop().await;
    }
    for t in watchers.into_iter().chain(readers) {
        let _ = t.await;
    }
    server.stop().await?;

    let r = replica_hist.lock().unwrap().clone();
    let f = frame_hist.lock().unwrap().clone();
    let q = |h: &Histogram<u64>, p: f64| h.value_at_quantile(p) as f64 / 1000.0;
    let what = format!("{n} clients online, {rate} msg/s for {secs} s");
    Ok(vec![
        Row::budgeted(
            format!("live: seen in recipient's replica p50, {what}"),
            q(&r, 0.5),
            "ms",
            Budget::AtMost(2.0),
        ),
        Row::budgeted(
            format!("live: seen in recipient's replica p99, {what}"),
            q(&r, 0.99),
            "ms",
            Budget::AtMost(20.0),
        ),
        Row::info(format!("live: seen in recipient's replica max, {what}"), q(&r, 1.0), "ms"),
        Row::info(
            format!("live: replica samples ({sample} real engines as recipients)"),
            r.len() as f64,
            "msgs",
        ),
        Row::info(
            format!("live: WS frame arrival p50, {} plain sockets", n - sample),
            q(&f, 0.5),
            "ms",
        ),
        Row::info(
            format!("live: WS frame arrival p99, {} plain sockets", n - sample),
            q(&f, 0.99),
            "ms",
        ),
        Row::info(
            format!("live: not seen within {} s of the last send", DRAIN.as_secs()),
            (lost_replica + lost_frames) as f64,
            "msgs",
        ),
        Row::info(
            format!("live: plain sockets the server closed during the run (of {})", n - sample),
            dropped.load(Ordering::Relaxed) as f64,
            "conns",
        ),
        Row::info("live: sends not answered 201", failures.load(Ordering::Relaxed) as f64, "msgs"),
        Row::info("live: achieved send rate", total as f64 / offered.as_secs_f64(), "msg/s"),
        Row::info(
            "live: server CPU during the run (100% = 1 core)",
            100.0 * server_cpu.as_secs_f64() / run_time.as_secs_f64(),
            "%",
        ),
    ])
}

/// A full client's side: on each change of a conversation's messages, look in the replica for the messages this
/// recipient waits for in that conversation; stop the clock for those found.
async fn watch_replica(
    mut events: tokio::sync::broadcast::Receiver<Event>,
    replica: Replica,
    me: Uuid,
    expected: Expected,
    hist: Hist,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let convs: Vec<Uuid> = tokio::select! {
            ev = events.recv() => match ev {
                Ok(Event::Changed { topic: Topic::Messages, id: Some(conversation_id) }) => {
                    vec![conversation_id]
                }
                Ok(_) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let mut all: Vec<Uuid> = expected.lock().unwrap().values().map(|v| v.1).collect();
                    all.sort();
                    all.dedup();
                    all
                }
                Err(_) => return,
            },
            _ = stop.changed() => return,
        };
        for conv in convs {
            if !expected.lock().unwrap().values().any(|v| v.1 == conv) {
                continue;
            }
            let Ok(items) = replica.messages(me, conv, None, 50).await else { continue };
            let mut exp = expected.lock().unwrap();
            for item in items {
                if let Some((t0, _)) = exp.remove(&item.message.message_id) {
                    record(&hist, t0);
                }
            }
        }
    }
}

/// A plain client's side: read frames (answering pings) and time the messages addressed to it;
/// a socket the server closes is counted in `dropped` (it does not reconnect, so what was
/// addressed to it afterwards shows as not seen).
async fn read_frames(
    mut socket: Socket,
    me: usize,
    wait: FrameWait,
    hist: Hist,
    dropped: Arc<AtomicUsize>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let messages = match read(&mut socket, &mut stop).await {
            Read::Frame { messages, .. } => messages,
            Read::Closed => {
                dropped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            Read::Stopped => return,
        };
        let mut w = wait.lock().unwrap();
        for id in messages {
            if w.get(&id).is_some_and(|(_, to)| *to == me) {
                if let Some((t0, _)) = w.remove(&id) {
                    record(&hist, t0);
                }
            }
        }
    }
}
