//! The live feed: one reader of the change log per server instance, so that a commit costs one
//! query however many WebSockets are open.
//!
//! After every commit (on any instance: the store's `watch` follows PostgreSQL's NOTIFY too),
//! the feed task reads who the new changes are for ([`ChangeScope`], no data) and broadcasts
//! them. Each socket decides from that alone whether the batch may concern its user
//! ([`assess`]); only then does it pull with `Store::sync`, which stays the one authority on
//! what a user may see. The assessment may say "pull" too often (a profile edit, a new
//! conversation anywhere) but never too rarely, so a socket that skips a batch may move its
//! cursor past it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use lodestar_protocol::ChangeKind;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::store::{ChangeScope, Store};

/// Scopes read per query.
const READ_LIMIT: i64 = 1_000;
/// Batches a slow socket may fall behind before it must pull for itself.
const BACKLOG: usize = 1_024;

/// The changes committed after `after`, in seq order, with no gap.
#[derive(Debug)]
pub struct FeedBatch {
    /// The seq just before the first of `scopes`.
    pub after: i64,
    /// Who each change is for.
    pub scopes: Vec<ChangeScope>,
}

/// The instance's feed; cheap to clone.
#[derive(Clone)]
pub struct Feed {
    tx: broadcast::Sender<Arc<FeedBatch>>,
}

impl Feed {
    /// Starts the reading task on the current runtime.
    pub fn spawn(store: Arc<dyn Store>) -> Feed {
        let (tx, _) = broadcast::channel(BACKLOG);
        tokio::spawn(read_loop(store, tx.clone()));
        Feed { tx }
    }

    /// Every batch from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<FeedBatch>> {
        self.tx.subscribe()
    }
}

async fn read_loop(store: Arc<dyn Store>, tx: broadcast::Sender<Arc<FeedBatch>>) {
    let mut seqs = store.subscribe();
    let mut last = *seqs.borrow_and_update();
    while seqs.changed().await.is_ok() {
        loop {
            match store.change_scopes(last, READ_LIMIT).await {
                Ok(scopes) => {
                    let Some(newest) = scopes.last().map(|c| c.seq) else { break };
                    let full = scopes.len() as i64 == READ_LIMIT;
                    // No subscriber is fine: no socket is open.
                    let _ = tx.send(Arc::new(FeedBatch { after: last, scopes }));
                    last = newest;
                    if !full {
                        break;
                    }
                }
                Err(e) => {
                    // Sockets still get everything: their next pull starts from their cursor.
                    tracing::warn!(error = %e, code = e.code(), "the live feed cannot read the change log; retrying");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    seqs.mark_changed();
                    break;
                }
            }
        }
    }
}

/// What a socket does with a batch.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing in it is for this user: the cursor may move to this seq without a query.
    Skip(i64),
    /// Something may be: pull. `reload`: the user's conversations may have changed too.
    Pull {
        /// Read the user's conversation ids again first.
        reload: bool,
    },
}

/// Whether `batch` may hold something `me` sees, for a socket at `cursor` whose user takes part
/// in `mine`. Errs towards pulling: anything that could change who sees what pulls and reloads.
pub fn assess(batch: &FeedBatch, me: Uuid, cursor: i64, mine: &HashSet<Uuid>) -> Verdict {
    if batch.after > cursor {
        // A gap (the socket subscribed late): only a pull can tell.
        return Verdict::Pull { reload: true };
    }
    let (mut pull, mut reload) = (false, false);
    for c in batch.scopes.iter().filter(|c| c.seq > cursor) {
        match (c.target_user_id, c.kind) {
            (Some(target), _) => {
                if target == me {
                    pull = true;
                    reload = true;
                }
            }
            (None, ChangeKind::Message | ChangeKind::Read) => {
                if c.conversation_id.is_none_or(|id| mine.contains(&id)) {
                    pull = true;
                }
            }
            (None, ChangeKind::Profile) => pull = true,
            (
                None,
                ChangeKind::Conversation
                | ChangeKind::Participant
                | ChangeKind::Group
                | ChangeKind::GroupMember,
            ) => {
                pull = true;
                reload = true;
            }
        }
    }
    if pull {
        Verdict::Pull { reload }
    } else {
        Verdict::Skip(batch.scopes.last().map_or(cursor, |c| c.seq).max(cursor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(seq: i64, kind: ChangeKind, conv: Option<Uuid>, target: Option<Uuid>) -> ChangeScope {
        ChangeScope {
            seq,
            kind,
            conversation_id: conv,
            subject_user_id: None,
            target_user_id: target,
        }
    }

    #[test]
    fn messages_elsewhere_are_skipped_and_the_cursor_moves_past_them() {
        let (me, other) = (Uuid::new_v4(), Uuid::new_v4());
        let (mine, theirs) = (Uuid::new_v4(), Uuid::new_v4());
        let set = HashSet::from([mine]);
        let batch = FeedBatch {
            after: 10,
            scopes: vec![
                scope(11, ChangeKind::Message, Some(theirs), None),
                scope(12, ChangeKind::Read, Some(theirs), None),
                scope(13, ChangeKind::Message, Some(mine), Some(other)),
            ],
        };
        assert_eq!(assess(&batch, me, 10, &set), Verdict::Skip(13));
        let batch =
            FeedBatch { after: 13, scopes: vec![scope(14, ChangeKind::Message, Some(mine), None)] };
        assert_eq!(assess(&batch, me, 13, &set), Verdict::Pull { reload: false });
        // Already past it: nothing to do.
        assert_eq!(assess(&batch, me, 14, &set), Verdict::Skip(14));
    }

    #[test]
    fn anything_that_may_change_who_sees_what_pulls_and_reloads() {
        let me = Uuid::new_v4();
        let set = HashSet::new();
        for kind in [
            ChangeKind::Conversation,
            ChangeKind::Participant,
            ChangeKind::Group,
            ChangeKind::GroupMember,
        ] {
            let batch =
                FeedBatch { after: 1, scopes: vec![scope(2, kind, Some(Uuid::new_v4()), None)] };
            assert_eq!(assess(&batch, me, 1, &set), Verdict::Pull { reload: true }, "{kind:?}");
        }
        let snapshot = FeedBatch {
            after: 1,
            scopes: vec![scope(2, ChangeKind::Message, Some(Uuid::new_v4()), Some(me))],
        };
        assert_eq!(assess(&snapshot, me, 1, &set), Verdict::Pull { reload: true });
        let profile =
            FeedBatch { after: 1, scopes: vec![scope(2, ChangeKind::Profile, None, None)] };
        assert_eq!(assess(&profile, me, 1, &set), Verdict::Pull { reload: false });
        let gap = FeedBatch { after: 5, scopes: vec![] };
        assert_eq!(assess(&gap, me, 1, &set), Verdict::Pull { reload: true });
    }
}
