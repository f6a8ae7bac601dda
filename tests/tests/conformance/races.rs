//! A sender's clock and writers racing (issue 11, items 7 and 8), on both backends: `sent_at` only
//! up to the clock skew, and no deadlock when writers race a group's delete or its creation.

use std::time::Duration;

use chrono::{Duration as Span, TimeZone, Utc};
use lodestar_protocol::validate::{GroupPatch, ProfilePatch};
use lodestar_protocol::Role;
use lodestar_server::store::{SendOutcome, Store, StoreError};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::{assert_not_found, direct, fx, group_named, order, send, t, text, today, user};

/// A `sent_at` beyond the clock skew is dated when the store accepts it, one within the skew or
/// in the past is kept, and `conversations()` follows the acceptance order (seq), not `sent_at`.
async fn sent_at_is_the_senders_only_up_to_the_clock_skew(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let (a, b, c) = (user(s, "ann").await, user(s, "ben").await, user(s, "cat").await);
    let ab = direct(s, a, b, t(1)).await;
    let ac = direct(s, a, c, t(2)).await;
    let before = Utc::now() - Span::milliseconds(1);
    let far = Utc.with_ymd_and_hms(9999, 1, 1, 0, 0, 0).unwrap();
    let pinned = send(s, b, ab, "from the year 9999", far).await;
    let after = Utc::now();
    assert!(pinned.sent_at >= before && pinned.sent_at <= after, "dated {}", pinned.sent_at);
    let (listed, _) = s.messages(a, ab, None, 10).await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&pinned), "stored as answered");
    let skewed_at = chrono::SubsecRound::trunc_subsecs(Utc::now(), 0) + Span::minutes(4);
    assert_eq!(send(s, b, ab, "a fast clock", skewed_at).await.sent_at, skewed_at);
    let offline = send(s, c, ac, "written offline", t(3)).await;
    assert_eq!(offline.sent_at, t(3), "a past sent_at stays");
    assert_eq!(order(&s.conversations(a).await.unwrap()), [ac, ab], "accepted last, first");
    let ad = direct(s, a, user(s, "dan").await, t(4)).await;
    assert_eq!(order(&s.conversations(a).await.unwrap()), [ad, ac, ab]);
    send(s, a, ab, "back in the oldest", t(0)).await;
    assert_eq!(order(&s.conversations(a).await.unwrap()), [ab, ad, ac]);
}

/// Members send, read, join and leave while the owner renames and deletes the group, with real
/// concurrency (no group commit in front of the store): with one lock order everywhere no
/// writer fails with anything but `NotFound` once the group is gone, and each round ends.
async fn writers_racing_a_group_delete_never_deadlock(backend: Backend) {
    let f = fx(backend).await;
    let owner = user(&*f.s, "owner").await;
    let mut members = Vec::new();
    for i in 0..4 {
        members.push(user(&*f.s, &format!("member{i}")).await);
    }
    let visitor = user(&*f.s, "visitor").await;
    for round in 0..20_i64 {
        let g = f.s.create_group(owner, group_named("race"), &members, t(round)).await.unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for &m in &members {
            let s = f.s.clone();
            tasks.spawn(async move { send_and_read_until_gone(&*s, m, g.conversation_id).await });
        }
        let s = f.s.clone();
        tasks.spawn(async move {
            for _ in 0..50 {
                let joined = s.add_member(g.group_id, visitor, Role::Member, t(round)).await;
                let left = s.remove_member(g.group_id, visitor).await;
                if matches!(joined, Err(StoreError::NotFound))
                    || matches!(left, Err(StoreError::NotFound))
                {
                    return;
                }
                joined.unwrap();
                left.unwrap();
            }
        });
        let (s, promoted) = (f.s.clone(), members[round as usize % members.len()]);
        tasks.spawn(async move {
            tokio::time::sleep(Duration::from_millis(2 + (round as u64 * 3) % 20)).await;
            let patch = GroupPatch { group_name: Some(format!("race {round}")), description: None };
            s.update_group(g.group_id, patch).await.unwrap();
            s.set_role(g.group_id, promoted, Role::Admin).await.unwrap();
            s.delete_group(g.group_id).await.unwrap();
        });
        let ended = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(done) = tasks.join_next().await {
                done.expect("a writer failed");
            }
        })
        .await;
        assert!(ended.is_ok(), "round {round} did not end: a deadlock");
        assert_not_found(f.s.group(owner, g.group_id).await, "the group after its delete");
    }
}

/// Sends and marks read what the others sent, until the group's conversation is gone.
async fn send_and_read_until_gone(s: &dyn Store, me: Uuid, conv: Uuid) {
    for n in 0..2_000 {
        match s.send_message(me, text(conv, &format!("{n}"), t(n))).await {
            Ok(SendOutcome::Created(_)) => {}
            Err(StoreError::NotFound) => return,
            other => panic!("a send answered {other:?}"),
        }
        let page = match s.messages(me, conv, None, 20).await {
            Ok((page, _)) => page,
            Err(StoreError::NotFound) => return,
            Err(e) => panic!("messages() answered {e:?}"),
        };
        let theirs: Vec<Uuid> =
            page.iter().filter(|m| m.sender_id != Some(me)).map(|m| m.message_id).collect();
        match s.mark_read(me, &theirs, t(n)).await {
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => panic!("mark_read answered {e:?}"),
        }
    }
    panic!("the group outlived 2,000 messages");
}

/// A new phone number is a key change of the user's row, which waits for every transaction that
/// checked that row as a foreign key: a group created with that user as a member must hold the
/// counter before it checks the row, as the profile edit does, or the two deadlock.
async fn profile_edits_racing_group_creation_never_deadlock(backend: Backend) {
    let f = fx(backend).await;
    let (a, b) = (user(&*f.s, "ann").await, user(&*f.s, "ben").await);
    let ab = direct(&*f.s, a, b, t(0)).await;
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..2_i64 {
        let s = f.s.clone();
        tasks.spawn(async move {
            for n in 0..60 {
                let phone = format!("+1555{worker}{n:06}");
                let patch = ProfilePatch { phone_number: Some(Some(phone)), ..Default::default() };
                s.update_me(b, patch, today()).await.unwrap();
            }
        });
        let s = f.s.clone();
        tasks.spawn(async move {
            for n in 0..60 {
                s.create_group(a, group_named("circle"), &[b], t(n)).await.unwrap();
                s.send_message(b, text(ab, "hi", t(n))).await.unwrap();
            }
        });
    }
    let ended = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(done) = tasks.join_next().await {
            done.expect("a writer failed");
        }
    })
    .await;
    assert!(ended.is_ok(), "the writers did not end: a deadlock");
}

lodestar_tests::on_both_backends!(
    sent_at_is_the_senders_only_up_to_the_clock_skew,
    writers_racing_a_group_delete_never_deadlock,
    profile_edits_racing_group_creation_never_deadlock,
);
