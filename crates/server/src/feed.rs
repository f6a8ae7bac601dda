//! The live feed: one reader of the change log per server instance, so that a commit costs one
//! query however many WebSockets are open.
//!
//! After every commit (on any instance: the store's `watch` follows PostgreSQL's NOTIFY too),
//! the feed task reads who the new changes are for ([`ChangeScope`], no data) and broadcasts
//! them, with who is concerned by the changes that may change who sees what: the current
//! members of each conversation whose membership or metadata changed, and the conversations of
//! each person whose profile changed (a few queries per batch, however many sockets). Each
//! socket decides from that alone whether the batch may concern its user ([`assess`]); only
//! then does it pull with `Store::sync`, which stays the one authority on what a user may see.
//! The assessment may say "pull" too often but never too rarely, so a socket that skips a
//! batch may move its cursor past it. Before these lists, every profile edit and every new
//! conversation anywhere woke every socket of every instance into a sync query.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use lodestar_protocol::ChangeKind;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::store::{ChangeScope, Store, StoreResult};

/// Scopes read per query.
const READ_LIMIT: i64 = 1_000;
/// Batches a slow socket may fall behind before it must pull for itself.
const BACKLOG: usize = 1_024;

/// The changes committed after `after`, in seq order, with no gap.
#[derive(Debug, Default)]
pub struct FeedBatch {
    /// The seq just before the first of `scopes`.
    pub after: i64,
    /// Who each change is for.
    pub scopes: Vec<ChangeScope>,
    /// The members, as the batch was read, of each conversation whose membership or metadata
    /// changed in it.
    pub members: HashMap<Uuid, HashSet<Uuid>>,
    /// The conversations, as the batch was read, of each person whose profile changed in it
    /// (to all their peers).
    pub subject_conversations: HashMap<Uuid, HashSet<Uuid>>,
}

/// Whether a change of this kind may change who sees what.
fn reshapes(kind: ChangeKind) -> bool {
    !matches!(kind, ChangeKind::Message | ChangeKind::Read | ChangeKind::Profile)
}

