//! Group "chaos": instances that die under load. Three `lodestar-server` processes share one
//! durable PostgreSQL behind a real load balancer ([`balancer`], HAProxy); `n` clients hold event
//! sockets through it (the first few full engines over their own replicas, the rest plain
//! sockets that reconnect from their cursor, see [`clients`]); messages go out at a steady rate
//! through the balancer, each retried with its own id until answered 200 or 201, as the app's
//! outbox does; and every `every` seconds one instance is SIGKILLed, then started again a second
//! later on its port. At the end every accepted message is looked for on the server, in every
//! replica and in the plain sockets' frames ([`verdict`]): lost, duplicated and reordered must be
//! 0, and every client cut off by a kill must be back live within 5 s of it.

mod balancer;
mod clients;
mod cluster;
mod verdict;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::bail;
use lodestar_client::Replica;
use lodestar_tests::{Backend, Database};
use serde_json::json;
use tokio::sync::watch;
use uuid::Uuid;

use crate::live::{open_all, start_engine};
use crate::replica::Text;
use crate::report::{quantile, Budget, Row};
use crate::server::seed::Seeder;
use balancer::Balancer;
use clients::{watch_engine, Cuts, FrameWait, Kills, Plain, SharedCuts};
use cluster::Cluster;
use verdict::Verdict;

/// Instances behind the balancer.
const INSTANCES: usize = 3;
/// A killed instance is started again this long after (a supervisor's restart delay).
const RESTART_AFTER: Duration = Duration::from_secs(1);
/// A send is retried until this long after its first try.
const GIVE_UP: Duration = Duration::from_secs(30);
/// Longest wait, after the last send, for every client to hold every message.
const DRAIN: Duration = Duration::from_secs(30);

/// The run's size.
struct Size {
    clients: usize,
    engines: usize,
    rate: usize,
    secs: u64,
    every: u64,
}

