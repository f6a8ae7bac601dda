//! Group "live": how fast a message reaches the recipient's replica with many clients online
//! ([`latency`]), and what idle WebSockets cost the server ([`idle`]). Both run the server as
//! its own process (see [`crate::server::process`]) on a fresh SQLite database, with users
//! seeded through its store (see [`crate::server::seed`]).

pub mod idle;
pub mod latency;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use futures_util::{stream, StreamExt};
use lodestar_client::engine::{Engine, Event, SyncState};
use lodestar_client::{Api, Replica};
use lodestar_tests::User;
use serde_json::Value;
use tokio::sync::{broadcast, watch};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use uuid::Uuid;

use crate::report::Row;

/// A raw `/v1/events` socket.
pub type Socket = lodestar_tests::EventSocket;

/// Runs the group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let limit = crate::server::process::raise_fd_limit()?;
    let mut rows = latency::run(quick).await?;
    rows.extend(idle::run(quick, limit).await?);
    Ok(rows)
}

/// Opens `user`'s event socket, as the app does, from `since` or else from now.
pub async fn connect(base: &str, user: &User, since: Option<&str>) -> anyhow::Result<Socket> {
    lodestar_tests::open_events(base, user, since)
        .await
        .with_context(|| format!("WebSocket of {}", user.username))
}

/// Opens the event sockets of `users` (from `since`, or else from now), 64 handshakes at a
/// time; the sockets in `users`' order.
pub async fn open_all(
    base: &str,
    users: &[User],
    since: Option<&str>,
) -> anyhow::Result<Vec<Socket>> {
    stream::iter(users)
        .map(|u| connect(base, u, since))
        .buffered(64)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}

/// A full client, as the app runs it: `user`'s engine on `base` over its own replica in `dir`,
/// answered once it is online, with the receiver of its events that saw it go online.
pub async fn start_engine(
    base: &str,
    user: &User,
    dir: &Path,
) -> anyhow::Result<(Engine, Replica, broadcast::Receiver<Event>)> {
    let replica = Replica::open(&dir.join(format!("{}.db", user.id))).await?;
    replica.set_me(user.id).await?;
    let api = Api::new(base)?.with_token(&user.token);
    let events_url = lodestar_tests::events_url(base, None);
    let engine = Engine::start(api, replica.clone(), user.id, events_url, user.token.clone());
    let mut events = engine.subscribe();
    let online = tokio::time::timeout(Duration::from_secs(30), async {
        while !matches!(events.recv().await, Ok(Event::Sync(SyncState::Online))) {}
    });
    online.await.map_err(|_| anyhow::anyhow!("engine of {} not online in 30 s", user.username))?;
    Ok((engine, replica, events))
}

/// What a plain socket read next.
pub enum Read {
    /// A frame of changes: the cursor it names and the messages in it.
    Frame {
        /// The frame's cursor, if it names one.
        cursor: Option<String>,
        /// The ids of the messages among its changes.
        messages: Vec<Uuid>,
    },
    /// The server closed the socket, or it broke.
    Closed,
    /// `stop` turned: the socket was closed politely.
    Stopped,
}

/// Reads `socket` up to its next frame of changes (pings and other frames are skipped).
pub async fn read(socket: &mut Socket, stop: &mut watch::Receiver<bool>) -> Read {
    loop {
        let msg = tokio::select! {
            m = socket.next() => m,
            _ = stop.changed() => {
                let _ = socket.close(None).await;
                return Read::Stopped;
            }
        };
        let text = match msg {
            Some(Ok(WsMessage::Text(t))) => t,
            Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => return Read::Closed,
            Some(Ok(_)) => continue,
        };
        let Ok(frame) = serde_json::from_str::<Value>(text.as_str()) else { continue };
        let messages = frame["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["kind"] == "message")
            .filter_map(|c| c["data"]["message_id"].as_str()?.parse().ok())
            .collect();
        return Read::Frame { cursor: frame["cursor"].as_str().map(str::to_owned), messages };
    }
}
