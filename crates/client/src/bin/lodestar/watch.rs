//! `sync --watch`: stay live. The WebSocket is used as a poke: every frame (and every
//! reconnect) triggers a normal sync from the stored cursor, so a missed frame loses nothing.

use std::time::Duration;

use futures_util::StreamExt;
use lodestar_client::{Client, ClientError};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::output::Out;

/// Syncs, then waits on the event socket and syncs again on every frame, reconnecting with
/// exponential backoff (with jitter) when the server goes away. Runs until interrupted.
pub async fn run(client: &Client, out: &Out) -> Result<(), ClientError> {
    let mut backoff = Duration::from_millis(500);
    loop {
        match client.sync(|p| out.progress(p)).await {
            Ok(report) => out.synced(&report),
            Err(ClientError::Offline(e)) => eprintln!("offline ({e}); retrying in {backoff:?}"),
            Err(e) => return Err(e),
        }
        match listen(client).await {
            Ok(()) => backoff = Duration::from_millis(500),
            Err(e) => {
                let jitter = Duration::from_millis(u64::from(rand_jitter()));
                tokio::time::sleep(backoff + jitter).await;
                backoff = (backoff * 2).min(Duration::from_secs(30));
                tracing::debug!(error = %e, "event socket closed");
            }
        }
    }
}

/// Waits for the next frame (then answers Ok so the caller syncs), or fails on a drop.
async fn listen(client: &Client) -> Result<(), String> {
    let (url, token) = client.events_endpoint().map_err(|e| e.to_string())?;
    let mut req = url.into_client_request().map_err(|e| e.to_string())?;
    let value = format!("Bearer {token}").parse().map_err(|_| "bad token".to_owned())?;
    req.headers_mut().insert("authorization", value);
    let (mut socket, _) = tokio_tungstenite::connect_async(req).await.map_err(|e| e.to_string())?;
    loop {
        match socket.next().await {
            Some(Ok(tokio_tungstenite::tungstenite::Message::Text(_))) => return Ok(()),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.to_string()),
            None => return Err("closed".into()),
        }
    }
}

fn rand_jitter() -> u16 {
    // Sub-second jitter from the clock is enough to spread reconnecting clients apart.
    (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_millis())
        .unwrap_or(0)
        % 500) as u16
}
