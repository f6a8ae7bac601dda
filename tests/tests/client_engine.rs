//! The client engine against a real server: the replica, the outbox, pull and push.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::Utc;
use lodestar_client::replica::{MessageStatus, OutboxState};
use lodestar_client::sync::{backfill, pull, push};
use lodestar_client::{Api, Replica};
use lodestar_tests::{signed_in_replica, unreachable_api, Backend, TestServer};
use uuid::Uuid;

async fn offline_messages_are_delivered_once_in_order(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let (api, replica) = signed_in_replica(&s, &ann, dir.path()).await;

    // Offline: three messages queue and show at once, pending.
    for text in ["one", "two", "three"] {
        replica.queue_message(ann.id, conv, Some(text), None, None, Utc::now()).await.unwrap();
    }
    let shown = replica.messages(ann.id, conv, None, 50).await.unwrap();
    assert_eq!(shown.len(), 3);
    assert!(shown.iter().all(|m| m.status == MessageStatus::Pending));
    let report = push(&unreachable_api(&ann.token), &replica).await.unwrap();
    assert_eq!(report.sent, 0);
    assert!(report.stopped.is_some(), "an unreachable server stops the push");
    assert_eq!(replica.outbox().await.unwrap().len(), 3, "nothing is lost while offline");

    // A restart in between: the outbox is on disk.
    drop(replica);
    let replica = Replica::open(&dir.path().join("ann.db")).await.unwrap();
    assert_eq!(replica.outbox().await.unwrap().len(), 3);

    // Online: delivered once each, in order; the pending copies become the server's in place.
    let report = push(&api, &replica).await.unwrap();
    assert_eq!((report.sent, report.failed, report.stopped.clone()), (3, 0, None));
    let again = push(&api, &replica).await.unwrap();
    assert_eq!(again.sent, 0, "nothing is sent twice");
    let server =
        s.api.get(&format!("/v1/conversations/{conv}/messages"), &ben.token).await.expect(200);
    let texts: Vec<&str> = server["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["one", "two", "three"]);
    pull(&api, &replica, |_| {}).await.unwrap();
    let local = replica.messages(ann.id, conv, None, 50).await.unwrap();
    assert_eq!(local.len(), 3, "no second copy after the pull");
    assert!(local.iter().all(|m| m.message.seq > 0 && m.status == MessageStatus::Sent));
    let local_ids: Vec<String> = local.iter().map(|m| m.message.message_id.to_string()).collect();
    let server_ids: Vec<String> = server["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["message_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(local_ids, server_ids);
    s.server.stop().await;
}

async fn a_pull_that_sees_the_message_first_retires_its_outbox_entry(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let (api, replica) = signed_in_replica(&s, &ann, dir.path()).await;
    let queued = replica
        .queue_message(ann.id, conv, Some("acked late"), None, None, Utc::now())
        .await
        .unwrap();
    // The server got it, but the answer was lost (a crash before the ack).
    let payload = serde_json::json!({"message_id": queued.message_id, "conversation_id": conv,
        "content": "acked late", "sent_at": queued.sent_at});
    s.api.post("/v1/messages", &ann.token, payload).await.expect(201);
    pull(&api, &replica, |_| {}).await.unwrap();
    assert!(replica.outbox().await.unwrap().is_empty(), "the pull confirmed it");
    let local = replica.messages(ann.id, conv, None, 50).await.unwrap();
    assert_eq!(local.len(), 1);
    assert!(local[0].message.seq > 0);
    assert_eq!(push(&api, &replica).await.unwrap().sent, 0);
    s.server.stop().await;
}

async fn a_refused_message_is_kept_as_failed_with_the_reason(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let (api, replica) = signed_in_replica(&s, &ann, dir.path()).await;
    let stranger_conv = Uuid::new_v4();
    replica
        .queue_message(ann.id, stranger_conv, Some("into the void"), None, None, Utc::now())
        .await
        .unwrap();
    replica.queue_message(ann.id, conv, Some("still goes"), None, None, Utc::now()).await.unwrap();
    let report = push(&api, &replica).await.unwrap();
    assert_eq!((report.sent, report.failed), (1, 1));
    let outbox = replica.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1, "the refused message is kept, never dropped");
    assert_eq!(outbox[0].state, OutboxState::Failed);
    assert!(
        outbox[0].last_error.as_deref().unwrap().starts_with("not_found"),
        "{:?}",
        outbox[0].last_error
    );
    let shown = replica.messages(ann.id, stranger_conv, None, 50).await.unwrap();
    assert!(
        matches!(&shown[0].status, MessageStatus::Failed { reason } if reason.starts_with("not_found"))
    );
    // Invalid input never reaches the queue.
    let long = "x".repeat(10_001);
    assert!(replica
        .queue_message(ann.id, conv, Some(&long), None, None, Utc::now())
        .await
        .is_err());
    assert!(replica
        .queue_message(ann.id, conv, Some("   "), None, None, Utc::now())
        .await
        .is_err());
    assert_eq!(replica.outbox().await.unwrap().len(), 1);
    s.server.stop().await;
}

async fn unread_counts_agree_with_the_server(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    for i in 0..4 {
        s.api.send(&ben, conv, &format!("hello {i}")).await;
    }
    let (api, replica) = signed_in_replica(&s, &ann, dir.path()).await;
    let list = replica.conversations(ann.id).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].title, "ben");
    assert_eq!(list[0].unread_count, 4);
    let server = s.api.get("/v1/conversations", &ann.token).await.expect(200);
    assert_eq!(server["conversations"][0]["unread_count"], 4);
    // Reading offline: zero at once locally, and on the server after the push.
    assert_eq!(replica.queue_read(ann.id, conv, Utc::now()).await.unwrap(), 4);
    assert_eq!(replica.conversations(ann.id).await.unwrap()[0].unread_count, 0);
    push(&api, &replica).await.unwrap();
    let server = s.api.get("/v1/conversations", &ann.token).await.expect(200);
    assert_eq!(server["conversations"][0]["unread_count"], 0);
    // Ben's replica shows the receipts.
    let (ben_api, ben_replica) = signed_in_replica(&s, &ben, dir.path()).await;
    pull(&ben_api, &ben_replica, |_| {}).await.unwrap();
    let seen = ben_replica.messages(ben.id, conv, None, 50).await.unwrap();
    assert!(seen.iter().all(|m| m.status == MessageStatus::Read { read_by: 1, of: 1 }), "{seen:?}");
    s.server.stop().await;
}