impl FeedBatch {
    /// Reads who is concerned by `scopes` (see the module's notes).
    async fn read(store: &dyn Store, after: i64, scopes: Vec<ChangeScope>) -> StoreResult<Self> {
        let mut conversations: Vec<Uuid> = scopes
            .iter()
            .filter(|c| c.target_user_id.is_none() && reshapes(c.kind))
            .filter_map(|c| c.conversation_id)
            .collect();
        conversations.sort_unstable();
        conversations.dedup();
        let mut members: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
        if !conversations.is_empty() {
            for (conversation, user) in store.conversation_members(&conversations).await? {
                members.entry(conversation).or_default().insert(user);
            }
        }
        let mut subject_conversations: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
        for c in &scopes {
            if let (ChangeKind::Profile, None, None, Some(subject)) =
                (c.kind, c.target_user_id, c.conversation_id, c.subject_user_id)
            {
                if let std::collections::hash_map::Entry::Vacant(entry) =
                    subject_conversations.entry(subject)
                {
                    entry.insert(store.conversation_ids(subject).await?.into_iter().collect());
                }
            }
        }
        Ok(FeedBatch { after, scopes, members, subject_conversations })
    }
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
            let read = match store.change_scopes(last, READ_LIMIT).await {
                Ok(scopes) => {
                    let newest = scopes.last().map(|c| c.seq);
                    let full = scopes.len() as i64 == READ_LIMIT;
                    FeedBatch::read(store.as_ref(), last, scopes).await.map(|b| (b, newest, full))
                }
                Err(e) => Err(e),
            };
            match read {
                Ok((_, None, _)) => break,
                Ok((batch, Some(newest), full)) => {
                    // No subscriber is fine: no socket is open.
                    let _ = tx.send(Arc::new(batch));
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
/// in `mine`. Errs towards pulling: a change that may change who sees what pulls and reloads
/// for everyone it may concern (a member of its conversation before or after it).
pub fn assess(batch: &FeedBatch, me: Uuid, cursor: i64, mine: &HashSet<Uuid>) -> Verdict {
    if batch.after > cursor {
        // A gap (the socket subscribed late): only a pull can tell.
        return Verdict::Pull { reload: true };
    }
    let (mut pull, mut reload) = (false, false);
    let in_mine = |conversation: Option<Uuid>| conversation.is_none_or(|id| mine.contains(&id));
    for c in batch.scopes.iter().filter(|c| c.seq > cursor) {
        match (c.target_user_id, c.kind) {
            (Some(target), _) => {
                if target == me {
                    pull = true;
                    reload = true;
                }
            }
            (None, ChangeKind::Message | ChangeKind::Read | ChangeKind::Reaction) => {
                if in_mine(c.conversation_id) {
                    pull = true;
                }
            }
            (None, ChangeKind::Profile) => {
                let shared = match (c.conversation_id, c.subject_user_id) {
                    (Some(conversation), _) => mine.contains(&conversation),
                    (None, Some(subject)) => batch
                        .subject_conversations
                        .get(&subject)
                        .is_none_or(|theirs| subject == me || !theirs.is_disjoint(mine)),
                    (None, None) => true,
                };
                if shared {
                    pull = true;
                }
            }
            (
                None,
                ChangeKind::Conversation
                | ChangeKind::Participant
                | ChangeKind::Group
                | ChangeKind::GroupMember,
            ) => {
                let concerned = match c.conversation_id {
                    Some(conversation) => {
                        mine.contains(&conversation)
                            || batch.members.get(&conversation).is_none_or(|m| m.contains(&me))
                    }
                    None => true,
                };
                if concerned {
                    pull = true;
                    reload = true;
                }
            }
            // The mentorship domain's changes are written once per person they concern, so
            // an untargeted one is unexpected: pull rather than risk missing it.
            (
                None,
                ChangeKind::MentorshipRequest
                | ChangeKind::Mentorship
                | ChangeKind::Goal
                | ChangeKind::Task
                | ChangeKind::Session
                | ChangeKind::SessionNotes
                | ChangeKind::Block,
            ) => pull = true,
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
            ..Default::default()
        };
        assert_eq!(assess(&batch, me, 10, &set), Verdict::Skip(13));
        let batch = FeedBatch {
            after: 13,
            scopes: vec![scope(14, ChangeKind::Message, Some(mine), None)],
            ..Default::default()
        };
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
            let batch = FeedBatch {
                after: 1,
                scopes: vec![scope(2, kind, Some(Uuid::new_v4()), None)],
                ..Default::default()
            };
            assert_eq!(assess(&batch, me, 1, &set), Verdict::Pull { reload: true }, "{kind:?}");
        }
        let snapshot = FeedBatch {
            after: 1,
            scopes: vec![scope(2, ChangeKind::Message, Some(Uuid::new_v4()), Some(me))],
            ..Default::default()
        };
        assert_eq!(assess(&snapshot, me, 1, &set), Verdict::Pull { reload: true });
        let profile = FeedBatch {
            after: 1,
            scopes: vec![scope(2, ChangeKind::Profile, None, None)],
            ..Default::default()
        };
        assert_eq!(assess(&profile, me, 1, &set), Verdict::Pull { reload: false });
        let gap = FeedBatch { after: 5, scopes: vec![], ..Default::default() };
        assert_eq!(assess(&gap, me, 1, &set), Verdict::Pull { reload: true });
    }

    #[test]
    fn changes_to_other_peoples_conversations_and_profiles_wake_no_one_else() {
        let (me, ann, ben) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let (ours, theirs) = (Uuid::new_v4(), Uuid::new_v4());
        let mine = HashSet::from([ours]);
        // ann and ben open a conversation: its members are read with the batch.
        let mut opened = FeedBatch {
            after: 1,
            scopes: vec![
                scope(2, ChangeKind::Conversation, Some(theirs), None),
                scope(3, ChangeKind::Participant, Some(theirs), None),
            ],
            ..Default::default()
        };
        opened.members.insert(theirs, HashSet::from([ann, ben]));
        assert_eq!(assess(&opened, me, 1, &mine), Verdict::Skip(3));
        assert_eq!(assess(&opened, ann, 1, &HashSet::new()), Verdict::Pull { reload: true });
        // A change to a conversation I am in still reloads (I may have been removed from it).
        let mut ours_changed = FeedBatch {
            after: 3,
            scopes: vec![scope(4, ChangeKind::GroupMember, Some(ours), None)],
            ..Default::default()
        };
        ours_changed.members.insert(ours, HashSet::from([ann]));
        assert_eq!(assess(&ours_changed, me, 3, &mine), Verdict::Pull { reload: true });
        // ann edits her profile: only those who share a conversation with her pull.
        let mut profile = FeedBatch {
            after: 4,
            scopes: vec![ChangeScope {
                subject_user_id: Some(ann),
                ..scope(5, ChangeKind::Profile, None, None)
            }],
            ..Default::default()
        };
        profile.subject_conversations.insert(ann, HashSet::from([theirs]));
        assert_eq!(assess(&profile, me, 4, &mine), Verdict::Skip(5));
        assert_eq!(
            assess(&profile, ben, 4, &HashSet::from([theirs])),
            Verdict::Pull { reload: false }
        );
        // A profile change inside one conversation reaches its members only.
        let in_conversation = FeedBatch {
            after: 5,
            scopes: vec![ChangeScope {
                subject_user_id: Some(ann),
                ..scope(6, ChangeKind::Profile, Some(theirs), None)
            }],
            ..Default::default()
        };
        assert_eq!(assess(&in_conversation, me, 5, &mine), Verdict::Skip(6));
    }
}
