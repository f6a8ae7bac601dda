//! Moving changes between the replica and the server.
//!
//! - [`pull`]: pages `GET /v1/sync` from the stored cursor until up to date, each page applied
//!   in one transaction with its cursor, reporting progress as it goes.
//! - [`push`]: sends the outbox in queue order. A failure worth retrying (offline, 5xx, 401,
//!   429) stops the push and leaves the entry pending; a refusal for good marks the entry failed
//!   with the server's reason and the push goes on with the rest.

use lodestar_protocol::{Message, SendMessageRequest};
use serde::Deserialize;
use uuid::Uuid;

use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::replica::{ApplyStats, MessageItem, OutboxKind, Replica};

/// Changes per page of a pull.
const PAGE: u32 = 1_000;

/// How far a pull has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PullProgress {
    /// Changes applied so far in this pull.
    pub applied: u64,
    /// Pages applied so far.
    pub pages: u64,
    /// Whether more pages wait.
    pub more: bool,
    /// About how many changes this pull brings in all (applied plus the server's estimate of
    /// what remains): the denominator of a progress bar.
    pub estimated_total: u64,
}

/// Pulls until the replica is up to date; `progress` hears after every page.
pub async fn pull(
    api: &Api,
    replica: &Replica,
    mut progress: impl FnMut(PullProgress),
) -> ClientResult<PullProgress> {
    pull_pages(api, replica, |state, _| progress(state)).await
}

/// Like [`pull`], handing each applied page's details to `on_page` (the engine decides
/// notifications from the messages it stored).
pub async fn pull_pages(
    api: &Api,
    replica: &Replica,
    mut on_page: impl FnMut(PullProgress, &ApplyStats),
) -> ClientResult<PullProgress> {
    let mut state = PullProgress::default();
    let (cursor, _) = replica.cursor().await?;
    let mut page = api.sync(cursor.as_deref(), PAGE).await?;
    loop {
        // Fetch the next page while this one is applied: its `since` is this page's cursor,
        // which is exactly what the replica stores once this page is in.
        let next = page.has_more.then(|| {
            let (api, since) = (api.clone(), page.cursor.clone());
            tokio::spawn(async move { api.sync(Some(&since), PAGE).await })
        });
        let stats = replica.apply_page(&page.changes, &page.cursor).await;
        let stats = match stats {
            Ok(stats) => stats,
            Err(e) => {
                if let Some(next) = next {
                    next.abort();
                }
                return Err(e);
            }
        };
        state.applied += stats.applied as u64;
        state.pages += 1;
        state.more = page.has_more;
        state.estimated_total =
            state.applied + u64::try_from(page.estimated_remaining).unwrap_or(0);
        on_page(state, &stats);
        match next {
            None => return Ok(state),
            Some(next) => {
                page = next
                    .await
                    .map_err(|e| ClientError::Offline(format!("the page fetch stopped: {e}")))??;
            }
        }
    }
}

/// Older messages, for scrolling back: from the replica, and from the server (then kept) when
/// the replica has fewer than `limit` before `before`. Offline, what the replica has.
pub async fn backfill(
    api: &Api,
    replica: &Replica,
    me: Uuid,
    conversation_id: Uuid,
    before: i64,
    limit: i64,
) -> ClientResult<Vec<MessageItem>> {
    let local = replica.messages(me, conversation_id, Some(before), limit).await?;
    if local.len() as i64 >= limit {
        return Ok(local);
    }
    let oldest = local.first().map_or(before, |m| m.message.seq);
    let missing = u32::try_from(limit - local.len() as i64).unwrap_or(200).min(200);
    match api.history(conversation_id, Some(oldest), missing).await {
        Ok(page) => replica.store_messages(&page.messages).await?,
        Err(ClientError::Offline(_)) => return Ok(local),
        Err(e) => return Err(e),
    }
    replica.messages(me, conversation_id, Some(before), limit).await
}

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

#[derive(Deserialize)]
struct ReadPayload {
    message_ids: Vec<Uuid>,
}

/// Sends the outbox, oldest first, until it is empty or the server cannot take more now.
pub async fn push(api: &Api, replica: &Replica) -> ClientResult<PushReport> {
    // One push at a time per replica: two would send one conversation's messages out of order.
    let _one_at_a_time = replica.push_guard().await;
    let mut report = PushReport::default();
    // Conversations opened offline exist on the server before anything is sent into them.
    for (conversation_id, other) in replica.local_conversations().await? {
        match api.open_direct(other).await {
            Ok(_) => replica.confirm_conversation(conversation_id).await?,
            Err(e) if e.is_permanent() => {
                tracing::warn!(%conversation_id, error = %e, "the server refused to open a conversation");
                replica.confirm_conversation(conversation_id).await?;
            }
            Err(e) => {
                report.stopped = Some(e.to_string());
                return Ok(report);
            }
        }
    }
    while let Some(entry) = replica.take_next().await? {
        let outcome: ClientResult<Option<Message>> = match entry.kind {
            OutboxKind::Message => {
                let req: SendMessageRequest = serde_json::from_value(entry.payload.clone())
                    .map_err(|e| ClientError::Corrupt(format!("outbox entry {}: {e}", entry.id)))?;
                api.send_message(&req).await.map(Some)
            }
            OutboxKind::Profile => {
                let req: lodestar_protocol::UpdateMeRequest =
                    serde_json::from_value(entry.payload.clone()).map_err(|e| {
                        ClientError::Corrupt(format!("outbox entry {}: {e}", entry.id))
                    })?;
                match api.update_me(&req).await {
                    Ok(me) => {
                        replica.ack_profile(entry.id, &me).await?;
                        report.sent += 1;
                        continue;
                    }
                    Err(e) => {
                        if e.is_permanent() {
                            // The edit was shown at once; show the server's record again.
                            if let Ok(me) = api.me().await {
                                replica.restore_me(&me).await?;
                            }
                        }
                        Err(e)
                    }
                }
            }
            OutboxKind::Read => {
                let req: ReadPayload = serde_json::from_value(entry.payload.clone())
                    .map_err(|e| ClientError::Corrupt(format!("outbox entry {}: {e}", entry.id)))?;
                api.read(&req.message_ids).await.map(|()| None)
            }
        };
        match outcome {
            Ok(Some(server_copy)) => {
                replica.ack_message(entry.id, &server_copy).await?;
                report.sent += 1;
            }
            Ok(None) => {
                replica.ack(entry.id).await?;
                report.sent += 1;
            }
            Err(e) if e.is_permanent() => {
                tracing::warn!(entry = entry.id, error = %e, "the server refused an outbox entry");
                replica.fail(entry.id, &format!("{}: {e}", e.code())).await?;
                report.failed += 1;
            }
            Err(e) => {
                replica.requeue(entry.id).await?;
                report.stopped = Some(e.to_string());
                return Ok(report);
            }
        }
    }
    Ok(report)
}