async fn drafts_and_search_survive_a_restart(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    s.api.send(&ben, conv, "Let's pair on the Rust borrow checker tomorrow").await;
    let cat = s.api.register("cat").await;
    let other = s.api.direct(&ann, &cat).await;
    let (_, replica) = signed_in_replica(&s, &ann, dir.path()).await;
    let draft =
        lodestar_client::replica::Draft { content: "half a thought".into(), media_url: None };
    replica.set_draft(conv, &draft, Utc::now()).await.unwrap();
    // Switching conversations: each keeps its own draft.
    let elsewhere = lodestar_client::replica::Draft { content: "for cat".into(), media_url: None };
    replica.set_draft(other, &elsewhere, Utc::now()).await.unwrap();
    assert_eq!(replica.draft(conv).await.unwrap(), Some(draft.clone()));
    replica
        .queue_message(ann.id, conv, Some("queued about borrowing books"), None, None, Utc::now())
        .await
        .unwrap();
    drop(replica);
    let replica = Replica::open(&dir.path().join("ann.db")).await.unwrap();
    // Sending cleared the draft typed before it; a new draft survives the restart.
    assert_eq!(replica.draft(conv).await.unwrap(), None);
    replica.set_draft(conv, &draft, Utc::now()).await.unwrap();
    drop(replica);
    let replica = Replica::open(&dir.path().join("ann.db")).await.unwrap();
    assert_eq!(replica.draft(conv).await.unwrap(), Some(draft));
    assert_eq!(
        replica.draft(other).await.unwrap(),
        Some(elsewhere),
        "the other conversation's draft too"
    );
    let hits = replica.search("borrow", 10).await.unwrap();
    assert_eq!(hits.len(), 2, "both the synced and the queued message: {hits:?}");
    assert!(hits.iter().any(|h| h.snippet.contains("[borrow")), "{hits:?}");
    assert!(replica.search("nothing-like-this", 10).await.unwrap().is_empty());
    s.server.stop().await;
}

