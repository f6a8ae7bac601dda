//! Group "live": how fast a message reaches the recipient's replica with many clients online
//! ([`latency`]), and what idle WebSockets cost the server ([`idle`]). Both run the server as
//! its own process (see [`crate::server::process`]) on a fresh SQLite database, with users
//! seeded through its store (see [`crate::server::seed`]).

pub mod idle;
pub mod latency;

use anyhow::Context;
use futures_util::{stream, StreamExt};
use lodestar_tests::User;

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

/// Opens `user`'s event socket, as the app does.
pub async fn connect(base: &str, user: &User) -> anyhow::Result<Socket> {
    lodestar_tests::open_events(base, user, None)
        .await
        .with_context(|| format!("WebSocket of {}", user.username))
}

/// Opens the event sockets of `users`, 64 handshakes at a time; the sockets in `users`' order.
pub async fn open_all(base: &str, users: &[User]) -> anyhow::Result<Vec<Socket>> {
    stream::iter(users)
        .map(|u| connect(base, u))
        .buffered(64)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}