/// Runs the group (PostgreSQL only: instances share a database there).
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    if std::env::var_os("LODESTAR_TEST_DATABASE_URL").is_none() {
        return Ok(vec![Row::info(
            "chaos SKIPPED: several instances need PostgreSQL, and LODESTAR_TEST_DATABASE_URL is \
             unset (run under scripts/with-postgres.sh)",
            f64::NAN,
            "-",
        )]);
    }
    crate::server::process::raise_fd_limit()?;
    let size = if quick {
        Size { clients: 60, engines: 6, rate: 50, secs: 13, every: 4 }
    } else {
        Size { clients: 1_000, engines: 50, rate: 200, secs: 65, every: 10 }
    };
    let Size { clients: n, engines, rate, secs, every } = size;
    let db = Database::fresh(Backend::Postgres).await;
    let dir = tempfile::tempdir()?;

    // Users in a ring: i and i + 1 share a conversation, so each is in two.
    let seeded = Instant::now();
    let seeder = Seeder::open(&db.url).await?;
    let users = seeder.users("chaos", n).await?;
    let mut ring = Vec::with_capacity(n);
    for i in 0..n {
        ring.push(seeder.direct(&users[i], &users[(i + 1) % n]).await?);
    }
    let since = lodestar_protocol::format_cursor(seeder.latest_seq().await?);
    drop(seeder);
    eprintln!("bench: chaos: seeded {n} users in {:.1}s", seeded.elapsed().as_secs_f64());

    let mut cluster = Cluster::start(&db.url, dir.path(), INSTANCES).await?;
    let balancer = Balancer::start(dir.path(), &cluster.ports, 4 * n + 256).await?;
    let base = balancer.base.clone();
    let kills: Kills = Arc::default();
    let cuts: SharedCuts = Arc::new(Mutex::new(Cuts::default()));
    let (stop_tx, stop) = watch::channel(false);

    let mut engines_run = Vec::with_capacity(engines);
    let mut tasks = Vec::new();
    for user in &users[..engines] {
        let (engine, replica, events) = start_engine(&base, user, dir.path()).await?;
        tasks.push(tokio::spawn(watch_engine(events, kills.clone(), cuts.clone(), stop.clone())));
        engines_run.push((engine, replica));
    }
    let wait: FrameWait = Arc::default();
    let sockets = open_all(&base, &users[engines..], Some(&since)).await?;
    for (me, socket) in (engines..n).zip(sockets) {
        let plain = Plain { base: base.clone(), user: users[me].clone(), me, since: since.clone() };
        let (w, k, c, s) = (wait.clone(), kills.clone(), cuts.clone(), stop.clone());
        tasks.push(tokio::spawn(plain.run(socket, w, k, c, s)));
    }

    // The load and the killer, side by side.
    let accepted: Arc<Mutex<Vec<Uuid>>> = Arc::default();
    let (retried, gave_up) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let http = reqwest::Client::builder().no_proxy().build()?;
    let url = Arc::new(format!("{base}/v1/messages"));
    let total = rate * secs as usize;
    let started = Instant::now();
    let load = async {
        let mut rng = Text::new(0xc4a0_5eed);
        let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
        let mut sends = Vec::with_capacity(total);
        for tag in 0..total {
            tick.tick().await;
            // Every other message touches an engine's conversation, so replicas have plenty.
            let k = if tag % 2 == 0 { rng.below(engines) } else { rng.below(n) };
            let (from, to) = if rng.below(2) == 0 { (k, (k + 1) % n) } else { ((k + 1) % n, k) };
            let id = Uuid::now_v7();
            if to >= engines {
                wait.lock().unwrap().insert(id, to);
            }
            let body = json!({"message_id": id, "conversation_id": ring[k], "content": verdict::text(tag)});
            let (http, url, token) = (http.clone(), url.clone(), users[from].token.clone());
            let (accepted, retried, gave_up, wait) =
                (accepted.clone(), retried.clone(), gave_up.clone(), wait.clone());
            sends.push(tokio::spawn(async move {
                if send(&http, &url, &token, &body, &retried).await {
                    accepted.lock().unwrap().push(id);
                } else {
                    gave_up.fetch_add(1, Ordering::Relaxed);
                    wait.lock().unwrap().remove(&id);
                }
            }));
        }
        let offered = started.elapsed();
        for s in sends {
            let _ = s.await;
        }
        offered
    };
    let killer = async {
        let mut killed = 0usize;
        let mut at = started + Duration::from_secs(every);
        while at < started + Duration::from_secs(secs) {
            tokio::time::sleep_until(at.into()).await;
            let i = killed % INSTANCES;
            kills.lock().unwrap().push(Instant::now());
            cluster.kill(i).await?;
            tokio::time::sleep(RESTART_AFTER).await;
            cluster.restart(i).await?;
            killed += 1;
            at += Duration::from_secs(every);
        }
        anyhow::Ok(killed)
    };
    let (offered, killed) = tokio::join!(load, killer);
    let killed = killed?;

    // Every client given time to hold everything, then judged.
    let accepted = accepted.lock().unwrap().clone();
    let drain = Instant::now();
    let verdict = loop {
        let server = verdict::server_messages(&db.url).await?;
        let mut v = verdict::judge_server(&accepted, &server);
        for (i, (_, replica)) in engines_run.iter().enumerate() {
            v += judge(replica, &users[i].id, i, n, &ring, &server).await?;
        }
        v.lost += wait.lock().unwrap().len();
        if (v.lost == 0 && v.duplicated == 0 && v.reordered == 0) || drain.elapsed() > DRAIN {
            break v;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let _ = stop_tx.send(true);
    for (engine, _) in engines_run {
        engine.stop().await;
    }
    for t in tasks {
        let _ = t.await;
    }
    cluster.stop().await?;
    drop(balancer);

    let gave_up = gave_up.load(Ordering::Relaxed);
    let cuts = std::mem::take(&mut *cuts.lock().unwrap());
    // The quick run asserts no timing, but a lost message is a bug at any size, and kills that
    // cut nobody off would mean the balancer did not spread the clients.
    if quick && (verdict.lost + verdict.duplicated + verdict.reordered + gave_up > 0) {
        bail!("chaos: instances killed under load cost messages: {verdict:?}, {gave_up} sends given up");
    }
    if quick && killed > 0 && cuts.back.is_empty() {
        bail!("chaos: {killed} instances killed and no client was cut off: is the balancer spreading them?");
    }
    let what = format!(
        "{INSTANCES} instances, {n} clients ({engines} engines), {rate} msg/s, a SIGKILL every {every} s"
    );
    let sent = Sent {
        accepted: accepted.len(),
        gave_up,
        retried: retried.load(Ordering::Relaxed),
        rate: total as f64 / offered.as_secs_f64(),
    };
    Ok(rows(&what, verdict, &cuts, killed, &sent))
}

/// Sends one message, retrying with the same id until it is answered 200 or 201 (a retry of a
/// stored message answers 200) or [`GIVE_UP`] passes; answers whether it was accepted.
async fn send(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    body: &serde_json::Value,
    retried: &AtomicUsize,
) -> bool {
    let first = Instant::now();
    loop {
        if let Ok(r) = http.post(url).bearer_auth(token).json(body).send().await {
            if matches!(r.status().as_u16(), 200 | 201) {
                return true;
            }
        }
        if first.elapsed() > GIVE_UP {
            return false;
        }
        retried.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Engine `i`'s replica against the server: the two ring conversations it is in.
async fn judge(
    replica: &Replica,
    me: &Uuid,
    i: usize,
    n: usize,
    ring: &[Uuid],
    server: &[(Uuid, Uuid, String)],
) -> anyhow::Result<Verdict> {
    let convs = [ring[(i + n - 1) % n], ring[i]];
    verdict::judge_replica(replica, *me, &convs, server).await
}

/// What the senders saw.
struct Sent {
    accepted: usize,
    gave_up: usize,
    retried: usize,
    rate: f64,
}

fn rows(what: &str, v: Verdict, cuts: &Cuts, killed: usize, sent: &Sent) -> Vec<Row> {
    let back = |q: f64| quantile(&cuts.back, q).as_secs_f64();
    vec![
        Row::budgeted(
            format!("chaos: messages lost (accepted, then missing on the server, in a replica or a socket's frames), {what}"),
            v.lost as f64,
            "msgs",
            Budget::AtMost(0.0),
        ),
        Row::budgeted("chaos: messages duplicated", v.duplicated as f64, "msgs", Budget::AtMost(0.0)),
        Row::budgeted("chaos: messages in another order than the server's, in a replica", v.reordered as f64, "msgs", Budget::AtMost(0.0)),
        Row::info("chaos: messages accepted, each looked for everywhere it belongs", sent.accepted as f64, "msgs"),
        Row::budgeted("chaos: sends given up after 30 s of retries", sent.gave_up as f64, "msgs", Budget::AtMost(0.0)),
        Row::budgeted(
            format!("chaos: back live after its instance was killed, max of {} cuts", cuts.back.len()),
            back(1.0),
            "s",
            Budget::AtMost(5.0),
        ),
        Row::info("chaos: back live after its instance was killed, p50", back(0.5), "s"),
        Row::info("chaos: back live after its instance was killed, p99", back(0.99), "s"),
        Row::info("chaos: clients cut off with no kill in the 10 s before", cuts.unexplained as f64, "cuts"),
        Row::info("chaos: instances killed (SIGKILL)", killed as f64, "kills"),
        Row::info("chaos: sends retried (a 502/503 or a dropped connection)", sent.retried as f64, "tries"),
        Row::info("chaos: achieved send rate", sent.rate, "msg/s"),
    ]
}
