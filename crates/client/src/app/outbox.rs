//! The Outbox screen: what waits to be sent or was refused, retried or discarded.

use super::views::OutboxView;
use super::App;
use crate::engine::Topic;
use crate::error::ClientResult;
use crate::replica::OutboxState;

impl App {
    /// What waits in the outbox or was refused.
    pub async fn outbox(&self) -> ClientResult<Vec<OutboxView>> {
        let entries = self.client.read().await.replica()?.outbox().await?;
        Ok(entries.into_iter().map(OutboxView::from).collect())
    }

    /// Uploads still to go (not refused): an app update waits for them, since a restart would
    /// send each again from its first byte.
    pub async fn uploads_in_flight(&self) -> ClientResult<usize> {
        let entries = self.client.read().await.replica()?.outbox().await?;
        Ok(entries
            .iter()
            .filter(|e| {
                e.kind == "upload" && matches!(e.state, OutboxState::Pending | OutboxState::Sending)
            })
            .count())
    }

    /// Sends a refused entry again.
    pub async fn retry(&self, entry_id: i64) -> ClientResult<()> {
        self.client.read().await.replica()?.retry(entry_id).await?;
        self.kick().await;
        self.changed(Topic::Outbox.all());
        Ok(())
    }

    /// Drops a refused entry (a refused message disappears with it).
    pub async fn discard(&self, entry_id: i64) -> ClientResult<()> {
        self.client.read().await.replica()?.discard(entry_id).await?;
        self.changed(Topic::Conversations.all());
        self.changed(Topic::Outbox.all());
        Ok(())
    }
}
