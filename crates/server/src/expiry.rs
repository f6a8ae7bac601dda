//! The timer that expires mentorship requests 14 days after they were made (PROGRAM.md).
//!
//! Every route already reads a request past its expiry as expired, and every write expires the
//! due ones first; the timer only writes it down and tells both people through sync, so their
//! apps show "expired" without either of them acting. Every instance runs one: the write is a
//! guarded `UPDATE`, so two instances expiring at once expire each request once.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;

use crate::store::Store;

/// How often due requests are looked for: a request shows as expired in sync at most this
/// long after its time (routes see it at once).
pub const EVERY: Duration = Duration::from_secs(60);

/// Starts the timer on the current runtime; it stops when `shutdown` turns true.
pub fn spawn(store: Arc<dyn Store>, shutdown: watch::Receiver<bool>) {
    crate::every::spawn(EVERY, shutdown, move || {
        let store = store.clone();
        async move {
            match store.expire_requests(Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "mentorship requests expired"),
                Err(e) => {
                    tracing::warn!(error = %e, code = e.code(), "expiring mentorship requests failed; retrying at the next tick")
                }
            }
        }
    });
}