async fn profile_edits_made_offline_are_queued(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    s.api.register("ben").await;
    let (api, replica) = signed_in_replica(&s, &ann, dir.path()).await;
    let edit: lodestar_protocol::UpdateMeRequest = serde_json::from_value(
        serde_json::json!({"city": "Austin", "skills": ["Rust", "SQL"], "bio": null}),
    )
    .unwrap();
    replica.queue_profile(ann.id, &edit, Utc::now()).await.unwrap();
    assert_eq!(push(&unreachable_api(&ann.token), &replica).await.unwrap().sent, 0);
    let local = replica.my_profile(ann.id).await.unwrap();
    assert_eq!(local.profile.city.as_deref(), Some("Austin"), "shown at once, offline");
    assert_eq!(local.profile.skills, ["rust", "sql"]);
    // A restart in between, then online: the server has it.
    drop(replica);
    let replica = Replica::open(&dir.path().join("ann.db")).await.unwrap();
    assert_eq!(push(&api, &replica).await.unwrap().sent, 1);
    let me = s.api.get("/v1/me", &ann.token).await.expect(200);
    assert_eq!(me["city"], "Austin");
    assert_eq!(me["skills"], serde_json::json!(["rust", "sql"]));
    // An edit the server refuses for good is kept, failed, with the reason.
    let taken: lodestar_protocol::UpdateMeRequest =
        serde_json::from_value(serde_json::json!({"username": "ben"})).unwrap();
    replica.queue_profile(ann.id, &taken, Utc::now()).await.unwrap();
    let report = push(&api, &replica).await.unwrap();
    assert_eq!(report.failed, 1);
    let outbox = replica.outbox().await.unwrap();
    assert_eq!(outbox[0].state, OutboxState::Failed);
    assert!(
        outbox[0].last_error.as_deref().unwrap().starts_with("conflict"),
        "{:?}",
        outbox[0].last_error
    );
    assert_eq!(
        replica.my_profile(ann.id).await.unwrap().profile.username,
        "ann",
        "the refused value is not shown"
    );
    // Invalid edits never reach the queue.
    let bad: lodestar_protocol::UpdateMeRequest =
        serde_json::from_value(serde_json::json!({"state": "ZZ"})).unwrap();
    assert!(replica.queue_profile(ann.id, &bad, Utc::now()).await.is_err());
    assert_eq!(replica.outbox().await.unwrap().len(), 1);
    s.server.stop().await;
}

async fn scrolling_back_past_the_replica_fetches_older_history(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    for i in 0..30 {
        s.api.send(&ben, conv, &format!("history {i}")).await;
    }
    // A replica that holds only the newest 10 of them (as after a partial sync).
    let api = Api::new(&s.api.base).unwrap().with_token(&ann.token);
    let replica = Replica::open(&dir.path().join("ann.db")).await.unwrap();
    replica.set_me(ann.id).await.unwrap();
    let page = s
        .api
        .get(&format!("/v1/conversations/{conv}/messages?limit=10"), &ann.token)
        .await
        .expect(200);
    let newest: Vec<lodestar_protocol::Message> =
        serde_json::from_value(page["messages"].clone()).unwrap();
    replica.store_messages(&newest).await.unwrap();
    let oldest_seq = newest[0].seq;
    let older = backfill(&api, &replica, ann.id, conv, oldest_seq, 15).await.unwrap();
    assert_eq!(older.len(), 15, "fetched from the server");
    assert_eq!(older.last().unwrap().message.content.as_deref(), Some("history 19"));
    assert_eq!(
        replica.messages(ann.id, conv, None, 100).await.unwrap().len(),
        25,
        "and kept in the replica"
    );
    // Offline, the replica's own answer.
    let offline =
        backfill(&unreachable_api(&ann.token), &replica, ann.id, conv, older[0].message.seq, 15)
            .await
            .unwrap();
    assert!(
        offline.is_empty(),
        "history 0..4 was never fetched: offline there is nothing older, and no error"
    );
    s.server.stop().await;
}

