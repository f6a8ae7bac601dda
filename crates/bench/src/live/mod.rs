//! Group "live": how fast a message reaches the recipient's replica with many clients online
//! ([`latency`]), and what idle WebSockets cost the server ([`idle`]). Both run the server as
//! its own process (see [`crate::server::process`]) on a fresh SQLite database, with users
//! seeded through its store (see [`crate::server::seed`]).

pub mod idle;
pub mod latency;

use anyhow::Context;
use lodestar_tests::User;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::report::Row;

/// A raw `/v1/events` socket.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Runs the group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let limit = crate::server::process::raise_fd_limit()?;
    let mut rows = latency::run(quick).await?;
    rows.extend(idle::run(quick, limit).await?);
    Ok(rows)
}

/// `ws://…/v1/events` of a server at `base`.
pub fn events_url(base: &str) -> String {
    format!("{}/v1/events", base.replacen("http://", "ws://", 1))
}

/// Opens `user`'s event socket, as the app does (bearer token in the upgrade request).
pub async fn connect(base: &str, user: &User) -> anyhow::Result<Socket> {
    let mut req = events_url(base).into_client_request()?;
    req.headers_mut().insert("authorization", format!("Bearer {}", user.token).parse()?);
    let (socket, _) = tokio_tungstenite::connect_async(req)
        .await
        .with_context(|| format!("WebSocket of {}", user.username))?;
    Ok(socket)
}

/// A small deterministic generator (xorshift64*): the same pairs every run, no dependency.
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}
