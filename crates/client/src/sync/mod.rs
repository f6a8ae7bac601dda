//! Moving changes between the replica and the server.
//!
//! - [`pull`]: pages `GET /v1/sync` from the stored cursor until up to date, each page applied
//!   in one transaction with its cursor, reporting progress as it goes. A group the user joined
//!   while the pull is behind gets its newest messages fetched at once (see [`newest_first`]).
//! - [`push`]: sends the outbox in queue order (see `push.rs`).

mod push;

use lodestar_protocol::{Change, ChangeKind, ChangeOp};
use uuid::Uuid;

pub use push::{push, PushReport};

use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::replica::{ApplyStats, MessageItem, Replica};

/// Changes per page of a pull.
const PAGE: u32 = 1_000;

/// Messages of a newly joined group fetched ahead of its history: the window's first page.
const NEWEST: u32 = 50;

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
        let joined =
            if page.has_more { new_groups(replica, &page.changes).await? } else { Vec::new() };
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
        for conversation_id in joined {
            newest_first(api, replica, conversation_id).await;
        }
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

/// The conversations of the groups in `changes` that the replica does not hold yet: groups
/// joined since the stored cursor.
pub(crate) async fn new_groups(replica: &Replica, changes: &[Change]) -> ClientResult<Vec<Uuid>> {
    let mut out = Vec::new();
    for change in changes {
        if (change.kind, change.op) != (ChangeKind::Group, ChangeOp::Upsert) {
            continue;
        }
        let Some(id) = change.data.get("conversation_id").and_then(|v| v.as_str()) else {
            continue;
        };
        let Ok(id) = id.parse::<Uuid>() else { continue };
        if !out.contains(&id) && !replica.has_conversation(id).await? {
            out.push(id);
        }
    }
    Ok(out)
}

/// Stores the newest messages of a group just joined, ahead of its history. The server hands a
/// new member the group's history in its log, oldest first, right after the group itself: a
/// million messages would keep the newest page (what the member opens the group to see) out of
/// the replica for the whole pull. As a Matrix client shows a joined room's latest timeline and
/// backfills, the newest page is fetched from the history endpoint now; the log's pages then
/// bring every message again in order (the same ids: stored in place), with its reads and
/// reactions. A failure here costs only the shortcut, so it is logged, not raised.
pub(crate) async fn newest_first(api: &Api, replica: &Replica, conversation_id: Uuid) {
    let stored = match api.history(conversation_id, None, NEWEST).await {
        Ok(page) => replica.store_messages(&page.messages).await,
        Err(e) => Err(e),
    };
    if let Err(e) = stored {
        tracing::debug!(%conversation_id, error = %e, "the newest page of a joined group waits for the log");
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
