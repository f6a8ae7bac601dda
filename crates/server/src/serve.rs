//! The connection loop and the limits that keep a slow or greedy client from holding the server.
//!
//! `axum::serve` gives hyper no timer, and without one hyper ignores its header read timeout: a
//! client that sent its headers a byte a minute held a connection (and a task) forever. So the
//! loop here drives hyper's HTTP/1 connections itself, with a timer and a header timeout, and
//! the router gets two layers: a deadline for each whole request (body included), and a bound on
//! requests in flight past which requests are refused at once with 503 and `Retry-After`
//! (queueing them would only make every request late). An event socket counts only while its
//! upgrade is answered; the socket itself then runs on its own.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch, Semaphore};
use tower::ServiceExt as _;

use crate::error::ApiError;

/// How long the server waits for what it is owed.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From the first byte of a request to its last header.
    pub header_timeout: Duration,
    /// From a request's headers to its answer, its body included.
    pub request_timeout: Duration,
    /// Requests handled at once; more are answered 503 at once.
    pub max_in_flight: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_in_flight: 1_024,
        }
    }
}

/// Adds the per-request deadline and the bound on requests in flight to `router`.
pub fn limit(router: Router, limits: Limits) -> Router {
    let permits = Arc::new(Semaphore::new(limits.max_in_flight.max(1)));
    let deadline = limits.request_timeout;
    router.layer(axum::middleware::from_fn(move |req: Request, next: Next| {
        let permits = permits.clone();
        async move {
            let Ok(_permit) = permits.try_acquire_owned() else {
                return ApiError::Unavailable { retry_after: 1 }.into_response();
            };
            // Attachments move up to 25 MiB: they get ten times as long.
            let deadline =
                if req.uri().path().starts_with("/v1/media") { deadline * 10 } else { deadline };
            match tokio::time::timeout(deadline, next.run(req)).await {
                Ok(response) => response,
                Err(_) => ApiError::Timeout.into_response(),
            }
        }
    }))
}

/// Serves `app` on `listener` until `stop` turns true, then lets requests in flight finish.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    // Every connection task holds a clone; when all are gone, every connection has ended.
    let (open, mut all_closed) = mpsc::channel::<()>(1);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors and the like: wait a moment instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = async { stop.wait_for(|v| *v).await.map(|_| ()) } => break,
        };
        let service = app.clone().map_request(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            req.map(axum::body::Body::new)
        });
        let conn = http
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .with_upgrades();
        let (open, mut stop) = (open.clone(), stop.clone());
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                ended = conn.as_mut() => log_end(ended),
                _ = async { stop.wait_for(|v| *v).await.map(|_| ()) } => {
                    // Finish the request in flight (if any), then close.
                    conn.as_mut().graceful_shutdown();
                    log_end(conn.await);
                }
            }
            drop(open);
        });
    }
    drop(listener);
    drop(open);
    // Give WebSocket tasks a moment to send their close frames, then wait for requests.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let _ = all_closed.recv().await;
    Ok(())
}

fn log_end(ended: Result<(), hyper::Error>) {
    if let Err(e) = ended {
        tracing::trace!(error = %e, "connection ended with an error");
    }
}