async fn a_long_first_sync_reports_progress_toward_a_total(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let store = s.store();
    for i in 0..2_100 {
        let body = lodestar_protocol::validate::MessageBody {
            content: Some(format!("m{i}")),
            media_url: None,
        };
        let m = lodestar_server::store::NewMessage {
            message_id: uuid::Uuid::new_v4(),
            conversation_id: conv,
            body,
            sent_at: Utc::now(),
            reply_to: None,
        };
        store.send_message(ben.id, m).await.unwrap();
    }
    let api = Api::new(&s.api.base).unwrap().with_token(&ann.token);
    let replica = Replica::open(&dir.path().join("ann.db")).await.unwrap();
    let mut seen = Vec::new();
    let done = pull(&api, &replica, |p| seen.push(p)).await.unwrap();
    assert_eq!(seen.len(), 3, "three pages");
    assert!(
        seen[0].estimated_total >= done.applied,
        "the first page already knows about the whole: {seen:?}"
    );
    assert!(seen.windows(2).all(|w| w[0].applied < w[1].applied));
    assert_eq!(seen[2].estimated_total, done.applied, "the last page knows exactly");
    assert!(!seen[2].more);
    s.server.stop().await;
}

async fn a_joined_group_opens_on_its_newest_page_before_its_history(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let (group, conv) = s.api.group(&ben, "Cohort").await;
    let total = 1_500;
    let ids = s.seed_messages(ben.id, conv, total).await;
    s.api.add_member(&ben, group, &ann).await;

    // Ann's first pull: the log brings the group, then its history oldest first over two pages.
    let api = Api::new(&s.api.base).unwrap().with_token(&ann.token);
    let replica = Replica::open(&dir.path().join("ann.db")).await.unwrap();
    replica.set_me(ann.id).await.unwrap();
    let mut after_first_page = None;
    lodestar_client::sync::pull_pages(&api, &replica, |state, _| {
        if state.pages == 1 {
            let window = tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(replica.messages(ann.id, conv, None, 50))
            });
            after_first_page = Some((state, window.unwrap()));
        }
    })
    .await
    .unwrap();
    let (first, window) = after_first_page.expect("a first page");
    assert!(
        first.more && first.applied < total as u64,
        "the history takes more than one page: {first:?}"
    );
    let shown: Vec<Uuid> = window.iter().map(|m| m.message.message_id).collect();
    assert_eq!(
        shown,
        ids[total - 50..],
        "after the page that brought the group, its newest 50 messages are what the window shows"
    );

    // The history then arrives whole, once each and in order, the newest page stored in place.
    let all = replica.messages(ann.id, conv, None, 10_000).await.unwrap();
    let all: Vec<Uuid> = all.iter().map(|m| m.message.message_id).collect();
    assert_eq!(all, ids);
    let listed = replica.conversations(ann.id).await.unwrap();
    let listed = listed.iter().find(|c| c.conversation_id == conv).unwrap();
    assert_eq!(listed.unread_count, total as i64, "each message counted unread once");
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_is_fast_on_a_large_replica() {
    let dir = tempfile::tempdir().unwrap();
    let replica = Replica::open(&dir.path().join("big.db")).await.unwrap();
    let (me, other) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let conv = uuid::Uuid::new_v4();
    let words =
        ["mentoring", "rust", "career", "design", "interview", "salary", "python", "leadership"];
    let messages: Vec<lodestar_protocol::Message> = (0..20_000)
        .map(|i| lodestar_protocol::Message {
            message_id: uuid::Uuid::new_v4(),
            conversation_id: conv,
            sender_id: Some(other),
            content: Some(format!(
                "note {i}: let's talk about {} and {}",
                words[i % 8],
                words[(i / 8) % 8]
            )),
            media_url: None,
            sent_at: Utc::now(),
            seq: i as i64 + 1,
            status: Default::default(),
            held_reason: None,
            reply_to: None,
            edited_at: None,
            deleted_at: None,
        })
        .collect();
    replica.store_messages(&messages).await.unwrap();
    replica
        .queue_message(me, conv, Some("a queued question about zeppelins"), None, None, Utc::now())
        .await
        .unwrap();
    // Warm the cache once, then time the searches a user would type.
    replica.search("rust", 50).await.unwrap();
    for (text, at_least) in [("mentoring", 50), ("zeppelins", 1), ("lead", 50), ("note 19999", 1)] {
        let started = std::time::Instant::now();
        let hits = replica.search(text, 50).await.unwrap();
        let took = started.elapsed();
        assert!(hits.len() >= at_least, "{text}: {hits:?}");
        // About 1 ms measured here; the bound only catches a fall back to scanning the table.
        assert!(took < std::time::Duration::from_millis(250), "searching {text:?} took {took:?}");
    }
    let newest = replica.search("mentoring", 1).await.unwrap();
    assert!(newest[0].snippet.contains("[mentoring]"), "{newest:?}");
}

