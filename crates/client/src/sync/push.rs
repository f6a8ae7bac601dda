//! Sending the outbox: one loop over every kind of action.
//!
//! Entries go in queue order within each lane, each once what it waits for was taken. A
//! failure worth retrying (offline, 5xx, 401, 408, 429) stops the push and leaves the entry
//! pending; a refusal for good marks the entry failed with the server's reason (and what waits
//! for it blocked), and the push goes on with the rest.

use crate::api::Api;
use crate::error::ClientResult;
use crate::outbox::Outcome;
use crate::replica::Replica;

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Entries the server now has.
    pub sent: usize,
    /// Entries it refused for good (kept, marked failed).
    pub failed: usize,
    /// Why the push stopped early, if it did (the entry stays pending).
    pub stopped: Option<String>,
}

/// Sends the outbox, oldest first, until nothing is ready or the server cannot take more now.
pub async fn push(api: &Api, replica: &Replica) -> ClientResult<PushReport> {
    // One push at a time per replica: two would send one lane's entries out of order.
    let _one_at_a_time = replica.push_guard().await;
    let mut report = PushReport::default();
    while let Some(entry) = replica.take_next().await? {
        let outcome = match &entry.action {
            Some(action) => action.deliver(api, replica, &entry).await?,
            // `take_next` only takes kinds this version knows: this one's stored form is broken.
            None => Outcome::Refused(crate::ClientError::Corrupt(format!(
                "outbox entry {} cannot be read",
                entry.id
            ))),
        };
        match outcome {
            Outcome::Sent => report.sent += 1,
            Outcome::Refused(e) => {
                tracing::warn!(entry = entry.id, kind = %entry.kind, error = %e, "the server refused an outbox entry");
                replica.fail(entry.id, &format!("{}: {e}", e.code())).await?;
                report.failed += 1;
            }
            Outcome::Later(e) => {
                replica.requeue(entry.id).await?;
                report.stopped = Some(e.to_string());
                return Ok(report);
            }
        }
    }
    Ok(report)
}
