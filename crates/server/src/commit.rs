//! Group commit for `POST /v1/messages`.
//!
//! A message is acknowledged only once it is durable, and a durable commit costs a WAL sync
//! (SQLite) or a WAL flush (PostgreSQL) whatever it holds. So requests do not commit one by one:
//! they queue here, and one task takes whatever has queued (up to [`MAX_BATCH`]) and stores it
//! with [`Store::send_messages`] in one transaction, then answers each request. Nothing waits
//! on a timer: a lone message is committed at once, and under load a batch simply gathers the
//! requests that arrived while the previous one was committing.
//!
//! The task, not the request, owns the commit: a client that hangs up mid-request cannot
//! cancel a transaction that other requests' messages share.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::store::{NewMessage, SendOutcome, Store, StoreError, StoreResult};

/// The most messages one transaction stores.
pub const MAX_BATCH: usize = 256;

struct Pending {
    sender: Uuid,
    message: NewMessage,
    reply: oneshot::Sender<StoreResult<SendOutcome>>,
}

/// The queue in front of the store's message writes; cheap to clone.
#[derive(Clone)]
pub struct MessageCommitter {
    queue: mpsc::Sender<Pending>,
}

impl MessageCommitter {
    /// Starts the committing task on the current runtime; it ends when every handle is dropped.
    pub fn spawn(store: Arc<dyn Store>) -> MessageCommitter {
        let (queue, rx) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(commit_loop(store, rx));
        MessageCommitter { queue }
    }

    /// Stores a message from `sender` (idempotently by its id) once it is durable.
    pub async fn send(&self, sender: Uuid, message: NewMessage) -> StoreResult<SendOutcome> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending { sender, message, reply })
            .await
            .map_err(|_| StoreError::Stopped)?;
        answer.await.map_err(|_| StoreError::Stopped)?
    }
}

async fn commit_loop(store: Arc<dyn Store>, mut rx: mpsc::Receiver<Pending>) {
    let mut pending = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut pending, MAX_BATCH).await > 0 {
        // Moved out, not copied: the messages go to the store, the replies stay here.
        let (batch, replies): (Vec<(Uuid, NewMessage)>, Vec<_>) =
            pending.drain(..).map(|p| ((p.sender, p.message), p.reply)).unzip();
        match store.send_messages(&batch).await {
            Ok(outcomes) => answer(replies, outcomes),
            Err(e) if batch.len() > 1 => {
                // One message the database refuses (a value the rules let through, a row that
                // breaks a constraint) must not fail the others it was batched with: commit each
                // on its own, so only the bad one fails and its sender alone sees why.
                tracing::warn!(error = %e, code = e.code(), messages = batch.len(), "a message batch failed; committing its messages one by one");
                for ((sender, message), reply) in batch.into_iter().zip(replies) {
                    let outcome = store.send_message(sender, message).await;
                    if let Err(e) = &outcome {
                        tracing::error!(error = %e, code = e.code(), "a message failed on its own");
                    }
                    let _ = reply.send(outcome);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, code = e.code(), "a message failed");
                let e = Arc::new(e);
                for reply in replies {
                    let _ = reply.send(Err(StoreError::Batch(e.clone())));
                }
            }
        }
    }
}

/// Hands each request its outcome; a client that has gone loses nothing (its message is stored).
fn answer(
    replies: Vec<oneshot::Sender<StoreResult<SendOutcome>>>,
    outcomes: Vec<StoreResult<SendOutcome>>,
) {
    for (reply, outcome) in replies.into_iter().zip(outcomes) {
        let _ = reply.send(outcome);
    }
}
