//! The server's background chores (expiring requests, sweeping unnamed media): one job run on a
//! fixed period until the server shuts down.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

/// Runs `job` every `period` on the current runtime, the first time at once, until `shutdown`
/// turns true (or its sender goes). A tick missed while a job ran waits for the next one
/// rather than firing in a burst.
pub fn spawn<F, Fut>(period: Duration, mut shutdown: watch::Receiver<bool>, mut job: F)
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
            job().await;
        }
    });
}