/// A last word longer than the indexed prefixes is searched by its start and checked word by
/// word; whether that path answers or gives way to FTS5's own prefix query, the hits are the
/// messages with a word starting with it, newest first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_prefix_finds_whole_words_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let replica = Replica::open(&dir.path().join("prefix.db")).await.unwrap();
    let (other, conv) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let texts: Vec<String> = ["Meetings moved to Friday", "the premeeting chat", "meeting notes"]
        .into_iter()
        .map(str::to_owned)
        // More near misses ("mee…" but not "meeting…") than the narrowed path checks.
        .chain((0..2_500).map(|i| format!("we meet at noon, {i}")))
        .chain(["meeting at 5, the newest".to_owned()])
        .collect();
    let messages: Vec<lodestar_protocol::Message> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| lodestar_protocol::Message {
            message_id: uuid::Uuid::new_v4(),
            conversation_id: conv,
            sender_id: Some(other),
            content: Some(text.clone()),
            media_url: None,
            sent_at: Utc::now(),
            seq: i as i64 + 1,
            status: Default::default(),
            held_reason: None,
            reply_to: None,
            edited_at: None,
            deleted_at: None,
        })
        .collect();
    replica.store_messages(&messages).await.unwrap();
    let id = |text: &str| {
        messages.iter().find(|m| m.content.as_deref() == Some(text)).unwrap().message_id
    };
    let ids = |hits: Vec<lodestar_client::replica::SearchHit>| {
        hits.into_iter().map(|h| h.message_id).collect::<Vec<_>>()
    };

    // The newest candidate passes the check at once.
    let first = replica.search("MEETIN", 1).await.unwrap();
    assert_eq!(ids(first.clone()), [id("meeting at 5, the newest")]);
    assert!(first[0].snippet.contains("[meeting]"), "{first:?}");
    // Past 2,000 near misses: FTS5's own prefix query, same answer in the same order.
    assert_eq!(
        ids(replica.search("meeting", 10).await.unwrap()),
        [id("meeting at 5, the newest"), id("meeting notes"), id("Meetings moved to Friday")]
    );
    // Other words still count, and a short prefix needs no narrowing.
    assert_eq!(ids(replica.search("notes meet", 10).await.unwrap()), [id("meeting notes")]);
    assert_eq!(replica.search("noon mee", 3).await.unwrap().len(), 3);
    assert!(replica.search("meetingroom", 10).await.unwrap().is_empty());
}

lodestar_tests::on_both_backends!(
    a_joined_group_opens_on_its_newest_page_before_its_history,
    a_long_first_sync_reports_progress_toward_a_total,
    scrolling_back_past_the_replica_fetches_older_history,
    profile_edits_made_offline_are_queued,
    offline_messages_are_delivered_once_in_order,
    a_pull_that_sees_the_message_first_retires_its_outbox_entry,
    a_refused_message_is_kept_as_failed_with_the_reason,
    unread_counts_agree_with_the_server,
    drafts_and_search_survive_a_restart,
);
