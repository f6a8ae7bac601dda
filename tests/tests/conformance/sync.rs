//! Sync on both backends: what each user may see, a joined group's history, a left group's
//! silence, the live feed's seqs and scopes, and reads logged once under concurrency.

use std::collections::HashSet;
use std::time::Duration;

use lodestar_protocol::validate::{GroupPatch, ProfilePatch};
use lodestar_protocol::{Change, ChangeKind, ChangeOp, Message, Role, UsersQuery};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::{
    direct, fx, group_named, has, mentions, message_changes, send, seqs, sorted, sync_all, t,
    today, user,
};

async fn sync_shows_each_user_what_they_may_see(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let stranger = user(s, "sam").await;
    let ab = direct(s, a, b, t(1)).await;
    let mut sent = Vec::new();
    for i in 0..5 {
        let from = if i % 2 == 0 { a } else { b };
        sent.push(send(s, from, ab, &format!("direct {i}"), t(10 + i)).await);
    }
    s.mark_read(b, &[sent[0].message_id], t(20)).await.unwrap();
    let patch =
        ProfilePatch { bio: Some(Some("I mentor Rust folks".into())), ..Default::default() };
    s.update_me(a, patch, today()).await.unwrap();

    let (big, cursor) = sync_all(s, a, 0, 1000).await;
    // Own profile, as Me (with the email); the latest edit included.
    let own: Vec<&Change> = big
        .iter()
        .filter(|c| c.kind == ChangeKind::Profile && c.data["user_id"] == a.to_string())
        .collect();
    assert!(!own.is_empty(), "ann's own profile is missing");
    assert!(own.iter().all(|c| c.data["email"] == "ann@example.com"), "own profile as Me");
    assert_eq!(own.last().unwrap().data["bio"], "I mentor Rust folks");
    // The other participant's profile, without private fields.
    let bens: Vec<&Change> = big
        .iter()
        .filter(|c| c.kind == ChangeKind::Profile && c.data["user_id"] == b.to_string())
        .collect();
    assert!(!bens.is_empty(), "ben's profile is missing");
    for c in &bens {
        for private in ["email", "phone_number", "date_of_birth"] {
            assert!(c.data.get(private).is_none(), "ben's {private} leaked: {}", c.data);
        }
    }
    // The conversation, its participants, every message exactly once, the read.
    assert!(has(&big, ChangeKind::Conversation, ChangeOp::Upsert, "conversation_id", ab));
    let participants: HashSet<String> = big
        .iter()
        .filter(|c| c.kind == ChangeKind::Participant)
        .map(|c| c.data["user_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(participants, HashSet::from([a.to_string(), b.to_string()]));
    for m in &sent {
        assert_eq!(message_changes(&big, m.message_id), 1, "message {}", m.seq);
        let c = big.iter().find(|c| c.data["message_id"] == m.message_id.to_string()).unwrap();
        assert_eq!(c.data["content"], m.content.clone().unwrap());
        assert_eq!(c.data["seq"], m.seq);
    }
    assert!(big.iter().any(|c| c.kind == ChangeKind::Read
        && c.data["message_id"] == sent[0].message_id.to_string()
        && c.data["user_id"] == b.to_string()));
    assert!(!mentions(&big, stranger), "ann sees the stranger");

    // The cursor covers everything returned, and nothing comes after it.
    assert!(big.iter().all(|c| c.seq <= cursor));
    assert!(cursor <= s.latest_seq().await.unwrap());
    let (rest, again) = sync_all(s, a, cursor, 1000).await;
    assert!(rest.is_empty(), "changes after the final cursor: {rest:?}");
    assert_eq!(again, cursor);

    // Paging by one (or two) yields exactly the same changes and the same cursor.
    for limit in [1, 2, 7] {
        let (small, small_cursor) = sync_all(s, a, 0, limit).await;
        assert_eq!(seqs(&small), seqs(&big), "paging by {limit}");
        assert_eq!(small, big);
        assert_eq!(small_cursor, cursor);
    }
    // Starting mid-way yields the tail.
    let mid = big[big.len() / 2].seq;
    let (tail, _) = sync_all(s, a, mid, 3).await;
    assert_eq!(tail, big.iter().filter(|c| c.seq > mid).cloned().collect::<Vec<_>>());

    // Ben sees ann's edit, without her email.
    let (bens_view, _) = sync_all(s, b, 0, 1000).await;
    let edit = bens_view
        .iter()
        .rfind(|c| c.kind == ChangeKind::Profile && c.data["user_id"] == a.to_string())
        .expect("ben sees ann's profile");
    assert_eq!(edit.data["bio"], "I mentor Rust folks");
    assert!(edit.data.get("email").is_none());
    assert!(bens_view.iter().any(|c| c.kind == ChangeKind::Profile
        && c.data["user_id"] == b.to_string()
        && c.data["email"] == "ben@example.com"));

    // The stranger sees nothing of theirs: only their own profile.
    let (theirs, _) = sync_all(s, stranger, 0, 1000).await;
    for id in [a, b, ab].into_iter().chain(sent.iter().map(|m| m.message_id)) {
        assert!(!mentions(&theirs, id), "the stranger saw {id}: {theirs:?}");
    }
    assert!(!theirs.is_empty());
    assert!(theirs
        .iter()
        .all(|c| c.kind == ChangeKind::Profile && c.data["user_id"] == stranger.to_string()));
}

async fn joining_a_group_brings_its_history(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let g = s.create_group(a, group_named("History"), &[c], t(10)).await.unwrap();
    let mut old = Vec::new();
    for i in 0..3 {
        old.push(send(s, c, g.conversation_id, &format!("before ben {i}"), t(11 + i)).await);
    }
    s.mark_read(a, &[old[0].message_id], t(15)).await.unwrap();

    // Ben is fully synced: his cursor is past every one of those messages.
    let (before, b_cursor) = sync_all(s, b, 0, 1000).await;
    assert!(!mentions(&before, g.group_id) && !mentions(&before, g.conversation_id));
    assert!(old.iter().all(|m| m.seq < b_cursor));

    let (_, a_cursor) = sync_all(s, a, 0, 1000).await;
    s.add_member(g.group_id, b, Role::Member, t(20)).await.unwrap();
    // The members see the newcomer join, with their public profile only.
    let (a_view, _) = sync_all(s, a, a_cursor, 1000).await;
    assert!(has(&a_view, ChangeKind::GroupMember, ChangeOp::Upsert, "user_id", b));
    let p = a_view
        .iter()
        .find(|x| x.kind == ChangeKind::Profile && x.data["user_id"] == b.to_string())
        .expect("ann gets ben's profile when he joins");
    assert!(p.data.get("email").is_none(), "ben's email leaked to ann");
    let (joined, b_cursor2) = sync_all(s, b, b_cursor, 1000).await;
    for m in &old {
        assert!(message_changes(&joined, m.message_id) >= 1, "old message {} missing", m.seq);
    }
    let data = &joined
        .iter()
        .find(|c| {
            c.kind == ChangeKind::Message && c.data["message_id"] == old[2].message_id.to_string()
        })
        .unwrap()
        .data;
    assert_eq!(serde_json::from_value::<Message>(data.clone()).unwrap(), old[2]);
    assert!(has(&joined, ChangeKind::Group, ChangeOp::Upsert, "group_id", g.group_id));
    assert!(has(
        &joined,
        ChangeKind::Conversation,
        ChangeOp::Upsert,
        "conversation_id",
        g.conversation_id
    ));
    for member in [a, b, c] {
        assert!(has(&joined, ChangeKind::GroupMember, ChangeOp::Upsert, "user_id", member));
    }
    for other in [a, c] {
        let p = joined
            .iter()
            .find(|x| x.kind == ChangeKind::Profile && x.data["user_id"] == other.to_string())
            .expect("a member's profile");
        assert!(p.data.get("email").is_none());
    }
    assert!(joined.iter().any(
        |x| x.kind == ChangeKind::Read && x.data["message_id"] == old[0].message_id.to_string()
    ));

    // And what comes next reaches him too.
    let next = send(s, a, g.conversation_id, "welcome ben", t(30)).await;
    let (later, _) = sync_all(s, b, b_cursor2, 1000).await;
    assert_eq!(message_changes(&later, next.message_id), 1);

    // Paged a change at a time from the start, the windows' edges fall before, on and after
    // the join: the history and what came after it each arrive exactly once.
    let (from_start, _) = sync_all(s, b, 0, 1).await;
    for m in old.iter().chain([&next]) {
        assert_eq!(message_changes(&from_start, m.message_id), 1, "message {}", m.seq);
    }
}

async fn leaving_a_group_stops_its_changes(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let g = s.create_group(a, group_named("Leavers"), &[b, c], t(10)).await.unwrap();
    let m1 = send(s, a, g.conversation_id, "while ben is here", t(11)).await;
    let (seen, b_cursor) = sync_all(s, b, 0, 1000).await;
    assert_eq!(message_changes(&seen, m1.message_id), 1);
    let (_, a_cursor) = sync_all(s, a, 0, 1000).await;

    s.remove_member(g.group_id, b).await.unwrap();
    let (left, b_cursor2) = sync_all(s, b, b_cursor, 1000).await;
    let membership_deleted = left.iter().any(|x| {
        x.kind == ChangeKind::GroupMember
            && x.op == ChangeOp::Delete
            && x.data["user_id"] == b.to_string()
            && x.data["group_id"] == g.group_id.to_string()
    });
    assert!(membership_deleted, "no group_member delete for ben: {left:?}");
    assert!(has(&left, ChangeKind::Group, ChangeOp::Delete, "group_id", g.group_id));
    assert!(has(
        &left,
        ChangeKind::Conversation,
        ChangeOp::Delete,
        "conversation_id",
        g.conversation_id
    ));

    // The others see him go.
    let (a_view, _) = sync_all(s, a, a_cursor, 1000).await;
    assert!(a_view.iter().any(|x| x.kind == ChangeKind::GroupMember
        && x.op == ChangeOp::Delete
        && x.data["user_id"] == b.to_string()));

    // Later activity in the group does not reach him, from any cursor.
    let m2 = send(s, c, g.conversation_id, "after ben left", t(20)).await;
    s.update_group(
        g.group_id,
        GroupPatch { group_name: Some("Renamed".into()), description: None },
    )
    .await
    .unwrap();
    s.add_member(g.group_id, user(s, "dan").await, Role::Member, t(21)).await.unwrap();
    s.mark_read(a, &[m2.message_id], t(22)).await.unwrap();
    let (after, _) = sync_all(s, b, b_cursor2, 1000).await;
    assert!(!mentions(&after, g.group_id) && !mentions(&after, g.conversation_id), "{after:?}");
    assert!(!mentions(&after, m2.message_id));
    let (from_zero, _) = sync_all(s, b, 0, 1000).await;
    assert_eq!(message_changes(&from_zero, m2.message_id), 0);
    assert!(!from_zero.iter().any(|x| x.data["group_name"] == "Renamed"));
    // While the members still get it.
    let (cs, _) = sync_all(s, c, 0, 1000).await;
    assert_eq!(message_changes(&cs, m2.message_id), 1);
}

async fn latest_seq_and_subscribe_follow_every_write(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut rx = s.subscribe();
    let mut last = s.latest_seq().await.unwrap();
    assert_eq!(last, 0);

    // Each write moves the counter forward and the watch with it.
    macro_rules! grows {
        ($what:literal, $e:expr) => {{
            let out = $e;
            let now = s.latest_seq().await.unwrap();
            assert!(now > last, "{} did not advance latest_seq ({last} -> {now})", $what);
            tokio::time::timeout(Duration::from_secs(10), rx.wait_for(|v| *v >= now))
                .await
                .unwrap_or_else(|_| panic!("the watch did not reach {now} after {}", $what))
                .unwrap();
            last = now;
            out
        }};
    }
    let a = grows!("create_user", user(s, "ann").await);
    let b = grows!("create_user", user(s, "ben").await);
    let ab = grows!("open_direct", direct(s, a, b, t(1)).await);
    let m = grows!("send_message", send(s, a, ab, "hi", t(2)).await);
    assert!(m.seq <= last);
    assert!(*s.subscribe().borrow() >= m.seq, "a new subscriber starts at the latest seq");
    grows!("mark_read", s.mark_read(b, &[m.message_id], t(3)).await.unwrap());
    let patch = ProfilePatch { city: Some(Some("Austin".into())), ..Default::default() };
    grows!("update_me", s.update_me(a, patch, today()).await.unwrap());
    let g = grows!("create_group", s.create_group(a, group_named("G"), &[], t(4)).await.unwrap());
    let patch = GroupPatch { group_name: Some("G2".into()), description: None };
    grows!("update_group", s.update_group(g.group_id, patch).await.unwrap());
    grows!("add_member", s.add_member(g.group_id, b, Role::Member, t(5)).await.unwrap());
    grows!("set_role", s.set_role(g.group_id, b, Role::Admin).await.unwrap());
    let gm = grows!("send_message", send(s, b, g.conversation_id, "in g", t(6)).await);
    assert!(gm.seq > m.seq);
    grows!("remove_member", s.remove_member(g.group_id, b).await.unwrap());
    grows!("delete_group", s.delete_group(g.group_id).await.unwrap());

    // Reads move nothing.
    s.me(a, today()).await.unwrap();
    s.conversations(a).await.unwrap();
    s.messages(a, ab, None, 10).await.unwrap();
    s.sync(a, 0, 1000).await.unwrap();
    s.reads(a, m.message_id).await.unwrap();
    s.search_users(&UsersQuery::default(), 10, today()).await.unwrap();
    assert_eq!(s.latest_seq().await.unwrap(), last);

    // A full sync's cursor reaches the counter, and each user's changes have distinct seqs.
    for u in [a, b] {
        let (changes, cursor) = sync_all(s, u, 0, 1000).await;
        assert_eq!(cursor, last, "a caught-up cursor is the latest seq");
        let distinct: HashSet<i64> = changes.iter().map(|c| c.seq).collect();
        assert_eq!(distinct.len(), changes.len());
    }
}

/// The live feed's view of the log: every change after a seq, in order, with who it is for;
/// and the conversations a user is in.
async fn change_scopes_say_who_each_change_is_for(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let ab = direct(s, a, b, t(1)).await;
    let circle = s.create_group(a, group_named("circle"), &[c], t(1)).await.unwrap();
    let start = s.latest_seq().await.unwrap();
    let m = send(s, b, ab, "scoped", t(2)).await;
    let g = send(s, c, circle.conversation_id, "in the group", t(3)).await;

    let scopes = s.change_scopes(start, 100).await.unwrap();
    assert_eq!(scopes.iter().map(|c| c.seq).collect::<Vec<_>>(), [m.seq, g.seq]);
    assert_eq!(scopes[0].kind, ChangeKind::Message);
    assert_eq!(scopes[0].conversation_id, Some(ab));
    assert_eq!((scopes[0].subject_user_id, scopes[0].target_user_id), (None, None));
    assert_eq!(scopes[1].conversation_id, Some(circle.conversation_id));
    assert_eq!(s.change_scopes(start, 1).await.unwrap().len(), 1, "the limit holds");
    assert!(s.change_scopes(g.seq, 100).await.unwrap().is_empty());
    let all = s.change_scopes(0, 1000).await.unwrap();
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq), "oldest first");
    assert!(all.iter().any(|c| c.target_user_id.is_some() || c.subject_user_id.is_some()));

    assert_eq!(
        sorted(s.conversation_ids(a).await.unwrap()),
        sorted(vec![ab, circle.conversation_id])
    );
    assert_eq!(s.conversation_ids(b).await.unwrap(), [ab]);
    assert_eq!(s.conversation_ids(c).await.unwrap(), [circle.conversation_id]);
    assert!(s.conversation_ids(Uuid::new_v4()).await.unwrap().is_empty());
}

/// Several requests marking the same message read at once: each read reaches sync once.
async fn concurrent_reads_are_logged_once(backend: Backend) {
    let f = fx(backend).await;
    let a = user(&*f.s, "ann").await;
    let b = user(&*f.s, "ben").await;
    let ab = direct(&*f.s, a, b, t(1)).await;
    let m = send(&*f.s, a, ab, "read me", t(2)).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = f.s.clone();
            tokio::spawn(async move { store.mark_read(b, &[m.message_id], t(10 + i)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let (changes, _) = sync_all(&*f.s, a, 0, 1000).await;
    let reads = changes.iter().filter(|c| c.kind == ChangeKind::Read).count();
    assert_eq!(reads, 1, "one read, logged once: {changes:?}");
    assert_eq!(f.s.reads(a, m.message_id).await.unwrap().len(), 1);
}

lodestar_tests::on_both_backends!(
    sync_shows_each_user_what_they_may_see,
    joining_a_group_brings_its_history,
    leaving_a_group_stops_its_changes,
    latest_seq_and_subscribe_follow_every_write,
    change_scopes_say_who_each_change_is_for,
    concurrent_reads_are_logged_once,
);
