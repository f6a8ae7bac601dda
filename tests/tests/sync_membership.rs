//! What sync serves a new group member (issue 11, item 10): the group's history comes from the
//! log through a join marker, at a cost independent of its size, and every old message reaches
//! the member exactly once, in order, with the reads, on paged syncs from any cursor.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use lodestar_protocol::validate::{MessageBody, NewGroup, NewUser, ProfileValues};
use lodestar_protocol::{Change, ChangeKind, ChangeOp, Role};
use lodestar_server::store::{NewAccount, NewMessage, Store};
use lodestar_tests::{Backend, Database};
use uuid::Uuid;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

async fn user(s: &dyn Store, name: &str) -> Uuid {
    let user = NewUser {
        username: name.into(),
        email: format!("{name}@example.com"),
        password: "a long enough password".into(),
        date_of_birth: chrono::NaiveDate::from_ymd_opt(1990, 4, 12).unwrap(),
        profile: ProfileValues::default(),
    };
    s.create_user(NewAccount { user, password_hash: "x".into() }, at())
        .await
        .unwrap()
        .profile
        .user_id
}

/// Sends `n` messages from `sender`; answers their ids in order.
async fn send(s: &dyn Store, sender: Uuid, conv: Uuid, n: usize, tag: &str) -> Vec<Uuid> {
    let batch: Vec<_> = (0..n)
        .map(|i| {
            let body = MessageBody { content: Some(format!("{tag} {i}")), media_url: None };
            (
                sender,
                NewMessage {
                    message_id: Uuid::new_v4(),
                    conversation_id: conv,
                    body,
                    sent_at: at(),
                    reply_to: None,
                },
            )
        })
        .collect();
    for outcome in s.send_messages(&batch).await.unwrap() {
        outcome.unwrap();
    }
    batch.iter().map(|(_, m)| m.message_id).collect()
}

/// Every change `user` sees after `since`, paged by `limit`, checking each page as a client
/// would rely on it; answers them and the final cursor.
async fn sync_all(s: &dyn Store, user: Uuid, since: i64, limit: i64) -> (Vec<Change>, i64) {
    let (mut cursor, mut out) = (since, Vec::new());
    loop {
        let (page, next, more) = s.sync(user, cursor, limit).await.unwrap();
        assert!(page.len() as i64 <= limit);
        assert!(page.windows(2).all(|w| w[0].seq < w[1].seq), "seqs not increasing");
        if let Some(first) = page.first() {
            assert!(first.seq > cursor, "a change at or before the cursor");
        }
        if let Some(last) = page.last() {
            assert!(next >= last.seq);
        }
        assert!(next >= cursor, "the cursor went backwards");
        out.extend(page);
        cursor = next;
        if !more {
            return (out, cursor);
        }
    }
}

/// The ids of the message upserts among `changes`, in order.
fn messages(changes: &[Change], conv: Uuid) -> Vec<Uuid> {
    changes
        .iter()
        .filter(|c| (c.kind, c.op) == (ChangeKind::Message, ChangeOp::Upsert))
        .filter(|c| c.data["conversation_id"] == conv.to_string())
        .map(|c| c.data["message_id"].as_str().unwrap().parse().unwrap())
        .collect()
}

fn reads(changes: &[Change]) -> HashMap<(String, String), usize> {
    let mut out = HashMap::new();
    for c in changes.iter().filter(|c| c.kind == ChangeKind::Read) {
        *out.entry((c.data["message_id"].to_string(), c.data["user_id"].to_string()))
            .or_default() += 1;
    }
    out
}

/// How many rows the log gained after `seq`.
async fn rows_after(s: &dyn Store, seq: i64) -> usize {
    s.change_scopes(seq, 1_000_000).await.unwrap().len()
}

async fn a_new_member_gets_the_history_once(backend: Backend) {
    let db = Database::fresh(backend).await;
    let s: Arc<dyn Store> = lodestar_server::store::open(&db.url).await.unwrap();
    let s = &*s;
    let (ann, cat, ben) = (user(s, "ann").await, user(s, "cat").await, user(s, "ben").await);
    let g = s
        .create_group(ann, NewGroup { group_name: "g".into(), description: None }, &[cat], at())
        .await
        .unwrap();
    let conv = g.conversation_id;
    let mut history = send(s, ann, conv, 120, "early").await;
    s.mark_read(cat, &history[..3], at()).await.unwrap();
    // Unrelated traffic interleaved with the group's history.
    let other = s.open_direct(ann, cat, at()).await.unwrap().conversation.conversation_id;
    send(s, cat, other, 10, "aside").await;
    history.extend(send(s, cat, conv, 40, "later").await);
    // ben has synced everything he could see before he joins.
    let (_, ben_cursor) = sync_all(s, ben, 0, 50).await;

    let before = s.latest_seq().await.unwrap();
    s.add_member(g.group_id, ben, Role::Member, at()).await.unwrap();
    let written = rows_after(s, before).await;
    assert!(
        written <= 16,
        "adding a member to a group of 160 messages wrote {written} change rows"
    );

    for (since, limit) in [(ben_cursor, 7), (0, 5), (0, 1000)] {
        let (changes, _) = sync_all(s, ben, since, limit).await;
        assert_eq!(messages(&changes, conv), history, "since {since}, limit {limit}");
        let r = reads(&changes);
        assert_eq!(r.len(), 3, "{r:?}");
        assert!(r.values().all(|n| *n == 1), "a read twice: {r:?}");
        assert!(changes
            .iter()
            .any(|c| c.kind == ChangeKind::Conversation
                && c.data["conversation_id"] == conv.to_string()));
    }

    // After the join: new messages once, the old ones not again.
    let (_, cursor) = sync_all(s, ben, ben_cursor, 7).await;
    let newer = send(s, cat, conv, 3, "after").await;
    let (changes, cursor) = sync_all(s, ben, cursor, 2).await;
    assert_eq!(messages(&changes, conv), newer);

    // Removed, the group goes on without him; back, he gets the whole history again, once.
    s.remove_member(g.group_id, ben).await.unwrap();
    history.extend(newer);
    history.extend(send(s, ann, conv, 5, "away").await);
    let (changes, cursor) = sync_all(s, ben, cursor, 4).await;
    assert!(messages(&changes, conv).is_empty());
    let before = s.latest_seq().await.unwrap();
    s.add_member(g.group_id, ben, Role::Member, at()).await.unwrap();
    assert!(rows_after(s, before).await <= 16);
    let (changes, _) = sync_all(s, ben, cursor, 6).await;
    assert_eq!(messages(&changes, conv), history);
    let (changes, _) = sync_all(s, ben, 0, 9).await;
    assert_eq!(messages(&changes, conv), history, "from the start after a rejoin");

    // Members who were there all along are served as before.
    let (changes, _) = sync_all(s, cat, 0, 11).await;
    assert_eq!(messages(&changes, conv), history);

    // A deleted group's messages are not served to anyone.
    s.delete_group(g.group_id).await.unwrap();
    for who in [ben, cat] {
        let (changes, _) = sync_all(s, who, 0, 8).await;
        assert!(messages(&changes, conv).is_empty(), "a deleted group's message served");
    }
}

lodestar_tests::on_both_backends!(a_new_member_gets_the_history_once);
