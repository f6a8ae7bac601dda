//! Watching a raw event socket: the next frame or the server's close, and the time it took.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;

use crate::EventSocket;

/// What the socket does next within `wait`: a frame of changes, or the server's close.
#[derive(Debug)]
pub enum Next {
    /// A `changes` frame.
    Changes(serde_json::Value),
    /// Closed, with the close frame's reason if there was one.
    Closed(Option<String>),
    /// Nothing within the wait.
    Nothing,
}

/// The socket's next frame or close within `wait`.
pub async fn next(socket: &mut EventSocket, wait: Duration) -> Next {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return Next::Nothing,
            Ok(None) | Ok(Some(Err(_))) => return Next::Closed(None),
            Ok(Some(Ok(Message::Close(frame)))) => {
                return Next::Closed(frame.map(|f| f.reason.to_string()))
            }
            Ok(Some(Ok(Message::Text(t)))) => {
                return Next::Changes(serde_json::from_str(t.as_str()).unwrap())
            }
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// Waits for the server's close within `wait`, failing on any frame of changes before it;
/// answers the close's reason (empty when it gave none) and how long it took.
pub async fn closed_within(
    socket: &mut EventSocket,
    wait: Duration,
    what: &str,
) -> (String, Duration) {
    let started = Instant::now();
    match next(socket, wait).await {
        Next::Closed(reason) => {
            let took = started.elapsed();
            assert!(took <= wait, "{what}: closed after {took:?}");
            (reason.unwrap_or_default(), took)
        }
        other => panic!("{what}: expected the socket closed within {wait:?}, got {other:?}"),
    }
}
