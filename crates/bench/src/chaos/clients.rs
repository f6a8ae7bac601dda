//! The chaos group's clients, both kinds reconnecting on their own through the balancer, and
//! each timing how long it was cut off when its instance was killed:
//! - full engines (`lodestar_client`, as the app runs it): back live when they announce
//!   `Online` again, which they do only once caught up;
//! - plain event sockets: they keep the last cursor a frame named, reconnect from it every
//!   250 ms (the engine's shortest backoff) until a socket opens, and tick off the messages
//!   addressed to them as frames bring them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lodestar_client::engine::{Event, SyncState};
use lodestar_tests::User;
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

use crate::live::{read, Read};

/// When the instances were killed, in order.
pub type Kills = Arc<Mutex<Vec<Instant>>>;

/// Messages a plain socket waits for: id → the recipient's index.
pub type FrameWait = Arc<Mutex<HashMap<Uuid, usize>>>;

/// What every client measured about its cuts.
#[derive(Default)]
pub struct Cuts {
    /// From the kill to back live, one per client cut off by a kill.
    pub back: Vec<Duration>,
    /// Cuts with no kill in the 10 s before them (a client dropped for another reason).
    pub unexplained: usize,
}

/// Shared between the clients.
pub type SharedCuts = Arc<Mutex<Cuts>>;

/// How long before a cut a kill may have caused it.
const CAUSE_WINDOW: Duration = Duration::from_secs(10);
/// A plain socket's wait between attempts to reconnect.
const RETRY: Duration = Duration::from_millis(250);

/// Records a cut that began at `cut` and ended (back live) now.
fn record(cuts: &SharedCuts, kills: &Kills, cut: Instant) {
    let back = Instant::now();
    let cause = kills.lock().unwrap().iter().rev().find(|k| **k <= cut).copied();
    let mut c = cuts.lock().unwrap();
    match cause {
        Some(k) if cut.duration_since(k) <= CAUSE_WINDOW => c.back.push(back.duration_since(k)),
        _ => c.unexplained += 1,
    }
}

/// Follows an engine's announcements: a cut starts when it leaves `Online`, and ends when it is
/// `Online` again.
pub async fn watch_engine(
    mut events: broadcast::Receiver<Event>,
    kills: Kills,
    cuts: SharedCuts,
    mut stop: watch::Receiver<bool>,
) {
    let mut cut: Option<Instant> = None;
    loop {
        let ev = tokio::select! {
            ev = events.recv() => ev,
            _ = stop.changed() => return,
        };
        match ev {
            Ok(Event::Sync(SyncState::Online)) => {
                if let Some(c) = cut.take() {
                    record(&cuts, &kills, c);
                }
            }
            Ok(Event::Sync(_)) => {
                cut.get_or_insert_with(Instant::now);
            }
            Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// A plain client: `me` is its index among all users.
pub struct Plain {
    /// The balancer.
    pub base: String,
    /// Who it is.
    pub user: User,
    /// Its index.
    pub me: usize,
    /// The cursor its socket started from (before the load).
    pub since: String,
}

impl Plain {
    /// Reads frames until `stop`, reconnecting from its cursor whenever the socket drops.
    pub async fn run(
        self,
        mut socket: crate::live::Socket,
        wait: FrameWait,
        kills: Kills,
        cuts: SharedCuts,
        mut stop: watch::Receiver<bool>,
    ) {
        let mut cursor = self.since.clone();
        loop {
            match read(&mut socket, &mut stop).await {
                Read::Frame { cursor: named, messages } => {
                    if let Some(c) = named {
                        cursor = c;
                    }
                    let mut w = wait.lock().unwrap();
                    for id in messages {
                        if w.get(&id) == Some(&self.me) {
                            w.remove(&id);
                        }
                    }
                }
                Read::Closed => {
                    let cut = Instant::now();
                    socket = loop {
                        if *stop.borrow() {
                            return;
                        }
                        match lodestar_tests::open_events(&self.base, &self.user, Some(&cursor))
                            .await
                        {
                            Ok(s) => break s,
                            Err(_) => tokio::time::sleep(RETRY).await,
                        }
                    };
                    record(&cuts, &kills, cut);
                }
                Read::Stopped => return,
            }
        }
    }
}
